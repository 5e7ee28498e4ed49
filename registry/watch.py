"""Raising and deciding review flags (clause 6 of the domain: the reference watch)."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Citation, Standard, Supersession
from registry.models import Placement, ReviewFlag


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


def decide(flag, decision, user, note=""):
    """Close a flag. Replacing the reference makes the citing standard cite the successor."""
    with transaction.atomic():
        if decision == ReviewFlag.Decision.REPLACE:
            if not flag.standard_id:
                raise ValueError(_("Only a citing standard can replace its reference."))
            successor = flag.cause.replaced_by.order_by("-year").first()
            if successor is None:
                raise ValueError(_("%(number)s has no successor to cite instead.")
                                 % {"number": flag.cause.number})
            link = Citation.objects.get(citing=flag.standard, cited=flag.cause)
            link._history_user, link._change_reason = user, note or str(flag)
            link.delete()
            if not Citation.objects.filter(citing=flag.standard, cited=successor).exists():
                new = Citation(citing=flag.standard, cited=successor, cited_as=successor.number)
                new._history_user, new._change_reason = user, note or str(flag)
                new.save()
        flag.decision, flag.note = decision, note
        flag.decided_by, flag.decided_at = user, timezone.now()
        flag._history_user, flag._change_reason = user, note or flag.get_decision_display()
        flag.save()
    return flag
