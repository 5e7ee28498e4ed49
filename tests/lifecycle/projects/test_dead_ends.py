"""No project gets stuck: every open stage names someone who can take the next step, a
department without a lead cannot carry an organization project, experts upload the
documents of their review, the office is waited for until experts are assigned, a comment
period closes on its last day, and projects sit on categories and aspects only."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import RETURN_VALUE

from lifecycle.actions.projects import SaveProject, TakeTransition
from lifecycle.choices import DocumentKind as K
from lifecycle.choices import ProjectLevel, Stage
from lifecycle.models import Department, Project, ReviewAssignment
from lifecycle.models.workflow import local_level, national_level, organization_level
from lifecycle.rules.projects import TRANSITIONS, user_transitions, waiting_for
from lifecycle.rules.tasks import tasks_for
from registry.models import Node
from tests.lifecycle.conftest import attach, pdf_upload

LEVEL_GUARDS = {organization_level: ProjectLevel.ORGANIZATION, local_level: ProjectLevel.LOCAL,
                national_level: ProjectLevel.NATIONAL}


def reachable_stages(level):
    """The stages a project of ``level`` can reach from its proposal, read from the state
    machine's declarations (level conditions honoured)."""
    from lifecycle.models import Project as P

    edges = []
    for name in TRANSITIONS:
        for source, spec in getattr(P, name)._django_fsm.transitions.items():
            if any(LEVEL_GUARDS.get(c, level) != level for c in spec.conditions):
                continue
            targets = (spec.target.allowed_states if isinstance(spec.target, RETURN_VALUE)
                       else [spec.target])
            if name == "submit_proposal":  # the one branch decided in code: by level
                targets = [Stage.OFFICE_REVIEW if level == ProjectLevel.ORGANIZATION
                           else Stage.PROPOSAL_DECISION]
            edges += [(source, target) for target in targets]
    seen, todo = {Stage.PROPOSAL}, [Stage.PROPOSAL]
    while todo:
        stage = todo.pop()
        for source, target in edges:
            if source in (stage, "*") and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def can_act(project, user):
    """The user may take a step from the project's stage (its documents may still be
    missing: preparing them is their part), or assign the experts the review waits for."""
    if any(name != "terminate" for name, _info, _unmet in user_transitions(project, user)):
        return True
    return project.stage == Stage.REVIEW and user.has_perm("lifecycle.add_reviewassignment")


@pytest.mark.parametrize("level", list(ProjectLevel))
def test_every_reachable_open_stage_waits_for_someone_who_can_act(level, make_project, users):
    stages = reachable_stages(level)
    assert Stage.PUBLISHED in stages
    for stage in stages - {Stage.PUBLISHED, Stage.REJECTED, Stage.TERMINATED}:
        project = make_project(level=level, stage=stage, title=f"项目-{level}-{stage}")
        people = waiting_for(project)
        assert people and all(p.is_active for p in people), (level, stage)
        assert any(can_act(project, person) for person in people), (level, stage, people)
        if stage == Stage.REVIEW:
            ReviewAssignment.objects.create(project=project, expert=users["expert"])
            assert waiting_for(project) == [users["expert"]]
            assert can_act(project, users["expert"])


def test_a_project_whose_department_lost_its_lead_waits_for_an_administrator(
        make_project, users, client_for):
    project = make_project(stage=Stage.PROPOSAL_DECISION)
    Department.objects.filter(pk=project.department_id).update(lead=None)
    project.refresh_from_db()
    assert waiting_for(project) == [users["admin"]]
    assert can_act(project, users["admin"])
    page = client_for("office").get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "an administrator decides instead" in page.content.decode()


