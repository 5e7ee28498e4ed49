import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lifecycle.management import drafts
from organizations.rules import acting_in, find_organization
from registry.management.commands.import_system_table import os_reason
from texts.storage import load

FORMATS = ("docx", "pdf")


class Command(BaseCommand):
    help = ("Write the text of a project or of a published standard as a Word file (DOCX) or "
            "a PDF laid out to GB/T 1.1-2020.")

    def add_arguments(self, parser):
        drafts.add_arguments(parser)
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--output", metavar="FILE",
                            help="file to write (default: standard output)")

    def handle(self, *args, format, output, organization=None, **options):
        with translation.override(drafts.language(options)), acting_in(
                find_organization(organization) if organization else None):
            text = drafts.find_text(options)
            content = self._build(load(text).document, format)
            if not output:
                sys.stdout.buffer.write(content)
                return
            try:
                with open(output, "wb") as handle:
                    handle.write(content)
            except OSError as exc:
                raise CommandError(_("Cannot write %(path)s: %(error)s")
                                   % {"path": output, "error": os_reason(exc)}) from exc
            self.stderr.write(_("Wrote %(path)s (%(size)d bytes).")
                              % {"path": output, "size": len(content)})

    @staticmethod
    def _build(document, format):
        # Each layout imports its library only when asked for (WeasyPrint is slow to load).
        if format == "docx":
            from texts.rules.docx_export import write_docx

            return write_docx(document)
        from texts.rules.pdf_export import write_pdf

        return write_pdf(document)
