"""The lifecycle's API: projects with their stage, timeline, documents and comments;
periodic reviews, implementation checks, non-conformities and evaluations.

Writes run the pages' actions after the pages' forms have checked the data:
``TakeTransition`` (the state machine decides who may), ``SaveComment`` and
``UploadDocument``."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from audit.api.base import ActionPermissions, form_data, validated, with_etag
from audit.api.concurrency import guarded
from lifecycle.actions.projects import SaveComment, TakeTransition, UploadDocument
from lifecycle.api import serializers as s
from lifecycle.choices import Stage
from lifecycle.filtersets import (
    CheckFilterSet,
    EvaluationFilterSet,
    NonConformityFilterSet,
    ProjectFilterSet,
)
from lifecycle.forms.projects import CommentForm, DocumentForm, transition_form
from lifecycle.models import (
    Comment,
    Evaluation,
    ImplementationCheck,
    NonConformity,
    PeriodicReview,
    Project,
)
from lifecycle.rules.drafts import project_drafts, resolve
from lifecycle.rules.projects import transition_spec
from texts.rules.compare import compare

# Who reads a project's drafts reads the project and its text (the drafts' pages ask the same).
READ_DRAFTS = ("lifecycle.view_project", "texts.view_text")
VERSION_TOKENS = ("A frozen draft's id, a stage (comment, review, approval, published: its "
                  "latest draft), current (the text as it stands) or in-force (the edition "
                  "a revision revises).")


class ProjectViewSet(ActionPermissions, viewsets.ReadOnlyModelViewSet):
    """Projects (clause 7) with the projects page's filters (stage, level, department,
    overdue, q). A project's page data: its timeline, documents (metadata; the files are
    downloaded from the pages) and comments."""

    permissions = {"*": "lifecycle.view_project", "transition": None,
                   "comments": "lifecycle.view_comment", "add_comment": "lifecycle.add_comment",
                   "comment": "lifecycle.change_comment",
                   "documents": "lifecycle.add_document",
                   "drafts": READ_DRAFTS, "draft": READ_DRAFTS, "compare_drafts": READ_DRAFTS}
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ProjectFilterSet
    ordering_fields = ["created_at", "planned_end", "title", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        projects = Project.objects.select_related("node", "department", "leader", "revises",
                                                  "standard")
        if self.action == "retrieve":
            projects = projects.prefetch_related("events__user", "documents__uploaded_by",
                                                 "comments")
        return projects

    def get_serializer_class(self):
        return s.ProjectDetailSerializer if self.action == "retrieve" else s.ProjectSerializer

    def retrieve(self, request, *args, **kwargs):
        project = self.get_object()
        return with_etag(self.get_serializer(project).data, project)

    def _answer(self, project, code=200):
        project = self.get_queryset().prefetch_related(
            "events__user", "documents__uploaded_by", "comments").get(pk=project.pk)
        return with_etag(s.ProjectDetailSerializer(project).data, project, status=code)

    def _open(self, project, stages=()):
        if project.is_final or (stages and project.stage not in stages):
            raise PermissionDenied(_("This cannot be changed at the project's current stage."))

    @extend_schema(request=s.TransitionSerializer, responses=s.ProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take a step of the workflow (``TakeTransition``): who may is decided by the state
        machine, as on the project page; the reason is required."""
        project = get_object_or_404(Project, pk=pk)
        serializer = s.TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v is not None}
        name = data.pop("name")
        # Who may is said before what is missing (TakeTransition checks it again).
        _method, spec = transition_spec(project, name)
        if spec is not None and not spec.has_perm(project, request.user):
            raise PermissionDenied(_("Your role may not take this step."))
        data.setdefault("expected_stage", project.stage)
        form = transition_form(name, data=data)
        cleaned = validated(form)
        guarded(request, project, lambda: TakeTransition(
            request.user, project, name, cleaned["reason"],
            expected_stage=cleaned["expected_stage"], **form.transition_data()).execute())
        return self._answer(project)

    @extend_schema(responses=s.CommentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def comments(self, request, pk=None):
        """The comments of the comment period with their dispositions."""
        project = get_object_or_404(Project, pk=pk)
        return Response(s.CommentSerializer(project.comments.all(), many=True).data)

    @extend_schema(request=s.CommentWriteSerializer, responses={201: s.CommentSerializer})
    @comments.mapping.post
    def add_comment(self, request, pk=None):
        """Record a comment (in the comment period), as the comment page does."""
        project = get_object_or_404(Project, pk=pk)
        self._open(project, (Stage.COMMENT,))
        comment = self._save_comment(request, project, Comment())
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CommentWriteSerializer, responses=s.CommentSerializer)
    @action(detail=True, methods=["patch"], url_path=r"comments/(?P<comment_id>\d+)")
    def comment(self, request, pk=None, comment_id=None):
        """Change a comment or record its disposition (a disposition needs its reason)."""
        project = get_object_or_404(Project, pk=pk)
        comment = get_object_or_404(Comment, pk=comment_id, project=project)
        self._open(project, (Stage.COMMENT,))
        guarded(request, comment, lambda: self._save_comment(request, project, comment))
        comment.refresh_from_db()
        return with_etag(s.CommentSerializer(comment).data, comment)

    def _save_comment(self, request, project, comment):
        serializer = s.CommentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A change keeps the fields not given; a new comment was received today unless
        # it says otherwise (the page's default).
        current = ({f: getattr(comment, f) for f in CommentForm.Meta.fields}
                   if comment.pk else {"received_on": timezone.localdate()})
        data = {**current, **serializer.validated_data}
        form = CommentForm(data=form_data(data), instance=comment)
        validated(form)
        return SaveComment(request.user, project, form.save(commit=False)).execute()

    @extend_schema(request={"multipart/form-data": s.DocumentUploadSerializer},
                   responses={201: s.DocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser,
                                                           JSONParser])
    def documents(self, request, pk=None):
        """Upload a new version of one kind of document (multipart: ``kind``, ``file``),
        checked by its content as on the upload page."""
        project = get_object_or_404(Project, pk=pk)
        self._open(project)
        cleaned = validated(DocumentForm(data=request.data, files=request.FILES))
        document = UploadDocument(request.user, project, cleaned["kind"], cleaned["file"],
                                  cleaned["file_format"]).execute()
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    # --- the frozen drafts of the project's text (clause 7.3.2) ------------------------

    @staticmethod
    def _drafts(project):
        return project_drafts(project).prefetch_related("files__generated_by")

    @extend_schema(responses=s.DraftSerializer(many=True))
    # One list, not pages: a project has a few drafts.
    @action(detail=True, methods=["get"], pagination_class=None)
    def drafts(self, request, pk=None):
        """The frozen drafts of the project's text, oldest first, each with its SHA-256 and
        the digests of the Word and PDF files generated from it."""
        project = get_object_or_404(Project, pk=pk)
        return Response(s.DraftSerializer(self._drafts(project), many=True).data)

    @extend_schema(responses=s.DraftDetailSerializer)
    @action(detail=True, methods=["get"], url_path=r"drafts/(?P<draft_id>[0-9]{1,18})")
    def draft(self, request, pk=None, draft_id=None):
        """One frozen draft as it was frozen: its cover and its structure, numbered."""
        project = get_object_or_404(Project, pk=pk)
        draft = get_object_or_404(self._drafts(project).select_related("text"), pk=draft_id)
        return Response(s.DraftDetailSerializer(draft, context={"request": request}).data)

    @extend_schema(parameters=[
        OpenApiParameter("from", str, required=True, description=VERSION_TOKENS),
        OpenApiParameter("to", str, required=True, description=VERSION_TOKENS),
        OpenApiParameter("full", bool, description="Every clause and element, not only "
                                                    "those that changed.")],
        responses=s.ComparisonSerializer)
    @action(detail=True, methods=["get"], url_path="drafts/compare")
    def compare_drafts(self, request, pk=None):
        """The differences between two versions of the project's text, clause by clause
        (added, removed, moved, changed; the words changed as a diff)."""
        project = get_object_or_404(Project, pk=pk)
        found = {}
        for name in ("from", "to"):
            token = request.query_params.get(name, "")
            found[name] = resolve(project, token)
            if found[name] is None:
                raise ValidationError({name: [
                    _("This project's text has no version “%(token)s”: give a frozen "
                      "draft's id, a stage (comment, review, approval, published), current "
                      "or in-force.") % {"token": token}]})
        old, new = found["from"], found["to"]
        full = request.query_params.get("full", "").lower() in ("1", "true")
        return Response({"old": {"token": old.token, "label": str(old.label)},
                         "new": {"token": new.token, "label": str(new.label)},
                         **compare(old.document, new.document).as_dict(full)})


