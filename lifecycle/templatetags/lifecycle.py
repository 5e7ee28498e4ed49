"""Template helpers of the lifecycle pages."""

from django import template

register = template.Library()


@register.simple_tag
def trail(*parts):
    """The breadcrumbs ``includes/breadcrumbs.html`` draws, from ``url, label, url, label
    …``: (label, url) pairs; the last may have an empty url (the page itself)."""
    return list(zip(parts[1::2], parts[::2], strict=True))
