from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext

from catalog.choices import Level, Status

register = template.Library()


@register.filter
def status_label(value):
    try:
        return Status(value).label
    except ValueError:
        return value


@register.filter
def level_label(value):
    try:
        return Level(value).label
    except ValueError:
        return value


@register.filter
def localized_name(node):
    """A node's English name in the English interface when it has one; names are data."""
    if get_language() == "en" and getattr(node, "name_en", ""):
        return node.name_en
    return node.name


@register.filter
def localized_title(standard):
    if get_language() == "en" and getattr(standard, "title_en", ""):
        return standard.title_en
    return standard.title


@register.simple_tag
def tree_items(rows, link="node"):
    """The ``<li>`` items of the tree, nested with ``<details>`` where a node has children.

    Built in Python rather than with template tags per row: at 2,000 nodes the template
    engine alone took several hundred milliseconds.
    """
    labels = {
        "clause": gettext("Seed clause"),
        "count": gettext("Standards placed here and below"),
        "gap": gettext("gap"),
        "gaps_title": gettext("Aspects without a current standard"),
    }
    parts = []
    for row in rows:
        node = row.node
        gap = ""
        if row.is_gap:
            gap = format_html(' <span class="badge gap">{}</span>', labels["gap"])
        elif row.gaps:
            gap = format_html(
                ' <span class="gapcount" title="{}">{}</span>', labels["gaps_title"],
                ngettext("%(count)d gap", "%(count)d gaps", row.gaps) % {"count": row.gaps},
            )
        clause = format_html(
            ' <span class="clause" title="{}">{}</span>', labels["clause"], node.clause
        ) if node.clause else ""
        body = format_html(
            '<span class="noderow">{leaf}<span class="code">{code}</span> '
            '<a class="nodename" href="{url}">{name}</a>{clause} '
            '<span class="count" title="{count_title}">{count}</span>{gap}</span>',
            leaf=mark_safe("" if row.has_children else
                           '<span class="leaf" aria-hidden="true"></span>'),
            code=node.code, url=(
                reverse("registry:node_detail", args=[node.pk]) if link == "node"
                else reverse("audit:record_history", args=["registry.node", node.pk])
            ),
            name=localized_name(node), clause=clause, count_title=labels["count"],
            count=row.standards, gap=gap,
        )
        parts.append(format_html(
            '<li class="kind-{kind}{match}" data-node="{pk}" data-code="{code}" '
            'role="treeitem">',
            kind=node.kind.value, match=" match" if row.match else "", pk=node.pk,
            code=node.code,
        ))
        if row.has_children:
            parts.append(format_html(
                '<details{}><summary>{}</summary><ul role="group">',
                mark_safe(" open") if row.open else "", body,
            ))
        else:
            parts.append(body + mark_safe("</li>"))
        parts.append(mark_safe("</ul></details></li>" * row.closes))
    return mark_safe("\n".join(parts))


@register.simple_tag(takes_context=True)
def object_links(context, record, place):
    """``{% object_links standard "actions" as links %}``: what other apps link from here."""
    from registry.links import links_for

    return links_for(record, place, context["request"].user)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, ()) if mapping else ()


CHANGE_LABELS = {
    "added": gettext_lazy("added"), "removed": gettext_lazy("removed"),
    "moved": gettext_lazy("moved"), "reordered": gettext_lazy("reordered"),
    "renamed": gettext_lazy("renamed"), "changed": gettext_lazy("changed"),
    "placed": gettext_lazy("placed"), "unplaced": gettext_lazy("taken off"),
}


@register.filter
def change_label(kind):
    return CHANGE_LABELS.get(kind, kind)


@register.filter
def among(url_name, names):
    """``request.resolver_match.url_name|among:"checks check"`` — for the active menu."""
    return url_name in names.split()
