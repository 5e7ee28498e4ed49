"""What the lifecycle does when the registry asks: open the revision project a "revise"
decision on the reference watch calls for."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from audit.actions import ActionError
from lifecycle.actions.projects import OpenRevision
from lifecycle.choices import PeriodicConclusion
from lifecycle.models import Department
from lifecycle.rules.projects import revision_problems
from registry.watch import revision_requested


@receiver(revision_requested, dispatch_uid="lifecycle.open_revision_for_flag")
def open_revision_for_flag(sender, standard, reason, user, **kwargs):
    # ActionError (a revision already under way, no node) reaches the decide form.
    try:
        return OpenRevision(user, standard, reason).execute()
    except ActionError as exc:
        # Refused only for a department or level to choose, which the watch page does not
        # offer: say where the revision is opened with them.
        choices = revision_problems(standard)
        if not Department.objects.exists() or exc.messages != [str(message) for message
                                                                in choices.values()]:
            raise
        raise ActionError(format_html(
            _("A revision of {number} needs its department and level chosen, which this page "
              "does not offer: open it from <a href=\"{url}\">the standard's periodic review "
              "page</a> with the conclusion “{revise}”."),
            number=standard.number, revise=PeriodicConclusion.REVISE.label,
            url=reverse("lifecycle:periodicreview_add", args=[standard.pk]))) from exc
