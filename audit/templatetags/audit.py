from django import template
from django.urls import reverse

from audit.models import ACCOUNT_ACTIONS

register = template.Library()


@register.filter
def history_url(obj):
    """The history page of any tracked record."""
    return reverse("audit:record_history", args=[obj._meta.label_lower, obj.pk])


@register.simple_tag
def entry_history_url(entry):
    """The history page of the record an audit log entry is about ("" for an account's
    security event, which has no history page)."""
    if entry.action in ACCOUNT_ACTIONS:
        return ""
    label = f"{entry.content_type.app_label}.{entry.content_type.model}"
    return reverse("audit:record_history", args=[label, entry.object_id])


@register.filter
def verbose_name(model):
    return model._meta.verbose_name if model else ""
