from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from audit.anchors import anchor_dir, write_anchor
from audit.signing import SigningRefused, sign_unsigned_chains


class Command(BaseCommand):
    help = ("Sign, once, the chains written before the history key existed (and the audit "
            "log): each is verified as it is, then re-signed with the key, all or nothing. "
            "The run is recorded in the history. On PostgreSQL run it as the role that runs "
            "migrations. Does nothing when every chain is signed.")

    def add_arguments(self, parser):
        parser.add_argument("--reason", default="",
                            help="Why (kept with the record of the run).")
        parser.add_argument("--operator", default=None, help="Who runs it (default: OS user).")
        parser.add_argument("--accept-problems", action="store_true",
                            help="Sign even though the unsigned chains have problems (they are "
                                 "listed in the record of the run).")
        parser.add_argument("--lang", default=None,
                            help="Language of the output (default: LANGUAGE_CODE).")

    def handle(self, *args, **options):
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            reason = options["reason"].strip() or _("Chains signed with the history key")
            try:
                run = sign_unsigned_chains(reason, options["operator"],
                                           options["accept_problems"])
            except SigningRefused as refused:
                for problem in refused.problems:
                    self.stderr.write(str(problem))
                raise CommandError(_(
                    "The unsigned chains have %(count)s problem(s): nothing was signed. Look "
                    "at them, then sign with --accept-problems and a --reason.")
                    % {"count": len(refused.problems)}) from None
            if run is None:
                self.stdout.write(_("Every chain is signed already."))
                return
            self.stdout.write(self.style.SUCCESS(_(
                "Signed %(rows)s rows in %(tables)s tables with key %(key)s.")
                % {"rows": run.rows, "tables": len(run.tables), "key": run.key_id}))
            if anchor_dir():
                self.stdout.write(_("Anchor written: %(path)s") % {"path": write_anchor()})
