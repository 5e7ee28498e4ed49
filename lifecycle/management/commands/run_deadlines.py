from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lifecycle.tasks import end_periods
from organizations.rules import find_organization
from registry.actions.seed import system_user


class Command(BaseCommand):
    help = ("End what has expired and send the notices: run daily from cron. Ended comment "
            "periods and public notices are announced once; a public notice with no open "
            "objection moves on to the authority's approval.")

    def add_arguments(self, parser):
        parser.add_argument("--user", help="username recorded in the history "
                                           "(default: the 'system' account)")
        parser.add_argument("--organization", metavar="CODE",
                            help="administrative-division code of the one organization to "
                                 "run for (default: every organization)")

    def handle(self, *args, user=None, organization=None, **options):
        actor = system_user()
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {user!r}.") from exc
        report = end_periods(actor, organizations=organization
                             and [find_organization(organization)])
        self.stdout.write(f"Notified: {len(report.notified)}; moved: {len(report.moved)}.")
