from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from openpyxl import load_workbook

from registry.imports import apply_import, plan_import
from registry.seed import system_user


class Command(BaseCommand):
    help = ("Import a system table kept in Excel (the XLSX export's layout). Every problem "
            "is listed by row and column and nothing is written unless the whole file is "
            "valid. Exit 0 when applied (or valid with --dry-run), 1 otherwise.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and show the plan; write nothing")
        parser.add_argument("--user", help="username recorded in the history "
                                           "(default: the 'system' account)")

    def handle(self, *args, path, dry_run, user, **options):
        actor = system_user()
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {user!r}.") from exc
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 — any unreadable file
            raise CommandError(f"Cannot read {path} as an XLSX workbook: {exc}") from exc
        plan = plan_import(workbook)
        if not plan.ok:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            self.stderr.write(f"{len(plan.problems)} problem(s); nothing was written.")
            raise SystemExit(1)
        summary = (f"{len(plan.nodes)} nodes, {len(plan.standards)} new standards, "
                   f"{len(plan.updates)} changed standards, {len(plan.placements)} placements, "
                   f"{len(plan.supersessions)} supersessions")
        if dry_run:
            self.stdout.write(f"Valid. Would write: {summary}.")
            return
        apply_import(plan, actor, f"Import of {path}")
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))
