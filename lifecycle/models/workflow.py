"""The lifecycle of a standard (clause 7) as one declarative state machine.

Every stage, every transition, the role that may take it and the conditions it needs are
here and nowhere else: django-fsm reads them from the model class, so the machine is the
abstract model ``Project`` inherits. What the project page asks of it (``transition_spec``,
``unmet_conditions``, ``user_transitions``) is in ``lifecycle.rules.projects``. Views and
commands go through the action ``lifecycle.actions.projects.TakeTransition``, which checks,
locks, publishes, records the event and the history, and notifies.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from lifecycle.choices import DocumentKind, ProjectLevel, ReviewConclusion, Stage
from organizations.rules import current_organization, roles_in
from registry.actions.seed import SYSTEM_USERNAME
from registry.rules.roles import ADMIN, OFFICE

# --- who -------------------------------------------------------------------------------


def _roles(user):
    if not hasattr(user, "_lifecycle_roles"):
        user._lifecycle_roles = roles_in(user, current_organization())
    return user._lifecycle_roles


def is_admin(user):
    return user.is_active and (user.is_superuser or ADMIN in _roles(user))


def is_office(user):
    return is_admin(user) or (user.is_active and OFFICE in _roles(user))


def office(project, user):
    """标准化工作人员 (and admins)."""
    return is_office(user)


def system_or_office(project, user):
    """The office, or the system account of ``run_deadlines`` acting when a period ends."""
    return is_office(user) or (user.username == SYSTEM_USERNAME
                               and not user.has_usable_password())


def department_lead(project, user):
    """The lead of the drafting department (7.3.1.1, 7.4.1)."""
    return is_admin(user) or (user.is_active and project.department.lead_id == user.pk)


def proposal_decider(project, user):
    """Organization level: the department lead; otherwise the office records the decision
    of the local or national authority."""
    if project.level == ProjectLevel.ORGANIZATION:
        return department_lead(project, user)
    return is_office(user)


def assigned_expert(project, user):
    """An expert assigned to this project's review."""
    return is_admin(user) or (
        user.is_active and project.reviewers.filter(expert_id=user.pk).exists()
    )


# --- conditions ------------------------------------------------------------------------


def guard(message):
    """A condition with the sentence the page shows while it is not met."""

    def wrap(function):
        function.message = message
        return function

    return wrap


# The drafts a project whose text is held in the registry does not upload: the transitions
# freeze them from the text (clause 7.3.2; ``FROZEN_AT``).
DRAFTS_IN_REGISTRY = {DocumentKind.COMMENT_DRAFT, DocumentKind.REVIEW_DRAFT,
                      DocumentKind.APPROVAL_DRAFT}

# The transition that freezes the text as each stage's draft (``texts.models.Draft.Stage``):
# 征求意见稿 when the comment period opens, 送审稿 when it closes, 报批稿 after the review,
# the published text at publication.
FROZEN_AT = {
    "open_comment_period": "comment",
    "close_comment_period": "review",
    "pass_review": "approval",
    "publish": "published",
}


def _has(project, *kinds):
    present = set(project.documents.filter(kind__in=kinds).values_list("kind", flat=True))
    if project.text_id is not None:
        present |= DRAFTS_IN_REGISTRY
    return set(kinds) <= present


@guard(_("Upload the project proposal (and, for local and national projects, the draft "
         "and the expert opinion)."))
def proposal_documents_ready(project):
    if project.level == ProjectLevel.ORGANIZATION:
        return _has(project, DocumentKind.PROPOSAL)
    return _has(project, DocumentKind.PROPOSAL, DocumentKind.DRAFT,
                DocumentKind.EXPERT_OPINION)


@guard(_("Upload the authority's decision at this stage first."))
def authority_decision_recorded(project):
    if project.level == ProjectLevel.ORGANIZATION:
        return True
    return project.documents.filter(kind=DocumentKind.AUTHORITY_DECISION,
                                    stage=project.stage).exists()


