import json

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lifecycle.management import drafts
from organizations.rules import acting_in, find_organization
from texts.references import check_document
from texts.storage import load


class Command(BaseCommand):
    help = ("Run the drafting checks of GB/T 1.1-2020 on the text of a project or of a "
            "published standard, its normative references against the catalog. Prints the "
            "findings (as JSON: a list of {kind, place, message}); the exit status is 0 "
            "whatever they are.")

    def add_arguments(self, parser):
        drafts.add_arguments(parser)
        parser.add_argument("--format", choices=("json", "text"), default="text")

    def handle(self, *args, format, organization=None, **options):
        with translation.override(drafts.language(options)), acting_in(
                find_organization(organization) if organization else None):
            text = drafts.find_text(options)
            findings = check_document(load(text, images=False).document)
            if format == "json":
                self.stdout.write(json.dumps(
                    [{"kind": f.kind, "place": f.place, "message": f.message}
                     for f in findings], ensure_ascii=False, indent=2))
                return
            for finding in findings:
                self.stdout.write(f"{finding.place}\t{finding.message}")
            self.stdout.write(ngettext("%(count)d finding.", "%(count)d findings.",
                                       len(findings)) % {"count": len(findings)}
                              if findings else _("No findings: the checks pass."))
