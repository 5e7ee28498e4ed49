from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lifecycle.actions.texts import LinkStandardText, LinkText
from lifecycle.management import drafts
from organizations.rules import acting_in, find_organization
from registry.management.commands.import_system_table import os_reason
from texts.forms import MAX_DOCX_BYTES
from texts.rules.docx_import import read_docx
from texts.rules.structure import outline


class Command(BaseCommand):
    help = ("Import a Word file (DOCX) written to GB/T 1.1-2020 as the text of a project or of "
            "a published standard. A text that exists is replaced, with --reason, every part "
            "with its history. Prints the outline and what could not be placed; writes "
            "nothing when anything is refused.")

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE.docx")
        drafts.add_arguments(parser)
        parser.add_argument("--reason", default="",
                            help="why the text is replaced (needed when it exists)")
        parser.add_argument("--user", help="username recorded in the history "
                                           "(default: the 'system' account)")

    def handle(self, *args, path, reason, user, organization=None, **options):
        with translation.override(drafts.language(options)), acting_in(
                find_organization(organization) if organization else None):
            self._import(path, reason, drafts.find_user(user), options)

    def _import(self, path, reason, user, options):
        project = standard = None
        if options.get("project") is not None:
            project = drafts.find_project(options["project"])
        else:
            standard = drafts.find_standard(options["standard"])
        document, report = self._read(path)
        try:
            if project is not None:
                text = LinkText(user, project, document, reason,
                                  by_operator=True).execute().text
            else:
                text = LinkStandardText(user, standard, document, reason,
                                          by_operator=True).execute()
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        count = len(outline(document))
        self.stdout.write(self.style.SUCCESS(
            _("Imported %(file)s as text %(text)s: %(count)d clauses and annexes.")
            % {"file": Path(path).name, "text": text.pk, "count": count}))
        if report:
            self.stdout.write(ngettext("%(counter)s paragraph could not be placed:",
                                       "%(counter)s paragraphs could not be placed:",
                                       len(report)) % {"counter": len(report)})
            for item in report:
                self.stdout.write(f"  {item.after}\t{item.text}\t{item.reason}")

    def _read(self, path):
        try:
            with open(path, "rb") as handle:
                head = handle.read(4)
                handle.seek(0, 2)
                size = handle.tell()
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s")
                               % {"path": path, "error": os_reason(exc)}) from exc
        if size > MAX_DOCX_BYTES:
            raise CommandError(_("The file is larger than 20 MB."))
        if head != b"PK\x03\x04":
            raise CommandError(_("This file is not a Word document (DOCX)."))
        try:
            return read_docx(path)
        except Exception as exc:  # noqa: BLE001 — a broken file is said so, not a traceback
            raise CommandError(_("This Word file cannot be read.")) from exc
