from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """The standard-system tree, placements of catalog standards, the system table, settings."""

    name = "registry"
    verbose_name = _("Standard system")

    # What the office may add, change and delete (registry.roles reads it).
    office_editable = ("node", "placement", "compilationnotes", "reviewflag")
    # The models whose records have history pages (/history/registry.<model>/<pk>/).
    history_models = ("node", "placement", "compilationnotes", "reviewflag")
    # Plain ids in a history row that name another record, shown by name in the diffs.
    history_references = {"node": {"parent_node_id": "registry.node"}}
    # A standard's history page also lists the changes to its placements.
    # Placements show on the standard's history page and on the node's own (as well as in
    # the node's subtree log).
    history_links = {"catalog.standard": (("registry.placement", ("standard_id",)),),
                     "registry.node": (("registry.placement", ("node_id",)),)}

    def ready(self):
        from registry import history, request_log, watch  # noqa: F401  (connect receivers)
        from registry.roles import sync_roles

        # After the last app migrated, so every permission exists.
        post_migrate.connect(sync_roles, dispatch_uid="registry.sync_roles")
