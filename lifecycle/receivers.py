"""What the lifecycle does when the registry asks: open the revision project a "revise"
decision on the reference watch calls for."""

from django.dispatch import receiver

from lifecycle.rules.projects import open_revision
from registry.watch import revision_requested


@receiver(revision_requested, dispatch_uid="lifecycle.open_revision_for_flag")
def open_revision_for_flag(sender, standard, reason, user, **kwargs):
    # ValueError (a revision already under way, no node) reaches the decide form.
    return open_revision(standard, reason, user)
