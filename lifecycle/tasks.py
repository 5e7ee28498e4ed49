"""Lifecycle work done by Celery workers: e-mail notices and the daily deadline run."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import translation

# A mail server that is down is tried again after 1, 2, 4 … minutes, eight times.
RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 60,
         "retry_backoff_max": 3600, "max_retries": 8}


@shared_task(name="lifecycle.tasks.send_transition_notice", **RETRY)
def send_transition_notice(project_id, event_id, lang=None):
    from lifecycle.models import Project, ProjectEvent
    from lifecycle.notifications import notify_transition

    with translation.override(lang or settings.LANGUAGE_CODE):
        return notify_transition(Project.objects.get(pk=project_id),
                                 ProjectEvent.objects.get(pk=event_id))


@shared_task(name="lifecycle.tasks.send_period_notice", **RETRY)
def send_period_notice(project_id, period, lang=None):
    from lifecycle.models import Project
    from lifecycle.notifications import PERIODS, notify_period_ended

    with translation.override(lang or settings.LANGUAGE_CODE):
        return notify_period_ended(Project.objects.get(pk=project_id), str(PERIODS[period]))


@shared_task(name="lifecycle.tasks.run_deadlines")
def run_deadlines():
    """Daily by beat: end what has expired (``lifecycle.deadlines.run_deadlines``)."""

    from lifecycle.deadlines import run_deadlines as run
    from registry.seed import system_user

    with translation.override(settings.LANGUAGE_CODE):
        report = run(system_user())
    return {"notified": len(report.notified), "moved": len(report.moved)}
