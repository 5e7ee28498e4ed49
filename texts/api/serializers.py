"""What the texts API answers: a text's cover, its structure with every computed number,
the drafting checks' findings and a queued export job.

The structure is built from the Document (``texts.rules.structure``) by
:func:`document_data`; the serializers below it describe that answer for the schema. A
figure's image is a link (to the text's page of images), never its bytes."""

import dataclasses

from django.urls import reverse
from rest_framework import serializers

from texts.models import Text
from texts.rules.structure import ELEMENT_TYPES, Annex, Figure, number
from texts.storage import COVER_FIELDS, Loaded


class TextSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(
        slug_field="code", read_only=True,
        help_text="The administrative-division code of the organization whose text it is.")
    standard = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True,
        help_text="The published standard this is the text of; null for a project's draft.")
    standard_id = serializers.IntegerField(read_only=True, allow_null=True)
    page = serializers.SerializerMethodField(help_text="The text's page on the site.")

    class Meta:
        model = Text
        fields = ["id", "number", "title", "title_en", "stage", "organization", "standard",
                  "standard_id", "created_at", "page"]

    def get_page(self, text) -> str:
        request = self.context.get("request")
        url = text.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


def document_data(loaded: Loaded, request=None) -> dict:
    """The text's structure as JSON-friendly data: ``Document.as_dict()``'s shape, each
    clause and annex with its ``number`` ("5.1", "A"), each element with its ``label``
    ("表1", "注1", "a)", "3.2"; "" for a paragraph) and a figure's ``image`` as the link to
    it (None without one); ``references`` maps each key to what ``⟦ref:KEY⟧`` shows."""
    numbering = number(loaded.document)
    text = loaded.text

    def element(node):
        data = {"type": type(node).__name__, **dataclasses.asdict(node),
                "label": numbering.label(node)}
        if isinstance(node, Figure):
            part = loaded.parts.get(node.key)
            url = None
            if part is not None and part.image:
                url = reverse("texts:figure_image", args=[text.pk, part.pk])
                url = request.build_absolute_uri(url) if request else url
            data["image"] = url
        return data

    def outline(node):
        data = {"number": numbering.number(node), "title": node.title, "key": node.key,
                "elements": [element(e) for e in node.elements],
                "subclauses": [outline(c) for c in node.subclauses]}
        if isinstance(node, Annex):
            data["normative"] = node.normative
        return data

    document = loaded.document
    return {
        "foreword": [element(e) for e in document.foreword],
        "introduction": [element(e) for e in document.introduction],
        "clauses": [outline(c) for c in document.clauses],
        "annexes": [outline(a) for a in document.annexes],
        "bibliography": [element(e) for e in document.bibliography],
        "references": dict(numbering.by_key),
    }


# The answer's shape, for the schema ----------------------------------------------------

class ElementSerializer(serializers.Serializer):
    """One element; the fields beyond ``type``, ``key`` and ``label`` are its kind's."""

    type = serializers.ChoiceField(choices=list(ELEMENT_TYPES))
    key = serializers.CharField(help_text="Stays with the element through moves; what "
                                          "⟦ref:KEY⟧ points at.")
    label = serializers.CharField(help_text="Its computed number: 表1, 图A.1, 注1, a), "
                                            "3.2; empty for a paragraph.")
    text = serializers.CharField(required=False, help_text="Running text, with the inline "
                                 "marks ⟦ref:KEY⟧ and ⟦fn:TEXT⟧ (paragraph, list item, "
                                 "note, example, formula).")
    style = serializers.ChoiceField(choices=["dash", "letter", "number"], required=False,
                                    help_text="A list item's marker style.")
    level = serializers.IntegerField(required=False, help_text="A list item's level (1, 2).")
    title = serializers.CharField(required=False, help_text="A table's or figure's title.")
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()),
                                 required=False, help_text="A table's cells, row by row.")
    image = serializers.URLField(required=False, allow_null=True,
                                 help_text="A figure's image (PNG, JPEG or GIF), or null.")
    image_name = serializers.CharField(required=False)
    preferred = serializers.CharField(required=False, help_text="A term entry's term.")
    definition = serializers.CharField(required=False)
    admitted = serializers.ListField(child=serializers.CharField(), required=False)
    english = serializers.CharField(required=False)
    notes = serializers.ListField(child=serializers.CharField(), required=False)
    source = serializers.CharField(required=False)


class ClauseSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Computed from its place: 5, 5.1, A.1.")
    title = serializers.CharField(help_text="Empty for an untitled subclause.")
    key = serializers.CharField()
    elements = ElementSerializer(many=True)


# A clause holds clauses: declared after the class (drf-spectacular's recursive form).
ClauseSerializer._declared_fields["subclauses"] = ClauseSerializer(many=True)


class AnnexSerializer(ClauseSerializer):
    number = serializers.CharField(help_text="The annex's letter: A, B.")
    normative = serializers.BooleanField(help_text="（规范性） rather than （资料性）.")


class StructureSerializer(serializers.Serializer):
    """The structure of a text (``document_data``), as a text and a frozen draft give it."""

    STRUCTURE = ["foreword", "introduction", "clauses", "annexes", "bibliography",
                 "references"]

    foreword = ElementSerializer(many=True)
    introduction = ElementSerializer(many=True)
    clauses = ClauseSerializer(many=True)
    annexes = AnnexSerializer(many=True)
    bibliography = ElementSerializer(many=True)
    references = serializers.DictField(
        child=serializers.CharField(),
        help_text="What each key shows where ⟦ref:KEY⟧ points at it: 5.2, 表1, 附录A.")


class TextDetailSerializer(StructureSerializer, TextSerializer):
    class Meta(TextSerializer.Meta):
        fields = [*TextSerializer.Meta.fields,
                  *(name for name in COVER_FIELDS if name not in TextSerializer.Meta.fields),
                  *StructureSerializer.STRUCTURE]

    def to_representation(self, loaded):
        data = TextSerializer(loaded.text, context=self.context).data
        for name in COVER_FIELDS:
            value = getattr(loaded.text, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        data.update(document_data(loaded, self.context.get("request")))
        return data


class FindingSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="What the check found, e.g. modal_verb, "
                                           "reference_replaced.")
    place = serializers.CharField(help_text="A clause number (5.1, A.2), or 前言.")
    message = serializers.CharField()


class TextExportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["docx", "pdf"])
    lang = serializers.ChoiceField(choices=["zh-hans", "en"], required=False,
                                   help_text="The language of the job's messages "
                                             "(default: the request's).")


class TextExportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.CharField(help_text="texts.docx or texts.pdf")
    state = serializers.CharField(help_text="queued, running, done or failed")
    progress = serializers.IntegerField()
    url = serializers.CharField(help_text="The job in the API (/api/exports/<id>/): poll it "
                                          "until its state is done, then download.")
    page = serializers.CharField(help_text="The job's page on the site.")


def job_data(job, request):
    return {"id": job.pk, "document": job.document, "state": job.state,
            "progress": job.progress,
            "url": request.build_absolute_uri(reverse("api:exportjob-detail", args=[job.pk])),
            "page": request.build_absolute_uri(job.get_absolute_url())}

