"""标准有效性查新 pages: the check form, a kept check's result, the list of past checks and
the result as XLSX."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from audit.actions import ActionError
from audit.downloads import as_download
from audit.spreadsheets import xlsx_row
from catalog.actions.validity import AddValidityCheck, check_text
from catalog.forms.validity import ValidityForm
from catalog.models import ValidityCheck
from catalog.models.choices import Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_label(status):
    if status == "not_in_catalog":
        return _("Not in the catalog")
    return str(Status(status).label)


def rows(check):
    """The kept lines with the status in words, for the page and the downloads."""
    return [{**line, "status_label": status_label(line["status"])} for line in check.lines]


def checks_crumb():
    return (_("Validity checks"), reverse("catalog:validity_list"))


class ValidityCheckView(PermissionRequiredMixin, FormView):
    permission_required = "catalog.view_standard"
    raise_exception = True
    form_class = ValidityForm
    template_name = "catalog/validity_form.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "breadcrumbs": [checks_crumb(), (_("Check standards"), None)]}

    def form_valid(self, form):
        upload = form.cleaned_data.get("file")
        try:
            lines = check_text(form.checked_text)
            check = AddValidityCheck(self.request.user, lines, source=form.source,
                                     file_name=upload.name if upload else "").execute()
        except ActionError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(check)


class ValidityListView(PermissionRequiredMixin, ListView):
    permission_required = "catalog.view_standard"
    raise_exception = True
    template_name = "catalog/validity_list.html"
    paginate_by = 50

    def get_queryset(self):
        return ValidityCheck.objects.select_related("created_by")


class ValidityDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "catalog.view_standard"
    raise_exception = True
    template_name = "catalog/validity_detail.html"
    context_object_name = "check"

    def get_queryset(self):
        return ValidityCheck.objects.select_related("created_by")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rows": rows(self.object),
                "breadcrumbs": [checks_crumb(), (str(self.object), None)]}


def xlsx_header():
    return [_("As written"), _("Normalised"), _("Title"), _("Status"), _("Date"),
            _("Replaced by"), _("Chain of replacements"), _("Notes")]


def line_notes(line):
    notes = []
    if line.get("several_editions"):
        notes.append(_("Several editions: %(editions)s")
                     % {"editions": ", ".join(line["editions"])})
    return "; ".join(notes)


def line_values(line):
    return [line["written"], line["normalised"], line["title"],
            status_label(line["status"]), line["date"], line["replacement"],
            " → ".join(line["chain"]), line_notes(line)]


class ValidityXlsxView(ValidityDetailView):
    def render_to_response(self, context, **response_kwargs):
        from openpyxl import Workbook

        check = self.object
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Validity check"))
        sheet.append(xlsx_row(sheet, [
            _("Checked by %(user)s at %(time)s; status as of %(day)s") % {
                "user": check.created_by.get_full_name() or check.created_by.username,
                "time": check.created_at.strftime("%Y-%m-%d %H:%M"),
                "day": check.checked_on.isoformat()}]))
        sheet.append(xlsx_row(sheet, xlsx_header()))
        for line in check.lines:
            sheet.append(xlsx_row(sheet, line_values(line)))
        response = HttpResponse(content_type=XLSX)
        workbook.save(response)
        return as_download(response, _("Validity check"), str(check.pk), extension="xlsx",
                           day=check.checked_on)
