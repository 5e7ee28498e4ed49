"""Running an export job, in a worker process (or inline where no worker can run)."""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from registry.models import ExportJob

EXTENSIONS = {"pdf": "pdf", "xlsx": "xlsx", "csv": "csv", "json": "json"}


def start(job):
    """Run ``job`` in a separate process so the web server never blocks; inline when
    ``REGISTRY_EXPORT_INLINE`` is set (tests, where the database lives in memory)."""
    if getattr(settings, "REGISTRY_EXPORT_INLINE", False):
        run(job.pk)
        return
    subprocess.Popen(  # noqa: S603 — our own manage.py with a job id
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_export_job", str(job.pk)],
        env=os.environ.copy(), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _progress(job_id, progress, state=ExportJob.State.RUNNING, **fields):
    ExportJob.objects.filter(pk=job_id).update(progress=progress, state=state, **fields)


def run(job_id):
    from registry.exports import export, prepare, unprepare
    from registry.exports.data import ExportError, load

    job = ExportJob.objects.get(pk=job_id)
    if job.kind == ExportJob.Kind.IMPORT_PREVIEW:
        return run_import_preview(job)
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
        _progress(job.pk, 100, ExportJob.State.FAILED, message=str(exc))
    except Exception as exc:  # noqa: BLE001 — reported on the job page
        _progress(job.pk, 100, ExportJob.State.FAILED, message=repr(exc))
        raise


def run_import_preview(job):
    """Read and check the upload kept under ``job.upload``; the preview goes in ``result``."""
    from django.utils import translation

    from registry.import_files import ImportFileError, read_tables, stored_upload
    from registry.imports import plan_import, preview

    started = time.perf_counter()
    with translation.override(job.lang):
        path = stored_upload(job.upload)
        if path is None:
            _progress(job.pk, 100, ExportJob.State.FAILED,
                      message=str(translation.gettext("The uploaded file is no longer kept.")))
            return
        try:
            _progress(job.pk, 5)
            tables = read_tables(path.read_bytes(), path.name)
            _progress(job.pk, 20)
            plan = plan_import(tables, progress=lambda done: _progress(
                job.pk, 20 + int(75 * done)))
        except ImportFileError as exc:
            _progress(job.pk, 100, ExportJob.State.FAILED, message=str(exc))
            return
        except Exception as exc:  # noqa: BLE001 — reported on the job page
            _progress(job.pk, 100, ExportJob.State.FAILED, message=repr(exc))
            raise
        _progress(job.pk, 100, ExportJob.State.DONE, result={**(job.result or {}),
                                                             **preview(plan)},
                  seconds=time.perf_counter() - started)
