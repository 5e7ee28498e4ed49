"""Forms of the organization and people pages (clause 5.1–5.2)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lifecycle.choices import StaffRole
from lifecycle.forms import DateInput, UserChoiceField, active_users, reason_field
from lifecycle.models import Department, TrainingRecord
from lifecycle.people import check_one_body, check_training_date, check_training_hours


class DepartmentForm(forms.ModelForm):
    """Adding a department needs no reason; changing one does (like the other edit forms)."""

    lead = UserChoiceField(
        label=_("Department lead"), queryset=active_users(), required=False,
        help_text=_("The lead approves the proposals and the publication of this "
                    "department's organization-level projects (their tasks list them)."),
    )
    reason = reason_field()

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
            self.fields["lead"].queryset = get_user_model().objects.filter(
                Q(is_active=True) | Q(pk=self.instance.lead_id)).order_by("username")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role"):
            candidate = Department(pk=self.instance.pk, role=cleaned["role"])
            try:
                check_one_body(candidate)
            except ValidationError as exc:
                self.add_error("role", exc)
        return cleaned


class ProfileForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.all())
    role = forms.ChoiceField(label=_("Standardization role"), choices=StaffRole.choices)
    duties = forms.CharField(label=_("Duties"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    reason = reason_field()


class TrainingForm(forms.ModelForm):
    """The certificate is checked by its content through ``Attachment.attach``."""

    certificate = forms.FileField(
        label=_("Certificate"), required=False,
        help_text=_("Optional. PDF, DOC, DOCX, XLSX or OFD, up to 50 MB."),
    )

    class Meta:
        model = TrainingRecord
        fields = ["course", "attended_on", "hours", "provider"]
        widgets = {"attended_on": DateInput(format="%Y-%m-%d")}

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
            self.instance.attach(upload)  # raises ValidationError for a bad file
        return upload



class TrainingEditForm(TrainingForm):
    """Correcting a training record, with a reason; a new certificate replaces the current
    one, which can also be removed."""

    remove_certificate = forms.BooleanField(label=_("Remove the current certificate"),
                                            required=False)
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.file:
            del self.fields["remove_certificate"]
