"""Periodic review (复审): when each current standard is due. Recording one is the action
``lifecycle.actions.projects.RecordPeriodicReview``."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.choices import Status
from catalog.models import Standard
from lifecycle.choices import ProjectLevel
from registry.models import NodeKind


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class DuePeriodicReview:
    standard: Standard
    since: date
    due_on: date

    @property
    def overdue(self):
        return self.due_on < timezone.localdate()


def _current_standards(until, years):
    """Current standards with an implementation date, annotated with their last review;
    with ``until``, only those whose review can be due by then: a review is due in the
    year ``since.year + years``, so ``since`` must fall before the year
    ``until.year - years + 1`` (the exact date is checked by the callers)."""
    standards = (
        Standard.objects.with_status().filter(computed_status=Status.CURRENT,
                                              implemented_on__isnull=False)
        .annotate(last_review=Max("periodic_reviews__reviewed_on"))
    )
    if until is not None:
        standards = standards.annotate(
            since=Greatest("implemented_on", Coalesce("last_review", "implemented_on")),
        ).filter(since__lt=date(until.year - years + 1, 1, 1))
    return standards


def due_periodic_reviews(until=None):
    """Current standards with an implementation date, with the date their review is due
    (the interval after implementation or after the last review), soonest first."""
    years = settings.REGISTRY_REVIEW_INTERVAL_YEARS
    result = []
    for standard in _current_standards(until, years):
        since = max(filter(None, [standard.implemented_on, standard.last_review]))
        due = DuePeriodicReview(standard, since, add_years(since, years))
        if until is None or due.due_on <= until:
            result.append(due)
    return sorted(result, key=lambda d: (d.due_on, d.standard.pk))


class DueReviews(Sequence):
    """``due_periodic_reviews(until)`` as a sequence a paginator slices: the dates are
    worked out from plain values, and a slice reads only its own standards (the page of a
    list, not the 1,400 reviews due at 5,000 standards)."""

    def __init__(self, until=None):
        years = settings.REGISTRY_REVIEW_INTERVAL_YEARS
        keys = []
        for pk, implemented_on, last_review in _current_standards(until, years).values_list(
                "pk", "implemented_on", "last_review"):
            since = max(filter(None, [implemented_on, last_review]))
            due_on = add_years(since, years)
            if until is None or due_on <= until:
                keys.append((due_on, pk, since))
        keys.sort()
        self.keys = keys

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1 or None][0]
        chosen = self.keys[index]
        standards = Standard.objects.in_bulk([pk for _due, pk, _since in chosen])
        return [DuePeriodicReview(standards[pk], since, due_on)
                for due_on, pk, since in chosen]


def due_periodic_reviews_first(until, count):
    """``due_periodic_reviews(until)``'s first ``count`` and the dates of the rest."""
    due = DueReviews(until)
    return due[:count], [due_on for due_on, _pk, _since in due.keys[count:]]


def due_periodic_review_dates(until):
    """The dates of the reviews ``due_periodic_reviews(until)`` lists, soonest first, from
    plain values (the dashboard only counts them: no standard is built)."""
    years = settings.REGISTRY_REVIEW_INTERVAL_YEARS
    dates = []
    for implemented_on, last_review in _current_standards(until, years).values_list(
            "implemented_on", "last_review"):
        due_on = add_years(max(filter(None, [implemented_on, last_review])), years)
        if due_on <= until:
            dates.append(due_on)
    return sorted(dates)


def periodic_review_due_on(standard):
    last = standard.periodic_reviews.aggregate(Max("reviewed_on"))["reviewed_on__max"]
    since = max(filter(None, [standard.implemented_on, last]), default=None)
    return add_years(since, settings.REGISTRY_REVIEW_INTERVAL_YEARS) if since else None


def was_at_stage(project, stage):
    """Whether ``project`` is or ever was at ``stage`` (a page loaded then names it)."""
    return project.stage == stage or project.events.filter(from_stage=stage).exists()


def publication_year(number, issued_on):
    """The year rule of a publication number (a parsed ``StandardNumber``), the one place it
    lives, checked before anything is written: a standard is numbered with the year it is
    issued, so a later year is refused (ValidationError on ``number``) and an earlier one
    returns a warning to show once published; "" otherwise."""
    if number.year is None or issued_on is None or number.year == issued_on.year:
        return ""
    values = {"number": number.canonical, "year": number.year, "issued": issued_on.year}
    if number.year > issued_on.year:
        raise ValidationError({"number": _(
            "The year in %(number)s (%(year)s) is after the issue date's year "
            "(%(issued)s): a standard is numbered with the year it is issued.") % values})
    return _("The year in %(number)s (%(year)s) is before the issue date's year (%(issued)s): "
             "check that the number is right.") % values


def project_problems(project):
    """Why ``project`` cannot be opened or saved as it is, by form field ({} when it can):
    its node must be a category or an aspect, where a standard closes a gap (the system and
    its subsystems hold none of their own); an organization-level project needs a drafting
    department with an active lead, who decides its proposal and its approval."""
    problems = {}
    node, department = project.node if project.node_id else None, (
        project.department if project.department_id else None)
    if node is not None and node.kind not in (NodeKind.CATEGORY, NodeKind.ASPECT):
        problems["node"] = _(
            "Open a project on a category or an aspect: %(node)s is the %(kind)s, where a "
            "standard would close no gap.") % {"node": node, "kind": node.get_kind_display()}
    lead = department.lead if department is not None and department.lead_id else None
    if (department is not None and project.level == ProjectLevel.ORGANIZATION
            and (lead is None or not lead.is_active)):
        problems["department"] = _(
            "%(department)s has no active lead, and the lead decides on its organization "
            "standards: give the department a lead first.") % {"department": department}
    return problems
