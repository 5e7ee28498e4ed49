"""Pages that change the tree; each runs one action from ``registry.actions``."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.versions import VersionCheckMixin
from registry import actions, forms
from registry.models import Node, Placement
from registry.rules.tree.table_data import ordered_placements

from .mixins import NodeActionView


class NodeAddView(NodeActionView):
    permission_required = "registry.add_node"
    form_class = forms.NodeAddForm
    title = gettext_lazy("Add a node")
    submit_label = gettext_lazy("Add")

    def run_action(self, form):
        data = form.cleaned_data
        child = actions.AddNode(
            self.request.user, self.node, data["name"], data["reason"],
            name_en=data["name_en"], clause=data["clause"],
            description=data["description"], code=data["code"],
        ).execute()
        return child, _("Added %(node)s.") % {"node": child}


class NodeEditView(VersionCheckMixin, NodeActionView):
    permission_required = "registry.change_node"
    form_class = forms.NodeEditForm
    title = gettext_lazy("Edit node")
    submit_label = gettext_lazy("Save")

    def versioned_record(self, form):
        return self.node

    def get_initial(self):
        node = self.node
        return {"name": node.name, "name_en": node.name_en, "code": node.code,
                "clause": node.clause, "description": node.description}

    def run_action(self, form):
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        node = actions.ChangeNode(self.request.user, self.node, reason, **data).execute()
        return node, _("Saved %(node)s.") % {"node": node}


class NodeMoveView(NodeActionView):
    permission_required = "registry.change_node"
    form_class = forms.NodeMoveForm
    title = gettext_lazy("Move node")
    submit_label = gettext_lazy("Move")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "node": self.node}

    def run_action(self, form):
        data = form.cleaned_data
        node = actions.MoveNode(
            self.request.user, self.node, data["target"], data["position"], data["reason"]
        ).execute()
        return node, _("Moved %(node)s.") % {"node": node}


class NodeReorderView(NodeActionView):
    permission_required = "registry.change_node"
    form_class = forms.NodeReorderForm
    title = gettext_lazy("Reorder node")
    submit_label = gettext_lazy("Reorder")

    def get_initial(self):
        return {"direction": self.request.GET.get("direction", "up")}

    def run_action(self, form):
        data = form.cleaned_data
        node = actions.ReorderNode(
            self.request.user, self.node, data["direction"], data["reason"]
        ).execute()
        return Node.objects.get_parent(node), _("Moved %(node)s.") % {"node": node}


class NodeDeleteView(NodeActionView):
    permission_required = "registry.delete_node"
    form_class = forms.NodeDeleteForm
    title = gettext_lazy("Delete node")
    submit_label = gettext_lazy("Delete")
    danger = True

    def has_permission(self):
        # The root of a system is never deleted; say so before anyone fills the form.
        if self.node.is_root():
            raise PermissionDenied(_("The root of a system cannot be deleted."))
        return super().has_permission()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subtree_size"] = Node.objects.get_descendant_count(self.node)
        context["holding"] = actions.DeleteNode(self.request.user, self.node,
                                                "-").blocking_placements()[:10]
        return context

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["tailoring"] = actions.DeleteNode(self.request.user, self.node).asks_why()
        return kwargs

    def run_action(self, form):
        parent = Node.objects.get_parent(self.node)
        actions.DeleteNode(self.request.user, self.node, form.cleaned_data["reason"],
                           why=form.cleaned_data.get("why", "")).execute()
        return parent, _("Deleted %(node)s.") % {"node": self.node}


class NodePlaceView(NodeActionView):
    permission_required = "registry.add_placement"
    form_class = forms.PlaceStandardForm
    title = gettext_lazy("Place a standard on this node")
    submit_label = gettext_lazy("Place")

    def get_initial(self):
        return {"standard": self.request.GET.get("standard")}

    def run_action(self, form):
        data = form.cleaned_data
        actions.PlaceStandard(
            self.request.user, self.node, data["standard"], data["reason"], note=data["note"]
        ).execute()
        return self.node, _("Placed %(standard)s.") % {"standard": data["standard"].number}


class PlacementDeleteView(NodeActionView):
    permission_required = "registry.delete_placement"
    form_class = forms.NodeDeleteForm
    title = gettext_lazy("Remove a standard from this node")
    submit_label = gettext_lazy("Remove")
    danger = True

    def dispatch(self, request, *args, **kwargs):
        self.placement = get_object_or_404(Placement, pk=kwargs["pk"])
        kwargs["pk"] = self.placement.node_id
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "placement": self.placement}

    def run_action(self, form):
        actions.RemovePlacement(
            self.request.user, self.placement, form.cleaned_data["reason"]
        ).execute()
        return self.node, _("Removed %(standard)s.") % {
            "standard": self.placement.standard.number
        }


class NodeOrderView(NodeActionView):
    """The office orders the standards of a node by hand (kept per node), or goes back to
    the reading order."""

    permission_required = "registry.change_placement"
    form_class = forms.OrderPlacementsForm
    title = gettext_lazy("Order the standards of this node")
    submit_label = gettext_lazy("Save the order")

    def get_initial(self):
        placements = ordered_placements(self.node.placements.select_related("standard"))
        return {"numbers": "\n".join(p.standard.number for p in placements)}

    def run_action(self, form):
        data = form.cleaned_data
        numbers = None if data["automatic"] else data["numbers"]
        actions.OrderPlacements(self.request.user, self.node, numbers, data["reason"]).execute()
        return self.node, _("Saved the order of the standards.")
