from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The standards database: numbers, status, supersession, references, terms.

    Knows nothing of the standard-system tree (that is ``registry``)."""

    name = "catalog"
    verbose_name = _("Catalog of standards")

    # What the office may add, change and delete (registry.rules.roles reads it).
    # Published standards are common (no owner); an organization's own (Q/) are its own.
    log_organizations = {"standard": ("owner_id", "common"),
                         "amendment": ("standard.owner_id", "common"),
                         "validitycheck": "organization_id"}
    office_editable = ("standard", "supersession", "citation", "term", "amendment")
    # The models whose records have history pages (/history/catalog.<model>/<pk>/).
    history_models = ("standard", "supersession", "citation", "term", "amendment")
    # Links whose changes show on a record's history page: {record: ((link, fields
    # of the link that point at the record), …)} (audit.views reads it).
    history_links = {
        "catalog.standard": (("catalog.supersession", ("new_id", "old_id")),
                             ("catalog.citation", ("citing_id", "cited_id")),
                             ("catalog.amendment", ("standard_id",))),
    }
