"""Writes of organizations and memberships, one action each (audit.actions)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action, DeleteInstance, SaveInstance
from organizations.models import Membership, Organization
from organizations.rules import ancestors, can_administer


class SaveOrganization(SaveInstance):
    """Add or change an organization. Its administrators (or those of an organization above)
    change it; an organization is added beneath one the user administers (a superuser may
    add one at the top). A parent may not be the organization itself or one of its own
    descendants (the organizations form a tree)."""

    default_reason = gettext_lazy("Organization added")

    def __init__(self, user, instance, reason="", *, by_operator=False):
        super().__init__(user, instance, reason)
        # The operator's command (create_organization) needs no role: it runs on the server.
        self.by_operator = by_operator

    def has_permission(self):
        if self.by_operator:
            return self.user is not None
        organization = self.instance
        if organization.pk:
            return can_administer(self.user, Organization.objects.get(pk=organization.pk))
        if organization.parent_id is None:
            return bool(self.user and self.user.is_superuser)
        return can_administer(self.user, organization.parent)

    def _execute(self):
        organization = self.instance
        organization.full_clean()
        if organization.pk and organization.parent_id:
            by_id = {o.pk: o for o in Organization.objects.all()}
            by_id[organization.pk] = organization
            if organization.parent_id == organization.pk or organization.pk in {
                    parent.pk for parent in ancestors(by_id[organization.parent_id], by_id)}:
                raise ValidationError({"parent": _(
                    "An organization cannot be placed beneath itself or one of its own "
                    "children.")})
        return self.save(organization)


class AddMembership(Action):
    """Give ``person`` ``role`` in ``organization`` (nothing happens when they hold it):
    by its administrators or those of an organization above it."""

    default_reason = gettext_lazy("Role given")
    reason_required = False

    def __init__(self, user, person, organization, role, reason=""):
        super().__init__(user, reason)
        self.person, self.organization, self.role = person, organization, role

    def has_permission(self):
        return can_administer(self.user, self.organization)

    def _execute(self):
        found = Membership.objects.filter(user=self.person, organization=self.organization,
                                          role=self.role).first()
        if found:
            return found
        membership = Membership(user=self.person, organization=self.organization,
                                role=self.role)
        membership.full_clean()
        return self.save(membership)


class DeleteMembership(DeleteInstance):
    """Take a role in an organization away from a user (as ``AddMembership`` gives one)."""

    def has_permission(self):
        return can_administer(self.user, self.instance.organization)


class SeedDefaultOrganization(Action):
    """The organization ``seed_system`` keeps (``REGISTRY_ORGANIZATION``, its code
    ``REGISTRY_ORGANIZATION_CODE``): found by code or name, else created."""

    permission = None
    reason_required = False
    default_reason = gettext_lazy("Default organization created")

    def __init__(self, user, name=None, code=None, name_en=None):
        super().__init__(user)
        self.name = name or settings.REGISTRY_ORGANIZATION
        self.code = code or settings.REGISTRY_ORGANIZATION_CODE
        self.name_en = settings.REGISTRY_ORGANIZATION_EN if name_en is None else name_en

    def _execute(self):
        found = (Organization.objects.filter(code=self.code).first()
                 or Organization.objects.filter(name=self.name).first())
        if found:
            return found
        return self.save(Organization(name=self.name, name_en=self.name_en, code=self.code))
