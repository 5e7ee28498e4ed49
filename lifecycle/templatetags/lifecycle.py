"""Template helpers of the lifecycle pages."""

from django import template

register = template.Library()


@register.simple_tag
def trail(*parts):
    """The breadcrumbs ``includes/breadcrumbs.html`` draws: ``url, label, url, label …``
    as (url, label) pairs; the last may have an empty url (the page itself)."""
    return list(zip(parts[::2], parts[1::2], strict=True))
