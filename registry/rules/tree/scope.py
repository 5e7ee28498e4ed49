"""The tree of the organization being acted in (``organizations.rules``): every page, job,
command and API endpoint reads nodes and placements through these, so nothing of another
organization's system is seen or changed."""

from organizations.rules import current_organization
from registry.models import Node, Placement


def nodes(organization=None):
    """The nodes of ``organization``'s system (default: the organization acted in)."""
    return Node.objects.filter(owner=organization or current_organization())


def placements(organization=None):
    return Placement.objects.filter(node__owner=organization or current_organization())


def system_root(organization=None):
    """The root of ``organization``'s system, or None while it has none."""
    return Node.objects.get_root_nodes().filter(
        owner=organization or current_organization()).first()
