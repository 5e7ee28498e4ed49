"""Charts the application draws itself, as inline SVG: no outside service, no script.

Each drawing function takes plain data and returns safe SVG markup. Every bar, segment and
legend entry links to the list behind it (``<a href>``) and carries a ``<title>`` (tooltip
and accessible name) beside a text label, so a chart reads without its colours. Colours
are those of ``static/registry/app.css``; Chinese text falls back to Noto Sans CJK SC.

PDFs draw with ``links=False``: WeasyPrint treats an SVG ``<a>`` as text and would drop
the bars inside it, and a link in a printed chart leads nowhere anyway.
"""

import math
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# The variables of static/registry/app.css (SVG presentation attributes cannot read them).
COLOURS = {
    "blue": "#1f5fa8", "blue-light": "#e8f0fa", "green": "#067647", "orange": "#b54708",
    "red": "#b42318", "grey": "#6b7280", "line": "#d9dee5", "text": "#1d2433",
}
FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
FONT = 13          # px
ROW = 28           # vertical step per bar
BAR = 16           # bar thickness
GAP = 10           # between label, bar and figure
FIGURE = 100       # least room for the figure right of a bar


@dataclass
class Bar:
    """A bar: ``value`` of ``total`` (a percentage bar) or a plain count."""

    label: str
    value: int
    total: int = 0
    url: str = ""
    title: str = ""
    note: str = ""      # shown instead of the figure when there is nothing to measure
    group: str = ""     # a heading row is drawn when the group changes


@dataclass
class Segment:
    value: int
    label: str
    colour: str = "blue"
    url: str = ""
    title: str = ""


@dataclass
class Stack:
    label: str
    segments: list = field(default_factory=list)
    url: str = ""       # the label links to the whole bar's list
    title: str = ""

    @property
    def total(self):
        return sum(segment.value for segment in self.segments)


