"""Names are data: a node's or a standard's English name in the English interface when it
has one."""

from django.utils.translation import get_language


def localized_name(node):
    """A node's English name in the English interface when it has one."""
    if get_language() == "en" and getattr(node, "name_en", ""):
        return node.name_en
    return node.name


def localized_title(standard):
    if get_language() == "en" and getattr(standard, "title_en", ""):
        return standard.title_en
    return standard.title
