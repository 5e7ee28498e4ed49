"""Uploading a system table (XLSX or CSV): preview every change and problem, then confirm.

A small file is checked and written in the request; a larger one (over
``REGISTRY_IMPORT_INLINE_BYTES``) is checked by a worker like an export
(``StartImportPreview``), and once confirmed written by a worker too (``StartImport``), in
one transaction as in the request; their pages follow the job's progress. The upload is
kept under a random token until it is confirmed, at most a day (``sweep_uploads``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from audit.mixins import ReauthenticationMixin
from registry.actions import StartImport, StartImportPreview, TooManyJobs
from registry.actions.exports import IMPORT_PERMISSIONS
from registry.import_files import (
    MAX_UPLOAD,
    ImportFileError,
    limit,
    read_tables,
    store_upload,
    stored_upload,
    sweep_uploads,
)
from registry.imports import apply_import, plan_import, preview
from registry.models import ExportJob

from .mixins import PermissionMixin

INLINE_BYTES = 256 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("System table (XLSX or CSV)"),
                           help_text=gettext_lazy("In the layout of the XLSX or CSV export, or "
                                                  "with the columns of the GB/T 13016-2018 "
                                                  "detail table."))


# Re-authentication first: a confirmed import rewrites much of the system at once.
class ImportView(ReauthenticationMixin, PermissionMixin, FormView):
    permission_required = IMPORT_PERMISSIONS
    template_name = "registry/imports/import.html"
    form_class = ImportForm

    def post(self, request, *args, **kwargs):
        # Second step: the user confirms the plan shown for the stored upload.
        token = request.POST.get("confirm")
        path = stored_upload(token)
        if path is not None:
            return self.confirm(path, token, request.POST.get("name", ""))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > limit("MAX_UPLOAD", MAX_UPLOAD):
            form.add_error("file", _("The file is larger than %(size)d MB.")
                           % {"size": limit("MAX_UPLOAD", MAX_UPLOAD) // (1024 * 1024)})
            return self.form_invalid(form)
        content = upload.read()
        sweep_uploads()
        if len(content) > limit("INLINE_BYTES", INLINE_BYTES):
            token = store_upload(content)
            try:
                job = StartImportPreview(self.request.user, token, upload.name,
                                         self.request.LANGUAGE_CODE).execute()
            except TooManyJobs:  # answered with 429 (registry.views.jobs): keep nothing
                stored_upload(token).unlink(missing_ok=True)
                raise
            return redirect(job)
        try:
            tables = read_tables(content, upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        plan = plan_import(tables)
        return self.render_to_response(self.get_context_data(
            form=form, preview=preview(plan), token=store_upload(content), name=upload.name))

    def confirm(self, path, token, name):
        if path.size() > limit("INLINE_BYTES", INLINE_BYTES):
            # Written by a worker, all or nothing; the job's page shows how it went.
            job = StartImport(self.request.user, token, name,
                              self.request.LANGUAGE_CODE).execute()
            return redirect(job)
        # Planned again: the database may have changed since the preview.
        try:
            plan = plan_import(read_tables(path.read_bytes(), path.name))
        except ImportFileError as exc:
            form = self.get_form_class()()
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if not plan.ok:
            return self.render_to_response(self.get_context_data(
                form=self.get_form_class()(), preview=preview(plan), token="", name=name))
        apply_import(plan, self.request.user, _("Import of %(file)s") % {"file": name})
        path.unlink(missing_ok=True)
        messages.success(self.request, _("Imported: %(summary)s.") % {"summary": plan.summary()})
        return redirect("registry:tree")


class ImportPreviewView(PermissionMixin, FormView):
    """The preview of a large upload, checked by a worker: progress, then the preview."""

    permission_required = IMPORT_PERMISSIONS
    template_name = "registry/imports/import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        job = get_object_or_404(ExportJob, pk=self.kwargs["pk"],
                                kind=ExportJob.Kind.IMPORT_PREVIEW)
        if job.created_by_id != self.request.user.pk:
            raise PermissionDenied  # someone else's upload

        context = super().get_context_data(**kwargs)
        result = job.result or {}
        context.update(job=job, name=result.get("name", ""), token=job.upload)
        if job.state == ExportJob.State.DONE:
            context["preview"] = result
        return context

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["registry/imports/_preview_status.html"]
        return [self.template_name]
