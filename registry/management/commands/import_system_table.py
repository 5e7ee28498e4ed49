import errno
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organizations.rules import acting_in, find_organization
from registry.actions.imports import ApplyImport
from registry.actions.seed import system_user
from registry.rules.import_files import ImportFileError, read_tables
from registry.rules.imports import plan_import, template_summary, wanted_sheets


def os_reason(exc):
    """Why a file cannot be read, in the user's language (``strerror`` is the system's)."""
    reasons = {
        errno.ENOENT: _("there is no such file"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EISDIR: _("it is a directory"),
    }
    return reasons.get(exc.errno, _("the system could not read it (error %(number)s)")
                       % {"number": exc.errno})


class Command(BaseCommand):
    help = ("Import a system table kept in Excel or CSV (the layout of the XLSX or CSV export, "
            "or the columns of the GB/T 13016-2018 detail table). Every problem is listed by "
            "row and column and nothing is written unless the whole file is valid. Exit 0 "
            "when applied (or valid with --dry-run), 1 otherwise.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and show the plan; write nothing")
        parser.add_argument("--user", help="username recorded in the history "
                                           "(default: the 'system' account)")
        parser.add_argument("--organization", metavar="CODE",
                            help="administrative-division code of the organization whose "
                                 "system this is (default: the default organization)")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the output (default: LANGUAGE_CODE)")

    def handle(self, *args, path, dry_run, user, lang, organization=None, **options):
        with translation.override(lang or settings.LANGUAGE_CODE), acting_in(
                find_organization(organization) if organization else None):
            self._handle(path, dry_run, user)

    def _handle(self, path, dry_run, user):
        actor = system_user()
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(_("No user named %(user)s.") % {"user": user}) from exc
        try:
            tables = read_tables(Path(path).read_bytes(), path, wanted=wanted_sheets)
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s")
                               % {"path": path, "error": os_reason(exc)}) from exc
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        plan = plan_import(tables)
        for warning in sorted(plan.warnings, key=lambda p: (p.sheet, p.row)):
            self.stderr.write(str(warning))
        if not plan.ok:
            for problem in sorted(plan.problems, key=lambda p: (p.sheet, p.row)):
                self.stderr.write(str(problem))
            self.stderr.write(_("%(count)d problem(s); nothing was written.")
                              % {"count": len(plan.problems)})
            raise SystemExit(1)
        if plan.empty:
            self.stdout.write(_("Nothing to do: the system already holds everything in "
                                "this file."))
            return
        if dry_run:
            self.stdout.write(_("Valid. Would write: %(summary)s.")
                              % {"summary": plan.summary()})
            self._template(plan.template_match)
            return
        match = ApplyImport(actor, plan, _("Import of %(file)s") % {"file": path}).execute()
        self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s.")
                                             % {"summary": plan.summary()}))
        self._template(match)

    def _template(self, match):
        """The nodes matched with the template, and those that were not, by code and name."""
        if match is None:
            return
        self.stdout.write(template_summary(match))
        for code, name in match.extensions:
            self.stdout.write("  " + _("Not matched (扩充): %(code)s %(name)s")
                              % {"code": code, "name": name})
        for code, name, was in match.renamed:
            self.stdout.write("  " + _("Renamed: %(code)s %(name)s (in the template: "
                                       "%(was)s)") % {"code": code, "name": name, "was": was})
        if match.creates_system:
            for node in match.removed:
                self.stdout.write("  " + _("Not in the file (删减): %(code)s %(name)s")
                                  % {"code": node.code, "name": node.name})