@guard(_("Upload the explanatory notes, and the draft for comments unless the text is "
         "held in the registry."))
def comment_documents_ready(project):
    return _has(project, DocumentKind.COMMENT_DRAFT, DocumentKind.EXPLANATORY_NOTES)


def comment_period_ended(project):
    """Ended: closed (the project has left the comment stage, on its last day or later), or
    still open past its last day."""
    if not project.comment_ends_on:
        return False
    return project.stage != Stage.COMMENT or timezone.localdate() > project.comment_ends_on


@guard(_("The comment period can be closed from its last day on, not before."))
def comment_period_last_day(project):
    """The office may close the period on its last day (with its reason, as every step):
    a one-day period is then closed the day it runs, not the day after."""
    return bool(project.comment_ends_on) and timezone.localdate() >= project.comment_ends_on


@guard(_("Every comment needs a disposition first."))
def comments_disposed(project):
    return not project.comments.filter(disposition="").exists()


@guard(_("Upload the draft for review, or hold the text in the registry."))
def review_draft_ready(project):
    return _has(project, DocumentKind.REVIEW_DRAFT)


@guard(_("Upload the review minutes, and the draft for approval unless the text is "
         "held in the registry."))
def approval_documents_ready(project):
    return _has(project, DocumentKind.APPROVAL_DRAFT, DocumentKind.MINUTES)


@guard(_("Needs the draft for approval (uploaded or frozen from the text), the "
         "explanatory notes and the review minutes."))
def approval_file_complete(project):
    return _has(project, DocumentKind.APPROVAL_DRAFT, DocumentKind.EXPLANATORY_NOTES,
                DocumentKind.MINUTES)


@guard(_("The public notice has not ended yet."))
def notice_over(project):
    return bool(project.notice_ends_on) and timezone.localdate() > project.notice_ends_on


@guard(_("Every objection needs a resolution first."))
def objections_resolved(project):
    return not project.objections.filter(resolution="").exists()


@guard(_("Only for organization-level projects."))
def organization_level(project):
    return project.level == ProjectLevel.ORGANIZATION


@guard(_("Only for local projects."))
def local_level(project):
    return project.level == ProjectLevel.LOCAL


@guard(_("Only for national projects."))
def national_level(project):
    return project.level == ProjectLevel.NATIONAL


OPEN = [s for s in Stage if s not in (Stage.REJECTED, Stage.PUBLISHED, Stage.TERMINATED)]


# --- the machine -----------------------------------------------------------------------


