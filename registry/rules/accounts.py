"""The accounts area's reading side: the client's address, what the sign-in guard knows of
a user, and the security log's user names and lockouts. Nothing here writes a record (the
guard's state is kept in the session); the writes are in ``registry.actions.accounts``."""

import time

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import user_has_device

from audit.mixins import AUTH_TIME_SESSION_KEY, has_role

# --- the client's address -----------------------------------------------------------------

def client_address(request):
    """The client's address, for lockout by address and the audit log.

    Behind nginx (``REGISTRY_BEHIND_PROXY``) the address is the last one nginx appended to
    X-Forwarded-For (``proxy_add_x_forwarded_for``): earlier ones come from the client and
    could be forged. Otherwise it is REMOTE_ADDR."""
    if request is None:
        return ""
    if getattr(settings, "REGISTRY_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


# --- what the sign-in guard knows ---------------------------------------------------------

def second_factor_required(user):
    return settings.REGISTRY_2FA_REQUIRED_FOR_ADMINS and (
        user.is_superuser
        or user.memberships.filter(role__in=settings.REGISTRY_ADMIN_GROUPS).exists())


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


# --- the security log ---------------------------------------------------------------------
# Failed sign-ins and lockouts, as django-axes records them (its access failure log; its
# access attempts are the live counters of the lockout). Administrators read it
# (``SECURITY_LOG_PERMISSION``); its records are deleted after ``REGISTRY_SECURITY_LOG_DAYS``
# (``registry.actions.accounts.DeleteExpiredSecurityLog``).
#
# What was typed as a username is kept only when it names an account: anything else (often
# a password typed into the wrong field) is stored as a keyed hash of it (``axes_username``),
# so each unknown name still has its own count towards the lockout and the address is locked
# as before, but the typed text is nowhere in the database or the logs.

# No account can be named so (user names have no colon).
UNKNOWN_PREFIX = "unknown:"


def typed_username(request, credentials):
    if credentials:
        return credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return data.get(settings.AXES_USERNAME_FORM_FIELD)


def axes_username(request, credentials=None):
    """``AXES_USERNAME_CALLABLE``: the user name when an account has it, else a keyed hash
    of what was typed (the same for the same text, so its failures add up)."""
    typed = typed_username(request, credentials)
    if not typed:
        return None
    typed = str(typed)
    # axes asks several times per sign-in; one query for each name.
    known = getattr(request, "_security_log_names", None)
    if known is None:
        known = {}
        if request is not None:
            request._security_log_names = known
    if typed not in known:
        exists = get_user_model()._default_manager.filter(
            **{get_user_model().USERNAME_FIELD: typed}).exists()
        known[typed] = typed if exists else UNKNOWN_PREFIX + salted_hmac(
            "registry.accounts.unknown-username", typed).hexdigest()[:32]
    return known[typed]


def known_usernames(names):
    """Those of ``names`` that name an account now."""
    field = get_user_model().USERNAME_FIELD
    names = {name for name in names if name and not name.startswith(UNKNOWN_PREFIX)}
    return set(get_user_model()._default_manager.filter(
        **{f"{field}__in": names}).values_list(field, flat=True))


def locked_now():
    """The counters that lock a user name or an address now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    ).order_by("-attempt_time")
