"""Forms of the supervision pages (clause 8.1): checks, non-conformities, closing them."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.forms import (
    DateInput,
    ReasonField,
    SafeTextMixin,
    UserChoiceField,
)
from catalog.models import Standard
from catalog.models.choices import Status
from lifecycle.models import Department, ImplementationCheck, NonConformity
from lifecycle.rules.files import detect_format
from lifecycle.rules.supervision import validate_check_change, validate_checked_on, validate_due_on
from organizations.scoping import colleagues
from registry.forms.tree import StandardChoiceField


def current_standards():
    return (Standard.objects.with_status().filter(computed_status=Status.CURRENT)
            .order_by("code", "serial", "year"))


class CheckForm(SafeTextMixin, forms.ModelForm):
    """Department and/or service window: the model's constraint asks for at least one and
    its message appears on the form."""

    standard = StandardChoiceField(label=_("Standard"), queryset=current_standards(),
                                   help_text=_("A standard in force."))
    inspector = UserChoiceField(label=_("Checked by"), queryset=colleagues())

    class Meta:
        model = ImplementationCheck
        fields = ["standard", "department", "location", "checked_on", "inspector",
                  "other_inspectors", "findings", "result"]
        widgets = {"checked_on": DateInput(),
                   "findings": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "location": _("The service window or place checked, if not (only) a department."),
            "other_inspectors": _("Names of the others who took part, if any."),
            "result": _("When non-conformities were found, you add them next."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["department"].required = False
        self.fields["checked_on"].initial = timezone.localdate

    def clean_checked_on(self):
        day = self.cleaned_data["checked_on"]
        validate_checked_on(day)
        return day


class CheckEditForm(CheckForm):
    """Correcting a recorded check: the same rules as recording it, plus a reason. The
    standard and inspector it names stay selectable even if no longer current or active."""

    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check = self.instance
        self.fields["standard"].queryset = (
            Standard.objects.with_status()
            .filter(Q(computed_status=Status.CURRENT) | Q(pk=check.standard_id))
            .order_by("code", "serial", "year"))
        self.fields["inspector"].queryset = colleagues(check.inspector)

    def clean(self):
        cleaned = super().clean()
        candidate = ImplementationCheck(pk=self.instance.pk,
                                        checked_on=cleaned.get("checked_on"),
                                        result=cleaned.get("result"))
        try:
            validate_check_change(candidate)
        except forms.ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return cleaned


class NonConformityForm(SafeTextMixin, forms.ModelForm):
    owner = UserChoiceField(label=_("Owner of the corrective action"),
                            queryset=colleagues(),
                            help_text=_("The person who carries out and closes the action."))

    class Meta:
        model = NonConformity
        fields = ["description", "action", "owner", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "action": forms.Textarea(attrs={"rows": 3}),
                   "due_on": DateInput()}

    def __init__(self, *args, check, **kwargs):
        self.check_record = check
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = _("Not before the check date (%(day)s).") % {
            "day": check.checked_on.isoformat()}

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        validate_due_on(self.check_record, day)
        return day


class NonConformityEditForm(NonConformityForm):
    """Correcting an open non-conformity, with a reason; its owner stays selectable even if
    they have left."""

    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = colleagues(self.instance.owner)


class CloseForm(SafeTextMixin, forms.Form):
    evidence = forms.CharField(
        label=_("Evidence of closure"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done and how it shows the non-conformity is corrected."),
        error_messages={"required": _("Describe the evidence that the action is done.")},
    )
    file = forms.FileField(label=_("Evidence file"), required=False,
                           help_text=_("Optional. PDF, DOC, DOCX, XLSX or OFD, up to 50 MB."))

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"].strip()
        if not evidence:
            raise forms.ValidationError(_("Describe the evidence that the action is done."))
        return evidence

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            detect_format(upload)
        return upload
