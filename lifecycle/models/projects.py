"""A project (制修订项目) carries one standard through clause 7; its documents, comments,
objections, people and timeline events live beside it, and so do what follows publication:
implementation plans (7.5.2) and periodic reviews (7.2.5). The stages are in
``lifecycle.models.workflow``.

Documents are stored outside the static root under random names and served only through a
permission-checked view; each upload is a new version."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    history = tracked()

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
    history = tracked()

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

    class Meta:
        ordering = ["id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.raised_by}: {self.content[:40]}"

    @property
    def resolved(self):
        return bool(self.resolution)


# The typed data of each kind of event (the transition taken), as ``ProjectEvent.payload``
# stores it: field → (label, kind), in the order the timeline shows them. Kinds: "date" (an
# ISO date, YYYY-MM-DD), "int", "text" or a choices class (the stored value, shown with its
# label). Transitions not listed carry no data (an empty payload).
EVENT_PAYLOAD = {
    "open_comment_period": {
        "starts_on": (_("Comment period starts"), "date"),
        "days": (_("Length in days"), "int"),
    },
    "pass_review": {"conclusion": (_("Conclusion"), ReviewConclusion)},
    "start_public_notice": {"starts_on": (_("Public notice starts"), "date")},
    "publish": {
        "number": (_("Standard number"), "text"),
        "issued_on": (_("Issue date"), "date"),
        "implemented_on": (_("Implementation date"), "date"),
    },
}


class ProjectEvent(models.Model):
    """One step on the project's timeline: who moved it from which stage to which, and why,
    with the data the step took (a comment period's start and length, a review's
    conclusion, a publication's number and dates) as a typed ``payload`` (schema:
    ``EVENT_PAYLOAD``).

    Events recorded before the payload existed keep their data as one readable ``detail``
    text, and are shown from it. The payload is not copied to the history rows: adding a
    column there would change the hash of every history row already chained. The history
    of the project, and of the standard a publication creates, hold the same data."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("transition"), max_length=40)
    from_stage = models.CharField(_("from"), max_length=32, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=32, choices=Stage.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"))
    detail = models.TextField(_("detail"), blank=True)
    payload = models.JSONField(_("data"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    history = tracked(excluded_fields=["payload"])

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("project event")
        verbose_name_plural = _("project events")

    def __str__(self):
        return f"{self.project}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"

    @staticmethod
    def payload_for(transition, data):
        """The payload of ``transition`` from the data it was taken with: the fields of
        its schema that were given, dates as ISO text, the standard number canonical."""
        from catalog.rules.numbers import (
            StandardNumber,
            StandardNumberError,
            normalize_standard_number,
        )

        payload = {}
        for name, (_label, kind) in EVENT_PAYLOAD.get(transition, {}).items():
            value = data.get(name)
            if value in (None, ""):
                continue
            if kind == "date":
                value = value.isoformat()
            elif kind == "int":
                value = int(value)
            elif isinstance(value, StandardNumber):  # parsed by the publish form
                value = value.canonical
            elif name == "number":
                try:
                    value = normalize_standard_number(value)
                except StandardNumberError:
                    pass
            payload[name] = value if kind in ("date", "int", "text") else str(value)
        return payload

    def details(self):
        """(label, value) for each field of the payload, in the schema's order, values as
        people read them; None for an event recorded before the payload (see ``detail``)."""
        if self.payload is None:
            return None
        items = []
        for name, (label, kind) in EVENT_PAYLOAD.get(self.transition, {}).items():
            if name not in self.payload:
                continue
            value = self.payload[name]
            if isinstance(kind, type) and issubclass(kind, models.Choices):
                value = dict(kind.choices).get(value, value)
            items.append((label, value))
        return items


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
    history = tracked()

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
    history = tracked()

    class Meta:
        ordering = ["-reviewed_on"]
        verbose_name = _("periodic review")
        verbose_name_plural = _("periodic reviews")

    def __str__(self):
        return f"{self.standard.number} {self.reviewed_on} {self.get_conclusion_display()}"