class ProjectWorkflow(ConcurrentTransitionMixin, models.Model):
    """Stages and transitions of a project. The stage field is protected: only the
    transitions below change it, and a concurrent change makes the second save fail."""

    stage = FSMField(_("stage"), max_length=32, choices=Stage.choices,
                     default=Stage.PROPOSAL, protected=True)

    class Meta:
        abstract = True

    @transition(field=stage, source=Stage.PROPOSAL,
                target=RETURN_VALUE(Stage.OFFICE_REVIEW, Stage.PROPOSAL_DECISION),
                conditions=[proposal_documents_ready], permission=office)
    def submit_proposal(self, **data):
        # 7.3.1.1: an organization standard is first reviewed by the standardization office.
        if self.level == ProjectLevel.ORGANIZATION:
            return Stage.OFFICE_REVIEW
        return Stage.PROPOSAL_DECISION

    @transition(field=stage, source=Stage.OFFICE_REVIEW, target=Stage.PROPOSAL_DECISION,
                permission=office)
    def pass_office_review(self, **data):
        pass

    @transition(field=stage, source=Stage.OFFICE_REVIEW, target=Stage.PROPOSAL,
                permission=office)
    def return_proposal(self, **data):
        pass

    @transition(field=stage, source=Stage.PROPOSAL_DECISION, target=Stage.DRAFTING,
                conditions=[authority_decision_recorded], permission=proposal_decider)
    def approve_proposal(self, **data):
        pass

    @transition(field=stage, source=Stage.PROPOSAL_DECISION, target=Stage.REJECTED,
                conditions=[authority_decision_recorded], permission=proposal_decider)
    def reject_proposal(self, **data):
        pass

    @transition(field=stage, source=Stage.DRAFTING, target=Stage.COMMENT,
                conditions=[comment_documents_ready], permission=office)
    def open_comment_period(self, starts_on=None, days=None, **data):
        starts_on = starts_on or timezone.localdate()
        # A period cannot start before drafting did: backdating would skip its days.
        drafting_since = self.events.filter(to_stage=Stage.DRAFTING).order_by("-at").first()
        if drafting_since and starts_on < timezone.localdate(drafting_since.at):
            raise ValidationError(_("The comment period cannot start before the project "
                                    "entered drafting (%(day)s).")
                                  % {"day": timezone.localdate(drafting_since.at)})
        # The end date is computed once here and shown everywhere.
        self.comment_starts_on = starts_on
        days = days or settings.REGISTRY_COMMENT_PERIOD_DAYS
        self.comment_ends_on = self.comment_starts_on + timedelta(days=days - 1)

    @transition(field=stage, source=Stage.COMMENT, target=Stage.REVIEW,
                conditions=[comment_period_last_day, comments_disposed, review_draft_ready],
                permission=office)
    def close_comment_period(self, **data):
        pass

    @transition(field=stage, source=Stage.REVIEW, target=Stage.APPROVAL,
                conditions=[approval_documents_ready], permission=assigned_expert)
    def pass_review(self, conclusion=ReviewConclusion.PASSED, **data):
        self.review_conclusion = conclusion

    @transition(field=stage, source=Stage.REVIEW, target=Stage.DRAFTING,
                permission=assigned_expert)
    def fail_review(self, **data):
        # 不通过: back to drafting, a recorded step back, not an edit.
        self.review_conclusion = ReviewConclusion.FAILED

    @transition(field=stage, source=Stage.APPROVAL, target=Stage.APPROVED,
                conditions=[organization_level, approval_file_complete],
                permission=department_lead)
    def approve(self, **data):
        pass

    @transition(field=stage, source=Stage.APPROVAL, target=Stage.PUBLIC_NOTICE,
                conditions=[local_level, approval_file_complete], permission=office)
    def start_public_notice(self, starts_on=None, **data):
        # 7.4.2: a local standard is publicly noticed for 30 days after approval.
        self.notice_starts_on = starts_on or timezone.localdate()
        self.notice_ends_on = self.notice_starts_on + timedelta(
            days=settings.REGISTRY_PUBLIC_NOTICE_DAYS - 1)

    @transition(field=stage, source=Stage.PUBLIC_NOTICE, target=Stage.AUTHORITY_APPROVAL,
                conditions=[notice_over, objections_resolved], permission=system_or_office)
    def end_public_notice(self, **data):
        pass

    @transition(field=stage, source=Stage.APPROVAL, target=Stage.AUTHORITY_APPROVAL,
                conditions=[national_level, approval_file_complete], permission=office)
    def submit_to_authority(self, **data):
        pass

    @transition(field=stage, source=Stage.AUTHORITY_APPROVAL, target=Stage.APPROVED,
                conditions=[authority_decision_recorded], permission=office)
    def record_authority_approval(self, **data):
        pass

    @transition(field=stage, source=Stage.APPROVED, target=Stage.PUBLISHED, permission=office)
    def publish(self, standard=None, warning="", **data):
        # The standard is written by PublishStandard, which TakeTransition runs first.
        self.standard = standard
        self.publication_warning = warning

    @transition(field=stage, source=OPEN, target=Stage.TERMINATED, permission=office)
    def terminate(self, **data):
        pass
