"""Periods end by date even when nobody clicks (daily by Celery beat,
``lifecycle.tasks.run_deadlines``, or ``manage.py run_deadlines``)."""

from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import Stage
from lifecycle.models import Project
from lifecycle.notifications import queue_period_ended
from lifecycle.workflow import unmet_conditions


@dataclass
class DeadlineReport:
    notified: list = field(default_factory=list)
    moved: list = field(default_factory=list)


def run_deadlines(user, today=None):
    """Notify once about each ended comment period or public notice; end a public notice
    with no open objection (the authority's approval is the next step)."""
    today = today or timezone.localdate()
    report = DeadlineReport()
    ended_comments = Project.objects.filter(stage=Stage.COMMENT, comment_ends_on__lt=today)
    for project in ended_comments.exclude(period_end_notified=F("comment_ends_on")):
        queue_period_ended(project.pk, "comment")
        Project.objects.filter(pk=project.pk).update(period_end_notified=project.comment_ends_on)
        report.notified.append(project)
    ended_notices = Project.objects.filter(stage=Stage.PUBLIC_NOTICE, notice_ends_on__lt=today)
    for project in ended_notices:
        if not unmet_conditions(project, "end_public_notice"):
            TakeTransition(user, project, "end_public_notice",
                           _("The 30-day public notice ended without open objections.")).execute()
            report.moved.append(project)
        elif project.period_end_notified != project.notice_ends_on:
            queue_period_ended(project.pk, "notice")
            Project.objects.filter(pk=project.pk).update(
                period_end_notified=project.notice_ends_on)
            report.notified.append(project)
    return report

