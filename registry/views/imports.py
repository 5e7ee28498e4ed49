"""Uploading a system table (XLSX or CSV): preview every change and problem, then confirm.

The upload request only makes the cheap checks of ``check_upload`` (size, the archive's
declared sizes, a streaming count of sheets and cells) and keeps the file under a random
token; a worker reads and checks it (``StartImportPreview``) and, once confirmed, writes it
(``StartImport``) in one transaction. Their pages follow the job's progress. Reading a
workbook in the request would let a 100 KB file hold a web process for minutes or gigabytes.
The upload is kept until it is confirmed, at most a day (``sweep_uploads``). The file is
written by the worker through ``ApplyImport`` (``registry.actions.imports.run_import``)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from audit.mixins import PermissionMixin, ReauthenticationMixin
from audit.text import single_line
from registry.actions import StartImport, StartImportPreview, TooManyJobs
from registry.actions.uploads import store_upload, stored_upload, sweep_uploads
from registry.forms.imports import ImportForm
from registry.models import ImportJob
from registry.rules.import_files import (
    MAX_UPLOAD,
    ImportFileError,
    check_upload,
    limit,
    too_large,
)
from registry.rules.imports import IMPORT_PERMISSIONS


# Re-authentication first: a confirmed import rewrites much of the system at once.
class ImportView(ReauthenticationMixin, PermissionMixin, FormView):
    permission_required = IMPORT_PERMISSIONS
    template_name = "registry/imports/import.html"
    form_class = ImportForm

    def post(self, request, *args, **kwargs):
        # Second step: the user confirms the plan shown for the stored upload.
        token = request.POST.get("confirm")
        if stored_upload(token) is not None:
            # The file's name goes into the history's reason: one line, nothing invisible.
            return self.confirm(token, single_line(request.POST.get("name", "")))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            if upload.size > limit("MAX_UPLOAD", MAX_UPLOAD):
                raise too_large()  # before reading it into memory
            content = upload.read()
            check_upload(content, upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        sweep_uploads()
        token = store_upload(content)
        try:
            job = StartImportPreview(self.request.user, token, upload.name,
                                     self.request.LANGUAGE_CODE).execute()
        except TooManyJobs:  # answered with 429 (registry.views.jobs): keep nothing
            stored_upload(token).unlink(missing_ok=True)
            raise
        return redirect(job)

    def confirm(self, token, name):
        # Planned again and written by a worker, all or nothing (the database may have
        # changed since the preview); the job's page shows how it went.
        job = StartImport(self.request.user, token, name, self.request.LANGUAGE_CODE).execute()
        return redirect(job)


class ImportPreviewView(PermissionMixin, FormView):
    """The preview of an upload, checked by a worker: progress, then the preview."""

    permission_required = IMPORT_PERMISSIONS
    template_name = "registry/imports/import.html"
    form_class = ImportForm
    # Shown only: its form (a new upload) and its confirm button post to ``ImportView``.
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        job = get_object_or_404(ImportJob, pk=self.kwargs["pk"],
                                kind=ImportJob.Kind.IMPORT_PREVIEW)
        if job.created_by_id != self.request.user.pk:
            raise PermissionDenied  # someone else's upload

        context = super().get_context_data(**kwargs)
        result = job.result or {}
        context.update(job=job, name=result.get("name", ""), token=job.upload)
        if job.state == ImportJob.State.DONE:
            context["preview"] = result
        return context

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["registry/imports/_preview_status.html"]
        return [self.template_name]
