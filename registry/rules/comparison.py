"""The prefecture's comparison of its organizations' systems (clause 6.2.4): per
organization, the template aspects kept, removed and added, aspects (应有), aspects with a
current standard (现有), coverage and gaps, then the columns apps above registry declare
(``comparison_columns``: lifecycle's overdue projects and corrective actions); per template
aspect, which organizations cover it with which standards. A constant number of queries,
whatever the number of organizations or the size of their trees."""

import io
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from catalog.models import Standard
from catalog.models.choices import IN_FORCE
from organizations.models import Organization
from organizations.rules import descendants
from registry.models import Node, Placement, TemplateNode


@dataclass
class OrganizationFigures:
    organization: object
    derived: bool = False
    kept: int = 0
    removed: int = 0
    added: int = 0
    aspects: int = 0
    covered: int = 0
    extra: list = field(default_factory=list)  # one number per Comparison.columns
    declared: list = field(default_factory=list)  # those columns

    @property
    def gaps(self):
        return self.aspects - self.covered

    @property
    def columns(self):
        """(number, ComparisonColumn) pairs, for the page."""
        return list(zip(self.extra, self.declared, strict=True))

    @property
    def coverage(self):
        return round(100 * self.covered / self.aspects, 1) if self.aspects else None


@dataclass
class AspectRow:
    code: str
    name: str
    # organization id → None (removed there), [] (kept, no current standard) or numbers
    cells: dict = field(default_factory=dict)


@dataclass
class Comparison:
    organizations: list
    figures: list
    aspects: list
    columns: list = field(default_factory=list)  # ComparisonColumn, declared by other apps


def declared_columns():
    """The ``comparison_columns`` of every app, in the order of ``INSTALLED_APPS``."""
    return [column for config in apps.get_app_configs()
            for column in getattr(config, "comparison_columns", ())]


def compared_organizations(parent):
    """``parent`` and every organization beneath it, parent first, then by code."""
    by_id = {o.pk: o for o in Organization.objects.all()}
    return [parent, *sorted(descendants(by_id[parent.pk], by_id), key=lambda o: o.code)]


def compare(parent):
    organizations = compared_organizations(parent)
    ids = [o.pk for o in organizations]
    nodes = list(Node.objects.filter(owner_id__in=ids).order_by("path").values_list(
        "pk", "owner_id", "path", "depth", "numchild", "template_node_id", "code"))
    placements = list(Placement.objects.filter(node__owner_id__in=ids).order_by()
                      .values_list("node_id", "standard_id"))
    standards = {pk: (number, status) for pk, number, status in Standard.unscoped.filter(
        pk__in={standard for _node, standard in placements}).with_status().order_by()
        .values_list("pk", "number", "computed_status")} if placements else {}
    current = {}
    for node_id, standard_id in placements:
        number, status = standards[standard_id]
        if status in IN_FORCE:
            current.setdefault(node_id, []).append(number)
    roots = {owner: template_node for _pk, owner, _p, depth, _n, template_node, _c in nodes
             if depth == 1}
    templates = dict(TemplateNode.objects.filter(pk__in=[t for t in roots.values() if t])
                     .values_list("pk", "template_id"))
    template_nodes = list(TemplateNode.objects.filter(template_id__in=set(templates.values()))
                          .values_list("pk", "template_id", "depth", "code", "name"))
    figures = {o.pk: OrganizationFigures(organization=o, derived=bool(roots.get(o.pk)))
               for o in organizations}
    derived_from = {}  # organization → template node ids it holds
    by_code = {}       # organization → code → node id (template aspects kept)
    for pk, owner, _path, depth, _numchild, template_node, code in nodes:
        numbers = figures[owner]
        if depth > 1:
            if template_node:
                numbers.kept += 1
                derived_from.setdefault(owner, set()).add(template_node)
                by_code.setdefault(owner, {})[code] = pk
            elif numbers.derived:
                numbers.added += 1
        if depth >= 4:  # an aspect (NodeKind.ASPECT): a slot for a standard
            numbers.aspects += 1
            numbers.covered += bool(current.get(pk))
    for organization in organizations:
        root_template = templates.get(roots.get(organization.pk))
        if root_template is None:
            continue
        held = derived_from.get(organization.pk, set())
        figures[organization.pk].removed = sum(
            1 for pk, template, depth, _code, _name in template_nodes
            if template == root_template and depth > 1 and pk not in held)
    # The aspects of the parent's template (or the built-in one), matched by code: codes
    # are kept from the template they were derived from.
    reference = templates.get(roots.get(parent.pk)) or next(iter(set(templates.values())),
                                                             None)
    aspects = []
    for _pk, template, depth, code, name in sorted(template_nodes, key=lambda t: t[3]):
        if template != reference or depth < 4:
            continue
        row = AspectRow(code=code, name=name)
        for organization in organizations:
            node_id = by_code.get(organization.pk, {}).get(code)
            row.cells[organization.pk] = (None if node_id is None
                                          else sorted(current.get(node_id, [])))
        aspects.append(row)
    columns = declared_columns()
    for column in columns:
        counts = import_string(column.count)(ids)  # one query for every organization
        for organization in organizations:
            figures[organization.pk].extra.append(counts.get(organization.pk, 0))
    for numbers in figures.values():
        numbers.declared = columns
    return Comparison(organizations=organizations,
                      figures=[figures[o.pk] for o in organizations], aspects=aspects,
                      columns=columns)


def comparison_xlsx(comparison):
    """Both tables, a sheet each."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Organizations"))[:31]
    sheet.append([str(label) for label in (
        _("Organization"), _("Code"), _("Template aspects kept"), _("Removed"), _("Added"),
        _("Aspects (应有)"), _("With a current standard (现有)"), _("Coverage %"),
        _("Gaps"), *(column.label for column in comparison.columns))])
    for f in comparison.figures:
        sheet.append([f.organization.name, f.organization.code, f.kept, f.removed, f.added,
                      f.aspects, f.covered, f.coverage, f.gaps, *f.extra])
    sheet.freeze_panes = "A2"
    aspects = book.create_sheet(str(_("Aspects"))[:31])
    aspects.append([str(_("System code")), str(_("Aspect")),
                    *[o.name for o in comparison.organizations]])
    for row in comparison.aspects:
        aspects.append([row.code, row.name, *[
            str(_("removed")) if row.cells[o.pk] is None else "; ".join(row.cells[o.pk])
            for o in comparison.organizations]])
    aspects.freeze_panes = "C2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
