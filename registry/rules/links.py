"""Links that apps put on the pages of other apps' records, declared rather than named.

A standard's page and a node's page live in registry, but some of their buttons lead to
pages of apps above it (a project opened on a node, a check recorded on a standard).
Registry does not name those apps: each app declares its links on its ``AppConfig``, and the
page asks for the links of its record::

    class LifecycleConfig(AppConfig):
        object_links = {
            "catalog.standard": (
                Link("records", "lifecycle:implementationcheck_list", _("Implementation checks"),
                     "lifecycle.view_implementationcheck", query="standard",
                     html_id="standard-checks"),
            ),
        }

In a template: ``{% object_links standard "actions" as links %}``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class Link:
    """One link on the page of a record.

    ``place`` is where the page shows it: ``"actions"`` (buttons beside the title) or
    ``"records"`` (related records). The record's id goes into the URL as its one argument,
    or as ``?<query>=<id>`` when ``query`` is given. ``when(record)`` may hide it (for
    example, for a standard that is not in force)."""

    place: str
    url_name: str
    label: str
    permission: str
    query: str = ""
    html_id: str = ""
    when: Callable | None = None

    def url(self, record):
        if self.query:
            return f"{reverse(self.url_name)}?{self.query}={record.pk}"
        return reverse(self.url_name, args=[record.pk])


def links_for(record, place, user):
    """The links the installed apps declare for ``record`` at ``place`` that ``user`` may
    follow, as dicts with ``label``, ``url`` and ``html_id``, in app order."""
    label = record._meta.label_lower
    return [
        {"label": link.label, "url": link.url(record), "html_id": link.html_id}
        for config in apps.get_app_configs()
        for link in getattr(config, "object_links", {}).get(label, ())
        if link.place == place and user.has_perm(link.permission)
        and (link.when is None or link.when(record))
    ]
