"""Running an export job (or an import preview) in a Celery worker.

``start`` queues the job once its row is committed; a worker runs ``run``. The job row is
the job's record: who asked and when (``created_by``, ``created_at``), when a worker took
it and how often (``started_at``, ``attempts``), its last report (``updated_at``), how long
it took (``seconds``) and how it ended (``state``, ``message``). A worker that dies leaves
its message unacknowledged: the broker delivers it again and the job runs once more; a job
that has already been taken ``MAX_ATTEMPTS`` times is marked failed instead, and
``reap_stale`` gives up jobs whose worker stopped reporting (docs/deployment.md).

Each job is queued with a priority (``PRIORITIES``): a document a user waits for (a
project's comment table, the dashboard) is taken before bulk work (a system-table export, an
import) queued earlier on the same queue."""

import logging
import time
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.job_documents import document
from registry.models import ExportJob

EXTENSIONS = {"pdf": "pdf", "xlsx": "xlsx", "csv": "csv", "json": "json"}
# A job is run at most this often: once, and once more if its worker died.
MAX_ATTEMPTS = 2
FINAL = (ExportJob.State.DONE, ExportJob.State.FAILED)
# One line when a worker takes a job and one when it ends: who asked, what, how long and how
# it went, with the id of the request that asked (registry/request_log.py).
log = logging.getLogger(__name__)
# An import job (preview or write) may read and plan for this long and grow its worker
# process by this much address space (settings REGISTRY_IMPORT_JOB_SECONDS, _JOB_MEMORY_MB);
# past either it ends failed, saying why. Celery's own time limits are a backstop.
IMPORT_SECONDS = 300
IMPORT_MEMORY_MB = 1024
# Priorities on Redis: each queue is one list per step (settings, "priority_steps"), and a
# worker takes from the lowest number first. Tasks queued without one (notices, the daily
# runs) get CELERY_TASK_DEFAULT_PRIORITY, between the two.
PRIORITIES = {"interactive": 0, "bulk": 6}


class JobMissing(LookupError):
    """No job of this id in this installation's database: not committed yet, or the message
    came from another installation on the same Redis (registry.tasks retries, then logs)."""


def task_for(job):
    """PDF layout has its own queue with bounded concurrency; everything else the default."""
    from registry import tasks

    if job.kind == ExportJob.Kind.EXPORT and job.fmt == "pdf":
        return tasks.run_pdf_job
    if job.kind == ExportJob.Kind.DOCUMENT:
        found = document(job.document)
        if found is None or found.pdf:
            return tasks.run_pdf_job
    return tasks.run_job


def priority_for(job):
    """Interactive: a declared document (one project's comment table, the dashboard), small
    and asked for by a user who waits for it. Bulk: the system table, imports and their
    previews."""
    if job.kind == ExportJob.Kind.DOCUMENT:
        found = document(job.document)
        return PRIORITIES["bulk" if found and found.bulk else "interactive"]
    return PRIORITIES["bulk"]


def permission_for(job):
    """The permission (or permissions) needed to see ``job`` and download what it made."""
    from registry.actions.exports import IMPORT_PERMISSIONS

    if job.kind == ExportJob.Kind.DOCUMENT:
        found = document(job.document)
        return found.permission if found else "registry.export_system_table"
    if job.kind in (ExportJob.Kind.IMPORT_PREVIEW, ExportJob.Kind.IMPORT):
        return IMPORT_PERMISSIONS
    return "registry.export_system_table"


def start(job):
    """Queue ``job`` for a worker once the row it reads is committed. With
    ``CELERY_TASK_ALWAYS_EAGER`` (most tests) it runs here and now: the test's transaction
    is never committed, so waiting for the commit would never run it."""
    task = task_for(job)
    if task.app.conf.task_always_eager:
        task.apply(args=[job.pk])
        return
    options = {}
    if job.kind in (ExportJob.Kind.IMPORT_PREVIEW, ExportJob.Kind.IMPORT):
        seconds = ImportLimits().seconds
        options = {"soft_time_limit": seconds + 30, "time_limit": seconds + 60}
    options["priority"] = priority_for(job)
    transaction.on_commit(lambda: task.apply_async(args=[job.pk], **options))


class ImportLimitExceeded(Exception):
    """An import job went past its time limit; the message says so."""


