"""The editor's forms: one per kind of part, each editing one row (``Part``), plus the
cover, the DOCX import and the small forms that add and move parts."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.forms import DateInput, ReasonField, SafeTextMixin
from texts.models import Part, Text
from texts.rules.structure import DASH, LETTER, NUMBER

Kind = Part.Kind

MAX_DOCX_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif"}
# A clause's, table's or figure's title (标题), apart from the registry's record names (名称).
TITLE = pgettext_lazy("text part", "Title")


def lines(value):
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PartForm(SafeTextMixin, forms.Form):
    """The fields of one part; ``values()`` gives what ``SavePart`` writes."""

    def __init__(self, *args, part, **kwargs):
        self.part = part
        kwargs.setdefault("prefix", f"p{part.pk}")
        super().__init__(*args, **kwargs)

    def values(self):
        return {"body": self.cleaned_data.get("body", "")}


class TextBodyForm(PartForm):
    # "Text" alone is the search box's word elsewhere (translated 关键词): the running
    # text of a part needs its own.
    body = forms.CharField(label=pgettext_lazy("text part", "Text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, part, **kwargs):
        kwargs.setdefault("initial", {"body": part.body})
        super().__init__(*args, part=part, **kwargs)


class ListItemForm(TextBodyForm):
    style = forms.ChoiceField(label=_("Marker"), choices=[
        (DASH, "——"), (LETTER, "a) b) c)"), (NUMBER, "1) 2) 3)")])
    level = forms.TypedChoiceField(label=pgettext_lazy("text part", "Level"), coerce=int,
                                   choices=[(1, _("first")), (2, _("second"))])

    def __init__(self, *args, part, **kwargs):
        data = part.data or {}
        kwargs.setdefault("initial", {"body": part.body, "style": data.get("style", DASH),
                                      "level": data.get("level", 1)})
        super().__init__(*args, part=part, **kwargs)

    def values(self):
        return {"body": self.cleaned_data["body"],
                "data": {"style": self.cleaned_data["style"],
                         "level": self.cleaned_data["level"]}}


class TitleForm(PartForm):
    """A clause's title (empty for an untitled 条)."""

    title = forms.CharField(label=TITLE, max_length=500, required=False)

    def __init__(self, *args, part, **kwargs):
        kwargs.setdefault("initial", {"title": part.title})
        super().__init__(*args, part=part, **kwargs)

    def values(self):
        return {"title": self.cleaned_data["title"]}


class AnnexForm(TitleForm):
    normative = forms.TypedChoiceField(
        label=_("Annex"), coerce=lambda value: value == "1",
        choices=[("1", _("normative (规范性)")), ("0", _("informative (资料性)"))])

    def __init__(self, *args, part, **kwargs):
        kwargs.setdefault("initial", {"title": part.title,
                                      "normative": "1" if part.data.get("normative") else "0"})
        super().__init__(*args, part=part, **kwargs)

    def values(self):
        return {"title": self.cleaned_data["title"],
                "data": {"normative": self.cleaned_data["normative"]}}


class TableForm(PartForm):
    title = forms.CharField(label=TITLE, max_length=500, required=False)
    rows = forms.CharField(
        label=_("Rows"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One row per line, cells separated by “|”; the first row is the header."))

    def __init__(self, *args, part, **kwargs):
        rows = part.data.get("rows", [])
        kwargs.setdefault("initial", {"title": part.title,
                                      "rows": "\n".join(" | ".join(row) for row in rows)})
        super().__init__(*args, part=part, **kwargs)

    def values(self):
        rows = [[cell.strip() for cell in line.split("|")]
                for line in lines(self.cleaned_data["rows"])]
        return {"title": self.cleaned_data["title"], "data": {"rows": rows}}


class FigureForm(PartForm):
    title = forms.CharField(label=TITLE, max_length=500, required=False)
    image = forms.FileField(label=_("Image (PNG, JPEG or GIF)"), required=False)

    def __init__(self, *args, part, **kwargs):
        kwargs.setdefault("initial", {"title": part.title})
        super().__init__(*args, part=part, **kwargs)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload is None:
            return None
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in IMAGE_TYPES):
            raise forms.ValidationError(_("This file is not a PNG, JPEG or GIF image."))
        if upload.size > MAX_DOCX_BYTES:
            raise forms.ValidationError(_("The image is larger than 20 MB."))
        return upload

    def values(self):
        return {"title": self.cleaned_data["title"]}


class TermForm(PartForm):
    title = forms.CharField(label=_("Preferred term"), max_length=500)
    admitted = forms.CharField(label=_("Admitted terms"), required=False,
                               help_text=_("Separated by “；”."))
    english = forms.CharField(label=_("English equivalent"), required=False, max_length=255)
    body = forms.CharField(label=_("Definition"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Notes to entry"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("One note per line."))
    source = forms.CharField(label=_("Source"), required=False, max_length=255,
                             help_text=_("For example GB/T 20000.1—2014, 3.1"))

    def __init__(self, *args, part, **kwargs):
        data = part.data or {}
        kwargs.setdefault("initial", {
            "title": part.title, "body": part.body,
            "admitted": "；".join(data.get("admitted", [])), "english": data.get("english", ""),
            "notes": "\n".join(data.get("notes", [])), "source": data.get("source", "")})
        super().__init__(*args, part=part, **kwargs)

    def values(self):
        admitted = [t.strip() for t in self.cleaned_data["admitted"].replace(";", "；")
                    .split("；") if t.strip()]
        return {"title": self.cleaned_data["title"], "body": self.cleaned_data["body"],
                "data": {"admitted": admitted, "english": self.cleaned_data["english"],
                         "notes": lines(self.cleaned_data["notes"]),
                         "source": self.cleaned_data["source"]}}


FORMS = {
    Kind.CLAUSE: TitleForm, Kind.ANNEX: AnnexForm, Kind.PARAGRAPH: TextBodyForm,
    Kind.NOTE: TextBodyForm, Kind.EXAMPLE: TextBodyForm, Kind.FORMULA: TextBodyForm,
    Kind.LIST_ITEM: ListItemForm, Kind.TABLE: TableForm, Kind.FIGURE: FigureForm,
    Kind.TERM: TermForm,
}


def form_for(part, *args, **kwargs):
    return FORMS[part.kind](*args, part=part, **kwargs)


ELEMENT_KINDS = [(kind.value, kind.label) for kind in Kind if kind not in Part.OUTLINE_KINDS]


class AddElementForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Add"), choices=ELEMENT_KINDS)


class AddOutlineForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Add"), choices=[
        (Kind.CLAUSE.value, Kind.CLAUSE.label), ("subclause", _("Subclause")),
        (Kind.ANNEX.value, Kind.ANNEX.label)])
    title = forms.CharField(label=TITLE, max_length=500, required=False)


class CoverForm(SafeTextMixin, forms.ModelForm):
    class Meta:
        model = Text
        fields = ["number", "title", "title_en", "ics", "ccs", "record_number", "replaces",
                  "adoption", "issued_on", "implemented_on", "issuer", "stage"]
        widgets = {"issued_on": DateInput(), "implemented_on": DateInput()}


class ImportForm(SafeTextMixin, forms.Form):
    file = forms.FileField(label=_("Word file (DOCX)"),
                           help_text=_("A document written to GB/T 1.1-2020."))
    reason = ReasonField()

    def __init__(self, *args, replacing=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not replacing:
            self.fields["reason"].required = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This file is not a Word document (DOCX)."))
        return upload
