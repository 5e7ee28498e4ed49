"""标准有效性查新 (validity check): for each standard number found in a text, what the
catalog says of it today.

Pure: the catalog's editions come in as :class:`Edition` records (``catalog.validity``
reads them in one query per step of the supersession chain); this builds the lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from catalog.rules.numbers import StandardNumber

CURRENT = "current"
UPCOMING = "upcoming"
SUPERSEDED = "superseded"
WITHDRAWN = "withdrawn"
IN_DEVELOPMENT = "in_development"
NOT_IN_CATALOG = "not_in_catalog"


@dataclass(frozen=True)
class Edition:
    """One catalog standard as the check needs it; ``replaced_by``: the pks of the
    standards that replace it (代替)."""

    pk: int
    number: str
    code: str
    serial: str
    year: int | None
    title: str
    status: str
    implemented_on: date | None = None
    withdrawn_on: date | None = None
    replaced_by: tuple[int, ...] = ()


@dataclass
class Line:
    """One number found: as written, normalised, and what the catalog says of it."""

    written: str
    normalised: str
    status: str = NOT_IN_CATALOG
    standard_id: int | None = None
    number: str = ""  # the catalog edition meant (the newest one for an undated number)
    title: str = ""
    date: str = ""  # ISO date: implementation (upcoming) or withdrawal (withdrawn)
    replacement: str = ""  # the standard at the end of the supersession chain
    replacement_id: int | None = None
    replacement_status: str = ""
    chain: list[str] = field(default_factory=list)  # every successor, in order
    several_editions: bool = False
    editions: list[str] = field(default_factory=list)  # of an undated number, newest first

    @property
    def not_in_catalog(self) -> bool:
        return self.status == NOT_IN_CATALOG

    def as_dict(self) -> dict:
        return asdict(self) | {"not_in_catalog": self.not_in_catalog}


def keys(numbers: list[StandardNumber]) -> set[tuple[str, str]]:
    """The (code, serial) pairs to look up: every edition of each number."""
    return {(number.code, number.serial) for number in numbers}


def build_lines(found: list[tuple[str, StandardNumber]], editions: dict[int, Edition]
                ) -> list[Line]:
    """One line per number found (``(as written, parsed)``), in order. ``editions``: every
    catalog edition of those numbers and of their successors, by pk."""
    by_key: dict[tuple[str, str], list[Edition]] = {}
    for edition in sorted(editions.values(), key=lambda e: -(e.year or 0)):
        by_key.setdefault((edition.code, edition.serial), []).append(edition)
    lines = []
    for written, number in found:
        line = Line(written=written, normalised=number.canonical)
        candidates = by_key.get((number.code, number.serial), [])
        if number.is_dated:
            match = next((e for e in candidates if e.number == number.canonical), None)
        else:
            match = candidates[0] if candidates else None
            line.editions = [e.number for e in candidates]
            line.several_editions = len(candidates) > 1
        if match is not None:
            _describe(line, match, editions)
        lines.append(line)
    return lines


def _describe(line: Line, edition: Edition, editions: dict[int, Edition]) -> None:
    line.standard_id, line.number, line.title = edition.pk, edition.number, edition.title
    line.status = edition.status
    if edition.status == UPCOMING and edition.implemented_on:
        line.date = edition.implemented_on.isoformat()
    elif edition.status == WITHDRAWN and edition.withdrawn_on:
        line.date = edition.withdrawn_on.isoformat()
    chain = successors(edition, editions)
    if chain:
        line.chain = [e.number for e in chain]
        last = chain[-1]
        line.replacement, line.replacement_id = last.number, last.pk
        line.replacement_status = last.status


def successors(edition: Edition, editions: dict[int, Edition]) -> list[Edition]:
    """The chain of 代替 from ``edition`` to its end: at each step the newest successor
    (a standard replaced by two takes the later); a loop in the data stops the walk."""
    chain, seen = [], {edition.pk}
    current = edition
    while True:
        following = [editions[pk] for pk in current.replaced_by if pk in editions]
        following = [e for e in following if e.pk not in seen and e.status != IN_DEVELOPMENT]
        if not following:
            return chain
        current = max(following, key=lambda e: (e.year or 0, e.pk))
        seen.add(current.pk)
        chain.append(current)


def counts(lines: list[Line]) -> dict[str, int]:
    """How many lines have each status (``not_in_catalog`` included), and the total."""
    tally = {"total": len(lines)}
    for line in lines:
        tally[line.status] = tally.get(line.status, 0) + 1
    return tally
