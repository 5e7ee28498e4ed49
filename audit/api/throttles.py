from rest_framework.throttling import SimpleRateThrottle

from audit.models import ApiToken


class PerTokenThrottle(SimpleRateThrottle):
    """A rate per token (``API_RATE``, default 1200 requests a minute); a browser session
    counts per user."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"t{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
