import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.forms import user_display
from lifecycle.management import drafts
from lifecycle.rules.proof import identify
from organizations.rules import acting_in, find_organization
from registry.management.commands.import_system_table import os_reason


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class Command(BaseCommand):
    help = ("Say which frozen draft of which project a Word or PDF file is, by its SHA-256 "
            "against the digests of the files generated from the drafts (the projects of "
            "the organization acted in only). Exit status 0 when it is one, 1 when it "
            "matches none.")

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")
        parser.add_argument("--organization", metavar="CODE",
                            help="administrative-division code of the organization acted in "
                                 "(default: the default organization)")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the messages (default: LANGUAGE_CODE)")

    def handle(self, *args, path, organization=None, **options):
        with translation.override(drafts.language(options)), acting_in(
                find_organization(organization) if organization else None):
            try:
                with open(path, "rb") as handle:
                    content = handle.read()
            except OSError as exc:
                raise CommandError(_("Cannot read %(path)s: %(error)s")
                                   % {"path": path, "error": os_reason(exc)}) from exc
            found = identify(content)
            for match in found.matches:
                self._match(match)
            if not found.found:
                self._none(found)
            self.stdout.write(f"{_('SHA-256 of the file')}: {found.sha256}")
        if not found.found:
            sys.exit(1)

    def _match(self, match):
        draft, kept = match.draft, match.file
        self.stdout.write(self.style.SUCCESS(
            _("This file is the %(format)s file of the %(stage)s of “%(title)s”, exactly as "
              "it was generated.") % {"format": kept.get_format_display(),
                                      "stage": draft.get_stage_display(),
                                      "title": match.project.title}))
        for label, value in (
                (_("Project"), f"{match.project.pk} {match.project.title}"),
                (_("Frozen"), f"{_when(draft.frozen_at)} · {user_display(draft.frozen_by)}"),
                (_("Generated"), f"{_when(kept.generated_at)} · "
                                 f"{user_display(kept.generated_by)}"),
                (_("SHA-256 of the draft"), draft.sha256)):
            self.stdout.write(f"  {label}: {value}")

    def _none(self, found):
        self.stdout.write(self.style.WARNING(
            _("This file matches no frozen draft of the projects you may read.")))
        if found.claim is not None:
            claim = found.claim
            self.stdout.write(
                _("It claims to be the Word file of the %(stage)s of “%(title)s” (frozen "
                  "%(frozen)s), but was changed after it was generated.")
                % {"stage": claim.draft.get_stage_display(), "title": claim.project.title,
                   "frozen": timezone.localtime(claim.draft.frozen_at).strftime("%Y-%m-%d")})
            self.stdout.write(f"  {_('Project')}: {claim.project.pk} {claim.project.title}")
