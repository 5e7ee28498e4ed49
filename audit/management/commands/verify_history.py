import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from audit.chain import verify_all
from audit.models import ChainHead


class Command(BaseCommand):
    help = ("Verify every history chain and the audit log: each row against its signature "
            "and the row before it, each chain against its head and against every anchor. "
            "Exit 0 when all are intact, 1 otherwise; each problem is printed with its "
            "table, row id, time and kind (altered, removed, reordered, truncated, "
            "unsigned, downgraded, anchor mismatch).")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true",
                            help="Print one JSON document (for monitoring).")
        parser.add_argument("--lang", default=None,
                            help="Language of the report (default: LANGUAGE_CODE).")

    def handle(self, *args, **options):
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            if ChainHead._meta.db_table not in connection.introspection.table_names():
                raise CommandError(_("The database has no history tables yet: run "
                                     "`manage.py migrate` (or `make run`) first."))
            report = verify_all()
            if options["json"]:
                self.stdout.write(json.dumps({
                    "intact": report.intact, "tables": report.tables, "rows": report.rows,
                    "anchors": report.anchors, "anchors_skipped": report.anchors_skipped,
                    "problems": [problem.as_dict() for problem in report.problems],
                }, ensure_ascii=False, indent=1))
            elif report.intact:
                self.stdout.write(self.style.SUCCESS(_(
                    "History intact: %(tables)s tables, %(rows)s rows, checked against "
                    "%(anchors)s anchors.") % {"tables": report.tables, "rows": report.rows,
                                              "anchors": report.anchors}))
                if report.anchors_skipped:
                    self.stdout.write(_(
                        "%(count)s anchor(s) of another database in the anchor directory "
                        "were skipped.") % {"count": report.anchors_skipped})
            else:
                for problem in report.problems:
                    self.stderr.write(str(problem))
                self.stderr.write(_("%(count)s problem(s) in the history.")
                                  % {"count": len(report.problems)})
        if not report.intact:
            raise SystemExit(1)
