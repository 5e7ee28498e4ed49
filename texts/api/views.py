"""The texts API: the texts the organization acted in may read, each with its cover and
structure (every number computed), its drafting checks, and its Word or PDF file queued as
a job. Another organization's text is a 404, as on the pages (``Text.objects.readable``)."""

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import filters, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.api.base import ActionPermissions
from registry.actions import StartDocument
from texts.api import serializers as s
from texts.models import Text
from texts.references import check_document
from texts.storage import load

DOCUMENTS = {"docx": "texts.docx", "pdf": "texts.pdf"}


@extend_schema(parameters=[OpenApiParameter("q", str, description="Number or title "
                                                                   "contains")])
class TextViewSet(ActionPermissions, viewsets.ReadOnlyModelViewSet):
    """Standard texts in the GB/T 1.1-2020 structure: a project's draft or a published
    standard's text."""

    permissions = {"*": "texts.view_text"}
    serializer_class = s.TextSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["created_at", "number", "title", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        texts = Text.objects.readable().select_related("organization", "standard")
        query = self.request.query_params.get("q", "") if self.request else ""
        if query:
            texts = texts.filter(Q(number__icontains=query) | Q(title__icontains=query))
        return texts

    @extend_schema(responses=s.TextDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        """The cover and the structure: 前言, 引言, clauses and annexes with their numbers
        and elements, 参考文献. Figures link to their image."""
        loaded = load(self.get_object(), images=False)
        return Response(s.TextDetailSerializer(loaded, context={"request": request}).data)

    @extend_schema(responses=s.FindingSerializer(many=True))
    # One list, not pages: a text's findings are few.
    @action(detail=True, methods=["get"], pagination_class=None)
    def checks(self, request, pk=None):
        """The drafting checks of GB/T 1.1-2020, the normative references against the
        catalog (withdrawn, replaced, undated with several editions)."""
        document = load(self.get_object(), images=False).document
        return Response(s.FindingSerializer(check_document(document), many=True).data)

    @extend_schema(request=s.TextExportRequestSerializer,
                   responses={202: s.TextExportJobSerializer})
    @action(detail=True, methods=["post"])
    def exports(self, request, pk=None):
        """Queue the text's Word file or PDF as a job (202 with the job; ``Location`` is
        the job in the API). The same file asked again while it is queued or running joins
        that job; too many jobs of one user at once are refused with 429."""
        text = self.get_object()  # another organization's text: 404 before anything else
        serializer = s.TextExportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = StartDocument(request.user, DOCUMENTS[data["format"]],
                            data.get("lang") or request.LANGUAGE_CODE,
                            params={"text": text.pk}, back=text.get_absolute_url()).execute()
        job.refresh_from_db()
        answer = s.job_data(job, request)
        response = Response(answer, status=status.HTTP_202_ACCEPTED)
        response["Location"] = answer["url"]
        return response
