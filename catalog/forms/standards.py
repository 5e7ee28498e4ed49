"""The standard form (the number is parsed and normalised by ``catalog.rules.numbers``) and
the amendment form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.forms import DateInput, ReasonField, SafeTextMixin
from audit.params import id_from
from catalog.models import Amendment, Standard
from catalog.rules.numbers import StandardNumberError, parse_standard_number


class StandardChoices(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # An id beyond the database's integers would overflow in the query: refuse it first.
        for pk in value:
            if id_from(pk) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)

    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class StandardForm(SafeTextMixin, forms.ModelForm):
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
                  "withdrawn_on", "is_draft", "edition_year", "adopted_number",
                  "adoption_degree", "remarks"]
        widgets = {
            "issued_on": DateInput(),
            "implemented_on": DateInput(),
            "withdrawn_on": DateInput(),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "number": _("For example GB/T 1.1—2020, DB6523/T 370-2023, Q/CJSB 001-2026 or "
                        "ISO 9001:2015. Leave out the year for an undated reference. A number "
                        "printed with an edition note, amendment or adopted standard (e.g. "
                        "GB/T 19001-2016/ISO 9001:2015) is read too."),
            "adopted_number": _("The international or foreign standard this one adopts, "
                                "e.g. ISO 9001:2015."),
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

    # Amendment marks the number was entered with (GB 7258-2017/XG1-2019): the view
    # passes them to the action, which records them as the standard's amendments.
    amendments = ()
    parsed = None

    def clean(self):
        cleaned = super().clean()
        # Superseding or withdrawing is a structural change: it always needs a reason.
        structural = cleaned.get("withdrawn_on") or cleaned.get("replaces")
        if structural and not cleaned.get("reason"):
            self.add_error("reason", _("Superseding or withdrawing a standard needs a reason."))
        if self.parsed is not None:
            self._take_parts(cleaned, self.parsed)
        self._check_adoption(cleaned)
        return cleaned

    def _take_parts(self, cleaned, parsed):
        """What was printed with the number fills the fields left empty."""
        written = self.data.get(self.add_prefix("number"), "").strip()
        if written not in (parsed.canonical, parsed.display) and not self.instance.printed_number:
            self.instance.printed_number = written
        if parsed.edition_year and not cleaned.get("edition_year"):
            cleaned["edition_year"] = parsed.edition_year
        if parsed.adoption and not cleaned.get("adopted_number"):
            cleaned["adopted_number"] = parsed.adoption.display
        if parsed.adoption_degree and not cleaned.get("adoption_degree"):
            cleaned["adoption_degree"] = parsed.adoption_degree

    def _check_adoption(self, cleaned):
        adopted, degree = cleaned.get("adopted_number"), cleaned.get("adoption_degree")
        if adopted:
            try:
                number = parse_standard_number(adopted)
            except StandardNumberError as exc:
                self.add_error("adopted_number", str(exc))
                return
            if not number.is_international:
                self.add_error("adopted_number", _(
                    "%(number)s is not an international or foreign standard; write e.g. "
                    "ISO 9001:2015.") % {"number": number.canonical})
                return
            cleaned["adopted_number"] = number.display
            if not degree:
                self.add_error("adoption_degree", _(
                    "Choose the degree of adoption: identical (IDT), modified (MOD) or not "
                    "equivalent (NEQ)."))
        elif degree:
            self.add_error("adopted_number", _(
                "Enter the adopted international standard, or leave the degree empty."))

    def clean_number(self):
        try:
            parsed = parse_standard_number(self.cleaned_data["number"])
        except StandardNumberError as exc:
            raise forms.ValidationError(str(exc)) from exc
        number = parsed.canonical
        # Another organization's Q/ standard takes its number too (numbers are unique).
        clash = Standard.unscoped.filter(number=number).exclude(pk=self.instance.pk).first()
        if clash and not Standard.objects.filter(pk=clash.pk).exists():
            raise forms.ValidationError(_("%(number)s is another organization's own "
                                          "standard.") % {"number": number})
        if clash and parsed.amendments:
            raise forms.ValidationError(_(
                "%(number)s is already in the catalog (%(title)s): %(amendment)s is an "
                "amendment to it. Add the amendment on the page of %(number)s."
            ) % {"number": number, "title": clash.title, "amendment": parsed.display})
        if clash:
            raise forms.ValidationError(_("%(number)s is already in the catalog: %(title)s.")
                                        % {"number": number, "title": clash.title})
        self.parsed, self.amendments = parsed, parsed.amendments
        return number


class AmendmentForm(SafeTextMixin, forms.ModelForm):
    """An amendment (修改单) of one standard; its number is the standard's plus ``XGn``."""

    reason = ReasonField(required=False)

    class Meta:
        model = Amendment
        fields = ["sequence", "year", "issued_on", "implemented_on", "remarks"]
        widgets = {
            "issued_on": DateInput(),
            "implemented_on": DateInput(),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"sequence": _("1 for 第1号修改单 (XG1).")}

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.standard = standard
        if self.instance.pk:
            self.fields["reason"].required = True

    def clean_sequence(self):
        sequence = self.cleaned_data["sequence"]
        if sequence is not None and sequence < 1:
            raise forms.ValidationError(_("Amendments are numbered from 1."))
        clash = Amendment.objects.filter(standard=self.instance.standard, sequence=sequence)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Amendment No. %(sequence)s is already recorded.")
                                        % {"sequence": sequence})
        return sequence
