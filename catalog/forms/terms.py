"""The term form (clause 3). The source as written is checked here; ``SaveTerm`` resolves
it to the catalog's entry."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.forms import ReasonField, SafeTextMixin
from catalog.models import Term
from catalog.rules.numbers import StandardNumberError, parse_standard_number


class TermForm(SafeTextMixin, forms.ModelForm):
    reason = ReasonField(required=False)

    class Meta:
        model = Term
        fields = ["clause", "term", "term_en", "definition", "note", "defined_in",
                  "source_reference", "source_clause"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4}),
                   "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"source_reference": _("As the standard writes it, e.g. GB/T 1.1-2020.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["reason"].required = True

    def clean_source_reference(self):
        reference = self.cleaned_data["source_reference"].strip()
        if reference:
            try:
                parse_standard_number(reference)
            except StandardNumberError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return reference
