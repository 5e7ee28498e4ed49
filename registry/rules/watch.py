"""The reference watch's rules (clause 6 of the domain): which decisions a flag offers, and
the signal by which a "revise" decision asks for a revision. The flags are raised and
decided by actions (``registry.actions.watch``)."""

from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext as _

from organizations.rules import CurrentOrganizationId
from registry.models import ReviewFlag

# Sent by ``registry.actions.watch.DecideReviewFlag`` for "revise" with ``standard``,
# ``reason`` and ``user``; the lifecycle answers by opening the revision project and
# returning it (registry does not import it).
revision_requested = Signal()


def visible_flags():
    """The flags of the organization acted in (read when the query runs): those on its own
    nodes, and those on a standard it sees (a shared one, or its own Q/ standard)."""
    here = CurrentOrganizationId()
    return ReviewFlag.objects.filter(
        Q(node__owner_id=here)
        | Q(node__isnull=True) & (Q(standard__owner__isnull=True) | Q(standard__owner_id=here)))


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
