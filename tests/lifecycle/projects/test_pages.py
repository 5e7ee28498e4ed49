"""The lifecycle in the browser's terms: forms, uploads, downloads, tasks, notices."""

from datetime import timedelta
from io import BytesIO

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import DocumentKind as K
from lifecycle.choices import Stage
from lifecycle.models import Comment, Document, Project, ProjectEvent
from registry.models import Node
from tests.lifecycle.conftest import PDF, attach, pdf_upload


def test_office_opens_a_project_from_the_node(seeded, department, users, client_for):
    client = client_for("office")
    node = Node.objects.get(code="304-09")
    assert client.get(reverse("lifecycle:project_add"), {"node": node.pk}).status_code == 200
    response = client.post(reverse("lifecycle:project_add"), {
        "title": "社会保险报表管理规范", "kind": "new", "level": "organization",
        "node": node.pk, "department": department.pk, "leader": users["office"].pk,
        "members": [users["viewer"].pk], "planned_start": "2026-01-01",
        "planned_end": "2026-12-31",
    })
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    assert project.stage == Stage.PROPOSAL and project.members.get().user == users["viewer"]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "10.00" in page and 'id="transition-submit_proposal"' in page


def test_a_revision_must_name_its_standard(seeded, department, users, client_for):
    response = client_for("office").post(reverse("lifecycle:project_add"), {
        "title": "修订", "kind": "revision", "level": "organization",
        "node": Node.objects.get(code="101").pk, "department": department.pk,
        "leader": users["office"].pk, "planned_start": "2026-01-01",
        "planned_end": "2026-12-31",
    })
    assert "revises" in response.context["form"].errors
    assert not Project.objects.exists()


def test_upload_is_checked_by_content_and_versioned(make_project, client_for):
    project = make_project()
    client = client_for("office")
    url = reverse("lifecycle:document_add", args=[project.pk])
    fake = SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(url, {"kind": K.PROPOSAL, "file": fake})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    for _ in range(2):
        client.post(url, {"kind": K.PROPOSAL, "file": pdf_upload("建议书.pdf")})
    versions = list(Document.objects.values_list("version", "original_name"))
    assert sorted(versions) == [(1, "建议书.pdf"), (2, "建议书.pdf")]
    stored = Document.objects.first().file.name
    assert stored.startswith("documents/") and "建议书" not in stored


