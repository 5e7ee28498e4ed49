"""The evaluation form (clauses 8.2–8.3): one score and note per criterion of the template."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.forms import DateInput, SafeTextMixin
from lifecycle.rules.evaluation import validate_evaluated_on


class EvaluationForm(SafeTextMixin, forms.Form):
    """Built from the template's criteria: ``score_<pk>`` (0–100) and ``note_<pk>`` each."""

    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DateInput(),
                                   initial=timezone.localdate)
    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the conclusion of the evaluation.")},
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name, min_value=Decimal(0), max_value=Decimal(100),
                max_digits=4, decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100",
                                                "class": "score"}),
                error_messages={"required": _("Score this criterion.")},
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": criterion.name},
                max_length=255, required=False,
            )

    def clean_evaluated_on(self):
        day = self.cleaned_data["evaluated_on"]
        validate_evaluated_on(day)
        return day

    def clean_conclusion(self):
        conclusion = self.cleaned_data["conclusion"].strip()
        if not conclusion:
            raise forms.ValidationError(_("Write the conclusion of the evaluation."))
        return conclusion

    def rows(self):
        """(criterion, score field, note field) for the scoring table."""
        return [(c, self[f"score_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def scores(self):
        """{criterion: (score, note)} from the cleaned data."""
        return {c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"note_{c.pk}"])
                for c in self.criteria}
