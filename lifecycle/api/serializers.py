from rest_framework import serializers

from lifecycle.choices import Disposition, DocumentKind, Stage
from lifecycle.models import (
    Comment,
    Document,
    Evaluation,
    ImplementationCheck,
    NonConformity,
    PeriodicReview,
    Project,
    ProjectEvent,
)
from lifecycle.rules.projects import TRANSITIONS

USERNAME = {"slug_field": "username", "read_only": True}


class ProjectSerializer(serializers.ModelSerializer):
    node = serializers.SlugRelatedField(slug_field="code", read_only=True)
    node_id = serializers.IntegerField(read_only=True)
    department = serializers.StringRelatedField()
    leader = serializers.SlugRelatedField(**USERNAME)
    revises = serializers.SlugRelatedField(slug_field="number", read_only=True,
                                           allow_null=True)
    standard = serializers.SlugRelatedField(slug_field="number", read_only=True,
                                            allow_null=True)
    iso_code = serializers.CharField(read_only=True, help_text="The ISO stage code.")
    text = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True,
        help_text="The id of the standard's text drafted in the registry (/api/texts/<id>/), "
                  "or null.")

    class Meta:
        model = Project
        fields = ["id", "title", "kind", "level", "stage", "iso_code", "node", "node_id",
                  "revises", "department", "leader", "planned_start", "planned_end",
                  "comment_starts_on", "comment_ends_on", "notice_starts_on",
                  "notice_ends_on", "review_conclusion", "standard", "standard_id",
                  "text", "created_at"]


class EventSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(**USERNAME)
    detail = serializers.CharField(
        source="details_text", read_only=True,
        help_text="The payload as the timeline shows it: labels and readable values.")

    class Meta:
        model = ProjectEvent
        fields = ["id", "transition", "from_stage", "to_stage", "user", "reason", "detail",
                  "payload", "at"]


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = Document
        fields = ["id", "kind", "stage", "version", "original_name", "file_format", "size",
                  "uploaded_by", "uploaded_at"]


class CommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = ["id", "unit", "clause", "content", "suggestion", "received_on",
                  "disposition", "disposition_reason", "note"]


class CommentWriteSerializer(serializers.Serializer):
    """The comment form's fields (``CommentForm``, which checks them)."""

    unit = serializers.CharField(max_length=200, required=False)
    clause = serializers.CharField(max_length=50, required=False, allow_blank=True)
    content = serializers.CharField(required=False, max_length=10000)
    suggestion = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    received_on = serializers.DateField(required=False)
    disposition = serializers.ChoiceField(choices=Disposition.choices, required=False,
                                          allow_blank=True)
    disposition_reason = serializers.CharField(required=False, allow_blank=True,
                                               max_length=10000)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ProjectDetailSerializer(ProjectSerializer):
    timeline = EventSerializer(many=True, source="events")
    documents = DocumentSerializer(many=True)
    comments = CommentSerializer(many=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "timeline", "documents", "comments"]


class TransitionSerializer(serializers.Serializer):
    """A step of the workflow; some steps take data (see docs/lifecycle.md)."""

    name = serializers.ChoiceField(choices=list(TRANSITIONS),
                                   help_text="The step, e.g. submit_proposal or publish")
    reason = serializers.CharField(max_length=500)
    expected_stage = serializers.ChoiceField(
        choices=Stage.choices, required=False,
        help_text="Refused if the project is no longer at this stage.")
    starts_on = serializers.DateField(required=False, help_text="open_comment_period, "
                                                                "start_public_notice")
    days = serializers.IntegerField(required=False, min_value=1, max_value=365,
                                    help_text="open_comment_period")
    conclusion = serializers.CharField(required=False, max_length=24,
                                       help_text="pass_review")
    number = serializers.CharField(required=False, max_length=64, help_text="publish")
    issued_on = serializers.DateField(required=False, help_text="publish")
    implemented_on = serializers.DateField(required=False, help_text="publish")


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


class PeriodicReviewSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="number", read_only=True)
    reviewed_by = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = PeriodicReview
        fields = ["id", "standard", "standard_id", "conclusion", "reason", "reviewed_on",
                  "reviewed_by", "revision_project_id"]


class CheckSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="number", read_only=True)
    inspector = serializers.SlugRelatedField(**USERNAME)
    department = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ImplementationCheck
        fields = ["id", "standard", "standard_id", "department", "location", "checked_on",
                  "inspector", "other_inspectors", "findings", "result"]


class NonConformitySerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(**USERNAME)
    closed_by = serializers.SlugRelatedField(**USERNAME, allow_null=True)

    class Meta:
        model = NonConformity
        fields = ["id", "check_record_id", "description", "action", "owner", "due_on",
                  "status", "evidence", "closed_on", "closed_by"]


class EvaluationSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="number", read_only=True)
    template = serializers.StringRelatedField()
    evaluated_by = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = Evaluation
        fields = ["id", "standard", "standard_id", "template", "evaluated_on",
                  "evaluated_by", "total", "conclusion"]