class _ListViewSet(ActionPermissions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]


class PeriodicReviewViewSet(_ListViewSet):
    """Periodic reviews (复审) of published standards."""

    permissions = {"*": "lifecycle.view_periodicreview"}
    serializer_class = s.PeriodicReviewSerializer
    ordering_fields = ["reviewed_on", "id"]
    ordering = ["-reviewed_on", "-id"]
    queryset = PeriodicReview.objects.select_related("standard", "reviewed_by")
    filterset_fields = ["conclusion", "standard"]


class CheckViewSet(_ListViewSet):
    """Implementation checks (clause 8.1), with the checks page's filters."""

    permissions = {"*": "lifecycle.view_implementationcheck"}
    serializer_class = s.CheckSerializer
    filterset_class = CheckFilterSet
    ordering_fields = ["checked_on", "id"]
    ordering = ["-checked_on", "-id"]
    queryset = ImplementationCheck.objects.select_related("standard", "inspector",
                                                          "department")


class NonConformityViewSet(_ListViewSet):
    """Non-conformities and their corrective actions, with the page's filters."""

    permissions = {"*": "lifecycle.view_nonconformity"}
    serializer_class = s.NonConformitySerializer
    filterset_class = NonConformityFilterSet
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]
    queryset = NonConformity.objects.select_related("owner", "closed_by")


class EvaluationViewSet(_ListViewSet):
    """Evaluations of standards (clause 8.2)."""

    permissions = {"*": "lifecycle.view_evaluation"}
    serializer_class = s.EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering_fields = ["evaluated_on", "total", "id"]
    ordering = ["-evaluated_on", "-id"]
    queryset = Evaluation.objects.select_related("standard", "template", "evaluated_by")
