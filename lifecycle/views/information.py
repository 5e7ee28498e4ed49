"""The information library (clause 5.4): list with server-side filters, the item page,
adding and editing, the status and opening a revision project."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from audit.mixins import PermissionMixin, QuerystringMixin
from audit.params import id_from
from catalog.models import Standard
from lifecycle.actions.information import (
    OpenRevisionFromInformation,
    SaveInformationItem,
    SetInformationStatus,
)
from lifecycle.choices import InformationStatus
from lifecycle.filtersets import InformationFilterSet
from lifecycle.forms.information import (
    InformationForm,
    InformationRevisionForm,
    InformationStatusForm,
)
from lifecycle.models import InformationItem
from lifecycle.rules.information import (
    revisable_standards,
    revision_refusal,
    status_refusal,
)
from lifecycle.views.attachments import attachment_url
from lifecycle.views.generic import ActionFormMixin, ActionPostView
from registry.models import Node
from registry.rules.tree.scope import nodes

PAGE_SIZE = 25


class InformationListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_informationitem"
    filterset_class = InformationFilterSet
    template_name = "lifecycle/information/informationitem_list.html"
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
    template_name = "lifecycle/information/informationitem_detail.html"

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


class InformationFormView(ActionFormMixin, FormView):
    form_class = InformationForm
    template_name = "lifecycle/information/informationitem_form.html"
    item = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item or InformationItem()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.item}

    def get_action(self, form):
        data = form.cleaned_data
        self.creating = form.instance.pk is None
        return SaveInformationItem(
            self.request.user, form.save(commit=False), data.get("reason"),
            nodes=data["node_codes"], standards=data["standard_numbers"],
            upload=data.get("file"), remove_file=data.get("remove_file", False))

    def success_message(self, item):
        message = _("Added %(title)s.") if self.creating else _("Saved %(title)s.")
        return message % {"title": item.title}


class InformationAddView(InformationFormView):
    permission_required = "lifecycle.add_informationitem"

    def get_initial(self):
        """``?node=<pk>`` and ``?standard=<pk>`` prefill what the item concerns."""
        initial = super().get_initial()
        node = nodes().filter(pk=id_from(self.request.GET.get("node"))).first()
        if node:
            initial["node_codes"] = node.code
        standard = Standard.objects.filter(
            pk=id_from(self.request.GET.get("standard"))).first()
        if standard:
            initial["standard_numbers"] = standard.number
        return initial


class InformationEditView(InformationFormView):
    permission_required = "lifecycle.change_informationitem"

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(InformationItem, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class InformationStatusView(ActionPostView):
    """POST: mark the item new, needing action or needing none, with a reason."""

    permission_required = "lifecycle.change_informationitem"
    form_class = InformationStatusForm

    def get_object(self):
        return get_object_or_404(InformationItem, pk=self.kwargs["pk"])

    def get_action(self, form):
        return SetInformationStatus(self.request.user, self.object,
                                    form.cleaned_data["status"], form.cleaned_data["reason"])

    def success_message(self, item):
        return _("The item is now “%(status)s”.") % {"status": item.get_status_display()}

    def success_url(self, item):
        return item


class InformationRevisionView(ActionFormMixin, FormView):
    """Open a revision project for one of the item's current standards."""

    permission_required = ("lifecycle.change_informationitem", "lifecycle.add_project")
    form_class = InformationRevisionForm
    template_name = "lifecycle/information/informationitem_revision.html"

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(InformationItem, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "standards": revisable_standards(self.item)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.item,
                "refusal": revision_refusal(self.item)}

    def get_action(self, form):
        return OpenRevisionFromInformation(self.request.user, self.item,
                                           form.cleaned_data["standard"],
                                           form.cleaned_data["reason"],
                                           department=form.cleaned_data["department"],
                                           level=form.cleaned_data["level"] or None)

    def success_message(self, project):
        return _("Opened the revision project %(project)s.") % {"project": project}
