"""Jobs run by a real Celery worker process against the real Redis (127.0.0.1:6379): an
export done end to end (its log lines carry the id of the request that queued it), the
dashboard's PDF laid out by a PDF worker, a
worker killed with SIGKILL mid-job twice (its job runs once more, then ends failed with a
message, never "running" forever), and ten PDF exports at once within the PDF queue's concurrency.

The worker is another process, so it needs a database it can share: PostgreSQL (CI runs the
suite on it). This test run's Redis keys carry its own prefix (``CELERY_KEY_PREFIX``)."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from registry.actions import StartExport
from registry.celery import app
from registry.models import ExportJob, Node

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"),
                       reason="a worker in another process needs PostgreSQL to share"),
]


@pytest.fixture
def live_broker():
    """Queue tasks on Redis instead of running them here; drop this run's queues after."""
    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        for queue in ("celery", "pdf"):
            conn.default_channel.queue_purge(queue)
    yield
    app.conf.task_always_eager = True
    import redis

    client = redis.Redis.from_url(app.conf.broker_url)
    prefix = app.conf.broker_transport_options["global_keyprefix"]
    for key in client.scan_iter(match=f"{prefix}*"):  # this run's queues and bindings
        client.delete(key)


class Workers:
    def __init__(self, tmp_path):
        self.tmp_path, self.processes = tmp_path, []

    def start(self, queue, concurrency=2, visibility=3600):
        """A worker as docs/deployment.md runs it: the PDF queue's in its own process
        (``--pool solo``: a PDF export forks its own layout processes), one PDF at a time."""
        db = connection.settings_dict
        url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
               f"/{db['NAME']}")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "registry.settings.test",
               "DATABASE_URL": url, "CELERY_VISIBILITY_TIMEOUT": str(visibility),
               # Look for a dead worker's messages every second, not every 100 s.
               "CELERY_RESTORE_INTERVAL": "1", "CELERY_RESTORE_THROTTLE": "1"}
        log = (self.tmp_path / f"worker-{len(self.processes)}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 — celery from this virtualenv
            [sys.executable, "-m", "celery", "-A", "registry", "worker", "-Q", queue,
             *(["--pool", "solo"] if queue == "pdf" else ["--concurrency", str(concurrency)]),
             "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
             "--loglevel", "INFO"],
            cwd=settings.BASE_DIR, env=env, start_new_session=True, stdout=log, stderr=log)
        self.processes.append(process)
        return process

    def kill(self, process):
        """As a host that dies: the worker and its pool, at once, with no clean-up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def log(self):
        return "\n".join(path.read_text() for path in sorted(self.tmp_path.glob("*.log")))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def workers(live_broker, tmp_path):
    pool = Workers(tmp_path)
    yield pool
    pool.stop()


def wait_for(condition, timeout, what, workers):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}. Worker log:\n{workers.log()}")


def final(*jobs):
    return lambda: all(job.state in ("done", "failed")
                       for job in ExportJob.objects.filter(pk__in=[j.pk for j in jobs]))


def test_a_worker_runs_an_export(seeded, users, workers, client):
    workers.start("celery")
    client.force_login(users["admin"])
    # Asked for through the page, with a load balancer's request id.
    client.post(reverse("registry:exportjob_add"), {"fmt": "csv", "lang": "zh-hans"},
                HTTP_X_REQUEST_ID="lb-7d3e91c0a5b2")
    job = ExportJob.objects.get()
    wait_for(final(job), 120, "the CSV export", workers)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress) == ("done", 1, 100), job.message
    with job.file.open("rb") as handle:
        assert handle.read().startswith("\ufeff".encode())
    assert job.created_by == users["admin"] and job.created_at <= job.started_at
    assert job.seconds > 0
    # The worker's lines about the job carry the id of the request that queued it.
    lines = [json.loads(line) for line in workers.log().splitlines() if line.startswith("{")]
    about = [line for line in lines if line["logger"] == "registry.export_jobs"]
    assert [line["message"].split(" (")[0].split(" after")[0] for line in about] == [
        f"job {job.pk} taken", f"job {job.pk} done"], workers.log()
    assert {line["request_id"] for line in about} == {"lb-7d3e91c0a5b2"}


def test_a_pdf_worker_lays_out_the_dashboard_asked_for_on_a_page(seeded, users, workers,
                                                                  client):
    """A document another app declares (registry.job_documents) goes the same way."""
    workers.start("pdf")
    client.force_login(users["lead"])
    client.post(reverse("lifecycle:dashboard_pdf"))
    job = ExportJob.objects.get()
    wait_for(final(job), 120, "the dashboard PDF", workers)
    job.refresh_from_db()
    assert (job.kind, job.state, job.attempts) == ("document", "done", 1), job.message
    download = client.get(reverse("registry:exportjob_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


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


def test_ten_pdf_exports_at_once_stay_within_the_bound(seeded, users, workers):
    # The bound is the number of PDF workers: two here (one per host, or two on one).
    workers.start("pdf")
    workers.start("pdf")
    subtrees = ["101", "102", "103", "201", "202"]
    jobs = [StartExport(users["admin"], "pdf", lang,
                        node=Node.objects.get(code=code)).execute()
            for code in subtrees for lang in ("zh-hans", "en")]
    assert len({job.pk for job in jobs}) == 10
    wait_for(final(*jobs), 600, "ten PDF exports", workers)
    done = list(ExportJob.objects.filter(pk__in=[job.pk for job in jobs]))
    assert {job.state for job in done} == {"done"}, [job.message for job in done]
    # How many ran at the same moment, from when each began and last reported (its end).
    spans = [(job.started_at, job.updated_at) for job in done]
    most = max(sum(1 for begin, end in spans if begin <= moment < end)
               for moment, _ in spans)
    assert most == 2  # two at a time: never more, and the bound is used
