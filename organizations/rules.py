"""Which organization a piece of work is done in, and what a user may do there.

The organization a request (or a command) acts in is held in a context variable: the
middleware sets it from the user's choice (remembered in the session), commands from their
``--organization`` option (``acting_in``). Code that scopes records reads
``current_organization()``; the permission backend reads the user's roles there
(``roles_in``). With nothing set — a shell, a test calling an action directly — the default
organization (the one ``seed_system`` keeps, ``REGISTRY_ORGANIZATION``) is meant.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import models
from django.db.models import Expression
from django.utils.translation import gettext as _

from organizations.models import Membership, Organization, Role

_current = ContextVar("registry_organization", default=None)

# A parent organization's administrators and leads read their children's systems.
READS_CHILDREN = frozenset({Role.ADMIN, Role.LEAD})


def default_organization():
    """The organization ``seed_system`` creates (by code, else by name), or None."""
    found = Organization.objects.filter(code=settings.REGISTRY_ORGANIZATION_CODE).first()
    return found or Organization.objects.filter(name=settings.REGISTRY_ORGANIZATION).first()


def current_organization():
    """The organization being acted in: the one set for this request or command, else the
    default organization."""
    organization = _current.get()
    if organization is None:
        organization = default_organization()
    return organization


@contextmanager
def acting_in(organization):
    token = _current.set(organization)
    try:
        yield organization
    finally:
        _current.reset(token)


def set_current(organization):
    """Set for the rest of this context (a request); returns the token to reset with."""
    return _current.set(organization)


def reset_current(token):
    _current.reset(token)


def find_organization(code):
    """An organization by its division code (a command's ``--organization``), with a clear
    message when there is none."""
    found = Organization.objects.filter(code=str(code).strip()).first()
    if found is None:
        raise CommandError(_("No organization has the code %(code)s.") % {"code": code})
    return found


def ancestors(organization, by_id):
    """``organization``'s parents up to the root, nearest first (``by_id``: every
    organization by id, read once)."""
    chain, seen = [], {organization.pk}
    parent_id = organization.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = by_id[parent_id]
        chain.append(parent)
        parent_id = parent.parent_id
    return chain


def descendants(organization, by_id):
    """Every organization beneath ``organization``."""
    children = {}
    for other in by_id.values():
        children.setdefault(other.parent_id, []).append(other)
    found, todo = [], list(children.get(organization.pk, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child.pk, []))
    return found


def memberships_of(user):
    """``{organization id: {role, …}}`` of ``user`` (one query, kept on the user object)."""
    if not hasattr(user, "_organization_roles"):
        roles, organizations = {}, {}
        if user.is_authenticated:
            for membership in Membership.objects.filter(user=user).select_related(
                    "organization"):
                roles.setdefault(membership.organization_id, set()).add(membership.role)
                organizations[membership.organization_id] = membership.organization
        user._organization_roles, user._member_organizations = roles, organizations
    return user._organization_roles


def forget_memberships(user):
    """Read ``user``'s memberships again on next use (after giving or taking a role)."""
    for name in ("_organization_roles", "_member_organizations", "_perms_by_organization"):
        user.__dict__.pop(name, None)


def organization_for_request(user, wanted_id):
    """The organization a request of ``user`` acts in: ``wanted_id`` (their choice, kept in
    the session) when they may act there, else the first they hold a role in (by code),
    else the default organization. Costs one query when the choice is theirs."""
    if not user.is_authenticated:
        return default_organization()
    held = memberships_of(user)
    if wanted_id in held:
        return user._member_organizations[wanted_id]
    if wanted_id is not None and (user.is_superuser or any(
            roles & READS_CHILDREN for roles in held.values())):
        for organization in organizations_for(user):
            if organization.pk == wanted_id:
                return organization
    if held:
        return min(user._member_organizations.values(), key=lambda o: o.code)
    return default_organization()


def roles_in(user, organization):
    """The roles ``user`` acts with in ``organization``: their own there, else — as an
    administrator or lead of an ancestor — a viewer's."""
    if organization is None or not user.is_authenticated:
        return set()
    held = memberships_of(user)
    if held.get(organization.pk):
        return set(held[organization.pk])
    readers = {pk for pk, roles in held.items() if roles & READS_CHILDREN}
    if readers and organization.parent_id is not None:
        by_id = {o.pk: o for o in Organization.objects.all()}
        if any(parent.pk in readers for parent in ancestors(organization, by_id)):
            return {Role.VIEWER.value}
    return set()


def has_role(user, role, organization=None):
    """Whether ``user`` holds ``role`` in ``organization`` (default: the current one)."""
    organization = organization or current_organization()
    return organization is not None and role in memberships_of(user).get(organization.pk, ())


def organizations_for(user):
    """The organizations ``user`` may act in, in code order: their memberships and, where
    they administer or lead, the organizations beneath (read only). A superuser: all."""
    everything = list(Organization.objects.all())
    if user.is_superuser:
        return everything
    by_id = {o.pk: o for o in everything}
    held = memberships_of(user)
    allowed = set(held)
    for pk, roles in held.items():
        if roles & READS_CHILDREN and pk in by_id:
            allowed.update(child.pk for child in descendants(by_id[pk], by_id))
    return [o for o in everything if o.pk in allowed]


def members(role, organization=None):
    """The active users holding ``role`` in ``organization`` (default: the current one)."""
    organization = organization or current_organization()
    return get_user_model().objects.filter(
        is_active=True, memberships__organization=organization, memberships__role=role,
    ).distinct()



def administered(user):
    """The ids of the organizations ``user`` manages (memberships, organizations beneath):
    a superuser's all; an administrator's where they are one and beneath. One query."""
    if not user.is_authenticated or not user.is_active:
        return set()
    by_id = {o.pk: o for o in Organization.objects.all()}
    if user.is_superuser:
        return set(by_id)
    admin_in = {pk for pk, roles in memberships_of(user).items()
                if Role.ADMIN in roles and pk in by_id}
    return admin_in | {child.pk for pk in admin_in for child in descendants(by_id[pk], by_id)}


def can_administer(user, organization):
    """Whether ``user`` may manage ``organization``'s memberships and add organizations
    beneath it: a superuser, or an administrator there or in an organization above it."""
    return organization.pk in administered(user)


class CurrentOrganizationId(Expression):
    """The id of the organization acted in, read when the SQL is compiled."""

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection):
        organization = current_organization()
        # No organization at all (an empty database): match nothing rather than everything.
        return "%s", [organization.pk if organization is not None else -1]

    def __repr__(self):
        return "CurrentOrganizationId()"
