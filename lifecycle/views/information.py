"""The information library (clause 5.4): list with server-side filters, the item page,
adding and editing, the status and opening a revision project."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from catalog.models import Standard
from lifecycle.choices import InformationStatus
from lifecycle.filtersets import InformationFilterSet
from lifecycle.forms.information import (
    InformationForm,
    InformationRevisionForm,
    InformationStatusForm,
)
from lifecycle.models import InformationItem
from lifecycle.rules.information import (
    open_revision,
    revisable_standards,
    revision_refusal,
    save_item,
    set_status,
    status_refusal,
)
from lifecycle.views.attachments import attachment_url
from registry.models import Node
from registry.views.mixins import PermissionMixin, QuerystringMixin

PAGE_SIZE = 25










class InformationListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_informationitem"
    filterset_class = InformationFilterSet
    template_name = "lifecycle/information/list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return (
            InformationItem.objects.select_related("revision_project")
            .prefetch_related(
                Prefetch("nodes", queryset=Node.objects.order_by("path")),
                Prefetch("standards", queryset=Standard.objects.order_by("code", "serial",
                                                                          "year")),
            )
            .order_by("-published_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
        context.update(
            needs_action=InformationItem.objects.filter(
                status=InformationStatus.NEEDS_ACTION).count(),
            chosen_node=chosen.get("node"), chosen_standard=chosen.get("standard"),
        )
        return context


class InformationView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_informationitem"
    template_name = "lifecycle/information/item.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = get_object_or_404(
            InformationItem.objects.select_related("revision_project", "created_by"),
            pk=kwargs["pk"])
        context.update(
            item=item,
            file_url=attachment_url(item) if item.file else "",
            nodes=item.nodes.order_by("path"),
            standards=item.standards.with_status().order_by("code", "serial", "year"),
            status_form=InformationStatusForm(current=item.status),
            status_refusal=status_refusal(item),
            revision_refusal=revision_refusal(item),
            history=item.history.select_related("history_user").order_by("-history_date")[:20],
        )
        return context


class InformationFormView(PermissionMixin, FormView):
    form_class = InformationForm
    template_name = "lifecycle/information/form.html"
    item = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item or InformationItem()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.item}

    def form_valid(self, form):
        data = form.cleaned_data
        creating = form.instance.pk is None
        item = form.save(commit=False)
        reason = data.get("reason") or _("Information collected")
        try:
            save_item(item, nodes=data["node_codes"], standards=data["standard_numbers"],
                      user=self.request.user, reason=reason, upload=data.get("file"),
                      remove_file=data.get("remove_file", False))
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.form_invalid(form)
        message = _("Added %(title)s.") if creating else _("Saved %(title)s.")
        messages.success(self.request, message % {"title": item.title})
        return redirect(item)


class InformationAddView(InformationFormView):
    permission_required = "lifecycle.add_informationitem"

    def get_initial(self):
        """``?node=<pk>`` and ``?standard=<pk>`` prefill what the item concerns."""
        initial = super().get_initial()
        node = Node.objects.filter(pk=self.request.GET.get("node") or None).first()
        if node:
            initial["node_codes"] = node.code
        standard = Standard.objects.filter(pk=self.request.GET.get("standard") or None).first()
        if standard:
            initial["standard_numbers"] = standard.number
        return initial


class InformationEditView(InformationFormView):
    permission_required = "lifecycle.change_informationitem"

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(InformationItem, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class InformationStatusView(PermissionMixin, View):
    """POST: mark the item new, needing action or needing none, with a reason."""

    permission_required = "lifecycle.change_informationitem"
    http_method_names = ["post"]

    def post(self, request, pk):
        item = get_object_or_404(InformationItem, pk=pk)
        form = InformationStatusForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(item)
        try:
            item = set_status(item, form.cleaned_data["status"], request.user,
                              form.cleaned_data["reason"])
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect(item)
        messages.success(request, _("The item is now “%(status)s”.")
                         % {"status": item.get_status_display()})
        return redirect(item)


class InformationRevisionView(PermissionMixin, FormView):
    """Open a revision project for one of the item's current standards."""

    permission_required = ("lifecycle.change_informationitem", "lifecycle.add_project")
    form_class = InformationRevisionForm
    template_name = "lifecycle/information/revision.html"

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(InformationItem, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "standards": revisable_standards(self.item)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.item,
                "refusal": revision_refusal(self.item)}

    def form_valid(self, form):
        try:
            project = open_revision(self.item, form.cleaned_data["standard"],
                                    self.request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Opened the revision project %(project)s.")
                         % {"project": project})
        return redirect(project)
