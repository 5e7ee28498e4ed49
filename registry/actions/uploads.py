"""Uploads kept between an import's preview and its confirmation.

Through Django's storage API (``STORAGES["default"]``), so the web server that took the
upload and the worker that previews it may be different hosts (docs/deployment.md). Keeping
and sweeping them writes files (and deletes the preview jobs of swept uploads), not records
of the system: plain functions, no history."""

import time
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from registry.models import ImportJob

UPLOADS = "imports"
PREVIEW_MAX_AGE = 24 * 3600  # seconds an unconfirmed upload is kept


class StoredUpload:
    """An upload kept in the default storage under ``key`` (``imports/<token>.<ext>``)."""

    def __init__(self, key):
        self.key = key
        self.name = key.rsplit("/", 1)[-1]

    def read_bytes(self):
        with default_storage.open(self.key, "rb") as handle:
            return handle.read()

    def exists(self):
        return default_storage.exists(self.key)

    def unlink(self, missing_ok=True):
        default_storage.delete(self.key)


def _listed():
    """The keys of the kept uploads."""
    try:
        _folders, files = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return []
    return [f"{UPLOADS}/{name}" for name in files]


def store_upload(content):
    """Keep an uploaded file until it is confirmed; returns its token."""
    token = uuid.uuid4().hex
    suffix = "xlsx" if content[:4] == b"PK\x03\x04" else "csv"
    default_storage.save(f"{UPLOADS}/{token}.{suffix}", ContentFile(content))
    return token


def stored_upload(token):
    """The upload kept under ``token`` (a ``StoredUpload``), or None."""
    if not token or len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
        return None
    for suffix in ("xlsx", "csv"):
        if default_storage.exists(f"{UPLOADS}/{token}.{suffix}"):
            return StoredUpload(f"{UPLOADS}/{token}.{suffix}")
    return None


def sweep_uploads(max_age=None, now=None):
    """Delete the uploads (and their preview jobs) left unconfirmed for ``max_age`` seconds
    (default a day). Returns how many files were deleted."""
    max_age = PREVIEW_MAX_AGE if max_age is None else max_age
    now = now or time.time()
    deleted = 0
    for key in _listed():
        if now - default_storage.get_modified_time(key).timestamp() > max_age:
            default_storage.delete(key)
            deleted += 1
    cutoff = timezone.now() - timedelta(seconds=max_age)
    ImportJob.objects.filter(kind=ImportJob.Kind.IMPORT_PREVIEW, created_at__lt=cutoff).delete()
    return deleted
