"""Lifecycle work done by Celery workers, and what hands work to them: the e-mail notices
(when something waits for someone, or a period ends) and the daily deadline run.

A notice is sent by a worker, never inside a request: ``queue_transition`` (called once a
transition is committed, through ``lifecycle.receivers``) and ``queue_period_ended`` hand
the notice to the broker and log, not raise, if it is down; the task retries a failing mail
server with backoff. This module sits above the actions: it takes transitions and runs
actions, and no action imports it."""

import logging
from dataclasses import dataclass, field
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mass_mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.forms import user_display
from audit.text import single_line
from lifecycle.actions.projects import MarkPeriodAnnounced, TakeTransition
from lifecycle.choices import Stage
from lifecycle.models import Project, ProjectEvent
from lifecycle.rules.projects import office_staff, unmet_conditions, waiting_for
from organizations.models import Organization
from organizations.rules import acting_in
from registry.actions.seed import system_user
from registry.tasks import retry_missing

logger = logging.getLogger(__name__)
# What ended, by the key the task is given.
PERIODS = {"comment": gettext_lazy("The comment period"),
           "notice": gettext_lazy("The public notice")}

# --- the notices -----------------------------------------------------------------------------


def _send(project, recipients, subject, body):
    addresses = sorted({user.email for user in recipients if user and user.email})
    if not addresses:
        return 0
    link = settings.REGISTRY_BASE_URL.rstrip("/") + reverse("lifecycle:project_detail",
                                                            args=[project.pk])
    message = f"{body}\n\n{project.title}\n{link}\n"
    # A header carries no line break from data (BadHeaderError after the committed change).
    subject = single_line(subject)
    return send_mass_mail([(subject, message, settings.DEFAULT_FROM_EMAIL, [address])
                           for address in addresses])


def notify_transition(project, event):
    recipients = set(waiting_for(project)) | {project.leader}
    subject = _("[Standard registry] %(title)s: %(stage)s") % {
        "title": project.title, "stage": project.get_stage_display()}
    body = _("%(user)s moved the project to “%(stage)s”. Reason: %(reason)s") % {
        "user": user_display(event.user),
        "stage": project.get_stage_display(), "reason": event.reason}
    return _send(project, recipients, subject, body)


def notify_period_ended(project, what):
    subject = _("[Standard registry] %(title)s: %(what)s has ended") % {
        "title": project.title, "what": what}
    body = _("%(what)s of this project has ended. Its next step is waiting.") % {"what": what}
    return _send(project, set(office_staff()) | {project.leader}, subject, body)


# A mail server that is down is tried again after 1, 2, 4, 8 minutes, then every 8 minutes,
# eight times in all (about 47 minutes). A retry waits in a worker, unacknowledged: it must
# wait less than the visibility timeout (600 s), or Redis would hand it to a second worker.
RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 60,
         "retry_backoff_max": 480, "max_retries": 8}


# A project or event not in this database (not visible yet, or the message came from another
# installation on the same Redis) is retried a few times, then logged as an error
# (registry.tasks.retry_missing): a notice is never dropped without a word.


@shared_task(name="lifecycle.tasks.send_transition_notice", bind=True, **RETRY)
def send_transition_notice(self, project_id, event_id, lang=None):
    try:
        # No request: the project says which organization's people are waited for.
        project = Project._base_manager.get(pk=project_id)
        event = ProjectEvent._base_manager.get(pk=event_id, project=project)
    except ObjectDoesNotExist as exc:
        return retry_missing(self, f"project {project_id} or its event {event_id}", exc)
    with translation.override(lang or settings.LANGUAGE_CODE), \
            acting_in(project.organization):
        return notify_transition(project, event)


@shared_task(name="lifecycle.tasks.send_period_notice", bind=True, **RETRY)
def send_period_notice(self, project_id, period, lang=None):
    try:
        project = Project._base_manager.get(pk=project_id)
    except Project.DoesNotExist as exc:
        return retry_missing(self, f"project {project_id}", exc)
    with translation.override(lang or settings.LANGUAGE_CODE), \
            acting_in(project.organization):
        return notify_period_ended(project, str(PERIODS[period]))


def _queue(task, *args):
    """Hand a notice to the worker; a broker that is down costs the notice, not the request."""
    try:
        task.delay(*args, lang=translation.get_language() or settings.LANGUAGE_CODE)
    except Exception:  # noqa: BLE001 — the transition is committed; say so in the log
        logger.exception("Could not queue the notice %s%r", task.name, args)


def queue_transition(project_id, event_id):
    """After a transition is committed: its notice, by the worker."""
    _queue(send_transition_notice, project_id, event_id)


def queue_period_ended(project_id, period):
    """``period``: a key of ``PERIODS``."""
    _queue(send_period_notice, project_id, period)


# --- the deadlines ---------------------------------------------------------------------------
# Periods end by date even when nobody clicks (daily by beat, ``run_deadlines`` below, or
# ``manage.py run_deadlines``).


@dataclass
class DeadlineReport:
    notified: list = field(default_factory=list)
    moved: list = field(default_factory=list)


def end_periods(user, today=None, organizations=None):
    """In each organization (default: all of them), notify once about each ended comment
    period or public notice; end a public notice with no open objection (the authority's
    approval is the next step)."""
    today = today or timezone.localdate()
    report = DeadlineReport()
    for organization in (Organization.objects.all() if organizations is None
                         else organizations):
        # Acting in each in turn: the projects, the office notified and the permissions
        # are that organization's.
        with acting_in(organization):
            _end_periods_here(user, today, report)
    return report


def _end_periods_here(user, today, report):
    ended_comments = Project.objects.filter(stage=Stage.COMMENT, comment_ends_on__lt=today)
    for project in ended_comments.exclude(period_end_notified=F("comment_ends_on")):
        queue_period_ended(project.pk, "comment")
        MarkPeriodAnnounced(user, project, project.comment_ends_on).execute()
        report.notified.append(project)
    ended_notices = Project.objects.filter(stage=Stage.PUBLIC_NOTICE, notice_ends_on__lt=today)
    for project in ended_notices:
        if not unmet_conditions(project, "end_public_notice"):
            TakeTransition(user, project, "end_public_notice",
                           _("The 30-day public notice ended without open objections.")).execute()
            report.moved.append(project)
        elif project.period_end_notified != project.notice_ends_on:
            queue_period_ended(project.pk, "notice")
            MarkPeriodAnnounced(user, project, project.notice_ends_on).execute()
            report.notified.append(project)


@shared_task(name="lifecycle.tasks.run_deadlines")
def run_deadlines():
    """Daily by beat: end what has expired (``end_periods``), as the system account."""
    with translation.override(settings.LANGUAGE_CODE):
        report = end_periods(system_user())
    return {"notified": len(report.notified), "moved": len(report.moved)}
