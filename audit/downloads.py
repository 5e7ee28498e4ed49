"""Names of downloaded files: what the file is, what it is about and the day, e.g.
``意见汇总处理表-社会保险报表管理规范-2026-11-30.xlsx``, in the user's language. The header
is written by Django's ``content_disposition_header``: an ASCII fallback plus the RFC 5987
``filename*=utf-8''…`` form that browsers use for Chinese names."""

import re

from django.utils import timezone
from django.utils.http import content_disposition_header

from audit.text import visible

# Characters no file system or browser accepts in a name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(*parts, extension, day=None):
    """``part-part-YYYY-MM-DD.extension`` with unsafe characters (and any control or
    invisible one, such as a right-to-left override) replaced by "_"."""
    day = day or timezone.localdate()
    words = [_UNSAFE.sub("_", visible(str(part), lines=False, replacement="_")).strip()
             for part in parts if part]
    return "-".join([*words, day.isoformat()]) + f".{extension}"


def as_download(response, *parts, extension, day=None):
    """Mark ``response`` as an attachment named by ``download_name``."""
    response["Content-Disposition"] = content_disposition_header(
        True, download_name(*parts, extension=extension, day=day))
    return response
