from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organizations.rules import find_organization
from registry.actions.seed import seed_system


class Command(BaseCommand):
    help = ("Load the standard system of DB 6523/T 370-2023 Appendix A and the seed catalog "
            "(clause 2, the bibliography, the seed itself, the terms of clause 3). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--user", help="username recorded in the history "
                                           "(default: the 'system' account)")
        parser.add_argument("--organization", metavar="CODE",
                            help="administrative-division code of the organization whose "
                                 "system this is (default: the default organization)")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the output (default: LANGUAGE_CODE)")

    def handle(self, *args, user=None, organization=None, lang=None, **options):
        with translation.override(lang or settings.LANGUAGE_CODE):
            self._seed(user, organization)

    def _seed(self, user, organization):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(_("No user named %(user)s.") % {"user": user}) from exc
        report = seed_system(user=actor, organization=organization
                             and find_organization(organization))
        if report.skipped:
            self.stdout.write(_("The standard system is already loaded; added only what was "
                                "missing."))
        self.stdout.write(self.style.SUCCESS(_(
            "Seeded: %(nodes)d nodes, %(standards)d standards, %(placements)d placements, "
            "%(citations)d references, %(terms)d terms.") % {
            "nodes": report.nodes, "standards": report.standards,
            "placements": report.placements, "citations": report.citations,
            "terms": report.terms}))
