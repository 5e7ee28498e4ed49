"""The comment resolution table's PDF and the dashboard's PDF are export jobs: the request
only queues one (or joins the same one still running), a worker on the PDF queue lays it
out, and its page and download check the document's permission on the server."""

import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lifecycle.models import Comment
from lifecycle.rules.exports import PDF_CELL_LIMIT
from registry import tasks
from registry.celery import app
from registry.models import ExportJob
from tests.factories import UserFactory


@pytest.fixture
def queued_only():
    """Tasks are sent to the broker after the commit, as in production; the test's
    transaction never commits, so nothing is sent nor laid out until the test runs the job.
    Returns how many jobs wait for the commit to be sent (other callbacks, such as the
    permission cache's, are not counted)."""
    app.conf.task_always_eager = False
    try:
        yield lambda: sum(1 for _sids, func, *_rest in connection.run_on_commit
                          if func.__module__ == "registry.tasks")
    finally:
        app.conf.task_always_eager = True


def pdf_text(job):
    with job.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_comment_table_pdf_is_queued_then_laid_out_by_the_job(
        make_project, users, client_for, queued_only):
    project = make_project()
    long_text = "第4.2条规定的办理时限应明确为工作日。" * 400
    Comment.objects.create(project=project, unit="昌吉州社会保险管理局", content=long_text)
    client = client_for("viewer")
    url = reverse("lifecycle:comment_table", args=[project.pk, "pdf"])
    assert client.get(url).status_code == 405  # a link followed queues nothing
    response = client.post(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    # The request only queued it: nothing laid out, one task to send after the commit.
    assert (job.kind, job.document, job.state, job.file.name) == (
        "document", "lifecycle.comment_table", "queued", "")
    assert job.params == {"project": project.pk} and job.created_by == users["viewer"]
    assert queued_only() == 1
    assert tasks.task_for(job) is tasks.run_pdf_job  # the PDF queue
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and b"hx-trigger" in page.content  # polls while queued
    assert b'id="job-asked"' in page.content and b"viewer" in page.content  # who asked
    # The worker's part.
    tasks.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == ("done", 100, 1), job.message
    assert job.seconds > 0 and job.started_at >= job.created_at
    text = pdf_text(job)
    assert "昌吉州社会保险管理局" in text
    assert f"{len(long_text) - PDF_CELL_LIMIT}" in text  # the long cell cut, with a note
    page = client.get(job.get_absolute_url())
    assert b"hx-trigger" not in page.content  # a final state stops the polling
    download = client.get(reverse("registry:exportjob_download", args=[job.pk]))
    assert download.status_code == 200
    day = timezone.localdate().isoformat()
    assert (f"filename*=utf-8''%E6%84%8F%E8%A7%81%E6%B1%87%E6%80%BB%E5%A4%84%E7%90%86%E8%A1"
            f"%A8-%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9%E6%8A%A5%E8%A1%A8%E7%AE%A1%E7%90%86"
            f"%E8%A7%84%E8%8C%83-{day}.pdf") in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_second_identical_request_joins_the_running_job(make_project, users, client_for,
                                                          queued_only):
    project, other = make_project(), make_project(title="另一个项目")
    client = client_for("viewer")
    client.post(reverse("lifecycle:comment_table", args=[project.pk, "pdf"]))
    first = ExportJob.objects.get()
    ExportJob.objects.filter(pk=first.pk).update(state="running", progress=40)
    again = client.post(reverse("lifecycle:comment_table", args=[project.pk, "pdf"]))
    assert again.url == first.get_absolute_url()
    assert ExportJob.objects.count() == 1 and queued_only() == 1  # not queued twice
    # Another project's table, the dashboard, or another user's request is another job.
    client.post(reverse("lifecycle:comment_table", args=[other.pk, "pdf"]))
    client.post(reverse("lifecycle:dashboard_pdf"))
    client_for("office").post(reverse("lifecycle:comment_table", args=[project.pk, "pdf"]))
    assert ExportJob.objects.count() == 4 and queued_only() == 4
    # Once the first has ended, the same request starts a new one.
    ExportJob.objects.filter(pk=first.pk).update(state="done", progress=100)
    client_for("viewer").post(reverse("lifecycle:comment_table", args=[project.pk, "pdf"]))
    assert ExportJob.objects.count() == 5


def test_the_dashboard_pdf_is_a_job(seeded, users, client_for, queued_only):
    client = client_for("viewer")
    response = client.post(reverse("lifecycle:dashboard_pdf"), HTTP_ACCEPT_LANGUAGE="en")
    job = ExportJob.objects.get()
    assert response.url == job.get_absolute_url() and job.state == "queued"
    assert (job.document, job.lang, job.params) == (
        "lifecycle.dashboard", "en", {"base_url": "http://testserver/"})
    tasks.run(job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.message
    compact = "".join(pdf_text(job).split())
    assert "Standardizationdashboard" in compact and "数据中心管理" in compact
    page = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert b"Dashboard" in page.content and b'id="export-download"' in page.content
    download = client.get(reverse("registry:exportjob_download", args=[job.pk]),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert download["Content-Disposition"] == (
        f'attachment; filename="Dashboard-{timezone.localdate().isoformat()}.pdf"')
    # An unknown system is refused in the request, not left to fail in the worker.
    assert client.post(reverse("lifecycle:dashboard_pdf") + "?root=999999").status_code == 404


def test_starting_seeing_and_downloading_check_the_documents_permission(
        make_project, users, client_for, client):
    project = make_project()
    viewer = client_for("viewer")
    viewer.post(reverse("lifecycle:comment_table", args=[project.pk, "pdf"]))  # run eagerly
    job = ExportJob.objects.get()
    assert job.state == "done", job.message
    page, download = job.get_absolute_url(), reverse("registry:exportjob_download",
                                                     args=[job.pk])
    assert viewer.get(download).status_code == 200
    # Another user, even one allowed to start the same: not their job.
    office = client_for("office")
    assert office.get(page).status_code == 404 and office.get(download).status_code == 404
    # A user with a role but without the comment permission: refused at every step.
    nobody = UserFactory(username="norights")
    nobody.groups.add(Group.objects.create(name="no rights"))
    client.force_login(nobody)
    assert client.post(reverse("lifecycle:comment_table",
                               args=[project.pk, "pdf"])).status_code == 403
    assert client.post(reverse("lifecycle:dashboard_pdf")).status_code == 403
    ExportJob.objects.filter(pk=job.pk).update(created_by=nobody)
    assert client.get(page).status_code == 403 and client.get(download).status_code == 403
    assert ExportJob.objects.count() == 1
