"""During the comment period an expert, or anyone of the organization, submits their own
comment (they are its commenter); the office records the others and disposes of them all."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lifecycle.actions.projects import SaveComment, SubmitComment, TakeTransition
from lifecycle.choices import DocumentKind as K
from lifecycle.choices import Stage
from lifecycle.models import Comment, StaffProfile
from tests.lifecycle.conftest import attach


@pytest.fixture
def in_comment(make_project):
    today = timezone.localdate()
    return make_project(stage=Stage.COMMENT, comment_starts_on=today - timedelta(days=3),
                        comment_ends_on=today + timedelta(days=26))


def test_an_expert_submits_a_comment_and_the_office_disposes_of_it(
        in_comment, users, client_for, department):
    StaffProfile.objects.create(user=users["expert"], department=department)
    expert = client_for("expert")
    page = reverse("lifecycle:project_detail", args=[in_comment.pk])
    add = reverse("lifecycle:comment_add", args=[in_comment.pk])
    assert add.encode() in expert.get(page).content
    form = expert.get(add)
    assert form.context["form"].initial["unit"] == department.name
    assert "disposition" not in form.context["form"].fields
    # A disposition or another date sent along is not the expert's to set.
    response = expert.post(add, {"unit": department.name, "clause": "5.2",
                                 "content": "参保登记时限与 GB/T 27768 不一致",
                                 "suggestion": "改为5个工作日", "disposition": "accepted",
                                 "disposition_reason": "自行采纳", "received_on": "2026-01-01"})
    assert response.status_code == 302
    comment = Comment.objects.get(project=in_comment)
    assert comment.commenter == users["expert"] and comment.unit == department.name
    assert (comment.disposition, comment.disposition_reason) == ("", "")
    assert comment.received_on == timezone.localdate()
    assert comment.history.latest().history_user == users["expert"]
    shown = expert.get(page).content.decode()
    assert "参保登记时限" in shown and users["expert"].username in shown
    # The expert cannot dispose of it; the office does.
    edit = reverse("lifecycle:comment_edit", args=[in_comment.pk, comment.pk])
    assert expert.get(edit).status_code == 403
    office = client_for("office")
    assert office.post(edit, {"unit": comment.unit, "clause": "5.2", "content": comment.content,
                              "received_on": comment.received_on.isoformat(),
                              "disposition": "accepted",
                              "disposition_reason": "按意见修改"}).status_code == 302
    comment.refresh_from_db()
    assert comment.disposition == "accepted" and comment.commenter == users["expert"]


@pytest.mark.parametrize("role", ["lead", "viewer"])
def test_anyone_of_the_organization_submits_their_own(in_comment, users, role):
    comment = SubmitComment(users[role], in_comment,
                            Comment(unit="州社保局", content="术语表缺少“参保单位”")).execute()
    assert comment.commenter == users[role]


def test_no_comment_outside_the_open_period(make_project, users, client_for):
    today = timezone.localdate()
    past = make_project(stage=Stage.COMMENT, comment_starts_on=today - timedelta(days=30),
                        comment_ends_on=today - timedelta(days=1))
    drafting = make_project(stage=Stage.DRAFTING)
    expert = client_for("expert")
    for project in (past, drafting):
        add = reverse("lifecycle:comment_add", args=[project.pk])
        assert expert.post(add, {"unit": "x", "content": "y"}).status_code == 403
        with pytest.raises(PermissionDenied):
            SubmitComment(users["expert"], project, Comment(unit="x", content="y")).execute()
    assert not Comment.objects.exists()


def test_closed_on_its_last_day_the_period_takes_no_more_comments(make_project, users):
    project = make_project(stage=Stage.DRAFTING)
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES)
    today = timezone.localdate()
    project = TakeTransition(users["office"], project, "open_comment_period", "征求意见",
                             starts_on=today - timedelta(days=6), days=7).execute()
    comment = SubmitComment(users["expert"], project,
                            Comment(unit="专家组", content="第4章结构调整")).execute()
    comment.disposition, comment.disposition_reason = "accepted", "已调整"
    SaveComment(users["office"], project, comment).execute()
    attach(project, K.REVIEW_DRAFT)
    project = TakeTransition(users["office"], project, "close_comment_period", "期满").execute()
    assert project.comment_period_over
    with pytest.raises(PermissionDenied):
        SubmitComment(users["expert"], project, Comment(unit="x", content="迟到的意见")).execute()
