"""Structured logs with the request id: every log line a request causes carries its id, and
the response says it (``X-Request-ID``), so a user's report finds its lines on whichever
server handled it. A load balancer's ``X-Request-ID`` is kept; otherwise one is made.

Work a request queues carries its id too: ``before_task_publish`` puts it in the task
message's headers, and the worker sets it around the task (``task_prerun``/``task_postrun``),
so a task's log lines (and tasks it queues in turn) carry the id of the request that asked
for them. The worker keeps Django's log handlers (``CELERY_WORKER_HIJACK_ROOT_LOGGER`` off)
and the task loggers pass their lines to them."""

import contextvars
import json
import logging
import re
import uuid

from celery import signals

request_id = contextvars.ContextVar("request_id", default="-")
running_task = contextvars.ContextVar("running_task", default=None)
HEADER = "request_id"  # in the task message's headers
VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        token = request_id.set(given if VALID.match(given) else uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        record.task_id = running_task.get()
        return True


@signals.before_task_publish.connect(dispatch_uid="registry.request_id_publish")
def _publish_request_id(headers=None, **kwargs):
    """A task queued while a request (or a task) runs carries its request id."""
    current = request_id.get()
    if headers is not None and current != "-" and HEADER not in headers:
        headers[HEADER] = current


_tokens = {}


@signals.task_prerun.connect(dispatch_uid="registry.request_id_prerun")
def _enter_task(task_id=None, task=None, **kwargs):
    request = task.request
    given = (getattr(request, HEADER, None)            # a message from the broker
             or (getattr(request, "headers", None) or {}).get(HEADER))  # apply(headers=…)
    tokens = [running_task.set(task_id)]
    if given and VALID.match(str(given)):
        tokens.append(request_id.set(str(given)))
    _tokens[task_id] = tokens


@signals.task_postrun.connect(dispatch_uid="registry.request_id_postrun")
def _leave_task(task_id=None, **kwargs):
    for token in reversed(_tokens.pop(task_id, [])):
        token.var.reset(token)


@signals.after_setup_task_logger.connect(dispatch_uid="registry.task_logger")
def _task_logger_to_django(logger=None, **kwargs):
    """Celery's task logger writes through Django's handlers (JSON, with the ids)."""
    logger.handlers = []
    logger.propagate = True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message (and the trace)."""

    def format(self, record):
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name,
                 "request_id": getattr(record, "request_id", "-"),
                 "message": record.getMessage()}
        if getattr(record, "task_id", None):
            entry["task_id"] = record.task_id
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
