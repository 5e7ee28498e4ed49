"""The restore drill (docs/deployment.md, section 7): restore a backup into a fresh database
and verify its history against the anchors, as after a real loss."""

import json
import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from audit.anchors import database_label, read_anchors
from audit.chain import verify_all


def _url(settings_dict, name):
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return (f"postgresql://{auth}{settings_dict.get('HOST') or 'localhost'}:"
            f"{settings_dict.get('PORT') or 5432}/{name}")


class Command(BaseCommand):
    help = ("Restore a pg_dump (custom format) into a new, empty database, verify every "
            "history chain there against the anchors of the database the dump came from, "
            "report, and drop the copy. Exits 0 when the restored history is intact. "
            "PostgreSQL only; the configured role must be allowed to create databases.")

    def add_arguments(self, parser):
        parser.add_argument("dump", nargs="?", help="pg_dump --format=custom file")
        parser.add_argument("--anchors", required=True, help="the backed-up anchor directory")
        parser.add_argument("--origin", default=None,
                            help="database the anchors belong to, as they name it "
                                 "(default: this installation's database)")
        parser.add_argument("--keep", action="store_true", help="keep the restored copy")
        # Internal: the second half, run against the copy in a process of its own.
        parser.add_argument("--verify-copy", action="store_true", help="(internal)")

    def handle(self, *args, dump, anchors, origin, keep, verify_copy, **options):
        if verify_copy:
            return self.verify(anchors, origin)
        if connection.vendor != "postgresql":
            raise CommandError("The restore drill needs PostgreSQL (pg_restore).")
        if not dump or not os.path.isfile(dump):
            raise CommandError(f"No dump file {dump!r}.")
        origin = origin or database_label()
        copy = f"registry_drill_{int(time.time())}_{os.getpid()}"
        server = connection.settings_dict
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{copy}"')
        try:
            started = time.monotonic()
            restored = subprocess.run(  # noqa: S603 — pg_restore of the given file
                ["pg_restore", "--no-owner", "--exit-on-error", "--dbname",
                 _url(server, copy), dump], capture_output=True, text=True)
            if restored.returncode:
                raise CommandError(f"pg_restore failed:\n{restored.stderr}")
            env = {**os.environ, "DATABASE_URL": _url(server, copy),
                   "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                            "registry.settings.local")}
            checked = subprocess.run(  # noqa: S603 — this manage.py, on the copy
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "restore_drill",
                 "--verify-copy", "--anchors", anchors, "--origin", origin],
                capture_output=True, text=True, env=env, cwd=settings.BASE_DIR)
            if checked.returncode:
                raise CommandError(f"Verifying the copy failed:\n{checked.stderr}")
            report = json.loads(checked.stdout)
        finally:
            if not keep:
                connection.close()
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        seconds = time.monotonic() - started
        summary = (f"Restored into {copy} and verified in {seconds:.1f} s: {report['tables']} "
                   f"tables, {report['rows']} rows, {report['anchors']} anchors of {origin}.")
        if report["intact"]:
            self.stdout.write(self.style.SUCCESS(summary + " History intact."))
            return None
        for problem in report["problems"]:
            self.stderr.write(problem)
        raise CommandError(summary + f" {len(report['problems'])} problem(s).")

    def verify(self, directory, origin):
        anchors, problems, _skipped = read_anchors(directory, database=origin)
        report = verify_all(anchors=anchors)
        problems = [str(problem) for problem in problems + report.problems]
        self.stdout.write(json.dumps({"intact": not problems, "tables": report.tables,
                                      "rows": report.rows, "anchors": len(anchors),
                                      "problems": problems}, ensure_ascii=False))
