"""The restore drill: a pg_dump restored into a fresh database verifies against the anchors
of the database it came from; restoring a dump older than the newest anchor is reported as
losing the anchored rows. PostgreSQL only (pg_dump, pg_restore)."""

import os
import subprocess
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.anchors import write_anchor
from catalog.models import Standard
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL"),
]


def dump(path):
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    subprocess.run(["pg_dump", "--format=custom", "--file", str(path), "--host",  # noqa: S607
                    db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432),
                    "--username", db["USER"], db["NAME"]], check=True, env=env)
    return str(path)


def test_a_backup_restores_and_verifies_against_its_anchors(seeded, tmp_path, capsys):
    # Who works after the backup holds a role already (a role given is history too).
    user = UserFactory(username="office", role="office")
    anchors = tmp_path / "anchors"
    anchors.mkdir()
    write_anchor(anchors)
    backup = dump(tmp_path / "registry.dump")
    call_command("restore_drill", backup, "--anchors", str(anchors))
    out = capsys.readouterr().out
    assert "History intact." in out and "1 anchors" in out

    # Work goes on after the backup and is anchored the next night; restoring the older
    # dump then loses anchored rows, and the drill says so.
    standard = Standard(number="GB/T 20000.1-2014",
                        title="标准化工作指南 第1部分：标准化和相关活动的通用术语",
                        issued_on=date(2014, 12, 31), implemented_on=date(2015, 6, 1))
    standard._history_user, standard._change_reason = user, "补录"
    standard.save()
    write_anchor(anchors)
    with pytest.raises(CommandError, match="problem"):
        call_command("restore_drill", backup, "--anchors", str(anchors))
    lost = capsys.readouterr().err.splitlines()
    # The standard's history row and its audit log entry are the anchored rows now missing.
    assert len(lost) == 2 and all(line.startswith("[被截断]") for line in lost)
    assert any("catalog_historicalstandard" in line for line in lost)
