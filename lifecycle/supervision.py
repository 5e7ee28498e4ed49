"""Clause 8.1 rules: recording an implementation check, the non-conformities it found and
closing each corrective action with evidence.

Views, the demo command and the shell all go through these functions. Each saves one row
at a time with the user and the reason on its history row, inside a transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lifecycle.choices import ActionStatus, CheckResult
from lifecycle.models import NonConformity


def _recorded(instance, user, reason):
    instance._history_user, instance._change_reason = user, reason
    return instance


# --- the rules, shared by the forms and the functions below ----------------------------------

def validate_checked_on(day):
    """A check is recorded after it took place, never ahead of time."""
    if day and day > timezone.localdate():
        raise ValidationError(_("The check date cannot be in the future."))


def validate_due_on(check, day):
    """A corrective action cannot be due before the check that found it."""
    if day and check.checked_on and day < check.checked_on:
        raise ValidationError(
            _("The due date cannot be before the check date (%(day)s).")
            % {"day": check.checked_on.isoformat()}
        )


def may_record(user):
    return user.has_perm("lifecycle.add_implementationcheck")


def may_close(nonconformity, user):
    """The owner of the corrective action closes it, whatever their role; so may the
    standardization office and admins."""
    if not user.is_active:
        return False
    return (nonconformity.owner_id == user.pk
            or user.has_perm("lifecycle.change_nonconformity"))


def overdue_filter(overdue=True, today=None):
    """Open corrective actions past their due date (``overdue``), or open ones due today
    or later (not yet due)."""
    today = today or timezone.localdate()
    due = Q(due_on__lt=today) if overdue else Q(due_on__gte=today)
    return Q(status=ActionStatus.OPEN) & due


def _clean(instance, exclude=()):
    """The model's own checks (fields and constraints), as ValidationError."""
    instance.full_clean(exclude=list(exclude), validate_unique=False)


# --- recording ------------------------------------------------------------------------------

def record_check(check, user):
    """Save a new ImplementationCheck (not yet saved) recorded by ``user``."""
    if not may_record(user):
        raise PermissionDenied(_("You may not record implementation checks."))
    try:
        validate_checked_on(check.checked_on)
    except ValidationError as exc:
        raise ValidationError({"checked_on": exc.messages}) from exc
    check.created_by = user
    _clean(check)
    with transaction.atomic():
        _recorded(check, user, _("Implementation check recorded")).save()
    return check


def add_nonconformity(check, nonconformity, user):
    """Save a new NonConformity (not yet saved) found by ``check``; it starts open."""
    if not user.has_perm("lifecycle.add_nonconformity"):
        raise PermissionDenied(_("You may not record non-conformities."))
    try:
        validate_due_on(check, nonconformity.due_on)
    except ValidationError as exc:
        raise ValidationError({"due_on": exc.messages}) from exc
    nonconformity.check_record = check
    nonconformity.status = ActionStatus.OPEN
    nonconformity.evidence, nonconformity.closed_on, nonconformity.closed_by = "", None, None
    _clean(nonconformity, exclude=["file"])
    with transaction.atomic():
        _recorded(nonconformity, user, _("Non-conformity recorded")).save()
    return nonconformity


# --- correcting mistakes ---------------------------------------------------------------------

def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a short reason for this change.")})
    return reason


def validate_check_change(check):
    """A corrected check keeps the rules of its non-conformities: none may be due before
    the check date, and a check that has non-conformities is not "conforming"."""
    if not check.pk:
        return
    recorded = NonConformity.objects.filter(check_record=check)
    first_due = recorded.order_by("due_on").values_list("due_on", flat=True).first()
    errors = {}
    if first_due and check.checked_on and check.checked_on > first_due:
        errors["checked_on"] = [_(
            "A corrective action of this check is due on %(day)s; the check date cannot be "
            "after it.") % {"day": first_due.isoformat()}]
    if check.result == CheckResult.CONFORMING and recorded.exists():
        errors["result"] = [_("Non-conformities are recorded for this check, so it cannot be "
                              "conforming.")]
    if errors:
        raise ValidationError(errors)


def change_check(check, user, reason):
    """Save corrections to an ImplementationCheck (``check`` carries the new values) with
    the same rules as recording it, and those of its non-conformities."""
    if not user.has_perm("lifecycle.change_implementationcheck"):
        raise PermissionDenied(_("You may not change implementation checks."))
    reason = _reason(reason)
    try:
        validate_checked_on(check.checked_on)
    except ValidationError as exc:
        raise ValidationError({"checked_on": exc.messages}) from exc
    _clean(check)
    with transaction.atomic():
        validate_check_change(check)
        _recorded(check, user, reason).save()
    return check


EDITABLE_WHILE_OPEN = ("description", "action", "owner", "due_on")


def change_nonconformity(nonconformity, user, reason):
    """Save corrections to an open non-conformity: description, corrective action, owner
    and due date (taken from ``nonconformity``). A closed one is refused (ValidationError
    without a field); the row is locked, so a close at the same moment cannot be lost."""
    if not user.has_perm("lifecycle.change_nonconformity"):
        raise PermissionDenied(_("You may not change non-conformities."))
    reason = _reason(reason)
    try:
        validate_due_on(nonconformity.check_record, nonconformity.due_on)
    except ValidationError as exc:
        raise ValidationError({"due_on": exc.messages}) from exc
    with transaction.atomic():
        current = NonConformity.objects.select_for_update().get(pk=nonconformity.pk)
        if current.status == ActionStatus.CLOSED:
            raise ValidationError(closed_not_editable_message(current))
        for field in EDITABLE_WHILE_OPEN:
            setattr(current, field, getattr(nonconformity, field))
        _clean(current, exclude=["file"])
        _recorded(current, user, reason).save()
    return current


def closed_not_editable_message(nonconformity):
    return _("%(closed)s A closed corrective action cannot be changed.") % {
        "closed": already_closed_message(nonconformity)}


def close_nonconformity(nonconformity, user, evidence, upload=None):
    """Close the corrective action with evidence (required) and an optional evidence file.

    Refuses users other than the owner and the office (PermissionDenied) and an action that
    is already closed (ValidationError). The row is locked while it is checked and saved,
    so two people closing at once cannot both succeed."""
    if not may_close(nonconformity, user):
        raise PermissionDenied(_("Only the owner of the corrective action or the "
                                 "standardization office may close it."))
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": _("Describe the evidence that the action is done.")})
    with transaction.atomic():
        current = NonConformity.objects.select_for_update().get(pk=nonconformity.pk)
        if current.status == ActionStatus.CLOSED:
            raise ValidationError(already_closed_message(current))
        if upload is not None:
            try:
                current.attach(upload)
            except ValidationError as exc:
                raise ValidationError({"file": exc.messages}) from exc
        current.status = ActionStatus.CLOSED
        current.evidence = evidence
        current.closed_on = timezone.localdate()
        current.closed_by = user
        _recorded(current, user, _("Closed with evidence")).save()
    return current


def already_closed_message(nonconformity):
    closer = nonconformity.closed_by
    name = (closer.get_full_name() or closer.get_username()) if closer else "—"
    return _("This corrective action was already closed on %(day)s by %(name)s.") % {
        "day": date_format(nonconformity.closed_on, "Y-m-d") if nonconformity.closed_on
        else "—",
        "name": name,
    }

