"""Clause 8.1 rules: recording an implementation check, the non-conformities it found and
closing each corrective action with evidence.

The writes that apply them are in ``lifecycle.actions.supervision``.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.forms import user_display
from lifecycle.choices import ActionStatus, CheckResult
from lifecycle.models import NonConformity

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


def overdue_actions_by_organization(organization_ids):
    """{organization id: its overdue corrective actions}, for the comparison of
    organizations (``registry.rules.comparison_columns``): one query across the
    organizations, so through the unscoped manager, grouped by the check's organization."""
    return dict(NonConformity._base_manager.filter(
        overdue_filter(), check_record__organization_id__in=organization_ids)
        .order_by().values("check_record__organization_id").annotate(count=Count("pk"))
        .values_list("check_record__organization_id", "count"))


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


EDITABLE_WHILE_OPEN = ("description", "action", "owner", "due_on")


def closed_not_editable_message(nonconformity):
    return _("%(closed)s A closed corrective action cannot be changed.") % {
        "closed": already_closed_message(nonconformity)}


def already_closed_message(nonconformity):
    closer = nonconformity.closed_by
    name = user_display(closer) if closer else "—"
    return _("This corrective action was already closed on %(day)s by %(name)s.") % {
        "day": date_format(nonconformity.closed_on, "Y-m-d") if nonconformity.closed_on
        else "—",
        "name": name,
    }

