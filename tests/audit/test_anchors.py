"""Anchors outside the database: written signed, never rewritten, read per database."""

import json
import stat

import pytest
from django.core.management import call_command

from audit import anchors
from audit.chain import verify_all
from registry.models import Node


def test_an_anchor_holds_the_signed_heads_and_is_read_only(seeded, settings, tmp_path):
    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    call_command("anchor_history", "--lang", "en")
    (path,) = tmp_path.glob("anchor-*.json")
    body = json.loads(path.read_text())
    table = Node.history.model._meta.db_table
    last = Node.history.order_by("history_id").last()
    assert body["heads"][table] == {"last_id": last.pk, "last_hash": last.row_hash,
                                    "length": Node.history.count()}
    assert body["database"] == anchors.database_label() and len(body["signature"]) == 64
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    report = verify_all()
    assert report.intact and report.anchors == 1


def test_anchors_of_another_database_are_skipped_not_alarms(seeded, settings, tmp_path,
                                                            monkeypatch, capsys):
    """One anchor directory shared by a PostgreSQL and a SQLite database (as with
    ``make run`` on both): each checks its own anchors only."""
    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    monkeypatch.setattr(anchors, "database_label", lambda using="default": "postgresql://x/y")
    anchors.write_anchor()
    monkeypatch.undo()
    report = verify_all()
    assert report.intact and (report.anchors, report.anchors_skipped) == (0, 1)
    call_command("verify_history", "--lang", "en")
    assert "1 anchor(s) of another database" in capsys.readouterr().out


def test_anchoring_refuses_a_broken_history(seeded, settings, tmp_path):
    from django.core.management.base import CommandError

    from tests.audit.test_tampering import NODE_HISTORY, tamper

    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    victim = Node.history.order_by("history_id")[3]
    tamper(f"UPDATE {NODE_HISTORY} SET name = %s WHERE history_id = %s", ["改", victim.pk])
    with pytest.raises(CommandError):
        call_command("anchor_history", "--lang", "en")
    assert list(tmp_path.iterdir()) == []


test_anchoring_refuses_a_broken_history = pytest.mark.tampers(
    test_anchoring_refuses_a_broken_history)
