"""Lifecycle work done by Celery workers: e-mail notices and the daily deadline run."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation

from registry.tasks import retry_missing

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
    from lifecycle.models import Project, ProjectEvent
    from lifecycle.notifications import notify_transition

    try:
        project = Project.objects.get(pk=project_id)
        event = ProjectEvent.objects.get(pk=event_id)
    except ObjectDoesNotExist as exc:
        return retry_missing(self, f"project {project_id} or its event {event_id}", exc)
    with translation.override(lang or settings.LANGUAGE_CODE):
        return notify_transition(project, event)


@shared_task(name="lifecycle.tasks.send_period_notice", bind=True, **RETRY)
def send_period_notice(self, project_id, period, lang=None):
    from lifecycle.models import Project
    from lifecycle.notifications import PERIODS, notify_period_ended

    try:
        project = Project.objects.get(pk=project_id)
    except Project.DoesNotExist as exc:
        return retry_missing(self, f"project {project_id}", exc)
    with translation.override(lang or settings.LANGUAGE_CODE):
        return notify_period_ended(project, str(PERIODS[period]))


@shared_task(name="lifecycle.tasks.run_deadlines")
def run_deadlines():
    """Daily by beat: end what has expired (``lifecycle.deadlines.run_deadlines``)."""

    from lifecycle.deadlines import run_deadlines as run
    from registry.actions.seed import system_user

    with translation.override(settings.LANGUAGE_CODE):
        report = run(system_user())
    return {"notified": len(report.notified), "moved": len(report.moved)}
