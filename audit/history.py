"""History for every model: ``tracked()`` configures django-simple-history with hash-chained,
append-only rows; ``chain`` appends and verifies; ``diff`` renders versions for people."""

from simple_history.models import HistoricalRecords

from audit.chained import ChainedHistory


def tracked(bases=None, **options):
    """The ``history`` field every model of catalog, registry and lifecycle declares."""
    return HistoricalRecords(bases=bases or [ChainedHistory], **options)