def text_width(text, size=FONT):
    """Rough width: CJK glyphs are one em wide, Latin ones a little over half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in str(text))


def _num(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _link(url, title, body, links=True, shown=""):
    """``body`` as a link to ``url`` with ``title`` as tooltip and accessible name. The name
    starts with what the link shows (``shown``) when the title does not say it: people who
    speak to their computer name a link by what they see (WCAG 2.5.3)."""
    if links and url:
        name = title if not shown or shown in title else f"{shown}; {title}"
        return format_html('<a href="{}" aria-label="{}"><title>{}</title>{}</a>',
                           url, name, title, body)
    return format_html("<g><title>{}</title>{}</g>", title, body)


def _svg(chart_id, caption, width, height, body):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{}" role="group" '
        'aria-labelledby="{}-title" viewBox="0 0 {} {}" width="{}" height="{}" '
        'font-family="{}" font-size="{}" fill="{}"><title id="{}-title">{}</title>{}</svg>',
        chart_id, chart_id, _num(width), _num(height), _num(width), _num(height),
        FONT_FAMILY, FONT, COLOURS["text"], chart_id, caption, body,
    )


def _text(x, y, text, anchor="start", colour="text", weight="normal", size=FONT):
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" fill="{}" font-weight="{}" font-size="{}">{}'
        '</text>', _num(x), _num(y), anchor, COLOURS[colour], weight, size, text)


def _rect(x, y, width, height, colour):
    return format_html('<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"/>',
                       _num(x), _num(y), _num(width), _num(height), COLOURS[colour])


def percent_bars(chart_id, caption, bars, width=760, colour="blue", links=True):
    """Horizontal bars, each the share ``value``/``total`` with "value / total · n%"."""
    def figure(bar):
        if not bar.total:
            return bar.note
        return f"{bar.value} / {bar.total} · {_num(round(100 * bar.value / bar.total, 1))}%"

    label_w = max([text_width(b.label) for b in bars] + [text_width(b.group) for b in bars]
                  + [40]) + GAP
    figure_w = max([text_width(figure(b)) for b in bars] + [FIGURE]) + GAP
    track = max(width - label_w - GAP - figure_w, 80)
    parts, y, group = [], 0, None
    for bar in bars:
        if bar.group and bar.group != group:
            group = bar.group
            parts.append(_text(0, y + ROW * 0.65, bar.group, weight="bold"))
            y += ROW
        top = y + (ROW - BAR) / 2
        shape = [_text(label_w - GAP, y + ROW * 0.65, bar.label, anchor="end"),
                 _rect(label_w, top, track, BAR, "line")]
        if bar.total and bar.value:
            shape.append(_rect(label_w, top, max(track * bar.value / bar.total, 2), BAR,
                               colour))
        shape.append(_text(label_w + track + GAP, y + ROW * 0.65, figure(bar), colour="grey"))
        # Spaces between the texts (not drawn): the link's text reads "label figure".
        parts.append(_link(bar.url, bar.title or f"{bar.label}: {figure(bar)}",
                           mark_safe(" ".join(shape)), links,
                           bar.title and f"{bar.label} {figure(bar)}"))
        y += ROW
    return _svg(chart_id, caption, width, max(y, ROW), mark_safe("".join(parts)))


def stacked_bars(chart_id, caption, stacks, width=760, links=True):
    """Horizontal bars of counts, each split into coloured segments; a legend below."""
    label_w = max([text_width(s.label) for s in stacks] + [40]) + GAP
    track = max(width - label_w - GAP - 60, 80)
    largest = max([s.total for s in stacks] + [1])
    parts, y = [], 0
    for stack in stacks:
        parts.append(_link(stack.url, stack.title or f"{stack.label}: {stack.total}",
                           _text(label_w - GAP, y + ROW * 0.65, stack.label, anchor="end"),
                           links))
        top, x = y + (ROW - BAR) / 2, label_w
        for segment in stack.segments:
            if not segment.value:
                continue
            length = max(track * segment.value / largest, 3)
            parts.append(_link(
                segment.url, segment.title or f"{stack.label} · {segment.label}: "
                f"{segment.value}", _rect(x, top, length, BAR, segment.colour), links))
            x += length
        if not stack.total:
            parts.append(_rect(label_w, top, 1, BAR, "line"))
        parts.append(_text(x + GAP / 2, y + ROW * 0.65, stack.total, colour="grey"))
        y += ROW
    legend = {(s.label, s.colour): s for stack in stacks for s in stack.segments}
    x, y = label_w, y + GAP
    for (label, colour), _segment in legend.items():
        parts.append(_rect(x, y + 4, 12, 12, colour))
        parts.append(_text(x + 18, y + 14, label))
        x += 18 + text_width(label) + 2 * GAP
    return _svg(chart_id, caption, width, y + ROW, mark_safe("".join(parts)))


def _arc(cx, cy, outer, inner, start, end):
    """An annular sector from angle ``start`` to ``end`` (radians, clockwise from 12),
    drawn as two half arcs so that even a full ring has distinct end points."""
    middle = (start + end) / 2

    def point(radius, angle):
        return f"{cx + radius * math.sin(angle):.2f},{cy - radius * math.cos(angle):.2f}"

    return (f"M{point(outer, start)} A{outer},{outer} 0 0 1 {point(outer, middle)} "
            f"A{outer},{outer} 0 0 1 {point(outer, end)} L{point(inner, end)} "
            f"A{inner},{inner} 0 0 0 {point(inner, middle)} "
            f"A{inner},{inner} 0 0 0 {point(inner, start)} Z")


def donut(chart_id, caption, segments, centre, centre_label="", links=True, width=420):
    """A ring of segments with the ``centre`` figure inside and a legend to its right."""
    size, ring = 150, 26
    cx = cy = size / 2
    outer, inner = size / 2 - 2, size / 2 - 2 - ring
    total = sum(segment.value for segment in segments)
    parts = [format_html('<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" '
                         'stroke-width="{}"/>', _num(cx), _num(cy), _num(outer - ring / 2),
                         COLOURS["line"], ring)]
    start = 0.0
    for segment in segments:
        if not segment.value:
            continue
        end = start + 2 * math.pi * segment.value / total
        shape = format_html('<path d="{}" fill="{}"/>', _arc(cx, cy, outer, inner, start, end),
                            COLOURS[segment.colour])
        parts.append(_link(segment.url, segment.title or f"{segment.label}: {segment.value}",
                           shape, links))
        start = end
    parts.append(_text(cx, cy + 6, centre, anchor="middle", weight="bold", size=26))
    if centre_label:
        parts.append(_text(cx, cy + 26, centre_label, anchor="middle", colour="grey"))
    y = cy - len(segments) * ROW / 2
    for segment in segments:
        entry = format_html("{}{}", _rect(size + 24, y + 7, 12, 12, segment.colour),
                            _text(size + 42, y + 18, f"{segment.label}: {segment.value}"))
        parts.append(_link(segment.url, segment.title or f"{segment.label}: {segment.value}",
                           entry, links))
        y += ROW
    return _svg(chart_id, caption, width, size, mark_safe("".join(parts)))


# --- the dashboard's charts ------------------------------------------------------------

def _url(name, *args, **query):
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def coverage_chart(figures, links=True):
    """Aspects with a current standard, per category under its subsystem."""
    bars = [
        Bar(label=f"{c.node.code} {c.node.name}", value=c.covered, total=c.aspects,
            url=_url("registry:node_detail", c.node.pk), group=f"{c.subsystem.code} "
            f"{c.subsystem.name}", note=_("no aspects · %(count)d current standards")
            % {"count": c.current},
            title=_("%(node)s: %(covered)d of %(aspects)d aspects have a current standard, "
                    "%(gaps)d gaps") % {"node": c.node, "covered": c.covered,
                                        "aspects": c.aspects, "gaps": c.gaps})
        for c in figures.categories
    ]
    return percent_bars("chart-coverage", _("Coverage by category"), bars, links=links)


def subsystem_chart(figures, links=True):
    bars = [
        Bar(label=f"{s.node.code} {s.node.name}", value=s.covered, total=s.aspects,
            url=_url("registry:node_detail", s.node.pk),
            note=_("no aspects · %(count)d current standards") % {"count": s.current},
            title=_("%(node)s: %(covered)d of %(aspects)d aspects have a current standard, "
                    "%(gaps)d gaps") % {"node": s.node, "covered": s.covered,
                                        "aspects": s.aspects, "gaps": s.gaps})
        for s in figures.subsystems
    ]
    return percent_bars("chart-subsystems", _("Coverage by subsystem"), bars, links=links)


def overdue_projects_url():
    return _url("lifecycle:project_list", overdue="yes")


def stage_chart(figures, links=True):
    """Open projects per stage, split into on schedule and past the planned end."""
    stacks = []
    for count in figures.stages:
        stage = count.stage.value
        stacks.append(Stack(str(count.label), [
            Segment(count.on_time, _("On schedule"), "blue",
                    _url("lifecycle:project_list", stage=stage, overdue="no"),
                    _("%(stage)s: %(count)d on schedule")
                    % {"stage": count.label, "count": count.on_time}),
            Segment(count.overdue, _("Past the planned end"), "red",
                    _url("lifecycle:project_list", stage=stage, overdue="yes"),
                    _("%(stage)s: %(count)d past the planned end")
                    % {"stage": count.label, "count": count.overdue}),
        ], url=_url("lifecycle:project_list", stage=stage),
            title=_("%(stage)s: %(count)d open projects")
            % {"stage": count.label, "count": count.total}))
    return stacked_bars("chart-stages", _("Open projects by stage"), stacks, links=links)


def nonconformity_chart(figures, links=True):
    open_, overdue = figures.nonconformities_open, figures.nonconformities_overdue
    return donut("chart-nonconformities", _("Open non-conformities"), [
        Segment(open_ - overdue, _("Open, not yet due"), "blue",
                _url("lifecycle:nonconformity_list", status="open", overdue="0")),
        Segment(overdue, _("Overdue"), "red",
                _url("lifecycle:nonconformity_list", status="open", overdue="1")),
    ], centre=open_, centre_label=_("open"), links=links)


def dashboard_charts(figures, links=True):
    return {
        "subsystems": subsystem_chart(figures, links),
        "coverage": coverage_chart(figures, links),
        "stages": stage_chart(figures, links),
        "nonconformities": nonconformity_chart(figures, links),
    }
