"""Reading an uploaded system table (XLSX or CSV) into plain rows, safely.

An XLSX file is a zip archive: before openpyxl expands it, its members' declared sizes are
checked against ``REGISTRY_IMPORT_MAX_UNCOMPRESSED`` and each member's compression ratio
against ``REGISTRY_IMPORT_MAX_RATIO``, so a zip bomb is refused while it is still small. A
CSV cell written with the OWASP apostrophe (``'=SUM(A1)``) is read back as its original
text (``audit.spreadsheets.csv_unescape``).
"""

import csv
import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from audit.spreadsheets import csv_unescape

MAX_UPLOAD = 10 * 1024 * 1024          # bytes of the file as uploaded
MAX_UNCOMPRESSED = 200 * 1024 * 1024   # bytes of an XLSX's members once expanded
MAX_RATIO = 100                        # expanded / compressed, per member


class ImportFileError(Exception):
    """The file cannot be read as a system table; the message says why."""


def limit(name, default):
    return getattr(settings, f"REGISTRY_IMPORT_{name}", default)


def read_tables(content, name=""):
    """``[(sheet title, rows)]`` of the XLSX or CSV file ``content`` (bytes)."""
    if len(content) > limit("MAX_UPLOAD", MAX_UPLOAD):
        raise ImportFileError(_("The file is larger than %(size)d MB.")
                              % {"size": limit("MAX_UPLOAD", MAX_UPLOAD) // (1024 * 1024)})
    if content[:4] == b"PK\x03\x04":
        return _xlsx(content)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("This file cannot be read as an XLSX workbook."))
    return _csv(content, name)


def check_archive(content):
    """Refuse a zip whose members would expand beyond the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("This file cannot be read as an XLSX workbook.")) from exc
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > limit("MAX_UNCOMPRESSED", MAX_UNCOMPRESSED) or (
                member.file_size > 1024 * 1024 and ratio > limit("MAX_RATIO", MAX_RATIO)):
            raise ImportFileError(_(
                "The workbook would expand to far more than its size (%(member)s: %(ratio)d "
                "times); it is refused as a possible zip bomb.")
                % {"member": member.filename, "ratio": int(ratio)})


def _xlsx(content):
    from openpyxl import load_workbook

    check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable workbook
        raise ImportFileError(_("This file cannot be read as an XLSX workbook.")) from exc
    try:
        return [(sheet.title, list(sheet.iter_rows(values_only=True)))
                for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _csv(content, name):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("This file is neither an XLSX workbook nor a CSV file in "
                                "UTF-8 or GB 18030."))
    try:
        rows = [[csv_unescape(cell) for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise ImportFileError(_("This CSV file cannot be read: %(error)s")
                              % {"error": exc}) from exc
    return [(name.rsplit("/", 1)[-1] or "CSV", rows)]


# --- uploads kept between the preview and the confirmation --------------------------------
# Through Django's storage API (``STORAGES["default"]``), so the web server that took the
# upload and the worker that previews it may be different hosts (docs/deployment.md).

UPLOADS = "imports"
PREVIEW_MAX_AGE = 24 * 3600  # seconds an unconfirmed upload is kept


class StoredUpload:
    """An upload kept in the default storage under ``key`` (``imports/<token>.<ext>``)."""

    def __init__(self, key):
        self.key = key
        self.name = key.rsplit("/", 1)[-1]

    def read_bytes(self):
        from django.core.files.storage import default_storage

        with default_storage.open(self.key, "rb") as handle:
            return handle.read()

    def exists(self):
        from django.core.files.storage import default_storage

        return default_storage.exists(self.key)

    def size(self):
        from django.core.files.storage import default_storage

        return default_storage.size(self.key)

    def unlink(self, missing_ok=True):
        from django.core.files.storage import default_storage

        default_storage.delete(self.key)


def _listed():
    """The keys of the kept uploads."""
    from django.core.files.storage import default_storage

    try:
        _folders, files = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return []
    return [f"{UPLOADS}/{name}" for name in files]


def store_upload(content):
    """Keep an uploaded file until it is confirmed; returns its token."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    token = uuid.uuid4().hex
    suffix = "xlsx" if content[:4] == b"PK\x03\x04" else "csv"
    default_storage.save(f"{UPLOADS}/{token}.{suffix}", ContentFile(content))
    return token


def stored_upload(token):
    """The upload kept under ``token`` (a ``StoredUpload``), or None."""
    from django.core.files.storage import default_storage

    if not token or len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
        return None
    for suffix in ("xlsx", "csv"):
        if default_storage.exists(f"{UPLOADS}/{token}.{suffix}"):
            return StoredUpload(f"{UPLOADS}/{token}.{suffix}")
    return None


def sweep_uploads(max_age=None, now=None):
    """Delete the uploads (and their preview jobs) left unconfirmed for ``max_age`` seconds
    (default a day). Returns how many files were deleted."""
    import time
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from registry.models import ExportJob

    max_age = PREVIEW_MAX_AGE if max_age is None else max_age
    now = now or time.time()
    deleted = 0
    for key in _listed():
        if now - default_storage.get_modified_time(key).timestamp() > max_age:
            default_storage.delete(key)
            deleted += 1
    cutoff = timezone.now() - timedelta(seconds=max_age)
    ExportJob.objects.filter(kind=ExportJob.Kind.IMPORT_PREVIEW, created_at__lt=cutoff).delete()
    return deleted
