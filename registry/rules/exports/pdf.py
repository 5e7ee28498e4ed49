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
import re
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from registry.models import CompilationNotes, Node, NodeKind
from registry.rules.tailoring import tailoring_report
from registry.rules.tree.table_data import (
    GBT_13016_COLUMNS,
    columns,
    detail_rows,
    localized,
    statistics,
)

from . import pdf_workers
from .diagram import structure_svgs
from .pdf_widths import LISTS, ONE_PIECE, column_widths, whole_header

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
# What a page of the structure diagram weighs in detail rows, when the parts are cut.
DIAGRAM_PAGE_ROWS = 12
# Pages of the diagram laid out in one part (a large system's diagram runs to many).
DIAGRAM_PART_PAGES = 24


@dataclass
class Heading:
    """A heading row of the detail table: a node that holds standards or nodes, by code and
    name, so every node of the system is named in the table (an open aspect is named by
    its own row)."""

    label: str
    css: str                 # "group" (subsystem), "subgroup" (category), "aspect"
    indent: int = 0          # mm, for aspects nested in aspects
    ancestors: tuple = ()    # the headings of the nodes it sits in
    heading = True


HEADING_CSS = {NodeKind.ROOT: "group", NodeKind.SUBSYSTEM: "group",
               NodeKind.CATEGORY: "subgroup", NodeKind.ASPECT: "aspect"}


def table_items(data, rows, english=False):
    """The detail table as it prints, in tree order: each node's heading, then its rows.
    Every row and heading knows the headings it sits under (``ancestors``), which a part
    that starts inside a group repeats. The exported system's root has no heading (the
    cover names it) unless standards are placed on it; an open aspect with nothing below
    it has none either: its own row names it."""
    by_node = {}
    for row in rows:
        by_node.setdefault(row.node_id, []).append(row)
    top_depth = data.rows[0].node.depth if data.rows else 0
    items, stack = [], []   # stack: (depth, Heading) of the nodes above the current one
    for index, tree_row in enumerate(data.rows):
        node = tree_row.node
        has_children = (index + 1 < len(data.rows)
                        and data.rows[index + 1].node.depth > node.depth)
        while stack and stack[-1][0] >= node.depth:
            stack.pop()
        own = by_node.get(node.pk, [])
        bare = (node.depth == top_depth and node.kind == NodeKind.ROOT and not own) or (
            tree_row.is_gap and not has_children
            and [row.gap for row in own] == [True])
        ancestors = tuple(heading for _depth, heading in stack)
        if not bare:
            name = localized(node, english, "name")
            label = name if node.kind == NodeKind.ROOT else f"{node.code} {name}"
            heading = Heading(label, HEADING_CSS[node.kind],
                              indent=3 * max(0, node.depth - 4), ancestors=ancestors)
            items.append(heading)
            stack.append((node.depth, heading))
            ancestors = (*ancestors, heading)
        for row in own:
            row.ancestors = ancestors
            items.append(row)
    return items


def _opens_group(item):
    return getattr(item, "heading", False) and item.css != "aspect"


