"""Writes of the projects area (clause 7): opening and editing a project, taking a
transition, what office staff record on it (documents, comments, objections, experts),
publication, periodic reviews, revisions and implementation plans. One action each."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition

from audit.actions import Action, ActionError, SaveInstance
from audit.forms import user_display
from catalog.actions.standards import owner_for
from catalog.models import Standard, Supersession
from catalog.models.choices import Level
from catalog.rules.numbers import StandardNumber, StandardNumberError, parse_standard_number
from lifecycle.actions import in_organization
from lifecycle.actions.texts import LinkText, freeze_text
from lifecycle.choices import (
    FINAL_STAGES,
    PeriodicConclusion,
    ProjectKind,
    ProjectLevel,
)
from lifecycle.models import (
    Document,
    PeriodicReview,
    Project,
    ProjectEvent,
    ProjectMember,
    ReviewAssignment,
)
from lifecycle.models.workflow import FROZEN_AT
from lifecycle.rules.draft_comments import comment_draft, draft_places
from lifecycle.rules.drafts import edition_in_force, first_document
from lifecycle.rules.projects import (
    add_years,
    expert_may_upload,
    may_submit_comment,
    project_problems,
    publication_year,
    revision_department,
    revision_level,
    revision_problems,
    transition_spec,
    unmet_conditions,
    was_at_stage,
)
from registry.models import Placement
from registry.rules.tree.scope import placements

# --- the project and its people ----------------------------------------------------------


class SaveProject(SaveInstance):
    """Open or edit a project and make its members exactly ``members``, one history row
    per member added or removed. Opening a project is its own reason."""

    default_reason = gettext_lazy("Project opened")

    def __init__(self, user, project, reason="", *, members=()):
        super().__init__(user, project, reason)
        self.members = set(members)

    def check(self):
        super().check()
        problems = project_problems(self.instance)
        if problems:
            raise ActionError(problems)

    def _execute(self):
        project = self.instance
        if not project.pk:
            project.created_by = self.user
        self.save(in_organization(project))
        for member in project.members.select_related("user"):
            if member.user not in self.members:
                self.delete(member)
        have = {m.user_id for m in project.members.all()}
        for person in self.members:
            if person.pk not in have:
                self.save(ProjectMember(project=project, user=person))
        return project


class AssignExperts(Action):
    """Make the project's review experts exactly ``experts``."""

    permission = "lifecycle.add_reviewassignment"
    reason_required = False
    default_reason = gettext_lazy("Experts assigned")

    def __init__(self, user, project, experts):
        super().__init__(user)
        self.project, self.experts = project, set(experts)

    def _execute(self):
        for assignment in self.project.reviewers.select_related("expert"):
            if assignment.expert not in self.experts:
                self.delete(assignment)
        have = {r.expert_id for r in self.project.reviewers.all()}
        for expert in self.experts:
            if expert.pk not in have:
                self.save(ReviewAssignment(project=self.project, expert=expert))
        return self.project


# --- the records of a project --------------------------------------------------------------


class UploadDocument(Action):
    """A new version of one kind of document of the project (the file already checked by
    its content: ``file_format``)."""

    permission = "lifecycle.add_document"
    reason_required = False

    def __init__(self, user, project, kind, upload, file_format):
        super().__init__(user)
        self.project, self.kind, self.upload, self.file_format = (project, kind, upload,
                                                                  file_format)

    def has_permission(self):
        return super().has_permission() or (
            self.user is not None and expert_may_upload(self.project, self.user, self.kind))

    def _execute(self):
        latest = (Document.objects.select_for_update()
                  .filter(project=self.project, kind=self.kind)
                  .aggregate(Max("version"))["version__max"] or 0)
        document = Document(
            project=self.project, kind=self.kind, stage=self.project.stage,
            version=latest + 1, original_name=self.upload.name[:255],
            file_format=self.file_format, size=self.upload.size, uploaded_by=self.user,
        )
        document.file.save("upload", self.upload, save=False)
        self.reason = _("Uploaded %(name)s") % {"name": document.original_name}
        return self.save(document)


