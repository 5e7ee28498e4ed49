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
from texts.api.serializers import StructureSerializer, document_data
from texts.models import Draft, DraftFile
from texts.rules.structure import document_from_dict
from texts.storage import COVER_FIELDS, Loaded

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


# --- the frozen drafts of a project's text (clause 7.3.2) --------------------------------

# The cover of a draft, its printed stage apart (``cover_stage``: ``stage`` is the draft's).
DRAFT_COVER = tuple(name for name in COVER_FIELDS if name != "stage")
DRAFT_STAGE_HELP = "comment (征求意见稿), review (送审稿), approval (报批稿) or published."


class DraftFileSerializer(serializers.ModelSerializer):
    format = serializers.CharField(help_text="docx or pdf")
    sha256 = serializers.CharField(help_text="The SHA-256 of the file's bytes, as kept "
                                             "(and recorded in the history).")
    generated_by = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = DraftFile
        fields = ["format", "sha256", "size", "generated_at", "generated_by"]


class DraftSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(help_text=DRAFT_STAGE_HELP)
    sha256 = serializers.CharField(help_text="The SHA-256 of the draft's canonical JSON, "
                                             "recorded in the history.")
    frozen_by = serializers.SlugRelatedField(**USERNAME)
    files = DraftFileSerializer(many=True, read_only=True,
                                help_text="The Word and PDF files generated from it so far.")

    class Meta:
        model = Draft
        fields = ["id", "stage", "frozen_at", "frozen_by", "sha256", "files"]


class DraftDetailSerializer(StructureSerializer, DraftSerializer):
    """The draft as frozen: its cover and structure, numbered as the text's own answer
    (``texts.api.serializers.document_data``). A figure's image is null: it is in the
    draft's files."""

    text = serializers.IntegerField(source="text_id", help_text="The text it was frozen "
                                    "from (/api/texts/<id>/: the text as it stands now).")
    number = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    ics = serializers.CharField()
    ccs = serializers.CharField()
    record_number = serializers.CharField()
    replaces = serializers.CharField()
    adoption = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    implemented_on = serializers.DateField(allow_null=True)
    issuer = serializers.CharField()
    cover_stage = serializers.CharField(help_text="What the cover prints: 征求意见稿, 送审稿, "
                                                  "报批稿; empty for the published text.")

    class Meta(DraftSerializer.Meta):
        fields = [*DraftSerializer.Meta.fields, "text", *DRAFT_COVER, "cover_stage",
                  *StructureSerializer.STRUCTURE]

    def to_representation(self, draft):
        data = DraftSerializer(draft, context=self.context).data
        document = document_from_dict(draft.content)
        data["text"] = draft.text_id
        for name in DRAFT_COVER:
            value = getattr(document, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        data["cover_stage"] = document.stage
        data.update(document_data(Loaded(text=draft.text, document=document),
                                  self.context.get("request")))
        return data


class DiffField(serializers.ListField):
    """A text's words as ``[[op, words], …]``: op ``=`` kept, ``-`` removed, ``+`` added."""

    child = serializers.ListField(child=serializers.CharField())


class ElementChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    status = serializers.CharField(help_text="added, removed, moved, changed or same")
    kind = serializers.CharField(help_text="Paragraph, Table, TermEntry…")
    old_label = serializers.CharField()
    new_label = serializers.CharField()
    old_text = serializers.CharField()
    new_text = serializers.CharField()
    diff = DiffField()
    moved = serializers.BooleanField()
    old_clause_number = serializers.CharField(help_text="Where a moved element stood.")
    image_changed = serializers.BooleanField()


class ClauseChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    status = serializers.CharField(help_text="added, removed, moved, changed or same")
    kind = serializers.CharField(help_text="clause, annex, foreword, introduction or "
                                           "bibliography")
    old_number = serializers.CharField()
    new_number = serializers.CharField()
    old_title = serializers.CharField()
    new_title = serializers.CharField()
    title_diff = DiffField()
    depth = serializers.IntegerField()
    moved = serializers.BooleanField()
    elements = ElementChangeSerializer(many=True)


class CoverChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The cover's field: title, issued_on…")
    old = serializers.CharField()
    new = serializers.CharField()
    diff = DiffField()


class TextVersionSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="A frozen draft's id, current or in-force.")
    label = serializers.CharField()


class ComparisonSerializer(serializers.Serializer):
    """``texts.rules.compare.Comparison.as_dict()``, with the two versions compared."""

    old = TextVersionSerializer(help_text="The version compared from (?from=).")
    new = TextVersionSerializer(help_text="The version compared to (?to=).")
    counts = serializers.DictField(child=serializers.IntegerField(),
                                   help_text="Clauses added, removed, moved and changed.")
    element_counts = serializers.DictField(child=serializers.IntegerField())
    cover = CoverChangeSerializer(many=True)
    clauses = ClauseChangeSerializer(many=True, help_text="The clauses that changed (every "
                                                          "clause with full=1).")
