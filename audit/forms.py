"""The two form pieces every app's audited forms share: the reason field and the date input."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonField(forms.CharField):
    """The reason for a change, which its history row keeps with the user and the time."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason for this change"))
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("help_text", _("Kept in the history with your name and the time."))
        error_messages = {"required": _("Give a short reason for this change."),
                          **kwargs.pop("error_messages", {})}
        super().__init__(error_messages=error_messages, **kwargs)


class DateInput(forms.DateInput):
    """The browser's date picker; the value is written as ISO (YYYY-MM-DD), which the
    picker requires whatever the interface language."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format)
