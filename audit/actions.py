from abc import ABC, abstractmethod

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


class ActionError(ValidationError):
    """The action cannot be done as asked; the message says why, in the user's language."""


class Action(ABC):
    """Check, then execute atomically. Subclasses set ``permission`` and implement ``_execute``.

    A reason is required unless the subclass sets ``reason_required = False`` (adding a
    record, where the reason is optional)."""

    permission = None
    reason_required = True

    def __init__(self, user, reason=""):
        self.user = user
        self.reason = (reason or "").strip()

    def check(self):
        if self.user is None or not self.user.has_perm(self.permission):
            raise PermissionDenied(_("You do not have permission to do this."))
        if self.reason_required and not self.reason:
            raise ActionError(_("Give a short reason for this change."))

    def execute(self):
        self.check()
        with transaction.atomic():
            return self._execute()

    @abstractmethod
    def _execute(self):
        """Do the change; runs inside the transaction, after ``check()``."""

    def record(self, instance, action=None):
        """Attach user, reason and (optionally) the audit action to the history row the next
        save or delete writes."""
        instance._history_user = self.user
        instance._change_reason = self.reason
        if action:
            instance._audit_action = action
        return instance
