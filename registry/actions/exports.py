"""The system table's compilation notes (编制说明) and its export jobs."""

from abc import abstractmethod

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import ngettext

from audit.actions import Action
from registry.export_jobs import start
from registry.job_documents import document
from registry.models import CompilationNotes, ExportJob


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


class TooManyJobs(Exception):
    """The user has as many jobs queued or running as one user may
    (``REGISTRY_JOBS_PER_USER``): the pages and the API answer 429 with ``retry_after``."""

    retry_after = 30  # seconds: most jobs end well within it (docs/performance.md)

    def __init__(self, count):
        self.count = count
        super().__init__(ngettext(
            "You have %(count)s job queued or running, as many as one user may have at "
            "once. Wait until it ends, then ask again.",
            "You have %(count)s jobs queued or running, as many as one user may have at "
            "once. Wait until one of them ends, then ask again.", count) % {"count": count})


class StartJob(Action):
    """Queue a job for a worker once its row is committed. The same job asked again while
    one is queued or running joins it (``running``): a double click or an impatient reload
    does the work once. A new job is refused (``TooManyJobs``) while the user has
    ``REGISTRY_JOBS_PER_USER`` jobs queued or running: one user cannot fill the queues that
    everyone shares. A job changes no record, so it needs no reason; it remembers who
    asked."""

    reason_required = False

    def running(self):
        """The queued or running job this request joins, if any."""
        return None

    @abstractmethod
    def create(self):
        """The new job's row (not yet committed)."""

    def execute(self):
        self.joined = False
        job = super().execute()
        if not self.joined:
            start(job)
        return job

    def _execute(self):
        # The user's row locked first: two requests at once cannot both take the last place.
        list(get_user_model().objects.select_for_update().filter(pk=self.user.pk)
             .values_list("pk", flat=True))
        job = self.running()
        self.joined = job is not None
        if self.joined:
            return job
        count = ExportJob.objects.filter(
            created_by=self.user,
            state__in=(ExportJob.State.QUEUED, ExportJob.State.RUNNING)).count()
        if count >= settings.REGISTRY_JOBS_PER_USER:
            raise TooManyJobs(count)
        return self.create()


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
        return ExportJob.objects.create(created_by=self.user, **self.fields)


class StartDocument(StartJob):
    """Queue a document another app declared (``registry.job_documents``: a comment
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
        return ExportJob.objects.create(created_by=self.user, params=self.params,
                                        result={"back": self.back}, **self.fields)


IMPORT_PERMISSIONS = ("registry.add_node", "registry.add_placement", "catalog.add_standard",
                      "catalog.change_standard")


class StartImportPreview(StartJob):
    """Check an uploaded system table in a worker, as an export runs: the page follows the
    job's progress instead of waiting on one long request. A preview writes no record."""

    permission = IMPORT_PERMISSIONS

    def __init__(self, user, token, name, lang):
        super().__init__(user)
        self.token, self.name, self.lang = token, name, lang

    def create(self):
        return ExportJob.objects.create(
            created_by=self.user, kind=ExportJob.Kind.IMPORT_PREVIEW, lang=self.lang,
            fmt=self.name.rsplit(".", 1)[-1][:8].lower(), upload=self.token,
            result={"name": self.name})


class StartImport(StartJob):
    """Write a confirmed import in a worker: the request only queues the job, whose page
    follows it. The worker plans the file again against the database as it is then and
    writes it in one transaction: all of it or nothing. The same upload confirmed again
    while its job is queued or running joins that job, so a double click never imports
    twice."""

    permission = IMPORT_PERMISSIONS

    def __init__(self, user, token, name, lang):
        super().__init__(user)
        self.token, self.name, self.lang = token, name, lang

    def running(self):
        return ExportJob.objects.select_for_update().filter(
            kind=ExportJob.Kind.IMPORT, upload=self.token,
            state__in=(ExportJob.State.QUEUED, ExportJob.State.RUNNING)).first()

    def create(self):
        return ExportJob.objects.create(
            created_by=self.user, kind=ExportJob.Kind.IMPORT, lang=self.lang,
            fmt=self.name.rsplit(".", 1)[-1][:8].lower(), upload=self.token,
            result={"name": self.name})
