"""The base of every write: one class per operation (as Wagtail's ``wagtail/actions/``).

``execute()`` checks (permission, reason — given where needed, without control or invisible
characters —, the action's own refusals), then runs
``_execute()`` inside ``transaction.atomic()``. The history stamp (the user and the reason
on the history row the next save or delete writes), the row lock and the log's action name
live here, so no operation writes them again.
"""

from abc import ABC, abstractmethod

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.text import refuse_invisible_characters_in_lines

# Said by check() and by the forms' ReasonField, which sit above the actions.
REASON_REQUIRED = gettext_lazy("Give a short reason for this change.")


class ActionError(ValidationError):
    """The action cannot be done as asked; the message says why, in the user's language."""


class Action(ABC):
    """Check, then execute atomically.

    Subclasses set:

    - ``permission``: a permission name, a tuple of names (all needed) or None (no model
      permission; override ``has_permission`` for an object-level rule);
    - ``permission_message``: what a refused user is told;
    - ``reason_required``: False where the change is its own reason; a blank reason then
      becomes ``default_reason``;
    - ``reason_error_field``: the form field a missing reason is reported on (None: the
      whole form);

    and implement ``_execute``. ``check()`` may be extended with the action's own
    refusals (``super().check()`` first)."""

    permission = None
    permission_message = None
    reason_required = True
    default_reason = ""
    reason_error_field = None

    def __init__(self, user, reason=""):
        self.user = user
        self.reason = (reason or "").strip()

    def has_permission(self):
        if self.user is None:
            return False
        if self.permission is None:
            return True
        wanted = (self.permission,) if isinstance(self.permission, str) else self.permission
        return self.user.has_perms(wanted)

    def check(self):
        if not self.has_permission():
            raise PermissionDenied(self.permission_message
                                   or _("You do not have permission to do this."))
        if not self.reason:
            if self.reason_required:
                message = str(REASON_REQUIRED)
                raise ActionError({self.reason_error_field: message}
                                  if self.reason_error_field else message)
            self.reason = str(self.default_reason)
        # Whatever called the action (a page, the API, a command), the reason goes into the
        # append-only log: a control character there would break its exports for good.
        try:
            refuse_invisible_characters_in_lines(self.reason)
        except ValidationError as exc:
            raise ActionError({self.reason_error_field: exc.messages}
                              if self.reason_error_field else exc.messages) from exc

    def execute(self):
        self.check()
        with transaction.atomic():
            return self._execute()

    @abstractmethod
    def _execute(self):
        """Do the change; runs inside the transaction, after ``check()``."""

    def record(self, instance, action=None):
        """Attach user, reason and (optionally) the audit action to the history row the next
        save or delete writes: the only place the stamp is set (a test checks that no code
        outside ``audit/`` sets it). ``_running_action`` tells signal receivers which action
        made the change (the reference watch raises its flags in that user's name)."""
        instance._history_user = self.user
        instance._change_reason = self.reason
        instance._running_action = self
        if action:
            instance._audit_action = action
        return instance

    def save(self, instance, action=None):
        """Save ``instance`` with the user and the reason on its history row."""
        self.record(instance, action).save()
        return instance

    def delete(self, instance, action=None):
        """Delete ``instance``; its history row keeps the user and the reason."""
        self.record(instance, action).delete()

    @staticmethod
    def lock(instance):
        """The row of ``instance`` as it is now, locked until the transaction ends
        (``select_for_update``): a second writer waits, then sees this one's change."""
        return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


class SaveInstance(Action):
    """Add or change one record: needs the add or change permission of its model, and a
    reason when changing (adding is its own reason: ``default_reason``). Subclasses apply
    their rules in ``_execute`` and save with ``self.save(self.instance)``."""

    default_reason = ""

    def __init__(self, user, instance, reason=""):
        super().__init__(user, reason)
        self.instance = instance
        opts = instance._meta
        verb = "change" if instance.pk else "add"
        self.permission = f"{opts.app_label}.{verb}_{opts.model_name}"
        self.reason_required = bool(instance.pk) and not self.default_reason_on_change

    # A change made through a form without a reason field (a comment's disposition, say)
    # names its own reason: set this to True and give ``default_reason``.
    default_reason_on_change = False

    def _execute(self):
        return self.save(self.instance)


class DeleteInstance(Action):
    """Delete one record: needs the delete permission of its model and a reason."""

    def __init__(self, user, instance, reason=""):
        super().__init__(user, reason)
        self.instance = instance
        opts = instance._meta
        self.permission = f"{opts.app_label}.delete_{opts.model_name}"

    def _execute(self):
        self.delete(self.instance)
        return self.instance
