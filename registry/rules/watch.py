"""The reference watch (clause 6 of the domain): when review flags are raised, and which
decisions a flag offers. The writes are actions (``registry.actions.watch``)."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver
from django.utils.translation import gettext as _

from catalog.models import Standard, Supersession
from registry.models import ReviewFlag

# Sent by ``registry.actions.watch.DecideReviewFlag`` for "revise" with ``standard``,
# ``reason`` and ``user``; the lifecycle answers by opening the revision project and
# returning it (registry does not import it).
revision_requested = Signal()


def _raise_flags(instance, cause, event):
    """Raise the flags in the name of whoever saved ``instance``: the action that saved it
    left itself on it (``audit.actions.Action.record``); a save outside any action (a raw
    load, a test's fixture) raises them without a user."""
    from registry.actions.watch import RaiseReviewFlags

    action = getattr(instance, "_running_action", None)
    return RaiseReviewFlags(action.user if action else None, cause, event).execute()


@receiver(post_save, sender=Supersession, dispatch_uid="registry.watch_supersession")
def on_supersession(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        event = _("%(old)s is replaced by %(new)s") % {"old": instance.old.number,
                                                       "new": instance.new.number}
        _raise_flags(instance, instance.old, event)


@receiver(pre_save, sender=Standard, dispatch_uid="registry.watch_withdrawal_before")
def remember_withdrawal(sender, instance, raw=False, **kwargs):
    instance._withdrawn_before = (
        Standard.objects.filter(pk=instance.pk).values_list("withdrawn_on", flat=True).first()
        if instance.pk and not raw else None
    )


@receiver(post_save, sender=Standard, dispatch_uid="registry.watch_withdrawal")
def on_withdrawal(sender, instance, created, raw=False, **kwargs):
    if raw or not instance.withdrawn_on:
        return
    if getattr(instance, "_withdrawn_before", None) != instance.withdrawn_on:
        event = _("%(number)s is withdrawn") % {"number": instance.number}
        _raise_flags(instance, instance, event)


def choices_for(flag):
    """The decisions that make sense for ``flag``: a citing standard may confirm, cite the
    successor instead (when there is one) or be revised; a node may keep its standard or
    hold the successor instead (when there is one)."""
    Decision = ReviewFlag.Decision
    has_successor = flag.cause.replaced_by.exists()
    if flag.standard_id:
        wanted = [Decision.CONFIRM, *([Decision.REPLACE] if has_successor else []),
                  Decision.REVISE]
    else:
        wanted = [Decision.CONFIRM, *([Decision.REPLACE] if has_successor else [])]
    labels = dict(Decision.choices)
    if not flag.standard_id:
        labels[Decision.REPLACE] = _("Place its successor on this node instead")
    return [(value, labels[value]) for value in wanted]


def sweep(user):
    """Raise the flags the signals above could not: standards replaced or withdrawn by a
    load that bypassed them (fixtures, raw loads, data from before the watch) and never the
    cause of a flag. Run daily by Celery beat (``registry.tasks.sweep_watch``). Returns the
    new flags."""
    from registry.actions.watch import RaiseReviewFlags  # as in _raise_flags

    flagged = ReviewFlag.objects.values("cause")
    flags = []
    with transaction.atomic():
        for link in (Supersession.objects.exclude(old__in=flagged)
                     .select_related("old", "new").order_by("pk")):
            event = _("%(old)s is replaced by %(new)s") % {"old": link.old.number,
                                                           "new": link.new.number}
            flags += RaiseReviewFlags(user, link.old, event).execute()
        for standard in (Standard.objects.filter(withdrawn_on__isnull=False)
                         .exclude(pk__in=flagged).order_by("pk")):
            event = _("%(number)s is withdrawn") % {"number": standard.number}
            flags += RaiseReviewFlags(user, standard, event).execute()
    return flags
