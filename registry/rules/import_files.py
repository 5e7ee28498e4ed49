"""Reading an uploaded system table (XLSX or CSV) into plain rows, safely.

An XLSX file is a zip archive. Before openpyxl touches it, ``check_upload`` (cheap enough for
the upload request) refuses it when its members' declared sizes add up to more than
``REGISTRY_IMPORT_MAX_UNCOMPRESSED``, when a member expands more than ``REGISTRY_IMPORT_MAX_RATIO``
times, or when a streaming pass over its XML — not the ``<dimension>`` a sheet declares —
finds more than ``REGISTRY_IMPORT_MAX_SHEETS`` sheets or more than ``REGISTRY_IMPORT_MAX_CELLS``
cells. Cells are counted from above, as openpyxl will fill them: every XML element counts, a
row as wide as its last cell (one cell in column XFD is 16,384), missing rows too. The
upload request refuses the audit's split bomb (60 sheets of just under 1 MiB) and wide rows
(20,000 rows reaching column XFD) in hundredths of a second. ``read_tables`` (run by a
worker) checks again and reads in full only the sheets the import needs. A CSV is bounded by
the same cell count and ``REGISTRY_IMPORT_MAX_COLUMNS``. A CSV cell written with the OWASP
apostrophe (``'=SUM(A1)``) is read back as its original text (``audit.spreadsheets.csv_unescape``).
``ImportLimits`` bounds the time and memory of a job that reads and plans an upload.
"""

import csv
import io
import os
import re
import resource
import time
import zipfile
import zlib
from collections import deque
from contextlib import suppress
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from audit.spreadsheets import csv_unescape

MAX_UPLOAD = 10 * 1024 * 1024          # bytes of the file as uploaded
MAX_UNCOMPRESSED = 50 * 1024 * 1024    # bytes of an XLSX's members once expanded, together
MAX_RATIO = 100                        # expanded / compressed, per member over 1 MiB
MAX_SHEETS = 20                        # sheets of a workbook
MAX_CELLS = 1_000_000                  # cells of all sheets together (see _Scan)
MAX_COLUMNS = 200                      # columns of a CSV row
MAX_PARTS = 1000                       # members of an XLSX archive (a table has about ten)
ENCRYPTED = 0x1                        # the zip flag bit of an encrypted member

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROW, SHEET = f"{SHEET_NS} row", f"{SHEET_NS} sheet"
CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?[0-9]+$")


class ImportFileError(Exception):
    """The file cannot be read as a system table; the message says why."""


def limit(name, default):
    return getattr(settings, f"REGISTRY_IMPORT_{name}", default)


def _unreadable():
    return ImportFileError(_("This file cannot be read as an XLSX workbook."))


def _too_many_cells():
    return ImportFileError(_(
        "The file has more than %(limit)s cells (each row counted up to its last cell, each "
        "XML element as one); a system table has far fewer, so it is refused.")
        % {"limit": f"{limit('MAX_CELLS', MAX_CELLS):,}"})


