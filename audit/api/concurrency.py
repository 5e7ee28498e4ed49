"""Optimistic concurrency for the API: a record's ``ETag`` is its version, and a write
sent with ``If-Match`` is refused with 412 (and the current version) when the record has
changed since.

The version of a record is ``audit.versions.version_of``, the id of its latest history
row: the same token as the edit pages' hidden version field.
"""

from django.db import transaction

from audit.api.errors import PreconditionFailed
from audit.versions import version_of


def etag(record):
    return f'"{version_of(record)}"'


def _wanted(request):
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    return {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}


def check_version(request, record):
    """Refuse (412) when ``If-Match`` names a version that is no longer the record's.
    Call inside the write's transaction, with the record's row locked, so that a second
    writer waits and then sees the first one's version. No ``If-Match``: no check."""
    wanted = _wanted(request)
    if wanted is None:
        return
    current = version_of(record)
    if current not in wanted:
        raise PreconditionFailed(current)


def locked(record):
    """Lock ``record``'s row until the transaction ends (``select_for_update``)."""
    list(type(record)._default_manager.select_for_update().filter(pk=record.pk))
    return record


def guarded(request, record, write):
    """Run ``write()`` if ``record`` is still at the version ``If-Match`` names, inside one
    transaction with the row locked; returns what ``write()`` returns."""
    with transaction.atomic():
        check_version(request, locked(record))
        return write()
