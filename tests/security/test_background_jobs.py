"""Background jobs cannot be used to crowd others out, and a dead worker's job is retried
once, then given up (issue 21).

One user has at most ``REGISTRY_JOBS_PER_USER`` jobs queued or running: past it the API
answers 429 in its error shape and the pages a 429 page, both with Retry-After. A document a
user waits for (a project's comment table) is queued before bulk work (a system-table PDF)
and taken first by a PDF worker. A worker killed mid-job leaves its message unacknowledged:
another worker runs the job again after the visibility timeout, which comes before the
reaper's limit; killed again, the job ends failed."""

import io
import os
from datetime import timedelta

import pytest
import redis
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from audit.tokens import AddApiToken
from lifecycle.models import Department, Project
from lifecycle.tasks import send_period_notice, send_transition_notice
from registry import tasks
from registry.actions import StartDocument, StartExport, TooManyJobs
from registry.actions.jobs import reap_stale
from registry.celery import app
from registry.models import ExportJob, ImportJob, Node
from tests.registry.jobs import test_worker
from tests.registry.jobs.test_worker import final, wait_for

# The real worker of tests/registry/jobs/test_worker.py, against Redis: its fixtures.
live_broker, workers = test_worker.live_broker, test_worker.workers

PER_USER = 3
LIMIT_EN = ("You have 3 jobs queued or running, as many as one user may have at once. Wait "
            "until one of them ends, then ask again.")
LIMIT_ZH = "您已有 3 个任务在排队或运行，已达每位用户同时可有的上限。请等其中一个结束后再试。"
PG_ONLY = pytest.mark.skipif(not os.environ.get("DATABASE_URL"),
                             reason="a worker in another process needs PostgreSQL to share")


@pytest.fixture
def queued_only(settings):
    """Jobs are sent after the commit, as in production; the test's transaction never
    commits, so they stay queued as behind a busy worker."""
    settings.REGISTRY_JOBS_PER_USER = PER_USER
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def projects(users, count):
    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    titles = ["社会保险报表管理规范", "社会保险经办服务规范", "社会保险稽核工作规范",
              "社会保险待遇发放规范", "社会保险档案管理规范"]
    return [Project.objects.create(
        title=title, level="organization", node=Node.objects.get(code="304-09"),
        department=department, leader=users["office"], planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"])
        for title in titles[:count]]


def api_client(user, language):
    _token, secret = AddApiToken(user, "export script").execute()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE=language)
    return client


# --- at most REGISTRY_JOBS_PER_USER jobs queued or running per user ------------------------


def test_a_token_cannot_queue_more_than_its_share_of_exports(seeded, users, queued_only):
    client = api_client(users["admin"], "en")
    url = "/api/exports/"
    asked = [{"fmt": fmt, "lang": lang} for fmt in ("pdf", "xlsx") for lang in ("zh-hans", "en")]
    answers = [client.post(url, body, format="json") for body in asked]
    assert [answer.status_code for answer in answers] == [202, 202, 202, 429]
    refused = answers[-1]
    assert refused.json() == {"error": {"status": 429, "code": "too_many_jobs",
                                        "message": LIMIT_EN}}
    assert refused["Retry-After"] == "30"
    assert ExportJob.objects.filter(created_by=users["admin"]).count() == PER_USER
    # The same export asked again joins its job: no new job, so no refusal.
    again = client.post(url, asked[0], format="json")
    assert (again.status_code, again.json()["id"]) == (202, answers[0].json()["id"])
    # In the caller's language.
    chinese = api_client(users["admin"], "zh-hans").post(url, asked[-1], format="json")
    assert chinese.status_code == 429 and chinese.json()["error"]["message"] == LIMIT_ZH
    # Once one has ended there is room for one more.
    ExportJob.objects.filter(pk=answers[0].json()["id"]).update(state="done", progress=100)
    assert client.post(url, asked[-1], format="json").status_code == 202
    assert client.post(url, {"fmt": "csv", "lang": "en"}, format="json").status_code == 429


