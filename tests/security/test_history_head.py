"""A chain's head cannot be downgraded to pass off rows written without the history key
(issue 21, second security audit).

The attack: set a signed chain's head to an unsigned scheme, insert a history row with no
signature, then let ``sign_history`` sign it. Here: the application's database role cannot
change a head's scheme (PostgreSQL: column rights and the ``chain_head_guard`` trigger); a
head downgraded all the same (by the owner, simulated here as the superuser with triggers
off) is reported as ``downgraded``, never as ``unsigned``; ``sign_history`` refuses to sign
it, and lists what it would sign before it signs anything. The last tests check the
threat-model table of docs/deployment.md against the rights actually granted."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.anchors import write_anchor
from audit.chain import verify_all
from audit.chained import chained_tables
from audit.digests import Scheme
from audit.models import ChainHead, LogEntry, SigningRun
from audit.privileges import table_rights
from audit.signing import PlanChanged, SignHistory
from catalog.models import Term
from lifecycle.models import Department
from registry.models import Node
from tests.audit.test_privileges import as_application_role  # noqa: F401
from tests.audit.test_tampering import _make_legacy, report, rewrite_unkeyed, tamper

ROOT = Path(__file__).resolve().parents[2]
TERMS = Term.history.model._meta.db_table  # catalog_historicalterm
NODES = Node.history.model._meta.db_table
LOG = LogEntry._meta.db_table
HEADS = ChainHead._meta.db_table

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                     reason="roles, grants and triggers are PostgreSQL's")


def head(table):
    return ChainHead.objects.get(table=table)


def forge_row(model):
    """Append to ``model``'s chain, by hand, a copy of its last row with another content and
    no signature (what whoever may insert into a history table writes without the key), and
    move the head on as ``append`` would. Returns the forged row's id."""
    last = model._base_manager.order_by("pk").last()
    row = model._base_manager.get(pk=last.pk)
    row.pk = None
    row.definition = "伪造的定义：未经授权插入的历史记录。"
    row.prev_hash, row.row_hash = last.row_hash, ""
    model._base_manager.bulk_create([row])
    row = model._base_manager.order_by("pk").last()
    tamper(f'UPDATE {HEADS} SET last_id = %s, last_hash = %s, length = length + 1 '
           f'WHERE "table" = %s', [row.pk, row.row_hash, model._meta.db_table])
    return row.pk


def downgrade(table, scheme="none"):
    tamper(f'UPDATE {HEADS} SET scheme = %s, signature = %s WHERE "table" = %s',
           [scheme, "", table])


def refused_signing(capsys, *args):
    with pytest.raises(CommandError) as refused:
        call_command("sign_history", "--lang", "en", *args)
    captured = capsys.readouterr()
    return str(refused.value) + captured.err + captured.out


# --- the downgrade is reported and never signed (SQLite and PostgreSQL) -------------------

@pytest.mark.tampers
def test_a_downgraded_head_with_a_forged_row_is_tampering(seeded, capsys):
    """The issue's attack, step by step: verify_history names the downgrade and the forged
    row, and sign_history, even with --accept-problems, signs nothing."""
    signed_rows = Term.history.count()
    downgrade(TERMS)
    forged = forge_row(Term.history.model)

    out = report(capsys)
    assert f"[downgraded] {TERMS}" in out and "[unsigned]" not in out
    first = Term.history.order_by("history_id").first().pk
    assert f"row {first} of the chain is signed with the history key" in out
    assert "the audit log is signed with the history key" in out
    assert f"[altered] {TERMS} id={forged} " in out
    assert out.count(f"[altered] {TERMS}") == 1  # the rows written with the key verify

    for options in ((), ("--dry-run",), ("--no-input", "--accept-problems", "--reason", "x")):
        out = refused_signing(capsys, *options)
        assert f"signed once and their heads now say they are not: {TERMS}" in out
        assert "Nothing was signed" in out
    assert head(TERMS).scheme == Scheme.NONE
    assert Term.history.model._base_manager.get(pk=forged).row_hash == ""
    assert not SigningRun.objects.exists()
    assert Term.history.count() == signed_rows + 1


