""""My tasks": what waits for this user now."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.forms import user_display
from lifecycle.choices import FINAL_STAGES, ActionStatus, ProjectLevel, Stage
from lifecycle.models import NonConformity, Project
from lifecycle.models.workflow import is_admin, is_office
from lifecycle.rules.projects import due_periodic_reviews_first

# My tasks lists this many periodic reviews, soonest first; one line links to the rest on the
# periodic-review page (a large catalog has thousands due: a page of them helps no one).
PERIODIC_REVIEWS_LISTED = 20


@dataclass
class Task:
    what: str
    project: Project | None = None
    url: str = ""
    due: object = None
    overdue: bool = False


def tasks_for(user):
    today = timezone.localdate()
    tasks = []
    projects = Project.objects.select_related("department", "node").annotate(
        undisposed=Count("comments", filter=Q(comments__disposition=""), distinct=True),
        experts=Count("reviewers", distinct=True),
    ).exclude(stage__in=FINAL_STAGES)
    lead_of = projects.filter(level=ProjectLevel.ORGANIZATION)
    if not is_admin(user):
        lead_of = lead_of.filter(department__lead=user)
    for project in lead_of.filter(stage=Stage.PROPOSAL_DECISION):
        tasks.append(Task(_("Decide on the proposal"), project))
    for project in lead_of.filter(stage=Stage.APPROVAL):
        tasks.append(Task(_("Approve the standard for publication"), project))
    experts = projects.filter(stage=Stage.REVIEW)
    if not is_admin(user):
        experts = experts.filter(reviewers__expert=user)
    for project in experts:
        tasks.append(Task(_("Record the review conclusion"), project))
    if is_office(user):
        tasks += _office_tasks(projects, today)
    for project in projects.filter(leader=user, planned_end__lt=today):
        tasks.append(Task(_("The project is past its planned end"), project,
                          due=project.planned_end, overdue=True))
    tasks += _corrective_action_tasks(user, today)
    return tasks


def _office_tasks(projects, today):
    tasks = []
    for project in projects:
        stage = project.stage
        if stage == Stage.OFFICE_REVIEW:
            tasks.append(Task(_("Review the proposal"), project))
        elif stage in (Stage.PROPOSAL_DECISION, Stage.AUTHORITY_APPROVAL) and \
                project.level != ProjectLevel.ORGANIZATION:
            tasks.append(Task(_("Record the authority's decision"), project))
        elif stage == Stage.APPROVAL and project.level != ProjectLevel.ORGANIZATION:
            tasks.append(Task(_("Take the approval forward"), project))
        elif stage == Stage.APPROVED:
            tasks.append(Task(_("Publish the standard"), project))
        elif stage == Stage.REVIEW and not project.experts:
            tasks.append(Task(_("Assign the review experts"), project))
        elif stage == Stage.COMMENT:
            if project.undisposed:
                tasks.append(Task(ngettext("%(count)d comment waits for a disposition",
                                           "%(count)d comments wait for a disposition",
                                           project.undisposed)
                                  % {"count": project.undisposed}, project,
                                  due=project.comment_ends_on))
            if project.comment_ends_on and project.comment_ends_on < today:
                tasks.append(Task(_("The comment period has ended"), project,
                                  due=project.comment_ends_on, overdue=True))
            elif project.comment_ends_on and project.comment_ends_on <= today + timedelta(7):
                tasks.append(Task(_("The comment period ends soon"), project,
                                  due=project.comment_ends_on))
        elif stage == Stage.PUBLIC_NOTICE and project.notice_ends_on and \
                project.notice_ends_on < today:
            tasks.append(Task(_("The public notice has ended"), project,
                              due=project.notice_ends_on, overdue=True))
    listed, rest = due_periodic_reviews_first(today + timedelta(days=90),
                                              PERIODIC_REVIEWS_LISTED)
    for due in listed:
        tasks.append(Task(_("Periodic review of %(number)s") % {"number": due.standard.number},
                          url=reverse("lifecycle:periodicreview_add", args=[due.standard.pk]),
                          due=due.due_on,
                          overdue=due.overdue))
    if rest:
        tasks.append(Task(ngettext("%(count)d more periodic review is due",
                                   "%(count)d more periodic reviews are due", len(rest))
                          % {"count": len(rest)},
                          url=reverse("lifecycle:periodicreview_list") + "?scope=all",
                          due=rest[0], overdue=rest[0] < today))
    return tasks


def _corrective_action_tasks(user, today):
    """Clause 8.1: the user's open corrective actions; for the office, also the overdue
    actions of others (two queries)."""
    tasks = []
    open_actions = NonConformity.objects.filter(status=ActionStatus.OPEN)
    for action in open_actions.filter(owner=user):
        tasks.append(Task(_("Corrective action: %(description)s")
                          % {"description": Truncator(action.description).chars(60)},
                          url=action.get_absolute_url(), due=action.due_on,
                          overdue=action.due_on < today))
    if is_office(user):
        for action in (open_actions.filter(due_on__lt=today).exclude(owner=user)
                       .select_related("owner")):
            owner = user_display(action.owner)
            tasks.append(Task(_("Overdue corrective action of %(owner)s") % {"owner": owner},
                              url=action.get_absolute_url(), due=action.due_on,
                              overdue=True))
    return tasks