def test_a_viewer_cannot_fill_the_pdf_queue_with_comment_tables(seeded, users, client_for,
                                                                  queued_only):
    viewer = client_for("viewer")
    answers = [viewer.post(reverse("lifecycle:comment_table", args=[project.pk, "pdf"]),
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
               for project in projects(users, 4)]
    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    page = answers[-1]
    assert page["Retry-After"] == "30"
    text = page.content.decode()
    assert LIMIT_ZH in text and "任务过多" in text
    # The page links the user's jobs that are waiting.
    for job in ExportJob.objects.filter(created_by=users["viewer"]):
        assert job.get_absolute_url() in text
    assert ExportJob.objects.filter(created_by=users["viewer"]).count() == PER_USER
    # Other users are not held back by the viewer's jobs.
    assert client_for("lead").post(reverse("lifecycle:dashboard_pdf")).status_code == 302


def test_the_export_page_refuses_in_english_too(seeded, users, client_for, queued_only):
    admin = client_for("admin")
    admin.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("registry:exportjob_add")
    for fmt in ("pdf", "xlsx", "csv"):
        assert admin.post(url, {"fmt": fmt, "lang": "en"}).status_code == 302
    refused = admin.post(url, {"fmt": "json", "lang": "en"})
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    assert LIMIT_EN in refused.content.decode() and "Too many jobs" in refused.content.decode()


def test_an_import_refused_keeps_nothing(seeded, users, client_for, queued_only, settings,
                                         tmp_path):
    """The import page stores every upload for its preview job: refused, it keeps none."""
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    for fmt in ("pdf", "xlsx", "csv"):
        ExportJob.objects.create(created_by=users["office"], fmt=fmt, lang="en")
    upload = io.BytesIO(("序号,体系编号,标准号,标准名称,实施日期\n"
                         "1,303-01,Q/CJSB 101-2026,机房管理规范,2026-01-01\n").encode())
    upload.name = "table.csv"
    response = client_for("office").post(reverse("registry:import"), {"file": upload},
                                         HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429 and LIMIT_EN in response.content.decode()
    assert not ImportJob.objects.filter(kind=ImportJob.Kind.IMPORT_PREVIEW).exists()
    assert not default_storage.exists("imports") or default_storage.listdir("imports")[1] == []


def test_the_limit_is_counted_on_the_server_whatever_starts_the_job(seeded, users,
                                                                     queued_only):
    """The shell, a command or another app's view: all go through StartJob."""
    node = Node.objects.get(code="101")
    for lang in ("zh-hans", "en"):
        StartExport(users["admin"], "pdf", lang, node=node).execute()
    StartDocument(users["admin"], "lifecycle.dashboard", "zh-hans").execute()
    with translation.override("en"), pytest.raises(TooManyJobs) as refused:
        StartExport(users["admin"], "csv", "en").execute()
    assert str(refused.value) == LIMIT_EN and refused.value.count == PER_USER
    assert ExportJob.objects.filter(created_by=users["admin"]).count() == PER_USER



@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL"),
                    reason="row locks are PostgreSQL's; SQLite writes one transaction at a time")
def test_two_requests_at_once_cannot_both_take_the_last_place(users, settings, monkeypatch):
    """The user's row is locked before the count: a second request waits until the first
    has committed its job, then counts it and is refused."""
    import threading
    import time

    from django.db import connection

    settings.REGISTRY_JOBS_PER_USER = PER_USER
    monkeypatch.setattr("registry.tasks.start", lambda job: None)  # no broker
    admin = users["admin"]
    for fmt in ("pdf", "xlsx"):
        StartExport(admin, fmt, "en").execute()
    created, results, create = threading.Event(), {}, StartExport.create

    def create_slowly(self):
        job = create(self)
        created.set()
        time.sleep(1)  # uncommitted meanwhile: the other request must not count around it
        return job

    monkeypatch.setattr(StartExport, "create", create_slowly)

    def ask(fmt):
        try:
            with translation.override("en"):
                results[fmt] = StartExport(admin, fmt, "en").execute()
        except TooManyJobs as exc:
            results[fmt] = exc
        finally:
            connection.close()

    first = threading.Thread(target=ask, args=("csv",))
    first.start()
    assert created.wait(10)
    second = threading.Thread(target=ask, args=("json",))
    second.start()
    first.join(30)
    second.join(30)
    assert isinstance(results["csv"], ExportJob)
    assert isinstance(results["json"], TooManyJobs) and str(results["json"]) == LIMIT_EN
    assert ExportJob.objects.filter(created_by=admin).count() == PER_USER

# --- interactive documents before bulk ones -------------------------------------------------


@pytest.fixture
def broker_lists():
    """Messages go to this run's keys on the real Redis; returns the length of a queue's
    list for a priority, and drops the keys after."""
    app.conf.task_always_eager = False
    client = redis.Redis.from_url(app.conf.broker_url)
    prefix = app.conf.broker_transport_options["global_keyprefix"]
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)

    def length(queue, priority):
        return client.llen(f"{prefix}{queue}" + (f"\x06\x16{priority}" if priority else ""))

    yield length
    app.conf.task_always_eager = True
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


