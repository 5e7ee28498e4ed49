"""The API acts in the token user's organization: DRF authenticates inside the view, after
the middleware, so the authentication classes set it. ``?organization=CODE`` chooses one
of several; an organization the user cannot act in is refused."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication

from audit.api.auth import ApiTokenAuthentication
from organizations.middleware import SESSION_KEY
from organizations.rules import organization_for_request, organizations_for, set_current


def act_in(request, user):
    code = request.query_params.get("organization", "").strip()
    found = [o for o in organizations_for(user) if o.code == code] if code else []
    if code and not found:
        # Refused by the permission check (audit.api.permissions), not here: DRF may
        # authenticate lazily, outside the view's error handling (the docs pages).
        request._request.organization_refused = _(
            "You cannot act in the organization %(code)s.") % {"code": code[:20]}
    if found:
        organization = found[0]
    else:
        session = getattr(request._request, "session", None)
        organization = organization_for_request(user, session.get(SESSION_KEY)
                                                if session is not None else None)
    request._request.organization = organization
    # Reset with the request by the middleware, which set the context first.
    set_current(organization)


class TokenInOrganization(ApiTokenAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found:
            act_in(request, found[0])
        return found


class SessionInOrganization(authentication.SessionAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found:
            act_in(request, found[0])
        return found


class SessionScheme(OpenApiAuthenticationExtension):
    """The browser's session, as drf-spectacular describes DRF's own."""

    target_class = SessionInOrganization
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
