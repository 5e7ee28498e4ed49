"""Someone with access to the database changes the history behind the application's back;
``verify_history`` names what was done (issue: history you can trust). Every test here
runs on SQLite and on PostgreSQL."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.anchors import write_anchor
from audit.canonical import payload
from audit.chain import verify_all
from audit.digests import Scheme, head_signature, legacy_digest, row_digest
from audit.models import ChainHead, LogEntry
from catalog.models import Standard
from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import Stage
from lifecycle.models import Department, Project, ProjectEvent
from registry.actions import AddNode
from registry.models import Node

pytestmark = pytest.mark.tampers

NODE_HISTORY = Node.history.model._meta.db_table
STANDARD_HISTORY = Standard.history.model._meta.db_table
LOG = LogEntry._meta.db_table


def tamper(sql, params=()):
    """Change the database as someone with access could (triggers off on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def report(capsys, *args):
    """verify_history's exit code and what it printed (English, for the assertions)."""
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_history", "--lang", "en", *args)
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    return captured.err + captured.out


def test_an_intact_history_verifies(seeded, office, capsys):
    AddNode(office, Node.objects.get(code="303"), "新方面", "测试").execute()
    call_command("verify_history", "--lang", "en")
    assert "History intact" in capsys.readouterr().out


def test_an_edited_row_is_altered(seeded, capsys):
    victim = Node.history.order_by("history_id")[5]
    tamper(f"UPDATE {NODE_HISTORY} SET name = %s WHERE history_id = %s", ["改过", victim.pk])
    out = report(capsys)
    assert f"[altered] {NODE_HISTORY} id={victim.pk}" in out


def test_a_deleted_row_is_removed(seeded, capsys):
    gone, follower = Node.history.order_by("history_id")[5:7]
    tamper(f"DELETE FROM {NODE_HISTORY} WHERE history_id = %s", [gone.pk])
    assert f"[removed] {NODE_HISTORY} id={follower.pk}" in report(capsys)


def test_a_deleted_last_row_is_truncated(seeded, capsys):
    last = Standard.history.order_by("history_id").last()
    tamper(f"DELETE FROM {STANDARD_HISTORY} WHERE history_id = %s", [last.pk])
    assert f"[truncated] {STANDARD_HISTORY} id={last.pk}" in report(capsys)


def test_swapped_rows_are_reordered(seeded, capsys):
    first, second = Node.history.order_by("history_id")[10:12]
    tamper(f"UPDATE {NODE_HISTORY} SET history_id = -1 WHERE history_id = %s", [first.pk])
    tamper(f"UPDATE {NODE_HISTORY} SET history_id = %s WHERE history_id = %s",
           [first.pk, second.pk])
    tamper(f"UPDATE {NODE_HISTORY} SET history_id = %s WHERE history_id = -1", [second.pk])
    out = report(capsys)
    assert "[reordered]" in out and f"id={first.pk}" in out


def _rewrite_chain(model, edit, digest, head_key):
    """A consistent rewrite: edit one row, recompute every hash from there on and the
    head, with ``digest(row, prev)`` — what someone with the database but not the key
    can do."""
    rows = list(model.objects.order_by("pk"))
    edit(rows[3])
    previous = ""
    for row in rows:
        row.prev_hash, row.row_hash = previous, digest(row, previous)
        previous = row.row_hash
        tamper(f"UPDATE {model._meta.db_table} SET name = %s, prev_hash = %s, row_hash = %s "
               f"WHERE history_id = %s", [row.name, row.prev_hash, row.row_hash, row.pk])
    head = ChainHead.objects.get(table=model._meta.db_table)
    head.last_hash = previous
    message = "\n".join(("head", head.table, str(head.last_id), head.last_hash,
                         str(head.length), head.scheme))
    head.signature = hmac.new(head_key, message.encode(), hashlib.sha256).hexdigest()
    tamper("UPDATE catalog_chainhead SET last_hash = %s, signature = %s WHERE id = %s",
           [head.last_hash, head.signature, head.pk])


def test_a_consistent_rewrite_without_the_key_is_caught(seeded, capsys):
    guessed = b"not-the-history-key-but-long-enough-0123456789"

    def forged(row, previous):
        message = "\n".join((row._meta.db_table, previous,
                             payload(row, {"history_id", "prev_hash", "row_hash"})))
        return hmac.new(guessed, message.encode(), hashlib.sha256).hexdigest()

    def rename(row):
        row.name = "伪造的名称"

    _rewrite_chain(Node.history.model, rename, forged, guessed)
    out = report(capsys)
    assert f"[altered] {NODE_HISTORY}" in out
    assert out.count("[altered]") >= Node.history.count()  # every row and the head


def test_a_downgrade_to_the_unkeyed_scheme_is_tampering(seeded, capsys):
    """Rewriting every row with the old unkeyed SHA-256 and marking the chain as such is
    tampering, not a chain waiting to be signed: this database's audit log is signed, so no
    chain of it is from before the key."""
    def rename(row):
        row.name = "伪造的名称"

    _rewrite_chain(Node.history.model, rename, legacy_digest, b"x")
    tamper("UPDATE catalog_chainhead SET scheme = 'sha256' WHERE \"table\" = %s",
           [NODE_HISTORY])
    out = report(capsys)
    assert f"[downgraded] {NODE_HISTORY}" in out and "the audit log is signed" in out
    assert "[unsigned]" not in out
    assert out.count(f"[altered] {NODE_HISTORY}") == Node.history.count()  # none is signed


def test_an_edited_audit_log_entry_is_altered(seeded, office, capsys):
    AddNode(office, Node.objects.get(code="303"), "新方面", "原因").execute()
    entry = LogEntry.objects.order_by("-pk").first()
    tamper(f"UPDATE {LOG} SET reason = %s WHERE id = %s", ["别的原因", entry.pk])
    assert f"[altered] {LOG} id={entry.pk}" in report(capsys)


def test_a_truncated_table_is_caught_by_the_anchor(seeded, settings, tmp_path, capsys):
    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    call_command("anchor_history")
    last = Standard.history.order_by("history_id").last()
    tamper(f"DELETE FROM {STANDARD_HISTORY}")
    tamper('DELETE FROM catalog_chainhead WHERE "table" = %s', [STANDARD_HISTORY])
    out = report(capsys)
    assert f"[truncated] {STANDARD_HISTORY} id={last.pk}" in out


def test_a_tail_deleted_before_the_last_anchor_is_caught(seeded, settings, tmp_path, capsys):
    """Even by someone holding the key, who re-signs the head: the anchor outside the
    database still names the row that ended the chain."""
    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    write_anchor()
    anchored = Standard.history.order_by("history_id").last()
    Standard.objects.create(number="Q/CJSB 77-2026", title="锚定之后")
    keep = Standard.history.filter(history_id__lt=anchored.pk).order_by("history_id")
    survivor = keep.last()
    tamper(f"DELETE FROM {STANDARD_HISTORY} WHERE history_id >= %s", [anchored.pk])
    head = ChainHead.objects.get(table=STANDARD_HISTORY)
    head.last_id, head.last_hash, head.length = survivor.pk, survivor.row_hash, keep.count()
    tamper("UPDATE catalog_chainhead SET last_id = %s, last_hash = %s, length = %s, "
           "signature = %s WHERE id = %s",
           [head.last_id, head.last_hash, head.length, head_signature(head), head.pk])
    assert f"[truncated] {STANDARD_HISTORY} id={anchored.pk}" in report(capsys)


def test_a_rewrite_before_the_anchor_is_an_anchor_mismatch(seeded, settings, tmp_path, capsys):
    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    write_anchor()
    last = Node.history.order_by("history_id").last()

    def rename(row):
        row.name = "改写"

    _rewrite_chain(Node.history.model, rename, row_digest, b"")  # with the real key...
    head = ChainHead.objects.get(table=NODE_HISTORY)
    tamper("UPDATE catalog_chainhead SET signature = %s WHERE id = %s",
           [head_signature(head), head.pk])  # ...and a head it signs
    out = report(capsys)
    assert f"[anchor mismatch] {NODE_HISTORY} id={last.pk}" in out
    assert "[altered]" not in out


def test_an_edited_anchor_file_is_an_anchor_mismatch(seeded, settings, tmp_path, capsys):
    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    path = write_anchor()
    body = json.loads(path.read_text())
    body["heads"][NODE_HISTORY]["length"] -= 1
    path.chmod(0o644)
    path.write_text(json.dumps(body))
    assert f"[anchor mismatch] {path.name}" in report(capsys)


def test_json_report_for_monitoring(seeded, capsys):
    victim = Node.history.order_by("history_id")[2]
    tamper(f"UPDATE {NODE_HISTORY} SET name = %s WHERE history_id = %s", ["改过", victim.pk])
    data = json.loads(report(capsys, "--json"))
    assert data["intact"] is False
    assert {"table": NODE_HISTORY, "row_id": victim.pk, "kind": "altered"}.items() <= \
        data["problems"][0].items()


def test_the_report_is_in_the_operators_language(seeded, capsys):
    victim = Node.history.order_by("history_id")[2]
    tamper(f"UPDATE {NODE_HISTORY} SET name = %s WHERE history_id = %s", ["改过", victim.pk])
    with pytest.raises(SystemExit):
        call_command("verify_history")  # LANGUAGE_CODE: zh-hans
    assert "历史记录" in capsys.readouterr().err


def test_a_legacy_chain_is_signed_once_and_the_run_recorded(seeded, office, capsys):
    """Chains written before the key (unkeyed SHA-256, decimals hashed as typed) verify
    after ``sign_history``; its run has its own history row and log entry."""
    from audit.models import SigningRun

    _make_legacy(Node.history.model)
    out = report(capsys)
    assert f"[unsigned] {NODE_HISTORY}" in out and f"[unsigned] {LOG}" in out
    assert "[downgraded]" not in out and "[altered]" not in out
    rows = Node.history.count() + LogEntry.objects.count()
    call_command("sign_history", "--no-input", "--reason", "升级后签名", "--operator", "dba")
    assert verify_all(anchors=[]).intact
    run = SigningRun.objects.get()
    assert sorted(run.tables) == sorted([LOG, NODE_HISTORY]) and run.rows == rows
    assert run.history.get().history_change_reason == "升级后签名"
    assert LogEntry.objects.filter(reason="升级后签名").exists()
    call_command("sign_history")  # nothing left to sign: a no-op
    assert SigningRun.objects.count() == 1


def test_signing_refuses_a_tampered_legacy_chain(seeded, capsys):
    from django.core.management.base import CommandError

    _make_legacy(Node.history.model)
    victim = Node.history.order_by("history_id")[4]
    tamper(f"UPDATE {NODE_HISTORY} SET name = %s WHERE history_id = %s", ["改过", victim.pk])
    with pytest.raises(CommandError, match="未签名任何内容"):
        call_command("sign_history", "--no-input")
    assert ChainHead.objects.get(table=NODE_HISTORY).scheme == Scheme.LEGACY


def rewrite_unkeyed(model):
    """Give every row of a chain the unkeyed SHA-256 of the first version, and its head
    that scheme, unsigned: no row of it is signed with the key any more."""
    previous = ""
    for row in model._base_manager.order_by("pk"):
        digest = legacy_digest(row, previous)
        tamper(f"UPDATE {model._meta.db_table} SET prev_hash = %s, row_hash = %s "
               f"WHERE {model._meta.pk.column} = %s", [previous, digest, row.pk])
        previous = digest
    tamper("UPDATE catalog_chainhead SET last_hash = %s, scheme = 'sha256', signature = '' "
           'WHERE "table" = %s', [previous, model._meta.db_table])


def _make_legacy(model):
    """Turn a chain into what the first version wrote (unkeyed SHA-256, head unsigned) and
    the audit log into what migration 0002 made of that version's log (not chained)."""
    rewrite_unkeyed(model)
    tamper(f"UPDATE {LOG} SET prev_hash = '', row_hash = ''")
    tamper("UPDATE catalog_chainhead SET last_hash = '', scheme = 'none', signature = '' "
           'WHERE "table" = %s', [LOG])


@pytest.fixture
def event(seeded, users):
    """A timeline event written by this release: its history row hashes its payload."""
    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    project = Project.objects.create(
        title="社会保险报表管理规范", node=Node.objects.get(code="304-09"),
        department=department, leader=users["office"], stage=Stage.REVIEW,
        planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"])
    project = TakeTransition(users["admin"], project, "fail_review", "不通过").execute()
    return project.events.get()


@pytest.mark.parametrize(("column", "value"), [
    ("payload", '{"conclusion": "passed"}'),  # another conclusion
    ("payload", None),  # as if hashed before the payload entered the history
    ("detail", "结论: 通过"),  # as if written by the release before
])
def test_an_edited_event_payload_is_altered(event, capsys, column, value):
    row = ProjectEvent.history.get(id=event.pk)
    assert row.payload == event.payload == {"conclusion": "failed"}
    table = ProjectEvent.history.model._meta.db_table
    tamper(f"UPDATE {table} SET {column} = %s WHERE history_id = %s", [value, row.pk])
    assert f"[altered] {table} id={row.pk}" in report(capsys)
