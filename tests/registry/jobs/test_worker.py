"""Jobs run by a real Celery worker process against the real Redis (127.0.0.1:6379): an
export done end to end (its log lines carry the id of the request that queued it), the
dashboard's PDF laid out by a PDF worker, ten PDF exports at once within the PDF queue's
concurrency, and two installations on one Redis that each run only their own tasks. (A
worker killed mid-job twice, and the priority of interactive documents, are
tests/security/test_background_jobs.py's, with these fixtures.)

The worker is another process, so it needs a database it can share: PostgreSQL (CI runs the
suite on it). This test run's Redis keys carry its own prefix (``CELERY_KEY_PREFIX``)."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid

import dj_database_url
import psycopg
import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.urls import reverse

from registry.actions import StartExport
from registry.celery import app
from registry.models import ExportJob, Node
from registry.settings.instance import instance_key

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
    client = redis.Redis.from_url(app.conf.broker_url)
    prefix = app.conf.broker_transport_options["global_keyprefix"]
    for key in client.scan_iter(match=f"{prefix}*"):  # this run's queues and bindings
        client.delete(key)


def database_url(name=None):
    db = connection.settings_dict
    return (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
            f"/{name or db['NAME']}")


class Workers:
    def __init__(self, tmp_path):
        self.tmp_path, self.processes = tmp_path, []

    def start(self, queue, concurrency=2, visibility=3600, database=None):
        """A worker as docs/deployment.md runs it: the PDF queue's in its own process
        (``--pool solo``: a PDF export forks its own layout processes), one PDF at a time.
        On this test's database and Redis keys, or as another installation would run: on
        ``database``, with the keys it derives from it."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "registry.settings.test",
               "DATABASE_URL": database_url(database), "CELERY_VISIBILITY_TIMEOUT":
               str(visibility),
               # Look for a dead worker's messages every second, not every 100 s.
               "CELERY_RESTORE_INTERVAL": "1", "CELERY_RESTORE_THROTTLE": "1"}
        if database:
            del env["CELERY_KEY_PREFIX"]
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
    """A document another app declares (registry.rules.documents) goes the same way."""
    workers.start("pdf")
    client.force_login(users["lead"])
    client.post(reverse("lifecycle:dashboard_pdf"))
    job = ExportJob.objects.get()
    wait_for(final(job), 120, "the dashboard PDF", workers)
    job.refresh_from_db()
    assert (job.kind, job.state, job.attempts) == ("document", "done", 1), job.message
    download = client.get(reverse("registry:exportjob_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_ten_pdf_exports_at_once_stay_within_the_bound(seeded, users, workers, settings):
    settings.REGISTRY_JOBS_PER_USER = 10  # one user asks for all ten here
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


@pytest.fixture
def other_installation():
    """``other_installation()``: a second installation's database beside this test's, a copy
    of it taken then (the same ids, so a task run in the wrong database would not fail but do
    the other's work), as a staging and a training instance on one host; dropped after."""
    name = f"{connection.settings_dict['NAME']}_other"

    def copy():
        template = connection.settings_dict["NAME"]
        connection.close()  # a template must have no other session
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    yield copy
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_installations_on_one_redis_run_only_their_own_tasks(
        seeded, users, workers, other_installation):
    """Two installations on one Redis: this test's database ("here") and a copy
    ("there"), each with a worker started with nothing but its own DATABASE_URL. Each
    queues a job under the key prefix its settings derive from its database
    (registry/settings/instance.py); each worker runs only its own installation's."""
    here_job, there_job = (ExportJob.objects.create(created_by=users["admin"], fmt="csv",
                                                    lang=lang) for lang in ("zh-hans", "en"))
    other = other_installation()

    def prefix(name):  # as registry/settings/test.py derives it for a test's installation
        return (f"test-{instance_key(dj_database_url.parse(database_url(name)))}"
                f"{settings.TEST_RUN}:")

    here, there = prefix(None), prefix(other)
    assert here != there and other in there
    for key_prefix, job in ((here, here_job), (there, there_job)):
        sender = Celery("registry", broker=app.conf.broker_url, set_as_current=False)
        sender.conf.broker_transport_options = {
            **app.conf.broker_transport_options, "global_keyprefix": key_prefix}
        sender.send_task("registry.tasks.run_job", args=[job.pk], queue="celery")

    def states(name):
        with psycopg.connect(database_url(name)) as db:
            return dict(db.execute("SELECT id, state FROM registry_exportjob").fetchall())

    try:
        # Only the other installation's worker runs: it takes its own job and not this one's.
        workers.start("celery", database=other)
        wait_for(lambda: states(other)[there_job.pk] == "done", 60,
                 "the other installation's job", workers)
        time.sleep(2)  # time enough to take this installation's job too, if it could
        assert states(other)[here_job.pk] == "queued"
        assert states(None) == {here_job.pk: "queued", there_job.pk: "queued"}
        # This installation's worker runs this one's, and nothing of the other's.
        workers.start("celery", database=connection.settings_dict["NAME"])
        wait_for(lambda: states(None)[here_job.pk] == "done", 60, "this installation's job",
                 workers)
        assert states(None)[there_job.pk] == "queued"
        taken = [line for line in workers.log().splitlines() if " taken (attempt" in line]
        assert len(taken) == 2, workers.log()
    finally:
        workers.stop()  # first: a worker declares its keys again until it stops
        client = redis.Redis.from_url(app.conf.broker_url)
        for key in (*client.scan_iter(match=f"{here}*"), *client.scan_iter(match=f"{there}*")):
            client.delete(key)
