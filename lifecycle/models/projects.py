"""A project (制修订项目) carries one standard through clause 7; its documents, comments,
objections, people and timeline events live beside it, and so do what follows publication:
implementation plans (7.5.2) and periodic reviews (7.2.5). The stages are in
``lifecycle.models.workflow``.

Documents are stored outside the static root under random names and served only through a
permission-checked view; each upload is a new version."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.chained import ChainedHistory
from audit.forms import user_display
from audit.history import tracked
from catalog.models import Standard
from lifecycle.choices import (
    FINAL_STAGES,
    ISO_CODES,
    Disposition,
    DocumentKind,
    PeriodicConclusion,
    ProjectKind,
    ProjectLevel,
    ReviewConclusion,
    Stage,
)
from lifecycle.models.workflow import ProjectWorkflow, comment_period_ended
from organizations.scoping import InOrganization
from registry.models import Node

from .organization import Department


class Project(ProjectWorkflow):
    """制修订项目: a new standard or a revision of a published one, for a node of the system.

    The level decides who decides: the department lead for organization standards, the
    local or national authority (recorded by the office) otherwise. The stage only changes
    through the transitions of ``ProjectWorkflow``.
    """

    title = models.CharField(_("standard title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices,
                            default=ProjectKind.NEW)
    level = models.CharField(_("level"), max_length=16, choices=ProjectLevel.choices,
                             default=ProjectLevel.ORGANIZATION)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="projects",
                             verbose_name=_("node"))
    revises = models.ForeignKey(
        Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="revisions",
        verbose_name=_("standard revised"),
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT,
                                   related_name="projects", verbose_name=_("drafting department"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="led_projects", verbose_name=_("project leader"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    comment_starts_on = models.DateField(_("comment period starts"), null=True, blank=True)
    comment_ends_on = models.DateField(_("comment period ends"), null=True, blank=True)
    notice_starts_on = models.DateField(_("public notice starts"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice ends"), null=True, blank=True)
    # run_deadlines tells the office once when a period has ended.
    period_end_notified = models.DateField(null=True, blank=True, editable=False)
    review_conclusion = models.CharField(_("review conclusion"), max_length=24, blank=True,
                                         choices=ReviewConclusion.choices)
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("published standard"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    # The standard's text drafted in the registry (clause 7.3.2), when it is.
    text = models.OneToOneField("texts.Text", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="project", verbose_name=_("text"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="lifecycle_project_planned_end_after_start",
                violation_error_message=_("The planned end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ProjectKind.REVISION) | models.Q(revises__isnull=False),
                name="lifecycle_project_revision_names_standard",
                violation_error_message=_("A revision must name the standard it revises."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lifecycle:project_detail", args=[self.pk])

    @property
    def iso_code(self):
        return ISO_CODES[Stage(self.stage)]

    @property
    def is_final(self):
        return self.stage in FINAL_STAGES

    @property
    def is_overdue(self):
        return not self.is_final and self.planned_end < timezone.localdate()

    @property
    def comment_period_over(self):
        return comment_period_ended(self)


class ProjectMember(models.Model):
    """A member of the drafting group."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("member"))
    history = tracked()
    # Scoped through its project (organizations.scoping).
    objects = InOrganization.through("project__organization")

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [models.UniqueConstraint(fields=["project", "user"],
                                               name="lifecycle_member_unique")]

    def __str__(self):
        return f"{self.project} · {self.user}"


