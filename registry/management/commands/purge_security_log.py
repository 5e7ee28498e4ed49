from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from registry.actions.accounts import DeleteExpiredSecurityLog


class Command(BaseCommand):
    help = ("Delete the security log's records (failed sign-ins, lockouts, sign-ins) older "
            "than REGISTRY_SECURITY_LOG_DAYS, and lockout counters whose cool-off has "
            "passed (celery beat runs it daily).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Keep this many days instead of REGISTRY_SECURITY_LOG_DAYS.")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None)

    def handle(self, *args, days, lang, **options):
        with translation.override(lang or settings.LANGUAGE_CODE):
            deleted = DeleteExpiredSecurityLog(days).execute()
            self.stdout.write(_(
                "Deleted %(failures)d failed sign-in(s), %(sign_ins)d sign-in(s) and "
                "%(counters)d expired lockout counter(s).") % deleted)
