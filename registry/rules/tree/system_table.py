"""The system table as nested JSON: each node with its code, name, kind, clause, counts,
gap flag and standards, then the catalog's unplaced standards."""

from registry.models import Node
from registry.rules.tree.rows import nested
from registry.rules.tree.scope import system_root


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
        "withdrawn_on": standard.withdrawn_on.isoformat() if standard.withdrawn_on else None,
        "adopted_number": standard.adopted_number or None,
        "adoption_degree": standard.adoption_degree or None,
        "edition_year": standard.edition_year,
        "printed_number": standard.printed_number or None,
        "replaces": standard.replaces_numbers,
        "dated": standard.year is not None,
        # On a node: its placement's note (a standard placed twice has one per node).
        "remarks": getattr(standard, "placement_note", "") or standard.remarks or "",
    }


def system_table(data):
    """``data`` is a ``registry.rules.tree.table_data.SystemData`` (live or as of a moment)."""

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
            "remarks": getattr(node, "remarks", None) or "",
            "standards": [standard_entry(s) for s in data.placed.get(node.pk, [])],
            "children": [node_entry(child) for child in row.children],
        }

    return {
        "organization": data.organization,
        "as_of": data.moment.isoformat() if data.moment else None,
        "system": node_entry(nested(data.rows)[0]),
        "unplaced_standards": [standard_entry(s) for s in data.unplaced],
    }


def find_root(code=None):
    """The organization's system's root, or the node with ``code`` in it (for subtree
    exports)."""
    root = system_root()
    if root is None or not code:
        return root
    return Node.objects.filter(path__startswith=root.path, code=code).first()
