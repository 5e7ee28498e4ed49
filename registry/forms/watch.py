"""The reference watch's input: deciding a flag."""

from django import forms
from django.utils.translation import gettext_lazy

from audit.forms import SafeTextMixin
from registry.models import ReviewFlag
from registry.rules.watch import choices_for


class DecisionForm(SafeTextMixin, forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"),
                                 choices=ReviewFlag.Decision.choices)
    note = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, flag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices_for(flag)
