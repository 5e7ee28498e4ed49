"""Writes the global audit log line for every history row of every tracked model, with the
organization whose record it is, and reads back the lines an organization may see."""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
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
        organization_id=organization_of(instance),
    )


# A declared path may end in COMMON: a record without an organization there is common to
# all (a published standard), not one written before organizations existed.
COMMON = "common"


@cache
def _declared():
    """``{model label: (attribute path, common)}`` from each app's ``log_organizations``
    (``{model name: "owner_id" | "node.owner_id" | ("owner_id", COMMON)}``)."""
    found = {}
    for config in apps.get_app_configs():
        for model_name, path in getattr(config, "log_organizations", {}).items():
            path, common = (path if isinstance(path, tuple) else (path, None))
            found[f"{config.label}.{model_name}"] = (path, common == COMMON)
    return found


def organization_of(instance):
    """The id of the organization ``instance`` belongs to, or None (common, or not
    declared by its app)."""
    declared = _declared().get(instance._meta.label_lower)
    if declared is None:
        return None
    value = instance
    try:
        for part in declared[0].split("."):
            value = getattr(value, part)
            if value is None:
                return None
    except ObjectDoesNotExist:  # a link whose record went first
        return None
    return value


def visible_entries(organization):
    """Which log entries someone acting in ``organization`` may read: that organization's,
    the common records', and — for the organization the registry was installed for — the
    entries written before organizations existed (all of them were its own)."""
    if organization is None:
        return Q(pk__in=[])
    scoped = [ContentType.objects.get_for_model(apps.get_model(label)).pk
              for label, (_path, common) in _declared().items() if not common]
    visible = Q(organization_id=organization.pk) | Q(
        organization_id__isnull=True) & ~Q(content_type_id__in=scoped)
    if organization.code == settings.REGISTRY_ORGANIZATION_CODE:
        visible |= Q(organization_id__isnull=True)
    return visible


def may_read(record, organization):
    """Whether the history of ``record`` (a model instance, or a historical row's
    ``instance``) is readable in ``organization``."""
    declared = _declared().get(record._meta.label_lower)
    if declared is None:
        return True
    owner = organization_of(record)
    if owner is None:
        return declared[1] or (organization is not None and
                               organization.code == settings.REGISTRY_ORGANIZATION_CODE)
    return organization is not None and owner == organization.pk
