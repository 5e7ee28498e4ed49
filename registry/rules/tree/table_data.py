"""The system table (标准体系表, GB/T 13016) as rows: the detail table (明细表) and the
statistics table (统计表), for the live system or the system as of a past moment.

Every exporter (JSON, CSV, XLSX, PDF) renders ``SystemData``; nothing here knows formats.
"""

import copy
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Standard
from catalog.models.choices import IN_FORCE, Level, Status
from registry.models import Node, NodeKind, Placement
from registry.rules.tree.as_of import snapshot_rows, take_snapshot
from registry.rules.tree.rows import build_rows
from registry.rules.tree.scope import system_root


@dataclass
class SystemData:
    """A system (or subtree) with its standards: live, or rebuilt as of ``moment``."""

    root: Node
    rows: list                       # TreeRow in path order
    placed: dict                     # node id → [Standard] (computed_status, replaces_numbers)
    unplaced: list = field(default_factory=list)
    moment: object = None

    @property
    def organization(self):
        top = self.rows[0].node if self.rows else self.root
        return top.organization


def live_data(root):
    """Four queries whatever the size: nodes, placements, standards with status, supersessions."""
    rows = build_rows(root)
    # The catalog as the system's organization sees it (its own Q/ standards, not
    # another's), whichever organization is acted in.
    seen = Q(owner__isnull=True) | Q(owner_id=root.owner_id)
    standards = {
        s.pk: s for s in Standard.unscoped.filter(seen).with_status().prefetch_related(
            Prefetch("replaces", queryset=Standard.unscoped.only("number")))
    }
    for standard in standards.values():
        standard.replaces_numbers = sorted(old.number for old in standard.replaces.all())
    placements = list(Placement.objects.filter(node__path__startswith=root.path)
                      .only("node_id", "standard_id", "note", "position"))
    placed = _placed(placements, standards)
    # Placed anywhere in the organization's systems (not another organization's).
    everywhere = set(Placement.objects.filter(node__owner_id=root.owner_id)
                     .values_list("standard_id", flat=True))
    unplaced = [s for s in standards.values() if s.pk not in everywhere]
    return SystemData(root=root, rows=rows, placed=placed, unplaced=unplaced)


def _placed(placements, standards):
    """node id → its standards in table order, each a copy carrying its placement's note
    (``placement_note``) so that a standard placed twice keeps both remarks."""
    placed = {}
    for placement in placements:
        standard = copy.copy(standards[placement.standard_id])
        standard.placement_note = placement.note or ""
        standard.position = getattr(placement, "position", None)
        placed.setdefault(placement.node_id, []).append(standard)
    for node_id, items in placed.items():
        placed[node_id] = ordered(items)
    return placed


def ordered_placements(placements):
    """The placements of one node (with their standards) in table order."""
    placements = list(placements)
    for placement in placements:
        placement.standard.position = placement.position
    rank = {s.pk: i for i, s in enumerate(ordered([p.standard for p in placements]))}
    return sorted(placements, key=lambda p: rank[p.standard_id])


# The order tables are read in: national, industry, local, group, enterprise, then
# international and foreign standards.
LEVEL_ORDER = {level: index for index, level in enumerate(
    (Level.NATIONAL, Level.INDUSTRY, Level.LOCAL, Level.GROUP, Level.ORGANIZATION,
     Level.INTERNATIONAL, Level.FOREIGN))}


