"""The tree page and the node page."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from audit.models import LogEntry
from audit.params import id_from
from catalog.models import Standard
from registry.models import Node, Placement
from registry.rules.tree.rows import build_rows
from registry.rules.tree.scope import nodes, system_root
from registry.rules.tree.table_data import ordered_placements
from registry.views.tree.mixins import node_breadcrumbs


def default_root():
    root = system_root()
    if root is None:
        raise Http404("No standard system has been loaded yet.")
    return root


class TreeView(TemplateView):
    """The whole system as an expandable tree, searchable by name or code."""

    template_name = "registry/tree/tree.html"

    def get(self, request, *args, **kwargs):
        # An organization without a system yet: its administrators derive one.
        if not request.GET.get("root") and system_root() is None \
                and request.user.has_perm("registry.derive_system"):
            return redirect("registry:derive")
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["registry/tree/_tree.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        root_id = self.request.GET.get("root")
        root = (get_object_or_404(nodes(), pk=id_from(root_id), depth=1) if root_id
                else default_root())
        query = self.request.GET.get("q", "")
        rows = build_rows(root, query, plain=True)
        context.update(
            root=root, rows=rows, query=query,
            matches=sum(row.match for row in rows),
            roots=nodes().filter(depth=1).order_by("path") if root_id else None,
        )
        return context


def node_history(node, limit=20):
    """The latest changes to the node and to the placements on it, newest first: the audit
    log's entries scoped to the node (one indexed query, whatever the size of the tree)."""
    kinds = list(ContentType.objects.get_for_models(Node, Placement).values())
    return (LogEntry.objects.filter(scope_id=node.pk, content_type__in=kinds)
            .select_related("user", "content_type")[:limit])


class NodeView(TemplateView):
    """One node: its path, children with counts, and the standards placed on it."""

    template_name = "registry/tree/node.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        node = get_object_or_404(nodes(), pk=kwargs["pk"])
        rows = build_rows(node, plain=True)
        placements = ordered_placements(
            Placement.objects.filter(node=node).select_related("standard"))
        statuses = dict(
            Standard.objects.filter(placements__node=node).with_status()
            .values_list("pk", "computed_status")
        ) if placements else {}
        for placement in placements:
            placement.standard.computed_status = statuses[placement.standard_id]
        subtree_placements = (
            Placement.objects.filter(node__path__startswith=node.path)
            .exclude(node=node).select_related("node", "standard")
            .order_by("node__path", "standard__number")
        )
        context.update(
            node=node,
            row=rows[0],
            children=[row for row in rows if row.node.depth == node.depth + 1],
            breadcrumbs=node_breadcrumbs(node),
            placements=placements,
            subtree_placements=subtree_placements[:200],
            history=node_history(node),
        )
        return context
