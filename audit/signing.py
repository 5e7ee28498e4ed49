"""Signing chains with the history key: chains written before the key existed (or the
audit log, which was not chained before) are verified as they are, then re-signed once.
The run itself is recorded (``SigningRun`` and its history row). A chain that was signed
once is never signed again: its unsigned head is a downgrade (``Kind.DOWNGRADED``)."""

import getpass
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from audit.actions import Action
from audit.anchors import read_anchors
from audit.chain import signing_evidence, verify_table
from audit.chained import all_chained_models, locked_head
from audit.digests import Scheme, head_signature, row_digest
from audit.keys import history_key, key_id
from audit.models import ChainHead, LogEntry, SigningRun
from audit.problems import Kind

BATCH = 500


class SigningRefused(Exception):
    """The unsigned chains have problems; sign only after looking at them."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) in the unsigned chains")
        self.problems = problems


class ChainsWereSigned(Exception):
    """Unsigned heads of chains that were signed once: downgraded, never to be signed
    again (that would sign what was written without the key)."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} chain(s) were signed once: "
                         + ", ".join(problem.table for problem in problems))
        self.problems = problems


class PlanChanged(Exception):
    """The unsigned chains are no longer those the operator was shown."""


@dataclass
class SigningPlan:
    """What ``sign_history`` would sign: each unsigned chain and its row count, the problems
    found in them, and the chains that may not be signed at all (downgraded)."""

    chains: list = field(default_factory=list)  # (model, rows)
    problems: list = field(default_factory=list)
    downgraded: list = field(default_factory=list)

    @property
    def summary(self):
        return [(model._meta.db_table, rows) for model, rows in self.chains]

    @property
    def rows(self):
        return sum(rows for _model, rows in self.chains)


def unsigned_chains():
    """The models of every chain not signed with the history key."""
    unsigned = set(ChainHead.objects.exclude(scheme=Scheme.HMAC).values_list("table", flat=True))
    return [model for model in all_chained_models() if model._meta.db_table in unsigned]


def signing_plan(anchors=None):
    """Verify every unsigned chain as it was written; nothing is changed."""
    if anchors is None:
        anchors = read_anchors()[0]
    signed = signing_evidence(anchors)
    plan = SigningPlan()
    for model in unsigned_chains():
        problems, rows = verify_table(model, anchors, signed)
        plan.chains.append((model, rows))
        plan.downgraded += [problem for problem in problems if problem.kind == Kind.DOWNGRADED]
        plan.problems += [problem for problem in problems
                          if problem.kind not in (Kind.UNSIGNED, Kind.DOWNGRADED)]
    return plan


def _lock_unsigned_heads():
    """Hold the heads of the unsigned chains from before they are verified until they are
    signed, so that no row joins them unverified (the log's first, as ``append`` does)."""
    if connection.features.has_select_for_update:
        list(ChainHead.objects.select_for_update().filter(table=LogEntry._meta.db_table))
        list(ChainHead.objects.select_for_update().exclude(scheme=Scheme.HMAC)
             .order_by("table"))


@contextmanager
def writable(table):
    """Lift the append-only trigger of one table for this transaction (PostgreSQL: only the
    table's owner may; run this as the role that runs migrations)."""
    if connection.vendor != "postgresql":
        yield
        return
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        # ALTER TABLE refuses to run while deferred foreign-key checks are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {quoted} DISABLE TRIGGER history_append_only")
        try:
            yield
        finally:
            cursor.execute(f"ALTER TABLE {quoted} ENABLE TRIGGER history_append_only")


def resign(model, key):
    """Re-link and re-sign every row of ``model``'s chain in id order; returns the count."""
    table = model._meta.db_table
    head = locked_head(table)
    previous, last_id, count, batch = "", None, 0, []
    with writable(table):
        for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
            row.prev_hash = previous
            row.row_hash = previous = row_digest(row, row.prev_hash, key)
            last_id, count = row.pk, count + 1
            batch.append(row)
            if len(batch) >= BATCH:
                model._base_manager.bulk_update(batch, ["prev_hash", "row_hash"])
                batch = []
        if batch:
            model._base_manager.bulk_update(batch, ["prev_hash", "row_hash"])
    head.scheme, head.last_id, head.last_hash, head.length = Scheme.HMAC, last_id, previous, count
    head.signature = head_signature(head, key)
    head.save()
    return count


class SignHistory(Action):
    """Sign every unsigned chain, all or nothing (``sign_history``). Returns the
    ``SigningRun`` (None when every chain is signed already). Raises ``ChainsWereSigned``
    when a chain was signed once (whatever else), ``PlanChanged`` when ``expected`` (the
    ``SigningPlan.summary`` the operator was shown) is no longer what would be signed, and
    ``SigningRefused`` when an unsigned chain has problems and they were not accepted.

    Whoever holds the history key and the owner's database role may sign (no permission of
    a user: the command runs as the operator, named in the record of the run)."""

    default_reason = ""

    def __init__(self, reason, operator=None, accept_problems=False, expected=None, user=None):
        super().__init__(user, reason)
        self.operator = operator or getpass.getuser()
        self.accept_problems, self.expected = accept_problems, expected

    def has_permission(self):
        return True

    def _execute(self):
        _lock_unsigned_heads()
        plan = signing_plan()
        if plan.downgraded:
            raise ChainsWereSigned(plan.downgraded)
        if self.expected is not None and plan.summary != list(self.expected):
            raise PlanChanged()
        if not plan.chains:
            return None
        if plan.problems and not self.accept_problems:
            raise SigningRefused(plan.problems)
        key = history_key()
        rows = sum(resign(model, key) for model, _rows in plan.chains)
        return self.save(SigningRun(
            started_at=timezone.now(), operator=self.operator, reason=self.reason,
            key_id=key_id(key), tables=[table for table, _rows in plan.summary],
            rows=rows, accepted_problems=[str(problem) for problem in plan.problems],
        ))
