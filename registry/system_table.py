"""The system table (标准体系表) as data: the tree with its standards, in a fixed number of
queries. Exporters (JSON now; PDF, XLSX and CSV later) render this structure."""

from django.db.models import Prefetch

from catalog.models import Standard
from registry.models import Node, Placement
from registry.tree import build_rows, nested


def standard_entry(standard):
    return {
        "number": standard.number,
        "title": standard.title,
        "title_en": standard.title_en,
        "level": standard.level,
        "status": standard.computed_status,
        "issued_on": standard.issued_on.isoformat() if standard.issued_on else None,
        "implemented_on": (
            standard.implemented_on.isoformat() if standard.implemented_on else None
        ),
        "replaces": [old.number for old in standard.replaces.all()],
        "dated": standard.is_dated,
    }


def system_table(root):
    """Nested dict of the system under ``root`` plus the catalog's unplaced standards."""
    rows = build_rows(root)
    standards = {
        standard.pk: standard
        for standard in Standard.objects.with_status().prefetch_related(
            Prefetch("replaces", queryset=Standard.objects.only("number"))
        )
    }
    placed = {}
    for node_id, standard_id in (
        Placement.objects.filter(node__path__startswith=root.path)
        .order_by("standard__number").values_list("node_id", "standard_id")
    ):
        placed.setdefault(node_id, []).append(standards[standard_id])

    def node_entry(row):
        node = row.node
        return {
            "code": node.code,
            "name": node.name,
            "name_en": node.name_en,
            "kind": node.kind.value,
            "clause": node.clause,
            "standards_count": row.standards,
            "gap": row.is_gap,
            "standards": [standard_entry(s) for s in placed.get(node.pk, [])],
            "children": [node_entry(child) for child in row.children],
        }

    placed_anywhere = set(Placement.objects.values_list("standard_id", flat=True))
    return {
        "organization": root.organization,
        "system": node_entry(nested(rows)[0]),
        "unplaced_standards": [
            standard_entry(s) for s in standards.values()
            if s.pk not in placed_anywhere
        ],
    }


def find_root(code=None):
    """The first system's root, or the node with ``code`` in it (for subtree exports)."""
    root = Node.objects.get_root_nodes().first()
    if root is None or not code:
        return root
    return Node.objects.filter(path__startswith=root.path, code=code).first()
