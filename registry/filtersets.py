import django_filters
from django.utils.translation import gettext_lazy as _

from audit.forms import ValuesSelect
from catalog.filtersets import StandardFilterSet
from registry.rules.tree.scope import nodes


def organization_nodes(request=None):
    """The choices: the nodes of the organization acted in (never another's)."""
    return nodes().order_by("path")


class NodeFilter(django_filters.ModelChoiceFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(placements__node__path__startswith=value.path).distinct()


class PlacedStandardFilterSet(StandardFilterSet):
    """The catalog filters plus "placed on this node or below it"."""

    node = NodeFilter(label=_("Node"), queryset=organization_nodes,
                      widget=ValuesSelect(("code", "name")))  # 2,000 nodes: no templates

    class Meta(StandardFilterSet.Meta):
        fields = ["q", "level", "status", "node"]