class ReviewAssignment(models.Model):
    """An expert assigned to review a project; only they may record the conclusion."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviewers")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="review_assignments", verbose_name=_("expert"))
    history = tracked()
    # Scoped through its project (organizations.scoping).
    objects = InOrganization.through("project__organization")

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [models.UniqueConstraint(fields=["project", "expert"],
                                               name="lifecycle_reviewer_unique")]

    def __str__(self):
        return f"{self.project} · {self.expert}"


class Comment(models.Model):
    """A comment received in the comment period, with its disposition (意见汇总处理表 row)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    unit = models.CharField(_("submitted by (unit)"), max_length=200)
    clause = models.CharField(_("clause"), max_length=50, blank=True)
    content = models.TextField(_("comment"))
    suggestion = models.TextField(_("proposed change"), blank=True)
    disposition = models.CharField(_("disposition"), max_length=16, blank=True,
                                   choices=Disposition.choices)
    disposition_reason = models.TextField(_("reason for the disposition"), blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    # Who registered the comment themselves during the period (an expert, anyone of the
    # organization); empty for one the office recorded on a unit's behalf.
    commenter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("commenter"))
    # The element of the frozen 征求意见稿 the comment sits on, when the draft is held in
    # the registry (clause 7.3.2): its clause number is read from the draft, never typed.
    # Null, not empty, on every other comment: nulls are not hashed, so the rows written
    # before these columns keep their digests.
    draft = models.ForeignKey("texts.Draft", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="comments", verbose_name=_("draft"))
    part_key = models.CharField(_("part of the draft"), max_length=32, null=True,  # noqa: DJ001
                                blank=True)
    history = tracked()
    # Scoped through its project (organizations.scoping).
    objects = InOrganization.through("project__organization")

    class Meta:
        ordering = ["id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disposition="") | ~models.Q(disposition_reason=""),
                name="lifecycle_comment_disposition_has_reason",
                violation_error_message=_("A disposition needs its reason."),
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.content[:40]}"


