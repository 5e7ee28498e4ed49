"""View mixins every app's pages share. They live here, in the lowest app, so the audit
pages and every app above can use them."""

from django.contrib.auth.mixins import PermissionRequiredMixin


def has_role(user):
    """Whether the user has a role in the organization they act in (any permission there:
    the permission backend knows the roles), or is a superuser. Without one, the pages show
    only whom to ask (registry.accounts) and the API refuses every request."""
    return user.is_superuser or user.groups.exists() or bool(user.get_all_permissions())


class PermissionMixin(PermissionRequiredMixin):
    """Permission checked on the server for GET and POST alike; 403 when missing."""

    raise_exception = True


class QuerystringMixin:
    """Puts the current filters (without page/export) in the context for pagination links,
    and pages forgivingly: a page number past the end shows the last page, a malformed one
    the first, instead of a 404 (a link kept from a longer list still lands somewhere)."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty())
        raw = self.request.GET.get(self.page_kwarg, "")
        number = (paginator.num_pages if raw == "last"
                  else int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else 1)
        page = paginator.get_page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context["querystring"] = query.urlencode()
        return context


# Set at every sign-in and password confirmation (accounts): when the user last proved who
# they are. Sensitive pages ask again when it is older than REGISTRY_REAUTH_MINUTES.
AUTH_TIME_SESSION_KEY = "registry_auth_time"


def reauthentication_required(view):
    """Marks a view function as sensitive: the accounts middleware asks for the password (and
    second factor) again before it runs when the last confirmation is too old."""
    view.reauthentication_required = True
    return view


class ReauthenticationMixin:
    """The class-based form of ``reauthentication_required``."""

    reauthentication_required = True
