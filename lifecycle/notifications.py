"""E-mail notices: when something waits for someone, or a period ends.

Sent by a Celery worker (``lifecycle.tasks``), never inside a request: ``queue_transition``
and ``queue_period_ended`` hand the notice to the broker and log, not raise, if it is down;
the task retries a failing mail server with backoff."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.forms import user_display
from audit.text import single_line
from lifecycle.choices import FINAL_STAGES, ProjectLevel, Stage
from registry.rules.roles import ADMIN, OFFICE

logger = logging.getLogger(__name__)
# What ended, by the key the task is given.
PERIODS = {"comment": gettext_lazy("The comment period"),
           "notice": gettext_lazy("The public notice")}


def office_staff():
    return list(get_user_model().objects.filter(groups__name=OFFICE, is_active=True))


def administrators():
    return list(get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name=ADMIN), is_active=True).distinct())


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


def _queue(task, *args):
    """Hand a notice to the worker; a broker that is down costs the notice, not the request."""
    try:
        task.delay(*args, lang=translation.get_language() or settings.LANGUAGE_CODE)
    except Exception:  # noqa: BLE001 — the transition is committed; say so in the log
        logger.exception("Could not queue the notice %s%r", task.name, args)


def queue_transition(project_id, event_id):
    """After a transition is committed: its notice, by the worker."""
    from lifecycle.tasks import send_transition_notice

    _queue(send_transition_notice, project_id, event_id)


def queue_period_ended(project_id, period):
    """``period``: a key of ``PERIODS``."""
    from lifecycle.tasks import send_period_notice

    _queue(send_period_notice, project_id, period)
