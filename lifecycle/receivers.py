"""Signal receivers, connected by ``LifecycleConfig.ready``: what the lifecycle does when the
registry asks (open the revision project a "revise" decision on the reference watch calls
for), and the notice of a committed transition, handed from the action to the tasks."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from audit.actions import ActionError
from lifecycle.actions.projects import OpenRevision, transition_taken
from lifecycle.choices import FINAL_STAGES, PeriodicConclusion
from lifecycle.models import Department
from lifecycle.rules.projects import revision_problems
from lifecycle.tasks import queue_transition
from registry.rules.watch import revision_requested


@receiver(revision_requested, dispatch_uid="lifecycle.open_revision_for_flag")
def open_revision_for_flag(sender, standard, reason, user, **kwargs):
    """The revision a "revise" decision asks for: the one already under way (opened from the
    periodic review page, say: the decision then joins it), else a new one when nothing is
    left to choose. OpenRevision's refusals (no node, no department) reach the decide form."""
    under_way = standard.revisions.exclude(stage__in=FINAL_STAGES).first()
    if under_way is not None:
        return under_way
    # The watch page offers no department or level: a choice to make sends the user to the
    # page that offers them.
    if Department.objects.exists() and revision_problems(standard):
        raise ActionError(format_html(
            _("A revision of {number} needs its department and level chosen, which this page "
              "does not offer: open it from <a href=\"{url}\">the standard's periodic review "
              "page</a> with the conclusion “{revise}”."),
            number=standard.number, revise=PeriodicConclusion.REVISE.label,
            url=reverse("lifecycle:periodicreview_add", args=[standard.pk])))
    return OpenRevision(user, standard, reason).execute()


@receiver(transition_taken, dispatch_uid="lifecycle.queue_transition_notice")
def queue_transition_notice(sender, project_id, event_id, **kwargs):
    """Once a transition is committed: its notice, by the worker."""
    queue_transition(project_id, event_id)
