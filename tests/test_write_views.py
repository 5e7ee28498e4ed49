"""Every view that writes calls an action (docs/architecture.md, "Every write is an action").

The test walks the whole URLconf. For each view that accepts POST, PUT, PATCH or DELETE it
reads the source of the view's own methods and of the project's classes it inherits from,
and asks that one of the names they use, or one of their class attributes, is an
``audit.actions.Action`` subclass. The Django admin is checked the same way through each
``ModelAdmin``'s ``save_model``/``delete_model``. Views that accept POST without writing a
record of ours are listed below, each with the reason."""

import ast
import inspect
import textwrap

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from audit.actions import Action

PROJECT = ("audit", "organizations", "catalog", "registry", "texts", "lifecycle")
WRITING_METHODS = {"post", "put", "patch", "delete"}

# View (module.qualname) → why it writes no record of ours, or writes through Django's own
# machinery that the project cannot route through an action.
NOT_OURS = {
    "django.contrib.auth.views.LoginView":
        "signing in writes the session and last_login (Django); accounts' receivers log it",
    "django.contrib.auth.views.LogoutView": "signing out ends the session only",
    "django.views.i18n.set_language": "sets the language cookie only",
    "django.views.generic.base.RedirectView": "redirects (the admin's old change URLs)",
    "django.contrib.auth.views.PasswordResetView": "sends the reset mail; writes nothing",
    "catalog.api.views.NumbersView": "parses the numbers posted; writes nothing",
    "registry.api.views.NoSuchEndpoint": "answers 404 to every method",
    "registry.views.accounts.confirm": "re-authentication: notes the time in the session only",
    "organizations.views.SwitchView": "notes the organization acted in, in the session only",
    "lifecycle.views.identify.IdentifyDocumentView":
        "reads the file posted for its digest and forgets it; writes nothing",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _view_class(callback):
    """The class behind a URL's callback: a Django class-based view, a DRF view or viewset
    (with the HTTP methods its route maps), or None for a function view."""
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return cls, getattr(callback, "actions", None)


def _ours(obj):
    return (getattr(obj, "__module__", "") or "").split(".")[0] in PROJECT


def _writes(cls, route_actions):
    if route_actions is not None:  # a DRF viewset route: {"get": "list", "post": "create"}
        return bool(WRITING_METHODS & set(route_actions))
    allowed = {m.lower() for m in getattr(cls, "http_method_names", ())}
    return any(hasattr(cls, m) and m in allowed for m in WRITING_METHODS)


def _is_action(value):
    return inspect.isclass(value) and issubclass(value, Action) and value is not Action


def _names_used(function, cls=None):
    """The global names (and ``module.attr`` attributes) a function's body reads,
    resolved in the function's module; with ``cls``, also the methods it calls on ``self``
    (one level: ``delete_queryset`` calling ``self.delete_model``)."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return []
    found = []
    namespace = getattr(function, "__globals__", {})
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in namespace:
            found.append(namespace[node.id])
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and inspect.ismodule(namespace.get(node.value.id))):
            found.append(getattr(namespace[node.value.id], node.attr, None))
        elif (cls is not None and isinstance(node, ast.Attribute)
              and isinstance(node.value, ast.Name) and node.value.id == "self"):
            method = getattr(cls, node.attr, None)
            if inspect.isfunction(method) and method is not function and _ours(method):
                found.extend(_names_used(method))
    return found


def _calls_an_action(cls):
    """True when the project's part of ``cls`` (its own classes in the MRO) names an
    action: in a method body, or as a class attribute (``action_class = SaveProject``)."""
    for klass in cls.__mro__:
        if not _ours(klass):
            continue
        for value in vars(klass).values():
            if _is_action(value):
                return True
            function = getattr(value, "__func__", value)
            if inspect.isfunction(function) and any(map(_is_action, _names_used(function))):
                return True
    return False


def _qualname(obj):
    return f"{obj.__module__}.{obj.__qualname__}"


def writing_views_without_action():
    missing = []
    for route, callback in _walk(get_resolver().url_patterns):
        cls, route_actions = _view_class(callback)
        if cls is None:
            function = inspect.unwrap(callback)
            if _qualname(function) in NOT_OURS or not _ours(function):
                continue
            source = inspect.getsource(function)
            if "POST" in source and not any(map(_is_action, _names_used(function))):
                missing.append(f"{route} {_qualname(function)}")
            continue
        if _qualname(cls) in NOT_OURS:
            continue
        if not _writes(cls, route_actions) or _calls_an_action(cls):
            continue
        missing.append(f"{route} {_qualname(cls)}")
    return sorted(set(missing))


def test_every_view_that_accepts_a_write_calls_an_action():
    assert writing_views_without_action() == []


def test_every_admin_that_saves_or_deletes_calls_an_action():
    missing = []
    request = _Superuser()
    for model, model_admin in admin.site._registry.items():
        if not (_ours(model) or _ours(type(model_admin))):
            continue
        cls = type(model_admin)
        # What the admin lets a superuser do decides which of its writes must be actions.
        methods = []
        if (model_admin.has_add_permission(request)
                or model_admin.has_change_permission(request, None)):
            methods.append("save_model")
        if model_admin.has_delete_permission(request, None):
            methods.append("delete_model")
            if any(name == "delete_selected"
                   for _f, name, _d in model_admin._get_base_actions()):
                methods.append("delete_queryset")  # the list's bulk "delete selected"
        for method in methods:
            function = getattr(cls, method)
            if not _ours(function) or not any(map(_is_action, _names_used(function, cls))):
                missing.append(f"{_qualname(cls)}.{method}")
    assert missing == []


class _Superuser:
    """Enough of a request for ``has_*_permission``: a superuser, so only the admin's own
    refusals (a read-only admin) count."""

    class user:  # noqa: N801 - an attribute read as request.user
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(perm, obj=None):
            return True


def test_the_walk_finds_a_writing_view_without_an_action():
    """The check can fail: a POST view whose body saves a model itself is reported."""
    from django.urls import path
    from django.views import View

    class SavesByHand(View):
        def post(self, request):
            request.user.save()

    SavesByHand.__module__ = "registry.views.example"
    patterns = [path("example/", SavesByHand.as_view())]
    found = [route for route, callback in _walk(patterns)
             if _writes(_view_class(callback)[0], None)
             and not _calls_an_action(_view_class(callback)[0])]
    assert found == ["example/"]