class Objection(models.Model):
    """An objection raised during the 30-day public notice of a local standard (7.4.2)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.CharField(_("raised by"), max_length=200)
    content = models.TextField(_("objection"))
    resolution = models.TextField(_("resolution"), blank=True)
    history = tracked()
    # Scoped through its project (organizations.scoping).
    objects = InOrganization.through("project__organization")

    class Meta:
        ordering = ["id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.raised_by}: {self.content[:40]}"

    @property
    def resolved(self):
        return bool(self.resolution)


def _experts(project):
    return [user_display(review.expert)
            for review in project.reviewers.select_related("expert").order_by("pk")]


def _period_days(starts_on, ends_on):
    return (ends_on - starts_on).days + 1


@dataclass(frozen=True)
class EventField:
    """One field of an event's payload: its label, its kind — "date" (an ISO date,
    YYYY-MM-DD), "int", "text", "list" (of texts) or a choices class (the stored value,
    shown with its label) — and how it is read from the project once the transition ran
    (the transitions store their data on the project; the event records it as it was)."""

    label: object
    kind: object
    read: Callable


# The typed data of each transition, as ``ProjectEvent.payload`` stores it: field →
# EventField, in the order the timeline shows them. Every transition of the state machine
# has an entry (tests/lifecycle/projects/test_events.py); one that takes no data has an
# empty one.
EVENT_PAYLOAD = {
    "submit_proposal": {},
    "pass_office_review": {},
    "return_proposal": {},
    "approve_proposal": {},
    "reject_proposal": {},
    "open_comment_period": {
        "starts_on": EventField(_("Comment period starts"), "date",
                                lambda project: project.comment_starts_on),
        "days": EventField(_("Length in days"), "int", lambda project: _period_days(
            project.comment_starts_on, project.comment_ends_on)),
        "ends_on": EventField(_("comment period ends"), "date",
                              lambda project: project.comment_ends_on),
    },
    "close_comment_period": {
        "comments": EventField(_("Comments"), "int", lambda project: project.comments.count()),
    },
    "pass_review": {
        "conclusion": EventField(_("Conclusion"), ReviewConclusion,
                                 lambda project: project.review_conclusion),
        "experts": EventField(_("Experts"), "list", _experts),
    },
    "fail_review": {
        "conclusion": EventField(_("Conclusion"), ReviewConclusion,
                                 lambda project: project.review_conclusion),
        "experts": EventField(_("Experts"), "list", _experts),
    },
    "approve": {},
    "start_public_notice": {
        "starts_on": EventField(_("Public notice starts"), "date",
                                lambda project: project.notice_starts_on),
        "ends_on": EventField(_("public notice ends"), "date",
                              lambda project: project.notice_ends_on),
    },
    "end_public_notice": {
        "objections": EventField(_("objections"), "int",
                                 lambda project: project.objections.count()),
    },
    "submit_to_authority": {},
    "record_authority_approval": {},
    "publish": {
        "number": EventField(_("Standard number"), "text",
                             lambda project: project.standard.number),
        "issued_on": EventField(_("Issue date"), "date",
                                lambda project: project.standard.issued_on),
        "implemented_on": EventField(_("Implementation date"), "date",
                                     lambda project: project.standard.implemented_on),
    },
    "terminate": {},
}

# The text an event recorded before its data was typed (the old ``detail`` column, moved
# into the payload by migration 0005 where it could not be read back into typed fields).
NOTE = "note"


class EventHistory(ChainedHistory):
    """The history rows of the timeline events. They keep the ``detail`` text the events
    had before it moved into their payload: the rows written before hashed it, so it stays
    with them; rows written since leave it null, and nulls are not hashed (audit/canonical.py).
    Likewise a row written before the payload entered the history has a null payload."""

    detail = models.TextField(null=True, editable=False)  # noqa: DJ001

    class Meta:
        abstract = True


class ProjectEvent(models.Model):
    """One step on the project's timeline: who moved it from which stage to which, and why,
    with the data the step took (a comment period's start and length, a review's
    conclusion and experts, a publication's number and dates) as a typed ``payload``
    (schema: ``EVENT_PAYLOAD``), which the chained history holds too."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("transition"), max_length=40)
    from_stage = models.CharField(_("from"), max_length=32, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=32, choices=Stage.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"))
    # Nullable only for the history rows written before the payload was hashed (a
    # default would fill them and change their digests); every event has one.
    payload = models.JSONField(_("data"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    history = tracked(bases=[EventHistory])
    # Scoped through its project (organizations.scoping).
    objects = InOrganization.through("project__organization")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("project event")
        verbose_name_plural = _("project events")

    def __str__(self):
        return f"{self.project}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"

    @staticmethod
    def payload_for(transition, project):
        """The payload of ``transition``, read from ``project`` once it ran: the fields of
        its schema that have a value, dates as ISO text."""
        payload = {}
        for name, field in EVENT_PAYLOAD[transition].items():
            value = field.read(project)
            if value in (None, "", []):
                continue
            if field.kind == "date":
                value = value.isoformat()
            elif field.kind == "int":
                value = int(value)
            elif field.kind != "list":
                value = str(value)
            payload[name] = value
        return payload

    def details(self):
        """(label, value) for each field of the payload, in the schema's order, values as
        people read them, then the note of an event recorded before its data was typed."""
        payload = self.payload or {}
        items = []
        for name, field in EVENT_PAYLOAD.get(self.transition, {}).items():
            if name not in payload:
                continue
            value = payload[name]
            if field.kind == "list":
                value = ", ".join(value)
            elif isinstance(field.kind, type) and issubclass(field.kind, models.Choices):
                value = dict(field.kind.choices).get(value, value)
            items.append((capfirst(field.label), value))
        if payload.get(NOTE):
            items.append((_("Note"), payload[NOTE]))
        return items

    def details_text(self):
        """The details on one line, as the API gives them (``detail``)."""
        return "; ".join(f"{label}: {value}" for label, value in self.details())


def document_path(instance, filename):
    # A random name without extension: nothing the user typed reaches the file system.
    return f"documents/{uuid.uuid4().hex}"


class Document(models.Model):
    """One uploaded version of a project document (项目建议书, 征求意见稿, 报批稿 …)."""

    project = models.ForeignKey(
        "lifecycle.Project", on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    stage = models.CharField(_("stage at upload"), max_length=32, choices=Stage.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = tracked()
    # Scoped through its project (organizations.scoping).
    objects = InOrganization.through("project__organization")

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "version"],
                                    name="lifecycle_document_version_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version} ({self.original_name})"


class ImplementationPlan(models.Model):
    """实施计划: scope, people and schedule of putting a published standard to work."""

    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="implementation_plans",
        verbose_name=_("standard"),
    )
    scope = models.TextField(_("scope"))
    people = models.TextField(_("people"))
    schedule = models.TextField(_("schedule and requirements"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")

    def __str__(self):
        return f"{self.standard.number} {self.starts_on}"


class PeriodicReview(models.Model):
    """复审: confirm, revise (opens a revision project) or withdraw a current standard."""

    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="periodic_reviews",
        verbose_name=_("standard"),
    )
    conclusion = models.CharField(_("conclusion"), max_length=16,
                                  choices=PeriodicConclusion.choices)
    reason = models.TextField(_("reason"))
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reviewed by"),
    )
    revision_project = models.ForeignKey(
        "lifecycle.Project", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("revision project"),
    )
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-reviewed_on"]
        verbose_name = _("periodic review")
        verbose_name_plural = _("periodic reviews")

    def __str__(self):
        return f"{self.standard.number} {self.reviewed_on} {self.get_conclusion_display()}"
