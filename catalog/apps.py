from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The standards database: numbers, status, supersession, references, terms.

    Knows nothing of the standard-system tree (that is ``registry``)."""

    name = "catalog"
    verbose_name = _("Catalog of standards")

    def ready(self):
        from django.db.models.signals import post_migrate

        from catalog.history import log  # noqa: F401  (connects the audit log writer)
        from catalog.history.chain import install_append_only_triggers

        post_migrate.connect(install_append_only_triggers, dispatch_uid="catalog.triggers")
