from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from registry.seed import seed_system


class Command(BaseCommand):
    help = ("Load the standard system of DB 6523/T 370-2023 Appendix A and the seed catalog "
            "(clause 2, the bibliography, the seed itself, the terms of clause 3). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--user", help="username recorded in the history "
                                           "(default: the 'system' account)")
        parser.add_argument("--organization", help="organization that owns the system")

    def handle(self, *args, user=None, organization=None, **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {user!r}.") from exc
        report = seed_system(user=actor, organization=organization)
        if report.skipped:
            self.stdout.write("The standard system is already loaded; added only what was "
                              "missing.")
        self.stdout.write(self.style.SUCCESS(
            f"Seeded: {report.nodes} nodes, {report.standards} standards, "
            f"{report.placements} placements, {report.citations} references, "
            f"{report.terms} terms."
        ))
