from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from registry.models import Node


class PermissionMixin(PermissionRequiredMixin):
    """Permission checked on the server for GET and POST alike; 403 when missing."""

    raise_exception = True


class NodeActionView(PermissionMixin, FormView):
    """A form page that runs one tree action on the node in the URL.

    Subclasses give ``permission_required``, ``form_class``, ``template_name`` and
    ``run_action(form)`` returning the node to go to and the success message.
    """

    template_name = "registry/node_action.html"
    title = ""
    submit_label = ""
    danger = False

    def dispatch(self, request, *args, **kwargs):
        self.node = get_object_or_404(Node, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            node=self.node, ancestors=Node.objects.get_ancestors(self.node), title=self.title,
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


class QuerystringMixin:
    """Puts the current filters (without page/export) in the context for pagination links,
    and pages forgivingly: a page number past the end shows the last page, a malformed one
    the first, instead of a 404 (a link kept from a longer list still lands somewhere)."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty())
        raw = self.request.GET.get(self.page_kwarg, "")
        number = (paginator.num_pages if raw == "last"
                  else int(raw) if raw.isdigit() and int(raw) > 0 else 1)
        page = paginator.get_page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context["querystring"] = query.urlencode()
        return context
