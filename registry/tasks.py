"""Registry work done by Celery workers (registry/celery.py): the background jobs
(``registry.models.Job``: exports, documents, import previews and imports), and the runs beat
schedules (settings ``CELERY_BEAT_SCHEDULE``). The task names are stored by the broker and
beat: they stay as they are.

``start`` queues a job on the queue and with the priority its kind wants (``StartJob`` calls
it once the job's row is written); ``run`` claims a delivered job and runs it by its kind.

Each job is queued with a priority (``PRIORITIES``): a document a user waits for (a
project's comment table, the dashboard) is taken before bulk work (a system-table export, an
import) queued earlier on the same queue."""

import logging

from billiard.exceptions import TimeLimitExceeded
from celery import shared_task, signals
from django.conf import settings
from django.db import transaction
from django.utils import translation

from audit.anchors import anchor_dir, write_anchor
from audit.chain import verify_all
from organizations.rules import acting_in
from registry.actions.accounts import DeleteExpiredSecurityLog
from registry.actions.exports import run_document, run_export
from registry.actions.imports import killed, run_import, run_import_preview
from registry.actions.jobs import JobMissing, claim, reap_stale
from registry.actions.seed import system_user
from registry.actions.uploads import sweep_uploads
from registry.actions.watch import sweep
from registry.models import Job
from registry.models.jobs import document
from registry.rules.import_files import ImportLimits

log = logging.getLogger(__name__)
# A task whose record is not in the database is tried again after 10, 20 and 40 s (its row
# may not be visible yet), then given up with an error in the log, never silently.
MISSING_RETRIES = 3
MISSING_BACKOFF = 10
# Priorities on Redis: each queue is one list per step (settings, "priority_steps"), and a
# worker takes from the lowest number first. Tasks queued without one (notices, the daily
# runs) get CELERY_TASK_DEFAULT_PRIORITY, between the two.
PRIORITIES = {"interactive": 0, "bulk": 6}
IMPORTS = (Job.Kind.IMPORT_PREVIEW, Job.Kind.IMPORT)


def retry_missing(task, what, exc):
    """In a task whose record (``what``, e.g. "job 12") is missing: retry with backoff, and
    after ``MISSING_RETRIES`` log an error naming this installation's key prefix (a message
    of another installation on the same Redis is the usual cause) and return None."""
    retries = task.request.retries
    prefix = task.app.conf.broker_transport_options.get("global_keyprefix", "")
    if retries < MISSING_RETRIES:
        countdown = MISSING_BACKOFF * 2 ** retries
        log.warning("%s: %s not found in this database; retry %s of %s in %s s", task.name,
                    what, retries + 1, MISSING_RETRIES, countdown)
        raise task.retry(exc=exc, countdown=countdown, max_retries=MISSING_RETRIES)
    log.error("%s: %s not found in this database after %s tries; given up. Is another "
              "installation using this Redis with the same key prefix %r?", task.name, what,
              retries + 1, prefix)
    return None


def task_for(job):
    """PDF layout has its own queue with bounded concurrency; everything else the default."""
    if job.kind == Job.Kind.EXPORT and job.fmt == "pdf":
        return run_pdf_job
    if job.kind == Job.Kind.DOCUMENT:
        found = document(job.document)
        if found is None or found.pdf:
            return run_pdf_job
    return run_job


def priority_for(job):
    """Interactive: a declared document (one project's comment table, the dashboard), small
    and asked for by a user who waits for it. Bulk: the system table, imports and their
    previews."""
    if job.kind == Job.Kind.DOCUMENT:
        found = document(job.document)
        return PRIORITIES["bulk" if found and found.bulk else "interactive"]
    return PRIORITIES["bulk"]


def start(job):
    """Queue ``job`` for a worker once the row it reads is committed. With
    ``CELERY_TASK_ALWAYS_EAGER`` (most tests) it runs here and now: the test's transaction
    is never committed, so waiting for the commit would never run it."""
    task = task_for(job)
    if task.app.conf.task_always_eager:
        task.apply(args=[job.pk])
        return
    options = {}
    if job.kind in IMPORTS:
        seconds = ImportLimits().seconds
        options = {"soft_time_limit": seconds + 30, "time_limit": seconds + 60}
    options["priority"] = priority_for(job)
    transaction.on_commit(lambda: task.apply_async(args=[job.pk], **options))


RUNNERS = {Job.Kind.EXPORT: run_export, Job.Kind.DOCUMENT: run_document,
           Job.Kind.IMPORT_PREVIEW: run_import_preview, Job.Kind.IMPORT: run_import}


def run(job_id):
    """Claim the delivered job (``registry.actions.jobs.claim``) and run it by its kind."""
    job = claim(job_id)
    if job is not None:
        with acting_in(job.organization):
            RUNNERS[job.kind](job)


def _run(task, job_id):
    try:
        run(job_id)
    except JobMissing as exc:
        return retry_missing(task, f"job {job_id}", exc)
    return None


@shared_task(name="registry.tasks.run_job", bind=True)
def run_job(self, job_id):
    """Every job but a PDF (``task_for``): an export in CSV, XLSX or
    JSON, a document that is not a PDF, an import preview or a confirmed import."""
    return _run(self, job_id)


@signals.task_failure.connect(dispatch_uid="registry.job_time_limit")
def _job_killed(sender=None, exception=None, args=None, **kwargs):
    """A task killed at its hard time limit (an import job, ``start``) cannot report: the
    worker's main process marks its job failed, instead of leaving it running until the reaper
    gives it up."""
    if getattr(sender, "name", None) == run_job.name and args and isinstance(
            exception, TimeLimitExceeded):
        killed(args[0])


@shared_task(name="registry.tasks.run_pdf_job", bind=True)
def run_pdf_job(self, job_id):
    """A PDF, exported or a document: the same, on the ``pdf`` queue (bounded
    concurrency)."""
    return _run(self, job_id)


@shared_task(name="registry.tasks.reap_jobs")
def reap_jobs():
    """Give up running jobs whose worker stopped reporting."""
    return reap_stale()


@shared_task(name="registry.tasks.anchor_history")
def anchor_history():
    """Verify every history chain and, if intact, write a signed anchor of their heads
    (as ``manage.py anchor_history``). Fails loudly, writing nothing, if they are not."""
    directory = anchor_dir()
    if not directory:
        return None
    report = verify_all()
    if not report.intact:
        raise RuntimeError("The history has problems: no anchor written.\n"
                           + "\n".join(str(problem) for problem in report.problems))
    return str(write_anchor(directory))


@shared_task(name="registry.tasks.sweep_watch")
def sweep_watch():
    """The reference watch's daily sweep (``registry.actions.watch.sweep``)."""
    with translation.override(settings.LANGUAGE_CODE):
        return len(sweep(system_user()))


@shared_task(name="registry.tasks.sweep_import_previews")
def sweep_import_previews():
    """Delete uploads whose preview was never confirmed, after a day."""
    return sweep_uploads()


@shared_task(name="registry.tasks.purge_security_log")
def purge_security_log():
    """Delete the security log's records past their retention
    (``registry.actions.accounts.DeleteExpiredSecurityLog``)."""
    return DeleteExpiredSecurityLog().execute()
