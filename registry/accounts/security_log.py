"""The security log: failed sign-ins and lockouts, as django-axes records them (its access
failure log; its access attempts are the live counters of the lockout). Administrators read
it (``SECURITY_LOG_PERMISSION``); its records are deleted after
``REGISTRY_SECURITY_LOG_DAYS`` (``purge``, run daily by beat and by ``purge_security_log``).

What was typed as a username is kept only when it names an account: anything else (often
a password typed into the wrong field) is stored as a keyed hash of it (``axes_username``),
so each unknown name still has its own count towards the lockout and the address is locked
as before, but the typed text is nowhere in the database or the logs."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.crypto import salted_hmac

from registry.accounts.addresses import client_address

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


def record_failure(request, user):
    """A failure axes does not see (a wrong second-factor code after the right password):
    into its failure log too, without counting towards the lockout."""
    AccessFailureLog.objects.create(
        username=user.get_username(), ip_address=client_address(request) or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        http_accept=request.META.get("HTTP_ACCEPT", "")[:1025],
        path_info=request.path_info[:255], locked_out=False)  # as axes stores it


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


def purge(days=None, now=None):
    """Delete the records older than ``days`` (``REGISTRY_SECURITY_LOG_DAYS``): failures and
    sign-ins; lockout counters as soon as their cool-off has passed. Returns
    ``{record kind: number deleted}``."""
    days = settings.REGISTRY_SECURITY_LOG_DAYS if days is None else days
    now = now or timezone.now()
    limit = now - timedelta(days=days)
    return {
        "failures": AccessFailureLog.objects.filter(attempt_time__lt=limit).delete()[0],
        "sign_ins": AccessLog.objects.filter(attempt_time__lt=limit).delete()[0],
        "counters": AccessAttempt.objects.filter(
            attempt_time__lt=now - settings.AXES_COOLOFF_TIME).delete()[0],
    }
