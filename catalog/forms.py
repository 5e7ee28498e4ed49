"""The standard form: the number is parsed and normalised by ``catalog.numbers``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.forms import DateInput, ReasonField
from catalog.models import Standard, Term
from catalog.numbers import StandardNumberError, parse_standard_number


class StandardChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class StandardForm(forms.ModelForm):
    replaces = StandardChoices(
        label=_("Replaces"), queryset=Standard.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The earlier standards this one replaces."),
    )
    cites = StandardChoices(
        label=_("Normative references"), queryset=Standard.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    reason = ReasonField(required=False)

    class Meta:
        model = Standard
        fields = ["number", "title", "title_en", "issued_on", "implemented_on",
                  "withdrawn_on", "is_draft", "remarks"]
        widgets = {
            "issued_on": DateInput(),
            "implemented_on": DateInput(),
            "withdrawn_on": DateInput(),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "number": _("For example GB/T 1.1—2020, DB6523/T 370-2023 or Q/CJSB 001-2026. "
                        "Leave out the year for an undated reference."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Standard.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["replaces"].initial = list(self.instance.replaces.all())
            self.fields["cites"].initial = list(self.instance.cites.all())
            # Editing is an audited change: say why.
            self.fields["reason"].required = True
        self.fields["replaces"].queryset = others
        self.fields["cites"].queryset = others

    def clean(self):
        cleaned = super().clean()
        # Superseding or withdrawing is a structural change: it always needs a reason.
        structural = cleaned.get("withdrawn_on") or cleaned.get("replaces")
        if structural and not cleaned.get("reason"):
            self.add_error("reason", _("Superseding or withdrawing a standard needs a reason."))
        return cleaned

    def clean_number(self):
        try:
            number = parse_standard_number(self.cleaned_data["number"]).canonical
        except StandardNumberError as exc:
            raise forms.ValidationError(str(exc)) from exc
        clash = Standard.objects.filter(number=number).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(_("%(number)s is already in the catalog: %(title)s.")
                                        % {"number": number, "title": clash.title})
        return number


class TermForm(forms.ModelForm):
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

    def save(self, commit=True):
        term = super().save(commit=False)
        reference = self.cleaned_data["source_reference"]
        # The source resolves to the catalog's entry (the latest edition when undated).
        term.source = Standard.objects.resolve(reference) if reference else None
        if commit:
            term.save()
        return term
