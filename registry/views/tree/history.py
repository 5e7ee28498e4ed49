"""History pages about the tree: a subtree's log, the system as it stood at a past moment,
and what changed between two moments. A record's own history and the global audit log are
the audit app's pages (``audit/views.py``)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from audit.mixins import PermissionMixin
from audit.models import LogEntry
from audit.views import AuditLogView
from registry.models import Node
from registry.rules.tree import scope
from registry.rules.tree.as_of import compare as compare_snapshots
from registry.rules.tree.as_of import parse_moment, snapshot_rows, take_snapshot
from registry.views.tree.mixins import node_breadcrumbs


class NodeChangelogView(AuditLogView):
    """The audit log of one subtree: its nodes (also deleted ones) and their placements."""

    permission_required = "registry.view_node"
    template_name = "registry/tree/history/node_changelog.html"

    def dispatch(self, request, *args, **kwargs):
        self.node = get_object_or_404(scope.nodes(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        subtree = Node.objects.filter(path__startswith=self.node.path).values("pk")
        return LogEntry.objects.filter(
            Q(scope_path__startswith=self.node.path) | Q(scope_id__in=subtree)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(node=self.node, breadcrumbs=node_breadcrumbs(self.node))
        return context


class AsOfView(PermissionMixin, TemplateView):
    """The tree and the catalog as they stood at a past moment; read-only."""

    permission_required = "registry.view_node"
    template_name = "registry/tree/history/as_of.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("at", "")
        moment = parse_moment(raw)
        context.update(raw=raw, moment=moment, error=bool(raw) and moment is None)
        if moment is None:
            return context
        root = scope.system_root()
        snapshot = take_snapshot(moment, root.pk if root else None)
        query = self.request.GET.get("q", "")
        context.update(
            snapshot=snapshot, query=query,
            rows=snapshot_rows(snapshot, query) if snapshot.root else [],
            standards=sorted(snapshot.standards.values(), key=lambda s: s.number),
            placed_on=_placed_on(snapshot),
        )
        return context


def _placed_on(snapshot):
    placed = {}
    for placement in snapshot.placements:
        node = snapshot.nodes[placement.node_id]
        placed.setdefault(placement.standard_id, []).append(f"{node.code} {node.name}")
    return placed


class AsOfCompareView(PermissionMixin, TemplateView):
    """What changed between two moments (``?from=&to=``)."""

    permission_required = "registry.view_node"
    template_name = "registry/tree/history/as_of_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw_from, raw_to = self.request.GET.get("from", ""), self.request.GET.get("to", "")
        start, end = parse_moment(raw_from), parse_moment(raw_to) or timezone.now()
        if start and start > end:  # "from" after "to": compare them the other way round
            start, end = end, start
        context.update(raw_from=raw_from, raw_to=raw_to, start=start, end=end,
                       error=bool(raw_from) and start is None)
        if start is None:
            return context
        root = scope.system_root()
        root_id = root.pk if root else None
        nodes, standards = compare_snapshots(take_snapshot(start, root_id),
                                             take_snapshot(end, root_id))
        context.update(node_changes=nodes, standard_changes=standards)
        return context
