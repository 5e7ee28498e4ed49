from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from registry.actions.uploads import sweep_uploads


class Command(BaseCommand):
    help = ("Delete uploaded system tables whose preview was never confirmed, and their "
            "preview jobs, after a day (run daily from cron; uploads also sweep them).")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24)
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None)

    def handle(self, *args, hours, lang, **options):
        with translation.override(lang or settings.LANGUAGE_CODE):
            deleted = sweep_uploads(max_age=hours * 3600)
            self.stdout.write(_("Deleted %(count)d unconfirmed upload(s).") % {"count": deleted})