def place_on_draft(comment):
    """A comment on the frozen 征求意见稿 sits on one of its elements (or on the draft as
    a whole): its clause is read from the draft's numbering, never typed (clause 7.3.2)."""
    if comment.draft_id is None:
        comment.part_key = None
        return
    project = comment.project
    draft = comment.draft
    if draft.text_id != project.text_id or draft.stage != draft.Stage.COMMENT or (
            comment.pk is None and draft != comment_draft(project)):
        raise ActionError(_("Comments sit on the project's current draft for comments."))
    comment.part_key = comment.part_key or None
    if comment.part_key is None:
        comment.clause = ""
        return
    place = draft_places(draft).get(comment.part_key)
    if place is None:
        raise ActionError({"part_key": _("This part is not in the draft for comments.")})
    comment.clause = place.cited[:50]


class SaveComment(SaveInstance):
    """Record a comment of the comment period, or its disposition."""

    def __init__(self, user, project, comment):
        comment.project = project
        super().__init__(user, comment)
        self.reason_required = False
        self.reason = (_("Disposition recorded") if comment.disposition
                       else _("Comment recorded"))

    def check(self):
        super().check()
        place_on_draft(self.instance)


class SubmitComment(SaveInstance):
    """A user registers their own comment while the period is open (``may_submit_comment``):
    they are its commenter, it is received today, and its disposition is the office's."""

    def __init__(self, user, project, comment):
        comment.project, comment.commenter = project, user
        comment.received_on = timezone.localdate()
        comment.disposition = comment.disposition_reason = comment.note = ""
        super().__init__(user, comment)
        self.reason_required = False
        self.reason = _("Comment submitted")

    def has_permission(self):
        return self.instance.pk is None and may_submit_comment(self.instance.project, self.user)

    def check(self):
        super().check()
        place_on_draft(self.instance)


class SaveObjection(SaveInstance):
    """Record an objection raised during the public notice, or its resolution."""

    def __init__(self, user, project, objection):
        objection.project = project
        super().__init__(user, objection)
        self.reason_required = False
        self.reason = _("Objection recorded")


# --- transitions ---------------------------------------------------------------------------


class AlreadyDecided(ActionError):
    """The project moved on since the page was loaded."""


def _already_decided(project):
    last = project.events.order_by("-at", "-id").select_related("user").first()
    return AlreadyDecided(
        _("Already decided by %(user)s: the project is now at “%(stage)s”.")
        % {"user": user_display(last.user) if last else "?",
           "stage": project.get_stage_display()}
    )


# Sent once a transition is committed, with ``project_id`` and ``event_id``: the notice is the
# tasks' (``lifecycle.tasks.queue_transition``), which sit above the actions, so
# ``lifecycle.receivers`` hands it to them.
transition_taken = Signal()


