from django import template
from django.utils.translation import get_language

from organizations.rules import READS_CHILDREN, memberships_of, organizations_for

register = template.Library()


@register.inclusion_tag("organizations/_switcher.html", takes_context=True)
def organization_switcher(context):
    """The organization acted in, and a switcher when the user may act in several (read
    only when they hold a role in one: no query for them)."""
    request = context["request"]
    user = request.user
    held = memberships_of(user)
    several = user.is_superuser or len(held) > 1 or any(
        roles & READS_CHILDREN for roles in held.values())
    choices = organizations_for(user) if several else []
    return {"current": getattr(request, "organization", None), "choices": choices,
            "next": request.get_full_path(), "csrf_token": context.get("csrf_token")}


@register.filter
def organization_name(organization):
    """The organization's name in the page's language (its English name when it has one)."""
    return organization.display_name(get_language()) if organization else ""
