"""Least privilege on PostgreSQL: the application's role works, but cannot change history.

The test builds the deployment's two roles inside the test transaction (roles and
ownership changes are transactional on PostgreSQL, so nothing outlives the test)."""

import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.models import LogEntry
from audit.privileges import apply, grant_statements
from registry.actions import AddNode
from registry.models import Node

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                reason="roles and grants are PostgreSQL's")

HISTORY = Node.history.model._meta.db_table
LOG = LogEntry._meta.db_table


@pytest.fixture
def as_application_role(seeded):
    """Tables owned by a role without login; this connection then acts as the app role."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"registry_owner_{suffix}", f"registry_app_{suffix}"
    with connection.cursor() as cursor:
        # Check the deferred foreign keys of the seed now: ALTER TABLE refuses to run
        # with constraint checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CREATE ROLE {owner} NOLOGIN")
        cursor.execute(f"CREATE ROLE {app} NOLOGIN")
        apply(grant_statements(app, owner=owner))
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {app}")
        cursor.execute(f"SET ROLE {app}")
    try:
        yield app
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


ATTEMPTS = [
    f"UPDATE {HISTORY} SET name = 'x'",
    f"DELETE FROM {HISTORY}",
    f"TRUNCATE {HISTORY}",
    f"ALTER TABLE {HISTORY} DISABLE TRIGGER history_append_only",
    f"ALTER TABLE {HISTORY} DISABLE TRIGGER ALL",
    f"DROP TRIGGER history_append_only ON {HISTORY}",
    f"DROP TABLE {HISTORY}",
    f"UPDATE {LOG} SET reason = 'x'",
    f"DELETE FROM {LOG}",
    f"TRUNCATE {LOG}",
    "SET session_replication_role = replica",
    "DROP FUNCTION history_append_only() CASCADE",
]


@pytest.mark.parametrize("sql", ATTEMPTS)
def test_the_application_role_cannot_rewrite_history(as_application_role, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_the_application_role_still_works(as_application_role, office):
    node = AddNode(office, Node.objects.get(code="303"), "以应用角色添加", "最小权限").execute()
    node.name = "改名"
    node._change_reason = "最小权限"
    node.save()
    assert Node.history.filter(id=node.pk).count() == 2
    assert LogEntry.objects.filter(reason="最小权限").count() == 2


def test_history_db_roles_prints_the_sql(db, capsys):
    call_command("history_db_roles", "--roles", "--owner", "o", "--app", "a")
    sql = capsys.readouterr().out
    assert 'CREATE ROLE "o" NOLOGIN;' in sql
    assert f'GRANT SELECT, INSERT ON "{HISTORY}" TO "a";' in sql
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON "registry_node" TO "a";' in sql
