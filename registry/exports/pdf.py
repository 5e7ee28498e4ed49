"""The system table as PDF in the GB/T 13016 shape: cover, structure diagram, detail table,
statistics table, compilation notes; "page N of M" and the export date in the footer.

The detail table is cut into parts of about ``PART_ROWS`` rows, each part a document of its
own, laid out two at a time by ``pdf_workers``; the parts are joined with pypdf and every
page gets its overlay (footer, or the cover's page count) from a stamps document rendered
once the total is known.

Where the time goes and why the code below looks as it does: docs/performance.md.
"""

import math

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import CompilationNotes, NodeKind
from registry.table_data import columns, detail_rows, statistics

from . import pdf_workers
from .diagram import structure_svg

WIDTHS = {"seq": 5, "code": 8, "number": 17, "title": 27, "level": 7, "implemented_on": 10,
          "replaces": 10, "status": 8, "remarks": 8}


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


def context(data, english=False):
    """Everything the templates show, the detail rows with their cells ready."""
    keys = [key for key, _label in columns()]
    rows = detail_rows(data, english)
    for row in rows:
        row.cells = row.values(keys)
    top = data.rows[0].node if data.rows else data.root
    notes = CompilationNotes.objects.filter(root__path=top.path[:top.steplen]).first()
    return {
        "organization": data.organization,
        "subtree": "" if top.kind == NodeKind.ROOT else f"{top.code} {top.name}",
        "moment": data.moment, "exported": timezone.localtime(), "english": english,
        "columns": columns(), "widths": [(k, WIDTHS.get(k, 10)) for k in keys],
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
                         _("Social insurance service standard system table"))
    finally:
        pool.close()
