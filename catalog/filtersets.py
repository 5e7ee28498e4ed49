import django_filters
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from catalog.models import Standard
from catalog.models.choices import Level, Status
from catalog.rules.numbers import StandardNumberError, parse_standard_number

# django-filter builds "<field> (descending)" with this msgid; our catalogue translates it.
gettext_noop("%s (descending)")


class StandardFilterSet(django_filters.FilterSet):
    """Filters over a queryset annotated with ``with_status()``."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, field_name="computed_status"
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("number", "number"), ("title", "title"), ("level", "level"),
                ("issued_on", "issued_on"), ("implemented_on", "implemented_on")),
        field_labels={
            "number": _("Standard number"), "title": _("Title"), "level": _("Level"),
            "issued_on": _("Issue date"), "implemented_on": _("Implementation date"),
        },
    )

    class Meta:
        model = Standard
        fields = ["q", "level", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        # "GB/T1.1-2020" should find "GB/T 1.1—2020": compare numbers without spaces and
        # with the canonical em dash.
        compact = "".join(value.split())
        for dash in "-–－":
            compact = compact.replace(dash, "—")
        matches = (
            Q(compact_number__icontains=compact) | Q(printed_number__icontains=value)
            | Q(adopted_number__icontains=value)
            | Q(title__icontains=value) | Q(title_en__icontains=value)
        )
        # A whole number in any printed spelling ("GB 3100-93", "ISO 9001:2015") finds
        # its standard by the canonical number.
        try:
            number = parse_standard_number(value)
        except StandardNumberError:
            pass
        else:
            if number.is_dated:
                matches |= Q(number=number.canonical)
            else:
                matches |= Q(code=number.code, serial=number.serial)
        return queryset.annotate(
            compact_number=Replace("number", Value(" "), Value(""))
        ).filter(matches)