class TakeTransition(Action):
    """Take transition ``name`` on ``project``: the one way a project's stage changes.

    Locks the project row, checks the user's role and the conditions (the state machine,
    ``lifecycle.models.workflow``, decides who may), runs the transition (``publish`` first
    writes the standard: ``PublishStandard``), saves with the reason, writes the timeline
    event and, once committed, has the notices sent (``transition_taken``). Two people deciding
    at once: the second finds the stage moved (``expected_stage``) and is told who decided.
    Returns the saved project."""

    def __init__(self, user, project, name, reason, expected_stage=None, **data):
        super().__init__(user, reason)
        self.project, self.name = project, name
        self.expected_stage, self.data = expected_stage, data

    def _execute(self):
        project = self.lock(self.project)
        if self.expected_stage and project.stage != self.expected_stage:
            if not was_at_stage(project, self.expected_stage):
                # Not a page overtaken by someone's decision: a request no page sends.
                raise ActionError(_("This request names a stage the project has never been "
                                    "at; reload the project page and try again."))
            raise _already_decided(project)
        method, spec = transition_spec(project, self.name)
        if spec is None:
            raise ValidationError(_("This step is not possible at the stage “%(stage)s”.")
                                  % {"stage": project.get_stage_display()})
        if not spec.has_perm(project, self.user):
            raise PermissionDenied(_("Your role may not take this step."))
        unmet = unmet_conditions(project, self.name)
        if unmet:
            raise ValidationError(unmet)
        from_stage = project.stage
        written = {}
        if self.name == "publish":
            publishing = PublishStandard(
                self.user, project, self.reason, number=self.data.get("number", ""),
                issued_on=self.data.get("issued_on"),
                implemented_on=self.data.get("implemented_on"))
            written = {"standard": publishing.execute(), "warning": publishing.warning}
        method(user=self.user, reason=self.reason, **self.data, **written)
        try:
            self.save(project)
        except ConcurrentTransition as exc:
            raise _already_decided(Project.objects.get(pk=project.pk)) from exc
        if project.text_id is not None and self.name in FROZEN_AT:
            freeze_text(self.user, project, FROZEN_AT[self.name], self.reason)
        event = self.save(ProjectEvent(
            project=project, transition=self.name, from_stage=from_stage,
            to_stage=project.stage, user=self.user, reason=self.reason,
            payload=ProjectEvent.payload_for(self.name, project)))
        transaction.on_commit(lambda: transition_taken.send(
            TakeTransition, project_id=project.pk, event_id=event.pk))
        return project


# A project publishes at its own level (a national project may yield an industry standard).
LEVELS_FOR_PROJECT = {
    ProjectLevel.ORGANIZATION: {Level.ORGANIZATION},
    ProjectLevel.LOCAL: {Level.LOCAL},
    ProjectLevel.NATIONAL: {Level.NATIONAL, Level.INDUSTRY},
}


class PublishStandard(Action):
    """Create the published standard, place it on the project's node and, for a revision,
    make it replace its predecessor. Run by ``TakeTransition`` for the ``publish``
    transition, which decided who may (so no permission of its own). Raises ValidationError
    with a user-facing message. ``number`` is the text or a ``StandardNumber`` already
    parsed; ``warning`` is what the year rule (``publication_year``) has to say about it,
    decided before anything is written."""

    def __init__(self, user, project, reason, *, number, issued_on, implemented_on):
        super().__init__(user, reason)
        self.project, self.number = project, number
        self.issued_on, self.implemented_on = issued_on, implemented_on

    def _execute(self):
        project, number = self.project, self.number
        issued_on, implemented_on = self.issued_on, self.implemented_on
        if isinstance(number, StandardNumber):  # parsed once, by the publish form
            parsed = number
        else:
            try:
                parsed = parse_standard_number(number)
            except StandardNumberError as exc:
                raise ValidationError({"number": str(exc)}) from exc
        canonical = parsed.canonical
        allowed = LEVELS_FOR_PROJECT[project.level]
        if parsed.level not in allowed:
            raise ValidationError({"number": _(
                "%(number)s is a %(level)s standard number; this %(project)s project publishes "
                "a standard of its own level.") % {
                    "number": canonical, "level": Level(parsed.level).label,
                    "project": project.get_level_display()}})
        if not parsed.is_dated:
            raise ValidationError({"number": _("A published standard needs the year in its "
                                               "number.")})
        self.warning = publication_year(parsed, issued_on)
        if Standard.unscoped.filter(number=canonical).exists():
            raise ValidationError({"number": _("%(number)s is already in the catalog.")
                                   % {"number": canonical}})
        if not issued_on or not implemented_on:
            raise ValidationError(_("Give the issue and implementation dates."))
        if implemented_on < issued_on:
            raise ValidationError(_("The implementation date cannot be before the issue date."))
        standard = self.save(Standard(
            number=canonical, title=project.title, issued_on=issued_on,
            implemented_on=implemented_on,
            # An organization standard (Q/…) is the project's organization's own.
            owner=owner_for(canonical, project.organization),
        ))
        self.save(Placement(node=project.node, standard=standard))
        if project.revises_id:
            self.save(Supersession(new=standard, old=project.revises))
        return standard


