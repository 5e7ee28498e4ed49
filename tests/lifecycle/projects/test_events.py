"""Every transition of the state machine records its data as a typed payload (schema
``EVENT_PAYLOAD``), shown by the timeline and the API; events from before keep the text
they had (migration 0005 moved it into the payload)."""

import importlib
from datetime import timedelta

from django.utils import timezone

from lifecycle.choices import DocumentKind as K
from lifecycle.choices import Stage
from lifecycle.models import Project, ProjectEvent
from lifecycle.models.projects import EVENT_PAYLOAD
from lifecycle.rules.projects import TRANSITIONS
from tests.lifecycle.conftest import attach
from tests.lifecycle.projects.test_workflow import carry_to_publication, step

migration = importlib.import_module("lifecycle.migrations.0005_event_detail_into_payload")


def test_every_transition_of_the_state_machine_has_a_payload_schema():
    machine = {name for name in dir(Project)
               if hasattr(getattr(Project, name, None), "_django_fsm")}
    assert len(machine) == 16
    assert set(EVENT_PAYLOAD) == machine == set(TRANSITIONS)


def _kind_ok(kind, value):
    if kind == "date":
        return value == timezone.datetime.fromisoformat(value).date().isoformat()
    if kind == "int":
        return isinstance(value, int)
    if kind == "list":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind == "text":
        return isinstance(value, str)
    return value in kind.values


def test_every_transition_records_its_typed_payload(make_project, users):
    today = timezone.localdate()
    carry_to_publication(make_project(), users)
    local = make_project(level="local", stage=Stage.APPROVAL)
    attach(local, K.APPROVAL_DRAFT, K.EXPLANATORY_NOTES, K.MINUTES)
    local = step(local, "start_public_notice", users["office"],
                 starts_on=today - timedelta(days=31))
    local.objections.create(raised_by="市民", content="异议", resolution="已答复")
    local = step(local, "end_public_notice", users["office"])
    attach(local, K.AUTHORITY_DECISION)
    step(local, "record_authority_approval", users["office"])
    national = make_project(level="national", stage=Stage.APPROVAL)
    attach(national, K.APPROVAL_DRAFT, K.EXPLANATORY_NOTES, K.MINUTES)
    step(national, "submit_to_authority", users["office"])
    returned = make_project(stage=Stage.OFFICE_REVIEW)
    step(returned, "return_proposal", users["office"])
    step(make_project(stage=Stage.PROPOSAL_DECISION), "reject_proposal", users["lead"])
    step(make_project(stage=Stage.DRAFTING), "terminate", users["office"])
    failed = make_project(stage=Stage.REVIEW)
    failed.reviewers.create(expert=users["expert"])
    step(failed, "fail_review", users["expert"])

    events = {event.transition: event.payload for event in ProjectEvent.objects.all()}
    assert set(events) == set(EVENT_PAYLOAD)
    for transition, payload in events.items():
        schema = EVENT_PAYLOAD[transition]
        assert set(payload) == set(schema), transition
        assert all(_kind_ok(schema[name].kind, value) for name, value in payload.items())
    expert = users["expert"].get_full_name() or users["expert"].username
    assert events["open_comment_period"] == {
        "starts_on": today.isoformat(), "days": 30,
        "ends_on": (today + timedelta(days=29)).isoformat()}
    assert events["close_comment_period"] == {"comments": 2}
    assert events["pass_review"] == {"conclusion": "passed", "experts": [expert]}
    assert events["fail_review"] == {"conclusion": "failed", "experts": [expert]}
    assert events["start_public_notice"] == {
        "starts_on": (today - timedelta(days=31)).isoformat(),
        "ends_on": (today - timedelta(days=2)).isoformat()}
    assert events["end_public_notice"] == {"objections": 1}
    assert events["publish"] == {"number": "Q/CJSB 001—2026", "issued_on": today.isoformat(),
                                 "implemented_on": today.isoformat()}
    assert events["terminate"] == events["submit_proposal"] == {}


def test_the_history_row_of_an_event_holds_its_payload(make_project, users):
    project = step(make_project(stage=Stage.REVIEW), "fail_review", users["admin"])
    event = project.events.get()
    row = ProjectEvent.history.get(id=event.pk)
    assert row.payload == event.payload == {"conclusion": "failed"}
    assert row.detail is None


def test_the_timeline_and_the_api_show_the_payload(make_project, users, client_for):
    project = make_project(stage=Stage.REVIEW)
    project.reviewers.create(expert=users["expert"])
    step(project, "fail_review", users["expert"])
    ProjectEvent.objects.create(
        project=project, transition="close_comment_period", from_stage=Stage.COMMENT,
        to_stage=Stage.REVIEW, user=users["office"], reason="旧事件",
        payload={"note": "旧的说明文字"})
    expert = users["expert"].get_full_name() or users["expert"].username
    client = client_for("office")
    page = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Conclusion: Not passed; Experts: {expert}" in page
    assert "Note: 旧的说明文字" in page
    timeline = client.get(f"/api/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()[
        "timeline"]
    assert [event["payload"] for event in timeline] == [
        {"conclusion": "failed", "experts": [expert]}, {"note": "旧的说明文字"}]
    assert [event["detail"] for event in timeline] == [
        f"Conclusion: Not passed; Experts: {expert}", "Note: 旧的说明文字"]


def test_old_detail_text_moves_into_the_payload():
    move = migration.payload_from_detail
    # As the first release wrote it (the data's keys), then as the forms did (their labels).
    assert move("open_comment_period", "starts_on: 2026-01-05; days: 30", None) == {
        "starts_on": "2026-01-05", "days": 30}
    assert move("pass_review", "结论: 修改后通过", None) == {
        "conclusion": "passed_with_changes"}
    assert move("publish", "Standard number: Q/CJSB 1—2026; Issue date: 2026-11-01; "
                "Implementation date: 2026-12-01", None) == {
        "number": "Q/CJSB 1—2026", "issued_on": "2026-11-01", "implemented_on": "2026-12-01"}
    # Anything else is kept whole, as a note.
    assert move("pass_review", "结论: 大致通过", None) == {"note": "结论: 大致通过"}
    assert move("open_comment_period", "starts_on: 2026-01-05; 另附说明", None) == {
        "note": "starts_on: 2026-01-05; 另附说明"}
    assert move("close_comment_period", "旧的说明文字", None) == {"note": "旧的说明文字"}
    assert move("approve", "", None) == {}
    assert move("publish", "", {"number": "Q/CJSB 1—2026"}) == {"number": "Q/CJSB 1—2026"}
