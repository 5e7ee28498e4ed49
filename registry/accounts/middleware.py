"""What a signed-in user may open before anything else: the second factor first (required
for administrators, asked of everyone who enrolled), then a role, then — on sensitive pages —
a recent confirmation of their password."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device
from rest_framework.views import APIView

from audit.mixins import AUTH_TIME_SESSION_KEY, has_role

# Pages a signed-in user can always open.
ALWAYS_OPEN = {"logout", "set_language", "javascript-catalog"}
# Pages of the second factor itself (before it is given).
TWO_FACTOR_OPEN = ALWAYS_OPEN | {"accounts:two_factor_verify", "accounts:two_factor_setup",
                                 "accounts:two_factor_qr"}
# Pages open to a user with no role.
NO_ROLE_OPEN = TWO_FACTOR_OPEN | {
    "accounts:no_role", "accounts:account", "accounts:confirm", "accounts:two_factor_codes",
    "accounts:two_factor_disable", "password_change", "password_change_done"}
# Django admin pages that change users, roles, lockouts or second factors.
SENSITIVE_ADMIN_APPS = ("auth", "axes", "otp_totp", "otp_static")


def second_factor_required(user):
    return settings.REGISTRY_2FA_REQUIRED_FOR_ADMINS and (
        user.is_superuser
        or user.groups.filter(name__in=settings.REGISTRY_ADMIN_GROUPS).exists())


# What the guard needs to know about the signed-in user, kept in the session so that pages
# cost no extra query: computed at sign-in, again after a second-factor change, and again
# while the user has no role (a role granted meanwhile takes effect at once).
STATE_SESSION_KEY = "registry_account_state"


def refresh_state(request, user=None):
    user = user or request.user
    state = {"role": has_role(user), "device": user_has_device(user),
             "required": second_factor_required(user)}
    request.session[STATE_SESSION_KEY] = state
    return state


def confirmed_recently(request):
    when = request.session.get(AUTH_TIME_SESSION_KEY, 0)
    return time.time() - when < settings.REGISTRY_REAUTH_MINUTES * 60


def is_sensitive(request, view_func):
    view_class = getattr(view_func, "view_class", None)
    if getattr(view_func, "reauthentication_required", False) or getattr(
            view_class, "reauthentication_required", False):
        return True
    match = request.resolver_match
    if match is not None and match.app_name == "admin":
        admin_root = reverse("admin:index")
        return request.path.startswith(tuple(admin_root + app + "/"
                                             for app in SENSITIVE_ADMIN_APPS))
    return False


def is_api(view_func):
    """The API's views refuse a user with no role themselves, in the API's error shape
    (audit.api.permissions), instead of a redirect to a page."""
    view_class = getattr(view_func, "cls", None)
    return view_class is not None and issubclass(view_class, APIView)


def _to(name, request):
    # After a POST the user comes back to the page, not to the submission.
    target = request.get_full_path() if request.method == "GET" else request.path
    return redirect(f"{reverse(name)}?{urlencode({'next': target})}")


class AccountGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in ALWAYS_OPEN:
            return None
        state = request.session.get(STATE_SESSION_KEY) or refresh_state(request)
        if not user.is_verified() and name not in TWO_FACTOR_OPEN:
            if state["device"]:
                return _to("accounts:two_factor_verify", request)
            if state["required"]:
                return _to("accounts:two_factor_setup", request)
        if (name not in NO_ROLE_OPEN and not is_api(view_func) and not state["role"]
                and not refresh_state(request)["role"]):
            return redirect("accounts:no_role")
        if is_sensitive(request, view_func) and not confirmed_recently(request):
            return _to("accounts:confirm", request)
        return None
