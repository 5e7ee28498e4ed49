from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from registry.actions.editions import AddTemplateEdition
from registry.actions.seed import system_user
from registry.actions.templates import SeedBuiltInTemplate, find_template
from registry.rules.templates import BUILT_IN_NUMBER


class Command(BaseCommand):
    help = ("Load a template's new edition from a JSON file in the shape of "
            "fixtures/appendix_a.json (clause 6.2.4): each of its changes is proposed to the "
            "organizations whose systems follow the edition before, for their "
            "administrators to accept or decline.")

    def add_arguments(self, parser):
        parser.add_argument("--file", metavar="PATH", required=True,
                            help="the new edition, JSON in the seed's shape")
        parser.add_argument("--edition", metavar="LABEL", required=True,
                            help="the new edition's label (a standard number, e.g. "
                                 "DB6523/T 370-2025, or a label of your own)")
        parser.add_argument("--previous", metavar="EDITION", default=BUILT_IN_NUMBER,
                            help="the edition it follows (default: the built-in "
                                 f"{BUILT_IN_NUMBER})")
        parser.add_argument("--title", default="", help="the new edition's title")
        parser.add_argument("--title-en", default="", help="its English title")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the output (default: LANGUAGE_CODE)")

    def handle(self, *args, file, edition, previous, title="", title_en="", lang=None,
               **options):
        with translation.override(lang or settings.LANGUAGE_CODE):
            path = Path(file)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(_("Cannot read %(path)s: %(error)s")
                                   % {"path": path, "error": exc}) from exc
            user = system_user()
            SeedBuiltInTemplate(user).execute()
            follows = find_template(previous)
            if follows is None:
                raise CommandError(_("No template has the edition %(edition)s.")
                                   % {"edition": previous})
            action = AddTemplateEdition(user, text, edition, follows, title=title,
                                        title_en=title_en, by_operator=True)
            try:
                template = action.execute()
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            organizations = {p.organization_id for p in action.proposals}
            self.stdout.write(self.style.SUCCESS(_(
                "Loaded %(edition)s (after %(previous)s): %(nodes)d nodes; %(proposals)d "
                "proposals to %(organizations)d organizations.") % {
                "edition": template.edition, "previous": follows.edition,
                "nodes": template.nodes.count(), "proposals": len(action.proposals),
                "organizations": len(organizations)}))
