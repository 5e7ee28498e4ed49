"""标准有效性查新 from the command line: one line per standard number found in a file (DOCX,
PDF, XLSX or plain text) or in the standard input."""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.actions.validity import AddValidityCheck, check_text
from catalog.forms.validity import file_kind, file_text
from catalog.rules.validity import Line
from organizations.rules import acting_in, current_organization, find_organization


def notes(line: Line) -> str:
    words = []
    if line.not_in_catalog:
        words.append("not in the catalog")
    if line.several_editions:
        words.append("several editions: " + ", ".join(line.editions))
    return "; ".join(words)


class Command(BaseCommand):
    help = ("Check the validity of every standard number in FILE (DOCX, PDF, XLSX or text) "
            "or in the standard input (-): as written, normalised, status, date, the "
            "replacing standard (and the chain), notes; tab-separated.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE|-")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--keep", metavar="USERNAME",
                            help="keep the result as a validity check run by this user")
        parser.add_argument("--organization", metavar="CODE",
                            help="the organization the kept check belongs to "
                                 "(default: the default organization)")

    def handle(self, *args, file, format, keep=None, organization=None, **options):  # noqa: A002
        text, name = self.read(file)
        lines = check_text(text)
        if keep:
            user = get_user_model().objects.filter(username=keep).first()
            if user is None:
                raise CommandError(f"No user {keep}.")
            where = find_organization(organization) if organization else current_organization()
            with acting_in(where):
                check = AddValidityCheck(user, lines, source="file" if name else "text",
                                         file_name=name).execute()
            self.stderr.write(f"Kept as validity check {check.pk}.")
        if format == "json":
            self.stdout.write(json.dumps([line.as_dict() for line in lines],
                                         ensure_ascii=False, indent=2))
            return
        for line in lines:
            self.stdout.write("\t".join([
                line.written, line.normalised, line.status, line.date,
                " → ".join(line.chain), notes(line)]))

    def read(self, file):
        """The text to check and the file's name ("" for the standard input)."""
        if file == "-":
            return sys.stdin.read(), ""
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        try:
            file_kind(data)
        except ValidationError:
            try:
                return data.decode("utf-8"), path.name  # plain text
            except UnicodeDecodeError as exc:
                raise CommandError(f"{file} is not a DOCX, PDF, XLSX or UTF-8 text file."
                                   ) from exc
        try:
            return file_text(data), path.name
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
