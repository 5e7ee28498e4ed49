"""Exporting the system table (in a worker, with progress: the job's page is
``registry.views.jobs``), its compilation notes and the system's name and organization shown
on its cover."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from audit.mixins import PermissionMixin
from audit.versions import VersionCheckMixin
from registry.actions import ChangeSystem, SaveCompilationNotes, StartExport
from registry.forms.exports import ExportForm, NotesForm, SystemForm
from registry.models import CompilationNotes, ExportJob
from registry.rules.jobs import EXPORT_PERMISSION
from registry.rules.tree.scope import system_root


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


class SystemRootMixin:
    """Pages about the whole system: ``self.root`` is its root node (404 before seeding)."""

    def dispatch(self, request, *args, **kwargs):
        self.root = system_root()
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
