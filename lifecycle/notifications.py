"""E-mail notices: when something waits for someone, or a period ends."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.forms import user_display
from audit.text import single_line
from lifecycle.choices import ProjectLevel, Stage
from registry.roles import OFFICE


def office_staff():
    return list(get_user_model().objects.filter(groups__name=OFFICE, is_active=True))


def waiting_for(project):
    """Who has to act now that the project is at its current stage."""
    stage = project.stage
    lead = [project.department.lead] if project.department.lead_id else []
    if stage == Stage.PROPOSAL_DECISION and project.level == ProjectLevel.ORGANIZATION:
        return lead
    if stage == Stage.APPROVAL and project.level == ProjectLevel.ORGANIZATION:
        return lead
    if stage == Stage.REVIEW:
        return [assignment.expert for assignment in project.reviewers.select_related("expert")]
    if stage in (Stage.OFFICE_REVIEW, Stage.PROPOSAL_DECISION, Stage.APPROVAL,
                 Stage.AUTHORITY_APPROVAL, Stage.APPROVED, Stage.COMMENT,
                 Stage.PUBLIC_NOTICE):
        return office_staff()
    return [project.leader]


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
                           for address in addresses], fail_silently=True)


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
