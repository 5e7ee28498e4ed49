"""The structure diagram (标准体系结构图) as vector SVG, drawn from the tree.

Left to right: the system, its subsystems, their categories, each category box giving its
number of aspects (the aspects themselves are listed in the detail table, where they are
legible)."""

from django.utils.html import escape
from django.utils.translation import gettext as _

from registry.models import NodeKind

FONT = 11          # px
ROW = 26           # vertical step per leaf
COLUMN_GAP = 36
PAD = 8


def _width(text):
    # CJK glyphs are about one em wide, Latin ones about half.
    return sum(FONT if ord(ch) > 0x2E80 else FONT * 0.55 for ch in text) + 2 * PAD


def structure_svg(data, english=False):
    rows = [r for r in data.rows if r.node.kind in (NodeKind.ROOT, NodeKind.SUBSYSTEM,
                                                    NodeKind.CATEGORY)]
    if not rows:
        return ""
    top_depth = rows[0].node.depth
    children, aspects = {}, {}
    for row in data.rows:
        if row.node.kind == NodeKind.ASPECT and row.node.depth == 4:
            aspects[row.node.path[:-row.node.steplen]] = aspects.get(
                row.node.path[:-row.node.steplen], 0) + 1
    for row in rows[1:]:
        children.setdefault(row.node.path[:-row.node.steplen], []).append(row.node)

    def label(node):
        name = (node.name_en or node.name) if english else node.name
        text = f"{node.code} {name}" if node.kind != NodeKind.ROOT else name
        count = aspects.get(node.path)
        if count:
            text += " " + _("(%(count)d aspects)") % {"count": count}
        return text

    levels = {}
    for row in rows:
        levels.setdefault(row.node.depth - top_depth, []).append(row.node)
    widths = {level: max(_width(label(n)) for n in nodes) for level, nodes in levels.items()}
    x_of = {}
    x = 0
    for level in sorted(widths):
        x_of[level] = x
        x += widths[level] + COLUMN_GAP
    total_width = x - COLUMN_GAP

    positions, next_leaf = {}, [0]

    def place(node):
        kids = children.get(node.path, [])
        if not kids:
            y = next_leaf[0] * ROW + ROW / 2
            next_leaf[0] += 1
        else:
            ys = [place(kid) for kid in kids]
            y = (ys[0] + ys[-1]) / 2
        positions[node.path] = y
        return y

    place(rows[0].node)
    height = next_leaf[0] * ROW
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_width:.0f} '
             f'{height:.0f}" width="{total_width:.0f}" height="{height:.0f}" '
             f'font-family="Noto Sans CJK SC" font-size="{FONT}">']
    for row in rows:
        node = row.node
        level = node.depth - top_depth
        y = positions[node.path]
        box_w, box_h = widths[level], ROW - 8
        x0 = x_of[level]
        for kid in children.get(node.path, []):
            ky = positions[kid.path]
            mid = x0 + box_w + COLUMN_GAP / 2
            parts.append(f'<path d="M{x0 + box_w:.1f},{y:.1f} H{mid:.1f} V{ky:.1f} '
                         f'H{x_of[level + 1]:.1f}" fill="none" stroke="#555" '
                         f'stroke-width="0.8"/>')
        fill = {0: "#dbe7f5", 1: "#eef3fa"}.get(level, "#ffffff")
        parts.append(f'<rect x="{x0:.1f}" y="{y - box_h / 2:.1f}" width="{box_w:.1f}" '
                     f'height="{box_h:.1f}" rx="3" fill="{fill}" stroke="#1f5fa8" '
                     f'stroke-width="0.8"/>')
        parts.append(f'<text x="{x0 + PAD:.1f}" y="{y + FONT * 0.38:.1f}">'
                     f'{escape(label(node))}</text>')
    parts.append("</svg>")
    return "".join(parts)
