import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organizations.rules import find_organization
from registry.rules.tailoring import report_csv, tailoring_report


class Command(BaseCommand):
    help = ("The tailoring report (剪裁说明) of an organization's system: every deviation from "
            "its template — removed, added, renamed, moved — with who, when and why.")

    def add_arguments(self, parser):
        parser.add_argument("--organization", metavar="CODE", required=True,
                            help="administrative-division code of the organization")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the labels (default: LANGUAGE_CODE)")

    def handle(self, *args, organization, format, lang=None, **options):  # noqa: A002
        with translation.override(lang or settings.LANGUAGE_CODE):
            report = tailoring_report(find_organization(organization))
            if not report.derived:
                raise CommandError(_("The system of %(organization)s was not derived from a "
                                     "template.") % {"organization": report.organization})
            if format == "csv":
                self.stdout.write(report_csv(report).decode("utf-8"), ending="")
                return
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
