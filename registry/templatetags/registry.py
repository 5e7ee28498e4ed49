from django import template
from django.utils.translation import get_language

from catalog.choices import Level, Status

register = template.Library()


@register.filter
def status_label(value):
    try:
        return Status(value).label
    except ValueError:
        return value


@register.filter
def level_label(value):
    try:
        return Level(value).label
    except ValueError:
        return value


@register.filter
def localized_name(node):
    """A node's English name in the English interface when it has one; names are data."""
    if get_language() == "en" and getattr(node, "name_en", ""):
        return node.name_en
    return node.name


@register.filter
def localized_title(standard):
    if get_language() == "en" and getattr(standard, "title_en", ""):
        return standard.title_en
    return standard.title


@register.filter
def times(count):
    return range(count)
