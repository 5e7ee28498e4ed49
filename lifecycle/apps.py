from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    """Projects that carry a standard from proposal to periodic review (clause 7)."""

    name = "lifecycle"
    verbose_name = _("Lifecycle")

    def ready(self):
        from lifecycle import receivers  # noqa: F401 - connects the signal receivers
