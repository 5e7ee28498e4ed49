import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from organizations.rules import acting_in, find_organization
from registry.rules.exports.data import ExportError, load
from registry.rules.exports.formats import FORMATS, export, prepare, unprepare


class Command(BaseCommand):
    help = "Export the standard system table as PDF, XLSX, CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--node", help="system code of the subtree to export")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD: the system as it "
                                                         "stood at the end of that day")
        parser.add_argument("--organization", metavar="CODE",
                            help="administrative-division code of the organization whose "
                                 "system this is (default: the default organization)")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the table and the messages "
                                 "(default: LANGUAGE_CODE)")

    def handle(self, *args, format, output, node, as_of, lang, organization=None, **options):
        lang = lang or settings.LANGUAGE_CODE
        with translation.override(lang), acting_in(
                find_organization(organization) if organization else None):
            self._export(format, output, node, as_of, lang)

    def _export(self, format, output, node, as_of, lang):
        prepare(format)
        try:
            data = load(node, as_of)
        except ExportError as exc:
            unprepare()
            raise CommandError(str(exc)) from exc
        content = export(data, format, lang)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
        else:
            sys.stdout.buffer.write(content)
