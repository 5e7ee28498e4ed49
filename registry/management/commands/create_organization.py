from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organizations.actions import SaveOrganization
from organizations.models import Organization
from organizations.rules import find_organization
from registry.actions.seed import system_user


class Command(BaseCommand):
    help = ("Add an organization (a unit that keeps its own standard system), beneath "
            "--parent when given. Recorded in the history as the 'system' account.")

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--name-en", default="", help="English name")
        parser.add_argument("--code", required=True,
                            help="administrative-division code (GB/T 2260), e.g. 652301")
        parser.add_argument("--parent", metavar="CODE", help="the parent organization's code")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the output (default: LANGUAGE_CODE)")

    def handle(self, *args, name, name_en, code, parent=None, lang=None, **options):
        with translation.override(lang or settings.LANGUAGE_CODE):
            organization = Organization(
                name=name.strip(), name_en=name_en.strip(), code=code.strip(),
                parent=find_organization(parent) if parent else None)
            try:
                SaveOrganization(system_user(), organization, by_operator=True).execute()
            except ValidationError as exc:
                raise CommandError("\n".join(
                    f"{field}: {'; '.join(errors)}" if field != "__all__" else "; ".join(errors)
                    for field, errors in exc.message_dict.items())) from exc
            self.stdout.write(self.style.SUCCESS(
                _("Added %(name)s (%(code)s).") % {"name": organization.name,
                                                   "code": organization.code}))
