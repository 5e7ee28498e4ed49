"""The tree as pages show it: every node with its standard counts and gap flags.

Built from three queries whatever the size of the tree (all nodes in path order, the
placements under the root, their standards' status); the counting runs in Python.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from catalog.models import Standard
from catalog.models.choices import IN_FORCE
from registry.models import Node, NodeKind, Placement
from registry.models.tree import KIND_BY_DEPTH


class TreeNode:
    """What the tree page, the node page's children and the dashboard's coverage show of a
    node, read as plain values: at 2,000 nodes building model instances was a fifth of the
    tree page's time."""

    FIELDS = ("pk", "path", "depth", "numchild", "name", "name_en", "code", "clause")
    __slots__ = FIELDS
    steplen = Node.steplen

    def __init__(self, values):
        (self.pk, self.path, self.depth, self.numchild, self.name, self.name_en, self.code,
         self.clause) = values

    @property
    def kind(self):
        return KIND_BY_DEPTH.get(self.depth, NodeKind.ASPECT)

    def __str__(self):
        return f"{self.code} {self.name}"  # as Node's

    def get_absolute_url(self):
        return reverse("registry:node_detail", args=[self.pk])


@dataclass
class TreeRow:
    node: Node
    standards: int = 0          # placements in the subtree
    current: int = 0            # of which in force
    gaps: int = 0               # aspects in the subtree without a current standard
    has_children: bool = False
    closes: int = 0             # nesting levels to close after this row (for the template)
    open: bool = False
    match: bool = False
    children: list = field(default_factory=list)

    @property
    def is_gap(self):
        return self.node.kind == NodeKind.ASPECT and self.current == 0

    @property
    def level(self):
        return self.node.depth


def placement_statuses(root):
    """(node path, standard status) for each placement under ``root``: two queries."""
    # Unordered: the counting needs no order, and the default one joins the standards.
    under = Placement.objects.filter(node__path__startswith=root.path).order_by()
    placements = list(under.values_list("node__path", "standard_id"))
    # The standards as a subquery, not a list of thousands of ids sent back.
    status = dict(
        Standard.objects.filter(pk__in=under.values("standard_id")).with_status()
        .order_by().values_list("pk", "computed_status")
    ) if placements else {}
    return [(path, status[standard_id]) for path, standard_id in placements]


def build_rows(root, query="", plain=False):
    """Rows in path order. With a query, only matches and their ancestors, opened.
    ``plain``: each row's node is a ``TreeNode`` (values only), not a ``Node``."""
    tree = Node.objects.get_tree(root)
    nodes = ([TreeNode(values) for values in tree.values_list(*TreeNode.FIELDS)] if plain
             else list(tree))
    return rows_from(root, nodes, placement_statuses(root), query)


def rows_from(root, nodes, statuses, query=""):
    """Rows for ``nodes`` (the subtree of ``root`` in path order) given (path, status) of
    each placement. Shared by the live tree and the tree as of a past moment."""
    rows = {node.path: TreeRow(node=node) for node in nodes}
    steplen = root.steplen
    top = len(root.path)  # ``root`` may be any node: count within its subtree only

    for path, status in statuses:
        for end in range(top, len(path) + 1, steplen):
            row = rows[path[:end]]
            row.standards += 1
            row.current += status in IN_FORCE

    for node in nodes:
        row = rows[node.path]
        row.has_children = node.numchild > 0
        if row.is_gap:
            for end in range(top, len(node.path) + 1, steplen):
                rows[node.path[:end]].gaps += 1

    ordered = [rows[node.path] for node in nodes]
    query = query.strip().lower()
    if query:
        visible = set()
        for row in ordered:
            node = row.node
            if query in node.name.lower() or query in node.code.lower() or (
                node.name_en and query in node.name_en.lower()
            ):
                row.match = True
                visible.add(node.path)
                for end in range(top, len(node.path), steplen):
                    visible.add(node.path[:end])
                    rows[node.path[:end]].open = True
        ordered = [row for row in ordered if row.node.path in visible]
    else:
        for row in ordered:
            row.open = row.node.depth <= 2  # root and subsystems open, categories closed

    mark_nesting(ordered)
    return ordered


def mark_nesting(ordered):
    """Tell each row whether it opens a list and how many to close after it."""
    base = ordered[0].node.depth if ordered else 1
    for index, row in enumerate(ordered):
        next_depth = ordered[index + 1].node.depth if index + 1 < len(ordered) else base
        row.has_children = row.has_children and next_depth > row.node.depth
        row.closes = 0 if row.has_children else max(row.node.depth - next_depth, 0)


def nested(rows):
    """Rows as a nested structure (for JSON exports)."""
    top, stack = [], []
    for row in rows:
        while stack and stack[-1].node.depth >= row.node.depth:
            stack.pop()
        (stack[-1].children if stack else top).append(row)
        stack.append(row)
    return top
