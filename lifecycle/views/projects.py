"""Project pages: the list, adding and editing, the project page, taking a transition; what
office staff record on a project (documents, comments, objections, experts); the comment
resolution table; and what follows publication: periodic reviews and implementation plans."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from audit.downloads import as_download
from audit.forms import user_display
from audit.mixins import PermissionMixin, QuerystringMixin
from audit.params import id_from
from catalog.models import Standard
from lifecycle.actions.projects import (
    AddImplementationPlan,
    AddPeriodicReview,
    AssignExperts,
    SaveComment,
    SaveObjection,
    SaveProject,
    SubmitComment,
    TakeTransition,
    UploadDocument,
)
from lifecycle.choices import ISO_CODES, DocumentKind, Stage
from lifecycle.filtersets import ProjectFilterSet
from lifecycle.forms.projects import (
    CommentForm,
    DocumentForm,
    ImplementationPlanForm,
    ObjectionForm,
    OwnCommentForm,
    PeriodicReviewForm,
    ProjectForm,
    ReviewersForm,
    transition_form,
)
from lifecycle.models import (
    Comment,
    Document,
    ImplementationPlan,
    Objection,
    Project,
    ReviewAssignment,
)
from lifecycle.rules.draft_comments import comment_draft, sittings
from lifecycle.rules.drafts import drafts_listed
from lifecycle.rules.exports import comment_table_xlsx
from lifecycle.rules.organization import profile_of
from lifecycle.rules.projects import (
    REVIEW_DOCUMENTS,
    DueReviews,
    expert_may_upload,
    may_submit_comment,
    periodic_review_due_on,
    user_transitions,
    waiting_for,
    waiting_task,
)
from lifecycle.views.attachments import download_response
from lifecycle.views.generic import ActionFormMixin, add_refusal
from registry.actions import StartDocument
from registry.rules.tree.scope import nodes
from texts.models import Text


class ProjectListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_project"
    filterset_class = ProjectFilterSet
    template_name = "lifecycle/projects/project_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Project.objects.select_related("node", "department", "leader", "standard")



class ProjectFormMixin(ActionFormMixin):
    model = Project
    form_class = ProjectForm
    template_name = "lifecycle/projects/project_form.html"

    def get_action(self, form):
        return SaveProject(self.request.user, form.save(commit=False),
                           form.cleaned_data.get("reason"),
                           members=form.cleaned_data["members"])

    def success_message(self, project):
        return _("Saved %(project)s.") % {"project": project}


class ProjectAddView(ProjectFormMixin, CreateView):
    permission_required = "lifecycle.add_project"

    def get_initial(self):
        initial = {"leader": self.request.user, "planned_start": timezone.localdate()}
        node = nodes().filter(pk=id_from(self.request.GET.get("node"))).first()
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
    template_name = "lifecycle/projects/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = get_object_or_404(
            Project.objects.select_related("node", "department__lead", "leader", "revises",
                                           "standard"), pk=kwargs["pk"])
        actions, rare = [], []
        bound = getattr(self, "bound_forms", {})
        for name, info, unmet in user_transitions(project, self.request.user):
            form = bound.get(name) or transition_form(
                name, initial={"expected_stage": project.stage}, prefix=name)
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
            waiting_for=waiting_for(project), waiting_task=waiting_task(project),
            can_upload=not project.is_final and (
                self.request.user.has_perm("lifecycle.add_document")
                or expert_may_upload(project, self.request.user)),
            can_write_text=not project.is_final and self.request.user.has_perms(
                ("lifecycle.change_project", "texts.add_text")),
            revised_text=project.revises_id is not None and not project.text_id
            and Text.objects.readable().filter(standard_id=project.revises_id).exists(),
            **dict(zip(("frozen_drafts", "drafts_info"), drafts_listed(project),
                       strict=True)),
            events=project.events.select_related("user"),
            comments=sittings(project, project.comments.select_related("commenter")),
            comment_draft=comment_draft(project),
            objections=project.objections.all(),
            reviewers=project.reviewers.select_related("expert"),
            members=project.members.select_related("user"),
            undisposed=project.comments.filter(disposition="").count(),
            may_submit_comment=may_submit_comment(project, self.request.user),
            iso_codes=ISO_CODES,
            today=timezone.localdate(),
        )
        return context


class ProjectTransitionView(View):
    """POST one transition. Permission and conditions are checked by the state machine.
    A form with errors or a refused step comes back on the project page with what was
    typed and each error beside its field."""

    def post(self, request, pk, name):
        project = get_object_or_404(Project, pk=pk)
        form = transition_form(name, request.POST, prefix=name)
        if not form.is_valid():
            return self.show_again(project, name, form)
        try:
            taken = TakeTransition(request.user, project, name, form.cleaned_data["reason"],
                                   expected_stage=form.cleaned_data["expected_stage"],
                                   **form.transition_data()).execute()
        except ValidationError as exc:
            add_refusal(form, exc)
            return self.show_again(project, name, form)
        project.refresh_from_db()
        messages.success(request, _("Done: the project is now at “%(stage)s”.")
                         % {"stage": project.get_stage_display()})
        # Decided with the publication, before its commit
        # (lifecycle.rules.projects.publication_year).
        warning = getattr(taken, "publication_warning", "")
        if warning:
            messages.warning(request, warning)
        return redirect(project)

    def show_again(self, project, name, form):
        """The project page with this transition's form as submitted; when the step is no
        longer offered there (the stage moved), its errors as messages instead."""
        page = ProjectView()
        page.setup(self.request, pk=project.pk)
        if page.has_permission():
            page.bound_forms = {name: form}
            context = page.get_context_data(pk=project.pk)
            if any(a["form"] is form for a in context["actions"] + context["rare_actions"]):
                return page.render_to_response(context)
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(self.request, _("%(label)s: %(error)s")
                               % {"label": label, "error": error} if label else error)
        return redirect(project)


class ProjectFormView(ActionFormMixin, FormView):
    """A form on behalf of one open project. ``stages`` limits when it may be used (all
    open stages when empty): a finished project's records are no longer edited."""

    template_name = "lifecycle/projects/record_form.html"
    title = ""
    stages = ()

    def dispatch(self, request, *args, **kwargs):
        self.project = get_object_or_404(Project, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        if not super().has_permission():
            return False
        if self.project.is_final or (self.stages and self.project.stage not in self.stages):
            raise PermissionDenied(_("This cannot be changed at the project's current stage."))
        return True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "project": self.project,
                "title": self.title, "multipart": getattr(self, "multipart", False)}


