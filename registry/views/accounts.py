"""The account pages: the second factor (enrol, verify, recovery codes, remove), the password
confirmation before sensitive pages, the password change and reset (Django's views, each
write through ``ChangePassword``), the page for users with no role, the page shown when
django-axes has locked a name or address, and the administrators' security log."""

import base64
import io

from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from audit.actions import ActionError
from audit.mixins import (
    AUTH_TIME_SESSION_KEY,
    PermissionMixin,
    QuerystringMixin,
    reauthentication_required,
)
from audit.models import SECURITY_LOG_PERMISSION
from registry.actions.accounts import (
    AddSecondFactor,
    AddSignInFailure,
    ChangePassword,
    ChangeRecoveryCodes,
    DeleteSecondFactor,
    StartEnrolment,
)
from registry.forms.accounts import (
    ConfirmIdentityForm,
    EnrolForm,
    RegistryPasswordChangeForm,
    RegistrySetPasswordForm,
    SecondFactorCodeForm,
)
from registry.rules.accounts import (
    known_usernames,
    locked_now,
    refresh_state,
    second_factor_required,
)


def _next(request, default="registry:tree"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


class AccountView(TemplateView):
    """Your account: password and second factor."""

    template_name = "registry/accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            enrolled=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            codes_left=StaticToken.objects.filter(device__user=user).count(),
            required=second_factor_required(user), **kwargs)


@never_cache
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), enter its first code.
    Recovery codes are shown once at the end."""
    user = request.user
    if request.user.is_verified() is False and user_has_device(user):
        # Replacing a device needs the current one first.
        return redirect("accounts:two_factor_verify")
    device = StartEnrolment(user).execute()
    form = EnrolForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = AddSecondFactor(user, device).execute()
        otp_login(request, device)
        request.session[AUTH_TIME_SESSION_KEY] = int(timezone.now().timestamp())
        refresh_state(request)
        return render(request, "registry/accounts/recovery_codes.html", {
            "codes": codes, "next": _next(request)})
    return render(request, "registry/accounts/two_factor_setup.html", {
        "form": form, "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next(request, ""),
        "required": second_factor_required(user)})


@never_cache
def two_factor_qr(request):
    """The QR code of the authenticator being enrolled, as SVG from this server."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        raise Http404
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@never_cache
def two_factor_verify(request):
    """The second step of signing in."""
    if not user_has_device(request.user):
        return redirect("accounts:two_factor_setup")
    form = SecondFactorCodeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, form.device)
            return redirect(_next(request))
        AddSignInFailure(request.user, request).execute()
    return render(request, "registry/accounts/two_factor_verify.html",
                  {"form": form, "next": _next(request, "")})


@require_POST
@reauthentication_required
def two_factor_codes(request):
    """New recovery codes (the old ones stop working)."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:two_factor_setup")
    return render(request, "registry/accounts/recovery_codes.html",
                  {"codes": ChangeRecoveryCodes(request.user).execute(), "next": ""})


@require_POST
@reauthentication_required
def two_factor_disable(request):
    """Remove the second factor: only where it is optional."""
    try:
        DeleteSecondFactor(request.user).execute()
    except ActionError as exc:
        messages.error(request, exc.messages[0])
        return redirect("accounts:account")
    refresh_state(request)
    messages.success(request, _("The second factor was removed."))
    return redirect("accounts:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own password change; the new password is set by ``ChangePassword``."""

    form_class = RegistryPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        ChangePassword(self.request.user, form.user,
                       form.cleaned_data["new_password1"]).execute()
        # Signs out the user's other sessions, keeping this one (as Django's view does).
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password from a reset link: the link proved who the user is, so the user sets
    it (``ChangePassword``) as on their own page."""

    form_class = RegistrySetPasswordForm

    def form_valid(self, form):
        ChangePassword(form.user, form.user, form.cleaned_data["new_password1"]).execute()
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        if self.post_reset_login:
            auth_login(self.request, form.user, self.post_reset_login_backend)
        return HttpResponseRedirect(self.get_success_url())


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the page shown instead of the sign-in when django-axes has
    locked a username or address."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {
        "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT,
    }, status=429)


@never_cache
def confirm(request):
    """Password again before a sensitive page."""
    form = ConfirmIdentityForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[AUTH_TIME_SESSION_KEY] = int(timezone.now().timestamp())
        return redirect(_next(request))
    return render(request, "registry/accounts/confirm.html",
                  {"form": form, "next": _next(request, "")})


def no_role(request):
    """A signed-in user who has no role yet: whom to ask."""
    if refresh_state(request)["role"]:
        return redirect("registry:tree")
    # The administrators of the organization the user would act in.
    administrators = get_user_model().objects.filter(
        is_active=True, memberships__organization=request.organization,
        memberships__role__in=settings.REGISTRY_ADMIN_GROUPS).distinct().order_by(
        "last_name", "first_name", "username")
    return render(request, "registry/accounts/no_role.html", {
        "administrators": administrators, "contact": settings.REGISTRY_ROLE_CONTACT,
        "hide_menu": True}, status=403)


# Where a failure happened, by the page's name.
FAILURE_PAGES = {
    "login": gettext_lazy("Sign-in: wrong user name or password"),
    "admin:login": gettext_lazy("Administration sign-in: wrong user name or password"),
    "accounts:two_factor_verify": gettext_lazy("Sign-in: wrong second-factor code"),
    "accounts:confirm": gettext_lazy("Password confirmation: wrong password"),
}


def failure_kind(path):
    try:
        name = resolve(path).view_name
    except Resolver404:
        name = ""
    return FAILURE_PAGES.get(name, path)


class SecurityLogView(PermissionMixin, QuerystringMixin, ListView):
    """Failed sign-ins and lockouts (django-axes' records), newest first: administrators
    only. A user name is shown only when it names an account; records are deleted after
    REGISTRY_SECURITY_LOG_DAYS (``DeleteExpiredSecurityLog``)."""

    permission_required = SECURITY_LOG_PERMISSION
    template_name = "registry/accounts/security_log.html"
    paginate_by = 50

    def get_queryset(self):
        return AccessFailureLog.objects.order_by("-attempt_time", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locked = list(locked_now())
        failures = context["object_list"]
        known = known_usernames(
            [row.username for row in failures] + [row.username for row in locked])
        kinds = {path: failure_kind(path) for path in {row.path_info for row in failures}}
        cooloff = settings.AXES_COOLOFF_TIME
        context.update(
            failures=[{"time": row.attempt_time, "address": row.ip_address,
                       "account": row.username if row.username in known else None,
                       "kind": kinds[row.path_info], "locked_out": row.locked_out}
                      for row in failures],
            locked=[{"account": row.username if row.username in known else None,
                     "address": row.ip_address, "failures": row.failures_since_start,
                     "until": row.attempt_time + cooloff} for row in locked],
            days=settings.REGISTRY_SECURITY_LOG_DAYS,
            breadcrumbs=[(_("Security log"), None)],
        )
        return context