@pytest.mark.tampers
def test_the_downgrade_is_reported_in_the_operators_language(seeded, capsys):
    downgrade(TERMS)
    forge_row(Term.history.model)
    with pytest.raises(SystemExit):
        call_command("verify_history")  # LANGUAGE_CODE: zh-hans
    err = capsys.readouterr().err
    assert f"[被降级] {TERMS}" in err and "审计日志已用历史密钥签名" in err
    assert "它没有用历史密钥签名，而它所在的链曾经签名" in err and "链头被降级" in err
    with pytest.raises(CommandError, match=f"这些链曾经签名.*{TERMS}.*请与备份比对并恢复"):
        call_command("sign_history", "--no-input")


@pytest.mark.tampers
def test_an_unsigned_row_under_a_signed_head_is_altered(seeded, capsys):
    """Without a downgrade, a signed chain accepts no unsigned row."""
    forged = forge_row(Term.history.model)
    out = report(capsys)
    assert f"[altered] {TERMS} id={forged} " in out and "[unsigned]" not in out


@pytest.mark.tampers
def test_a_chain_rewritten_unkeyed_after_signing_is_downgraded(seeded, capsys):
    """Every row rewritten without the key and the audit log downgraded as well: the record
    of the signing run still shows that this database holds no chain from before the key."""
    _make_legacy(Node.history.model)
    call_command("sign_history", "--no-input", "--reason", "升级后签名")
    assert verify_all(anchors=[]).intact
    rewrite_unkeyed(Node.history.model)
    rewrite_unkeyed(LogEntry)

    out = report(capsys)
    assert f"[downgraded] {NODES}" in out and f"[downgraded] {LOG}" in out
    assert "the history was signed by sign_history on" in out
    assert "[unsigned]" not in out
    assert f"signed once and their heads now say they are not: {LOG}, {NODES}" in \
        refused_signing(capsys, "--no-input")
    assert SigningRun.objects.count() == 1


@pytest.mark.tampers
def test_an_anchored_chain_rewritten_unkeyed_is_downgraded(seeded, settings, tmp_path, capsys):
    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    write_anchor()
    rewrite_unkeyed(Node.history.model)
    rewrite_unkeyed(LogEntry)
    out = report(capsys)
    assert f"[downgraded] {NODES}" in out
    assert "an anchor of this database was written on" in out
    assert "[unsigned]" not in out
    assert "Nothing was signed" in refused_signing(capsys, "--no-input")


# --- sign_history shows what it would sign first ---------------------------------------

@pytest.fixture
def legacy(seeded):
    """A database upgraded from before the key: a chain and the audit log unsigned."""
    _make_legacy(Node.history.model)
    return [(LOG, LogEntry.objects.count()), (NODES, Node.history.count())]


def no_terminal(prompt):
    raise EOFError