def test_downloads_are_attachments_for_users_who_may_see_them(make_project, client_for,
                                                            client):
    project = make_project()
    attach(project, K.PROPOSAL)
    document = project.documents.get()
    url = reverse("lifecycle:document_download", args=[document.pk])
    assert client.get(url).status_code == 302  # not logged in
    response = client_for("viewer").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_comments_and_the_comment_table(make_project, users, client_for):
    project = make_project(stage=Stage.COMMENT, comment_starts_on=timezone.localdate(),
                           comment_ends_on=timezone.localdate() + timedelta(days=29))
    client = client_for("office")
    add = reverse("lifecycle:comment_add", args=[project.pk])
    for unit, text in (("市人社局", "术语不统一"), ("县社保中心", "流程图缺失")):
        client.post(add, {"unit": unit, "clause": "3.1", "content": text,
                          "received_on": "2026-11-01"})
    comment = Comment.objects.get(unit="市人社局")
    edit = reverse("lifecycle:comment_edit", args=[project.pk, comment.pk])
    response = client.post(edit, {"unit": comment.unit, "content": comment.content,
                                  "received_on": "2026-11-01", "disposition": "accepted"})
    assert "disposition_reason" in response.context["form"].errors
    client.post(edit, {"unit": comment.unit, "content": comment.content, "clause": "3.1",
                       "received_on": "2026-11-01", "disposition": "accepted",
                       "disposition_reason": "统一为标准术语"})
    xlsx = client.get(reverse("lifecycle:comment_table", args=[project.pk, "xlsx"]))
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][4] == "市人社局" and "统一为标准术语" in rows[0][5]
    # A comment typed as a formula is written as text, never as a formula.
    client.post(edit, {"unit": comment.unit, "content": "=1+2", "clause": "3.1",
                       "received_on": "2026-11-01", "disposition": "accepted",
                       "disposition_reason": "统一为标准术语"})
    sheet = load_workbook(BytesIO(client.get(reverse(
        "lifecycle:comment_table", args=[project.pk, "xlsx"])).content)).active
    cell = next(c for c in sheet[3] if c.value == "=1+2")
    assert cell.data_type == "s"
    # The PDF is a job (run eagerly here; tests/lifecycle/test_pdf_jobs.py queues it).
    job_page = client.post(reverse("lifecycle:comment_table", args=[project.pk, "pdf"]))
    job = client.get(job_page.url).context["job"]
    pdf = client.get(reverse("registry:exportjob_download", args=[job.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("lifecycle:comment_table", args=[project.pk, "exe"])
                      ).status_code == 404


def test_tasks_show_what_waits_for_each_role(make_project, users, client_for):
    decision = make_project(stage=Stage.PROPOSAL_DECISION, title="待决定的项目")
    review = make_project(stage=Stage.REVIEW, title="待审查的项目")
    review.reviewers.create(expert=users["expert"])
    lead_tasks = client_for("lead").get(reverse("lifecycle:task_list")).context["tasks"]
    assert [t.project for t in lead_tasks] == [decision]
    expert_tasks = client_for("expert").get(reverse("lifecycle:task_list")).context["tasks"]
    assert [t.project for t in expert_tasks] == [review]
    assert client_for("viewer").get(reverse("lifecycle:task_list")).context["tasks"] == []


def test_transitions_send_notices(make_project, users):
    project = make_project(stage=Stage.OFFICE_REVIEW)
    users["lead"].email = "lead@example.invalid"
    users["lead"].save()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        TakeTransition(users["office"], project, "pass_office_review", "审核通过").execute()
    assert any("lead@example.invalid" in m.to for m in mail.outbox)


def test_run_deadlines_ends_a_quiet_public_notice_and_announces_ended_periods(
        make_project, users):
    today = timezone.localdate()
    notice = make_project(level="local", stage=Stage.PUBLIC_NOTICE,
                          notice_starts_on=today - timedelta(days=31),
                          notice_ends_on=today - timedelta(days=1))
    comment = make_project(stage=Stage.COMMENT, comment_starts_on=today - timedelta(days=40),
                           comment_ends_on=today - timedelta(days=10))
    users["office"].email = "office@example.invalid"
    users["office"].save()
    call_command("run_deadlines")
    notice.refresh_from_db()
    assert notice.stage == Stage.AUTHORITY_APPROVAL
    assert notice.events.get().user.username == "system"
    sent = len(mail.outbox)
    assert sent >= 1
    call_command("run_deadlines")  # announced once only
    assert len(mail.outbox) == sent
    comment.refresh_from_db()
    assert comment.period_end_notified == comment.comment_ends_on


def test_records_cannot_change_once_the_stage_has_passed(make_project, users, client_for):
    project = make_project(stage=Stage.PUBLISHED)
    comment = Comment.objects.create(project=project, unit="单位", content="意见",
                                     disposition="accepted", disposition_reason="采纳")
    client = client_for("office")
    edit = reverse("lifecycle:comment_edit", args=[project.pk, comment.pk])
    response = client.post(edit, {"unit": "单位", "content": "意见", "received_on": "2026-11-01",
                                  "disposition": "rejected", "disposition_reason": "改"})
    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).disposition == "accepted"
    assert client.post(reverse("lifecycle:comment_add", args=[project.pk]),
                       {"unit": "x", "content": "y"}).status_code == 403
    upload = client.post(reverse("lifecycle:document_add", args=[project.pk]),
                         {"kind": K.OTHER, "file": pdf_upload()})
    assert upload.status_code == 403 and not Document.objects.filter(project=project).exists()
    drafting = make_project(stage=Stage.DRAFTING)
    assert client.get(reverse("lifecycle:comment_add", args=[drafting.pk])).status_code == 403


def test_timeline_detail_is_readable(make_project, users):
    from lifecycle.forms.projects import PublishForm

    project = make_project(stage=Stage.APPROVED)
    form = PublishForm({"expected_stage": "approved", "reason": "发布", "number": "q/cjsb1-2026",
                        "issued_on": "2026-11-01", "implemented_on": "2026-12-01"})
    assert form.is_valid()
    TakeTransition(users["office"], project, "publish", "发布",
                   **form.transition_data()).execute()
    event = project.events.get()
    assert event.payload == {"number": "Q/CJSB 1—2026", "issued_on": "2026-11-01",
                             "implemented_on": "2026-12-01"}
    detail = "; ".join(f"{label}: {value}" for label, value in event.details())
    assert "Q/CJSB 1—2026" in detail and "2026-12-01" in detail
    assert "issued_on" not in detail and "q/cjsb" not in detail


def test_timeline_shows_typed_events_from_their_fields_and_old_ones_from_their_text(
        make_project, users, client_for):
    project = make_project(stage=Stage.APPROVED)
    TakeTransition(users["office"], project, "publish", "发布", number="Q/CJSB 7-2026",
                   issued_on=timezone.localdate(), implemented_on=timezone.localdate()).execute()
    old = ProjectEvent.objects.create(
        project=project, transition="close_comment_period", from_stage=Stage.COMMENT,
        to_stage=Stage.REVIEW, user=users["office"], reason="旧事件",
        payload={"note": "旧的说明文字"})
    assert old.details() == [("Note", "旧的说明文字")]
    page = client_for("office").get(project.get_absolute_url(),
                                    HTTP_ACCEPT_LANGUAGE="en").content.decode()
    day = timezone.localdate().isoformat()
    assert (f"Standard number: Q/CJSB 7—2026; Issue date: {day}; "
            f"Implementation date: {day}") in page
    assert "旧的说明文字" in page


def test_project_list_filters_overdue(make_project, client_for):
    late = make_project(title="逾期项目")
    Project.objects.filter(pk=late.pk).update(
        planned_start=timezone.localdate() - timedelta(days=90),
        planned_end=timezone.localdate() - timedelta(days=1))
    on_time = make_project(title="按期项目")
    client = client_for("viewer")
    url = reverse("lifecycle:project_list")
    assert list(client.get(url, {"overdue": "yes"}).context["object_list"]) == [late]
    assert list(client.get(url, {"overdue": "no"}).context["object_list"]) == [on_time]
    assert client.get(url, {"overdue": ""}).context["paginator"].count == 2
