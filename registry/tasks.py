"""Registry work done by Celery workers (registry/celery.py): the jobs of
``registry.export_jobs`` (exports, documents, import previews and imports), and the runs beat
schedules (settings ``CELERY_BEAT_SCHEDULE``)."""

import logging

from celery import shared_task, signals
from django.conf import settings
from django.utils import translation

from registry import export_jobs

log = logging.getLogger(__name__)
# A task whose record is not in the database is tried again after 10, 20 and 40 s (its row
# may not be visible yet), then given up with an error in the log, never silently.
MISSING_RETRIES = 3
MISSING_BACKOFF = 10


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


def _run(task, job_id):
    try:
        export_jobs.run(job_id)
    except export_jobs.JobMissing as exc:
        return retry_missing(task, f"job {job_id}", exc)
    return None


@shared_task(name="registry.tasks.run_job", bind=True)
def run_job(self, job_id):
    """Every job but a PDF (``registry.export_jobs.task_for``): an export in CSV, XLSX or
    JSON, a document that is not a PDF, an import preview or a confirmed import."""
    return _run(self, job_id)


@signals.task_failure.connect(dispatch_uid="registry.job_time_limit")
def _job_killed(sender=None, exception=None, args=None, **kwargs):
    """A task killed at its hard time limit (an import job, ``export_jobs.start``) cannot
    report: the worker's main process marks its job failed, instead of leaving it running
    until the reaper gives it up."""
    from billiard.exceptions import TimeLimitExceeded

    if getattr(sender, "name", None) == run_job.name and args and isinstance(
            exception, TimeLimitExceeded):
        export_jobs.killed(args[0])


@shared_task(name="registry.tasks.run_pdf_job", bind=True)
def run_pdf_job(self, job_id):
    """A PDF, exported or a document: the same, on the ``pdf`` queue (bounded
    concurrency)."""
    return _run(self, job_id)


@shared_task(name="registry.tasks.reap_jobs")
def reap_jobs():
    """Give up running jobs whose worker stopped reporting."""
    return export_jobs.reap_stale()


@shared_task(name="registry.tasks.anchor_history")
def anchor_history():
    """Verify every history chain and, if intact, write a signed anchor of their heads
    (as ``manage.py anchor_history``). Fails loudly, writing nothing, if they are not."""
    from audit.anchors import anchor_dir, write_anchor
    from audit.chain import verify_all

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
    from registry.actions.seed import system_user
    from registry.actions.watch import sweep

    with translation.override(settings.LANGUAGE_CODE):
        return len(sweep(system_user()))


@shared_task(name="registry.tasks.sweep_import_previews")
def sweep_import_previews():
    """Delete uploads whose preview was never confirmed, after a day."""
    from registry.import_files import sweep_uploads

    return sweep_uploads()


@shared_task(name="registry.tasks.purge_security_log")
def purge_security_log():
    """Delete the security log's records past their retention
    (``registry.actions.accounts.DeleteExpiredSecurityLog``)."""
    from registry.actions.accounts import DeleteExpiredSecurityLog

    return DeleteExpiredSecurityLog().execute()
