"""The catalog's API: terms, parsing standard numbers for other systems, validity checks."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import filters, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.actions import ActionError
from audit.api.base import ActionPermissions, form_data, validated
from catalog.actions.validity import AddValidityCheck, check_text
from catalog.api import serializers as s
from catalog.forms.validity import ValidityForm
from catalog.models import Term, ValidityCheck
from catalog.rules.numbers import StandardNumberError, parse_standard_number
from catalog.rules.terms import search_terms


@extend_schema(parameters=[OpenApiParameter("q", str, description="Term, English term or "
                                                                    "definition contains")])
class TermViewSet(ActionPermissions, viewsets.ReadOnlyModelViewSet):
    """Terms and definitions (clause 3), as the terms page lists them."""

    permissions = {"*": "catalog.view_term"}
    serializer_class = s.TermSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["term", "clause", "id"]
    ordering = ["clause", "term"]

    def get_queryset(self):
        return search_terms(Term.objects.select_related("source", "defined_in"),
                            self.request.query_params.get("q", ""))


def parse_one(text):
    """One number as the parser reads it: its parts, or why it is refused."""
    try:
        number = parse_standard_number(text)
    except StandardNumberError as exc:
        return {"input": text, "valid": False, "error": str(exc)}
    return {"input": text, "valid": True, "canonical": number.canonical,
            "code": number.code, "serial": number.serial, "year": number.year,
            "dated": number.is_dated, "level": number.level, "nature": number.nature,
            "region_code": number.region_code}


class NumbersView(APIView):
    """Parse and normalise standard numbers (``catalog.rules.numbers``, the registry's only
    parser): each one's parts in canonical form, or the reason it is refused. Useful to
    other systems cleaning their own data."""

    permission_required = None
    changes_nothing = True  # a read-only token may POST a list here

    @extend_schema(parameters=[OpenApiParameter("number", str, many=True, required=True,
                                                description="Repeat for several numbers")],
                   responses=s.NumberResultSerializer(many=True))
    def get(self, request):
        numbers = request.query_params.getlist("number")[:1000]
        if not numbers:
            raise ValidationError({"number": [_("Give at least one number.")]})
        return Response([parse_one(text) for text in numbers])

    @extend_schema(request=s.NumbersRequestSerializer,
                   responses=s.NumberResultSerializer(many=True))
    def post(self, request):
        serializer = s.NumbersRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response([parse_one(text) for text in serializer.validated_data["numbers"]])


class ValidityCheckViewSet(ActionPermissions, viewsets.ReadOnlyModelViewSet):
    """标准有效性查新: post a text; every standard number in it gets its status today, the
    standard replacing it and whether it is in the catalog. The result is kept as the
    organization's validity check, with who ran it and when."""

    permissions = {"*": "catalog.view_standard"}
    serializer_class = s.ValidityCheckSerializer

    def get_queryset(self):
        return ValidityCheck.objects.select_related("created_by")

    @extend_schema(request=s.ValidityRequestSerializer, responses={201: s.ValidityCheckSerializer})
    def create(self, request):
        """Check a text and keep the result."""
        serializer = s.ValidityRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = validated(ValidityForm(data=form_data(serializer.validated_data)))
        try:
            check = AddValidityCheck(request.user, check_text(data["text"]),
                                     source="text").execute()
        except ActionError as exc:
            raise ValidationError({"text": exc.messages}) from exc
        return Response(s.ValidityCheckSerializer(check).data, status=201)
