"""The audit trail's pages, for any tracked record of any app: a record's versions, two
versions compared, and the global audit log with its filters and CSV/XLSX export.

Which records have history pages, which ids in a history row name another record, and which
links' changes show on a record's page are declared by each app on its ``AppConfig``
(``history_models``, ``history_references``, ``history_links``); nothing here names an app.
"""

import csv
from io import BytesIO

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from openpyxl import Workbook

from audit.diff import compare as compare_versions
from audit.diff import versions
from audit.downloads import as_download
from audit.filtersets import LogEntryFilterSet
from audit.log import may_read, visible_entries
from audit.mixins import PermissionMixin, QuerystringMixin
from audit.models import LogAction, LogEntry
from audit.spreadsheets import csv_row, xlsx_row


def has_history_page(model):
    """Whether the app of ``model`` declares history pages for it (``history_models`` on
    its ``AppConfig``: model names, or ``"__all__"`` for every tracked model)."""
    declared = getattr(model._meta.app_config, "history_models", ())
    return hasattr(model, "history") and (
        declared == "__all__" or model._meta.model_name in declared
    )


def tracked_model(label):
    """``registry.node`` → Node, for the models whose apps declare history pages."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not has_history_page(model):
        raise Http404
    return model


def references_for(model):
    """Plain id fields of a history row that point at another record, as the model's app
    declares them (``history_references`` on its ``AppConfig``): ``{field: model}``."""
    declared = getattr(model._meta.app_config, "history_references", {})
    return {field: apps.get_model(label)
            for field, label in declared.get(model._meta.model_name, {}).items()}


class RecordHistoryMixin:
    """Resolves ``<app.model>/<pk>`` and checks the user may view that kind of record."""

    def setup_record(self, request, label, pk):
        self.model = tracked_model(label)
        meta = self.model._meta
        if not request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            raise PermissionDenied
        self.records = list(
            self.model.history.filter(**{meta.pk.attname: pk}).select_related("history_user")
        )
        if not self.records:
            raise Http404
        self.current = self.model._base_manager.filter(pk=pk).first()
        # Another organization's record is not found, as on its own page.
        newest = max(self.records, key=lambda r: (r.history_date, r.pk))
        if not may_read(self.current or newest.instance, getattr(request, "organization", None)):
            raise Http404
        self.label, self.pk = label, pk

    def get(self, request, *args, **kwargs):
        self.setup_record(request, kwargs["model"], kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def record_context(self):
        newest = max(self.records, key=lambda r: (r.history_date, r.pk))
        return {
            "model_label": self.label, "record_pk": self.pk, "current": self.current,
            "verbose_name": self.model._meta.verbose_name,
            "title": str(self.current) if self.current else str(newest.instance),
            "deleted": self.current is None,
        }


def link_models(label):
    """The links whose changes belong on the history page of a ``label`` record, as the
    apps declare them (``history_links`` on each ``AppConfig``): ``(link model label,
    fields of the link that point at the record)``. A standard's page, for example, shows
    its supersessions and references (declared by catalog) and its placements (registry)."""
    return [link for config in apps.get_app_configs()
            for link in getattr(config, "history_links", {}).get(label, ())]


def related_changes(label, pk, organization, limit=100):
    """The audit log entries of the links of record ``pk`` (newest first): one query per
    kind of link and one for the entries, whatever their number."""
    wanted = Q(pk__in=[])
    for link_label, fields in link_models(label):
        model = apps.get_model(link_label)
        pointing = Q()
        for field in fields:
            pointing |= Q(**{field: pk})
        ids = set(model.history.filter(pointing).values_list("id", flat=True))
        wanted |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return (LogEntry.objects.filter(wanted).filter(visible_entries(organization))
            .select_related("user", "content_type")[:limit])


class RecordHistoryView(RecordHistoryMixin, TemplateView):
    """Every version of one record, newest first, with its changes, and the changes of its
    links (a standard's supersessions, references and placements)."""

    template_name = "audit/record_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.record_context())
        context["versions"] = versions(self.records, references_for(self.model))
        context["related"] = related_changes(self.label, self.pk,
                                             getattr(self.request, "organization", None))
        return context


class RecordCompareView(RecordHistoryMixin, TemplateView):
    """Any two versions of one record side by side (``?a=<id>&b=<id>``)."""

    template_name = "audit/record_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.record_context())
        by_id = {str(r.pk): r for r in self.records}
        ordered = sorted(self.records, key=lambda r: (r.history_date, r.pk))
        a = by_id.get(self.request.GET.get("a")) or ordered[0]
        b = by_id.get(self.request.GET.get("b")) or ordered[-1]
        older, newer = sorted([a, b], key=lambda r: (r.history_date, r.pk))
        history = reverse("audit:record_history", args=[self.label, self.pk])
        context.update(
            breadcrumbs=[(f"{_('History')}: {context['title']}", history),
                         (_("Compare versions"), None)],
            versions=list(reversed(ordered)), older=older, newer=newer,
            changes=compare_versions(older, newer, references_for(self.model)),
        )
        return context


class AuditLogView(PermissionMixin, QuerystringMixin, FilterView):
    """The global audit log: every history row of every record, filterable and exportable."""

    permission_required = "audit.view_logentry"
    filterset_class = LogEntryFilterSet
    template_name = "audit/logentry_list.html"
    paginate_by = 50
    export_limit = 200_000

    def base_queryset(self):
        # The organization acted in: its records' entries and the shared ones (audit.log).
        return LogEntry.objects.filter(
            visible_entries(getattr(self.request, "organization", None)))

    def get_queryset(self):
        return self.base_queryset().select_related("user", "content_type").order_by(
            "-timestamp", "-id"
        )

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            filterset = self.filterset_class(request.GET, queryset=self.get_queryset(),
                                             request=request)
            # Invalid filters export nothing, as the page then shows nothing.
            entries = (filterset.qs if filterset.is_valid() else LogEntry.objects.none())
            entries = entries[: self.export_limit]
            return export_csv(entries) if export == "csv" else export_xlsx(entries)
        return super().get(request, *args, **kwargs)


def _export_rows(entries):
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user.get_username() if entry.user else _("system"),
            str(LogAction(entry.action).label),
            str(entry.content_type.model_class()._meta.verbose_name),
            entry.object_repr,
            entry.reason,
        ]


def _headers():
    return [_("Time"), _("User"), _("Action"), _("Kind of record"), _("Record"), _("Reason")]


def export_csv(entries):
    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    rows = (writer.writerow(csv_row(row)) for row in _export_rows(entries))
    response = StreamingHttpResponse(_stream(writer, rows),
                                     content_type="text/csv; charset=utf-8")
    return as_download(response, _("Audit log"), extension="csv")


def _stream(writer, rows):
    # UTF-8 with BOM so that Excel opens the Chinese text correctly.
    yield "\ufeff" + writer.writerow(_headers())
    yield from rows


def export_xlsx(entries):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log"))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (20, 14, 10, 14, 50, 50), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append(_headers())
    for row in _export_rows(entries):
        sheet.append(xlsx_row(sheet, row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return as_download(response, _("Audit log"), extension="xlsx")
