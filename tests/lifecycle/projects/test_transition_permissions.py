"""Every transition × every role, through the state machine and by posting the URL."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import DocumentKind as K
from lifecycle.choices import Stage
from lifecycle.models import Comment, ReviewAssignment
from tests.lifecycle.conftest import attach

ROLES = ("admin", "office", "lead", "expert", "viewer")
TODAY = timezone.localdate()

# transition: (level, source stage, documents, extra data, roles allowed)
MATRIX = {
    "submit_proposal": ("organization", Stage.PROPOSAL, [K.PROPOSAL], {}, {"admin", "office"}),
    "pass_office_review": ("organization", Stage.OFFICE_REVIEW, [], {}, {"admin", "office"}),
    "return_proposal": ("organization", Stage.OFFICE_REVIEW, [], {}, {"admin", "office"}),
    "approve_proposal": ("organization", Stage.PROPOSAL_DECISION, [], {}, {"admin", "lead"}),
    "reject_proposal": ("organization", Stage.PROPOSAL_DECISION, [], {}, {"admin", "lead"}),
    "open_comment_period": ("organization", Stage.DRAFTING,
                            [K.COMMENT_DRAFT, K.EXPLANATORY_NOTES], {}, {"admin", "office"}),
    "close_comment_period": ("organization", Stage.COMMENT, [K.REVIEW_DRAFT], {},
                             {"admin", "office"}),
    "pass_review": ("organization", Stage.REVIEW, [K.APPROVAL_DRAFT, K.MINUTES],
                    {"conclusion": "passed"}, {"admin", "expert"}),
    "fail_review": ("organization", Stage.REVIEW, [], {}, {"admin", "expert"}),
    "approve": ("organization", Stage.APPROVAL,
                [K.APPROVAL_DRAFT, K.EXPLANATORY_NOTES, K.MINUTES], {}, {"admin", "lead"}),
    "start_public_notice": ("local", Stage.APPROVAL,
                            [K.APPROVAL_DRAFT, K.EXPLANATORY_NOTES, K.MINUTES], {},
                            {"admin", "office"}),
    "end_public_notice": ("local", Stage.PUBLIC_NOTICE, [], {}, {"admin", "office"}),
    "submit_to_authority": ("national", Stage.APPROVAL,
                            [K.APPROVAL_DRAFT, K.EXPLANATORY_NOTES, K.MINUTES], {},
                            {"admin", "office"}),
    "record_authority_approval": ("national", Stage.AUTHORITY_APPROVAL,
                                  [K.AUTHORITY_DECISION], {}, {"admin", "office"}),
    "publish": ("organization", Stage.APPROVED, [], {}, {"admin", "office"}),
    "terminate": ("organization", Stage.DRAFTING, [], {}, {"admin", "office"}),
}


def prepared(make_project, users, name):
    level, stage, documents, _data, _roles = MATRIX[name]
    project = make_project(level=level, stage=stage,
                           comment_ends_on=TODAY - timedelta(days=1),
                           notice_ends_on=TODAY - timedelta(days=1))
    attach(project, *documents)
    ReviewAssignment.objects.create(project=project, expert=users["expert"])
    Comment.objects.create(project=project, unit="单位", content="意见",
                           disposition="accepted", disposition_reason="采纳")
    return project


def data_for(name, serial):
    if name == "publish":
        return {"number": f"Q/CJSB {serial:03d}-2026", "issued_on": TODAY,
                "implemented_on": TODAY}
    return MATRIX[name][3]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_transition_roles(make_project, users, name):
    for serial, role in enumerate(ROLES, start=1):
        project = prepared(make_project, users, name)
        allowed = role in MATRIX[name][4]
        if allowed:
            moved = TakeTransition(users[role], project, name, "测试", **data_for(name,
                                                                                serial)).execute()
            assert moved.stage != MATRIX[name][1], (name, role)
        else:
            with pytest.raises(PermissionDenied):
                TakeTransition(users[role], project, name, "测试",
                               **data_for(name, serial)).execute()
            project.refresh_from_db()
            assert project.stage == MATRIX[name][1], (name, role)


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_posting_a_transition_url_is_refused(make_project, users, client_for, role):
    project = prepared(make_project, users, "submit_proposal")
    client = client_for(role)
    url = reverse("lifecycle:project_transition", args=[project.pk, "submit_proposal"])
    response = client.post(url, {"submit_proposal-expected_stage": project.stage,
                                 "submit_proposal-reason": "越权"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == Stage.PROPOSAL


def test_unknown_transition_is_refused(make_project, users, client_for):
    project = prepared(make_project, users, "submit_proposal")
    url = reverse("lifecycle:project_transition", args=[project.pk, "delete"])
    response = client_for("office").post(url, {"delete-expected_stage": "proposal",
                                                "delete-reason": "x"})
    assert response.status_code == 403


PAGES = [
    ("lifecycle:project_list", False, {"admin", "office", "lead", "expert", "viewer"}),
    ("lifecycle:project_add", False, {"admin", "office"}),
    ("lifecycle:project_detail", True, {"admin", "office", "lead", "expert", "viewer"}),
    ("lifecycle:project_edit", True, {"admin", "office"}),
    ("lifecycle:document_add", True, {"admin", "office"}),
    # The office records any comment; everyone else submits their own in the period.
    ("lifecycle:comment_add", True, {"admin", "office", "lead", "expert", "viewer"}),
    ("lifecycle:objection_add", True, {"admin", "office"}),
    ("lifecycle:reviewassignment_edit", True, {"admin", "office"}),
    ("lifecycle:task_list", False, {"admin", "office", "lead", "expert", "viewer"}),
    ("lifecycle:periodicreview_list", False, {"admin", "office", "lead", "expert", "viewer"}),
]


# Records that belong to one stage are only open at that stage.
PAGE_STAGES = {"lifecycle:comment_add": Stage.COMMENT,
               "lifecycle:objection_add": Stage.PUBLIC_NOTICE}


@pytest.mark.parametrize("role", ROLES)
def test_lifecycle_pages_per_role(make_project, client_for, role):
    client = client_for(role)
    for name, with_project, allowed in PAGES:
        project = make_project(stage=PAGE_STAGES.get(name, Stage.PROPOSAL))
        url = reverse(name, args=[project.pk] if with_project else [])
        expected = 200 if role in allowed else 403
        assert client.get(url).status_code == expected, (name, role)
