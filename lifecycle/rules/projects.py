"""What the projects area reads and checks without writing: what the project page asks of
the state machine (``lifecycle.models.workflow``), who is waited for at each stage, when each
current standard's periodic review (复审) is due, what a revision and a publication number need.
The writes are the actions of ``lifecycle.actions.projects``."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Standard
from catalog.models.choices import Level, Status
from lifecycle.choices import FINAL_STAGES, DocumentKind, ProjectLevel, Stage
from lifecycle.models import Department, Project
from lifecycle.models.workflow import comment_period_ended
from organizations.rules import members
from registry.models import NodeKind
from registry.rules.roles import ADMIN, OFFICE


def overdue_projects_filter(today=None):
    """Open projects past their planned end: the project list's "overdue" filter and the
    comparison of organizations count the same ones."""
    today = today or timezone.localdate()
    return Q(planned_end__lt=today) & ~Q(stage__in=FINAL_STAGES)


def overdue_projects_by_organization(organization_ids):
    """{organization id: its overdue projects}, for the comparison of organizations (a
    column it declares, ``registry.rules.comparison_columns``): one query across the
    organizations, so through the unscoped manager."""
    return dict(Project._base_manager.filter(overdue_projects_filter(),
                                             organization_id__in=organization_ids)
                .order_by().values("organization_id").annotate(count=Count("pk"))
                .values_list("organization_id", "count"))


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


class DueReviews(Sequence):
    """The current standards with an implementation date whose review is due by ``until``
    (all of them without it), with the date it is due (the interval after implementation or
    after the last review), soonest first. A sequence a paginator slices: the dates are
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

    def __iter__(self):  # one read, not one per item
        return iter(self[:])

    def dates(self):
        """The dates the reviews are due, soonest first (no standard is read)."""
        return [due_on for due_on, _pk, _since in self.keys]


def due_periodic_reviews_first(until, count):
    """The first ``count`` reviews due by ``until`` and the dates of the rest."""
    due = DueReviews(until)
    return due[:count], due.dates()[count:]


def periodic_review_due_on(standard):
    last = standard.periodic_reviews.aggregate(Max("reviewed_on"))["reviewed_on__max"]
    since = max(filter(None, [standard.implemented_on, last]), default=None)
    return add_years(since, settings.REGISTRY_REVIEW_INTERVAL_YEARS) if since else None


def was_at_stage(project, stage):
    """Whether ``project`` is or ever was at ``stage`` (a page loaded then names it)."""
    return project.stage == stage or project.events.filter(from_stage=stage).exists()


# The levels a revision project of a standard of each level may have, every standard level
# named: the unit's own levels are revised at the same level (an industry standard by a
# national project, which publishes national and industry standards); a group, international
# or foreign standard is not the unit's own, so the revision's level is chosen on the form.
REVISION_LEVELS = {
    Level.NATIONAL: (ProjectLevel.NATIONAL,),
    Level.INDUSTRY: (ProjectLevel.NATIONAL,),
    Level.LOCAL: (ProjectLevel.LOCAL,),
    Level.ORGANIZATION: (ProjectLevel.ORGANIZATION,),
    Level.GROUP: (ProjectLevel.ORGANIZATION, ProjectLevel.LOCAL, ProjectLevel.NATIONAL),
    Level.INTERNATIONAL: (ProjectLevel.ORGANIZATION, ProjectLevel.LOCAL, ProjectLevel.NATIONAL),
    Level.FOREIGN: (ProjectLevel.ORGANIZATION, ProjectLevel.LOCAL, ProjectLevel.NATIONAL),
}


def revision_level(standard):
    """The level a revision of ``standard`` has when there is only one it may have; None
    when it must be chosen."""
    levels = REVISION_LEVELS[standard.level]
    return levels[0] if len(levels) == 1 else None


def revision_department(standard):
    """The department a revision of ``standard`` goes to when there is no choice to make:
    the one of the project that published it, or the only department there is; None when
    it must be chosen."""
    origin = standard.projects.select_related("department").order_by("-created_at").first()
    if origin is not None:
        return origin.department
    only = list(Department.objects.order_by("pk")[:2])
    return only[0] if len(only) == 1 else None


def revision_problems(standard, department=None, level=None):
    """Why a revision of ``standard`` cannot be opened with ``department`` and ``level``
    (either None: not chosen, so only one that leaves no choice will do), by form field
    ({} when it can)."""
    department = department or revision_department(standard)
    level = level or revision_level(standard)
    problems = {}
    if department is None:
        problems["department"] = (_("Create a department first.")
                                  if not Department.objects.exists() else
                                  _("Choose the department that revises this standard."))
    if level is None:
        problems["level"] = _("Choose the level of the revision project: a %(level)s standard "
                              "is not one of the unit's own.") % {
                                  "level": Level(standard.level).label}
    elif level not in REVISION_LEVELS[standard.level]:
        problems["level"] = _("A revision of a %(level)s standard is a project of level: "
                              "%(levels)s.") % {
                                  "level": Level(standard.level).label,
                                  "levels": ", ".join(str(ProjectLevel(choice).label) for choice
                                                      in REVISION_LEVELS[standard.level])}
    return problems


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


