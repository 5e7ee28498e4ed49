"""Clause 8.1 rules: recording an implementation check, the non-conformities it found and
closing each corrective action with evidence.

Views, the demo command and the shell all go through these functions. Each saves one row
at a time with the user and the reason on its history row, inside a transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lifecycle.choices import ActionStatus
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

