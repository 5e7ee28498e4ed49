"""What the catalog says of the standards a text cites: the ``Lookup`` the drafting checks
take (``texts.rules.checks``), read from ``catalog.models.Standard``.

A dated number means that edition; an undated one the newest edition the catalog holds
(GB/T 1.1-2020 9.5.4.2: "the latest edition applies", as ``Standard.objects.resolve``
reads it). A standard is "replaced" once a successor that is in force replaces it (a
``Supersession``), and the replacement named is the end of that chain: GB/T 1.1—2000 is
replaced by GB/T 1.1—2020, not by GB/T 1.1—2009, itself replaced since.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from catalog.models import Standard
from catalog.models.choices import Status
from catalog.rules.numbers import StandardNumber
from texts.rules.checks import Finding, ReferenceInfo, run_checks
from texts.rules.structure import Document

IN_FORCE = "in_force"
REPLACED = "replaced"
WITHDRAWN = "withdrawn"


def catalog_lookup(number: StandardNumber) -> ReferenceInfo | None:
    """The catalog's ``ReferenceInfo`` for ``number``, or None when it holds no edition of
    it (the standards the organization acted in sees: published ones and its own Q/)."""
    today = timezone.localdate()
    editions = list(Standard.objects.with_status(today)
                    .filter(code=number.code, serial=number.serial)
                    .order_by(F("year").asc(nulls_first=True), "pk"))
    if not editions:
        return None
    if number.is_dated:
        found = next((s for s in editions if s.number == number.canonical), None)
        if found is None:
            return None
    else:
        # The newest published edition; a draft only when nothing else is there.
        published = [s for s in editions if not s.is_draft] or editions
        found = published[-1]
    # An undated entry ("GB 2894" as a bibliography lists it) is no edition of its own.
    numbers = tuple(s.number for s in editions if s.year is not None and not s.is_draft)
    # Only a superseded or withdrawn standard can have a successor in force (withdrawal
    # beats supersession in ``with_status``): the others cost no further query.
    replacements = (_replacements(found, today) if found.computed_status in (
        Status.SUPERSEDED, Status.WITHDRAWN) else [])
    if replacements:
        # Replaced even when the catalog also gives a withdrawal date: the drafter needs
        # the number to cite instead.
        return ReferenceInfo(REPLACED, "、".join(s.number for s in replacements), numbers)
    if found.computed_status == Status.WITHDRAWN:
        return ReferenceInfo(WITHDRAWN, editions=numbers)
    return ReferenceInfo(IN_FORCE, editions=numbers)


def _successors(standard: Standard, today) -> list[Standard]:
    """The standards in force that replace ``standard`` directly (as ``with_status`` counts
    a successor: published, implemented by ``today``)."""
    return list(Standard.objects.filter(supersedes_links__old=standard, is_draft=False)
                .filter(Q(implemented_on__isnull=True) | Q(implemented_on__lte=today))
                .order_by("code", "serial", "year"))


def _replacements(standard: Standard, today) -> list[Standard]:
    """The ends of the chains of successors of ``standard``: what replaces it now. A
    standard split into several (or merged into one) names each; a cycle in the data
    stops where it comes back."""
    seen = {standard.pk}
    ends: list[Standard] = []
    pending = _successors(standard, today)
    while pending:
        current = pending.pop(0)
        if current.pk in seen:
            continue
        seen.add(current.pk)
        newer = [s for s in _successors(current, today) if s.pk not in seen]
        if newer:
            pending.extend(newer)
        elif current not in ends:
            ends.append(current)
    return ends


def check_document(document: Document) -> list[Finding]:
    """Every drafting check of ``document``, its references checked against the catalog
    (each cited number looked up once). A text's document is ``texts.storage.load(text,
    images=False).document``: loading is the storage's, beside this module, not beneath it."""
    found: dict[StandardNumber, ReferenceInfo | None] = {}

    def lookup(number: StandardNumber) -> ReferenceInfo | None:
        if number not in found:
            found[number] = catalog_lookup(number)
        return found[number]

    return run_checks(document, lookup)