def test_documents_a_user_waits_for_are_queued_before_bulk_work(
        seeded, users, broker_lists, django_capture_on_commit_callbacks):
    project = projects(users, 1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        export = StartExport(users["admin"], "pdf", "zh-hans").execute()
        table = StartDocument(users["viewer"], "lifecycle.comment_table", "zh-hans",
                              params={"project": project.pk}).execute()
        send_transition_notice.delay(project.pk, 1)  # a notice: neither
    assert tasks.priority_for(table) == 0 and tasks.priority_for(export) == 6
    # A worker takes a queue's lists in the order of priority_steps: 0 (the comment table)
    # before 6 (the system table), whichever was queued first.
    assert (broker_lists("pdf", 0), broker_lists("pdf", 6)) == (1, 1)
    assert broker_lists("celery", 3) == 1
    assert django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["priority_steps"] == [0, 3, 6, 9]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@PG_ONLY
def test_a_pdf_worker_takes_the_comment_table_before_system_tables_queued_earlier(
        seeded, users, workers):
    project = projects(users, 1)[0]
    exports = [StartExport(users["admin"], "pdf", lang).execute() for lang in ("zh-hans", "en")]
    table = StartDocument(users["viewer"], "lifecycle.comment_table", "zh-hans",
                          params={"project": project.pk}).execute()
    workers.start("pdf")
    wait_for(final(table, *exports), 300, "the three PDFs", workers)
    jobs = {job.pk: job for job in ExportJob.objects.all()}
    assert {job.state for job in jobs.values()} == {"done"}, [j.message for j in jobs.values()]
    assert all(jobs[table.pk].started_at < jobs[job.pk].started_at for job in exports)


# --- a dead worker's job: retried once by another worker, then failed ---------------------


def test_a_dead_workers_job_is_delivered_again_before_the_reaper_gives_it_up(seeded, users):
    """The defaults: the broker delivers an unacknowledged job again (visibility timeout,
    plus up to one restore period) before the reaper would mark it failed, and the
    visibility timeout is longer than the longest job measured (153 s)."""
    options = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert django_settings.CELERY_TASK_ACKS_LATE
    assert django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    redelivered = (options["visibility_timeout"]
                   + options["unacked_restore_interval"] * options["unacked_restore_throttle"])
    assert 153 < options["visibility_timeout"] < redelivered < (
        django_settings.REGISTRY_JOB_STALE_SECONDS)
    died = timezone.now()
    job = ExportJob.objects.create(created_by=users["admin"], fmt="pdf", lang="en",
                                   state="running", attempts=1, progress=40, started_at=died,
                                   updated_at=died)
    # A retry waits in a worker unacknowledged: never longer than the visibility timeout, or
    # a second worker would be handed the same notice.
    for task in (send_transition_notice, send_period_notice):
        assert task.retry_backoff_max < options["visibility_timeout"]
    assert reap_stale(now=died + timedelta(seconds=redelivered)) == 0
    job.refresh_from_db()
    assert job.state == "running"  # still there for the second worker to run again
    assert reap_stale(now=died + timedelta(
        seconds=django_settings.REGISTRY_JOB_STALE_SECONDS + 1)) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@PG_ONLY
def test_a_job_whose_worker_is_killed_twice_ends_failed_not_running(seeded, users, workers):
    """SIGKILL, twice, of a real worker laying out a PDF. Killed once, the job is delivered
    again (after the short visibility timeout of these workers) and runs a second time;
    killed again, the next delivery gives it up with a message instead of running it a third
    time or leaving it "running". (That a second run finishes is test_jobs.py's, eagerly.)"""
    visibility = 2
    job = StartExport(users["admin"], "pdf", "zh-hans").execute()

    def running(attempt):
        def check():
            job.refresh_from_db()
            return job.state == "running" and job.attempts == attempt and job.progress >= 5
        return check

    first = workers.start("pdf", visibility=visibility)
    wait_for(running(1), 120, "the PDF job to start", workers)
    workers.kill(first)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1)  # what a dead worker leaves behind
    # Another worker: the unacknowledged message comes back and the job runs again.
    second = workers.start("pdf", visibility=visibility)
    wait_for(running(2), 120, "the PDF job to be run again", workers)
    workers.kill(second)
    workers.start("pdf", visibility=visibility)
    wait_for(final(job), 120, "the PDF job to be given up", workers)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress, job.file.name) == ("failed", 2, 100, "")
    with translation.override("zh-hans"):
        assert job.message == translation.gettext(
            "The worker running this job stopped %(count)s times; the job was given up. "
            "Please start it again.") % {"count": 2}
    assert job.updated_at >= job.started_at
