from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device

from audit.forms import SafeTextMixin


class SecondFactorCodeForm(SafeTextMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=16, strip=True,
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        self.device = match_token(self.user, token)
        if self.device is None:
            raise forms.ValidationError(_("This code is not valid. Wait for the next code or "
                                          "use a recovery code."))
        return token


class EnrolForm(SafeTextMixin, forms.Form):
    token = forms.CharField(
        label=_("Code shown by the app"), max_length=6, min_length=6, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}))

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(_("This code is not valid. Check the time on your "
                                          "phone and enter the code now shown."))
        return token


class ConfirmIdentityForm(SafeTextMixin, forms.Form):
    """The password again (and the second factor when the user has one)."""

    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autofocus": True,
                                                                 "autocomplete":
                                                                 "current-password"}))
    token = forms.CharField(label=_("Code"), max_length=16, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.with_token = user_has_device(request.user)
        if not self.with_token:
            del self.fields["token"]

    def clean(self):
        user = self.request.user
        password = self.cleaned_data.get("password")
        # Through authenticate(): a wrong password counts towards the lockout and is logged.
        if password is None or authenticate(self.request, username=user.get_username(),
                                            password=password) is None:
            raise forms.ValidationError(_("The password is not correct."))
        if self.with_token and match_token(user, self.cleaned_data.get("token", "")) is None:
            raise forms.ValidationError(_("This code is not valid."))
        return self.cleaned_data


TOKENS_REVOKED_NOTE = _("A new password revokes all your API tokens: make new ones on the "
                        "API tokens page afterwards.")


class TokensNoteMixin:
    """The new password's form says that it revokes the user's API tokens."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["new_password2"]
        field.help_text = f"{field.help_text} {TOKENS_REVOKED_NOTE}"


class RegistryPasswordChangeForm(SafeTextMixin, TokensNoteMixin, PasswordChangeForm):
    """The user's own password change (the old password, then the new one twice)."""


class RegistrySetPasswordForm(SafeTextMixin, TokensNoteMixin, SetPasswordForm):
    """A new password from a reset link."""
