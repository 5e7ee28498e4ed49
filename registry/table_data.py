"""The system table (标准体系表, GB/T 13016) as rows: the detail table (明细表) and the
statistics table (统计表), for the live system or the system as of a past moment.

Every exporter (JSON, CSV, XLSX, PDF) renders ``SystemData``; nothing here knows formats.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from catalog.choices import IN_FORCE, Level, Status
from catalog.models import Standard
from registry.models import Node, NodeKind, Placement
from registry.tree import build_rows


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
        return top.organization or settings.REGISTRY_ORGANIZATION


def live_data(root):
    """Four queries whatever the size: nodes, placements, standards with status, supersessions."""
    rows = build_rows(root)
    standards = {
        s.pk: s for s in Standard.objects.with_status().prefetch_related(
            Prefetch("replaces", queryset=Standard.objects.only("number")))
    }
    for standard in standards.values():
        standard.replaces_numbers = sorted(old.number for old in standard.replaces.all())
    placed = {}
    placed_ids = set()
    for node_id, standard_id in (
        Placement.objects.filter(node__path__startswith=root.path)
        .order_by("standard__number").values_list("node_id", "standard_id")
    ):
        placed.setdefault(node_id, []).append(standards[standard_id])
        placed_ids.add(standard_id)
    everywhere = set(Placement.objects.values_list("standard_id", flat=True))
    unplaced = [s for s in standards.values() if s.pk not in everywhere]
    return SystemData(root=root, rows=rows, placed=placed, unplaced=unplaced)


def as_of_data(moment, code=None):
    """The system as it stood at ``moment`` (read from the history)."""
    from registry.as_of import snapshot_rows, take_snapshot

    live_root = Node.objects.get_root_nodes().first()
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
    placed = {}
    for placement in sorted(snapshot.placements,
                            key=lambda p: snapshot.standards[p.standard_id].number):
        placed.setdefault(placement.node_id, []).append(snapshot.standards[placement.standard_id])
    in_tree = {p.standard_id for p in snapshot.placements}
    unplaced = [s for s in snapshot.standards.values() if s.pk not in in_tree]
    return SystemData(root=rows[0].node, rows=rows, placed=placed, unplaced=unplaced,
                      moment=moment)


# --- the detail table ------------------------------------------------------------------

COLUMNS = {
    "seq": _("No."),
    "code": _("System code"),
    "number": _("Standard number"),
    "title": _("Standard title"),
    "level": _("Level"),
    "implemented_on": _("Implementation date"),
    "replaces": _("Replaces"),
    "status": _("Status"),
    "remarks": _("Remarks"),
}


def columns():
    """The configured columns (``REGISTRY_SYSTEM_TABLE_COLUMNS``) with their labels."""
    keys = getattr(settings, "REGISTRY_SYSTEM_TABLE_COLUMNS", None) or list(COLUMNS)
    return [(key, COLUMNS[key]) for key in keys if key in COLUMNS]


@dataclass
class DetailRow:
    seq: int
    code: str
    number: str
    title: str
    level: str
    implemented_on: str
    replaces: str
    status: str
    remarks: str
    subsystem: str
    category: str
    gap: bool = False

    def values(self, keys):
        return [getattr(self, key) for key in keys]


def _title(obj, english, attr="title"):
    return (getattr(obj, f"{attr}_en", "") or getattr(obj, attr)) if english else getattr(obj, attr)


def detail_rows(data, english=False):
    """One row per placed standard and per open aspect, in tree order, with the subsystem
    and category each belongs to (for grouping)."""
    rows, seq = [], 0
    subsystem = category = ""
    for row in data.rows:
        node = row.node
        name = _title(node, english, "name")
        if node.kind == NodeKind.SUBSYSTEM:
            subsystem, category = f"{node.code} {name}", ""
        elif node.kind == NodeKind.CATEGORY:
            category = f"{node.code} {name}"
        for standard in data.placed.get(node.pk, []):
            seq += 1
            rows.append(DetailRow(
                seq=seq, code=node.code, number=standard.number,
                title=_title(standard, english), level=str(Level(standard.level).label),
                implemented_on=standard.implemented_on.isoformat()
                if standard.implemented_on else "",
                replaces=", ".join(standard.replaces_numbers),
                status=str(Status(standard.computed_status).label),
                remarks=standard.remarks, subsystem=subsystem, category=category,
            ))
        if row.is_gap:
            seq += 1
            rows.append(DetailRow(
                seq=seq, code=node.code, number="", title=name, level="",
                implemented_on="", replaces="", status=str(_("To be written")),
                remarks=str(_("gap")), subsystem=subsystem, category=category, gap=True,
            ))
    return rows


# --- the statistics table --------------------------------------------------------------


@dataclass
class Count:
    label: str
    expected: int = 0   # 应有数
    existing: int = 0   # 现有数

    @property
    def percent(self):
        return round(100 * self.existing / self.expected, 1) if self.expected else 0.0


def statistics(data, english=False):
    """应有数 / 现有数 / % per subsystem and per level, with totals.

    Expected: every placed standard and every open aspect (an aspect the system says should
    have a standard); existing: the placed standards that are current."""
    by_subsystem, by_level = {}, {level: Count(str(level.label)) for level in Level}
    total = Count(str(_("Total")))
    gaps = Count(str(_("Not yet written (open aspects)")))
    current = None
    for row in data.rows:
        node = row.node
        if node.kind == NodeKind.SUBSYSTEM:
            current = by_subsystem.setdefault(
                node.pk, Count(f"{node.code} {_title(node, english, 'name')}"))
        counts = [c for c in (current, total) if c is not None]
        for standard in data.placed.get(node.pk, []):
            in_force = standard.computed_status in IN_FORCE
            for count in (*counts, by_level[Level(standard.level)]):
                count.expected += 1
                count.existing += in_force
        if row.is_gap:
            for count in (*counts, gaps):
                count.expected += 1
    return {
        "subsystems": list(by_subsystem.values()),
        # Open aspects have no level yet: their own row, so the levels add up to the total.
        "levels": [c for c in (*by_level.values(), gaps) if c.expected],
        "total": total,
    }
