"""Clause 5.4, the information library: the rules for collecting an item (tags, the nodes
and standards it concerns, its date and file), for its status, and for opening a revision
project from it. Forms and the actions (``lifecycle.actions.information``) apply them."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Standard
from catalog.models.choices import Status
from catalog.rules.numbers import StandardNumberError
from lifecycle.choices import FINAL_STAGES, InformationStatus
from registry.rules.tree.scope import nodes

# Tags are separated by commas, Chinese commas, enumeration commas or semicolons.
_TAG_SEPARATORS = re.compile(r"[,，、;；]")
# Lists of codes or numbers: the same, plus new lines.
_LIST_SEPARATORS = re.compile(r"[,，、;；\r\n]")

# What a person may set by hand; "action taken" follows from opening a revision.
MANUAL_STATUSES = (InformationStatus.NEW, InformationStatus.NEEDS_ACTION,
                   InformationStatus.NO_ACTION)


def split_tags(text):
    """``"a, b；c，a"`` → ``["a", "b", "c"]``: stripped, empty parts dropped, duplicates
    (ignoring case) removed, first spelling and order kept."""
    tags, seen = [], set()
    for part in _TAG_SEPARATORS.split(text or ""):
        tag = " ".join(part.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def normalize_tags(text):
    """The stored form: the tags joined by commas, without spaces around them."""
    return ",".join(split_tags(text))


def split_list(text):
    """Codes or numbers separated by commas, semicolons or new lines, without repeats."""
    items = []
    for part in _LIST_SEPARATORS.split(text or ""):
        part = part.strip()
        if part and part not in items:
            items.append(part)
    return items


def check_date(day):
    """An item reports something that happened: its date cannot be in the future."""
    if day and day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


def nodes_from_codes(text, current=()):
    """The nodes whose system codes ``text`` lists, in tree order.

    A code used in several systems means the node the item already concerns, if one of
    them; otherwise it is refused as ambiguous. Raises ValidationError naming every
    unknown or ambiguous code."""
    codes = split_list(text)
    if not codes:
        return []
    found = {}
    for node in nodes().filter(code__in=codes).order_by("path"):
        found.setdefault(node.code, []).append(node)
    current = {node.pk for node in current}
    chosen, errors = [], []
    for code in codes:
        candidates = found.get(code, [])
        if len(candidates) > 1:
            candidates = [node for node in candidates if node.pk in current] or candidates
        if not candidates:
            errors.append(_("No node has the system code “%(code)s”.") % {"code": code})
        elif len(candidates) > 1:
            errors.append(_("The system code “%(code)s” is used in several systems.")
                          % {"code": code})
        else:
            chosen.append(candidates[0])
    if errors:
        raise ValidationError(errors)
    return sorted(chosen, key=lambda node: node.path)


def resolve_standard(text):
    """The catalog entry a typed number means (an undated number: the latest edition),
    or None when the catalog holds none. Raises StandardNumberError for a malformed one."""
    return Standard.objects.resolve(text)


def standards_from_numbers(text):
    """The standards ``text`` lists by number. Raises ValidationError naming every number
    that is malformed or not in the catalog."""
    standards, errors = [], []
    for number in split_list(text):
        try:
            standard = resolve_standard(number)
        except StandardNumberError as exc:
            errors.append(_("“%(number)s”: %(problem)s") % {"number": number, "problem": exc})
            continue
        if standard is None:
            errors.append(_("%(number)s is not in the catalog.") % {"number": number})
        elif standard not in standards:
            standards.append(standard)
    if errors:
        raise ValidationError(errors)
    return standards


def _project_under_way(item):
    project = item.revision_project
    return project if project is not None and project.stage not in FINAL_STAGES else None


def status_refusal(item):
    """Why the status cannot be set by hand now, or None."""
    project = _project_under_way(item)
    if project is not None:
        return (_("The revision project opened from this item is under way: %(project)s.")
                % {"project": project})
    return None


def revisable_standards(item):
    """The current standards the item concerns: those a revision may be opened for."""
    return (Standard.objects.with_status()
            .filter(information_items=item, computed_status=Status.CURRENT)
            .order_by("code", "serial", "year"))


def revision_refusal(item):
    """Why no revision can be opened from the item now, or None."""
    project = _project_under_way(item)
    if project is not None:
        return (_("A revision project opened from this item is already under way: "
                  "%(project)s.") % {"project": project})
    if not revisable_standards(item).exists():
        return _("This item concerns no current standard: add the standard to revise "
                 "to the item first.")
    return None
