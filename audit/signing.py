"""Signing chains with the history key: chains written before the key existed (or the
audit log, which was not chained before) are verified as they are, then re-signed once.
The run itself is recorded (``SigningRun`` and its history row)."""

import getpass
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from audit.chain import (
    Kind,
    all_chained_models,
    head_signature,
    locked_head,
    row_digest,
    verify_table,
)
from audit.keys import history_key, key_id

BATCH = 500


class SigningRefused(Exception):
    """The unsigned chains have problems; sign only after looking at them."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) in the unsigned chains")
        self.problems = problems


def unsigned_chains():
    """(model, head) of every chain not signed with the history key."""
    from audit.models import ChainHead, Scheme

    heads = {head.table: head for head in ChainHead.objects.all()}
    chains = []
    for model in all_chained_models():
        head = heads.get(model._meta.db_table)
        if head is not None and head.scheme != Scheme.HMAC:
            chains.append((model, head))
    return chains


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
    from audit.models import Scheme

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


def sign_unsigned_chains(reason, operator=None, accept_problems=False):
    """Sign every unsigned chain, all or nothing. Returns the ``SigningRun`` (None when
    every chain is signed already); raises ``SigningRefused`` when an unsigned chain has
    problems and they were not accepted."""
    from audit.models import SigningRun

    with transaction.atomic():
        chains = unsigned_chains()
        if not chains:
            return None
        problems = [problem for model, _head in chains for problem in verify_table(model)[0]
                    if problem.kind != Kind.UNSIGNED]
        if problems and not accept_problems:
            raise SigningRefused(problems)
        key = history_key()
        rows = sum(resign(model, key) for model, _head in chains)
        run = SigningRun(
            started_at=timezone.now(), operator=operator or getpass.getuser(), reason=reason,
            key_id=key_id(key), tables=[model._meta.db_table for model, _head in chains],
            rows=rows, accepted_problems=[str(problem) for problem in problems],
        )
        run._change_reason = reason
        run.save()
        return run
