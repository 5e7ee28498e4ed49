"""The tailoring report (剪裁说明, clause 6.2.4): an organization's system compared with the
template it was derived from — every template aspect removed, every node added, every
template node renamed or moved — with who, when and why, and the counts.

What deviates is read from the tree as it is now (so a restored aspect is no longer
removed); who, when and why from the latest tailoring record of that deviation."""

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from registry.models import (
    EditionProposal,
    Node,
    ProposalKind,
    ProposalStatus,
    Tailoring,
    TailoringKind,
    TailoringReason,
    TemplateNode,
)
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
    name_en: str = ""    # for the English system table; not part of the report's data
    beneath: int = 0     # a removal: the template aspects beneath removed with it

    def when(self):
        """``at`` in the local time zone, to the minute, for the page."""
        if not self.at:
            return ""
        return timezone.localtime(datetime.fromisoformat(self.at)).strftime("%Y-%m-%d %H:%M")

    def name_with_beneath(self, name=None):
        """The name (or ``name``, the English one), saying what was removed with it."""
        name = self.name if name is None else name
        if not self.beneath:
            return name
        return _("%(name)s (with %(count)s aspects beneath)") % {"name": name,
                                                                  "count": self.beneath}

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
            "deviations": [{k: v for k, v in asdict(d).items()
                            if k not in ("template_node_id", "name_en")}
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
                .only("id", "path", "depth", "code", "name", "name_en", "template_node_id"))
    by_path = {n.path: n for n in live}
    derived_from = {n.template_node_id: n for n in live if n.template_node_id}
    records = {}
    for record in (Tailoring.objects.filter(organization=organization)
                   .select_related("created_by").order_by("created_at", "pk")):
        records[(record.kind, record.template_node_id or record.code)] = record
    # A system that followed a template's new edition: its earlier records name the aspect
    # as it was in the editions before (TemplateNode.previous_node).
    earlier = _earlier_nodes(template.values())

    def deviation(kind, key, **values):
        found = records.get((kind, key)) or next(
            (records[(kind, older)] for older in earlier.get(key, ()) if (kind, older) in records),
            None)
        if found is not None:
            values.update(why=found.why, reason=found.reason, by=_who(found),
                          at=found.created_at.isoformat(timespec="seconds"))
        report.deviations.append(Deviation(kind=kind, **values))
        return report.deviations[-1]

    changed = []  # renamed or moved: who, when and why are the node's own last change
    decided = []  # additions, with the template node they keep (edition proposals)

    for node in live:
        if node.depth == 1:
            continue
        source = template.get(node.template_node_id)
        if source is None:
            report.added += 1
            changed.append((node.pk, deviation(TailoringKind.ADDED, node.code, code=node.code,
                                               name=node.name, name_en=node.name_en)))
            decided.append((report.deviations[-1], node.template_node_id))
            continue
        report.kept += 1
        common = {"code": node.code, "name": node.name, "name_en": node.name_en,
                  "template_code": source.code,
                  "template_name": source.name, "template_node_id": source.pk}
        if node.name != source.name:
            report.renamed += 1
            changed.append((node.pk, deviation(TailoringKind.RENAMED, source.pk, **common)))
        parent = by_path.get(node.path[:-Node.steplen])
        if parent is not None and parent.template_node_id != source.parent_id:
            report.moved += 1
            changed.append((node.pk, deviation(TailoringKind.MOVED, source.pk, **common)))
    # An aspect removed with its subtree is one deviation, "with N aspects beneath" (each
    # still counts as removed); one removed on its own before it keeps its own line.
    removed_with = {}  # template node id → (its line, the record of the removal)
    for source in sorted(template.values(), key=lambda t: (t.depth, t.code)):
        if source.parent_id is None or source.pk in derived_from:
            continue
        report.removed += 1
        own = records.get((TailoringKind.REMOVED, source.pk))
        top = removed_with.get(source.parent_id)
        # Removed with it: recorded by the same removal (not before it), or not at all.
        if top is not None and (own is None or top[1] is not None
                                and own.created_at >= top[1].created_at):
            top[0].beneath += 1
            removed_with[source.pk] = top
            continue
        removed_with[source.pk] = (deviation(
            TailoringKind.REMOVED, source.pk, code=source.code, name=source.name,
            name_en=source.name_en, template_code=source.code, template_name=source.name,
            template_node_id=source.pk), own)
    if changed:
        last = {row.id: row for row in Node.history.filter(
            id__in=[pk for pk, _d in changed]).latest_of_each().select_related("history_user")}
        for pk, item in changed:
            row = last.get(pk)
            if row is not None:
                item.reason = row.history_change_reason or ""
                item.by = _who_user(row.history_user) if row.history_user else ""
                item.at = row.history_date.isoformat(timespec="seconds")
    _explain_by_decisions(organization, report.deviations, decided)
    order = {TailoringKind.REMOVED: 0, TailoringKind.ADDED: 1, TailoringKind.RENAMED: 2,
             TailoringKind.MOVED: 3}
    report.deviations.sort(key=lambda d: (order[d.kind], d.code))
    return report


