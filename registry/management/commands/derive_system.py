from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organizations.rules import find_organization
from registry.actions.seed import system_user
from registry.actions.templates import DeriveSystem, SeedBuiltInTemplate, find_template
from registry.models import Node
from registry.rules.templates import BUILT_IN_NUMBER


class Command(BaseCommand):
    help = ("Derive an organization's standard system from a template (clause 6.2.4): every "
            "node remembers the template node it came from.")

    def add_arguments(self, parser):
        parser.add_argument("--organization", metavar="CODE", required=True,
                            help="administrative-division code of the organization")
        parser.add_argument("--template", metavar="EDITION", default=BUILT_IN_NUMBER,
                            help="the template's edition (default: the built-in "
                                 f"{BUILT_IN_NUMBER}, in any spelling of the number)")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the output (default: LANGUAGE_CODE)")

    def handle(self, *args, organization, template, lang=None, **options):
        with translation.override(lang or settings.LANGUAGE_CODE):
            found = find_organization(organization)
            user = system_user()
            SeedBuiltInTemplate(user).execute()
            chosen = find_template(template)
            if chosen is None:
                raise CommandError(_("No template has the edition %(edition)s.")
                                   % {"edition": template})
            try:
                DeriveSystem(user, found, chosen, by_operator=True).execute()
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(self.style.SUCCESS(_(
                "Derived the system of %(organization)s from %(template)s: %(count)d nodes.")
                % {"organization": found.name, "template": chosen.edition,
                   "count": Node.objects.filter(owner=found).count()}))
