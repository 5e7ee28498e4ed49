from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.anchors import anchor_dir, write_anchor
from audit.keys import key_id
from audit.signing import (
    ChainsWereSigned,
    PlanChanged,
    SignHistory,
    SigningRefused,
    signing_plan,
)


class Command(BaseCommand):
    help = ("Sign, once, the chains written before the history key existed (and the audit "
            "log): each is verified as it is, then re-signed with the key, all or nothing. "
            "Lists the tables and rows it would sign and asks first (--no-input: does not "
            "ask; --dry-run: only lists). Refuses a chain that was signed once (its head was "
            "downgraded). The run is recorded in the history. On PostgreSQL run it as the "
            "role that runs migrations. Does nothing when every chain is signed.")

    def add_arguments(self, parser):
        parser.add_argument("--reason", default="",
                            help="Why (kept with the record of the run).")
        parser.add_argument("--operator", default=None, help="Who runs it (default: OS user).")
        parser.add_argument("--accept-problems", action="store_true",
                            help="Sign even though the unsigned chains have problems (they are "
                                 "listed in the record of the run).")
        parser.add_argument("--dry-run", action="store_true",
                            help="List what would be signed; sign nothing.")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="Sign what is listed without asking (scripts, `make run`).")
        parser.add_argument("--lang", default=None,
                            help="Language of the output (default: LANGUAGE_CODE).")

    def handle(self, *args, **options):
        with translation.override(options["lang"] or settings.LANGUAGE_CODE):
            self.sign(options)

    def sign(self, options):
        plan = signing_plan()
        if plan.downgraded:
            self.refuse_downgraded(plan.downgraded)
        if not plan.chains:
            self.stdout.write(_("Every chain is signed already."))
            return
        self.stdout.write(_("Unsigned chains, to be signed with key %(key)s:")
                          % {"key": key_id()})
        for table, rows in plan.summary:
            self.stdout.write(ngettext("  %(table)s: %(rows)s row", "  %(table)s: %(rows)s rows",
                                       rows) % {"table": table, "rows": rows})
        tables = len(plan.chains)
        self.stdout.write(_("  in all: %(tables)s, %(rows)s") % {
            "tables": ngettext("%(count)s table", "%(count)s tables", tables) % {"count": tables},
            "rows": ngettext("%(count)s row", "%(count)s rows", plan.rows) % {"count": plan.rows}})
        for problem in plan.problems:
            self.stderr.write(str(problem))
        if plan.problems and not options["accept_problems"]:
            raise CommandError(_(
                "The unsigned chains have %(count)s problem(s): nothing was signed. Look at "
                "them, then sign with --accept-problems and a --reason.")
                % {"count": len(plan.problems)})
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was signed."))
            return
        if options["interactive"] and not self.confirmed():
            self.stdout.write(_("Nothing was signed."))
            return
        reason = options["reason"].strip() or _("Chains signed with the history key")
        try:
            run = SignHistory(reason, options["operator"], options["accept_problems"],
                              expected=plan.summary).execute()
        except ChainsWereSigned as refused:
            self.refuse_downgraded(refused.problems)
        except PlanChanged:
            raise CommandError(_("The unsigned chains changed while you looked at them: "
                                 "nothing was signed. Run sign_history again.")) from None
        except SigningRefused as refused:  # a problem that appeared since the listing
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(_(
                "The unsigned chains have %(count)s problem(s): nothing was signed. Look at "
                "them, then sign with --accept-problems and a --reason.")
                % {"count": len(refused.problems)}) from None
        self.stdout.write(self.style.SUCCESS(_(
            "Signed %(rows)s rows in %(tables)s tables with key %(key)s.")
            % {"rows": run.rows, "tables": len(run.tables), "key": run.key_id}))
        if anchor_dir():
            self.stdout.write(_("Anchor written: %(path)s") % {"path": write_anchor()})

    def confirmed(self):
        try:
            answer = input(_("Type 'yes' to sign these chains, anything else to stop: "))
        except (EOFError, OSError):  # no terminal: a script must say so (--no-input)
            raise CommandError(_("Nobody answered: nothing was signed. To sign without "
                                 "being asked, add --no-input.")) from None
        return answer.strip().lower() == "yes"

    def refuse_downgraded(self, problems):
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(_(
            "These chains were signed once and their heads now say they are not: %(tables)s. "
            "Nothing was signed, and they will not be: signing them would sign what was "
            "written without the key. Compare them with a backup and restore them.")
            % {"tables": ", ".join(problem.table for problem in problems)})