# --- what the project page asks of the state machine ---------------------------------------


# The documents the expert review produces: the assigned experts may upload them.
REVIEW_DOCUMENTS = (DocumentKind.APPROVAL_DRAFT, DocumentKind.MINUTES)


def expert_may_upload(project, user, kind=None):
    """An assigned expert uploads the draft for approval and the review minutes of the review
    they hold (without the office's general upload permission)."""
    return (project.stage == Stage.REVIEW and user.is_active
            and (kind is None or kind in REVIEW_DOCUMENTS)
            and project.reviewers.filter(expert_id=user.pk).exists())


def may_submit_comment(project, user):
    """Anyone of the organization who can see the project (an expert, a department's staff)
    registers their own comment while the period is open; the office records the comments
    received otherwise and disposes of them all."""
    return (user.is_active and project.stage == Stage.COMMENT
            and not comment_period_ended(project) and user.has_perm("lifecycle.view_project"))


@dataclass(frozen=True)
class TransitionInfo:
    label: object
    danger: bool = False


# Labels of the transitions, in the order the project page offers them.
TRANSITIONS = {
    "submit_proposal": TransitionInfo(gettext_lazy("Submit the proposal")),
    "pass_office_review": TransitionInfo(gettext_lazy("Pass the office review")),
    "return_proposal": TransitionInfo(gettext_lazy("Return the proposal for rework"),
                                      danger=True),
    "approve_proposal": TransitionInfo(gettext_lazy("Approve the proposal")),
    "reject_proposal": TransitionInfo(gettext_lazy("Reject the proposal"), danger=True),
    "open_comment_period": TransitionInfo(gettext_lazy("Open the comment period")),
    "close_comment_period": TransitionInfo(gettext_lazy("Close the comment period")),
    "pass_review": TransitionInfo(gettext_lazy("Record: review passed")),
    "fail_review": TransitionInfo(gettext_lazy("Record: review not passed"), danger=True),
    "approve": TransitionInfo(gettext_lazy("Approve for publication")),
    "start_public_notice": TransitionInfo(gettext_lazy("Start the public notice")),
    "end_public_notice": TransitionInfo(gettext_lazy("End the public notice")),
    "submit_to_authority": TransitionInfo(gettext_lazy("Submit to the authority")),
    "record_authority_approval": TransitionInfo(gettext_lazy("Record the authority's approval")),
    "publish": TransitionInfo(gettext_lazy("Publish")),
    "terminate": TransitionInfo(gettext_lazy("Terminate the project"), danger=True),
}


def transition_spec(project, name):
    """The transition method ``name`` and its declaration from the project's stage (None
    when it does not leave that stage). An unknown name is refused."""
    if name not in TRANSITIONS:
        raise PermissionDenied
    method = getattr(project, name)
    return method, method._django_fsm.get_transition(project.stage)


def unmet_conditions(project, name):
    _method, spec = transition_spec(project, name)
    if spec is None:
        return []
    return [str(c.message) for c in spec.conditions if not c(project)]


def user_transitions(project, user):
    """(name, info, unmet condition messages) for each transition this user may take from
    the current stage; the page offers the ready ones and says what the others need."""
    result = []
    for name, info in TRANSITIONS.items():
        _method, spec = transition_spec(project, name)
        if spec is not None and spec.has_perm(project, user):
            result.append((name, info, unmet_conditions(project, name)))
    return result


# --- who is waited for ---------------------------------------------------------------------


def office_staff():
    return list(members(OFFICE))


def administrators():
    return list(get_user_model().objects.filter(
        Q(is_superuser=True) | Q(pk__in=members(ADMIN).values("pk")), is_active=True))


def _active(people):
    return [person for person in dict.fromkeys(people) if person and person.is_active]


def waiting_for(project):
    """Who has to act now that the project is at its current stage; never nobody while it
    is open: when no one else can (a department without an active lead, say), the
    administrators, who may take every step."""
    if project.stage in FINAL_STAGES:
        return []
    return _active(_deciders(project)) or administrators()


def _deciders(project):
    stage = project.stage
    if (stage in (Stage.PROPOSAL_DECISION, Stage.APPROVAL)
            and project.level == ProjectLevel.ORGANIZATION):
        return [project.department.lead] if project.department.lead_id else []
    if stage == Stage.REVIEW:
        experts = [a.expert for a in project.reviewers.select_related("expert")]
        # Until an expert is assigned, the office, who assigns them, is the one waited for.
        return experts if _active(experts) else office_staff()
    if stage in (Stage.PROPOSAL, Stage.DRAFTING):
        # The leader prepares the documents; the office submits them or opens the comments.
        return [project.leader, *office_staff()]
    return office_staff()


def waiting_task(project):
    """What the people waited for are to do, when the stage alone does not say it."""
    if project.stage == Stage.REVIEW and not _active(
            a.expert for a in project.reviewers.select_related("expert")):
        return _("assign the review experts")
    if not _active(_deciders(project)) and not project.is_final:
        return _("no one else can take the next step (the department has no active lead): "
                 "an administrator decides instead")
    return ""
