"""The system table as PDF in the GB/T 13016 shape: cover (the system's own name and
organization), structure diagram, detail table, statistics table, compilation notes; "page N
of M" and the export date in the footer. Landscape A4: the detail table's ten columns fit
with numbers and dates on one line (column widths: ``pdf_widths``), and no row is split
across two pages.

The detail table is cut into parts of about ``PART_ROWS`` rows, each part a document of its
own, laid out two at a time by ``pdf_workers``; the parts are joined with pypdf and every
page gets its overlay (footer, or the cover's page count) from a stamps document rendered
once the total is known.

Where the time goes and why the code below looks as it does: docs/performance.md.
"""

import math

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from registry.models import CompilationNotes, Node, NodeKind
from registry.table_data import GBT_13016_COLUMNS, columns, detail_rows, statistics

from . import pdf_workers
from .diagram import structure_svg
from .pdf_widths import LISTS, ONE_PIECE, column_widths

# The detail table: the nine columns of GB/T 13016-2018, then the status.
PDF_COLUMNS = (*GBT_13016_COLUMNS, "status")
# Landscape A4 less the side margins of system_table.html (12 mm each), in points.
TABLE_WIDTH = (297 - 2 * 12) * 72 / 25.4
FONT_SIZE = 8.5          # pt, cells and headers (system_table.html)
CELL_PADDING = 2 * 1 * 72 / 25.4 + 0.5  # 1 mm left and right, and a border


PART_ROWS = 300
# Below this many rows one part is as fast as two (the stamps cost what the split saves).
SPLIT_FROM = 60
HEAD_ROWS = 20


def split(rows):
    """Slices of ``rows`` for the parts: at least two when worth it, each cut moved to the
    next change of category when one is near, so parts end where a group ends. The first
    part also holds the cover and the diagram, which weigh about ``HEAD_ROWS`` rows."""
    if len(rows) < SPLIT_FROM:
        return [rows]
    count = max(2, math.ceil(len(rows) / PART_ROWS))
    size = math.ceil((len(rows) + HEAD_ROWS) / count)
    parts, start = [], 0
    while start < len(rows):
        end = min(start + size - (HEAD_ROWS if not parts else 0), len(rows))
        for look in range(end, min(end + size // 4, len(rows))):
            if rows[look].category != rows[look - 1].category:
                end = look
                break
        parts.append(rows[start:end])
        start = end
    return parts


def system_root(data):
    """The root of the exported system — as it stood then, for an export as of a moment —
    whose name and organization the cover shows."""
    top = data.rows[0].node if data.rows else data.root
    if top.kind == NodeKind.ROOT:
        return top
    root = Node.objects.filter(path=top.path[:top.steplen]).first()
    if root is not None and data.moment is not None:
        then = (Node.history.filter(id=root.pk, history_date__lte=data.moment)
                .order_by("-history_date").first())
        return then or root
    return root or top


def cover_title(name):
    """「社会保险服务标准体系」 → 「社会保险服务标准体系表」; a name that does not say it is a
    system gets 「…标准体系表」."""
    lowered = name.rstrip().lower()
    if lowered.endswith(("体系表", "system table")):
        return name
    if lowered.endswith(("体系", "system")):
        return _("%(system)s table") % {"system": name}
    return _("%(system)s standard system table") % {"system": name}


def cell(key, value):
    """One ``<td>``: numbers, dates and codes on one line; each item of a list on one line."""
    if not value:
        return "<td></td>"
    if key in ONE_PIECE:
        return f'<td class="nw">{escape(value)}</td>'
    if key in LISTS:
        return "<td>" + ", ".join(f'<span class="nw">{escape(item.strip())}</span>'
                                  for item in value.split(",")) + "</td>"
    return f'<td class="wrap">{escape(value)}</td>'


def context(data, english=False):
    """Everything the templates show, the detail rows with their cells ready."""
    table_columns = [(key, label) for key, label in columns() if key in PDF_COLUMNS]
    keys = [key for key, _label in table_columns]
    labels = [str(label) for _key, label in table_columns]
    rows = detail_rows(data, english)
    for row in rows:
        row.cells = ["" if value is None else str(value) for value in row.values(keys)]
    widths = column_widths(keys, labels, rows, TABLE_WIDTH, FONT_SIZE, CELL_PADDING)
    for row in rows:
        row.html = mark_safe("".join(cell(key, value) for key, value in zip(keys, row.cells,
                                                                            strict=True)))
    top = data.rows[0].node if data.rows else data.root
    root = system_root(data)
    name = ((root.name_en or root.name) if english else root.name) if root else ""
    organization = ((root.organization_en or root.organization) if english
                    else root.organization) if root else ""
    notes = CompilationNotes.objects.filter(root__path=top.path[:top.steplen]).first()
    return {
        "organization": organization or "", "title": cover_title(name),
        "subtree": "" if top.kind == NodeKind.ROOT else f"{top.code} {top.name}",
        "moment": data.moment, "exported": timezone.localtime(), "english": english,
        "columns": [(key, label, not label.isascii())
                    for key, label in zip(keys, labels, strict=True)],
        "widths": [(key, round(widths[key], 2)) for key in keys],
        "table_width": round(sum(widths.values()), 2), "font_size": FONT_SIZE,
        "rows": rows, "stats": statistics(data, english),
        "diagram": structure_svg(data, english), "notes": notes.text if notes else "",
    }


def part_htmls(ctx):
    slices = split(ctx["rows"])
    return [
        render_to_string("registry/exports/system_table.html", {**ctx, "part": {
            "cover": index == 0, "diagram": index == 0, "detail": True, "rows": rows,
            "continued": index > 0, "last": index == len(slices) - 1,
        }})
        for index, rows in enumerate(slices)
    ]


def stamp_htmls(ctx, total, pieces=2):
    """Overlay documents for pages 1..total (1 is the cover), in ``pieces`` runs."""
    pages = [{"cover": True}] + [
        {"footer": _("Page %(page)d of %(pages)d") % {"page": number, "pages": total}}
        for number in range(2, total + 1)
    ]
    size = math.ceil(len(pages) / pieces)
    return [
        render_to_string("registry/exports/system_table_stamps.html",
                         {**ctx, "pages": pages[start:start + size], "total_pages": total})
        for start in range(0, len(pages), size)
    ]


def to_pdf(data, english=False, progress=None):
    ctx = context(data, english)
    pool = pdf_workers.take()
    try:
        parts = pool.render(part_htmls(ctx), progress)
        total = sum(pages for pages, _pdf in parts)
        stamps = pool.render(stamp_htmls(ctx, total))
        return pool.join([pdf for _pages, pdf in parts], [pdf for _pages, pdf in stamps],
                         ctx["title"])
    finally:
        pool.close()
