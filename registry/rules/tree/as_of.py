"""The standard system as it stood at a past moment, rebuilt from the history.

Uses simple-history's ``as_of`` selection (the latest row of each record up to the moment,
deletions dropped; served by the composite (history_date, id) index) on nodes,
placements, standards and supersessions: four queries whatever the size of the tree.
Nodes are re-linked by the parent and position their history rows keep.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from catalog.models import Standard, Supersession
from catalog.models.choices import Status
from registry.models import Node, Placement
from registry.rules.tree.rows import rows_from
from registry.rules.tree.scope import system_root


@dataclass
class Snapshot:
    moment: object
    nodes: dict = field(default_factory=dict)        # id → Node (unsaved, path rebuilt)
    placements: list = field(default_factory=list)   # Placement instances
    standards: dict = field(default_factory=dict)    # id → Standard with computed_status
    replaces: dict = field(default_factory=dict)     # new standard id → [old standard ids]
    root: Node | None = None


def parse_moment(text):
    """``2026-11-27`` → the end of that day; ``2026-11-27T10:30`` → that minute."""
    text = (text or "").strip()
    if not text:
        return None
    # A bare date first: parse_datetime would read it as that day's midnight.
    try:
        day = parse_date(text) if len(text) == 10 else None
        moment = datetime.combine(day, time.max) if day else parse_datetime(text)
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
    except (ValueError, OverflowError):  # 2026-02-30, hour 24, year 0 …
        return None
    return moment


def in_force(standard, day):
    """Whether ``standard``, a successor, supersedes what it replaces on ``day``."""
    return not standard.is_draft and (standard.implemented_on is None
                                      or standard.implemented_on <= day)


def status_on(standard, successors, day):
    """The status rule of ``StandardQuerySet.with_status`` applied to historical data."""
    if standard.withdrawn_on and standard.withdrawn_on <= day:
        return Status.WITHDRAWN
    if any(in_force(new, day) for new in successors):
        return Status.SUPERSEDED
    if standard.is_draft:
        return Status.IN_DEVELOPMENT
    if standard.implemented_on and standard.implemented_on > day:
        return Status.UPCOMING
    return Status.CURRENT


def _latest_records(model, moment):
    """What ``history.as_of`` selects (the latest row of each record up to ``moment``,
    deletions dropped), as history rows rather than instances."""
    return (
        model.history.filter(history_date__lte=moment)
        .latest_of_each().exclude(history_type="-")
    )


def _node_from(record):
    """A node as it stood, from its history row. (simple-history's own instances would
    fetch the excluded path fields from the live table, one query per node.)"""
    excluded = {"path", "depth", "numchild"}
    node = Node(**{
        f.attname: getattr(record, f.attname)
        for f in Node._meta.concrete_fields if f.attname not in excluded
    })
    node._history = record
    return node


def take_snapshot(moment, root_id=None):
    """The system of root ``root_id`` (default: the organization acted in's) at ``moment``:
    empty when that root did not exist then."""
    snapshot = Snapshot(moment=moment)
    if root_id is None:
        current = system_root()
        root_id = current.pk if current else None
    day = moment.date() if hasattr(moment, "date") else moment
    nodes = [_node_from(record) for record in _latest_records(Node, moment)]
    children = {}
    for node in nodes:
        record = node._history
        children.setdefault(record.parent_node_id, []).append(node)
    roots = sorted(children.get(None, []), key=lambda n: n._history.position or 0)
    root = next((r for r in roots if r.pk == root_id), None)
    if root is None:
        return snapshot
    # Rebuild materialised paths from parent and position so the tree code can be reused.
    stack = [(root, Node._get_path(None, 1, 1), 1)]
    while stack:
        node, path, depth = stack.pop()
        node.path, node.depth = path, depth
        kids = sorted(children.get(node.pk, []), key=lambda n: n._history.position or 0)
        node.numchild = len(kids)
        snapshot.nodes[node.pk] = node
        for index, kid in enumerate(kids, start=1):
            stack.append((kid, Node._get_path(path, depth + 1, index), depth + 1))
    snapshot.root = root

    standards = {s.pk: s for s in Standard.history.as_of(moment)}
    successors = {}
    for link in Supersession.history.as_of(moment):
        snapshot.replaces.setdefault(link.new_id, []).append(link.old_id)
        if link.new_id in standards:
            successors.setdefault(link.old_id, []).append(standards[link.new_id])
    for standard in standards.values():
        standard.computed_status = status_on(standard, successors.get(standard.pk, []), day)
    snapshot.standards = standards
    snapshot.placements = [
        p for p in Placement.history.as_of(moment)
        if p.node_id in snapshot.nodes and p.standard_id in standards
    ]
    return snapshot


def snapshot_rows(snapshot, query=""):
    nodes = sorted(snapshot.nodes.values(), key=lambda n: n.path)
    statuses = [
        (snapshot.nodes[p.node_id].path, snapshot.standards[p.standard_id].computed_status)
        for p in snapshot.placements
    ]
    return rows_from(snapshot.root, nodes, statuses, query)


@dataclass
class Difference:
    kind: str          # added / removed / moved / renamed / changed
    label: str
    detail: str = ""


NODE_FIELDS = ("code", "clause", "description", "name_en")
STANDARD_FIELDS = ("title", "title_en", "issued_on", "implemented_on", "withdrawn_on",
                   "is_draft", "remarks")


def _node_label(node):
    return f"{node.code} {node.name}"


def compare(before, after):
    """What changed between two snapshots: nodes and standards added, removed, moved,
    renamed or changed; placements added or removed."""
    nodes, standards = [], []
    for pk in after.nodes.keys() - before.nodes.keys():
        nodes.append(Difference("added", _node_label(after.nodes[pk])))
    for pk in before.nodes.keys() - after.nodes.keys():
        nodes.append(Difference("removed", _node_label(before.nodes[pk])))
    for pk in before.nodes.keys() & after.nodes.keys():
        old, new = before.nodes[pk], after.nodes[pk]
        old_parent, new_parent = old._history.parent_node_id, new._history.parent_node_id
        if old_parent != new_parent:
            nodes.append(Difference("moved", _node_label(new), "{} → {}".format(
                _node_label(before.nodes[old_parent]) if old_parent in before.nodes else "—",
                _node_label(after.nodes[new_parent]) if new_parent in after.nodes else "—",
            )))
        elif old._history.position != new._history.position:
            nodes.append(Difference("reordered", _node_label(new),
                                    f"{old._history.position} → {new._history.position}"))
        if old.name != new.name:
            nodes.append(Difference("renamed", _node_label(new), f"{old.name} → {new.name}"))
        changed = [f for f in NODE_FIELDS if getattr(old, f) != getattr(new, f)]
        if changed:
            nodes.append(Difference("changed", _node_label(new), ", ".join(
                f"{f}: {getattr(old, f)} → {getattr(new, f)}" for f in changed)))
    for pk in after.standards.keys() - before.standards.keys():
        standards.append(Difference("added", after.standards[pk].number))
    for pk in before.standards.keys() - after.standards.keys():
        standards.append(Difference("removed", before.standards[pk].number))
    for pk in before.standards.keys() & after.standards.keys():
        old, new = before.standards[pk], after.standards[pk]
        changed = [f for f in STANDARD_FIELDS if getattr(old, f) != getattr(new, f)]
        if old.number != new.number:
            standards.append(Difference("renamed", new.number, f"{old.number} → {new.number}"))
        if old.computed_status != new.computed_status:
            was, now = Status(old.computed_status).label, Status(new.computed_status).label
            standards.append(Difference("changed", new.number, f"{was} → {now}"))
        if changed:
            standards.append(Difference("changed", new.number, ", ".join(
                f"{f}: {getattr(old, f) or '—'} → {getattr(new, f) or '—'}" for f in changed)))
    old_links = {(p.node_id, p.standard_id) for p in before.placements}
    new_links = {(p.node_id, p.standard_id) for p in after.placements}
    for node_id, standard_id in sorted(new_links - old_links):
        standards.append(Difference("placed", after.standards[standard_id].number,
                                    _node_label(after.nodes[node_id])))
    for node_id, standard_id in sorted(old_links - new_links):
        standards.append(Difference("unplaced", before.standards[standard_id].number,
                                    _node_label(before.nodes[node_id])))
    order = {"added": 0, "removed": 1, "moved": 2, "reordered": 3, "renamed": 4,
             "changed": 5, "placed": 6, "unplaced": 7}
    nodes.sort(key=lambda d: (order[d.kind], d.label))
    standards.sort(key=lambda d: (order[d.kind], d.label))
    return nodes, standards

