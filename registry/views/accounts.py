"""The account pages: the second factor (enrol, verify, recovery codes, remove), the password
confirmation before sensitive pages, the page for users with no role, and the
administrators' security log."""

import base64
import io

from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from audit.mixins import (
    AUTH_TIME_SESSION_KEY,
    PermissionMixin,
    QuerystringMixin,
    reauthentication_required,
)
from audit.models import SECURITY_LOG_PERMISSION
from registry.accounts import security_log
from registry.accounts.forms import ConfirmIdentityForm, EnrolForm, SecondFactorCodeForm
from registry.accounts.middleware import refresh_state, second_factor_required

RECOVERY_CODES = 10


def _next(request, default="registry:tree"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


class AccountView(TemplateView):
    """Your account: password and second factor."""

    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            enrolled=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            codes_left=StaticToken.objects.filter(device__user=user).count(),
            required=second_factor_required(user), **kwargs)


def _pending_device(user):
    """The authenticator being enrolled: unconfirmed until the user enters a first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator",
                                               confirmed=False)


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@never_cache
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), enter its first code.
    Recovery codes are shown once at the end."""
    user = request.user
    if request.user.is_verified() is False and user_has_device(user):
        # Replacing a device needs the current one first.
        return redirect("accounts:two_factor_verify")
    device = _pending_device(user)
    form = EnrolForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        otp_login(request, device)
        request.session[AUTH_TIME_SESSION_KEY] = int(timezone.now().timestamp())
        refresh_state(request)
        return render(request, "accounts/recovery_codes.html", {
            "codes": _new_recovery_codes(user), "next": _next(request)})
    return render(request, "accounts/two_factor_setup.html", {
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
        security_log.record_failure(request, request.user)
    return render(request, "accounts/two_factor_verify.html",
                  {"form": form, "next": _next(request, "")})


@require_POST
@reauthentication_required
def two_factor_codes(request):
    """New recovery codes (the old ones stop working)."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:two_factor_setup")
    return render(request, "accounts/recovery_codes.html",
                  {"codes": _new_recovery_codes(request.user), "next": ""})


@require_POST
@reauthentication_required
def two_factor_disable(request):
    """Remove the second factor: only where it is optional."""
    if second_factor_required(request.user):
        messages.error(request, _("Administrators must keep a second factor."))
        return redirect("accounts:account")
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    refresh_state(request)
    messages.success(request, _("The second factor was removed."))
    return redirect("accounts:account")


@never_cache
def confirm(request):
    """Password again before a sensitive page."""
    form = ConfirmIdentityForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[AUTH_TIME_SESSION_KEY] = int(timezone.now().timestamp())
        return redirect(_next(request))
    return render(request, "accounts/confirm.html", {"form": form, "next": _next(request, "")})


def no_role(request):
    """A signed-in user who has no role yet: whom to ask."""
    if refresh_state(request)["role"]:
        return redirect("registry:tree")
    User = get_user_model()
    administrators = User.objects.filter(
        is_active=True, groups__name__in=settings.REGISTRY_ADMIN_GROUPS).distinct().order_by(
        "last_name", "first_name", "username")
    return render(request, "accounts/no_role.html", {
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
    REGISTRY_SECURITY_LOG_DAYS (``security_log.purge``)."""

    permission_required = SECURITY_LOG_PERMISSION
    template_name = "accounts/security_log.html"
    paginate_by = 50

    def get_queryset(self):
        return AccessFailureLog.objects.order_by("-attempt_time", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locked = list(security_log.locked_now())
        failures = context["object_list"]
        known = security_log.known_usernames(
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
