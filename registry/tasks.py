"""Registry work done by Celery workers (registry/celery.py): export and import-preview
jobs, and the daily runs beat schedules (settings ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task, signals
from django.conf import settings
from django.utils import translation

from registry import export_jobs


@shared_task(name="registry.tasks.run_job")
def run_job(job_id):
    """An export (CSV, XLSX, JSON) or an import preview: ``registry.export_jobs.run``."""
    export_jobs.run(job_id)


@signals.task_failure.connect(dispatch_uid="registry.job_time_limit")
def _job_killed(sender=None, exception=None, args=None, **kwargs):
    """A task killed at its hard time limit (an import job, ``export_jobs.start``) cannot
    report: the worker's main process marks its job failed, instead of leaving it running
    until the reaper gives it up."""
    from billiard.exceptions import TimeLimitExceeded

    if getattr(sender, "name", None) == run_job.name and args and isinstance(
            exception, TimeLimitExceeded):
        export_jobs.killed(args[0])


@shared_task(name="registry.tasks.run_pdf_job")
def run_pdf_job(job_id):
    """A PDF export: the same, on the ``pdf`` queue (bounded concurrency)."""
    export_jobs.run(job_id)


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
    """The reference watch's daily sweep (``registry.watch.sweep``)."""
    from registry.seed import system_user
    from registry.watch import sweep

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
    (``registry.accounts.security_log.purge``)."""
    from registry.accounts.security_log import purge

    return purge()
