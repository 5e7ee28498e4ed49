"""The seeded system, loaded once per test database and copied into each test that asks.

``seed_system()`` saves a few hundred records one by one, each with its history row and
chain hash: about a second a test, for the hundreds of tests that start from the seeded
system. Here it runs once, in a transaction that is rolled back, and the rows it wrote are
kept in memory; each test then inserts the same rows with one ``bulk_create`` per table.
The rows are those the database gave back, hashes and signatures included, so the history
verifies exactly as after a real seed.

When a copy cannot be the same as a real seed — the test wrote to one of those tables
first, or changed the organization or the history key — the test seeds for real. When the
rows the seed points to without writing them (content types) are no longer those it saw —
a transactional test flushed the database and they came back with new ids — the snapshot
is taken again.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction

from audit.keys import key_id
from registry.actions.seed import seed_system


@dataclass
class Snapshot:
    organization: str
    key: str
    counts: dict  # model → how many rows its table held before the seed
    added: dict  # model → rows the seed inserted
    references: dict  # model → rows the seed's rows point to but did not write (pk → values)

    def stale(self):
        """Whether a row the copied rows point to is gone or is another row now."""
        for model, rows in self.references.items():
            current = {row[model._meta.pk.attname]: row for row in model._base_manager.filter(
                pk__in=list(rows)).values(*[f.attname for f in model._meta.concrete_fields])}
            if current != rows:
                return True
        return False


def _models():
    return [model for model in apps.get_models(include_auto_created=True)
            if not model._meta.proxy and model._meta.managed]


def _rows(model):
    fields = [field.attname for field in model._meta.concrete_fields]
    return {row[model._meta.pk.attname]: row for row in model._base_manager.values(*fields)}


def take():
    """Seed in a transaction that is rolled back and keep what it wrote; None when the seed
    changed a row that was there before (a chain head the test had already advanced, say):
    inserting rows could not reproduce that, so such a test seeds for real."""
    models = _models()
    changed = False
    with transaction.atomic():
        baseline = {model: _rows(model) for model in models}
        seed_system()
        added = {}
        for model in models:
            before, after = baseline[model], _rows(model)
            changed = changed or any(after.get(pk) != row for pk, row in before.items())
            new = [row for pk, row in after.items() if pk not in before]
            if new:
                added[model] = new
        transaction.set_rollback(True)
    if changed:
        return None
    counts = {model: len(baseline[model]) for model in added}
    return Snapshot(settings.REGISTRY_ORGANIZATION, key_id(), counts, added,
                    _references(baseline, added))


def _references(baseline, added):
    """The rows from before the seed that its new rows point to."""
    references = {}
    for model, rows in added.items():
        for field in model._meta.concrete_fields:
            target = field.related_model if field.many_to_one or field.one_to_one else None
            if target is None:
                continue
            for row in rows:
                pk = row[field.attname]
                if pk is not None and pk in baseline.get(target, {}):
                    references.setdefault(target, {})[pk] = baseline[target][pk]
    return references


def _untouched(snapshot):
    """Whether the tables the seed writes still hold just what they held before it."""
    if settings.REGISTRY_ORGANIZATION != snapshot.organization or key_id() != snapshot.key:
        return False
    return all(model._base_manager.count() == count for model, count in snapshot.counts.items())


class Snapshots:
    """The current snapshot of a test database, taken again when it has gone stale."""

    def __init__(self):
        self.snapshot = take()

    def restore(self):
        if self.snapshot is None or self.snapshot.stale():
            self.snapshot = take()
        restore(self.snapshot)


def restore(snapshot):
    """The seeded system in this test's database: copied when it can be, else seeded."""
    if snapshot is None or not (_untouched(snapshot) and _copied(snapshot)):
        seed_system()


def _copied(snapshot):
    """Insert the snapshot's rows; False when a row the test made first holds one of the
    seed's ids or names. The ids need no sequence reset: they came from this database's own
    sequences, which the snapshot's rollback did not rewind (PostgreSQL) or which SQLite
    moves past explicit ids."""
    try:
        with transaction.atomic():
            for model, rows in snapshot.added.items():
                model._base_manager.bulk_create([model(**row) for row in rows])
    except IntegrityError:
        return False
    return True
