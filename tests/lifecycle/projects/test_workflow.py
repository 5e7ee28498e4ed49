"""The lifecycle from proposal to publication, as the state machine allows it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Standard
from lifecycle.actions.projects import AlreadyDecided, TakeTransition
from lifecycle.choices import Disposition, Stage
from lifecycle.choices import DocumentKind as K
from lifecycle.models import Comment, ProjectEvent, ReviewAssignment
from registry.rules.tree.rows import build_rows
from tests.lifecycle.conftest import attach


def step(project, name, user, **data):
    return TakeTransition(user, project, name, f"理由：{name}", **data).execute()


def time_passes(project):
    """The calendar moves past the end of the comment period (no one's change: no history)."""
    project.comment_ends_on = timezone.localdate() - timedelta(days=1)
    type(project).objects.filter(pk=project.pk).update(comment_ends_on=project.comment_ends_on)


def carry_to_publication(project, users, number="Q/CJSB 001-2026", issued_on=None):
    office, lead, expert = users["office"], users["lead"], users["expert"]
    attach(project, K.PROPOSAL)
    project = step(project, "submit_proposal", office)
    assert project.stage == Stage.OFFICE_REVIEW  # 7.3.1.1: the office reviews first
    project = step(project, "pass_office_review", office)
    project = step(project, "approve_proposal", lead)
    assert project.stage == Stage.DRAFTING
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES)
    project = step(project, "open_comment_period", office, days=30)
    time_passes(project)
    for unit in ("市人社局", "县社保中心"):
        Comment.objects.create(project=project, unit=unit, clause="5.1", content="建议补充",
                               disposition=Disposition.ACCEPTED, disposition_reason="已补充")
    attach(project, K.REVIEW_DRAFT)
    project = step(project, "close_comment_period", office)
    ReviewAssignment.objects.create(project=project, expert=expert)
    attach(project, K.APPROVAL_DRAFT, K.MINUTES)
    project = step(project, "pass_review", expert, conclusion="passed")
    project = step(project, "approve", lead)
    assert project.stage == Stage.APPROVED
    issued_on = issued_on or timezone.localdate()
    return step(project, "publish", office, number=number, issued_on=issued_on,
                implemented_on=issued_on)


def test_organization_project_from_proposal_to_publication(make_project, users):
    project = make_project()
    aspect = project.node
    assert next(r for r in build_rows(aspect) if r.node == aspect).is_gap
    project = carry_to_publication(project, users)
    assert project.stage == Stage.PUBLISHED
    standard = Standard.objects.get(number="Q/CJSB 001—2026")
    assert project.standard == standard and standard.level == "organization"
    assert standard.placements.get().node == aspect
    assert not next(r for r in build_rows(aspect) if r.node == aspect).is_gap
    events = list(project.events.values_list("transition", "user__username"))
    assert [t for t, _u in events] == [
        "submit_proposal", "pass_office_review", "approve_proposal", "open_comment_period",
        "close_comment_period", "pass_review", "approve", "publish"]
    assert dict(events)["approve"] == "lead" and dict(events)["pass_review"] == "expert"
    # The history has a row per transition, each with its reason.
    reasons = list(project.history.exclude(history_type="+")
                   .values_list("history_change_reason", flat=True))
    assert len(reasons) == 8 and all(r.startswith("理由：") for r in reasons)


def test_a_revision_supersedes_its_predecessor_on_publication(make_project, users):
    old = carry_to_publication(make_project(), users, number="Q/CJSB 001-2025",
                               issued_on=date(2025, 6, 1)).standard
    revision = make_project(kind="revision", revises=old, title="社会保险报表管理规范（修订）")
    new = carry_to_publication(revision, users, number="Q/CJSB 001-2026").standard
    assert list(new.replaces.all()) == [old]
    assert Standard.objects.with_status().get(pk=old.pk).computed_status == "superseded"


def test_failed_review_goes_back_to_drafting_as_a_recorded_step(make_project, users):
    project = make_project()
    attach(project, K.PROPOSAL)
    for name, user in (("submit_proposal", "office"), ("pass_office_review", "office"),
                       ("approve_proposal", "lead")):
        project = step(project, name, users[user])
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES, K.REVIEW_DRAFT)
    project = step(project, "open_comment_period", users["office"], days=30)
    time_passes(project)
    project = step(project, "close_comment_period", users["office"])
    ReviewAssignment.objects.create(project=project, expert=users["expert"])
    project = step(project, "fail_review", users["expert"])
    assert project.stage == Stage.DRAFTING and project.review_conclusion == "failed"
    assert ProjectEvent.objects.filter(project=project, to_stage=Stage.DRAFTING,
                                       from_stage=Stage.REVIEW).exists()


