"""Appending to the keyed hash chains of the history tables and the audit log, and
verifying them (docs/architecture.md, "History you can trust").

Each chained table has one chain: every row carries ``prev_hash`` (the row before it) and
``row_hash`` = HMAC-SHA256(history key, table, prev_hash, canonical content). Its
``ChainHead`` holds the newest link, the count and a signature over both.
"""

import functools
import hashlib
import hmac
import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import connection, connections, transaction
from django.db.models import Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.canonical import payload
from audit.keys import history_key

CHAIN_FIELDS = {"prev_hash", "row_hash"}


def chained_models():
    """The history models of every tracked model (what the history pages show)."""
    from audit.models import ChainedHistory

    return [m for m in apps.get_models() if issubclass(m, ChainedHistory)]


def all_chained_models():
    """Every chained table: the history models and the audit log."""
    from audit.models import Chained

    return [m for m in apps.get_models() if issubclass(m, Chained)]


# --- digests -------------------------------------------------------------------------

def _skipped(model):
    return CHAIN_FIELDS | {model._meta.pk.attname}


def row_digest(row, prev_hash, key=None):
    """HMAC of the previous link and every stored field of ``row`` but its id and hashes."""
    message = "\n".join((row._meta.db_table, prev_hash, payload(row, _skipped(row))))
    return hmac.new(key or history_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def head_signature(head, key=None):
    message = "\n".join(
        ("head", head.table, str(head.last_id), head.last_hash, str(head.length), head.scheme)
    )
    return hmac.new(key or history_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def _legacy_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


LEGACY_SKIPPED = {"history_id", "prev_hash", "row_hash"}


@functools.cache
def legacy_columns():
    """Each history table's columns in the first version (commit 2f0f7d0), which hashed
    them all, nulls included: a column added since is not part of an unkeyed digest."""
    return json.loads((Path(__file__).with_name("legacy_columns.json")).read_text())


def _legacy_values(row):
    columns = legacy_columns().get(row._meta.db_table)
    return {f.attname: _legacy_value(getattr(row, f.attname))
            for f in row._meta.concrete_fields
            if f.attname not in LEGACY_SKIPPED and (columns is None or f.attname in columns)}


def _legacy_hash(values, prev_hash):
    text = prev_hash + json.dumps(values, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def legacy_digest(row, prev_hash):
    """The unkeyed SHA-256 the first version wrote (values as they were in memory)."""
    return _legacy_hash(_legacy_values(row), prev_hash)


def _decimal_forms(field, value):
    """The forms a decimal may have had in memory when the unkeyed hash was taken: as
    typed ("8", "8.0"), normalised, or an int default."""
    forms = {str(value.quantize(Decimal(1).scaleb(-places)))
             for places in range(field.decimal_places + 1)}
    forms.add(str(value.normalize()))
    candidates = list(forms)
    if value == value.to_integral_value():
        candidates.append(int(value))
    return candidates


def legacy_digest_matches(row, prev_hash, row_hash):
    """Whether ``row_hash`` is the unkeyed hash of ``row`` for some in-memory form of its
    decimals: the first version hashed ``Decimal("8")`` where the database returns
    ``Decimal("8.0")``, so only the form may differ, never the value."""
    values = _legacy_values(row)
    if _legacy_hash(values, prev_hash) == row_hash:
        return True
    decimals = [(f.attname, _decimal_forms(f, getattr(row, f.attname)))
                for f in row._meta.concrete_fields
                if f.get_internal_type() == "DecimalField" and f.attname in values
                and getattr(row, f.attname) is not None]
    for combination in itertools.product(*(forms for _name, forms in decimals)):
        values.update(zip((name for name, _forms in decimals), combination, strict=True))
        if _legacy_hash(values, prev_hash) == row_hash:
            return True
    return False


def digest_for(scheme, row, prev_hash):
    from audit.models import Scheme

    if scheme == Scheme.HMAC:
        return row_digest(row, prev_hash)
    if scheme == Scheme.LEGACY:
        return legacy_digest(row, prev_hash)
    return ""


# --- appending -----------------------------------------------------------------------

def locked_head(table):
    """The chain head of ``table``, locked for this transaction (created if new)."""
    from audit.models import ChainHead

    head = ChainHead.objects.select_for_update().filter(table=table).first()
    if head is None:  # the table's first row ever; unique(table) settles a race
        ChainHead.objects.get_or_create(
            table=table, defaults={"signature": head_signature(ChainHead(table=table))})
        head = ChainHead.objects.select_for_update().get(table=table)
    return head


def append(row, save):
    """Link ``row`` to the head of its table's chain and save it, under the head's lock."""
    from audit.models import LogEntry, Scheme

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


# --- verifying -----------------------------------------------------------------------

class Kind:
    """What is wrong with a chain, as ``verify_history`` names it (stable, for monitoring)."""

    ALTERED = "altered"
    REMOVED = "removed"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    UNSIGNED = "unsigned"
    DOWNGRADED = "downgraded"
    ANCHOR_MISMATCH = "anchor mismatch"

    LABELS = {
        ALTERED: gettext_lazy("altered"), REMOVED: gettext_lazy("removed"),
        REORDERED: gettext_lazy("reordered"), TRUNCATED: gettext_lazy("truncated"),
        UNSIGNED: gettext_lazy("unsigned"), DOWNGRADED: gettext_lazy("downgraded"),
        ANCHOR_MISMATCH: gettext_lazy("anchor mismatch"),
    }


@dataclass
class Problem:
    table: str
    row_id: int | None
    time: datetime | None
    kind: str
    detail: str

    def __str__(self):
        when = f"{self.time:%Y-%m-%d %H:%M:%S%z}" if self.time else "-"
        row = self.row_id if self.row_id is not None else "-"
        return f"[{Kind.LABELS[self.kind]}] {self.table} id={row} time={when}: {self.detail}"

    def as_dict(self):
        return {"table": self.table, "row_id": self.row_id, "kind": self.kind,
                "time": self.time.isoformat() if self.time else None, "detail": self.detail}


@dataclass
class Report:
    problems: list = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    anchors: int = 0
    anchors_skipped: int = 0  # anchors of other databases in the same directory

    @property
    def intact(self):
        return not self.problems


def _row_time(row):
    return getattr(row, "history_date", None) or getattr(row, "timestamp", None)


def _content_ok(scheme, row, key):
    from audit.models import Scheme

    if scheme == Scheme.HMAC:
        return hmac.compare_digest(row.row_hash, row_digest(row, row.prev_hash, key))
    if scheme == Scheme.LEGACY:
        return legacy_digest_matches(row, row.prev_hash, row.row_hash)
    return True


def signing_evidence(anchors=()):
    """Why no chain of this database may be unsigned any more (empty: it may still hold
    chains from before the history key). Chains are unsigned only in a database upgraded
    from before the key and not signed yet, whose audit log migration 0002 marked unsigned
    (every history row of that release has a log entry). A signing run signs every unsigned
    chain at once, new chains are signed from their first row, and an anchor is written only
    of a history without problems: after any of them, an unsigned head is a downgrade."""
    from audit.models import ChainHead, LogEntry, Scheme, SigningRun

    reasons = []
    # A run's history row outlives the run itself (the history is append-only).
    runs = [time for time in (
        SigningRun.history.aggregate(first=Min("started_at"))["first"],
        SigningRun.objects.aggregate(first=Min("started_at"))["first"]) if time is not None]
    if runs:
        reasons.append(_("the history was signed by sign_history on %(time)s") % {
            "time": f"{min(runs).astimezone(UTC):%Y-%m-%d %H:%M:%S%z}"})
    if anchors:
        reasons.append(_("an anchor of this database was written on %(time)s") % {
            "time": anchors[0].label})
    if ChainHead.objects.filter(table=LogEntry._meta.db_table, scheme=Scheme.HMAC).exists():
        reasons.append(_("the audit log is signed with the history key"))
    return reasons


def verify_table(model, anchors=(), signed=None):
    """Every problem of one table's chain, checked row by row, against its head and
    against every anchor (empty when intact). ``signed``: ``signing_evidence()``, when the
    caller verifies several tables. Returns (problems, row count)."""
    from audit.models import ChainHead, Scheme

    table = model._meta.db_table
    head = ChainHead.objects.filter(table=table).first()
    scheme = head.scheme if head else Scheme.HMAC
    key = history_key()
    problems = []
    index, hashes, broken_links = {}, set(), []
    previous_hash, previous_id, count = "", None, 0
    # An unsigned head: why it may not be (``signing_evidence``, and the first row the key
    # signed), the rows the key did not sign, and of those the rows its scheme does not match
    # either (needed only while nothing says the chain was signed).
    evidence = [] if scheme == Scheme.HMAC else list(
        signing_evidence(anchors) if signed is None else signed)
    signed_row, not_signed, bad_as_written = None, [], []
    for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        count += 1
        index[row.pk] = (count, row.row_hash)
        hashes.add(row.row_hash)
        if row.prev_hash != previous_hash:
            broken_links.append((row, previous_id))
        if scheme == Scheme.HMAC:
            if not _content_ok(scheme, row, key):
                problems.append(Problem(table, row.pk, _row_time(row), Kind.ALTERED,
                                        _("its content does not match its signature")))
        elif _content_ok(Scheme.HMAC, row, key):
            signed_row = signed_row or row.pk
        else:
            not_signed.append((row.pk, _row_time(row)))
            if not (evidence or signed_row) and not _content_ok(scheme, row, key):
                bad_as_written.append((row.pk, _row_time(row)))
        previous_hash, previous_id = row.row_hash, row.pk
    if signed_row is not None:
        evidence.append(_("row %(id)s of the chain is signed with the history key")
                        % {"id": signed_row})
    if evidence:  # a downgraded chain is checked as the signed chain it was
        problems += [Problem(table, pk, time, Kind.ALTERED, _(
            "it is not signed with the history key, in a chain that was signed"))
            for pk, time in not_signed]
    else:
        problems += [Problem(table, pk, time, Kind.ALTERED,
                             _("its content does not match its signature"))
                     for pk, time in bad_as_written]
    for row, before in broken_links:
        if row.prev_hash in hashes or row.prev_hash == "":
            problems.append(Problem(table, row.pk, _row_time(row), Kind.REORDERED, _(
                "it does not follow the row before it (id %(id)s) but another row: rows "
                "were reordered") % {"id": before}))
        else:
            problems.append(Problem(table, row.pk, _row_time(row), Kind.REMOVED, _(
                "the row it follows is gone (the row before it now is id %(id)s): a row "
                "was removed") % {"id": before}))
    problems += _head_problems(table, head, scheme, index, previous_id, count, evidence)
    problems += _anchor_problems(table, anchors, index)
    return problems, count


def _head_problems(table, head, scheme, index, last_id, count, evidence=()):
    from audit.models import Scheme

    if head is None:
        if count:
            return [Problem(table, None, None, Kind.REMOVED,
                            _("rows exist but the chain's head is missing"))]
        return []
    problems = []
    if evidence:
        problems.append(Problem(table, None, None, Kind.DOWNGRADED, _(
            "the chain's head says it is not signed (%(scheme)s), but the chain was signed "
            "(%(evidence)s): the head was downgraded so that rows written without the key "
            "would pass. Do not sign it: compare it with a backup and restore it") % {
                "scheme": head.scheme, "evidence": "; ".join(evidence)}))
    elif scheme != Scheme.HMAC and count:
        problems.append(Problem(table, None, None, Kind.UNSIGNED, _(
            "the chain is not signed with the history key yet: run "
            "`manage.py sign_history`")))
    if scheme == Scheme.HMAC and not hmac.compare_digest(head.signature, head_signature(head)):
        problems.append(Problem(table, head.last_id, None, Kind.ALTERED,
                                _("the chain's head does not match its signature")))
    if head.length > count or (head.last_id is not None and head.last_id not in index):
        problems.append(Problem(table, head.last_id, None, Kind.TRUNCATED, _(
            "the chain should end at id %(head_id)s after %(length)s rows but ends at id "
            "%(last_id)s after %(count)s: rows were removed at the end") % {
                "head_id": head.last_id, "length": head.length, "last_id": last_id,
                "count": count}))
    elif (head.last_id, head.length) != (last_id, count):
        problems.append(Problem(table, last_id, None, Kind.ALTERED, _(
            "the chain should end at id %(head_id)s after %(length)s rows but goes on to id "
            "%(last_id)s (%(count)s rows): rows were added outside the application") % {
                "head_id": head.last_id, "length": head.length, "last_id": last_id,
                "count": count}))
    return problems


def _anchor_problems(table, anchors, index):
    problems = []
    for anchor in anchors:
        entry = anchor.heads.get(table)
        if not entry or entry["last_id"] is None:
            continue
        found = index.get(entry["last_id"])
        if found is None:
            problems.append(Problem(table, entry["last_id"], anchor.time, Kind.TRUNCATED, _(
                "row %(id)s ended the chain when it was anchored at %(time)s and is gone: "
                "the table was truncated or its tail deleted") % {
                    "id": entry["last_id"], "time": anchor.label}))
        elif found != (entry["length"], entry["last_hash"]):
            problems.append(Problem(table, entry["last_id"], anchor.time, Kind.ANCHOR_MISMATCH, _(
                "row %(id)s does not match the anchor of %(time)s: the history up to it was "
                "rewritten or rows before it removed") % {
                    "id": entry["last_id"], "time": anchor.label}))
    return problems


def verify_all(anchors=None):
    """Verify every chain, against every anchor (read from the anchor directory when
    ``anchors`` is None). Returns a ``Report``."""
    from audit.anchors import read_anchors

    report = Report()
    if anchors is None:
        anchors, anchor_problems, report.anchors_skipped = read_anchors()
        report.problems += anchor_problems
    report.anchors = len(anchors)
    signed = signing_evidence(anchors)
    for model in all_chained_models():
        problems, rows = verify_table(model, anchors, signed)
        report.problems += problems
        report.tables += 1
        report.rows += rows
    return report


# --- PostgreSQL: append-only at the database -----------------------------------------

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history rows are append-only (table %)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def chained_tables(using="default"):
    existing = set(connections[using].introspection.table_names())
    return [m._meta.db_table for m in all_chained_models() if m._meta.db_table in existing]


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
    from audit.models import ChainHead

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
    from audit.privileges import apply_configured_grants

    apply_configured_grants(using)