def split(items, head=HEAD_ROWS):
    """Slices of ``items`` for the parts: at least two when worth it, each cut moved to the
    start of the next subsystem or category when one is near, never just after a heading.
    The first part also holds the cover and the diagram, which weigh ``head`` rows; a
    heavy diagram leaves it no rows."""
    if len(items) < SPLIT_FROM:
        return [items]
    count = max(2, math.ceil((len(items) + head) / PART_ROWS))
    size = math.ceil((len(items) + head) / count)
    parts, start = [], 0
    while start < len(items):
        end = min(start + size - (head if not parts else 0), len(items))
        if end <= start:
            parts.append(items[start:start])
            continue
        for look in range(end, min(end + size // 4, len(items))):
            if _opens_group(items[look]):
                end = look
                break
        while start + 1 < end < len(items) and getattr(items[end - 1], "heading", False):
            end -= 1
        parts.append(items[start:end])
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


# A name's closing remark in brackets, kept after the title: 「…标准体系（重构示例）」.
TRAILING_REMARK = re.compile(r"\s*(（[^（）]*）|\([^()]*\))\s*$")


def cover_title(name):
    """「社会保险服务标准体系」 → 「社会保险服务标准体系表」; a name that does not say it is a
    system gets 「…标准体系表」; a remark in brackets at the end stays at the end:
    「…标准体系（重构示例）」 → 「…标准体系表（重构示例）」."""
    match = TRAILING_REMARK.search(name)
    if match and match.start() > 0:
        return cover_title(name[:match.start()]) + match.group(0)
    lowered = name.rstrip().lower()
    if "体系表" in name or lowered.endswith("system table"):
        return name
    if "体系" in name and not lowered.endswith("体系"):  # 「…标准体系2024版」: 表 after 体系
        at = name.rindex("体系") + len("体系")
        return name[:at] + "表" + name[at:]
    if lowered.endswith(("体系", "system")):
        return _("%(system)s table") % {"system": name}
    return _("%(system)s standard system table") % {"system": name}


def cover_organization(root, english):
    """The organization the cover names: the name written on the system's root (as the
    system page sets it), else the organization's own; in English the English one of
    either, else the Chinese. (The organization is read only when the root names none.)"""
    if root is None:
        return ""
    name = root.organization or root.owner.name
    if english:
        return root.organization_en or root.owner.name_en or name
    return name


def tailoring(data, root, english):
    """The 剪裁说明 of the compilation notes (clause 6.2.4): the template the system derives
    from, the counts and every deviation with who, when and why. Only for the whole system
    as it is now: the report compares the live tree, which a subtree or a past moment would
    contradict. None for a system not derived from a template (read without a query)."""
    top = data.rows[0].node if data.rows else data.root
    if (data.moment is not None or root is None or top.kind != NodeKind.ROOT
            or root.template_node_id is None):
        return None
    report = tailoring_report(root.owner)
    if not report.derived:
        return None
    rows = []
    for deviation in report.deviations:
        name = deviation.name_with_beneath(
            (deviation.name_en or deviation.name) if english else deviation.name)
        reason = (": " if english else "：").join(
            part for part in (deviation.why_label(), deviation.reason) if part)
        day = (timezone.localtime(datetime.fromisoformat(deviation.at)).date().isoformat()
               if deviation.at else "")
        was = ""
        if deviation.template_code and (deviation.template_code, deviation.template_name) != (
                deviation.code, deviation.name):
            was = f"{deviation.template_code} {deviation.template_name}"
        rows.append({"kind": deviation.kind_label(), "code": deviation.code, "name": name,
                     "was": was, "reason": reason, "by": deviation.by, "day": day})
    template = report.template
    return {"edition": template.edition,
            "title": (template.title_en or template.title) if english else template.title,
            "kept": report.kept, "removed": report.removed, "added": report.added,
            "renamed": report.renamed, "moved": report.moved, "rows": rows}


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
    notes = CompilationNotes.objects.filter(root__path=top.path[:top.steplen]).first()
    return {
        "organization": cover_organization(root, english),
        "title": cover_title(name),
        "subtree": "" if top.kind == NodeKind.ROOT else f"{top.code} {top.name}",
        "moment": data.moment, "exported": timezone.localtime(), "english": english,
        "columns": [(key, label, whole_header(label))
                    for key, label in zip(keys, labels, strict=True)],
        "widths": [(key, round(widths[key], 2)) for key in keys],
        "table_width": round(sum(widths.values()), 2), "font_size": FONT_SIZE,
        "items": table_items(data, rows, english), "stats": statistics(data, english),
        "diagram": structure_svgs(data, english), "notes": notes.text if notes else "",
        "tailoring": tailoring(data, root, english),
    }


def parts(ctx):
    """What each part lays out: the cover and the diagram first (a diagram of many pages
    in parts of its own), then the detail table cut by ``split``; the statistics and the
    notes close the last part."""
    diagram, items = ctx["diagram"], ctx["items"]
    chunks = [diagram[start:start + DIAGRAM_PART_PAGES]
              for start in range(0, len(diagram), DIAGRAM_PART_PAGES)] or [[]]
    if len(chunks) == 1:
        slices = split(items, HEAD_ROWS + DIAGRAM_PAGE_ROWS * len(diagram))
        heads = chunks + [[]] * (len(slices) - 1)
    else:
        # The last chunk of the diagram shares its part with the table's first slice.
        slices = [[]] * (len(chunks) - 1) + split(items, 0)
        heads = chunks + [[]] * (len(slices) - len(chunks))
    result, table_started = [], False
    for index, (pages, part_items) in enumerate(zip(heads, slices, strict=True)):
        last = index == len(slices) - 1
        detail = bool(part_items) or (last and not table_started)
        result.append({
            "cover": index == 0, "diagram": pages, "diagram_first": index == 0,
            "detail": detail, "items": part_items, "continued": table_started,
            # A part starting inside a group repeats the headings it sits under.
            "context": getattr(part_items[0], "ancestors", ()) if table_started and part_items
            else (), "last": last,
        })
        table_started = table_started or detail
    return result


def part_htmls(ctx):
    return [render_to_string("registry/exports/system_table.html", {**ctx, "part": part})
            for part in parts(ctx)]


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
