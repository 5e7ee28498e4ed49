from html import escape

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from catalog.filtersets import StandardFilterSet
from registry.models import Node


class NodeSelect(forms.Select):
    """The node filter's ``<select>``, written by string work from the nodes' values: with
    Django's template per option and a model instance per node, the list of 2,000 nodes
    took most of the catalog page's time. Same markup as ``forms.Select``."""

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(self.choices, ModelChoiceIterator):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        field = self.choices.field

        def option(key, label):
            mark = " selected" if key in selected else ""
            parts.append(f'  <option value="{escape(key)}"{mark}>{escape(label)}</option>')

        if field.empty_label is not None:
            option("", str(field.empty_label))
        for pk, code, node_name in self.choices.queryset.values_list("pk", "code", "name"):
            option(str(pk), f"{code} {node_name}")  # as Node.__str__
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 (every value above is escaped)


class NodeFilter(django_filters.ModelChoiceFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(placements__node__path__startswith=value.path).distinct()


class PlacedStandardFilterSet(StandardFilterSet):
    """The catalog filters plus "placed on this node or below it"."""

    node = NodeFilter(label=_("Node"), queryset=Node.objects.order_by("path"),
                      widget=NodeSelect)

    class Meta(StandardFilterSet.Meta):
        fields = ["q", "level", "status", "node"]
