"""The tailoring report (剪裁说明, clause 6.2.4): an organization's system compared with the
template it was derived from — every template aspect removed, every node added, every
template node renamed or moved — with who, when and why, and the counts.

What deviates is read from the tree as it is now (so a restored aspect is no longer
removed); who, when and why from the latest tailoring record of that deviation."""

import csv
import io
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook

from registry.models import Node, Tailoring, TailoringKind, TailoringReason, TemplateNode
from registry.rules.tree.scope import system_root


@dataclass
class Deviation:
    kind: str
    code: str            # the node's code (a removed aspect: the template's)
    name: str            # the node's name now (a removed aspect: the template's)
    template_code: str = ""
    template_name: str = ""
    why: str = ""
    reason: str = ""
    by: str = ""
    at: str = ""
    template_node_id: int | None = None

    def kind_label(self):
        return str(TailoringKind(self.kind).label)

    def why_label(self):
        return str(TailoringReason(self.why).label) if self.why else ""


@dataclass
class Report:
    organization: object
    template: object = None
    deviations: list = field(default_factory=list)
    kept: int = 0
    removed: int = 0
    added: int = 0
    renamed: int = 0
    moved: int = 0

    @property
    def derived(self):
        return self.template is not None

    def as_dict(self):
        return {
            "organization": {"code": self.organization.code, "name": self.organization.name},
            "template": self.template.edition if self.template else None,
            "counts": {"kept": self.kept, "removed": self.removed, "added": self.added,
                       "renamed": self.renamed, "moved": self.moved},
            "deviations": [{k: v for k, v in asdict(d).items() if k != "template_node_id"}
                           for d in self.deviations],
        }


def _who(record):
    return _who_user(record.created_by)


def _who_user(user):
    return user.get_full_name() or user.get_username()


def tailoring_report(organization):
    """The report of ``organization``'s system (``derived`` False when it was not derived
    from a template). A constant number of queries, whatever the size of the tree."""
    report = Report(organization=organization)
    root = system_root(organization)
    if root is None or root.template_node_id is None:
        return report
    template_root = TemplateNode.objects.select_related("template").get(
        pk=root.template_node_id)
    report.template = template_root.template
    template = {t.pk: t for t in TemplateNode.objects.filter(template=report.template)}
    live = list(Node.objects.filter(path__startswith=root.path).order_by("path")
                .only("id", "path", "depth", "code", "name", "template_node_id"))
    by_path = {n.path: n for n in live}
    derived_from = {n.template_node_id: n for n in live if n.template_node_id}
    records = {}
    for record in (Tailoring.objects.filter(organization=organization)
                   .select_related("created_by").order_by("created_at", "pk")):
        records[(record.kind, record.template_node_id or record.code)] = record

    def deviation(kind, key, **values):
        found = records.get((kind, key))
        if found is not None:
            values.update(why=found.why, reason=found.reason, by=_who(found),
                          at=found.created_at.isoformat(timespec="seconds"))
        report.deviations.append(Deviation(kind=kind, **values))
        return report.deviations[-1]

    changed = []  # renamed or moved: who, when and why are the node's own last change

    for node in live:
        if node.depth == 1:
            continue
        source = template.get(node.template_node_id)
        if source is None:
            report.added += 1
            changed.append((node.pk, deviation(TailoringKind.ADDED, node.code, code=node.code,
                                               name=node.name)))
            continue
        report.kept += 1
        common = {"code": node.code, "name": node.name, "template_code": source.code,
                  "template_name": source.name, "template_node_id": source.pk}
        if node.name != source.name:
            report.renamed += 1
            changed.append((node.pk, deviation(TailoringKind.RENAMED, source.pk, **common)))
        parent = by_path.get(node.path[:-Node.steplen])
        if parent is not None and parent.template_node_id != source.parent_id:
            report.moved += 1
            changed.append((node.pk, deviation(TailoringKind.MOVED, source.pk, **common)))
    for source in sorted(template.values(), key=lambda t: (t.depth, t.code)):
        if source.parent_id is not None and source.pk not in derived_from:
            report.removed += 1
            deviation(TailoringKind.REMOVED, source.pk, code=source.code, name=source.name,
                      template_code=source.code, template_name=source.name,
                      template_node_id=source.pk)
    if changed:
        last = {row.id: row for row in Node.history.filter(
            id__in=[pk for pk, _d in changed]).latest_of_each().select_related("history_user")}
        for pk, item in changed:
            row = last.get(pk)
            if row is not None:
                item.reason = row.history_change_reason or ""
                item.by = _who_user(row.history_user) if row.history_user else ""
                item.at = row.history_date.isoformat(timespec="seconds")
    order = {TailoringKind.REMOVED: 0, TailoringKind.ADDED: 1, TailoringKind.RENAMED: 2,
             TailoringKind.MOVED: 3}
    report.deviations.sort(key=lambda d: (order[d.kind], d.code))
    return report


COLUMNS = ("kind", "code", "name", "template_code", "template_name", "why", "reason", "by",
           "at")


def column_labels():
    return [_("Deviation"), _("System code"), _("Name"), _("Template code"),
            _("Name in the template"), _("Why"), _("Reason"), _("By"), _("At")]


def report_rows(report):
    """The report's table: one row per deviation, labels in the active language."""
    return [[d.kind_label(), d.code, d.name, d.template_code, d.template_name, d.why_label(),
             d.reason, d.by, d.at] for d in report.deviations]


def report_csv(report):
    """UTF-8 with a BOM (as the system table's CSV), so spreadsheet programs read Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(column_labels())
    writer.writerows(report_rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(report):
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tailoring")[:31]
    sheet.append([_("Template"), report.template.edition if report.template else ""])
    sheet.append([_("Kept"), report.kept, _("Removed"), report.removed, _("Added"),
                  report.added, _("Renamed"), report.renamed, _("Moved"), report.moved])
    sheet.append([])
    sheet.append(column_labels())
    header_row = sheet.max_row
    for row in report_rows(report):
        sheet.append(row)
    sheet.freeze_panes = f"A{header_row + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
