from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from audit.anchors import anchor_dir, write_anchor
from audit.chain import verify_all


class Command(BaseCommand):
    help = ("Write the head of every history chain, signed, to a new file in "
            "REGISTRY_HISTORY_ANCHOR_DIR (outside the database). Verifies first and writes "
            "nothing if the history has problems. Run it daily.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Anchor directory (overrides the setting).")
        parser.add_argument("--lang", default=None,
                            help="Language of the output (default: LANGUAGE_CODE).")

    def handle(self, *args, **options):
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            directory = options["dir"] or anchor_dir()
            if not directory:
                raise CommandError(_("Set REGISTRY_HISTORY_ANCHOR_DIR (or pass --dir)."))
            report = verify_all()
            if not report.intact:
                for problem in report.problems:
                    self.stderr.write(str(problem))
                raise CommandError(_("The history has problems: no anchor written."))
            path = write_anchor(directory)
            self.stdout.write(self.style.SUCCESS(
                _("Anchor written: %(path)s (%(tables)s tables, %(rows)s rows).")
                % {"path": path, "tables": report.tables, "rows": report.rows}))