class ImportLimits:
    """The bounds of an import job while it reads and plans: a deadline, checked every
    thousand rows read and every 500 rows planned (``check``), and the process's address
    space (``RLIMIT_AS``) raised by at most ``megabytes`` over what it uses now, so an
    allocation past it raises ``MemoryError`` in the job instead of taking the host's
    memory. The previous limit is restored afterwards: the worker process goes on."""

    def __init__(self):
        self.seconds = getattr(settings, "REGISTRY_IMPORT_JOB_SECONDS", IMPORT_SECONDS)
        self.megabytes = getattr(settings, "REGISTRY_IMPORT_JOB_MEMORY_MB", IMPORT_MEMORY_MB)
        self.deadline = time.monotonic() + self.seconds
        self.saved = None

    def check(self):
        if time.monotonic() > self.deadline:
            raise ImportLimitExceeded(self.time_message())

    def time_message(self):
        return _("Checking this file took more than %(seconds)d seconds; it was stopped. A "
                 "system table is read far faster: please check the file.") % {
            "seconds": self.seconds}

    def memory_message(self):
        return _("Reading this file needed more than %(size)d MB of memory; it was stopped. "
                 "A system table needs far less: please check the file.") % {
            "size": self.megabytes}

    def __enter__(self):
        import os
        import resource

        with suppress(OSError, ValueError):
            with open("/proc/self/statm") as statm:  # Linux: the process's size in pages
                used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            new = used + self.megabytes * 1024 * 1024
            if hard != resource.RLIM_INFINITY:
                new = min(new, hard)
            if soft == resource.RLIM_INFINITY or new < soft:
                resource.setrlimit(resource.RLIMIT_AS, (new, hard))
                self.saved = (soft, hard)
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, self.saved)
        return False


