from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """The standard system (the tree, placements of catalog standards, the reference watch,
    the system table in and out) and the site's shell: the settings, the root URLconf, the
    Celery app and the accounts pages (signing in and staying signed in safely: the second
    factor with django-otp, lockout with django-axes, password change and reset,
    re-authentication before sensitive pages, the page for users with no role)."""

    name = "registry"
    verbose_name = _("Standard system")

    # What the office may add, change and delete (registry.rules.roles reads it).
    # Whose record each tracked model's audit log lines are (audit/log.py); templates are
    # read by the organizations beneath their publisher, so they stay out (common).
    log_organizations = {"node": "owner_id", "placement": "node.owner_id",
                         "tailoring": "organization_id",
                         "editionproposal": "organization_id",
                         "reviewflag": ("node.owner_id", "common")}
    office_editable = ("node", "placement", "compilationnotes", "reviewflag")
    # The models whose records have history pages (/history/registry.<model>/<pk>/).
    history_models = ("node", "placement", "compilationnotes", "reviewflag", "template",
                      "templatenode", "tailoring", "editionproposal")
    # Plain ids in a history row that name another record, shown by name in the diffs.
    history_references = {"node": {"parent_node_id": "registry.node"}}
    # A standard's history page also lists the changes to its placements.
    # Placements show on the standard's history page and on the node's own (as well as in
    # the node's subtree log).
    history_links = {"catalog.standard": (("registry.placement", ("standard_id",)),),
                     "registry.node": (("registry.placement", ("node_id",)),)}

    def ready(self):
        # Imported here, once the models are loaded (they import models at module level):
        # these connect signal receivers at import — the cached permissions, the request id,
        # the accounts' audit-log lines and the reference watch's flags, the history rows'
        # tree place — and the roles are synced after migrate.
        from registry import backends, request_log  # noqa: F401
        from registry.actions import accounts, watch  # noqa: F401
        from registry.actions.accounts import sync_roles
        from registry.rules.tree import history  # noqa: F401

        backends.connect()
        # After the last app migrated, so every permission exists.
        post_migrate.connect(sync_roles, dispatch_uid="registry.sync_roles")
