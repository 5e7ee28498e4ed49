"""Personal API tokens: made, looked up and revoked here, one action each.

The secret is ``reg_`` and 40 random URL-safe characters; only its SHA-256 is stored, so a
stolen database gives no usable token. The secret is returned once, by ``AddApiToken``.
"""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action, ActionError
from audit.models import ApiToken

SECRET_PREFIX = "reg_"
# A token lives at most a year; 90 days unless its user says otherwise.
MAX_DAYS, DEFAULT_DAYS = 366, 90


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def find_active(secret):
    """The active token whose secret this is, with its user, or None."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (ApiToken.objects.select_related("user").filter(key_hash=digest(secret))
             .first())
    if token is None or not token.is_active() or not token.user.is_active:
        return None
    return token


def touch(token):
    """Note when the token was last used (at most once a minute; no history row)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class AddApiToken(Action):
    """Make a token for the acting user; returns ``(token, secret)``. Making one is its
    own reason."""

    reason_required = False
    default_reason = gettext_lazy("API token created")

    def __init__(self, user, name, days=DEFAULT_DAYS, read_only=False):
        super().__init__(user)
        self.name, self.days, self.read_only = (name or "").strip(), days, read_only

    def has_permission(self):
        return self.user is not None and self.user.is_authenticated

    def check(self):
        super().check()
        if not self.name:
            raise ActionError({"name": _("Give the token a name.")})
        if not isinstance(self.days, int) or not 1 <= self.days <= MAX_DAYS:
            raise ActionError({"days": _("A token lives between 1 and %(days)s days.")
                               % {"days": MAX_DAYS}})

    def _execute(self):
        secret = SECRET_PREFIX + secrets.token_urlsafe(30)
        token = ApiToken(user=self.user, name=self.name[:100], key_hash=digest(secret),
                         prefix=secret[:10], read_only=self.read_only,
                         expires_at=timezone.now() + timedelta(days=self.days))
        self.save(token)
        return token, secret


class RevokeApiToken(Action):
    """Revoke one of the acting user's own tokens; it stops working at once."""

    reason_required = False
    default_reason = gettext_lazy("API token revoked")

    def __init__(self, user, token, reason=""):
        super().__init__(user, reason)
        self.token = token

    def has_permission(self):
        return self.user is not None and self.token.user_id == self.user.pk

    def _execute(self):
        token = self.lock(self.token)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            self.save(token)
        return token


class RevokeTokensOfUser(Action):
    """Revoke every active token of ``owner``: their password changed (on their own page,
    by a reset link, by an administrator or with ``changepassword``), and a token made
    with the old one must not outlive it. Follows the password change, whoever made it
    (that change was checked where it was made); ``user`` is who made it. Returns how
    many tokens it revoked."""

    reason_required = False
    default_reason = gettext_lazy("API token revoked: the password changed")

    def __init__(self, user, owner):
        super().__init__(user)
        self.owner = owner

    def _execute(self):
        now = timezone.now()
        active = list(ApiToken.objects.select_for_update()
                      .filter(user=self.owner, revoked_at__isnull=True, expires_at__gt=now))
        for token in active:
            token.revoked_at = now
            self.save(token)
        return len(active)
