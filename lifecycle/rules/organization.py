"""Clause 5.1–5.2 rules: departments, staff profiles and training records.

Who is due for training: an active user with a standardization role (not "none") whose
latest training is older than ``REGISTRY_TRAINING_INTERVAL_MONTHS`` months, or who has none.
The writes are in ``lifecycle.actions.organization``.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.forms import user_display
from lifecycle.choices import DepartmentRole, StaffRole
from lifecycle.models import Department, StaffProfile, TrainingRecord
from organizations.models import Membership
from organizations.rules import current_organization

# Roles that take part in standardization work and so need training.
TRAINED_ROLES = tuple(role for role in StaffRole.values if role != StaffRole.NONE)
# The "hours trained" column always covers the last 12 months.
HOURS_WINDOW_MONTHS = 12


def add_months(day, months):
    """``day`` moved by ``months`` (negative goes back), kept within the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(earlier, later):
    """Whole months from ``earlier`` to ``later`` (0 when later is not after earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if months > 0 and add_months(earlier, months) > later:
        months -= 1
    return max(months, 0)


def training_interval():
    return settings.REGISTRY_TRAINING_INTERVAL_MONTHS


def training_cutoff(today=None):
    """Training on or after this day counts as current."""
    return add_months(today or timezone.localdate(), -training_interval())


def is_due(role, last_training, today=None):
    """The training-due rule for one person."""
    if role not in TRAINED_ROLES:
        return False
    return last_training is None or last_training < training_cutoff(today)


def due_filter(today=None):
    """The same rule as a filter on users."""
    recent = TrainingRecord.objects.filter(user=OuterRef("pk"),
                                           attended_on__gte=training_cutoff(today))
    trained = StaffProfile.objects.filter(user=OuterRef("pk"), role__in=TRAINED_ROLES)
    return Exists(trained) & ~Exists(recent)


def people(today=None, active_only=True):
    """The people of the organization acted in — active users (all with
    ``active_only=False``) who hold a role there or have a staff profile there — with their
    profile and department there, the date of their latest training recorded there and
    their training hours there in the last 12 months: two queries, whatever the number."""
    today = today or timezone.localdate()
    organization = current_organization()
    window = add_months(today, -HOURS_WINDOW_MONTHS)
    here = Q(training_records__organization=organization)
    in_window = here & Q(training_records__attended_on__gte=window,
                         training_records__attended_on__lte=today)
    belongs = (Exists(Membership.objects.filter(user=OuterRef("pk"),
                                                organization=organization))
               | Exists(StaffProfile.objects.filter(user=OuterRef("pk"))))
    users = get_user_model().objects.filter(belongs)
    if active_only:
        users = users.filter(is_active=True)
    return (
        users.prefetch_related(Prefetch(
            "staff_profiles", queryset=StaffProfile.objects.select_related("department"),
            to_attr="profiles_here"))
        .annotate(last_training=Max("training_records__attended_on", filter=here),
                  recent_hours=Sum("training_records__hours", filter=in_window))
        .order_by("username")
    )


def role_filter(role):
    """Users holding ``role``; "none" includes those without a profile."""
    profiles = StaffProfile.objects.filter(user=OuterRef("pk"))  # here only
    if role == StaffRole.NONE:
        return ~Exists(profiles.exclude(role=StaffRole.NONE))
    return Exists(profiles.filter(role=role))


def profile_of(user):
    """The user's profile in the organization acted in, or None (uses what ``people()``
    prefetched when there is that)."""
    if hasattr(user, "profiles_here"):
        return user.profiles_here[0] if user.profiles_here else None
    return StaffProfile.objects.filter(user=user).select_related("department").first()


@dataclass
class PersonRow:
    """One line of the people lists."""

    user: object
    profile: StaffProfile | None
    last_training: date | None
    recent_hours: Decimal
    months_since: int | None
    due: bool

    @property
    def name(self):
        return user_display(self.user)


def person_row(user, today=None):
    """A row from a user of ``people()`` (annotated with last_training, recent_hours)."""
    today = today or timezone.localdate()
    profile = profile_of(user)
    role = profile.role if profile else StaffRole.NONE
    last = user.last_training
    return PersonRow(
        user=user, profile=profile, last_training=last,
        recent_hours=user.recent_hours or Decimal("0"),
        months_since=months_between(last, today) if last else None,
        due=is_due(role, last, today),
    )


def departments():
    """The standardization body (or lead department) first, then the departments by name,
    each with its lead and the number of its active staff."""
    first = Case(When(role=DepartmentRole.DEPARTMENT, then=Value(1)), default=Value(0),
                 output_field=IntegerField())
    return (
        Department.objects.select_related("lead")
        .annotate(staff_count=Count("staff", filter=Q(staff__user__is_active=True)),
                  body_first=first)
        .order_by("body_first", "name")
    )


# --- checks ---------------------------------------------------------------------------


ONE_BODY = _lazy("The unit has only one standardization body or lead coordinating "
                 "department.")


def check_one_body(department):
    """5.1: the unit has a standardization body or a lead coordinating department, not
    both and not two. (The database refuses two of the same role; this refuses a body
    beside a lead department too.)"""
    if department.role == DepartmentRole.DEPARTMENT:
        return
    others = Department.objects.exclude(role=DepartmentRole.DEPARTMENT)
    if department.pk:
        others = others.exclude(pk=department.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            _("%(message)s %(department)s already is: %(role)s.")
            % {"message": ONE_BODY, "department": other.name, "role": other.get_role_display()}
        )


def check_training_date(attended_on, today=None):
    if attended_on > (today or timezone.localdate()):
        raise ValidationError(_("The training date cannot be in the future."))


def check_training_hours(hours):
    if hours is None or hours <= 0:
        raise ValidationError(_("Hours must be more than 0."))
