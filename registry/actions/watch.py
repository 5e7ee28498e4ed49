"""The reference watch's writes (clause 6 of the domain): raising review flags when a
standard is superseded or withdrawn (from the receivers below, in the name of whoever saved
it, and from the daily sweep), and deciding a flag."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action, ActionError
from catalog.models import Citation, Standard, Supersession
from registry.actions.tree import PlaceStandard, RemovePlacement
from registry.models import Placement, ReviewFlag
from registry.rules.watch import choices_for, revision_requested


class RaiseReviewFlags(Action):
    """Flag every standard citing ``cause`` and every node it sits on (once while open);
    ``event`` says what happened and is the flags' reason. Returns the new flags.

    The flags follow from a change already made and checked (or from the daily sweep), so
    they need no permission of their own; ``user`` is who made that change (None when it
    was made outside any action, as by a raw load)."""

    def __init__(self, user, cause, event):
        super().__init__(user, event)
        self.cause = cause

    def has_permission(self):
        return True  # no permission of its own (see above), with or without a user

    def _execute(self):
        cause = self.cause
        citing = Citation.objects.filter(cited=cause).select_related("citing")
        subjects = [{"standard": link.citing} for link in citing]
        subjects += [{"node": placement.node} for placement
                     in Placement.objects.filter(standard=cause).select_related("node")]
        flags = []
        for subject in subjects:
            if ReviewFlag.objects.filter(cause=cause, decision="", **subject).exists():
                continue
            flags.append(self.save(ReviewFlag(cause=cause, event=self.reason, **subject)))
        return flags


class DecideReviewFlag(Action):
    """Close ``flag`` with ``decision`` and the ``note`` (the reason): replacing makes the
    citing standard cite the successor (or the node hold it), revising opens a revision
    project of the citing standard. Returns that project or None."""

    permission = "registry.change_reviewflag"

    def __init__(self, user, flag, decision, note):
        super().__init__(user, note)
        self.flag, self.decision = flag, decision

    def check(self):
        super().check()
        if self.decision not in dict(choices_for(self.flag)):
            raise ActionError(_("This decision does not apply here."))

    def _execute(self):
        flag, project = self.lock(self.flag), None
        if flag.decision:
            raise ActionError(_("This flag has been decided meanwhile."))
        if self.decision == ReviewFlag.Decision.REPLACE:
            successor = flag.cause.replaced_by.order_by("-year").first()
            if flag.standard_id:
                self._cite_successor(flag, successor)
            else:
                self._place_successor(flag, successor)
        elif self.decision == ReviewFlag.Decision.REVISE:
            answers = revision_requested.send(sender=ReviewFlag, standard=flag.standard,
                                              reason=self.reason, user=self.user)
            project = next((answer for _receiver, answer in answers if answer), None)
            if project is None:
                raise ActionError(_("No revision project could be opened."))
        flag.decision, flag.note = self.decision, self.reason
        flag.decided_by, flag.decided_at = self.user, timezone.now()
        self.save(flag)
        self.flag.refresh_from_db()
        return project

    def _cite_successor(self, flag, successor):
        self.delete(Citation.objects.get(citing=flag.standard, cited=flag.cause))
        if not Citation.objects.filter(citing=flag.standard, cited=successor).exists():
            self.save(Citation(citing=flag.standard, cited=successor,
                               cited_as=successor.number))

    def _place_successor(self, flag, successor):
        for placement in Placement.objects.filter(node=flag.node, standard=flag.cause):
            RemovePlacement(self.user, placement, self.reason).execute()
        if not Placement.objects.filter(node=flag.node, standard=successor).exists():
            PlaceStandard(self.user, flag.node, successor, self.reason).execute()


# --- when flags are raised ----------------------------------------------------------------

def _raise_flags(instance, cause, event):
    """Raise the flags in the name of whoever saved ``instance``: the action that saved it
    left itself on it (``audit.actions.Action.record``); a save outside any action (a raw
    load, a test's fixture) raises them without a user."""
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
            flags += RaiseReviewFlags(user, link.old, event).execute()
        for standard in (Standard.objects.filter(withdrawn_on__isnull=False)
                         .exclude(pk__in=flagged).order_by("pk")):
            event = _("%(number)s is withdrawn") % {"number": standard.number}
            flags += RaiseReviewFlags(user, standard, event).execute()
    return flags
