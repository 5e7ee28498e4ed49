from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.forms import DateInput, ReasonField, SafeTextMixin
from registry.forms.tree import NodeChoiceField
from registry.models import Node
from registry.rules.exports.formats import FORMATS


class ExportForm(SafeTextMixin, forms.Form):
    fmt = forms.ChoiceField(
        label=_("Format"), initial="pdf",
        choices=list(zip(FORMATS, ("PDF", "XLSX", "CSV", "JSON"), strict=True)),
    )
    lang = forms.ChoiceField(label=_("Language"),
                             choices=[("zh-hans", "中文"), ("en", "English")])
    node = NodeChoiceField(
        label=_("Subtree"), required=False, queryset=Node.objects.order_by("path"),
        empty_label=_("The whole system"),
    )
    as_of = forms.DateField(
        label=_("As it stood on"), required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the system as it is now."),
    )

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        first = Node.history.order_by("history_date").values_list("history_date", flat=True)
        first = first.first()
        if day and (first is None or day < timezone.localdate(first)):
            raise forms.ValidationError(_("The system did not exist yet on that day."))
        return day


class NotesForm(SafeTextMixin, forms.Form):
    text = forms.CharField(label=_("Compilation notes"), required=False,
                           widget=forms.Textarea(attrs={"rows": 18}))
    reason = ReasonField(help_text="")


class SystemForm(SafeTextMixin, forms.Form):
    """The system's name and organization: the title and the first line of the table's
    cover (the English ones on the English export)."""

    name = forms.CharField(
        label=_("Name of the system"), max_length=200,
        help_text=_("The cover is titled after it: 社会保险服务标准体系 gives "
                    "社会保险服务标准体系表."))
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    organization = forms.CharField(label=_("Organization of the system"), max_length=200,
                                   required=False)
    organization_en = forms.CharField(label=_("Organization of the system in English"),
                                      max_length=200, required=False)
    reason = ReasonField()
