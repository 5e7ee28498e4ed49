from html import escape

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext

from audit.models import reads_security_log
from catalog.models.choices import Level, Status
from registry.rules.links import links_for
from registry.rules.tree.names import localized_name, localized_title

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


register.filter(localized_name)
register.filter(localized_title)


# A pk no real node has: reversed once, then replaced by each node's pk.
_PK_SENTINEL = 918273645


def _url_pattern(link):
    """(before, after) the pk in the URL of a node's page or history."""
    if link == "node":
        url = reverse("registry:node_detail", args=[_PK_SENTINEL])
    else:
        url = reverse("audit:record_history", args=["registry.node", _PK_SENTINEL])
    before, after = url.split(str(_PK_SENTINEL))
    return escape(before), escape(after)


@register.simple_tag
def tree_items(rows, link="node"):
    """The ``<li>`` items of the tree, nested with ``<details>`` where a node has children.

    Built in Python rather than with template tags per row (at 2,000 nodes the template
    engine alone took several hundred milliseconds), and by string work rather than
    ``format_html`` and ``reverse`` per row: the URL is reversed once and each node's pk
    put in it, and every value from the database is escaped with ``html.escape`` (what Django's
    ``escape`` calls, without its lazy-string wrapper).

    A branch's row comes before its ``<details>``, whose ``<summary>`` is only the
    expand/collapse control (drawn at the row's start by the CSS): a link inside a
    ``<summary>`` would be a control nested in a control, which keyboards and screen readers
    cannot use. app.js adds the arrow keys.
    """
    clause_title = escape(gettext("Seed clause"))
    count_title = escape(gettext("Standards placed here and below"))
    gap_badge = f' <span class="badge gap">{escape(gettext("gap"))}</span>'
    gaps_title = escape(gettext("Aspects without a current standard"))
    gap_counts = {}
    before, after = _url_pattern(link)
    english = get_language() == "en"
    leaf = '<span class="leaf" aria-hidden="true"></span>'
    toggle = gettext("Nodes under %(node)s")
    parts = []
    append = parts.append
    for row in rows:
        node = row.node
        if row.is_gap:
            gap = gap_badge
        elif row.gaps:
            gap = gap_counts.get(row.gaps)
            if gap is None:
                label = escape(ngettext("%(count)d gap", "%(count)d gaps", row.gaps)
                               % {"count": row.gaps})
                gap = gap_counts[row.gaps] = (
                    f' <span class="gapcount" title="{gaps_title}">{label}</span>')
        else:
            gap = ""
        clause = (f' <span class="clause" title="{clause_title}">{escape(node.clause)}</span>'
                  if node.clause else "")
        code = escape(node.code)
        name = node.name_en if english and node.name_en else node.name
        body = (
            f'<span class="noderow">{leaf}'
            f'<span class="code">{code}</span> '
            f'<a class="nodename" href="{before}{node.pk}{after}">{escape(name)}</a>{clause} '
            f'<span class="count" title="{count_title}">{row.standards}</span>{gap}</span>'
        )
        append(f'<li class="kind-{escape(node.kind)}{" match" if row.match else ""}" '
               f'data-node="{node.pk}" data-code="{code}">{body}')
        if row.has_children:
            label = escape(toggle % {"node": f"{node.code} {name}"})
            append(f'<details{" open" if row.open else ""}><summary>'
                   f'<span class="sr-only">{label}</span></summary><ul>')
        else:
            append("</li>")
        append("</ul></details></li>" * row.closes)
    return mark_safe("\n".join(parts))  # noqa: S308 (every value above is escaped)


@register.simple_tag(takes_context=True)
def object_links(context, record, place):
    """``{% object_links standard "actions" as links %}``: what other apps link from here."""
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


_MENUS = {}


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu, rendered once per language, page (the active entry), URL prefix and
    the three things about the user it shows (the export entry, the security log, the
    administration link), then kept in this process: the menu holds nothing else of the
    user or of the data."""
    request = context["request"]
    user = request.user
    name = request.resolver_match.url_name if request.resolver_match else None
    key = (get_language(), get_script_prefix(), name,
           user.has_perm("registry.export_system_table"), user.is_staff,
           reads_security_log(user))
    menu = _MENUS.get(key)
    if menu is None:
        menu = _MENUS[key] = mark_safe(render_to_string(  # noqa: S308 (a rendered template)
            "includes/main_menu.html",
            {"name": name, "can_export": key[3], "is_staff": key[4],
             "reads_security_log": key[5]}))
    return menu


@register.filter
def among(url_name, names):
    """``request.resolver_match.url_name|among:"checks check"`` — for the active menu."""
    return url_name in names.split()
