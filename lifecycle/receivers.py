"""What the lifecycle does when the registry asks: open the revision project a "revise"
decision on the reference watch calls for."""

from django.dispatch import receiver

from lifecycle.actions.projects import OpenRevision
from registry.watch import revision_requested


@receiver(revision_requested, dispatch_uid="lifecycle.open_revision_for_flag")
def open_revision_for_flag(sender, standard, reason, user, **kwargs):
    # ActionError (a revision already under way, no node) reaches the decide form.
    return OpenRevision(user, standard, reason).execute()
