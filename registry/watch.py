"""Raising and deciding review flags (clause 6 of the domain: the reference watch)."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Citation, Standard, Supersession
from registry.models import Placement, ReviewFlag

# Sent by ``decide`` for "revise" with ``standard``, ``reason`` and ``user``; the lifecycle
# answers by opening the revision project and returning it (registry does not import it).
revision_requested = Signal()


def raise_flags(cause, event, user=None):
    """Flag every standard citing ``cause`` and every node it sits on (once while open)."""
    flags = []
    citing = Citation.objects.filter(cited=cause).select_related("citing")
    subjects = [{"standard": link.citing} for link in citing]
    subjects += [{"node": placement.node}
                 for placement in Placement.objects.filter(standard=cause).select_related("node")]
    for subject in subjects:
        if ReviewFlag.objects.filter(cause=cause, decision="", **subject).exists():
            continue
        flag = ReviewFlag(cause=cause, event=event, **subject)
        flag._history_user, flag._change_reason = user, event
        flag.save()
        flags.append(flag)
    return flags


@receiver(post_save, sender=Supersession, dispatch_uid="registry.watch_supersession")
def on_supersession(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        event = _("%(old)s is replaced by %(new)s") % {"old": instance.old.number,
                                                       "new": instance.new.number}
        raise_flags(instance.old, event, getattr(instance, "_history_user", None))


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
        raise_flags(instance, event, getattr(instance, "_history_user", None))


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


def decide(flag, decision, user, note=""):
    """Close a flag, doing what the decision says: replacing makes the citing standard cite
    the successor (or the node hold it), revising opens a revision project of the citing
    standard. Returns that project or None; raises ValueError saying why not."""
    if decision not in dict(choices_for(flag)):
        raise ValueError(_("This decision does not apply here."))
    project = None
    with transaction.atomic():
        if decision == ReviewFlag.Decision.REPLACE:
            successor = flag.cause.replaced_by.order_by("-year").first()
            if flag.standard_id:
                _cite_successor(flag, successor, user, note)
            else:
                _place_successor(flag, successor, user, note)
        elif decision == ReviewFlag.Decision.REVISE:
            answers = revision_requested.send(sender=ReviewFlag, standard=flag.standard,
                                              reason=note or str(flag), user=user)
            project = next((answer for _receiver, answer in answers if answer), None)
            if project is None:
                raise ValueError(_("No revision project could be opened."))
        flag.decision, flag.note = decision, note
        flag.decided_by, flag.decided_at = user, timezone.now()
        flag._history_user, flag._change_reason = user, note or flag.get_decision_display()
        flag.save()
    return project


def _cite_successor(flag, successor, user, note):
    link = Citation.objects.get(citing=flag.standard, cited=flag.cause)
    link._history_user, link._change_reason = user, note or str(flag)
    link.delete()
    if not Citation.objects.filter(citing=flag.standard, cited=successor).exists():
        new = Citation(citing=flag.standard, cited=successor, cited_as=successor.number)
        new._history_user, new._change_reason = user, note or str(flag)
        new.save()


def _place_successor(flag, successor, user, note):
    from registry.actions.placements import PlaceStandard, RemovePlacement

    reason = note or str(flag)
    for placement in Placement.objects.filter(node=flag.node, standard=flag.cause):
        RemovePlacement(user, placement, reason).execute()
    if not Placement.objects.filter(node=flag.node, standard=successor).exists():
        PlaceStandard(user, flag.node, successor, reason).execute()


def sweep(user):
    """Raise the flags the signals above could not: standards replaced or withdrawn by a
    load that bypassed them (fixtures, raw loads, data from before the watch) and never the
    cause of a flag. Run daily by Celery beat (``registry.tasks.sweep_watch``). Returns the
    new flags."""
    flagged = ReviewFlag.objects.values("cause")
    flags = []
    with transaction.atomic():
        for link in (Supersession.objects.exclude(old__in=flagged)
                     .select_related("old", "new").order_by("pk")):
            event = _("%(old)s is replaced by %(new)s") % {"old": link.old.number,
                                                           "new": link.new.number}
            flags += raise_flags(link.old, event, user)
        for standard in (Standard.objects.filter(withdrawn_on__isnull=False)
                         .exclude(pk__in=flagged).order_by("pk")):
            event = _("%(number)s is withdrawn") % {"number": standard.number}
            flags += raise_flags(standard, event, user)
    return flags