def test_an_organization_project_needs_a_department_with_a_lead(seeded, users, client_for):
    without = Department.objects.create(name="综合科")
    project = Project(title="社会保险稽核规范", level=ProjectLevel.ORGANIZATION,
                      node=Node.objects.get(code="304-09"), department=without,
                      leader=users["office"], planned_start=timezone.localdate(),
                      planned_end=timezone.localdate() + timedelta(days=90))
    with pytest.raises(ValidationError) as refused:
        SaveProject(users["office"], project).execute()
    assert "department" in refused.value.error_dict
    # A local project's proposal is decided by the authority: no lead needed.
    project.level = ProjectLevel.LOCAL
    SaveProject(users["office"], project).execute()
    page = client_for("office").post(reverse("lifecycle:project_add"), {
        "title": "社会保险稽核规范", "kind": "new", "level": "organization",
        "node": Node.objects.get(code="304-09").pk, "department": without.pk,
        "leader": users["office"].pk, "planned_start": "2026-12-01",
        "planned_end": "2027-06-30"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "综合科 has no active lead" in page.content.decode()


@pytest.mark.parametrize("depth", [1, 2])  # the system, a subsystem
def test_projects_are_opened_on_categories_and_aspects_only(depth, seeded, users, department):
    node = Node.objects.filter(depth=depth).order_by("path").first()
    project = Project(title="社会保险服务总则", level=ProjectLevel.ORGANIZATION, node=node,
                      department=department, leader=users["office"],
                      planned_start=timezone.localdate(),
                      planned_end=timezone.localdate() + timedelta(days=90))
    with pytest.raises(ValidationError) as refused:
        SaveProject(users["office"], project).execute()
    assert "category or an aspect" in refused.value.error_dict["node"][0].message
    project.node = Node.objects.get_parent(Node.objects.get(code="304-09"))  # a category
    SaveProject(users["office"], project).execute()


def test_until_an_expert_is_assigned_the_office_is_waited_for(make_project, users,
                                                              client_for):
    project = make_project(stage=Stage.REVIEW)
    assert users["office"] in waiting_for(project)
    assert "Assign the review experts" in [str(t.what) for t in tasks_for(users["office"])]
    page = client_for("office").get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "assign the review experts" in page.content.decode()


def test_assigned_experts_upload_the_documents_of_their_review(make_project, users,
                                                               client_for):
    project = make_project(stage=Stage.REVIEW)
    ReviewAssignment.objects.create(project=project, expert=users["expert"])
    client = client_for("expert")
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'id="document-add"' in page
    url = reverse("lifecycle:document_add", args=[project.pk])
    form = client.get(url).content.decode()
    assert 'value="minutes"' in form and 'value="proposal"' not in form
    for kind in ("approval_draft", "minutes"):
        response = client.post(url, {"kind": kind, "file": pdf_upload(f"{kind}.pdf")})
        assert response.status_code == 302
    assert set(project.documents.values_list("uploaded_by__username", flat=True)) == {"expert"}
    refused = client.post(url, {"kind": "proposal", "file": pdf_upload()})
    assert refused.status_code == 200 and project.documents.count() == 2
    project = TakeTransition(users["expert"], project, "pass_review", "审查通过",
                             conclusion="passed").execute()
    assert project.stage == Stage.APPROVAL


def test_an_expert_not_assigned_cannot_upload(make_project, users, client_for):
    project = make_project(stage=Stage.REVIEW)
    response = client_for("expert").get(reverse("lifecycle:document_add", args=[project.pk]))
    assert response.status_code == 403


def test_a_one_day_comment_period_closes_on_its_day(make_project, users):
    project = make_project(stage=Stage.DRAFTING)
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES)
    today = timezone.localdate()
    project = TakeTransition(users["office"], project, "open_comment_period", "征求意见",
                             starts_on=today, days=1).execute()
    attach(project, K.REVIEW_DRAFT)
    assert project.comment_ends_on == today
    assert not project.comment_period_over  # its last day: still open
    project = TakeTransition(users["office"], project, "close_comment_period",
                             "最后一天，意见均已处理，提前结束").execute()
    assert project.stage == Stage.REVIEW
    # Closed on its last day, it is shown as ended that same day.
    assert project.comment_period_over


def test_the_project_page_shows_a_period_closed_on_its_last_day_as_ended(
        make_project, users, client_for):
    project = make_project(stage=Stage.DRAFTING)
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES)
    today = timezone.localdate()
    TakeTransition(users["office"], project, "open_comment_period", "征求意见",
                   starts_on=today - timedelta(days=29), days=30).execute()
    attach(project, K.REVIEW_DRAFT)
    page = reverse("lifecycle:project_detail", args=[project.pk])

    def period():
        html = client_for("office").get(page).content.decode()
        return html[html.index('id="comment-period"'):].split("</dd>")[0]

    assert today.isoformat() in period() and "已结束" not in period()
    TakeTransition(users["office"], project, "close_comment_period", "期满").execute()
    assert "已结束" in period()


def test_a_comment_period_cannot_close_before_its_last_day(make_project, users):
    project = make_project(stage=Stage.DRAFTING)
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES)
    TakeTransition(users["office"], project, "open_comment_period", "征求意见",
                   starts_on=timezone.localdate(), days=2).execute()
    attach(project, K.REVIEW_DRAFT)
    with pytest.raises(ValidationError, match="from its last day on"):
        TakeTransition(users["office"], project, "close_comment_period", "结束").execute()