def _natural(text):
    """``"2260"`` before ``"12402"``, ``"1.2"`` before ``"1.10"``: digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.findall(r"\d+|[^\d.]+", text or ""))


def sort_key(standard):
    """Level, code, serial numerically, then year (undated first)."""
    return (LEVEL_ORDER.get(standard.level, len(LEVEL_ORDER)), standard.code,
            _natural(standard.serial), standard.year or 0, standard.number)


def ordered(standards):
    """The standards of one node in table order: the office's manual order when one is set
    on the node (any placement with a ``position``), the reading order otherwise."""
    if any(getattr(s, "position", None) is not None for s in standards):
        return sorted(standards, key=lambda s: (
            s.position is None, s.position or 0, sort_key(s)))
    return sorted(standards, key=sort_key)


def as_of_data(moment, code=None):
    """The system as it stood at ``moment`` (read from the history)."""
    live_root = system_root()
    snapshot = take_snapshot(moment, live_root.pk if live_root else None)
    if snapshot.root is None:
        return None
    rows = snapshot_rows(snapshot)
    if code:
        top = next((r for r in rows if r.node.code == code), None)
        if top is None:
            return None
        rows = [r for r in rows if r.node.path.startswith(top.node.path)]
    for standard in snapshot.standards.values():
        standard.replaces_numbers = sorted(
            snapshot.standards[old].number for old in snapshot.replaces.get(standard.pk, ())
            if old in snapshot.standards)
    placed = _placed(snapshot.placements, snapshot.standards)
    in_tree = {p.standard_id for p in snapshot.placements}
    unplaced = [s for s in snapshot.standards.values() if s.pk not in in_tree]
    return SystemData(root=rows[0].node, rows=rows, placed=placed, unplaced=unplaced,
                      moment=moment)


# --- the detail table ------------------------------------------------------------------

# The columns of the detail table (明细表) of GB/T 13016-2018, in its order, then the two
# this registry adds: the status and the withdrawal date.
GBT_13016_COLUMNS = ("seq", "code", "number", "title", "level", "implemented_on", "adoption",
                     "replaces", "remarks")
COLUMNS = {
    "seq": _("No."),                                                 # 序号
    "code": _("System table code"),                                  # 标准体系表编号
    "number": _("Standard number"),                                  # 标准编号
    "title": _("Standard title"),                                    # 标准名称
    "level": _("Appropriate level"),                                 # 宜定级别
    "implemented_on": _("Implementation date"),                      # 实施日期
    "adoption": _("International or foreign standard and adoption"),  # 国际国外标准号及采用关系
    "replaces": _("Replaced standard or withdrawn"),                 # 被代替标准号或作废
    "remarks": _("Remarks"),                                         # 备注
    "status": _("Status"),                                           # 状态
    "withdrawn_on": _("Withdrawal date"),                            # 废止日期
}
# Where each detail row sits, by code and name: the CSV and XLSX carry them after the
# table's columns, so a file read on its own (or imported) knows the tree.
GROUP_COLUMNS = {
    "subsystem": _("Subsystem"),
    "category": _("Category"),
    "aspect": _("Aspect"),
}
# Last in the CSV and XLSX: the number as the source document printed it, when that differs
# (GB 3100-93), so an import of the export keeps it.
EXTRA_COLUMNS = {
    "printed_number": _("Number as printed"),
}


def columns():
    """The configured columns (``REGISTRY_SYSTEM_TABLE_COLUMNS``) with their labels."""
    keys = getattr(settings, "REGISTRY_SYSTEM_TABLE_COLUMNS", None) or list(COLUMNS)
    return [(key, COLUMNS[key]) for key in keys if key in COLUMNS]


@dataclass
class DetailRow:
    seq: int
    code: str              # the node's system code (标准体系表编号)
    number: str
    title: str
    level: str
    implemented_on: str
    adoption: str          # "ISO 9001:2015, IDT"
    replaces: str          # "GB/T 19001—2008", and "Withdrawn" when it is
    remarks: str           # the placement's note, else the standard's remarks; an open
                           # aspect's remarks, else "gap"
    status: str
    withdrawn_on: str
    subsystem: str         # "100 基础通用标准"
    category: str
    aspect: str = ""
    printed_number: str = ""
    gap: bool = False
    status_value: str = ""  # catalog.models.choices.Status value; "" on a gap row
    standard_id: int | None = None
    node_id: int | None = None

    def values(self, keys):
        return [getattr(self, key) for key in keys]


def localized(obj, english, attr="title"):
    """``obj``'s ``attr`` (title, name) in the export's language: the English one when asked
    and written, else the Chinese."""
    return (getattr(obj, f"{attr}_en", "") or getattr(obj, attr)) if english else getattr(obj, attr)


def adoption_text(standard):
    """国际国外标准号及采用关系: ``ISO 9001:2015, IDT``."""
    number = getattr(standard, "adopted_number", None) or ""
    degree = getattr(standard, "adoption_degree", None) or ""
    return ", ".join(part for part in (number, degree) if part)


def number_text(standard):
    """标准编号 with its edition note: ``GB 50016—2014（2018年版）`` (the adopted standard has
    its own column)."""
    edition = getattr(standard, "edition_year", None)
    return f"{standard.number}（{edition}年版）" if edition else standard.number


def replaces_text(standard):
    parts = list(standard.replaces_numbers)
    if standard.computed_status == Status.WITHDRAWN:
        parts.append(str(_("Withdrawn")))
    return ", ".join(parts)


def detail_rows(data, english=False):
    """One row per placement and per open aspect, in tree order (within a node, the order
    of ``ordered``), with the subsystem, category and aspect each belongs to."""
    rows, seq = [], 0
    subsystem = category = aspect = ""
    for row in data.rows:
        node = row.node
        name = localized(node, english, "name")
        label = f"{node.code} {name}"
        if node.kind == NodeKind.SUBSYSTEM:
            subsystem, category, aspect = label, "", ""
        elif node.kind == NodeKind.CATEGORY:
            category, aspect = label, ""
        elif node.kind == NodeKind.ASPECT:
            aspect = label
        for standard in data.placed.get(node.pk, []):
            seq += 1
            rows.append(DetailRow(
                seq=seq, code=node.code, number=number_text(standard),
                title=localized(standard, english), level=str(Level(standard.level).label),
                implemented_on=standard.implemented_on.isoformat()
                if standard.implemented_on else "",
                adoption=adoption_text(standard), replaces=replaces_text(standard),
                remarks=getattr(standard, "placement_note", "") or standard.remarks or "",
                status=str(Status(standard.computed_status).label),
                withdrawn_on=standard.withdrawn_on.isoformat() if standard.withdrawn_on else "",
                subsystem=subsystem, category=category, aspect=aspect,
                printed_number=getattr(standard, "printed_number", None) or "",
                status_value=standard.computed_status, standard_id=standard.pk,
                node_id=node.pk,
            ))
        if row.is_gap:
            seq += 1
            rows.append(DetailRow(
                seq=seq, code=node.code, number="", title=name, level="",
                implemented_on="", adoption="", replaces="", status=str(_("To be written")),
                withdrawn_on="", remarks=getattr(node, "remarks", None) or str(_("gap")),
                subsystem=subsystem, category=category, aspect=aspect, gap=True,
                node_id=node.pk,
            ))
    return rows


# --- the statistics table --------------------------------------------------------------

# Statuses of a placed standard that the system means to have: counted as expected (应有).
# Withdrawn and superseded standards stay listed but are counted in neither column.
EXPECTED = (Status.CURRENT, Status.UPCOMING, Status.IN_DEVELOPMENT)


@dataclass
class Count:
    label: str
    expected: int = 0   # 应有数
    existing: int = 0   # 现有数

    @property
    def percent(self):
        return round(100 * self.existing / self.expected, 1) if self.expected else 0.0


def statistics_note():
    """The sentence printed under the statistics table."""
    return str(_(
        "A standard placed in several categories is counted once in the total and by level, "
        "and once in each subsystem it sits in, so the subsystems can add up to more than the "
        "total. Expected: the current, upcoming and in-development standards and every open "
        "aspect; existing: the current standards. Withdrawn and superseded standards are "
        "listed but not counted."))


def statistics(data, english=False):
    """应有数 / 现有数 / % per subsystem and per level, with totals, and ``note``.

    Expected: every distinct placed standard the system means to have (``EXPECTED``) and
    every open aspect (an aspect the system says should have a standard); existing: the
    distinct placed standards that are current. A standard placed twice counts once in the
    total and by level, and once in each subsystem it sits in."""
    by_subsystem, by_level = {}, {level: Count(str(level.label)) for level in Level}
    total = Count(str(_("Total")))
    gaps = Count(str(_("Not yet written (open aspects)")))
    seen = {}   # Count id → standard ids counted there
    current = None

    def add(count, standard):
        ids = seen.setdefault(id(count), set())
        if standard.pk not in ids:
            ids.add(standard.pk)
            count.expected += 1
            count.existing += standard.computed_status in IN_FORCE

    for row in data.rows:
        node = row.node
        if node.kind == NodeKind.SUBSYSTEM:
            current = by_subsystem.setdefault(
                node.pk, Count(f"{node.code} {localized(node, english, 'name')}"))
        counts = [c for c in (current, total) if c is not None]
        counted_here = False
        for standard in data.placed.get(node.pk, []):
            if standard.computed_status not in EXPECTED:
                continue
            counted_here = True
            for count in (*counts, by_level[Level(standard.level)]):
                add(count, standard)
        # An open aspect whose upcoming or draft standard is already counted is not
        # counted a second time.
        if row.is_gap and not counted_here:
            for count in (*counts, gaps):
                count.expected += 1
    return {
        "subsystems": list(by_subsystem.values()),
        # Open aspects have no level yet: their own row, so the levels add up to the total.
        "levels": [c for c in (*by_level.values(), gaps) if c.expected],
        "total": total,
        "note": statistics_note(),
    }
