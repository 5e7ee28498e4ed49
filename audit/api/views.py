"""The audit trail's API: a record's versions, two versions compared, the audit log
(the same logic, permissions and filters as the history pages, ``audit/views.py``)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.api import serializers as s
from audit.diff import compare, versions
from audit.filtersets import LogEntryFilterSet
from audit.log import visible_entries
from audit.models import LogEntry
from audit.views import RecordHistoryMixin, references_for

MODEL = OpenApiParameter("model", str, OpenApiParameter.PATH, pattern=r"^[a-z_]+\.[a-z_]+$",
                         description="app.model, e.g. registry.node or catalog.standard")
PK = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The record's id")


class RecordHistoryView(RecordHistoryMixin, APIView):
    """Every version of one record, newest first, each with its changes against the one
    before (names instead of ids, labels instead of codes, in the caller's language)."""

    permission_required = None  # the record's own view permission, checked below

    @extend_schema(parameters=[MODEL, PK], responses=s.VersionSerializer(many=True))
    def get(self, request, model, pk):
        self.setup_record(request, model, int(pk))
        return Response(s.VersionSerializer(
            versions(self.records, references_for(self.model)), many=True).data)


class RecordCompareView(RecordHistoryMixin, APIView):
    """Two versions of one record compared (``a`` and ``b``: history row ids; default the
    first and the latest)."""

    permission_required = None

    @extend_schema(parameters=[MODEL, PK, OpenApiParameter("a", int), OpenApiParameter("b", int)],
                   responses=s.CompareSerializer)
    def get(self, request, model, pk):
        self.setup_record(request, model, int(pk))
        by_id = {str(r.pk): r for r in self.records}
        ordered = sorted(self.records, key=lambda r: (r.history_date, r.pk))
        a = by_id.get(request.query_params.get("a")) or ordered[0]
        b = by_id.get(request.query_params.get("b")) or ordered[-1]
        older, newer = sorted([a, b], key=lambda r: (r.history_date, r.pk))
        changes = compare(older, newer, references_for(self.model))
        return Response(s.CompareSerializer(
            {"older": older.pk, "newer": newer.pk, "changes": changes}).data)


class LogEntryListView(generics.ListAPIView):
    """The audit log, newest first, with the log page's filters (user, kind, action,
    since, until, q). ``api_token`` names the token a change was made with."""

    permission_required = "audit.view_logentry"
    serializer_class = s.LogEntrySerializer
    filterset_class = LogEntryFilterSet

    def get_queryset(self):
        return (LogEntry.objects.filter(
            visible_entries(getattr(self.request, "organization", None)))
            .select_related("user", "content_type").order_by("-timestamp", "-id"))
