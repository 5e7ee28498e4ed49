"""What makes a table a chain: the abstract ``Chained`` rows (the audit log and, through
``ChainedHistory``, every history table), and appending a row to its table's chain under
the lock of the chain's head (docs/architecture.md, "Tamper evidence")."""

from django.apps import apps
from django.db import connection, connections, models, transaction

from audit.digests import Scheme, digest_for, head_signature


class HistoryAppendOnly(Exception):
    """History rows are never changed or removed once written."""


class Chained(models.Model):
    """A row of an append-only, keyed hash chain: ``row_hash`` is an HMAC (under the
    history key, which is not in the database) of the row's canonical content and of the
    previous row's ``row_hash``. A row altered, removed or reordered, or a chain rewritten
    without the key, is found by ``manage.py verify_history``."""

    prev_hash = models.CharField(max_length=64, editable=False, default="")
    row_hash = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryAppendOnly("History rows are append-only.")
        append(self, lambda: super(Chained, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise HistoryAppendOnly("History rows are append-only.")


class ChainedHistory(Chained):
    """Base of every historical model (``tracked()``)."""

    class Meta:
        abstract = True


def locked_head(table):
    """The chain head of ``table``, locked for this transaction (created if new)."""
    # audit.models defines its tables on this module's bases: looked up when called.
    ChainHead = apps.get_model("audit", "ChainHead")
    head = ChainHead.objects.select_for_update().filter(table=table).first()
    if head is None:  # the table's first row ever; unique(table) settles a race
        ChainHead.objects.get_or_create(
            table=table, defaults={"signature": head_signature(ChainHead(table=table))})
        head = ChainHead.objects.select_for_update().get(table=table)
    return head


def append(row, save):
    """Link ``row`` to the head of its table's chain and save it, under the head's lock."""
    # audit.models defines its tables on this module's bases: looked up when called.
    LogEntry = apps.get_model("audit", "LogEntry")
    # No savepoint: a row that cannot be chained must fail the whole write it belongs to,
    # and two savepoint round trips per row are a third of what a save with history costs.
    with transaction.atomic(savepoint=False):
        if connection.features.has_select_for_update and not isinstance(row, LogEntry):
            # Every history row is followed by a log entry: take the log's head first, so
            # all writers lock heads in one order (log, then table) and two transactions
            # writing two tables in opposite orders cannot deadlock.
            locked_head(LogEntry._meta.db_table)
        head = locked_head(row._meta.db_table)
        row.prev_hash = head.last_hash
        row.row_hash = digest_for(head.scheme, row, row.prev_hash)
        save()
        head.last_id, head.last_hash, head.length = row.pk, row.row_hash, head.length + 1
        head.signature = head_signature(head) if head.scheme == Scheme.HMAC else ""
        head.save(update_fields=["last_id", "last_hash", "length", "signature"])


def chained_models():
    """The history models of every tracked model (what the history pages show)."""
    return [m for m in apps.get_models() if issubclass(m, ChainedHistory)]


def all_chained_models():
    """Every chained table: the history models and the audit log."""
    return [m for m in apps.get_models() if issubclass(m, Chained)]


def chained_tables(using="default"):
    existing = set(connections[using].introspection.table_names())
    return [m._meta.db_table for m in all_chained_models() if m._meta.db_table in existing]