def _read_and_plan(job, path, start, span, limits):
    """Read the upload (only the sheets the import needs) and plan it, within ``limits``;
    progress runs from ``start`` over ``span`` percent."""
    from registry.import_files import read_tables
    from registry.imports import plan_import, wanted_sheets

    _progress(job.pk, start)
    tables = read_tables(path.read_bytes(), path.name, wanted=wanted_sheets,
                         progress=limits.check)
    _progress(job.pk, start + span // 4)

    def planned(done):
        limits.check()
        _progress(job.pk, start + span // 4 + int(span * 3 // 4 * done))

    return plan_import(tables, progress=planned)


def _bounded(job, path, start, span):
    """``_read_and_plan`` within the job's limits: the plan, or None once the job has been
    marked failed with the reason (a file that cannot be read, or a limit reached)."""
    from celery.exceptions import SoftTimeLimitExceeded

    from registry.import_files import ImportFileError

    limits = ImportLimits()
    message = None
    try:
        with limits:
            return _read_and_plan(job, path, start, span, limits)
    except (ImportFileError, ImportLimitExceeded) as exc:
        message = str(exc)
    except SoftTimeLimitExceeded:
        message = limits.time_message()
    except MemoryError:
        message = limits.memory_message()
    _fail(job, message)
    return None


def _progress(job_id, progress, state=ExportJob.State.RUNNING, **fields):
    ExportJob.objects.filter(pk=job_id).update(progress=progress, state=state,
                                               updated_at=timezone.now(), **fields)
    if state in FINAL:
        log.log(logging.INFO if state == ExportJob.State.DONE else logging.WARNING,
                "job %s %s after %s s: %s", job_id, state,
                f"{fields['seconds']:.1f}" if fields.get("seconds") is not None else "-",
                fields.get("message", "") or "ok")


def _fail(job, message):
    _progress(job.pk, 100, ExportJob.State.FAILED, message=message)


def claim(job_id):
    """Take the job for this worker: returns the job to run, or None when it is finished
    already (a duplicate delivery) or has been taken ``MAX_ATTEMPTS`` times (then it is
    marked failed with a message). Raises ``JobMissing`` when there is no such job."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise JobMissing(job_id)
        if job.state in FINAL:
            return None
        if job.attempts >= MAX_ATTEMPTS:
            with translation.override(job.lang):
                _fail(job, _("The worker running this job stopped %(count)s times; the job "
                             "was given up. Please start it again.") % {"count": job.attempts})
            return None
        now = timezone.now()
        job.attempts += 1
        ExportJob.objects.filter(pk=job.pk).update(
            attempts=job.attempts, state=ExportJob.State.RUNNING, started_at=now,
            updated_at=now, progress=0)
    log.info("job %s taken (attempt %s): %s %s %s asked by user %s at %s", job.pk,
             job.attempts, job.kind, job.document or job.fmt, job.node_code or "",
             job.created_by_id, job.created_at.isoformat())
    return job


def killed(job_id):
    """Mark failed the import job whose task was killed at Celery's hard time limit."""
    job = ExportJob.objects.filter(
        pk=job_id, kind__in=(ExportJob.Kind.IMPORT_PREVIEW, ExportJob.Kind.IMPORT)).exclude(
        state__in=FINAL).first()
    if job is not None:
        with translation.override(job.lang):
            _fail(job, ImportLimits().time_message())


def reap_stale(now=None):
    """Mark failed every running job whose worker has not reported for
    ``REGISTRY_JOB_STALE_SECONDS`` (its worker died and the broker will not bring it back).
    Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REGISTRY_JOB_STALE_SECONDS)
    stale = ExportJob.objects.filter(state=ExportJob.State.RUNNING, updated_at__lt=cutoff)
    count = 0
    for job in stale:
        with translation.override(job.lang):
            count += ExportJob.objects.filter(
                pk=job.pk, state=ExportJob.State.RUNNING, updated_at__lt=cutoff).update(
                state=ExportJob.State.FAILED, progress=100, updated_at=now,
                message=_("The worker running this job stopped reporting; the job was "
                          "given up. Please start it again."))
            log.warning("job %s failed: silent since %s, given up by the reaper", job.pk,
                        job.updated_at.isoformat())
    return count


def run(job_id):
    from registry.exports import export, prepare, unprepare
    from registry.exports.data import ExportError, load

    job = claim(job_id)
    if job is None:
        return None
    if job.kind == ExportJob.Kind.IMPORT_PREVIEW:
        return run_import_preview(job)
    if job.kind == ExportJob.Kind.DOCUMENT:
        return run_document(job)
    if job.kind == ExportJob.Kind.IMPORT:
        return run_import(job)
    started = time.perf_counter()
    try:
        _progress(job.pk, 5)
        prepare(job.fmt)
        data = load(job.node_code or None, job.as_of.isoformat() if job.as_of else None)
        _progress(job.pk, 25)
        content = export(data, job.fmt, job.lang,
                         progress=lambda done: _progress(job.pk, 25 + int(60 * done)))
        _progress(job.pk, 90)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job.file.save(f"system-table-{stamp}.{EXTENSIONS[job.fmt]}", ContentFile(content),
                      save=False)
        _progress(job.pk, 100, ExportJob.State.DONE, file=job.file.name,
                  seconds=time.perf_counter() - started)
    except ExportError as exc:
        unprepare()
        _fail(job, str(exc))
    except Exception as exc:  # noqa: BLE001 — reported on the job page
        _fail(job, repr(exc))
        raise


def run_import_preview(job):
    """Read and check the upload kept under ``job.upload``; the preview goes in ``result``."""
    from registry.import_files import stored_upload
    from registry.imports import preview

    started = time.perf_counter()
    with translation.override(job.lang):
        path = stored_upload(job.upload)
        if path is None:
            _fail(job, translation.gettext("The uploaded file is no longer kept."))
            return
        try:
            plan = _bounded(job, path, 5, 90)
        except Exception as exc:  # noqa: BLE001 — reported on the job page
            _fail(job, repr(exc))
            raise
        if plan is None:
            return
        _progress(job.pk, 100, ExportJob.State.DONE, result={**(job.result or {}),
                                                             **preview(plan)},
                  seconds=time.perf_counter() - started)


def run_document(job):
    """Lay out a document another app declared (``registry.job_documents``)."""
    from django.utils.module_loading import import_string

    started = time.perf_counter()
    with translation.override(job.lang):
        found = document(job.document)
        if found is None:
            _fail(job, translation.gettext("This kind of document is not known."))
            return
        try:
            _progress(job.pk, 5)
            built = import_string(found.build)(
                job.params or {}, lambda done: _progress(job.pk, 5 + int(85 * done)))
            _progress(job.pk, 90)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            name = f"{found.name.rsplit('.', 1)[-1]}-{stamp}.{found.extension}"
            job.file.save(name, ContentFile(built.content), save=False)
        except Exception as exc:  # noqa: BLE001 — reported on the job page
            _fail(job, repr(exc))
            raise
        day = (built.day or timezone.localdate()).isoformat()
        _progress(job.pk, 100, ExportJob.State.DONE, file=job.file.name,
                  result={**(job.result or {}), "subject": built.subject, "day": day},
                  seconds=time.perf_counter() - started)


def run_import(job):
    """Plan the confirmed upload again and write it in one transaction, with the job's
    outcome: the rows and the job's "done" are committed together or not at all. A worker
    killed while writing leaves nothing written; delivered again, the job plans and writes
    anew (and finds nothing left to do if the first write was committed)."""
    from registry.actions.exports import IMPORT_PERMISSIONS
    from registry.actions.imports import ApplyImport
    from registry.import_files import stored_upload
    from registry.imports import preview

    started = time.perf_counter()
    result = job.result or {}
    with translation.override(job.lang):
        if not job.created_by.has_perms(IMPORT_PERMISSIONS):  # a role taken away meanwhile
            _progress(job.pk, 100, ExportJob.State.FAILED, message=translation.gettext(
                "The user who confirmed this import may no longer import; nothing was "
                "written."))
            return
        path = stored_upload(job.upload)
        if path is None:
            _progress(job.pk, 100, ExportJob.State.FAILED,
                      message=translation.gettext("The uploaded file is no longer kept."))
            return
        try:
            plan = _bounded(job, path, 5, 55)
            if plan is None:
                return
            if not plan.ok:
                _progress(job.pk, 100, ExportJob.State.FAILED,
                          result={**result, **preview(plan)},
                          message=translation.gettext(
                              "The file has problems now; nothing was written."))
                return
            _progress(job.pk, 60)
            reason = translation.gettext("Import of %(file)s") % {
                "file": result.get("name", path.name)}
            with transaction.atomic():
                ApplyImport(job.created_by, plan, reason).execute()
                _progress(job.pk, 100, ExportJob.State.DONE,
                          result={**result, "summary": str(plan.summary())},
                          seconds=time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 — reported on the job page
            _progress(job.pk, 100, ExportJob.State.FAILED, message=repr(exc))
            raise
    path.unlink(missing_ok=True)
