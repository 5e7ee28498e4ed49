"""Deciding a proposal of a template's new edition: accept or decline, and why."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.forms import ReasonForm

DECISIONS = (("accept", _("Accept")), ("decline", _("Decline")))


class DecideProposalForm(ReasonForm):
    """One proposal's form: the button pressed says the decision, the reason is required."""

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
