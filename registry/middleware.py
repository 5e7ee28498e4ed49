"""Request guards of the whole site: ids in range, the admin's ids, no NUL in a query, and
the accounts guard (second factor, role, re-authentication)."""

from urllib.parse import urlencode

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from audit.api.errors import body
from audit.params import MAX_ID
from registry.rules.accounts import STATE_SESSION_KEY, confirmed_recently, refresh_state


def is_api(view_func):
    """A view of the REST API answers in its error shape, never with an HTML page (and
    refuses a user with no role itself: audit.api.permissions)."""
    view_class = getattr(view_func, "cls", None)
    return view_class is not None and issubclass(view_class, APIView)


class PathIdsInRangeMiddleware:
    """A path id beyond what a database integer holds (``/projects/99999999999999999999/``)
    is "not found" for every view at once: the ``int`` converter accepts any length, and a
    lookup through a foreign key would overflow (SQLite) or raise (PostgreSQL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                if is_api(view_func):
                    return JsonResponse(body(404, "not_found", _("Not found.")), status=404)
                raise Http404
        return None


class AdminIdsMiddleware:
    """Garbage ids in the admin site answer "not found" / "bad request", not 500: some admin
    views of installed packages (simple-history's object history, django-otp's device QR
    code) look a record up without checking the id first, and the admin takes an empty
    ``_to_field`` for a field name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.app_name != "admin":
            return None
        if request.GET.get("_to_field", None) == "":
            raise SuspiciousOperation("Empty _to_field.")
        parts = match.route.split("/")
        key = view_kwargs.get("object_id", view_kwargs.get("pk"))
        if key is None or len(parts) < 3:
            return None
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            return None
        try:
            value = model._meta.pk.to_python(unquote(str(key)))
        except ValidationError:
            raise Http404 from None
        if "pk" in view_kwargs and not model._default_manager.filter(pk=value).exists():
            raise Http404
        return None


class NoNulInQueryMiddleware:
    """A NUL character in a query parameter is a bad request: PostgreSQL refuses it in any
    text it compares (a search for "%00" would raise), and no page needs one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any("\x00" in key or any("\x00" in value for value in values)
               for key, values in request.GET.lists()):
            if is_api(view_func):
                return JsonResponse(body(400, "bad_request", _("This request cannot be read.")),
                                    status=400)
            raise SuspiciousOperation("NUL in the query string.")
        return None


# --- the accounts guard ------------------------------------------------------------------
# What a signed-in user may open before anything else: the second factor first (required
# for administrators, asked of everyone who enrolled), then a role, then — on sensitive
# pages — a recent confirmation of their password.

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
