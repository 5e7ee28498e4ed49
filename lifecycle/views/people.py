"""Organization and people pages (clause 5.1–5.2): departments, staff, training."""

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from lifecycle.choices import FINAL_STAGES, StaffRole
from lifecycle.forms import ReasonForm
from lifecycle.forms_people import DepartmentForm, ProfileForm, TrainingEditForm, TrainingForm
from lifecycle.models import Department, StaffProfile, TrainingRecord
from lifecycle.people import (
    change_training,
    delete_training,
    departments,
    due_filter,
    people,
    person_row,
    profile_of,
    record_training,
    role_filter,
    save_department,
    save_profile,
    training_cutoff,
    training_interval,
)
from lifecycle.views.attachments import attachment_url
from registry.views.mixins import PermissionMixin, QuerystringMixin

# --- departments (5.1) ------------------------------------------------------------------


class DepartmentListView(PermissionMixin, ListView):
    permission_required = "lifecycle.view_department"
    template_name = "lifecycle/people/departments.html"
    context_object_name = "departments"
    paginate_by = 25

    def get_queryset(self):
        return departments()


class DepartmentView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_department"
    template_name = "lifecycle/people/department.html"

    def get_context_data(self, **kwargs):
        department = get_object_or_404(Department.objects.select_related("lead"),
                                       pk=kwargs["pk"])
        staff = (StaffProfile.objects.filter(department=department, user__is_active=True)
                 .select_related("user"))
        projects = department.projects.all()
        return {
            **super().get_context_data(**kwargs), "department": department, "staff": staff,
            "project_count": projects.count(),
            "open_project_count": projects.exclude(stage__in=FINAL_STAGES).count(),
            "projects_url": f"{reverse('lifecycle:project_list')}?department={department.pk}",
        }


class DepartmentFormMixin(PermissionMixin):
    model = Department
    form_class = DepartmentForm
    template_name = "lifecycle/people/department_form.html"

    def form_valid(self, form):
        reason = form.cleaned_data.get("reason") or _("Department added")
        try:
            department = save_department(form.save(commit=False), self.request.user, reason)
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(department)s.") % {"department": department})
        return redirect(department)


class DepartmentAddView(DepartmentFormMixin, CreateView):
    permission_required = "lifecycle.add_department"


class DepartmentEditView(DepartmentFormMixin, UpdateView):
    permission_required = "lifecycle.change_department"


# --- people (5.2) -----------------------------------------------------------------------

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class PeopleFilterSet(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Department"), field_name="staff_profile__department",
        queryset=Department.objects.all(),
    )
    role = django_filters.ChoiceFilter(label=gettext_lazy("Standardization role"),
                                       choices=StaffRole.choices, method="filter_role")
    due = django_filters.ChoiceFilter(label=gettext_lazy("Due for training"), choices=YES_NO,
                                      empty_label=gettext_lazy("All"), method="filter_due")
    q = django_filters.CharFilter(label=gettext_lazy("Name"), method="search")

    class Meta:
        model = get_user_model()
        fields = ["department", "role", "due", "q"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(role_filter(value))

    def filter_due(self, queryset, name, value):
        return queryset.filter(due_filter()) if value == "yes" else queryset.exclude(due_filter())

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(first_name__icontains=value)
                               | Q(last_name__icontains=value))


