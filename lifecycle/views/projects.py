"""Project pages: list, create, edit, the project page, and taking a transition."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, TemplateView, UpdateView
from django_filters.views import FilterView

from lifecycle.choices import FINAL_STAGES, ISO_CODES, DocumentKind, ProjectLevel, Stage
from lifecycle.forms import ProjectForm, transition_form
from lifecycle.models import Department, Project, ProjectMember
from lifecycle.notifications import waiting_for
from lifecycle.services import run_transition, user_transitions
from registry.models import Node
from registry.views.mixins import PermissionMixin, QuerystringMixin


class ProjectFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label=gettext_lazy("Stage"), choices=Stage.choices)
    level = django_filters.ChoiceFilter(label=gettext_lazy("Level"),
                                        choices=ProjectLevel.choices)
    department = django_filters.ModelChoiceFilter(label=gettext_lazy("Department"),
                                                  queryset=Department.objects.all())
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("Overdue"), method="filter_overdue", empty_label=gettext_lazy("All"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
    )
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")

    class Meta:
        model = Project
        fields = ["stage", "level", "department", "overdue", "q"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(planned_end__lt=timezone.localdate()) & ~Q(stage__in=FINAL_STAGES)
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(node__name__icontains=value)
                               | Q(node__code__icontains=value))


class ProjectListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_project"
    filterset_class = ProjectFilterSet
    template_name = "lifecycle/project_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Project.objects.select_related("node", "department", "leader", "standard")



class ProjectFormMixin(PermissionMixin):
    model = Project
    form_class = ProjectForm
    template_name = "lifecycle/project_form.html"

    def form_valid(self, form):
        user = self.request.user
        reason = form.cleaned_data.get("reason") or _("Project opened")
        with transaction.atomic():
            project = form.save(commit=False)
            if not project.pk:
                project.created_by = user
            project._history_user, project._change_reason = user, reason
            project.save()
            wanted = set(form.cleaned_data["members"])
            for member in project.members.select_related("user"):
                if member.user not in wanted:
                    member._history_user, member._change_reason = user, reason
                    member.delete()
            have = {m.user_id for m in project.members.all()}
            for person in wanted:
                if person.pk not in have:
                    member = ProjectMember(project=project, user=person)
                    member._history_user, member._change_reason = user, reason
                    member.save()
        messages.success(self.request, _("Saved %(project)s.") % {"project": project})
        return redirect(project)


class ProjectAddView(ProjectFormMixin, CreateView):
    permission_required = "lifecycle.add_project"

    def get_initial(self):
        initial = {"leader": self.request.user, "planned_start": timezone.localdate()}
        node = Node.objects.filter(pk=self.request.GET.get("node")).first()
        if node:
            initial["node"] = node
        revises = self.request.GET.get("revises")
        if revises:
            initial.update(kind="revision", revises=revises)
        return initial


class ProjectEditView(ProjectFormMixin, UpdateView):
    permission_required = "lifecycle.change_project"

    def get_object(self, queryset=None):
        project = super().get_object(queryset)
        if project.is_final:
            raise PermissionDenied(_("A finished project cannot be edited."))
        return project


class ProjectView(PermissionMixin, TemplateView):
    """The project: its stage with the ISO code, the steps this user may take now, its
    documents by stage, comments, reviewers and timeline."""

    permission_required = "lifecycle.view_project"
    template_name = "lifecycle/project.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = get_object_or_404(
            Project.objects.select_related("node", "department__lead", "leader", "revises",
                                           "standard"), pk=kwargs["pk"])
        actions, rare = [], []
        for name, info, unmet in user_transitions(project, self.request.user):
            form = transition_form(name, initial={"expected_stage": project.stage},
                                   prefix=name)
            # Terminating stays out of the way, behind "more actions".
            (rare if name == "terminate" else actions).append(
                {"name": name, "info": info, "unmet": unmet, "form": form})
        documents = {}
        order = {kind: index for index, kind in enumerate(DocumentKind.values)}
        for document in sorted(project.documents.select_related("uploaded_by"),
                               key=lambda d: (order[d.kind], -d.version)):
            documents.setdefault(document.get_kind_display(), []).append(document)
        context.update(
            project=project, actions=actions, rare_actions=rare, documents=documents,
            waiting_for=[] if project.is_final else waiting_for(project),
            events=project.events.select_related("user"),
            comments=project.comments.all(), objections=project.objections.all(),
            reviewers=project.reviewers.select_related("expert"),
            members=project.members.select_related("user"),
            undisposed=project.comments.filter(disposition="").count(),
            iso_codes=ISO_CODES,
            today=timezone.localdate(),
        )
        return context


class ProjectTransitionView(View):
    """POST one transition. Permission and conditions are checked by the state machine."""

    def post(self, request, pk, name):
        project = get_object_or_404(Project, pk=pk)
        form = transition_form(name, request.POST, prefix=name)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(project)
        try:
            run_transition(project, name, request.user, form.cleaned_data["reason"],
                           expected_stage=form.cleaned_data["expected_stage"],
                           detail=form.detail(), **form.transition_data())
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect(project)
        project.refresh_from_db()
        messages.success(request, _("Done: the project is now at “%(stage)s”.")
                         % {"stage": project.get_stage_display()})
        return redirect(project)
