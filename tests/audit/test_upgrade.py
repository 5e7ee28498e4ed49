"""A database built by the release before the audit app and the keyed chains (its tables
in `catalog`, its chains unkeyed SHA-256, with the decimal false alarms of that version)
migrates with this code, is signed once, and verifies. Runs the old release's own code
from git, on SQLite and (when DATABASE_URL points at PostgreSQL) on PostgreSQL."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "2f0f7d0"  # the last commit before `audit/` and the history key
# The first release with keyed chains: its signed history must verify after migrating,
# with no re-signing. A field added to a tracked model without null=True fails this.
SIGNED = "71df108"


def git(*args, **kwargs):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, **kwargs)


def checkout(commit, target):
    if shutil.which("git") is None or git("cat-file", "-e", f"{commit}^{{commit}}").returncode:
        pytest.skip(f"needs the git history with commit {commit}")
    target.mkdir()
    archive = git("archive", commit).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


@pytest.fixture
def old_release(tmp_path):
    return checkout(BEFORE, tmp_path / "old")


@pytest.fixture
def signed_release(tmp_path):
    return checkout(SIGNED, tmp_path / "signed")


@pytest.fixture
def database_url():
    """A throw-away database of the kind the suite runs on (no URL: SQLite in var/)."""
    if connection.vendor != "postgresql":
        yield None
        return
    name = f"registry_upgrade_{uuid.uuid4().hex[:8]}"
    settings = connection.settings_dict
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
               f"{settings['PORT'] or 5432}/{name}")
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(cwd, env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


def release_env(database_url, tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"}}
    env.update(DJANGO_SETTINGS_MODULE="registry.settings.local", DEBUG="0",
               REGISTRY_VAR_DIR=str(tmp_path / "var"))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# Timeline events as that release wrote them: their data as one line of text (``detail``),
# read back into typed fields where it can be, kept whole as a note otherwise.
OLD_EVENTS = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from lifecycle.models import Department, Project, ProjectEvent
from registry.models import Node
office = get_user_model().objects.get(username="office")
project = Project.objects.create(
    title="升级前的项目", node=Node.objects.order_by("path").last(), leader=office,
    department=Department.objects.create(name="升级前的科室"), stage="review",
    planned_start=timezone.localdate(), planned_end=timezone.localdate(), created_by=office)
for transition, detail in (("open_comment_period", "征求意见开始日期: 2026-01-05; 期限（天）: 30"),
                           ("close_comment_period", "旧的说明文字")):
    ProjectEvent.objects.create(project=project, transition=transition, from_stage="drafting",
                                to_stage="comment", user=office, reason="旧事件", detail=detail)
"""
# This release takes a step on that project: its event's history row hashes the payload.
NEW_EVENT = """
from django.contrib.auth import get_user_model
from lifecycle.actions.projects import TakeTransition
from lifecycle.models import Project, ProjectEvent
TakeTransition(get_user_model().objects.get(username="admin"),
               Project.objects.get(title="升级前的项目"), "fail_review", "不通过").execute()
for event in ProjectEvent.objects.order_by("pk"):
    print(event.transition, sorted(event.payload.items()))
row = ProjectEvent.history.order_by("history_id").last()
print("history", row.history_id, sorted(row.payload.items()), row.detail)
"""
TAMPER = """
from django.db import connection
from lifecycle.models import ProjectEvent
row = ProjectEvent.history.order_by("history_id").last()
with connection.cursor() as cursor:
    if connection.vendor == "postgresql":
        cursor.execute("SET session_replication_role = replica")
    cursor.execute("UPDATE lifecycle_historicalprojectevent SET payload = %s "
                   "WHERE history_id = %s", ['{"conclusion": "passed"}', row.history_id])
"""


