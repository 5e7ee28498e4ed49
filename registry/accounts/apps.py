from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and staying signed in safely: the second factor (django-otp), lockout
    (django-axes), password change and reset, re-authentication before sensitive pages and
    the page for users with no role. Every sign-in, password, role and second-factor change
    is written to the audit log (``events.py``); failed sign-ins and lockouts to the
    administrators' security log (``security_log.py``)."""

    name = "registry.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Connects the audit-log receivers; then those that keep cached permissions current.
        from registry.accounts import backends, events  # noqa: F401

        backends.connect()