def test_no_stage_can_be_skipped(make_project, users):
    project = make_project()
    with pytest.raises(ValidationError):
        step(project, "approve_proposal", users["lead"])
    with pytest.raises(ValidationError):
        step(project, "publish", users["office"], number="Q/CJSB 9-2026",
             issued_on=timezone.localdate(), implemented_on=timezone.localdate())
    assert project.stage == Stage.PROPOSAL and not Standard.objects.filter(
        number="Q/CJSB 9—2026").exists()


def test_conditions_say_what_is_missing(make_project, users):
    project = make_project()
    with pytest.raises(ValidationError) as caught:
        step(project, "submit_proposal", users["office"])
    assert "proposal" in str(caught.value).lower() or "建议书" in str(caught.value)


def test_comment_period_cannot_end_early_or_with_undecided_comments(make_project, users):
    project = make_project(stage=Stage.DRAFTING)
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES, K.REVIEW_DRAFT)
    project = step(project, "open_comment_period", users["office"])
    assert project.comment_ends_on == timezone.localdate() + timedelta(days=29)
    with pytest.raises(ValidationError):
        step(project, "close_comment_period", users["office"])
    project.comment_ends_on = timezone.localdate() - timedelta(days=1)
    project.save()
    comment = Comment.objects.create(project=project, unit="单位", content="意见")
    with pytest.raises(ValidationError):
        step(project, "close_comment_period", users["office"])
    comment.disposition, comment.disposition_reason = Disposition.NOT_ACCEPTED, "不适用"
    comment.save()
    assert step(project, "close_comment_period", users["office"]).stage == Stage.REVIEW


def test_local_project_needs_public_notice_and_authority(make_project, users):
    project = make_project(level="local", stage=Stage.APPROVAL)
    attach(project, K.APPROVAL_DRAFT, K.EXPLANATORY_NOTES, K.MINUTES)
    with pytest.raises(ValidationError, match="organization"):
        step(project, "approve", users["lead"])  # not an organization standard
    project = step(project, "start_public_notice", users["office"],
                   starts_on=timezone.localdate() - timedelta(days=31))
    assert project.stage == Stage.PUBLIC_NOTICE
    project = step(project, "end_public_notice", users["office"])
    with pytest.raises(ValidationError):
        step(project, "record_authority_approval", users["office"])  # decision not uploaded
    attach(project, K.AUTHORITY_DECISION)
    assert step(project, "record_authority_approval", users["office"]).stage == Stage.APPROVED


def test_terminate_at_any_stage_with_reason(make_project, users):
    project = make_project(stage=Stage.COMMENT)
    with pytest.raises(ValidationError):
        TakeTransition(users["office"], project, "terminate", "").execute()
    project = TakeTransition(users["office"], project, "terminate", "业务调整，不再需要").execute()
    assert project.stage == Stage.TERMINATED
    assert project.events.get().reason == "业务调整，不再需要"


def test_second_decision_is_told_who_decided(make_project, users):
    project = make_project(stage=Stage.PROPOSAL_DECISION)
    step(project, "approve_proposal", users["lead"])
    with pytest.raises(AlreadyDecided) as caught:
        TakeTransition(users["admin"], project, "reject_proposal", "不同意",
                       expected_stage=Stage.PROPOSAL_DECISION).execute()
    assert "lead" in str(caught.value) or "部门负责人" in str(caught.value)


def test_publication_number_is_validated(make_project, users):
    project = make_project(stage=Stage.APPROVED)
    today = timezone.localdate()
    for bad in ("XYZ 12", "Q/CJSB 001", "GB/T 1.1-2020"):
        with pytest.raises(ValidationError):
            step(project, "publish", users["office"], number=bad, issued_on=today,
                 implemented_on=today)
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED


def test_a_project_publishes_at_its_own_level(make_project, users):
    project = make_project(stage=Stage.APPROVED)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="own level"):
        step(project, "publish", users["office"], number="GB/T 99999-2026", issued_on=today,
             implemented_on=today)


def test_a_comment_period_cannot_be_backdated_before_drafting(make_project, users):
    project = make_project(stage=Stage.PROPOSAL_DECISION)
    project = step(project, "approve_proposal", users["lead"])
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES)
    with pytest.raises(ValidationError, match="drafting"):
        step(project, "open_comment_period", users["office"],
             starts_on=timezone.localdate() - timedelta(days=31))
    project.refresh_from_db()
    assert project.stage == Stage.DRAFTING and project.comment_ends_on is None
