from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    """Standardization work (DB 6523/T 370-2023 clauses 5, 7 and 8): the organization, its
    people, work rules and plans, and the information library (clause 5); projects that
    carry a standard from proposal through publication to periodic review (clause 7); the
    supervision and evaluation of implementation (clause 8).

    One app organized by area, with the same area names in every package (``models``,
    ``rules``, ``actions``, ``forms``, ``views``, ``urls``, templates and tests):
    ``projects``, ``organization``, ``work``, ``information``, ``supervision``,
    ``evaluation``, plus the cross-area pages ``tasks`` and ``dashboard``. Every write is an
    action (``lifecycle.actions``, on ``audit.actions.Action``); the state machine is
    ``lifecycle.workflow``."""

    name = "lifecycle"
    verbose_name = _("Lifecycle")

    def ready(self):
        from lifecycle import receivers  # noqa: F401 - connects the signal receivers
