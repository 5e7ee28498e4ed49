"""Forms of the information library (clause 5.4). The rules they apply live in
``lifecycle.information``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.forms import DateInput, ReasonField, SafeTextMixin
from catalog.models import Standard
from lifecycle.choices import InformationStatus, ProjectLevel
from lifecycle.forms.projects import RevisionChoicesMixin
from lifecycle.models import InformationItem
from lifecycle.rules.files import detect_format
from lifecycle.rules.information import (
    MANUAL_STATUSES,
    check_date,
    nodes_from_codes,
    normalize_tags,
    standards_from_numbers,
)
from lifecycle.rules.projects import REVISION_LEVELS
from registry.forms.tree import StandardChoiceField


class InformationForm(SafeTextMixin, forms.ModelForm):
    """An item with its file, tags, and the nodes and standards it concerns (typed as
    system codes and standard numbers, so the form works however large the tree is)."""

    link = forms.URLField(label=_("Link"), max_length=500, required=False,
                          assume_scheme="https",
                          help_text=_("Where the information was published, e.g. "
                                      "https://www.samr.gov.cn/…"))
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("Optional: PDF, DOC, DOCX, XLSX or OFD, up to 50 MB."))
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)
    tags = forms.CharField(label=_("Tags"), required=False,
                           help_text=_("Separated by commas, e.g. 社保卡, 待遇核定；养老保险"))
    node_codes = forms.CharField(
        label=_("Nodes concerned"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("System codes of the nodes, separated by commas or new lines, "
                    "e.g. 201-03, 304-09. The tree shows every node's code."),
    )
    standard_numbers = forms.CharField(
        label=_("Standards concerned"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Standard numbers, one a line or separated by commas, e.g. "
                    "GB/T 1.1—2020. An undated number means the latest edition."),
    )
    reason = ReasonField(required=False)

    class Meta:
        model = InformationItem
        fields = ["title", "category", "source", "published_on", "summary", "link", "tags"]
        widgets = {"published_on": DateInput(),
                   "summary": forms.Textarea(attrs={"rows": 4})}

    field_order = ["title", "category", "source", "published_on", "summary", "link", "file",
                   "remove_file", "tags", "node_codes", "standard_numbers", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        if item.pk:
            self.current_nodes = list(item.nodes.order_by("path"))
            self.fields["node_codes"].initial = ", ".join(n.code for n in self.current_nodes)
            self.fields["standard_numbers"].initial = "\n".join(
                s.number for s in item.standards.order_by("code", "serial", "year"))
            self.initial["tags"] = ", ".join(item.tag_list)
            self.fields["reason"].required = True
            if not item.file:
                del self.fields["remove_file"]
        else:
            self.current_nodes = []
            del self.fields["remove_file"]

    def clean_published_on(self):
        day = self.cleaned_data["published_on"]
        check_date(day)
        return day

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            detect_format(upload)  # by content; raises ValidationError
        return upload

    def clean_tags(self):
        tags = normalize_tags(self.cleaned_data["tags"])
        limit = InformationItem._meta.get_field("tags").max_length
        if len(tags) > limit:
            raise forms.ValidationError(
                _("The tags take %(length)d characters; at most %(limit)d fit.")
                % {"length": len(tags), "limit": limit})
        return tags

    def clean_node_codes(self):
        return nodes_from_codes(self.cleaned_data["node_codes"], current=self.current_nodes)

    def clean_standard_numbers(self):
        return standards_from_numbers(self.cleaned_data["standard_numbers"])


class InformationStatusForm(SafeTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(value, label) for value, label in InformationStatus.choices
                 if value in MANUAL_STATUSES],
    )
    reason = ReasonField(label=_("Reason"), max_length=500, help_text="",
                         widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current:  # offer only a change
            field = self.fields["status"]
            field.choices = [choice for choice in field.choices if choice[0] != current]


class InformationRevisionForm(RevisionChoicesMixin, SafeTextMixin, forms.Form):
    standard = StandardChoiceField(label=_("Standard to revise"),
                                   queryset=Standard.objects.none())
    reason = ReasonField(label=_("Reason"), max_length=500, help_text="",
                         widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = standards
        only = list(standards[:2])
        if len(only) == 1:
            self.fields["standard"].initial = only[0]
        # The levels of every standard offered; the chosen one's are checked in clean().
        self.add_revision_fields(only[0] if len(only) == 1 else None,
                                 sorted({level for standard in standards
                                         for level in REVISION_LEVELS[standard.level]},
                                        key=list(ProjectLevel).index))
        self.order_fields(["standard", "department", "level", "reason"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("standard") is not None:
            self.check_revision(cleaned["standard"])
        return cleaned
