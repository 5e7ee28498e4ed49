from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from audit.mixins import PermissionMixin
from registry.models import Node
from registry.rules.tree.names import localized_name
from registry.rules.tree.scope import nodes


def node_breadcrumbs(node):
    """The path to ``node`` for ``includes/breadcrumbs.html``: each ancestor linked, then the
    node itself."""
    trail = [(f"{a.code} {localized_name(a)}", a.get_absolute_url())
             for a in Node.objects.get_ancestors(node)]
    return [*trail, (f"{node.code} {localized_name(node)}", None)]


class NodeActionView(PermissionMixin, FormView):
    """A form page that runs one tree action on the node in the URL.

    Subclasses give ``permission_required``, ``form_class``, ``template_name`` and
    ``run_action(form)`` returning the node to go to and the success message.
    """

    template_name = "registry/tree/node_action.html"
    title = ""
    submit_label = ""
    danger = False

    def dispatch(self, request, *args, **kwargs):
        self.node = get_object_or_404(nodes(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            node=self.node, breadcrumbs=node_breadcrumbs(self.node), title=self.title,
            submit_label=self.submit_label, danger=self.danger,
        )
        return context

    def form_valid(self, form):
        try:
            destination, message = self.run_action(form)
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(destination)
