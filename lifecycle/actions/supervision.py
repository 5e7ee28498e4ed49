"""Writes of the supervision area (clause 8.1): recording an implementation check, the
non-conformities it found, correcting either, and closing a corrective action with
evidence. Views, the demo command and the shell all go through these actions."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action
from lifecycle.actions import in_organization
from lifecycle.choices import ActionStatus
from lifecycle.rules.files import detect_format
from lifecycle.rules.supervision import (
    EDITABLE_WHILE_OPEN,
    already_closed_message,
    closed_not_editable_message,
    may_close,
    validate_check_change,
    validate_checked_on,
    validate_due_on,
)


def _on_field(field, check, *args):
    """Run ``check``; its refusal is reported on ``field``."""
    try:
        check(*args)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _clean(instance, exclude=()):
    """The model's own checks (fields and constraints), as ValidationError."""
    instance.full_clean(exclude=list(exclude), validate_unique=False)


class AddCheck(Action):
    """Save a new ImplementationCheck (not yet saved) recorded by the user."""

    permission = "lifecycle.add_implementationcheck"
    permission_message = gettext_lazy("You may not record implementation checks.")
    reason_required = False
    default_reason = gettext_lazy("Implementation check recorded")

    def __init__(self, user, check):
        super().__init__(user)
        self.check_record = check

    def check(self):
        super().check()
        _on_field("checked_on", validate_checked_on, self.check_record.checked_on)
        self.check_record.created_by = self.user
        in_organization(self.check_record)
        _clean(self.check_record)

    def _execute(self):
        return self.save(self.check_record)


class AddNonConformity(Action):
    """Save a new NonConformity (not yet saved) found by ``check``; it starts open."""

    permission = "lifecycle.add_nonconformity"
    permission_message = gettext_lazy("You may not record non-conformities.")
    reason_required = False
    default_reason = gettext_lazy("Non-conformity recorded")

    def __init__(self, user, check, nonconformity):
        super().__init__(user)
        self.check_record, self.nonconformity = check, nonconformity

    def check(self):
        super().check()
        _on_field("due_on", validate_due_on, self.check_record, self.nonconformity.due_on)
        nonconformity = self.nonconformity
        nonconformity.check_record = self.check_record
        nonconformity.status = ActionStatus.OPEN
        nonconformity.evidence, nonconformity.closed_on, nonconformity.closed_by = "", None, None
        _clean(nonconformity, exclude=["file"])

    def _execute(self):
        return self.save(self.nonconformity)


class ChangeCheck(Action):
    """Save corrections to an ImplementationCheck (``check`` carries the new values) with
    the same rules as recording it, and those of its non-conformities."""

    permission = "lifecycle.change_implementationcheck"
    permission_message = gettext_lazy("You may not change implementation checks.")
    reason_error_field = "reason"

    def __init__(self, user, check, reason=""):
        super().__init__(user, reason)
        self.check_record = check

    def check(self):
        super().check()
        _on_field("checked_on", validate_checked_on, self.check_record.checked_on)
        _clean(self.check_record)

    def _execute(self):
        validate_check_change(self.check_record)
        return self.save(self.check_record)


class ChangeNonConformity(Action):
    """Save corrections to an open non-conformity: description, corrective action, owner
    and due date (taken from ``nonconformity``). A closed one is refused (ValidationError
    without a field); the row is locked, so a close at the same moment cannot be lost."""

    permission = "lifecycle.change_nonconformity"
    permission_message = gettext_lazy("You may not change non-conformities.")
    reason_error_field = "reason"

    def __init__(self, user, nonconformity, reason=""):
        super().__init__(user, reason)
        self.nonconformity = nonconformity

    def check(self):
        super().check()
        _on_field("due_on", validate_due_on, self.nonconformity.check_record,
                  self.nonconformity.due_on)

    def _execute(self):
        current = self.lock(self.nonconformity)
        if current.status == ActionStatus.CLOSED:
            raise ValidationError(closed_not_editable_message(current))
        for field in EDITABLE_WHILE_OPEN:
            setattr(current, field, getattr(self.nonconformity, field))
        _clean(current, exclude=["file"])
        return self.save(current)


class CloseNonConformity(Action):
    """Close the corrective action with evidence (required) and an optional evidence file.

    Refuses users other than the owner and the office (PermissionDenied) and an action that
    is already closed (ValidationError). The row is locked while it is checked and saved,
    so two people closing at once cannot both succeed."""

    permission_message = gettext_lazy("Only the owner of the corrective action or the "
                                       "standardization office may close it.")
    reason_required = False
    default_reason = gettext_lazy("Closed with evidence")

    def __init__(self, user, nonconformity, evidence, upload=None):
        super().__init__(user)
        self.nonconformity, self.upload = nonconformity, upload
        self.evidence = (evidence or "").strip()

    def has_permission(self):
        return self.user is not None and may_close(self.nonconformity, self.user)

    def check(self):
        super().check()
        if not self.evidence:
            raise ValidationError(
                {"evidence": _("Describe the evidence that the action is done.")})

    def _execute(self):
        current = self.lock(self.nonconformity)
        if current.status == ActionStatus.CLOSED:
            raise ValidationError(already_closed_message(current))
        if self.upload is not None:
            _on_field("file", lambda: current.attach(self.upload, detect_format(self.upload)))
        current.status = ActionStatus.CLOSED
        current.evidence = self.evidence
        current.closed_on = timezone.localdate()
        current.closed_by = self.user
        return self.save(current)
