"""The tree of the organization being acted in (``organizations.rules``): every page, job,
command and API endpoint reads nodes and placements through these, so nothing of another
organization's system is seen or changed."""

from organizations.rules import CurrentOrganizationId, current_organization
from registry.models import Node, Placement


def nodes(organization=None):
    """The nodes of ``organization``'s system (default: the organization acted in, read
    when the query runs)."""
    if organization is not None:
        return Node.objects.filter(owner=organization)
    return Node.objects.filter(owner_id=CurrentOrganizationId())


def placements(organization=None):
    if organization is not None:
        return Placement.objects.filter(node__owner=organization)
    return Placement.objects.filter(node__owner_id=CurrentOrganizationId())


def system_root(organization=None):
    """The root of ``organization``'s system, or None while it has none."""
    return Node.objects.get_root_nodes().filter(
        owner=organization or current_organization()).first()
