"""Appending to and verifying the hash chains of the history tables."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.apps import apps
from django.db import connection, transaction

SKIPPED = {"history_id", "prev_hash", "row_hash"}


def chained_models():
    from audit.models import ChainedHistory

    return [m for m in apps.get_models() if issubclass(m, ChainedHistory)]


def _value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


def row_digest(row, prev_hash):
    """SHA-256 of the previous link and every stored field of ``row`` but its own hash."""
    payload = {
        field.attname: _value(getattr(row, field.attname))
        for field in row._meta.concrete_fields
        if field.attname not in SKIPPED
    }
    text = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(row, save):
    """Link ``row`` to the head of its table's chain and save it, under the head's lock."""
    from audit.models import ChainHead

    table = row._meta.db_table
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(table=table).first()
        if head is None:  # the table's first row ever; unique(table) settles a race
            ChainHead.objects.get_or_create(table=table)
            head = ChainHead.objects.select_for_update().get(table=table)
        row.prev_hash = head.last_hash
        row.row_hash = row_digest(row, row.prev_hash)
        save()
        head.last_id, head.last_hash, head.length = row.pk, row.row_hash, head.length + 1
        head.save(update_fields=["last_id", "last_hash", "length"])


@dataclass
class Problem:
    table: str
    row_id: int | None
    time: datetime | None
    what: str

    def __str__(self):
        when = f"{self.time:%Y-%m-%d %H:%M:%S%z}" if self.time else "-"
        return f"{self.table} id={self.row_id} time={when}: {self.what}"


def verify_table(model):
    """Every problem in one table's chain (empty when intact)."""
    from audit.models import ChainHead

    table = model._meta.db_table
    problems = []
    previous_hash, previous_id, count = "", None, 0
    for row in model.objects.order_by("pk").iterator(chunk_size=2000):
        count += 1
        if row.prev_hash != previous_hash:
            problems.append(Problem(
                table, row.pk, row.history_date,
                "does not follow the row before it "
                f"(id {previous_id}): a row was removed or reordered",
            ))
        if row.row_hash != row_digest(row, row.prev_hash):
            problems.append(Problem(table, row.pk, row.history_date,
                                    "its content does not match its hash: altered"))
        previous_hash, previous_id = row.row_hash, row.pk
    head = ChainHead.objects.filter(table=table).first()
    if head and (head.last_id != previous_id or head.last_hash != previous_hash
                 or head.length != count):
        problems.append(Problem(
            table, head.last_id, None,
            f"the chain should end at id {head.last_id} after {head.length} rows, but ends "
            f"at id {previous_id} after {count}: rows were removed or added at the end",
        ))
    elif head is None and count:
        problems.append(Problem(table, None, None, "rows exist but the chain has no head"))
    return problems


def verify_all():
    return [problem for model in chained_models() for problem in verify_table(model)]


APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history rows are append-only (table %)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def install_append_only_triggers(using="default", **kwargs):
    """On PostgreSQL, reject UPDATE and DELETE on every history table (after migrate)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    existing = set(conn.introspection.table_names())
    with conn.cursor() as cursor:
        cursor.execute(APPEND_ONLY_FUNCTION)
        for model in chained_models():
            table = model._meta.db_table
            if table not in existing:
                continue
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER history_append_only BEFORE UPDATE OR DELETE "
                f"ON {connection.ops.quote_name(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION history_append_only()"
            )
