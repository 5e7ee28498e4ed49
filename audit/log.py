"""Writes the global audit log line for every history row of every tracked model."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from audit.chained import ChainedHistory
from audit.models import HISTORY_TYPE_ACTIONS, LogEntry


@receiver(post_create_historical_record, dispatch_uid="audit.write_log_entry")
def write_log_entry(sender, instance, history_instance, **kwargs):
    if not isinstance(history_instance, ChainedHistory):
        return
    # An action may name what it did more precisely than "changed" (moved, reordered...).
    action = getattr(instance, "_audit_action", None) or HISTORY_TYPE_ACTIONS[
        history_instance.history_type
    ]
    scope_id, scope_path = getattr(history_instance, "_audit_scope", (None, ""))
    # A change made through the API names the token it was made with (audit/api/auth.py).
    request = getattr(HistoricalRecords.context, "request", None)
    token = getattr(request, "api_token", None)
    LogEntry.objects.create(
        timestamp=history_instance.history_date,
        user_id=history_instance.history_user_id,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk if instance.pk is not None else history_instance.id,
        object_repr=str(instance)[:255],
        reason=history_instance.history_change_reason or "",
        history_id=history_instance.pk,
        scope_id=scope_id,
        scope_path=scope_path,
        api_token=token.name if token is not None else None,
    )
