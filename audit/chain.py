"""Verifying the keyed hash chains of the history tables and the audit log
(docs/architecture.md, "Tamper evidence").

Each chained table has one chain: every row carries ``prev_hash`` (the row before it) and
``row_hash`` = HMAC-SHA256(history key, table, prev_hash, canonical content). Its
``ChainHead`` holds the newest link, the count and a signature over both.
"""

import hmac
from datetime import UTC

from django.db.models import Min
from django.utils.translation import gettext as _

from audit.anchors import read_anchors
from audit.chained import all_chained_models
from audit.digests import Scheme, head_signature, legacy_digest_matches, row_digest
from audit.keys import history_key
from audit.models import ChainHead, LogEntry, SigningRun
from audit.problems import Kind, Problem, Report


def _row_time(row):
    return getattr(row, "history_date", None) or getattr(row, "timestamp", None)


def _content_ok(scheme, row, key):
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


