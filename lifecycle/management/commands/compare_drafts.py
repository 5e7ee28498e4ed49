import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lifecycle.management import drafts
from lifecycle.rules.drafts import comparison_docx, comparison_pdf, resolve
from organizations.rules import acting_in, find_organization
from texts.rules.compare import compare

# The Word and PDF reports are the job builders' (the pages' downloads), called directly.
BUILDERS = {"docx": comparison_docx, "pdf": comparison_pdf}


class Command(BaseCommand):
    help = ("Compare two versions of a project's text clause by clause (added, removed, "
            "moved, changed, the words changed marked): as JSON, a Word file with tracked "
            "changes or a PDF. A version is a frozen draft's number, a stage (comment, "
            "review, approval, published: its latest draft), current (the text as it "
            "stands) or in-force (the edition a revision revises).")

    def add_arguments(self, parser):
        parser.add_argument("old", metavar="FROM", help="the earlier version")
        parser.add_argument("new", metavar="TO", help="the later version")
        parser.add_argument("--project", type=int, metavar="N", required=True,
                            help="the project's number (its id, as in its page's address)")
        parser.add_argument("--format", choices=("json", "docx", "pdf"), default="json")
        parser.add_argument("--output", metavar="FILE",
                            help="file to write (default: standard output)")
        parser.add_argument("--organization", metavar="CODE",
                            help="administrative-division code of the organization acted in "
                                 "(default: the default organization)")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                            help="language of the messages (default: LANGUAGE_CODE)")

    def handle(self, *args, old, new, project, format, output, organization=None, **options):
        with translation.override(drafts.language(options)), acting_in(
                find_organization(organization) if organization else None):
            found = drafts.find_project(project)
            versions = [self._version(found, token) for token in (old, new)]
            if format == "json":
                comparison = compare(versions[0].document, versions[1].document)
                content = (json.dumps(comparison.as_dict(), ensure_ascii=False, indent=2)
                           + "\n").encode("utf-8")
            else:
                params = {"project": found.pk, "from": versions[0].token,
                          "to": versions[1].token}
                content = BUILDERS[format](params, lambda done: None).content
            drafts.write_output(self, content, output)

    @staticmethod
    def _version(project, token):
        version = resolve(project, token)
        if version is None:
            raise CommandError(
                _("Project %(number)s has no version “%(token)s”: give a frozen draft's "
                  "number, a stage (comment, review, approval, published), current or "
                  "in-force.") % {"number": project.pk, "token": token})
        return version
