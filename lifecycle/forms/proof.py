"""The form of the page that checks a document someone holds against the frozen drafts."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.forms import SafeTextMixin
from lifecycle.rules.files import MAX_SIZE, detect_format

CHECKED_FORMATS = ("pdf", "docx")
NEITHER = _("Only a PDF or a Word file (DOCX) can be checked; this file's content is "
            "neither.")


class IdentifyForm(SafeTextMixin, forms.Form):
    file = forms.FileField(label=_("Word or PDF file"),
                           help_text=_("A Word or PDF file of a draft, as downloaded from "
                                       "the registry. It is read, not kept."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SIZE:
            raise ValidationError(_("The file is larger than 50 MB."))
        # By its content, never its name, as every upload is checked.
        try:
            found = detect_format(upload)
        except ValidationError:
            found = None
        if found not in CHECKED_FORMATS:
            raise ValidationError(NEITHER)
        return upload
