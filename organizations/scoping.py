"""Managers that read only the records of the organization being acted in.

A model whose records belong to one organization's work makes ``InOrganization()`` its
default manager (``objects``): every query through it — a page's, a form choice's, a
filter's, the API's, a related manager's — reads the current organization's records only,
so a query that forgets to scope cannot show another organization's. A record reached
through a parent is scoped through it (``InOrganization.through("project__organization")``).

The organization is looked up when the query runs, not when it is built: querysets built
once at import (a view's ``queryset``, a form field's choices) follow the request. Jobs and
commands that work across organizations loop over them with ``acting_in``; the plain
``_base_manager`` (which Django also uses to follow a foreign key) sees every record.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q

from organizations.models import Membership
from organizations.rules import CurrentOrganizationId


class InOrganization(models.Manager):
    """The records of the organization acted in. ``path`` leads from the model to its
    organization: ``InOrganization.through("project__organization")`` for a record scoped
    through its parent. (A class attribute: Django derives the related managers —
    ``project.documents`` — from this class and makes them without arguments.)"""

    path = "organization"

    @classmethod
    def through(cls, path):
        scoped = type(f"InOrganizationThrough{path.split('__')[0].title()}", (cls,),
                      {"path": path, "__module__": __name__})
        return scoped()

    def get_queryset(self):
        return super().get_queryset().filter(**{self.path: CurrentOrganizationId()})


def colleagues(*keep):
    """Active users holding a role in the organization acted in (looked up when the query
    runs, so a form field's choices built at import follow the request), by username;
    plus ``keep`` (a record's former colleague stays choosable on its edit form)."""
    here = Exists(Membership.objects.filter(user=OuterRef("pk"),
                                            organization_id=CurrentOrganizationId()))
    kept = [user.pk for user in keep if user is not None]
    return get_user_model().objects.filter(
        (Q(is_active=True) & here) | Q(pk__in=kept)).order_by("username")
