"""Least privilege on PostgreSQL: an owner role without login owns the tables, triggers and
functions and runs migrations; the application's role may only read and append to the
history and log tables, so it cannot update, delete or truncate them, nor disable or drop
their triggers (only a table's owner may alter it). It moves a chain's head forward but
cannot write its scheme, nor remove it. docs/deployment.md shows the set-up and the
threat model (what the application role can and cannot do).
"""

from django.conf import settings
from django.db import connections

from audit.chained import chained_tables
from audit.models import ChainHead, SigningRun


def _quoter(using="default"):
    return connections[using].ops.quote_name


def role_statements(owner, app, database, password="CHANGE-ME"):
    """Run once, as a superuser: the two roles and the database's ownership."""
    q = _quoter()
    return [
        f"CREATE ROLE {q(owner)} NOLOGIN",
        f"CREATE ROLE {q(app)} LOGIN PASSWORD '{password}'",
        f"ALTER DATABASE {q(database)} OWNER TO {q(owner)}",
        f"ALTER SCHEMA public OWNER TO {q(owner)}",
        f"REVOKE ALL ON DATABASE {q(database)} FROM PUBLIC",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {q(database)} TO {q(app)}",
        f"GRANT USAGE ON SCHEMA public TO {q(app)}",
    ]


# What ``append()`` writes to a chain's head: never its table or its scheme.
HEAD_COLUMNS = ("last_id", "last_hash", "length", "signature")


def table_rights(using="default"):
    """{table: (table privileges, columns it may UPDATE)} of the application role."""
    chained = set(chained_tables(using))
    # Written only by the owner: migrations, and sign_history's record of its runs.
    read_only = {"django_migrations", SigningRun._meta.db_table}
    rights = {}
    for table in sorted(connections[using].introspection.table_names()):
        if table in chained:
            rights[table] = ("SELECT, INSERT", ())  # append-only: no UPDATE, DELETE, TRUNCATE
        elif table == ChainHead._meta.db_table:
            rights[table] = ("SELECT, INSERT", HEAD_COLUMNS)  # and the trigger's rules
        elif table in read_only:
            rights[table] = ("SELECT", ())
        else:
            rights[table] = ("SELECT, INSERT, UPDATE, DELETE", ())
    return rights


def grant_statements(app, owner=None, using="default"):
    """Run after every migrate, as the owner: what the application role may do on each
    table. ``owner`` also hands every table and sequence to the owner role first."""
    q = _quoter(using)
    statements = []
    for table, (rights, columns) in table_rights(using).items():
        if owner:
            statements.append(f"ALTER TABLE {q(table)} OWNER TO {q(owner)}")
        # Also revokes every column privilege on the table.
        statements.append(f"REVOKE ALL ON {q(table)} FROM {q(app)}")
        statements.append(f"GRANT {rights} ON {q(table)} TO {q(app)}")
        if columns:
            statements.append(f"GRANT UPDATE ({', '.join(q(c) for c in columns)}) "
                              f"ON {q(table)} TO {q(app)}")
    if owner:  # identity sequences follow their table's owner
        statements.append(f"ALTER FUNCTION history_append_only() OWNER TO {q(owner)}")
        statements.append(f"ALTER FUNCTION chain_head_guard() OWNER TO {q(owner)}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q(app)}")
    return statements


def apply(statements, using="default"):
    with connections[using].cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def apply_configured_grants(using="default"):
    """After migrate: re-apply the application role's rights when one is configured
    (``REGISTRY_DB_APP_ROLE``), so tables added by a migration get the right ones."""
    app = getattr(settings, "REGISTRY_DB_APP_ROLE", "")
    if app and connections[using].vendor == "postgresql":
        apply(grant_statements(app, using=using), using)
