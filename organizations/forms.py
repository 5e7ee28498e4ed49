"""Forms of the organizations pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from audit.forms import ReasonField, ReasonFormMixin, SafeTextMixin, user_display_and_username
from organizations.models import Membership, Organization, Role


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class SwitchForm(SafeTextMixin, forms.Form):
    """Which organization to act in: one of ``choices`` (the ones the user may act in)."""

    organization = OrganizationChoiceField(label=_("Organization"),
                                           queryset=Organization.objects.none())

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in choices])


class OrganizationForm(SafeTextMixin, ReasonFormMixin, forms.ModelForm):
    """An organization; its parent is one of ``parents`` (those the user administers)."""

    parent = OrganizationChoiceField(label=_("Parent organization"), required=False,
                                     queryset=Organization.objects.none())
    reason = ReasonField()

    class Meta:
        model = Organization
        fields = ["name", "name_en", "code", "parent"]

    def __init__(self, *args, parents=(), top_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.drop_reason_when_adding()
        field = self.fields["parent"]
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in parents])
        field.required = not top_allowed
        if self.instance.pk:
            # A move of an organization is a change of its parent: kept to the same choices,
            # the organization itself left out.
            field.queryset = field.queryset.exclude(pk=self.instance.pk)


class MembershipForm(SafeTextMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("User"),
                                  queryset=get_user_model().objects.filter(is_active=True)
                                  .order_by("username"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = user_display_and_username


class MembershipDeleteForm(SafeTextMixin, forms.Form):
    membership = forms.ModelChoiceField(queryset=Membership.objects.none(),
                                        widget=forms.HiddenInput)
    reason = ReasonField()

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(
            organization=organization)
