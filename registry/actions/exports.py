"""The system table's compilation notes (编制说明) and its exports: starting an export or
a declared document (``registry.rules.documents``), and running it in a worker."""

import time

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from audit.actions import Action
from organizations.rules import current_organization
from registry.models import CompilationNotes, ExportJob
from registry.models.jobs import document
from registry.rules.exports.data import ExportError, load
from registry.rules.exports.formats import export, prepare, unprepare

from .jobs import StartJob, fail, progress

EXTENSIONS = {"pdf": "pdf", "xlsx": "xlsx", "csv": "csv", "json": "json"}


class SaveCompilationNotes(Action):
    """Write the compilation notes of the system under ``root``; versioned like the rest."""

    permission = "registry.change_compilationnotes"

    def __init__(self, user, root, text, reason=""):
        super().__init__(user, reason)
        self.root, self.text = root, text

    def _execute(self):
        notes = (CompilationNotes.objects.filter(root=self.root).first()
                 or CompilationNotes(root=self.root))
        notes.text = self.text
        self.record(notes).save()
        return notes


class StartExport(StartJob):
    """Queue an export of the system table for a worker."""

    permission = "registry.export_system_table"

    def __init__(self, user, fmt, lang, as_of=None, node=None):
        super().__init__(user)
        self.fields = {"fmt": fmt, "lang": lang, "as_of": as_of,
                       "node_code": node.code if node else ""}

    def running(self):
        return ExportJob.objects.filter(
            created_by=self.user, kind=ExportJob.Kind.EXPORT,
            state__in=(ExportJob.State.QUEUED, ExportJob.State.RUNNING), **self.fields).first()

    def create(self):
        return ExportJob.objects.create(created_by=self.user,
                                        organization=current_organization(), **self.fields)


class StartDocument(StartJob):
    """Queue a document another app declared (``registry.rules.documents``: a comment
    resolution table, the dashboard) for a PDF worker, as ``StartExport`` queues an export:
    the same document asked again while it is queued or running joins that job. Its
    permission is the document's."""

    def __init__(self, user, name, lang, params=None, back=""):
        super().__init__(user)
        self.document = document(name)
        if self.document is None:
            raise ValueError(f"No document is declared as {name!r}.")
        self.permission = self.document.permission
        self.fields = {"kind": ExportJob.Kind.DOCUMENT, "document": name, "lang": lang,
                       "fmt": self.document.extension}
        self.params, self.back = params or {}, back

    def running(self):
        queued = (ExportJob.objects.select_for_update()
                  .filter(created_by=self.user, state__in=(ExportJob.State.QUEUED,
                                                           ExportJob.State.RUNNING),
                          **self.fields))
        # Compared here: JSON equality differs by database.
        return next((job for job in queued if job.params == self.params), None)

    def create(self):
        return ExportJob.objects.create(created_by=self.user,
                                        organization=current_organization(), params=self.params,
                                        result={"back": self.back}, **self.fields)


def run_export(job):
    """Build the system table export the job asks for and keep its file (in a worker)."""
    started = time.perf_counter()
    try:
        progress(job.pk, 5)
        prepare(job.fmt)
        data = load(job.node_code or None, job.as_of.isoformat() if job.as_of else None)
        progress(job.pk, 25)
        content = export(data, job.fmt, job.lang,
                         progress=lambda done: progress(job.pk, 25 + int(60 * done)))
        progress(job.pk, 90)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job.file.save(f"system-table-{stamp}.{EXTENSIONS[job.fmt]}", ContentFile(content),
                      save=False)
        progress(job.pk, 100, ExportJob.State.DONE, file=job.file.name,
                 seconds=time.perf_counter() - started)
    except ExportError as exc:
        unprepare()
        fail(job, str(exc))
    except Exception as exc:  # noqa: BLE001 — reported on the job page
        fail(job, repr(exc))
        raise


def run_document(job):
    """Lay out a document another app declared (``registry.rules.documents``)."""
    started = time.perf_counter()
    with translation.override(job.lang):
        found = document(job.document)
        if found is None:
            fail(job, translation.gettext("This kind of document is not known."))
            return
        try:
            progress(job.pk, 5)
            built = import_string(found.build)(
                job.params or {}, lambda done: progress(job.pk, 5 + int(85 * done)))
            progress(job.pk, 90)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            name = f"{found.name.rsplit('.', 1)[-1]}-{stamp}.{found.extension}"
            job.file.save(name, ContentFile(built.content), save=False)
        except Exception as exc:  # noqa: BLE001 — reported on the job page
            fail(job, repr(exc))
            raise
        day = (built.day or timezone.localdate()).isoformat()
        progress(job.pk, 100, ExportJob.State.DONE, file=job.file.name,
                 result={**(job.result or {}), "subject": built.subject, "day": day},
                 seconds=time.perf_counter() - started)
