"""What office staff record on a project: documents, comments, objections, reviewers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from lifecycle.choices import Stage
from lifecycle.documents import download_response
from lifecycle.forms import CommentForm, DocumentForm, ObjectionForm, ReviewersForm
from lifecycle.models import Comment, Document, Objection, Project, ReviewAssignment
from registry.views.mixins import PermissionMixin


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
