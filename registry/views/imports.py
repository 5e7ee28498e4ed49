"""Uploading a system table from Excel: preview every change and problem, then confirm."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from registry.import_files import MAX_UPLOAD, ImportFileError, limit, read_tables
from registry.imports import apply_import, plan_import

from .mixins import PermissionMixin

UPLOADS = "imports"


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("System table (XLSX or CSV)"),
                           help_text=gettext_lazy("In the layout of the XLSX or CSV export, or "
                                                  "with the columns of the GB/T 13016-2018 "
                                                  "detail table."))
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def _stored(token):
    if not token or not all(c in "0123456789abcdef" for c in token):
        return None
    for path in (Path(settings.MEDIA_ROOT) / UPLOADS).glob(f"{token}.*"):
        return path
    return None


class ImportView(PermissionMixin, FormView):
    permission_required = ("registry.add_node", "registry.add_placement",
                           "catalog.add_standard", "catalog.change_standard")
    template_name = "registry/imports/import.html"
    form_class = ImportForm

    def post(self, request, *args, **kwargs):
        # Second step: the user confirms the plan shown for the stored upload.
        path = _stored(request.POST.get("confirm"))
        if path is not None:
            return self.confirm(path, request.POST.get("name", ""))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > limit("MAX_UPLOAD", MAX_UPLOAD):
            form.add_error("file", _("The file is larger than %(size)d MB.")
                           % {"size": limit("MAX_UPLOAD", MAX_UPLOAD) // (1024 * 1024)})
            return self.form_invalid(form)
        content = upload.read()
        try:
            tables = read_tables(content, upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        plan = plan_import(tables)
        token = uuid.uuid4().hex
        folder = Path(settings.MEDIA_ROOT) / UPLOADS
        folder.mkdir(parents=True, exist_ok=True)
        suffix = "xlsx" if content[:4] == b"PK\x03\x04" else "csv"
        (folder / f"{token}.{suffix}").write_bytes(content)
        return self.render_to_response(self.get_context_data(
            form=form, plan=plan, token=token, name=upload.name))

    def confirm(self, path, name):
        # Planned again: the database may have changed since the preview.
        plan = plan_import(read_tables(path.read_bytes(), path.name))
        if not plan.ok:
            return self.render_to_response(self.get_context_data(
                form=self.get_form_class()(), plan=plan, token="", name=name))
        apply_import(plan, self.request.user, _("Import of %(file)s") % {"file": name})
        path.unlink(missing_ok=True)
        messages.success(self.request, _("Imported: %(nodes)d nodes, %(standards)d standards, "
                                         "%(placements)d placements.") % {
            "nodes": len(plan.nodes), "standards": len(plan.standards) + len(plan.updates),
            "placements": len(plan.placements)})
        return redirect("registry:tree")
