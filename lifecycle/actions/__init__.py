"""Every write of the lifecycle, one class per operation, by area (as ``registry.actions``
and Wagtail's ``wagtail/actions/``). Each is an ``audit.actions.Action``: it checks the
permission and the reason, runs atomically, locks the rows it decides on and leaves a
history row carrying the user and the reason. Views, commands and the shell call the same
actions."""

from django.utils.translation import gettext as _

from audit.actions import ActionError
from organizations.rules import current_organization


def in_organization(record, organization=None):
    """A new record belongs to the organization acted in (or ``organization``: its
    parent's). Set here, by the action that creates it, and never by a default on the
    model: a record written where no organization was chosen must fail, not land in one."""
    if record._state.adding and record.organization_id is None:
        organization = organization or current_organization()
        if organization is None:
            raise ActionError(_("No organization is being acted in."))
        record.organization = organization
    return record
