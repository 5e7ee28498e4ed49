"""What the text commands (``import_draft``, ``export_draft``, ``check_draft``,
``compare_drafts``, ``identify_document``) have in common: the options naming a project or
a catalog standard, the organization acted in, and finding the record, its text and its
frozen drafts there, with messages in the user's language."""

import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from catalog.models import Standard
from catalog.rules.numbers import StandardNumberError
from lifecycle.models import Project
from registry.actions.seed import system_user
from registry.management.commands.import_system_table import os_reason
from texts.models import Draft, Text


def add_arguments(parser):
    """--project N | --standard NUMBER (one of them), --organization, --lang."""
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--project", type=int, metavar="N",
                       help="the project's number (its id, as in its page's address)")
    which.add_argument("--standard", metavar="NUMBER",
                       help="a published standard's number, e.g. \"DB6523/T 370-2023\"")
    parser.add_argument("--organization", metavar="CODE",
                        help="administrative-division code of the organization acted in "
                             "(default: the default organization)")
    parser.add_argument("--lang", choices=["zh-hans", "en"], default=None,
                        help="language of the messages (default: LANGUAGE_CODE)")


def language(options):
    return options.get("lang") or settings.LANGUAGE_CODE


def find_project(number):
    """The project ``number`` of the organization acted in."""
    project = Project.objects.filter(pk=number).first()
    if project is not None:
        return project
    if Project._base_manager.filter(pk=number).exists():
        raise CommandError(_("Project %(number)s is another organization's: give its code "
                             "with --organization.") % {"number": number})
    raise CommandError(_("There is no project %(number)s.") % {"number": number})


def find_standard(number):
    """The catalog's standard ``number`` (undated: its newest edition)."""
    try:
        standard = Standard.objects.resolve(number)
    except StandardNumberError as exc:
        raise CommandError(str(exc)) from exc
    if standard is None:
        raise CommandError(_("The catalog has no standard %(number)s.") % {"number": number})
    return standard


def find_text(options):
    """The text of the project or the standard the options name, readable here."""
    if options.get("project") is not None:
        project = find_project(options["project"])
        text = Text.objects.readable().filter(pk=project.text_id).first()
        if text is None:
            raise CommandError(_("Project %(number)s has no text yet.")
                               % {"number": project.pk})
        return text
    standard = find_standard(options["standard"])
    text = Text.objects.readable().filter(standard=standard).first()
    if text is None:
        raise CommandError(_("%(number)s has no text in the registry yet.")
                           % {"number": standard.number})
    return text


def find_user(username):
    """The user recorded in the history: ``username``, else the ``system`` account."""
    if not username:
        return system_user()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No user named %(user)s.") % {"user": username})
    return user


def find_draft(text, stage):
    """The latest frozen draft of ``stage`` (``Draft.Stage``) of ``text``."""
    draft = (Draft.objects.readable().filter(text=text, stage=stage)
             .order_by("-frozen_at", "-pk").first())
    if draft is None:
        raise CommandError(_("This text has no frozen draft at the stage “%(stage)s” yet.")
                           % {"stage": Draft.Stage(stage).label})
    return draft


def write_output(command, content, output):
    """``content`` (bytes) into the file ``output``, or to standard output without one:
    text as text, a Word or PDF file as bytes."""
    if not output:
        if content[:4] in (b"%PDF", b"PK\x03\x04"):
            sys.stdout.buffer.write(content)
        else:
            command.stdout.write(content.decode("utf-8"), ending="")
        return
    try:
        with open(output, "wb") as handle:
            handle.write(content)
    except OSError as exc:
        raise CommandError(_("Cannot write %(path)s: %(error)s")
                           % {"path": output, "error": os_reason(exc)}) from exc
    command.stderr.write(_("Wrote %(path)s (%(size)d bytes).")
                         % {"path": output, "size": len(content)})