def _earlier_nodes(nodes):
    """``{template node id: [the same aspect in the editions before, nearest first]}``: one
    query per edition back."""
    chains = {node.pk: [node.previous_node_id] for node in nodes if node.previous_node_id}
    todo = {chain[-1] for chain in chains.values()}
    while todo:
        step = dict(TemplateNode.objects.filter(pk__in=todo, previous_node__isnull=False)
                    .values_list("pk", "previous_node_id"))
        for chain in chains.values():
            if chain[-1] in step:
                chain.append(step[chain[-1]])
        todo = set(step.values())
    return chains


# Which deviation a decided edition proposal explains: a declined rename leaves the node
# renamed against the new edition, a declined removal keeps an aspect the template dropped
# (an addition), a declined addition leaves one out (a removal); an accepted removal is a
# removal until the system follows the new edition.
EXPLAINS = {
    (ProposalKind.RENAMED, ProposalStatus.DECLINED): (TailoringKind.RENAMED, "new_node_id"),
    (ProposalKind.REMOVED, ProposalStatus.DECLINED): (TailoringKind.ADDED, "old_node_id"),
    (ProposalKind.ADDED, ProposalStatus.DECLINED): (TailoringKind.REMOVED, "new_node_id"),
    (ProposalKind.REMOVED, ProposalStatus.ACCEPTED): (TailoringKind.REMOVED, "old_node_id"),
}


def _explain_by_decisions(organization, deviations, additions):
    """Who, when and why of the deviations an edition proposal's decision made are the
    decision's (declining changes no node). One query."""
    decisions = {}
    for proposal in (EditionProposal.objects.filter(organization=organization)
                     .exclude(status=ProposalStatus.PENDING)
                     .select_related("decided_by").order_by("decided_at", "pk")):
        explained = EXPLAINS.get((proposal.kind, proposal.status))
        if explained is not None:
            kind, field_name = explained
            decisions[(kind, getattr(proposal, field_name))] = proposal
    if not decisions:
        return
    kept_node = {id(item): pk for item, pk in additions}
    for item in deviations:
        key = (kept_node.get(id(item)) if item.kind == TailoringKind.ADDED
               else item.template_node_id)
        proposal = decisions.get((item.kind, key))
        if proposal is not None:
            item.reason = proposal.reason
            item.by = _who_user(proposal.decided_by) if proposal.decided_by else ""
            item.at = proposal.decided_at.isoformat(timespec="seconds")


COLUMNS = ("kind", "code", "name", "template_code", "template_name", "why", "reason", "by",
           "at")


def column_labels():
    return [_("Deviation"), _("System code"), _("Name"), _("Template code"),
            _("Name in the template"), _("Why"), _("Reason"), _("By"), _("At")]


def report_rows(report):
    """The report's table: one row per deviation, labels in the active language."""
    return [[d.kind_label(), d.code, d.name_with_beneath(), d.template_code, d.template_name,
             d.why_label(),
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
