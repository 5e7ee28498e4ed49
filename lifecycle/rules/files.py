"""Checking uploaded files (project documents and attachments) by their content, never by
their name; ``CONTENT_TYPES`` is what a download of each format is served as."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SIZE = 50 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _zip_format(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return None


def detect_format(upload):
    """The format of an uploaded file from its bytes: pdf, doc, docx, xlsx or ofd.

    Raises ValidationError for anything else or anything over 50 MB."""
    if upload.size > MAX_SIZE:
        raise ValidationError(_("The file is larger than 50 MB."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == OLE_MAGIC:
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        found = _zip_format(upload)
        upload.seek(0)
        if found:
            return found
    raise ValidationError(_("Only PDF, DOC, DOCX, XLSX and OFD files are accepted; this "
                            "file's content is none of them."))

