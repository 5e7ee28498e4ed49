from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from lifecycle.management import drafts
from organizations.rules import acting_in, find_organization
from texts.jobs import draft_docx_document, draft_pdf_document
from texts.models import Draft
from texts.rules.proof import file_digest
from texts.storage import load

FORMATS = ("docx", "pdf")
# A frozen draft's file comes from the job builders: generated once, kept with its digest in
# the history, the kept bytes every time after (the same file the pages download).
DRAFT_BUILDERS = {"docx": draft_docx_document, "pdf": draft_pdf_document}


class Command(BaseCommand):
    help = ("Write the text of a project or of a published standard as a Word file (DOCX) or "
            "a PDF laid out to GB/T 1.1-2020; with --stage, the latest frozen draft of that "
            "stage instead, as the file kept for it (generated the first time, its SHA-256 "
            "recorded in the history).")

    def add_arguments(self, parser):
        drafts.add_arguments(parser)
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--stage", choices=[stage.value for stage in Draft.Stage],
                            help="the frozen draft of that stage (the latest) rather than "
                                 "the text as it stands")
        parser.add_argument("--output", metavar="FILE",
                            help="file to write (default: standard output)")

    def handle(self, *args, format, output, stage=None, organization=None, **options):
        with translation.override(drafts.language(options)), acting_in(
                find_organization(organization) if organization else None):
            text = drafts.find_text(options)
            if stage:
                content = self._kept(drafts.find_draft(text, stage), format)
            else:
                content = self._build(load(text).document, format)
            drafts.write_output(self, content, output)
            if stage:
                self.stderr.write(f"{_('SHA-256 of the file')}: {file_digest(content)}")

    @staticmethod
    def _kept(draft, format):
        """The draft's kept file, generated in the name of the ``system`` account the first
        time."""
        params = {"draft": draft.pk, "by": drafts.find_user(None).pk}
        return DRAFT_BUILDERS[format](params, lambda done: None).content

    @staticmethod
    def _build(document, format):
        # Each layout imports its library only when asked for (WeasyPrint is slow to load).
        if format == "docx":
            from texts.rules.docx_export import write_docx

            return write_docx(document)
        from texts.rules.pdf_export import write_pdf

        return write_pdf(document)
