"""Background jobs: an export of the system table, a declared document, an import's
preview and its write, each built in a worker process so the web server never waits; the
job's page follows its progress. ``Job`` is the table; ``ExportJob`` and ``ImportJob`` are
its exports (and documents) and its imports, each holding only its kinds."""

import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def export_path(instance, filename):
    return f"exports/{uuid.uuid4().hex}/{filename}"


def documents():
    """Every document declared on an app's ``AppConfig.job_documents``
    (``registry.rules.documents.JobDocument``), by name."""
    return {document.name: document
            for config in apps.get_app_configs()
            for document in getattr(config, "job_documents", ())}


def document(name):
    """The declared document called ``name``, or None."""
    return documents().get(name)


class Job(models.Model):
    """One requested export, document, import preview or import (``kind``).
    Operational state, not a record of the system: its progress is updated in place and it
    keeps no history (the exported file is the evidence; an import writes its own)."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        IMPORT_PREVIEW = "import_preview", _("Import preview")
        # A document another app lays out (registry.rules.documents): a comment table, a
        # dashboard; ``document`` names it and ``params`` say which.
        DOCUMENT = "document", _("Document")
        # The confirmed write of an import, in one transaction.
        IMPORT = "import", _("Import")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices,
                            default=Kind.EXPORT)
    fmt = models.CharField(_("format"), max_length=8)
    lang = models.CharField(_("language"), max_length=8, default="zh-hans")
    node_code = models.CharField(_("subtree"), max_length=32, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    file = models.FileField(_("file"), upload_to=export_path, blank=True, max_length=255)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    # An import: the stored upload (registry.actions.uploads) and what it would do or did.
    upload = models.CharField(_("uploaded file"), max_length=255, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    # A document job: which document (registry.rules.documents) and what it is about.
    document = models.CharField(_("document"), max_length=64, blank=True)
    params = models.JSONField(_("parameters"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("requested by"))
    # The organization it was asked in: the worker acts there (registry.tasks.run).
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organization"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # Kept by the worker (registry.actions.jobs): when it began, when it last reported (a job
    # silent for too long lost its worker) and how many workers have taken it.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last report"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        # The table of the release before, when every job was an "export job".
        db_table = "registry_exportjob"
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return f"{self.fmt} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        if self.kind == self.Kind.IMPORT_PREVIEW:
            return reverse("registry:import_preview", args=[self.pk])
        return reverse("registry:exportjob_detail", args=[self.pk])

    @property
    def title(self):
        """What the job makes, for its page: the document's name, or the export's format."""
        if self.kind == self.Kind.DOCUMENT:
            found = document(self.document)
            return str(found.title) if found else self.document
        if self.kind == self.Kind.IMPORT:
            return f"{_('Import')} {(self.result or {}).get('name', '')}".strip()
        return f"{_('Export')} {self.fmt.upper()}"

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)


class KindManager(models.Manager):
    """The jobs of some kinds only: the default manager of a proxy below."""

    def __init__(self, *kinds):
        super().__init__()
        self.kinds = kinds

    def get_queryset(self):
        return super().get_queryset().filter(kind__in=self.kinds)


class ExportJob(Job):
    """An export of the system table or a declared document: what the export pages list."""

    objects = KindManager(Job.Kind.EXPORT, Job.Kind.DOCUMENT)

    class Meta:
        proxy = True
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")


class ImportJob(Job):
    """An uploaded system table's preview (``kind`` import_preview) or its confirmed write
    (import): an import is not an export."""

    objects = KindManager(Job.Kind.IMPORT_PREVIEW, Job.Kind.IMPORT)

    class Meta:
        proxy = True
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
