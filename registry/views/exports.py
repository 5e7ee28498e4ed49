"""Exporting the system table (in a worker, with progress), its compilation notes and the
system's name and organization shown on its cover."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from audit.downloads import download_name
from audit.mixins import PermissionMixin
from audit.versions import VersionCheckMixin
from registry import export_jobs
from registry.actions import ChangeSystem, SaveCompilationNotes, StartExport
from registry.forms.exports import ExportForm, NotesForm, SystemForm
from registry.models import CompilationNotes, ExportJob, Node

EXPORT_PERMISSION = "registry.export_system_table"


class ExportView(PermissionMixin, FormView):
    permission_required = EXPORT_PERMISSION
    form_class = ExportForm
    template_name = "registry/exports/export.html"

    def get_initial(self):
        return {"lang": self.request.LANGUAGE_CODE if self.request.LANGUAGE_CODE == "en"
                else "zh-hans", "node": self.request.GET.get("node")}

    def get_context_data(self, **kwargs):
        jobs = ExportJob.objects.filter(created_by=self.request.user,
                                        kind=ExportJob.Kind.EXPORT)[:10]
        return {**super().get_context_data(**kwargs), "jobs": jobs}

    def form_valid(self, form):
        data = form.cleaned_data
        job = StartExport(self.request.user, data["fmt"], data["lang"], as_of=data["as_of"],
                          node=data["node"]).execute()
        return redirect(job)


def _may_see(user, pk):
    """Whether ``user`` holds the permission the job's kind needs (an export's, or the
    document's); whose job it is is checked after (another user's job is a 404)."""
    job = ExportJob.objects.filter(pk=pk).first()
    if job is None:
        return True  # a 404 follows
    permission = export_jobs.permission_for(job)
    return user.has_perms((permission,) if isinstance(permission, str) else permission)


class ExportJobView(PermissionMixin, DetailView):
    """A job's page: its progress (polled until it ends), its outcome and the download. An
    export needs the export permission; a document job (``registry.job_documents``) the
    document's own, checked here and again on download."""

    permission_required = EXPORT_PERMISSION
    template_name = "registry/exports/job.html"
    context_object_name = "job"

    def has_permission(self):
        return _may_see(self.request.user, self.kwargs["pk"])

    def get_queryset(self):
        return ExportJob.objects.filter(created_by=self.request.user)

    def get_context_data(self, **kwargs):
        job = self.object
        if job.kind == ExportJob.Kind.DOCUMENT:
            back = (job.result or {}).get("back")
            crumbs = [(job.title, back)] if back else []
        elif job.kind == ExportJob.Kind.IMPORT:
            crumbs = [(_("Import a system table"), reverse("registry:import"))]
        else:
            crumbs = [(_("Export the system table"), reverse("registry:exportjob_add"))]
        return {**super().get_context_data(**kwargs), "breadcrumbs": crumbs}

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["registry/exports/_job_status.html"]
        return [self.template_name]


def export_download(request, pk):
    if not _may_see(request.user, pk):
        raise PermissionDenied
    job = get_object_or_404(ExportJob, pk=pk, created_by=request.user,
                            state=ExportJob.State.DONE)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = job.file.name.rsplit(".", 1)[-1]
    if job.kind == ExportJob.Kind.DOCUMENT:
        # 意见汇总处理表-<project>-<date>.pdf, 综合看板-<date>.pdf: as the document declares.
        result = job.result or {}
        name = download_name(job.title, result.get("subject", ""), extension=extension,
                             day=date.fromisoformat(result["day"]) if result.get("day")
                             else timezone.localdate(job.created_at))
        return FileResponse(handle, as_attachment=True, filename=name)
    # Named for what it holds: 标准体系表-<system or subtree>-<date>.xlsx.
    subject = (Node.objects.filter(code=job.node_code).first() if job.node_code
               else Node.objects.get_root_nodes().first())
    name = download_name(_("Standard system table"), subject.name if subject else "",
                         extension=extension,
                         day=job.as_of or timezone.localdate(job.created_at))
    return FileResponse(handle, as_attachment=True, filename=name)


class SystemRootMixin:
    """Pages about the whole system: ``self.root`` is its root node (404 before seeding)."""

    def dispatch(self, request, *args, **kwargs):
        self.root = Node.objects.get_root_nodes().first()
        if self.root is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class NotesView(SystemRootMixin, VersionCheckMixin, PermissionMixin, FormView):
    """The compilation notes (编制说明) that go with the system table."""

    permission_required = "registry.change_compilationnotes"
    form_class = NotesForm
    template_name = "registry/exports/notes.html"


    def versioned_record(self, form):
        return CompilationNotes.objects.filter(root=self.root).first()

    def get_initial(self):
        notes = CompilationNotes.objects.filter(root=self.root).first()
        return {"text": notes.text if notes else ""}

    def get_context_data(self, **kwargs):
        notes = CompilationNotes.objects.filter(root=self.root).first()
        return {**super().get_context_data(**kwargs), "root": self.root, "notes": notes}

    def form_valid(self, form):
        return self.with_version_check(form, self.save)

    def save(self, form):
        SaveCompilationNotes(self.request.user, self.root, form.cleaned_data["text"],
                             form.cleaned_data["reason"]).execute()
        messages.success(self.request, _("Saved the compilation notes."))
        return redirect("registry:compilationnotes_edit")


class SystemView(SystemRootMixin, VersionCheckMixin, PermissionMixin, FormView):
    """The system's name and organization (the root node's), as the table's cover shows them."""

    permission_required = "registry.change_node"
    form_class = SystemForm
    template_name = "registry/exports/system.html"


    def versioned_record(self, form):
        return self.root

    def get_initial(self):
        return {field: getattr(self.root, field) or "" for field in ChangeSystem.FIELDS}

    def get_context_data(self, **kwargs):
        crumbs = [(_("Export the system table"), reverse("registry:exportjob_add")),
                  (_("Name and organization"), None)]
        return {**super().get_context_data(**kwargs), "root": self.root, "breadcrumbs": crumbs}

    def form_valid(self, form):
        return self.with_version_check(form, self.save)

    def save(self, form):
        data = {field: form.cleaned_data[field] for field in ChangeSystem.FIELDS}
        reason = form.cleaned_data["reason"]
        ChangeSystem(self.request.user, self.root, reason, **data).execute()
        messages.success(self.request, _("Saved the system's name and organization."))
        return redirect("registry:system_edit")
