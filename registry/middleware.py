"""Request guards of the whole site."""

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from audit.api.errors import body
from audit.params import MAX_ID


def _is_api(view_func):
    """A view of the REST API answers in its error shape, never with an HTML page."""
    return hasattr(view_func, "cls") and hasattr(view_func.cls, "get_exception_handler")


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
                if _is_api(view_func):
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
            if _is_api(view_func):
                return JsonResponse(body(400, "bad_request", _("This request cannot be read.")),
                                    status=400)
            raise SuspiciousOperation("NUL in the query string.")
        return None
