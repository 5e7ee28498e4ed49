"""Hash-chained history rows, the chains' heads and the global audit log.

The tables keep the ``catalog_`` names they were created with (they moved here from
``catalog`` without a row moving; see migration 0001).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.chained import Chained
from audit.digests import Scheme
from audit.history import tracked


class ChainHead(models.Model):
    """The newest link of one table's chain. Its row lock serialises appends, so two
    writers at the same moment cannot fork the chain; its count and signature reveal a
    removed tail (and the anchors one removed with its head)."""

    table = models.CharField(max_length=128, unique=True)
    last_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, blank=True, default="")
    length = models.BigIntegerField(default=0)
    scheme = models.CharField(max_length=16, choices=Scheme.choices, default=Scheme.HMAC)
    signature = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        db_table = "catalog_chainhead"

    def __str__(self):
        return f"{self.table} @ {self.last_id}"


class LogAction(models.TextChoices):
    """What a history row records, as the audit log names it."""

    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    MOVED = "moved", _("moved")
    REORDERED = "reordered", _("reordered")
    DELETED = "deleted", _("deleted")
    TRANSITION = "transition", _("transition")
    # Security events about a user account (accounts/events.py); no history row behind them.
    SIGNED_IN = "signed_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    LOCKED_OUT = "locked_out", _("locked out")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    ROLE_CHANGED = "role_changed", _("role changed")
    TWO_FACTOR_CHANGED = "2fa_changed", _("two-factor changed")


ACCOUNT_ACTIONS = frozenset({
    LogAction.SIGNED_IN, LogAction.SIGN_IN_FAILED, LogAction.LOCKED_OUT,
    LogAction.PASSWORD_CHANGED, LogAction.ROLE_CHANGED, LogAction.TWO_FACTOR_CHANGED,
})


# Failed sign-ins and lockouts name what was typed as a username (often a password typed
# into the wrong field) and the address: they belong to the security log (django-axes'
# records, which expire), read by administrators only. New ones are written there only;
# the rows the audit log holds from before cannot be removed from the chain, so every
# list, filter and export of it hides them from anyone without this permission
# (``audit.filtersets.LogEntryFilterSet``, which every list of the log goes through).
SECURITY_LOG_ACTIONS = frozenset({LogAction.SIGN_IN_FAILED, LogAction.LOCKED_OUT})
SECURITY_LOG_PERMISSION = "axes.view_accessfailurelog"


def reads_security_log(user):
    return user is not None and user.has_perm(SECURITY_LOG_PERMISSION)


HISTORY_TYPE_ACTIONS = {"+": LogAction.CREATED, "~": LogAction.CHANGED, "-": LogAction.DELETED}


class LogEntry(Chained):
    """One line of the global audit log, written with every history row of every tracked
    model: who did what to which record, when and why. It makes the history searchable in
    one place, and it is evidence too: chained and signed like the history rows."""

    timestamp = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("user"), db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=16, choices=LogAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("kind of record"),
    )
    object_id = models.BigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=255)
    reason = models.TextField(_("reason"), blank=True)
    history_id = models.BigIntegerField()
    # Where in a tree the record sat (filled by registry for nodes and placements).
    scope_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    scope_path = models.CharField(max_length=255, blank=True, db_index=True)
    # The name of the personal API token the change was made with (None: not through the
    # API). Nullable, so the digests of entries written before it stay as they were.
    api_token = models.CharField(  # noqa: DJ001
        _("API token"), max_length=100, null=True, blank=True)
    # The organization whose record it is, as the record's app declares it (audit/log.py);
    # None for shared records (the catalog's published standards) and for entries written
    # before organizations existed. Nullable for the same reason as api_token. A plain id:
    # audit sits beneath the organizations app.
    organization_id = models.BigIntegerField(_("organization"), null=True, blank=True,
                                             db_index=True)

    class Meta:
        db_table = "catalog_logentry"
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.object_repr} {self.action}"


class SigningRun(models.Model):
    """One run of ``sign_history``: chains signed under the history key, by whom and why.
    Its own history row (and log entry) is the record of the run."""

    started_at = models.DateTimeField(_("time"))
    operator = models.CharField(_("operator"), max_length=150)
    reason = models.TextField(_("reason"))
    key_id = models.CharField(_("key fingerprint"), max_length=16)
    tables = models.JSONField(_("tables signed"), default=list)
    rows = models.BigIntegerField(_("rows signed"), default=0)
    accepted_problems = models.JSONField(_("problems accepted"), default=list, blank=True)
    history = tracked()

    class Meta:
        verbose_name = _("history signing")
        verbose_name_plural = _("history signings")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.operator}"


class ApiToken(models.Model):
    """A personal API token: what another system presents instead of a password
    (``Authorization: Bearer <secret>``). Only the SHA-256 of the secret is stored; the
    secret is shown once, when the token is made (``audit/tokens.py``). A token acts as its
    user, with the user's permissions, or only reads when ``read_only``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. the system that uses it."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, so that people can tell their tokens apart.
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    read_only = models.BooleanField(_("read only"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Operational, updated in place without a history row.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    history = tracked(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now=None):
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
