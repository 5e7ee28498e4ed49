"""Implementation checks and corrective actions (clause 8.1). The rules are in
``lifecycle.supervision``; these views check permissions, show forms and redirect."""

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_filters.views import FilterView

from catalog.choices import Status
from catalog.models import Standard
from lifecycle.choices import ActionStatus, CheckResult
from lifecycle.forms_supervision import (
    CheckEditForm,
    CheckForm,
    CloseForm,
    NonConformityEditForm,
    NonConformityForm,
)
from lifecycle.models import Department, ImplementationCheck, NonConformity
from lifecycle.supervision import (
    add_nonconformity,
    already_closed_message,
    change_check,
    change_nonconformity,
    close_nonconformity,
    closed_not_editable_message,
    may_close,
    overdue_filter,
    record_check,
)
from lifecycle.views.attachments import attachment_url
from registry.views.mixins import PermissionMixin, QuerystringMixin


class StandardFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Standard.objects.order_by("code", "serial", "year"))
        super().__init__(*args, **kwargs)


# --- checks -----------------------------------------------------------------------------------

class CheckFilterSet(django_filters.FilterSet):
    standard = StandardFilter(label=gettext_lazy("Standard"))
    department = django_filters.ModelChoiceFilter(label=gettext_lazy("Department"),
                                                  queryset=Department.objects.all())
    result = django_filters.ChoiceFilter(label=gettext_lazy("Result"),
                                         choices=CheckResult.choices)

    class Meta:
        model = ImplementationCheck
        fields = ["standard", "department", "result"]


class CheckListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_implementationcheck"
    filterset_class = CheckFilterSet
    template_name = "lifecycle/supervision/check_list.html"
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


class CheckAddView(PermissionMixin, CreateView):
    permission_required = "lifecycle.add_implementationcheck"
    form_class = CheckForm
    template_name = "lifecycle/supervision/check_form.html"

    def get_initial(self):
        initial = {"inspector": self.request.user, "checked_on": timezone.localdate()}
        standard = self.request.GET.get("standard", "")
        if standard.isdigit():
            initial["standard"] = int(standard)
        return initial

    def form_valid(self, form):
        try:
            check = record_check(form.save(commit=False), self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if check.result == CheckResult.NONCONFORMING:
            messages.warning(self.request, _("Check recorded. Now add the non-conformities "
                                             "it found, each with its corrective action."))
            return redirect("lifecycle:nonconformity_add", check.pk)
        messages.success(self.request, _("Check recorded."))
        return redirect(check)


class CheckEditView(PermissionMixin, UpdateView):
    """Office staff correct a recorded check, with a reason."""

    permission_required = "lifecycle.change_implementationcheck"
    form_class = CheckEditForm
    template_name = "lifecycle/supervision/check_form.html"
    context_object_name = "check"
    queryset = ImplementationCheck.objects.select_related("standard", "department",
                                                          "inspector")

    def form_valid(self, form):
        try:
            check = change_check(form.save(commit=False), self.request.user,
                                 form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved the implementation check."))
        return redirect(check)


class CheckView(PermissionMixin, DetailView):
    permission_required = "lifecycle.view_implementationcheck"
    template_name = "lifecycle/supervision/check.html"
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

class NonConformityAddView(PermissionMixin, FormView):
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

    def form_valid(self, form):
        try:
            nonconformity = add_nonconformity(self.check_record, form.save(commit=False),
                                              self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Non-conformity recorded: %(what)s")
                         % {"what": nonconformity})
        if "add_another" in self.request.POST:
            return redirect("lifecycle:nonconformity_add", self.check_record.pk)
        return redirect(self.check_record)


class NonConformityView(PermissionMixin, DetailView):
    permission_required = "lifecycle.view_nonconformity"
    template_name = "lifecycle/supervision/nonconformity.html"
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

    def get(self, request, *args, **kwargs):
        if self.nonconformity.status == ActionStatus.CLOSED:
            return self._refuse_closed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.nonconformity.status == ActionStatus.CLOSED:
            return self._refuse_closed()
        return super().post(request, *args, **kwargs)


class NonConformityEditView(OpenNonConformityMixin, PermissionMixin, FormView):
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

    def form_valid(self, form):
        try:
            saved = change_nonconformity(form.save(commit=False), self.request.user,
                                         form.cleaned_data["reason"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
                return self.form_invalid(form)
            return self._refuse_closed(" ".join(exc.messages))
        messages.success(self.request, _("Saved the non-conformity."))
        return redirect(saved)


class NonConformityCloseView(OpenNonConformityMixin, PermissionMixin, FormView):
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

    def form_valid(self, form):
        try:
            closed = close_nonconformity(self.nonconformity, self.request.user,
                                         form.cleaned_data["evidence"],
                                         form.cleaned_data.get("file"))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
                return self.form_invalid(form)
            return self._refuse_closed(" ".join(exc.messages))
        messages.success(self.request, _("The corrective action is closed."))
        return redirect(closed)


class OwnerFilter(django_filters.ChoiceFilter):
    """``mine`` or a user's id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=self.owners, **kwargs)

    @staticmethod
    def owners():
        users = (get_user_model().objects.filter(corrective_actions__isnull=False)
                 .distinct().order_by("username"))
        return [("mine", _("Mine"))] + [
            (str(user.pk), user.get_full_name() or user.get_username()) for user in users]

    def filter(self, qs, value):
        if not value:
            return qs
        if value == "mine":
            return qs.filter(owner=self.parent.request.user)
        return qs.filter(owner_id=int(value))


class NonConformityFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"),
                                         choices=ActionStatus.choices,
                                         empty_label=gettext_lazy("All"))
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("Overdue"), method="filter_overdue",
        empty_label=gettext_lazy("All"),
        choices=[("1", gettext_lazy("Overdue only")), ("0", gettext_lazy("Not yet due"))],
    )
    owner = OwnerFilter(label=gettext_lazy("Owner"), empty_label=gettext_lazy("Anyone"))

    class Meta:
        model = NonConformity
        fields = ["status", "overdue", "owner"]

    def filter_overdue(self, queryset, name, value):
        """``1``: open and past the due date; ``0``: open and due today or later."""
        return queryset.filter(overdue_filter(value == "1"))


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
                "mine_url": reverse("lifecycle:nonconformities") + "?status=open&owner=mine"}
