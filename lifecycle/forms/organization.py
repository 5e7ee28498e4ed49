"""Forms of the organization and people pages (clause 5.1–5.2)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.forms import (
    DateInput,
    ReasonField,
    SafeTextMixin,
    UserChoiceField,
)
from lifecycle.choices import StaffRole
from lifecycle.models import Department, TrainingRecord
from lifecycle.rules.files import detect_format
from lifecycle.rules.organization import (
    check_one_body,
    check_training_date,
    check_training_hours,
)
from organizations.scoping import colleagues


class DepartmentForm(SafeTextMixin, forms.ModelForm):
    """Adding a department needs no reason; changing one does (like the other edit forms)."""

    lead = UserChoiceField(
        label=_("Department lead"), queryset=colleagues(), required=False,
        help_text=_("The lead approves the proposals and the publication of this "
                    "department's organization-level projects (their tasks list them)."),
    )
    reason = ReasonField()

    class Meta:
        model = Department
        fields = ["name", "role", "lead", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"role": _("Only one department can be the standardization body or "
                                "the lead coordinating department.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["reason"]
        elif self.instance.lead_id:  # a lead who has left stays selectable until replaced
            self.fields["lead"].queryset = colleagues(self.instance.lead)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role"):
            candidate = Department(pk=self.instance.pk, role=cleaned["role"])
            try:
                check_one_body(candidate)
            except ValidationError as exc:
                self.add_error("role", exc)
        return cleaned


class ProfileForm(SafeTextMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.all())
    role = forms.ChoiceField(label=_("Standardization role"), choices=StaffRole.choices)
    duties = forms.CharField(label=_("Duties"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    reason = ReasonField()


class TrainingForm(SafeTextMixin, forms.ModelForm):
    """The certificate is checked by its content (``detect_format``) and attached."""

    certificate = forms.FileField(
        label=_("Certificate"), required=False,
        help_text=_("Optional. PDF, DOC, DOCX, XLSX or OFD, up to 50 MB."),
    )

    class Meta:
        model = TrainingRecord
        fields = ["course", "attended_on", "hours", "provider"]
        widgets = {"attended_on": DateInput()}

    def clean_attended_on(self):
        attended_on = self.cleaned_data["attended_on"]
        check_training_date(attended_on)
        return attended_on

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        check_training_hours(hours)
        return hours

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if upload:
            # By its content: ValidationError for a bad file.
            self.instance.attach(upload, detect_format(upload))
        return upload



class TrainingEditForm(TrainingForm):
    """Correcting a training record, with a reason; a new certificate replaces the current
    one, which can also be removed."""

    remove_certificate = forms.BooleanField(label=_("Remove the current certificate"),
                                            required=False)
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.file:
            del self.fields["remove_certificate"]
