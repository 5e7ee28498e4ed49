"""The request id follows the work a request queues: it travels in the task message's
headers (``before_task_publish``) and the worker logs the task's lines with it
(``task_prerun``), registry/request_log.py. tests/registry/jobs/test_worker.py sees it in a real
worker's log."""

import io
import json
import logging

import pytest
import redis

from registry import tasks
from registry.celery import app
from registry.models import ExportJob
from registry.request_log import JsonFormatter, RequestIdFilter, request_id, running_task

REQUEST = "req-5f0c2a9e41d7"


@pytest.fixture
def redis_queue():
    """Send tasks to this run's own keys on the real Redis; read them back, drop them."""
    app.conf.task_always_eager = False
    client = redis.Redis.from_url(app.conf.broker_url)
    prefix = app.conf.broker_transport_options["global_keyprefix"]
    # The default queue's list for the default priority (3: settings, priority_steps).
    queue = f"{prefix}celery\x06\x163"
    yield lambda: [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
    app.conf.task_always_eager = True
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


def test_a_task_queued_during_a_request_carries_its_id(redis_queue):
    token = request_id.set(REQUEST)
    try:
        tasks.reap_jobs.delay()
    finally:
        request_id.reset(token)
    tasks.reap_jobs.delay()  # queued outside any request (by beat): no id
    first, second = redis_queue()[::-1]  # the oldest is at the list's end
    assert first["headers"]["request_id"] == REQUEST
    assert "request_id" not in second["headers"]


@pytest.fixture
def job_log():
    """The job module's lines, as the worker's handler writes them (JSON with the ids)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("registry.export_jobs")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_tasks_log_lines_carry_the_id_of_the_request_that_queued_it(seeded, users, job_log):
    job = ExportJob.objects.create(created_by=users["admin"], fmt="csv", lang="en")
    result = tasks.run_job.apply(args=[job.pk], headers={"request_id": REQUEST})
    lines = job_log()
    assert [line["message"].split(":")[0] for line in lines] == [
        f"job {job.pk} taken (attempt 1)", f"job {job.pk} done after "
        f"{ExportJob.objects.get(pk=job.pk).seconds:.1f} s"]
    assert {line["request_id"] for line in lines} == {REQUEST}
    assert {line["task_id"] for line in lines} == {result.id}
    # After the task, the worker's next lines are no longer that request's.
    assert (request_id.get(), running_task.get()) == ("-", None)
    # A failure is a warning, with the id too; a malformed id in a header is not taken.
    gone = ExportJob.objects.create(created_by=users["admin"], fmt="csv", lang="en",
                                    state="running", attempts=2)
    tasks.run_job.apply(args=[gone.pk], headers={"request_id": "bad id; DROP"})
    last = job_log()[-1]
    assert (last["level"], last["request_id"]) == ("WARNING", "-")
    assert "stopped 2 times" in last["message"]