class MarkPeriodAnnounced(Action):
    """Remember that the end of the project's period (the day ``ends_on``) has been announced,
    so the daily run (``lifecycle.tasks.end_periods``) announces it once. A bookkeeping column
    written by an update, as before: no history row for it."""

    reason_required = False

    def __init__(self, user, project, ends_on):
        super().__init__(user)
        self.project, self.ends_on = project, ends_on

    def _execute(self):
        Project.objects.filter(pk=self.project.pk).update(period_end_notified=self.ends_on)
        return self.project


# --- after publication ----------------------------------------------------------------------


class OpenRevision(Action):
    """Open a revision project for ``standard`` on its node: one open revision per standard
    at a time. Asked for by a periodic review, an information item or the reference watch,
    whose own permission decides who may; refused (ActionError) with the reason why not.
    ``department`` and ``level`` are the form's choices; without them, only what leaves no
    choice (``revision_department``, ``revision_level``), else a refusal asking for them."""

    def __init__(self, user, standard, reason, department=None, level=None):
        super().__init__(user, reason)
        self.standard, self.department, self.level = standard, department, level

    def _execute(self):
        standard = self.standard
        open_project = standard.revisions.exclude(stage__in=FINAL_STAGES).first()
        if open_project is not None:
            raise ActionError(_("A revision of this standard is already under way: "
                                "%(project)s.") % {"project": open_project})
        # Its node in the system of the organization acted in.
        placement = (placements().filter(standard=standard).select_related("node")
                     .order_by("node__path").first())
        if placement is None:
            raise ActionError(_("Place the standard on a node before opening its revision."))
        department = self.department or revision_department(standard)
        level = self.level or revision_level(standard)
        problems = revision_problems(standard, department, level)
        if problems:
            raise ActionError(list(problems.values()))
        today = timezone.localdate()
        project = self.save(in_organization(Project(
            title=standard.title, kind=ProjectKind.REVISION, level=level,
            node=placement.node, revises=standard, department=department, leader=self.user,
            planned_start=today, planned_end=add_years(today, 1), created_by=self.user,
        )))
        if edition_in_force(project) is not None:
            # The registry holds the text in force: the revision starts from its copy
            # (clause 7.3.2), which whoever opened the revision may have without the role
            # that writes texts: opening it was the decision.
            project = LinkText(self.user, project, first_document(project),
                               by_operator=True).execute()
        return project


class AddPeriodicReview(Action):
    """Record a periodic review (复审); revise opens a revision project, withdraw withdraws
    the standard. The reason is the review's own."""

    permission = "lifecycle.add_periodicreview"

    def __init__(self, user, standard, conclusion, reason, department=None, level=None):
        super().__init__(user, reason)
        self.standard, self.conclusion = standard, conclusion
        self.department, self.level = department, level  # of the revision (OpenRevision)

    def _execute(self):
        today = timezone.localdate()
        review = in_organization(PeriodicReview(
            standard=self.standard, conclusion=self.conclusion, reason=self.reason,
            reviewed_on=today, reviewed_by=self.user))
        if self.conclusion == PeriodicConclusion.REVISE:
            review.revision_project = OpenRevision(self.user, self.standard, self.reason,
                                                   self.department, self.level).execute()
        if self.conclusion == PeriodicConclusion.WITHDRAW:
            self.standard.withdrawn_on = today
            self.save(self.standard)
        return self.save(review)


class AddImplementationPlan(Action):
    """Add an implementation plan (实施计划) to a published standard."""

    permission = "lifecycle.add_implementationplan"
    reason_required = False
    default_reason = gettext_lazy("Implementation plan")

    def __init__(self, user, standard, plan):
        super().__init__(user)
        self.standard, self.plan = standard, plan

    def _execute(self):
        self.plan.standard, self.plan.created_by = self.standard, self.user
        return self.save(in_organization(self.plan))
