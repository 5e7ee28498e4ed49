"""Organization and people pages (clause 5.1–5.2): departments, staff, training."""

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from audit.forms import ReasonForm, user_display
from audit.mixins import PermissionMixin, QuerystringMixin
from lifecycle.actions.organization import (
    AddTraining,
    ChangeTraining,
    DeleteTraining,
    SaveDepartment,
    SaveProfile,
)
from lifecycle.choices import FINAL_STAGES, StaffRole
from lifecycle.filtersets import PeopleFilterSet
from lifecycle.forms.organization import DepartmentForm, ProfileForm, TrainingEditForm, TrainingForm
from lifecycle.models import Department, StaffProfile, TrainingRecord
from lifecycle.rules.organization import (
    departments,
    due_filter,
    people,
    person_row,
    profile_of,
    training_cutoff,
    training_interval,
)
from lifecycle.views.attachments import attachment_url
from lifecycle.views.generic import ActionFormMixin

# --- departments (5.1) ------------------------------------------------------------------


class DepartmentListView(PermissionMixin, ListView):
    permission_required = "lifecycle.view_department"
    template_name = "lifecycle/organization/department_list.html"
    context_object_name = "departments"
    paginate_by = 25

    def get_queryset(self):
        return departments()


class DepartmentView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_department"
    template_name = "lifecycle/organization/department_detail.html"

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


class DepartmentFormMixin(ActionFormMixin):
    model = Department
    form_class = DepartmentForm
    template_name = "lifecycle/organization/department_form.html"

    def get_action(self, form):
        return SaveDepartment(self.request.user, form.save(commit=False),
                              form.cleaned_data.get("reason"))

    def success_message(self, department):
        return _("Saved %(department)s.") % {"department": department}


class DepartmentAddView(DepartmentFormMixin, CreateView):
    permission_required = "lifecycle.add_department"


class DepartmentEditView(DepartmentFormMixin, UpdateView):
    permission_required = "lifecycle.change_department"


# --- people (5.2) -----------------------------------------------------------------------


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
    template_name = "lifecycle/organization/staffprofile_list.html"
    paginate_by = 25

    def get_queryset(self):
        return people()


class TrainingDueView(PermissionMixin, PeopleRowsMixin, ListView):
    permission_required = "lifecycle.view_trainingrecord"
    template_name = "lifecycle/organization/trainingrecord_due.html"
    paginate_by = 25

    def get_queryset(self):
        return people().filter(due_filter()).order_by(
            F("last_training").asc(nulls_first=True), "username")


class PersonMixin:
    """The person of the URL; like the people list, only the active people of the
    organization acted in (404 otherwise, so the inactive ``system`` account, former staff
    and another organization's people are neither shown nor given a profile here)."""

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(people(), pk=kwargs["user_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person,
                "person_name": user_display(self.person)}


class PersonView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_staffprofile"
    template_name = "lifecycle/organization/staffprofile_detail.html"

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


class PersonEditView(ActionFormMixin, PersonMixin, FormView):
    """Office staff set a person's department, role and duties (the profile is created on
    the first save)."""

    permission_required = "lifecycle.change_staffprofile"
    form_class = ProfileForm
    template_name = "lifecycle/organization/staffprofile_form.html"

    def versioned_record(self, form):
        return profile_of(self.person)

    def get_initial(self):
        profile = profile_of(self.person)
        if profile is None:
            return {"role": StaffRole.NONE}
        return {"department": profile.department, "role": profile.role,
                "duties": profile.duties}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Edit the staff profile")}

    def get_action(self, form):
        data = form.cleaned_data
        return SaveProfile(self.request.user, self.person, data["reason"],
                           department=data["department"], role=data["role"],
                           duties=data["duties"])

    def success_message(self, profile):
        return _("Saved the staff profile.")

    def success_url(self, result):
        return reverse("lifecycle:staffprofile_detail", args=[self.person.pk])


class TrainingAddView(ActionFormMixin, PersonMixin, FormView):
    permission_required = "lifecycle.add_trainingrecord"
    form_class = TrainingForm
    template_name = "lifecycle/organization/staffprofile_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": TrainingRecord(user=self.person)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Record a training"),
                "multipart": True}

    def get_action(self, form):
        return AddTraining(self.request.user, form.save(commit=False))

    def success_message(self, record):
        return _("Recorded %(course)s.") % {"course": record.course}

    def success_url(self, result):
        return reverse("lifecycle:staffprofile_detail", args=[self.person.pk])


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
                "person_name": user_display(self.person),
                "record": self.record}


class TrainingEditView(ActionFormMixin, TrainingRecordMixin, FormView):
    permission_required = "lifecycle.change_trainingrecord"
    form_class = TrainingEditForm
    template_name = "lifecycle/organization/staffprofile_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.record}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Edit the training record"),
                "multipart": True}

    def get_action(self, form):
        data = form.cleaned_data
        return ChangeTraining(
            self.request.user, form.save(commit=False), data["reason"],
            remove_certificate=data.get("remove_certificate", False)
            and not data.get("certificate"))

    def success_message(self, record):
        return _("Saved %(course)s.") % {"course": record.course}

    def success_url(self, result):
        return reverse("lifecycle:staffprofile_detail", args=[self.person.pk])


class TrainingDeleteView(ActionFormMixin, TrainingRecordMixin, FormView):
    permission_required = "lifecycle.delete_trainingrecord"
    form_class = ReasonForm
    template_name = "lifecycle/organization/trainingrecord_delete.html"

    def get_action(self, form):
        return DeleteTraining(self.request.user, self.record, form.cleaned_data["reason"])

    def success_message(self, result):
        return _("Deleted the training record %(course)s.") % {"course": self.record.course}

    def success_url(self, result):
        return reverse("lifecycle:staffprofile_detail", args=[self.person.pk])
