from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from audit import checks  # noqa: F401  (registers the system checks)
from audit.text import protect_text_fields


class AuditConfig(AppConfig):
    """Recorded change, beneath every other app: the keyed hash chains of the history
    tables, the audit log, ``tracked()``, the action base class and ``verify_history``.

    It knows nothing of standards, trees or projects; catalog, registry and lifecycle build
    their history on it (docs/architecture.md)."""

    name = "audit"
    verbose_name = _("Audit trail")

    # Roles cover this app's permissions (every role views the log), but nobody edits it:
    # its rows are written by the changes of the other apps.
    office_editable = ()

    def ready(self):
        # Both import audit.models, which cannot be imported before the app registry is ready.
        from audit import log  # noqa: F401  (connects the log's receiver)
        from audit.triggers import install_append_only_triggers

        # Once per migrate (or flush), not once per app: every table exists by then.
        post_migrate.connect(install_append_only_triggers, sender=self,
                             dispatch_uid="audit.triggers")
        # Every model is loaded by now (ready() runs after all models are imported).
        protect_text_fields()
