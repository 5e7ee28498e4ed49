"""The structure diagram (标准体系结构图) as vector SVG, drawn from the tree.

Left to right: the system, its subsystems, their categories and every aspect (nested
aspects a column further right), so every node of the system is named in it. A system of
many aspects runs over several pages: each page is one SVG holding a run of the leaves
(the nodes drawn at the right end of a branch) with the boxes of their ancestors beside
them, so every page reads on its own. All pages share one scale and one column layout."""

from dataclasses import dataclass

from django.utils.html import escape

from registry.models import NodeKind
from registry.rules.tree.table_data import localized

FONT = 11          # px
ROW = 23           # vertical step per leaf
BOX = ROW - 6      # box height
COLUMN_GAP = 30
PAD = 6
# The room a page gives the diagram (landscape A4 less the margins of system_table.html),
# in CSS px; the first page also holds the section's heading.
PAGE_WIDTH = (297 - 2 * 12) / 25.4 * 96
PAGE_HEIGHT = (210 - 14 - 16 - 8) / 25.4 * 96
HEADING = 14 / 25.4 * 96
MAX_SCALE = 1.2    # a small system is drawn a little larger, not stretched to the width


def _width(text):
    # CJK glyphs are about one em wide, Latin ones about half.
    return sum(FONT if ord(ch) > 0x2E80 else FONT * 0.55 for ch in text) + 2 * PAD


@dataclass
class _Box:
    node: object
    level: int
    label: str
    first: int = 0     # its leaves, first to last (inclusive)
    last: int = 0
    parent: object = None


def _boxes(data, english):
    """Every node of ``data`` as a box, in path order, with its range of leaves."""
    rows = data.rows
    if not rows:
        return []
    top_depth = rows[0].node.depth
    boxes, by_path, leaf = [], {}, 0
    for row in rows:
        node = row.node
        name = localized(node, english, "name")
        label = name if node.kind == NodeKind.ROOT else f"{node.code} {name}"
        box = _Box(node, node.depth - top_depth, label,
                   parent=by_path.get(node.path[:-node.steplen]))
        boxes.append(box)
        by_path[node.path] = box
    inner = {box.parent.node.path for box in boxes if box.parent is not None}
    # In path order a box's descendants follow it: its first leaf is the next one numbered.
    for box in boxes:
        box.first = leaf
        if box.node.path not in inner:
            leaf += 1
    # Backwards, each box is done before its parent, which spans to its last child's end.
    for box in reversed(boxes):
        if box.node.path not in inner:
            box.last = box.first
        if box.parent is not None:
            box.parent.last = max(box.parent.last, box.last)
    return boxes


def structure_svgs(data, english=False):
    """The diagram as a list of SVG documents, one per page."""
    boxes = _boxes(data, english)
    if not boxes:
        return []
    widths = {}
    for box in boxes:
        widths[box.level] = max(widths.get(box.level, 0), _width(box.label))
    x_of, x = {}, 0
    for level in sorted(widths):
        x_of[level] = x
        x += widths[level] + COLUMN_GAP
    total_width = x - COLUMN_GAP
    scale = min(MAX_SCALE, PAGE_WIDTH / total_width)
    leaves = max(box.last for box in boxes) + 1
    first_page = max(1, int((PAGE_HEIGHT - HEADING) // (ROW * scale)))
    per_page = max(1, int(PAGE_HEIGHT // (ROW * scale)))
    starts = [0, *range(first_page, leaves, per_page)]
    return [_page(boxes, start, min(leaves, start + (first_page if not index else per_page)),
                  x_of, widths, total_width, scale)
            for index, start in enumerate(starts)]


def _page(boxes, start, end, x_of, widths, total_width, scale):
    """The boxes with a leaf in ``start``..``end - 1``, each at the middle of its leaves
    on this page."""
    shown = [box for box in boxes if box.first < end and box.last >= start]
    y_of = {id(box): ((max(box.first, start) + min(box.last, end - 1)) / 2 - start) * ROW
            + ROW / 2 for box in shown}
    height = (end - start) * ROW
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_width:.0f} '
             f'{height:.0f}" width="{total_width * scale:.0f}" height="{height * scale:.0f}" '
             f'font-family="Noto Sans CJK SC" font-size="{FONT}">']
    for box in shown:
        y, x0, box_w = y_of[id(box)], x_of[box.level], widths[box.level]
        if box.parent is not None:  # from the parent's right edge to this box's left
            parts.append(f'<path d="M{x0 - COLUMN_GAP:.1f},{y_of[id(box.parent)]:.1f} '
                         f'H{x0 - COLUMN_GAP / 2:.1f} V{y:.1f} H{x0:.1f}" fill="none" '
                         f'stroke="#555" stroke-width="0.8"/>')
        fill = {0: "#dbe7f5", 1: "#eef3fa"}.get(box.level, "#ffffff")
        parts.append(f'<rect x="{x0:.1f}" y="{y - BOX / 2:.1f}" width="{box_w:.1f}" '
                     f'height="{BOX:.1f}" rx="3" fill="{fill}" stroke="#1f5fa8" '
                     f'stroke-width="0.8"/>')
        parts.append(f'<text x="{x0 + PAD:.1f}" y="{y + FONT * 0.38:.1f}">'
                     f'{escape(box.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