class DocumentUploadView(ProjectFormView):
    permission_required = "lifecycle.add_document"
    form_class = DocumentForm
    multipart = True

    @property
    def title(self):
        return _("Upload a document")

    def get_initial(self):
        return {"kind": self.request.GET.get("kind")}

    def has_permission(self):
        if not self.request.user.has_perm(self.permission_required) and \
                expert_may_upload(self.project, self.request.user):
            return True
        return super().has_permission()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if not self.request.user.has_perm(self.permission_required):
            kwargs["kinds"] = REVIEW_DOCUMENTS
        return kwargs

    def get_action(self, form):
        return UploadDocument(self.request.user, self.project, form.cleaned_data["kind"],
                              form.cleaned_data["file"], form.cleaned_data["file_format"])

    def success_message(self, document):
        return _("Uploaded %(document)s.") % {"document": document}

    def success_url(self, document):
        return self.project


def document_download(request, pk):
    """Documents go only to users who may see projects, always as a download."""
    if not request.user.has_perm("lifecycle.view_document"):
        raise PermissionDenied
    document = get_object_or_404(Document, pk=pk)
    return download_response(document.file, document.original_name, document.file_format)


def own_comment_initial(user):
    """A user's own comment comes from their department, else from them."""
    profile = profile_of(user)
    department = profile.department if profile else None
    return {"unit": department.name if department else user_display(user)}


class CommentFormView(ProjectFormView):
    """The office records any comment and each disposition; anyone else who may see the
    project submits their own comment while the period is open (``may_submit_comment``)."""

    form_class = CommentForm
    stages = (Stage.COMMENT,)

    def dispatch(self, request, *args, **kwargs):
        self.comment = None
        if "comment" in kwargs:
            self.comment = get_object_or_404(Comment, pk=kwargs["comment"],
                                             project_id=kwargs["pk"])
        # Not the office, adding: the user's own comment.
        self.own = self.comment is None and not request.user.has_perm("lifecycle.add_comment")
        return super().dispatch(request, *args, **kwargs)

    @property
    def permission_required(self):
        return "lifecycle.change_comment" if self.comment else "lifecycle.add_comment"

    def has_permission(self):
        if self.own and self.request.user.is_authenticated:
            if not may_submit_comment(self.project, self.request.user):
                raise PermissionDenied(_("Comments are submitted while the comment period "
                                         "is open."))
            return True
        return super().has_permission()

    def get_form_class(self):
        return OwnCommentForm if self.own else CommentForm

    @property
    def title(self):
        if self.own:
            return _("Submit a comment")
        return _("Comment and its disposition") if self.comment else _("Record a comment")

    def get_form_kwargs(self):
        # A new comment sits on the frozen 征求意见稿 when there is one; a comment keeps the
        # draft it was made on, and one recorded with a typed clause keeps typing it.
        draft = self.comment.draft if self.comment else comment_draft(self.project)
        return {**super().get_form_kwargs(), "instance": self.comment, "draft": draft}

    def get_initial(self):
        initial = own_comment_initial(self.request.user) if self.own else super().get_initial()
        if self.request.GET.get("part"):  # "Comment on this" on the draft's page
            initial["part_key"] = self.request.GET["part"]
        return initial

    def get_action(self, form):
        action = SubmitComment if self.own else SaveComment
        return action(self.request.user, self.project, form.save(commit=False))

    def success_message(self, comment):
        return _("Saved the comment.")

    def success_url(self, comment):
        return self.project.get_absolute_url() + "#comments"


