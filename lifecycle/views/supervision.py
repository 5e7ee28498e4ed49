"""Implementation checks and corrective actions (clause 8.1). The rules are in
``lifecycle.rules.supervision`` and the writes in ``lifecycle.actions.supervision``; these
views check permissions, show forms and redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_filters.views import FilterView

from audit.mixins import PermissionMixin, QuerystringMixin
from audit.params import id_from
from catalog.models.choices import Status
from lifecycle.actions.supervision import (
    AddCheck,
    AddNonConformity,
    ChangeCheck,
    ChangeNonConformity,
    CloseNonConformity,
)
from lifecycle.choices import ActionStatus, CheckResult
from lifecycle.filtersets import CheckFilterSet, NonConformityFilterSet
from lifecycle.forms.supervision import (
    CheckEditForm,
    CheckForm,
    CloseForm,
    NonConformityEditForm,
    NonConformityForm,
)
from lifecycle.models import ImplementationCheck, NonConformity
from lifecycle.rules.supervision import (
    already_closed_message,
    closed_not_editable_message,
    may_close,
)
from lifecycle.views.attachments import attachment_url
from lifecycle.views.generic import ActionFormMixin

# --- checks -----------------------------------------------------------------------------------


class CheckListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_implementationcheck"
    filterset_class = CheckFilterSet
    template_name = "lifecycle/supervision/implementationcheck_list.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            ImplementationCheck.objects.select_related("standard", "department", "inspector")
            .annotate(
                nonconformity_count=Count("nonconformities"),
                open_count=Count("nonconformities",
                                 filter=Q(nonconformities__status=ActionStatus.OPEN)),
            )
            .order_by("-checked_on", "-pk")
        )


class CheckAddView(ActionFormMixin, CreateView):
    permission_required = "lifecycle.add_implementationcheck"
    form_class = CheckForm
    template_name = "lifecycle/supervision/implementationcheck_form.html"

    def get_initial(self):
        initial = {"inspector": self.request.user, "checked_on": timezone.localdate()}
        standard = id_from(self.request.GET.get("standard"))
        if standard:
            initial["standard"] = standard
        return initial

    def get_action(self, form):
        return AddCheck(self.request.user, form.save(commit=False))

    def done(self, check):
        if check.result == CheckResult.NONCONFORMING:
            messages.warning(self.request, _("Check recorded. Now add the non-conformities "
                                             "it found, each with its corrective action."))
            return redirect("lifecycle:nonconformity_add", check.pk)
        messages.success(self.request, _("Check recorded."))
        return redirect(check)


class CheckEditView(ActionFormMixin, UpdateView):
    """Office staff correct a recorded check, with a reason."""

    permission_required = "lifecycle.change_implementationcheck"
    form_class = CheckEditForm
    template_name = "lifecycle/supervision/implementationcheck_form.html"
    context_object_name = "check"
    queryset = ImplementationCheck.objects.select_related("standard", "department",
                                                          "inspector")

    def get_action(self, form):
        return ChangeCheck(self.request.user, form.save(commit=False),
                           form.cleaned_data["reason"])

    def success_message(self, check):
        return _("Saved the implementation check.")


class CheckView(PermissionMixin, DetailView):
    permission_required = "lifecycle.view_implementationcheck"
    template_name = "lifecycle/supervision/implementationcheck_detail.html"
    context_object_name = "check"
    queryset = ImplementationCheck.objects.select_related(
        "standard", "department", "inspector", "created_by")

    def get_context_data(self, **kwargs):
        nonconformities = list(self.object.nonconformities.select_related("owner"))
        return {
            **super().get_context_data(**kwargs),
            "nonconformities": nonconformities,
            "missing_nonconformities": (self.object.result == CheckResult.NONCONFORMING
                                        and not nonconformities),
            "standard_current": self.object.standard.status == Status.CURRENT,
        }


# --- non-conformities ---------------------------------------------------------------------

class NonConformityAddView(ActionFormMixin, FormView):
    permission_required = "lifecycle.add_nonconformity"
    form_class = NonConformityForm
    template_name = "lifecycle/supervision/nonconformity_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.check_record = get_object_or_404(
            ImplementationCheck.objects.select_related("standard", "department"),
            pk=kwargs["check_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "check": self.check_record}

    def get_initial(self):
        return {"owner": self.check_record.department.lead
                if self.check_record.department else None}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "check": self.check_record,
                "recorded": self.check_record.nonconformities.select_related("owner")}

    def get_action(self, form):
        return AddNonConformity(self.request.user, self.check_record, form.save(commit=False))

    def success_message(self, nonconformity):
        return _("Non-conformity recorded: %(what)s") % {"what": nonconformity}

    def success_url(self, nonconformity):
        if "add_another" in self.request.POST:
            return reverse("lifecycle:nonconformity_add", args=[self.check_record.pk])
        return self.check_record


class NonConformityView(PermissionMixin, DetailView):
    permission_required = "lifecycle.view_nonconformity"
    template_name = "lifecycle/supervision/nonconformity_detail.html"
    context_object_name = "nonconformity"
    queryset = NonConformity.objects.select_related(
        "check_record__standard", "check_record__department", "owner", "closed_by")

    def get_context_data(self, **kwargs):
        nonconformity = self.object
        return {
            **super().get_context_data(**kwargs),
            "may_close": (nonconformity.status == ActionStatus.OPEN
                          and may_close(nonconformity, self.request.user)),
            "may_edit": (nonconformity.status == ActionStatus.OPEN
                         and self.request.user.has_perm("lifecycle.change_nonconformity")),
            "evidence_url": attachment_url(nonconformity) if nonconformity.file else "",
        }


class OpenNonConformityMixin:
    """Pages that act on an open corrective action: a closed one is refused on GET and POST
    with ``closed_text(nonconformity)`` and a redirect to its page."""

    related = ("check_record__standard", "check_record__department", "owner", "closed_by")

    def dispatch(self, request, *args, **kwargs):
        self.nonconformity = get_object_or_404(
            NonConformity.objects.select_related(*self.related), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _refuse_closed(self, message=None):
        messages.error(self.request, message or self.closed_text(self.nonconformity))
        return redirect(self.nonconformity)

    def refused(self, form, error):
        """A refusal of a field stays on the form; "already closed" goes back to the page."""
        if hasattr(error, "error_dict"):
            return super().refused(form, error)
        return self._refuse_closed(" ".join(error.messages))

    def get(self, request, *args, **kwargs):
        if self.nonconformity.status == ActionStatus.CLOSED:
            return self._refuse_closed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.nonconformity.status == ActionStatus.CLOSED:
            return self._refuse_closed()
        return super().post(request, *args, **kwargs)


class NonConformityEditView(OpenNonConformityMixin, ActionFormMixin, FormView):
    """Office staff correct an open non-conformity (description, action, owner, due date),
    with a reason; a closed one is refused with a message."""

    permission_required = "lifecycle.change_nonconformity"
    form_class = NonConformityEditForm
    template_name = "lifecycle/supervision/nonconformity_form.html"

    closed_text = staticmethod(closed_not_editable_message)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "check": self.nonconformity.check_record,
                "instance": self.nonconformity}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "check": self.nonconformity.check_record, "nonconformity": self.nonconformity}

    def get_action(self, form):
        return ChangeNonConformity(self.request.user, form.save(commit=False),
                                   form.cleaned_data["reason"])

    def success_message(self, nonconformity):
        return _("Saved the non-conformity.")


class NonConformityCloseView(OpenNonConformityMixin, ActionFormMixin, FormView):
    """Only the owner of the action, the office and admins: 403 for anyone else."""

    permission_required = "lifecycle.view_nonconformity"
    form_class = CloseForm
    template_name = "lifecycle/supervision/nonconformity_close.html"

    def has_permission(self):
        if not super().has_permission():
            return False
        if not may_close(self.nonconformity, self.request.user):
            raise PermissionDenied(_("Only the owner of the corrective action or the "
                                     "standardization office may close it."))
        return True

    closed_text = staticmethod(already_closed_message)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "nonconformity": self.nonconformity}

    def get_action(self, form):
        return CloseNonConformity(self.request.user, self.nonconformity,
                                  form.cleaned_data["evidence"], form.cleaned_data.get("file"))

    def success_message(self, nonconformity):
        return _("The corrective action is closed.")


class NonConformityListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_nonconformity"
    filterset_class = NonConformityFilterSet
    template_name = "lifecycle/supervision/nonconformity_list.html"
    paginate_by = 25

    def get_queryset(self):
        return NonConformity.objects.select_related(
            "check_record__standard", "check_record__department", "owner", "closed_by")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "mine_url": reverse("lifecycle:nonconformity_list") + "?status=open&owner=mine"}
