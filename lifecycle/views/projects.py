"""Project pages: the list, adding and editing, the project page, taking a transition; what
office staff record on a project (documents, comments, objections, experts); the comment
resolution table; and what follows publication: periodic reviews and implementation plans."""

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, FormView, TemplateView, UpdateView
from django_filters.views import FilterView

from catalog.models import Standard
from lifecycle.actions.projects import run_transition, user_transitions
from lifecycle.choices import ISO_CODES, DocumentKind, Stage
from lifecycle.documents import download_response
from lifecycle.filtersets import ProjectFilterSet
from lifecycle.forms.projects import (
    CommentForm,
    DocumentForm,
    ImplementationPlanForm,
    ObjectionForm,
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
    ProjectMember,
    ReviewAssignment,
)
from lifecycle.notifications import waiting_for
from lifecycle.rules.projects import due_reviews, record_review, review_due_on
from registry.models import Node
from registry.views.mixins import PermissionMixin, QuerystringMixin


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


def _recorded(instance, user, reason):
    instance._history_user, instance._change_reason = user, reason
    return instance


class ProjectFormView(PermissionMixin, FormView):
    """A form on behalf of one open project. ``stages`` limits when it may be used (all
    open stages when empty): a finished project's records are no longer edited."""

    template_name = "lifecycle/record_form.html"
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

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        with transaction.atomic():
            latest = (Document.objects.select_for_update().filter(project=self.project, kind=kind)
                      .aggregate(Max("version"))["version__max"] or 0)
            document = Document(
                project=self.project, kind=kind, stage=self.project.stage,
                version=latest + 1, original_name=upload.name[:255],
                file_format=form.cleaned_data["file_format"], size=upload.size,
                uploaded_by=self.request.user,
            )
            document.file.save("upload", upload, save=False)
            _recorded(document, self.request.user, _("Uploaded %(name)s")
                      % {"name": document.original_name}).save()
        messages.success(self.request, _("Uploaded %(document)s.") % {"document": document})
        return redirect(self.project)


def document_download(request, pk):
    """Documents go only to users who may see projects, always as a download."""
    if not request.user.has_perm("lifecycle.view_document"):
        raise PermissionDenied
    document = get_object_or_404(Document, pk=pk)
    return download_response(document.file, document.original_name, document.file_format)


class CommentFormView(ProjectFormView):
    form_class = CommentForm
    stages = (Stage.COMMENT,)

    def dispatch(self, request, *args, **kwargs):
        self.comment = None
        if "comment" in kwargs:
            self.comment = get_object_or_404(Comment, pk=kwargs["comment"],
                                             project_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def permission_required(self):
        return "lifecycle.change_comment" if self.comment else "lifecycle.add_comment"

    @property
    def title(self):
        return _("Comment and its disposition") if self.comment else _("Record a comment")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.comment}

    def form_valid(self, form):
        comment = form.save(commit=False)
        comment.project = self.project
        _recorded(comment, self.request.user,
                  _("Disposition recorded") if comment.disposition else _("Comment recorded"))
        comment.save()
        messages.success(self.request, _("Saved the comment."))
        return redirect(self.project.get_absolute_url() + "#comments")


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

    def form_valid(self, form):
        objection = form.save(commit=False)
        objection.project = self.project
        _recorded(objection, self.request.user, _("Objection recorded")).save()
        return redirect(self.project.get_absolute_url() + "#objections")


class ReviewersView(ProjectFormView):
    permission_required = "lifecycle.add_reviewassignment"
    form_class = ReviewersForm

    @property
    def title(self):
        return _("Assign experts to the review")

    def get_initial(self):
        return {"experts": [r.expert for r in self.project.reviewers.all()]}

    def form_valid(self, form):
        user, reason = self.request.user, _("Experts assigned")
        wanted = set(form.cleaned_data["experts"])
        with transaction.atomic():
            for assignment in self.project.reviewers.select_related("expert"):
                if assignment.expert not in wanted:
                    _recorded(assignment, user, reason).delete()
            have = {r.expert_id for r in self.project.reviewers.all()}
            for expert in wanted:
                if expert.pk not in have:
                    _recorded(ReviewAssignment(project=self.project, expert=expert), user,
                              reason).save()
        messages.success(self.request, _("Experts assigned."))
        return redirect(self.project)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def comment_table(request, pk, fmt):
    if not request.user.has_perm("lifecycle.view_comment"):
        raise PermissionDenied
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    project = get_object_or_404(Project, pk=pk)
    if fmt == "xlsx":
        response = HttpResponse(comment_table_xlsx(project), content_type=XLSX)
    else:
        response = HttpResponse(comment_table_pdf(project), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="comment-table-{pk}.{fmt}"'
    return response


def columns():
    return [_("No."), _("Clause"), _("Comment"), _("Proposed change"), _("Submitted by"),
            _("Disposition"), _("Remarks")]


def rows(project):
    for number, comment in enumerate(project.comments.all(), start=1):
        disposition = comment.get_disposition_display()
        if comment.disposition_reason:
            disposition = f"{disposition}: {comment.disposition_reason}"
        yield [number, comment.clause, comment.content, comment.suggestion, comment.unit,
               disposition, comment.note]


def comment_table_xlsx(project):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Comment resolution table")[:31]
    sheet.append([f"{_('Comment resolution table')}: {project.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(columns())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(project):
        sheet.append(row)
    for column, width in zip("ABCDEFG", (6, 12, 40, 30, 18, 30, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:G{sheet.max_row}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def comment_table_pdf(project):
    from weasyprint import HTML

    html = render_to_string("lifecycle/comment_table_pdf.html", {
        "project": project, "columns": columns(), "rows": list(rows(project)),
        "exported": timezone.localtime(),
    })
    return HTML(string=html).write_pdf()


class DueReviewsView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_periodicreview"
    template_name = "lifecycle/due_reviews.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year_end = today.replace(month=12, day=31)
        scope = self.request.GET.get("scope", "year")
        due = due_reviews(until=None if scope == "all" else year_end)
        return {**super().get_context_data(**kwargs), "due": due, "scope": scope,
                "year_end": year_end}


class PeriodicReviewView(PermissionMixin, FormView):
    permission_required = "lifecycle.add_periodicreview"
    form_class = PeriodicReviewForm
    template_name = "lifecycle/periodic_review.html"

    def dispatch(self, request, *args, **kwargs):
        self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "standard": self.standard,
                "due_on": review_due_on(self.standard),
                "reviews": self.standard.periodic_reviews.select_related("reviewed_by")}

    def form_valid(self, form):
        try:
            review = record_review(self.standard, form.cleaned_data["conclusion"],
                                   form.cleaned_data["reason"], self.request.user)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Recorded the periodic review: %(conclusion)s.")
                         % {"conclusion": review.get_conclusion_display()})
        if review.revision_project:
            return redirect(review.revision_project)
        return redirect(self.standard)


class ImplementationPlanView(PermissionMixin, FormView):
    permission_required = "lifecycle.add_implementationplan"
    form_class = ImplementationPlanForm
    template_name = "lifecycle/implementation_plan.html"

    def dispatch(self, request, *args, **kwargs):
        self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "standard": self.standard,
                "plans": ImplementationPlan.objects.filter(standard=self.standard)}

    def form_valid(self, form):
        plan = form.save(commit=False)
        plan.standard, plan.created_by = self.standard, self.request.user
        plan._history_user, plan._change_reason = self.request.user, _("Implementation plan")
        plan.save()
        messages.success(self.request, _("Saved the implementation plan."))
        return redirect(self.standard)
