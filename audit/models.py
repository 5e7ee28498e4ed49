"""Hash-chained history rows, the chains' heads and the global audit log.

The tables keep the ``catalog_`` names they were created with (they moved here from
``catalog`` without a row moving; see migration 0001).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryAppendOnly(Exception):
    """History rows are never changed or removed once written."""


class ChainedHistory(models.Model):
    """Base of every historical model: each row carries a SHA-256 hash chained to the
    previous row of the same table, so a row altered, removed or reordered by someone
    with database access is found by ``manage.py verify_history``."""

    prev_hash = models.CharField(max_length=64, editable=False, default="")
    row_hash = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from audit.chain import append

        if not self._state.adding:
            raise HistoryAppendOnly("History rows are append-only.")
        append(self, lambda: super(ChainedHistory, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise HistoryAppendOnly("History rows are append-only.")


class ChainHead(models.Model):
    """The newest link of one history table's chain. Its row lock serialises appends, so
    two writers at the same moment cannot fork the chain; it also reveals a removed tail."""

    table = models.CharField(max_length=128, unique=True)
    last_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, blank=True, default="")
    length = models.BigIntegerField(default=0)

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


HISTORY_TYPE_ACTIONS = {"+": LogAction.CREATED, "~": LogAction.CHANGED, "-": LogAction.DELETED}


class LogEntry(models.Model):
    """One line of the global audit log, written with every history row of every tracked
    model: who did what to which record, when and why. The history rows themselves stay
    the evidence; this table makes them searchable in one place."""

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

    class Meta:
        db_table = "catalog_logentry"
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.object_repr} {self.action}"
