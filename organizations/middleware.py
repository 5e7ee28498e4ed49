"""Sets the organization each request acts in (``organizations.rules``)."""

from organizations.rules import organization_for_request, reset_current, set_current

SESSION_KEY = "registry_organization"


class CurrentOrganizationMiddleware:
    """After authentication: ``request.organization`` and the context every query and
    permission check of the request reads, from the user's choice kept in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        organization = organization_for_request(request.user,
                                                request.session.get(SESSION_KEY))
        request.organization = organization
        token = set_current(organization)
        try:
            return self.get_response(request)
        finally:
            reset_current(token)
