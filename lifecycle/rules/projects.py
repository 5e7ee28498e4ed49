"""Periodic review (复审): when each current standard is due, and recording a review."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.choices import Status
from catalog.models import Standard
from lifecycle.choices import PeriodicConclusion, ProjectKind, ProjectLevel
from lifecycle.models import Department, PeriodicReview, Project


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Due:
    standard: Standard
    since: date
    due_on: date

    @property
    def overdue(self):
        return self.due_on < timezone.localdate()


def due_reviews(until=None):
    """Current standards with an implementation date, with the date their review is due
    (the interval after implementation or after the last review), soonest first."""
    years = settings.REGISTRY_REVIEW_INTERVAL_YEARS
    standards = (
        Standard.objects.with_status().filter(computed_status=Status.CURRENT,
                                              implemented_on__isnull=False)
        .annotate(last_review=Max("periodic_reviews__reviewed_on"))
    )
    result = []
    for standard in standards:
        since = max(filter(None, [standard.implemented_on, standard.last_review]))
        due = Due(standard, since, add_years(since, years))
        if until is None or due.due_on <= until:
            result.append(due)
    return sorted(result, key=lambda d: d.due_on)


def review_due_on(standard):
    last = standard.periodic_reviews.aggregate(Max("reviewed_on"))["reviewed_on__max"]
    since = max(filter(None, [standard.implemented_on, last]), default=None)
    return add_years(since, settings.REGISTRY_REVIEW_INTERVAL_YEARS) if since else None


def record_review(standard, conclusion, reason, user):
    """Record a periodic review; revise opens a revision project, withdraw withdraws."""
    today = timezone.localdate()
    with transaction.atomic():
        review = PeriodicReview(standard=standard, conclusion=conclusion, reason=reason,
                                reviewed_on=today, reviewed_by=user)
        if conclusion == PeriodicConclusion.REVISE:
            review.revision_project = open_revision(standard, reason, user)
        if conclusion == PeriodicConclusion.WITHDRAW:
            standard.withdrawn_on = today
            standard._history_user, standard._change_reason = user, reason
            standard.save()
        review._history_user, review._change_reason = user, reason
        review.save()
    return review


def open_revision(standard, reason, user):
    """Open a revision project for ``standard``: one open revision per standard at a time.
    Raises ValueError saying why not."""
    from lifecycle.choices import FINAL_STAGES

    open_project = standard.revisions.exclude(stage__in=FINAL_STAGES).first()
    if open_project is not None:
        raise ValueError(_("A revision of this standard is already under way: %(project)s.")
                         % {"project": open_project})
    placement = standard.placements.select_related("node").order_by("node__path").first()
    if placement is None:
        raise ValueError(_("Place the standard on a node before opening its revision."))
    origin = standard.projects.select_related("department").order_by("-created_at").first()
    department = origin.department if origin else Department.objects.order_by("pk").first()
    if department is None:
        raise ValueError(_("Create a department first."))
    today = timezone.localdate()
    project = Project(
        title=standard.title, kind=ProjectKind.REVISION, level=ProjectLevel.ORGANIZATION
        if standard.level == "organization" else ProjectLevel.LOCAL
        if standard.level == "local" else ProjectLevel.NATIONAL,
        node=placement.node, revises=standard, department=department, leader=user,
        planned_start=today, planned_end=add_years(today, 1), created_by=user,
    )
    project._history_user, project._change_reason = user, reason
    project.save()
    return project
