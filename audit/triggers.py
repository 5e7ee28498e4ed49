"""On PostgreSQL, the database itself keeps the chains append-only: a trigger on every
chained table rejects UPDATE and DELETE, and one on the heads lets a head only move forward
and stay signed once signed. Installed after every migrate (``AuditConfig.ready()``)."""

from django.db import connections

from audit.chained import chained_tables
from audit.models import ChainHead
from audit.privileges import apply_configured_grants

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history rows are append-only (table %)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


# The head of a chain moves only forward and stays signed once signed, whoever writes it
# (the application role may not even write its scheme: ``audit.privileges``). Signing a chain
# from before the key (scheme to HMAC) is the only change of scheme; a head is never removed.
CHAIN_HEAD_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION chain_head_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the head of a history chain is never removed (%)', OLD."table"
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.scheme <> 'hmac-sha256' THEN
            RAISE EXCEPTION 'a new history chain is signed from its first row (%)', NEW."table"
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW."table" <> OLD."table" THEN
        RAISE EXCEPTION 'a chain head stays with its table (%)', OLD."table"
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.scheme <> OLD.scheme AND NEW.scheme <> 'hmac-sha256' THEN
        RAISE EXCEPTION 'the chain of % was signed: its head cannot be downgraded to %',
            OLD."table", NEW.scheme USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.scheme = 'hmac-sha256' AND NEW.length < OLD.length THEN
        RAISE EXCEPTION 'the head of % cannot go back from % to % rows', OLD."table",
            OLD.length, NEW.length USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def install_append_only_triggers(using="default", **kwargs):
    """On PostgreSQL, reject UPDATE and DELETE on every chained table, and any move of a
    chain head but forward (after every migrate). TRUNCATE is the owner's alone: the
    application role has no right to it (``audit.privileges``), and the test runner's flush
    needs it."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    quote = conn.ops.quote_name
    heads = ChainHead._meta.db_table
    with conn.cursor() as cursor:
        cursor.execute(APPEND_ONLY_FUNCTION)
        for table in chained_tables(using):
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER history_append_only BEFORE UPDATE OR DELETE "
                f"ON {quote(table)} FOR EACH ROW EXECUTE FUNCTION history_append_only()"
            )
        # Only once heads have a scheme (migration audit 0002), which the guard reads.
        if heads in conn.introspection.table_names(cursor) and "scheme" in {
                column.name for column in conn.introspection.get_table_description(
                    cursor, heads)}:
            cursor.execute(CHAIN_HEAD_GUARD_FUNCTION)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER chain_head_guard BEFORE INSERT OR UPDATE OR "
                f"DELETE ON {quote(heads)} FOR EACH ROW EXECUTE FUNCTION chain_head_guard()")
    apply_configured_grants(using)
