"""Every enumeration of the lifecycle, with its label, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """A project's stage, with the ISO harmonized stage code it corresponds to."""

    PROPOSAL = "proposal", _("Proposal")
    OFFICE_REVIEW = "office_review", _("Office review of the proposal")
    PROPOSAL_DECISION = "proposal_decision", _("Decision on the proposal")
    REJECTED = "rejected", _("Proposal rejected")
    DRAFTING = "drafting", _("Drafting")
    COMMENT = "comment", _("Comment period")
    REVIEW = "review", _("Expert review")
    APPROVAL = "approval", _("Approval")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    AUTHORITY_APPROVAL = "authority_approval", _("Approval by the authority")
    APPROVED = "approved", _("Approved for publication")
    PUBLISHED = "published", _("Published")
    TERMINATED = "terminated", _("Terminated")


ISO_CODES = {
    Stage.PROPOSAL: "10.00",
    Stage.OFFICE_REVIEW: "10.20",
    Stage.PROPOSAL_DECISION: "10.60",
    Stage.REJECTED: "10.98",
    Stage.DRAFTING: "20.00",
    Stage.COMMENT: "40.20",
    Stage.REVIEW: "50.00",
    Stage.APPROVAL: "50.20",
    Stage.PUBLIC_NOTICE: "50.20",
    Stage.AUTHORITY_APPROVAL: "50.20",
    Stage.APPROVED: "50.60",
    Stage.PUBLISHED: "60.60",
    Stage.TERMINATED: "95.99",
}

FINAL_STAGES = (Stage.REJECTED, Stage.PUBLISHED, Stage.TERMINATED)


class ProjectKind(models.TextChoices):
    NEW = "new", _("New standard")
    REVISION = "revision", _("Revision")


class ProjectLevel(models.TextChoices):
    """Who decides: the unit itself (7.3.1.1, 7.4.1), the local or the national authority."""

    ORGANIZATION = "organization", _("Organization")
    LOCAL = "local", _("Local")
    NATIONAL = "national", _("National")


class DocumentKind(models.TextChoices):
    PROPOSAL = "proposal", _("Project proposal")
    DRAFT = "draft", _("Standard draft")
    EXPERT_OPINION = "expert_opinion", _("Expert opinion on the proposal")
    AUTHORITY_DECISION = "authority_decision", _("Decision of the authority")
    COMMENT_DRAFT = "comment_draft", _("Draft for comments")
    EXPLANATORY_NOTES = "explanatory_notes", _("Explanatory notes")
    REVIEW_DRAFT = "review_draft", _("Draft for review")
    MINUTES = "minutes", _("Review minutes")
    APPROVAL_DRAFT = "approval_draft", _("Draft for approval")
    PUBLISHED = "published", _("Published text")
    OTHER = "other", _("Other")


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly", _("Partly accepted")
    NOT_ACCEPTED = "rejected", _("Not accepted")


class ReviewConclusion(models.TextChoices):
    PASSED = "passed", _("Passed")
    PASSED_WITH_CHANGES = "passed_with_changes", _("Passed after changes")
    FAILED = "failed", _("Not passed")


class PeriodicConclusion(models.TextChoices):
    CONFIRM = "confirm", _("Confirm (90.93)")
    REVISE = "revise", _("Revise (90.92)")
    WITHDRAW = "withdraw", _("Withdraw (95.99)")


# Clause 5: organization and people ---------------------------------------------------------

class DepartmentRole(models.TextChoices):
    """5.1: one standardization body (or a lead department that coordinates), the rest
    departments with duties in standardization."""

    BODY = "body", _("Standardization body")
    LEAD_DEPARTMENT = "lead_department", _("Lead coordinating department")
    DEPARTMENT = "department", _("Department")


class StaffRole(models.TextChoices):
    """5.2: the standardization role a person holds."""

    LEADER = "leader", _("Leader in charge")
    FULL_TIME = "full_time", _("Full-time staff")
    PART_TIME = "part_time", _("Part-time staff")
    NONE = "none", _("No standardization role")


class InformationCategory(models.TextChoices):
    """5.4.2: the kinds of standardization information collected."""

    NATIONAL = "national", _("National standard")
    INDUSTRY = "industry", _("Industry standard")
    LOCAL = "local", _("Local standard")
    POLICY = "policy", _("Policy notice")
    PRACTICE = "practice", _("Other regions' practice")
    OTHER = "other", _("Other information")


class InformationStatus(models.TextChoices):
    NEW = "new", _("New")
    NEEDS_ACTION = "needs_action", _("Needs action")
    ACTED = "acted", _("Action taken")
    NO_ACTION = "no_action", _("No action needed")


# Clause 8: supervision and evaluation ------------------------------------------------------

class CheckResult(models.TextChoices):
    CONFORMING = "conforming", _("Conforming")
    NONCONFORMING = "nonconforming", _("Non-conformities found")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