@pytest.mark.tampers
def test_sign_history_lists_the_tables_and_rows_then_asks(legacy, monkeypatch, capsys):
    answers = iter(["no", "yes"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    call_command("sign_history", "--lang", "en", "--dry-run")
    out = capsys.readouterr().out
    for table, rows in legacy:
        assert f"  {table}: {rows} rows" in out
    assert f"in all: 2 tables, {sum(rows for _table, rows in legacy)} rows" in out
    assert "Dry run: nothing was signed." in out

    call_command("sign_history", "--lang", "en")  # answered "no"
    assert "Nothing was signed." in capsys.readouterr().out
    assert head(NODES).scheme == Scheme.LEGACY and not SigningRun.objects.exists()
    with monkeypatch.context() as nobody:
        nobody.setattr("builtins.input", no_terminal)
        with pytest.raises(CommandError, match="Nobody answered: nothing was signed"):
            call_command("sign_history", "--lang", "en")
    assert head(NODES).scheme == Scheme.LEGACY and not SigningRun.objects.exists()

    call_command("sign_history", "--lang", "en", "--reason", "升级后签名")  # "yes"
    out = capsys.readouterr().out
    assert out.index(f"  {NODES}:") < out.index("Signed ")
    run = SigningRun.objects.get()
    assert sorted(run.tables) == [LOG, NODES]
    assert verify_all(anchors=[]).intact


@pytest.mark.tampers
def test_sign_history_signs_only_what_it_showed(legacy):
    """A row added to an unsigned chain after the listing: nothing is signed."""
    shown = [(table, rows - 1 if table == NODES else rows) for table, rows in legacy]
    with pytest.raises(PlanChanged):
        SignHistory("升级后签名", expected=shown).execute()
    assert head(NODES).scheme == Scheme.LEGACY and not SigningRun.objects.exists()
    assert SignHistory("升级后签名", expected=legacy).execute().rows == sum(
        rows for _table, rows in legacy)


def test_a_fresh_database_has_nothing_to_sign(seeded, capsys):
    """What `make migrate` runs on a new database."""
    call_command("sign_history", "--no-input", "--lang", "en", "--reason", "make run")
    assert "Every chain is signed already." in capsys.readouterr().out
    assert not SigningRun.objects.exists()


def test_nothing_in_the_application_writes_a_chain_head():
    """Heads are written by ``append`` and ``sign_history`` only: not in the admin, not by
    any other module of the apps (the others here only read heads or name their table)."""
    assert ChainHead not in admin.site._registry and SigningRun not in admin.site._registry
    allowed = {"audit/chained.py", "audit/signing.py", "audit/models.py", "audit/chain.py",
               "audit/anchors.py", "audit/privileges.py", "audit/triggers.py",
               "audit/management/commands/verify_history.py"}
    users = {str(path.relative_to(ROOT)) for app in ("audit", "catalog", "registry", "lifecycle")
             for path in (ROOT / app).rglob("*.py")
             if "migrations" not in path.parts and "ChainHead" in path.read_text("utf-8")}
    assert users <= allowed, users - allowed


# --- PostgreSQL: as the application role ----------------------------------------------

def attempt(sql, params=()):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


HEAD_ATTEMPTS = [
    f"UPDATE {HEADS} SET scheme = 'none' WHERE \"table\" = '{TERMS}'",
    f"UPDATE {HEADS} SET scheme = 'sha256' WHERE \"table\" = '{TERMS}'",
    f"UPDATE {HEADS} SET \"table\" = 'catalog_term' WHERE \"table\" = '{TERMS}'",
    f"UPDATE {HEADS} SET length = 0 WHERE \"table\" = '{TERMS}'",
    f"DELETE FROM {HEADS} WHERE \"table\" = '{TERMS}'",
    f"TRUNCATE {HEADS}",
    f"INSERT INTO {HEADS} (\"table\", last_id, last_hash, length, scheme, signature) "
    f"VALUES ('lifecycle_historicaldepartment', NULL, '', 0, 'none', '')",
    f"ALTER TABLE {HEADS} DISABLE TRIGGER chain_head_guard",
    f"DROP TRIGGER chain_head_guard ON {HEADS}",
    "DROP FUNCTION chain_head_guard() CASCADE",
    "CREATE OR REPLACE FUNCTION chain_head_guard() RETURNS trigger AS $$ BEGIN RETURN NEW; "
    "END; $$ LANGUAGE plpgsql",
    "INSERT INTO audit_signingrun (started_at, operator, reason, key_id, tables, rows, "
    "accepted_problems) VALUES (now(), 'x', 'x', 'x', '[]', 0, '[]')",
    "UPDATE audit_signingrun SET reason = 'x'",
    "DELETE FROM audit_signingrun",
]
# The last line of the threat model's table: every other table.
SCHEMA_ATTEMPTS = [
    "TRUNCATE registry_node CASCADE",
    "CREATE TABLE registry_intruder (id integer)",
    "ALTER TABLE registry_node ADD COLUMN intruder integer",
    "DROP TABLE registry_node CASCADE",
    "CREATE FUNCTION intruder() RETURNS integer AS 'SELECT 1' LANGUAGE sql",
    "CREATE TRIGGER intruder BEFORE INSERT ON registry_node FOR EACH ROW "
    "EXECUTE FUNCTION history_append_only()",
]


@postgresql_only
@pytest.mark.parametrize("sql", HEAD_ATTEMPTS)
def test_the_application_role_cannot_touch_a_heads_scheme(as_application_role, sql):  # noqa: F811
    attempt(sql)


@postgresql_only
@pytest.mark.parametrize("sql", SCHEMA_ATTEMPTS)
def test_the_application_role_cannot_change_the_schema(as_application_role, sql):  # noqa: F811
    attempt(sql)


@postgresql_only
@pytest.mark.tampers
def test_the_application_role_cannot_pass_off_a_forged_row(as_application_role,  # noqa: F811
                                                            capsys):
    """It may insert a row and move the head on, but not downgrade the head, so the row
    it wrote without the key is reported (with the head it could not sign)."""
    attempt(f'UPDATE {HEADS} SET scheme = %s WHERE "table" = %s', ["none", TERMS])
    last = Term.history.order_by("history_id").last()
    row = Term.history.model._base_manager.get(pk=last.pk)
    row.pk, row.definition, row.prev_hash, row.row_hash = None, "伪造的定义", last.row_hash, ""
    Term.history.model._base_manager.bulk_create([row])
    forged = Term.history.order_by("history_id").last().pk
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE {HEADS} SET last_id = %s, last_hash = %s, length = length + 1 '
                       f'WHERE "table" = %s', [forged, "", TERMS])
    out = report(capsys)
    assert f"[altered] {TERMS} id={forged} " in out
    assert "the chain's head does not match its signature" in out
    assert "[unsigned]" not in out and "[downgraded]" not in out


@postgresql_only
def test_the_application_role_still_appends_and_starts_chains(as_application_role):  # noqa: F811
    """append() moves heads (column rights) and inserts the signed head of a new chain."""
    assert not ChainHead.objects.filter(table="lifecycle_historicaldepartment").exists()
    length = head(TERMS).length
    term = Term.objects.get(term="标准体系")
    term.note, term._change_reason = "以应用角色修改", "最小权限"
    term.save()
    Department.objects.create(name="以应用角色新建的科室")
    assert head(TERMS).length == length + 1
    assert head("lifecycle_historicaldepartment").scheme == Scheme.HMAC


@postgresql_only
@pytest.mark.parametrize("sql", [
    f"UPDATE {HEADS} SET scheme = 'none' WHERE \"table\" = '{TERMS}'",
    f"UPDATE {HEADS} SET length = length - 1 WHERE \"table\" = '{TERMS}'",
    f"DELETE FROM {HEADS} WHERE \"table\" = '{TERMS}'",
    f"INSERT INTO {HEADS} (\"table\", last_id, last_hash, length, scheme, signature) "
    f"VALUES ('lifecycle_historicaldepartment', NULL, '', 0, 'sha256', '')",
])
def test_the_head_guard_refuses_every_role(seeded, sql):
    """Even the superuser, unless it turns the trigger off."""
    attempt(sql)


# --- the threat model in docs/deployment.md ----------------------------------------------

MARKER = "<!-- registry_app rights: checked by tests/security/test_history_head.py -->"
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")


def documented_rights():
    """The rows of the table under MARKER: (tables column, table privileges, UPDATE columns)."""
    text = (ROOT / "docs" / "deployment.md").read_text("utf-8")
    lines = text[text.index(MARKER):].splitlines()[3:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        tables, may = line.split("|")[1:3]
        privileges, columns = set(), set()
        for code in re.findall(r"`([^`]+)`", may):
            found = re.fullmatch(r"UPDATE \(([^)]*)\)", code)
            if found:
                columns |= {name.strip() for name in found.group(1).split(",")}
            else:
                privileges |= {name.strip() for name in code.split(",")}
        rows.append((tables, privileges, columns))
    return rows


def documented_for(table, rows, chained):
    named = [row for row in rows if f"`{table}`" in row[0]]
    if table in chained:
        named = [row for row in rows if "history tables" in row[0]]
    if not named:
        named = [row for row in rows if "every other table" in row[0]]
    assert len(named) == 1, table
    return named[0][1:]


def test_the_documented_rights_are_those_granted(db):
    rows = documented_rights()
    assert len(rows) == 4
    chained = set(chained_tables())
    for table, (rights, columns) in table_rights().items():
        privileges, documented_columns = documented_for(table, rows, chained)
        assert privileges == {name.strip() for name in rights.split(",")}, table
        assert documented_columns == set(columns), table


@postgresql_only
def test_the_database_grants_what_the_threat_model_says(as_application_role):  # noqa: F811
    """What PostgreSQL itself answers for the application role, table by table and, for the
    heads, column by column."""
    rows, chained = documented_rights(), set(chained_tables())
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            privileges, columns = documented_for(table, rows, chained)
            for privilege in PRIVILEGES:
                cursor.execute("SELECT has_table_privilege(current_user, %s, %s)",
                               [table, privilege])
                assert cursor.fetchone()[0] == (privilege in privileges), (table, privilege)
        for column in ("table", "scheme", "last_id", "last_hash", "length", "signature"):
            cursor.execute("SELECT has_column_privilege(current_user, %s, %s, 'UPDATE')",
                           [HEADS, column])
            assert cursor.fetchone()[0] == (column in documented_for(HEADS, rows, chained)[1])