def too_large():
    """The refusal of a file over ``REGISTRY_IMPORT_MAX_UPLOAD``."""
    return ImportFileError(_("The file is larger than %(size)d MB.")
                           % {"size": limit("MAX_UPLOAD", MAX_UPLOAD) // (1024 * 1024)})


def _is_xlsx(content, name):
    """Whether ``content`` is a workbook (a zip) rather than a CSV; refuses one too large, or
    named as a workbook without being one."""
    if len(content) > limit("MAX_UPLOAD", MAX_UPLOAD):
        raise too_large()
    if content[:4] == b"PK\x03\x04":
        return True
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise _unreadable()
    return False


def check_upload(content, name=""):
    """Refuse, with the reason, a file too large to read safely; cheap enough for the upload
    request (nothing is kept in memory but the counts)."""
    if _is_xlsx(content, name):
        check_archive(content)
    else:
        deque(_csv_rows(_csv_text(content)), maxlen=0)  # every row counted, none kept


def read_tables(content, name="", wanted=None, progress=None):
    """``[(sheet title, rows)]`` of the XLSX or CSV file ``content`` (bytes). ``wanted``,
    given ``[(sheet title, header row)]``, returns the indexes of the sheets to read in full
    (``registry.rules.imports.wanted_sheets``); the others are read up to their header. ``progress``
    is called every thousand rows (a job checks its time limit there). The checks of
    ``check_upload`` are made again here (the upload may have been kept for a day, or come
    from the command line), in the same pass for a CSV."""
    if _is_xlsx(content, name):
        check_archive(content)
        return _xlsx(content, wanted, progress)
    return [(name.rsplit("/", 1)[-1] or "CSV", list(_csv_rows(_csv_text(content))))]


def check_archive(content):
    """Refuse a zip that would expand beyond the limits, before anything is expanded: its
    central directory first (declared sizes, which ``zipfile`` never reads past), then one
    streaming pass over every member counting sheets and cells."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _unreadable() from exc
    if len(members) > MAX_PARTS:
        raise _unreadable()
    total = sum(member.file_size for member in members)
    if total > limit("MAX_UNCOMPRESSED", MAX_UNCOMPRESSED):
        raise ImportFileError(_(
            "The workbook would expand to more than %(size)d MB; it is refused as a possible "
            "zip bomb.") % {"size": limit("MAX_UNCOMPRESSED", MAX_UNCOMPRESSED) // 2**20})
    for member in members:
        # Excel, WPS and openpyxl store or deflate every part, never encrypt one; zipfile
        # could not read another method, nor an encrypted part without its password.
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or (
                member.flag_bits & ENCRYPTED):
            raise ImportFileError(_(
                "The part %(member)s of the workbook is encrypted or compressed in a way an "
                "XLSX file never is; the file is refused.") % {"member": member.filename})
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > limit("MAX_RATIO", MAX_RATIO):
            raise ImportFileError(_(
                "The workbook would expand to far more than its size (%(member)s: %(ratio)d "
                "times); it is refused as a possible zip bomb.")
                % {"member": member.filename, "ratio": int(ratio)})
    counts = _Counts()
    try:
        for member in members:
            with archive.open(member) as stream:
                _Scan(counts).feed(stream)
    # A damaged archive: a bad header or checksum, a broken deflate stream, or one that ends
    # before its declared size.
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _unreadable() from exc


class _Counts:
    """What the members of one workbook add up to so far; refuses as soon as it is too much."""

    def __init__(self):
        self.sheets = self.sheet_entries = self.cells = 0
        self.max_sheets = limit("MAX_SHEETS", MAX_SHEETS)
        self.max_cells = limit("MAX_CELLS", MAX_CELLS)

    def add_sheet(self, entry=False):
        if entry:
            self.sheet_entries += 1
        else:
            self.sheets += 1
        if max(self.sheets, self.sheet_entries) > self.max_sheets:
            raise ImportFileError(_(
                "The workbook has more than %(limit)d sheets; a system table has a detail "
                "sheet and a structure sheet, so it is refused.") % {"limit": self.max_sheets})

    def add_cells(self, count):
        self.cells += count
        if self.cells > self.max_cells:
            raise _too_many_cells()


def _column(ref):
    """The column number of a cell reference (``XFD7`` → 16384), as openpyxl reads it."""
    match = CELL_REF.match(ref)
    if not match:
        raise _unreadable()
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Scan:
    """One streaming pass over one member, bounding what openpyxl will make of it from
    above. Every XML element costs a cell (a cell and its value cost two: the limit is
    on the work of reading as much as on the result). openpyxl makes each ``row`` of the
    spreadsheet namespace as wide as the column of its last cell — its ``r``, or the one
    before plus one — so a row costs at least its highest ``r`` column plus the cells in it,
    and a sheet's missing rows, up to its highest row number, are filled in at a cell each.
    A DTD (never in a workbook; entity expansion) is refused."""

    def __init__(self, counts):
        self.counts = counts
        self.rows = []          # open rows: [highest ``r`` column of their cells]
        self.row = self.max_row = self.seen_rows = 0

    def feed(self, stream):
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype
        # A part that is not XML (an image) or not well-formed stops the scan at the error,
        # what was counted up to it standing: openpyxl, reading the same XML, stops there too.
        with suppress(expat.ExpatError):
            while chunk := stream.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        self.counts.add_cells(max(0, self.max_row - self.seen_rows))

    def doctype(self, *args):
        raise _unreadable()

    def start(self, name, attrs):
        counts = self.counts
        counts.cells += 1
        if counts.cells > counts.max_cells:
            raise _too_many_cells()
        if self.rows and "r" in attrs:
            row = self.rows[-1]
            row[0] = max(row[0], _column(attrs["r"]))
        if name == ROW:
            if not self.seen_rows:
                counts.add_sheet()
            self.seen_rows += 1
            number = attrs.get("r")
            try:
                self.row = int(float(number)) if number else self.row + 1
            except (ValueError, OverflowError) as exc:
                raise _unreadable() from exc
            self.max_row = max(self.max_row, self.row)
            if counts.cells + self.max_row - self.seen_rows > counts.max_cells:
                raise _too_many_cells()
            self.rows.append([0])
        elif name == SHEET:
            counts.add_sheet(entry=True)

    def end(self, name):
        if name == ROW and self.rows:
            self.counts.add_cells(self.rows.pop()[0])


def _xlsx(content, wanted=None, progress=None):
    """The sheets of a workbook ``check_archive`` has passed."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable workbook
        raise _unreadable() from exc
    try:
        sheets = workbook.worksheets
        for sheet in sheets:
            # Never the <dimension> a sheet declares: each row as wide as its own cells.
            sheet.reset_dimensions()
        headers = [(sheet.title, next(sheet.iter_rows(max_row=1, values_only=True), ()))
                   for sheet in sheets]
        chosen = set(range(len(sheets))) if wanted is None else set(wanted(headers))
        tables, done = [], 0
        for index, (sheet, (title, header)) in enumerate(zip(sheets, headers, strict=True)):
            if index not in chosen:
                tables.append((title, [header]))
                continue
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(row)
                done += 1
                if progress and done % 1000 == 0:
                    progress()
            tables.append((title, rows))
        return tables
    except ImportFileError:
        raise
    # A sheet's XML cut short or not well-formed (the scan counts up to the error and lets
    # it pass), or parts that do not fit together.
    except (ParseError, ValueError, KeyError, TypeError) as exc:
        raise _unreadable() from exc
    finally:
        workbook.close()


def _csv_text(content):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("This file is neither an XLSX workbook nor a CSV file in "
                            "UTF-8 or GB 18030."))


def _csv_rows(text):
    """The rows of a CSV text, unescaped; refused past the cell or column limit."""
    max_cells, max_columns = limit("MAX_CELLS", MAX_CELLS), limit("MAX_COLUMNS", MAX_COLUMNS)
    cells = 0
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            cells += max(len(row), 1)
            if cells > max_cells:
                raise _too_many_cells()
            if len(row) > max_columns:
                raise ImportFileError(_(
                    "Row %(row)d has %(count)d columns, more than %(limit)d; a system table "
                    "has far fewer, so the file is refused.")
                    % {"row": reader.line_num, "count": len(row), "limit": max_columns})
            yield [csv_unescape(cell) for cell in row]
    except csv.Error as exc:
        raise ImportFileError(_("This CSV file cannot be read: %(error)s")
                              % {"error": exc}) from exc


# --- the bounds of an import job while it reads and plans ---------------------------------
# An import job (preview or write) may read and plan for this long and grow its worker
# process by this much address space (settings REGISTRY_IMPORT_JOB_SECONDS, _JOB_MEMORY_MB);
# past either it ends failed, saying why. Celery's own time limits are a backstop.
IMPORT_SECONDS = 300
IMPORT_MEMORY_MB = 1024


class ImportLimitExceeded(Exception):
    """An import job went past its time limit; the message says so."""


class ImportLimits:
    """The bounds of an import job while it reads and plans: a deadline, checked every
    thousand rows read and every 500 rows planned (``check``), and the process's address
    space (``RLIMIT_AS``) raised by at most ``megabytes`` over what it uses now, so an
    allocation past it raises ``MemoryError`` in the job instead of taking the host's
    memory. The previous limit is restored afterwards: the worker process goes on."""

    def __init__(self):
        self.seconds = getattr(settings, "REGISTRY_IMPORT_JOB_SECONDS", IMPORT_SECONDS)
        self.megabytes = getattr(settings, "REGISTRY_IMPORT_JOB_MEMORY_MB", IMPORT_MEMORY_MB)
        self.deadline = time.monotonic() + self.seconds
        self.saved = None

    def check(self):
        if time.monotonic() > self.deadline:
            raise ImportLimitExceeded(self.time_message())

    def time_message(self):
        return _("Checking this file took more than %(seconds)d seconds; it was stopped. A "
                 "system table is read far faster: please check the file.") % {
            "seconds": self.seconds}

    def memory_message(self):
        return _("Reading this file needed more than %(size)d MB of memory; it was stopped. "
                 "A system table needs far less: please check the file.") % {
            "size": self.megabytes}

    def __enter__(self):
        with suppress(OSError, ValueError):
            with open("/proc/self/statm") as statm:  # Linux: the process's size in pages
                used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            new = used + self.megabytes * 1024 * 1024
            if hard != resource.RLIM_INFINITY:
                new = min(new, hard)
            if soft == resource.RLIM_INFINITY or new < soft:
                resource.setrlimit(resource.RLIMIT_AS, (new, hard))
                self.saved = (soft, hard)
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            resource.setrlimit(resource.RLIMIT_AS, self.saved)
        return False