class ObjectionFormView(ProjectFormView):
    form_class = ObjectionForm
    stages = (Stage.PUBLIC_NOTICE,)

    def dispatch(self, request, *args, **kwargs):
        self.objection = None
        if "objection" in kwargs:
            self.objection = get_object_or_404(Objection, pk=kwargs["objection"],
                                               project_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def permission_required(self):
        return "lifecycle.change_objection" if self.objection else "lifecycle.add_objection"

    @property
    def title(self):
        return _("Objection during the public notice")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.objection}

    def get_action(self, form):
        return SaveObjection(self.request.user, self.project, form.save(commit=False))

    def success_url(self, objection):
        return self.project.get_absolute_url() + "#objections"


class ReviewAssignmentEditView(ProjectFormView):
    permission_required = "lifecycle.add_reviewassignment"
    form_class = ReviewersForm

    @property
    def title(self):
        return _("Assign experts to the review")

    def get_initial(self):
        return {"experts": [r.expert for r in self.project.reviewers.all()]}

    def versioned_record(self, form):
        return self.project

    def record_version(self, project):
        """The assignments change, not the project: their latest history row is the
        version (one removed leaves a row too)."""
        latest = (ReviewAssignment.history.filter(project_id=project.pk).order_by("-pk")
                  .values_list("pk", flat=True).first())
        return f"r{latest or 0}"

    def changed_since(self, project, loaded):
        since = int(loaded[1:]) if loaded[1:].isdigit() else 0
        return list(ReviewAssignment.history.filter(project_id=project.pk, pk__gt=since)
                    .select_related("history_user").order_by("pk"))

    def get_action(self, form):
        return AssignExperts(self.request.user, self.project, form.cleaned_data["experts"])

    def success_message(self, project):
        return _("Experts assigned.")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def comment_table(request, pk, fmt):
    """The XLSX is written here (it is quick); the PDF is laid out by a worker: the request
    queues the job (or joins the same one still running) and goes to its page."""
    if not request.user.has_perm("lifecycle.view_comment"):
        raise PermissionDenied
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    project = get_object_or_404(Project, pk=pk)
    if fmt == "pdf":
        # Queuing work is a change: asked for by a form's POST, never by a link followed.
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = StartDocument(request.user, "lifecycle.comment_table", request.LANGUAGE_CODE,
                            params={"project": project.pk},
                            back=project.get_absolute_url()).execute()
        return redirect(job)
    response = HttpResponse(comment_table_xlsx(project), content_type=XLSX)
    return as_download(response, _("Comment resolution table"), project.title, extension=fmt)


class PeriodicReviewListView(PermissionMixin, QuerystringMixin, ListView):
    """The reviews due (this year's, or all), soonest first, paged like the other lists:
    the pages' links keep the scope."""

    permission_required = "lifecycle.view_periodicreview"
    template_name = "lifecycle/projects/periodicreview_list.html"
    paginate_by = 50

    def scope(self):
        return "all" if self.request.GET.get("scope") == "all" else "year"

    def year_end(self):
        return timezone.localdate().replace(month=12, day=31)

    def get_queryset(self):
        return DueReviews(until=None if self.scope() == "all" else self.year_end())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "scope": self.scope(),
                "year_end": self.year_end()}


class PeriodicReviewAddView(ActionFormMixin, FormView):
    permission_required = "lifecycle.add_periodicreview"
    form_class = PeriodicReviewForm
    template_name = "lifecycle/projects/periodicreview_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "standard": self.standard,
                "due_on": periodic_review_due_on(self.standard),
                "reviews": self.standard.periodic_reviews.select_related("reviewed_by")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "standard": self.standard}

    def get_action(self, form):
        return AddPeriodicReview(self.request.user, self.standard,
                                    form.cleaned_data["conclusion"], form.cleaned_data["reason"],
                                    department=form.cleaned_data["department"],
                                    level=form.cleaned_data["level"] or None)

    def success_message(self, review):
        return (_("Recorded the periodic review: %(conclusion)s.")
                % {"conclusion": review.get_conclusion_display()})

    def success_url(self, review):
        return review.revision_project or self.standard


class ImplementationPlanView(ActionFormMixin, FormView):
    permission_required = "lifecycle.add_implementationplan"
    form_class = ImplementationPlanForm
    template_name = "lifecycle/projects/implementationplan_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "standard": self.standard,
                "plans": ImplementationPlan.objects.filter(standard=self.standard)}

    def get_action(self, form):
        return AddImplementationPlan(self.request.user, self.standard, form.save(commit=False))

    def success_message(self, plan):
        return _("Saved the implementation plan.")

    def success_url(self, plan):
        return self.standard
