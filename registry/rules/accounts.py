"""The client's address, for lockout by address and the audit log.

Behind nginx (``REGISTRY_BEHIND_PROXY``) the address is the last one nginx appended to
X-Forwarded-For (``proxy_add_x_forwarded_for``): earlier ones come from the client and could
be forged. Otherwise it is REMOTE_ADDR."""

from django.conf import settings


def client_address(request):
    if getattr(settings, "REGISTRY_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]