class PeopleRowsMixin:
    """Turns the users of the current page into rows with the training-due rule applied."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [person_row(user, today) for user in context["object_list"]]
        context["interval"] = training_interval()
        context["cutoff"] = training_cutoff(today)
        return context


class PeopleListView(PermissionMixin, QuerystringMixin, PeopleRowsMixin, FilterView):
    permission_required = "lifecycle.view_staffprofile"
    filterset_class = PeopleFilterSet
    template_name = "lifecycle/people/people.html"
    paginate_by = 25

    def get_queryset(self):
        return people()


class TrainingDueView(PermissionMixin, PeopleRowsMixin, ListView):
    permission_required = "lifecycle.view_trainingrecord"
    template_name = "lifecycle/people/training_due.html"
    paginate_by = 25

    def get_queryset(self):
        return people().filter(due_filter()).order_by(
            F("last_training").asc(nulls_first=True), "username")


class PersonMixin:
    """The person of the URL; like the people list, only active users (404 otherwise, so
    the inactive ``system`` account and former staff are neither shown nor edited)."""

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(get_user_model(), pk=kwargs["user_pk"],
                                        is_active=True)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person,
                "person_name": self.person.get_full_name() or self.person.get_username()}


class PersonView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_staffprofile"
    template_name = "lifecycle/people/person.html"

    def get_context_data(self, **kwargs):
        user = get_object_or_404(people(), pk=kwargs["user_pk"])  # active users only
        row = person_row(user)
        records = list(user.training_records.select_related("created_by"))
        for record in records:
            record.download_url = attachment_url(record) if record.file else ""
        return {
            **super().get_context_data(**kwargs), "row": row, "person": user,
            "records": records, "led": user.led_departments.all(),
            "interval": training_interval(),
        }


class PersonEditView(PermissionMixin, PersonMixin, FormView):
    """Office staff set a person's department, role and duties (the profile is created on
    the first save)."""

    permission_required = "lifecycle.change_staffprofile"
    form_class = ProfileForm
    template_name = "lifecycle/people/person_form.html"

    def get_initial(self):
        profile = profile_of(self.person)
        if profile is None:
            return {"role": StaffRole.NONE}
        return {"department": profile.department, "role": profile.role,
                "duties": profile.duties}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Edit the staff profile")}

    def form_valid(self, form):
        data = form.cleaned_data
        save_profile(self.person, self.request.user, data["reason"],
                     department=data["department"], role=data["role"], duties=data["duties"])
        messages.success(self.request, _("Saved the staff profile."))
        return redirect("lifecycle:person", self.person.pk)


class TrainingAddView(PermissionMixin, PersonMixin, FormView):
    permission_required = "lifecycle.add_trainingrecord"
    form_class = TrainingForm
    template_name = "lifecycle/people/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": TrainingRecord(user=self.person)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Record a training"),
                "multipart": True}

    def form_valid(self, form):
        record = record_training(form.save(commit=False), self.request.user,
                                 _("Training recorded"))
        messages.success(self.request, _("Recorded %(course)s.") % {"course": record.course})
        return redirect("lifecycle:person", self.person.pk)


class TrainingRecordMixin:
    """The training record of the URL, of an active person (404 otherwise, like the
    person's page)."""

    def dispatch(self, request, *args, **kwargs):
        self.record = get_object_or_404(
            TrainingRecord.objects.select_related("user", "created_by"),
            pk=kwargs["pk"], user__is_active=True)
        self.person = self.record.user
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person,
                "person_name": self.person.get_full_name() or self.person.get_username(),
                "record": self.record}


class TrainingEditView(PermissionMixin, TrainingRecordMixin, FormView):
    permission_required = "lifecycle.change_trainingrecord"
    form_class = TrainingEditForm
    template_name = "lifecycle/people/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.record}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Edit the training record"),
                "multipart": True}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            record = change_training(
                form.save(commit=False), self.request.user, data["reason"],
                remove_certificate=data.get("remove_certificate", False)
                and not data.get("certificate"))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(course)s.") % {"course": record.course})
        return redirect("lifecycle:person", self.person.pk)


class TrainingDeleteView(PermissionMixin, TrainingRecordMixin, FormView):
    permission_required = "lifecycle.delete_trainingrecord"
    form_class = ReasonForm
    template_name = "lifecycle/people/training_delete.html"

    def form_valid(self, form):
        course = self.record.course
        try:
            delete_training(self.record, self.request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Deleted the training record %(course)s.")
                         % {"course": course})
        return redirect("lifecycle:person", self.person.pk)