@pytest.mark.django_db
def test_an_old_database_migrates_signs_and_verifies(old_release, database_url, tmp_path):
    env = release_env(database_url, tmp_path)
    for command in (["migrate", "-v0"], ["seed_system"], ["create_demo_users"],
                    ["create_demo_records"], ["shell", "-c", OLD_EVENTS]):
        code, out = manage(old_release, env, *command)
        assert code == 0, out

    code, out = manage(ROOT, env, "migrate", "-v0")
    assert code == 0, out
    code, out = manage(ROOT, env, "verify_history", "--lang", "en")
    assert code == 1 and "[unsigned]" in out and "[altered]" not in out, out
    assert "[downgraded]" not in out, out
    code, out = manage(ROOT, env, "sign_history", "--lang", "en", "--dry-run")
    assert code == 0 and "  catalog_logentry: " in out and "nothing was signed" in out, out
    code, out = manage(ROOT, env, "sign_history", "--no-input", "--reason", "upgrade")
    assert code == 0, out
    code, out = manage(ROOT, env, "verify_history", "--lang", "en")
    assert code == 0, out
    assert "History intact" in out


@pytest.mark.django_db
def test_a_signed_database_verifies_after_migrating(signed_release, database_url, tmp_path):
    env = release_env(database_url, tmp_path)
    for command in (["migrate", "-v0"], ["seed_system"], ["create_demo_users"],
                    ["create_demo_records"], ["shell", "-c", OLD_EVENTS], ["verify_history"]):
        code, out = manage(signed_release, env, *command)
        assert code == 0, out

    code, out = manage(ROOT, env, "migrate", "-v0")
    assert code == 0, out
    code, out = manage(ROOT, env, "verify_history", "--lang", "en")
    assert code == 0, out
    assert "History intact" in out

    code, out = manage(ROOT, env, "shell", "-c", NEW_EVENT)
    assert code == 0, out
    assert "open_comment_period [('days', 30), ('starts_on', '2026-01-05')]" in out
    assert "close_comment_period [('note', '旧的说明文字')]" in out
    assert "fail_review [('conclusion', 'failed')]" in out
    assert "[('conclusion', 'failed')] None" in out  # the new history row: payload, no text
    code, out = manage(ROOT, env, "verify_history", "--lang", "en")
    assert code == 0 and "History intact" in out, out
    code, out = manage(ROOT, env, "shell", "-c", TAMPER)
    assert code == 0, out
    code, out = manage(ROOT, env, "verify_history", "--lang", "en")
    assert code == 1 and "[altered] lifecycle_historicalprojectevent" in out, out


# The release before the reshape of issue 23: export and import-preview jobs were
# `ExportJob` rows, a timeline event's data was text in ``detail`` for most transitions.
RESHAPED_FROM = "c90c7f6"
OLD_JOBS = """
from django.contrib.auth import get_user_model
from registry.models import ExportJob
admin = get_user_model().objects.get(username="admin")
ExportJob.objects.create(kind="export", fmt="pdf", lang="en", state="done", created_by=admin)
ExportJob.objects.create(kind="import_preview", fmt="xlsx", upload="imports/old.xlsx",
                         state="queued", created_by=admin)
"""
JOBS_NOW = """
from registry.models import ExportJob, ImportJob, Job
print("jobs", Job.objects.count(), ExportJob.objects.count(), ImportJob.objects.count())
"""


@pytest.fixture
def reshaped_release(tmp_path):
    return checkout(RESHAPED_FROM, tmp_path / "before-reshape")


@pytest.mark.django_db
def test_the_release_before_the_reshape_migrates_and_verifies(reshaped_release, database_url,
                                                             tmp_path):
    env = release_env(database_url, tmp_path)
    for command in (["migrate", "-v0"], ["seed_system"], ["create_demo_users"],
                    ["create_demo_records"], ["shell", "-c", OLD_EVENTS],
                    ["shell", "-c", OLD_JOBS], ["verify_history"]):
        code, out = manage(reshaped_release, env, *command)
        assert code == 0, out

    code, out = manage(ROOT, env, "migrate", "-v0")
    assert code == 0, out
    code, out = manage(ROOT, env, "verify_history", "--lang", "en")
    assert code == 0 and "History intact" in out, out
    code, out = manage(ROOT, env, "shell", "-c", JOBS_NOW)
    assert code == 0 and "jobs 2 1 1" in out, out

    code, out = manage(ROOT, env, "shell", "-c", NEW_EVENT)
    assert code == 0, out
    assert "open_comment_period [('days', 30), ('starts_on', '2026-01-05')]" in out
    assert "close_comment_period [('note', '旧的说明文字')]" in out
    code, out = manage(ROOT, env, "verify_history", "--lang", "en")
    assert code == 0 and "History intact" in out, out
