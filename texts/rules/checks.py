"""The drafting checks of GB/T 1.1-2020 over a document (``texts.rules.structure``).

Each check is a function ``check(document) -> list[Finding]``; the two that need the catalog
(withdrawn or replaced references, undated references to a standard with several editions)
take a ``lookup(number) -> ReferenceInfo | None`` instead of reading the database, so all of
them stay pure. :func:`run_checks` runs them all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalog.rules.finding import find_numbers
from catalog.rules.numbers import StandardNumber
from texts.rules import structure
from texts.rules.structure import (
    MAX_DEPTH,
    Clause,
    Document,
    TermEntry,
    element_texts,
    find_clause,
    referenced_keys,
    terms_clause,
    walk,
    walk_clause,
)

HANGING_PARAGRAPH = "hanging_paragraph"
SINGLE_SUBCLAUSE = "single_subclause"
TOO_DEEP = "too_deep"
MODAL_VERB = "modal_verb"
FOREWORD_REQUIREMENT = "foreword_requirement"
REFERENCE_NOT_LISTED = "reference_not_listed"
REFERENCE_NOT_CITED = "reference_not_cited"
TERM_NOT_USED = "term_not_used"
REFERENCE_WITHDRAWN = "reference_withdrawn"
REFERENCE_REPLACED = "reference_replaced"
UNDATED_SEVERAL_EDITIONS = "undated_several_editions"
BROKEN_REFERENCE = "broken_reference"

FOREWORD = "前言"


@dataclass(frozen=True)
class Finding:
    kind: str
    place: str  # a clause number ("5.1", "A.2"), or "前言"
    message: str


@dataclass(frozen=True)
class ReferenceInfo:
    """What the catalog knows of a referenced standard (its newest edition for an undated
    number): ``status`` "in_force", "withdrawn" or "replaced", the replacing standard's
    number, and the numbers of all its editions."""

    status: str
    replaced_by: str = ""
    editions: tuple[str, ...] = ()


Lookup = Callable[[StandardNumber], "ReferenceInfo | None"]


# Structure -------------------------------------------------------------------------------

def hanging_paragraphs(document: Document) -> list[Finding]:
    """悬置段: text directly under a clause that also has subclauses (GB/T 1.1-2020 7.4);
    the terms clause's lead-in is prescribed there, so it is not one."""
    terms = terms_clause(document)
    return [Finding(HANGING_PARAGRAPH, place.number,
                    _("Clause %(number)s has text of its own and subclauses: move the text "
                      "into a subclause of its own (a hanging paragraph).")
                    % {"number": place.number})
            for place in walk(document)
            if place.clause.elements and place.clause.subclauses
            and place.clause is not terms]


def single_subclauses(document: Document) -> list[Finding]:
    """A clause divided into one subclause only (GB/T 1.1-2020 7.4: at least two)."""
    return [Finding(SINGLE_SUBCLAUSE, place.number,
                    _("Clause %(number)s has a single subclause; a clause is divided into "
                      "two subclauses or more, or not at all.") % {"number": place.number})
            for place in walk(document) if len(place.clause.subclauses) == 1]


def too_deep(document: Document) -> list[Finding]:
    return [Finding(TOO_DEEP, place.number,
                    _("Clause %(number)s is deeper than five levels of subclauses.")
                    % {"number": place.number})
            for place in walk(document) if place.depth > MAX_DEPTH]


# Modal verbs -----------------------------------------------------------------------------

# GB/T 1.1-2020 Tables 3 to 6 give the forms 应/不应 (requirement), 宜/不宜
# (recommendation), 可/不必 (permission), 能/不能 (possibility and capability); the
# equivalents it lists only where the form cannot be used, and 必须 not at all. Longest
# first, so "不应该" is one finding, not "应该" inside it.
MODAL_REPLACEMENTS = {
    "不应该": "不应", "不准许": "不应", "只准许": "应", "可以不": "不必", "不能够": "不能",
    "必须": "应", "务必": "应", "应当": "应", "应该": "应", "不得": "不应", "需要": "应",
    "可以": "可", "无须": "不必", "能够": "能",
}
_MODAL = re.compile("|".join(sorted(MODAL_REPLACEMENTS, key=len, reverse=True)))
# "需要" is also a noun or relative: "根据需要", "工作的需要", "所需要提供的" ask for nothing.
_NEED_AS_NOUN_BEFORE = ("根据", "按照", "的", "和", "与", "及", "或", "按", "所")
_NEED_AS_NOUN_AFTER = "，,。；;、）)"
# Titles of documents and quoted words are not the document's own provisions.
_QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")


def _modal_verbs(text: str) -> Iterator[str]:
    text = _QUOTED.sub("", text)
    for match in _MODAL.finditer(text):
        word = match[0]
        if word == "需要":
            before, after = text[:match.start()], text[match.end():match.end() + 1]
            if before.endswith(_NEED_AS_NOUN_BEFORE) or not after or after in \
                    _NEED_AS_NOUN_AFTER:
                continue
        yield word


def modal_verbs(document: Document) -> list[Finding]:
    """Forms outside GB/T 1.1-2020's in clauses 1 onward and the annexes; clause 2 (the
    titles of other documents) and clause 3 (definitions state, they do not require) are
    left out."""
    skipped = {id(find_clause(document, "规范性引用文件")), id(terms_clause(document))}
    findings = []
    for place in _places_skipping(document, skipped):
        for element in place.clause.elements:
            for text in element_texts(element):
                for word in _modal_verbs(text):
                    findings.append(Finding(
                        MODAL_VERB, place.number,
                        _("“%(word)s” is not one of the forms of GB/T 1.1-2020; write "
                          "“%(form)s”.") % {"word": word, "form": MODAL_REPLACEMENTS[word]}))
    return findings


def _places_skipping(document: Document, skipped: set[int]):
    """Every place outside the clauses whose ids are in ``skipped`` and their subclauses."""
    for index, clause in enumerate(document.clauses, start=1):
        if id(clause) not in skipped:
            yield from walk_clause(clause, str(index), 1)
    yield from (place for place in walk(document) if not place.number[0].isdigit())


# 应 also begins and ends words that require nothing: 应用, 应急, 相应, 适应, 供应 …
_YING_WORD_BEFORE = set("响适相对供反效感答回呼报顺因照内理")
_YING_WORD_AFTER = set("用对急答聘变届邀征付收试酬允力")


def _requirements(text: str) -> Iterator[str]:
    text = _QUOTED.sub("", text)
    for match in re.finditer(r"不应|应|必须", text):
        start, end = match.start(), match.end()
        if match[0] == "应" and start > 0 and text[start - 1] == "不":
            continue
        if match[0] in ("应", "不应"):
            if start > 0 and text[start - 1] in _YING_WORD_BEFORE and match[0] == "应":
                continue
            if end < len(text) and text[end] in _YING_WORD_AFTER:
                continue
        yield match[0]


def foreword_requirements(document: Document) -> list[Finding]:
    """The 前言 states facts about the document; it holds no requirement (GB/T 1.1-2020
    8.3)."""
    findings = []
    for element in document.foreword:
        for text in element_texts(element):
            for word in _requirements(text):
                findings.append(Finding(
                    FOREWORD_REQUIREMENT, FOREWORD,
                    _("The foreword contains a requirement (“%(word)s”: “%(text)s”); "
                      "requirements belong in the clauses.")
                    % {"word": word, "text": _excerpt(text)}))
    return findings


def _excerpt(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# References ------------------------------------------------------------------------------

def normative_references(document: Document) -> list[tuple[StandardNumber, str]]:
    """The entries of clause 2: each paragraph or list item beginning with a number, with
    the text as written (the lead-in sentence is none)."""
    clause = find_clause(document, "规范性引用文件")
    if clause is None:
        return []
    entries = []
    for element in clause.elements:
        for text in element_texts(element):
            numbers = find_numbers(text)
            if numbers and unicodedata.normalize("NFKC", text).lstrip().startswith(
                    numbers[0].printed.split()[0]):
                entries.append((numbers[0], text))
    return entries


def _cited_numbers(document: Document) -> list[tuple[str, StandardNumber]]:
    """(place, number) of every number in the clauses outside clause 2 and in the annexes;
    a term's source ("[来源：GB/T 1.1-2020, 5.2]") names where a definition comes from,
    not a normative reference, so it is not read."""
    references = find_clause(document, "规范性引用文件")
    cited = []
    for place in _places_skipping(document, {id(references)}):
        for element in place.clause.elements:
            texts = ([element.definition, *element.notes] if isinstance(element, TermEntry)
                     else element_texts(element))
            for text in texts:
                cited.extend((place.number, number) for number in find_numbers(text))
    return cited


def references_not_listed(document: Document) -> list[Finding]:
    """A standard cited in the text whose number clause 2 does not list (dated or not:
    "GB/T 1.1" in the text is listed by "GB/T 1.1—2020" in clause 2, and the reverse)."""
    listed = {number.undated for number, _text in normative_references(document)}
    findings, said = [], set()
    for place, number in _cited_numbers(document):
        if number.undated in listed or (place, number.undated) in said:
            continue
        said.add((place, number.undated))
        findings.append(Finding(
            REFERENCE_NOT_LISTED, place,
            _("%(number)s is cited in clause %(place)s but not listed in clause 2 "
              "(Normative references).") % {"number": number.canonical, "place": place}))
    return findings


def references_not_cited(document: Document) -> list[Finding]:
    """An entry of clause 2 the text never cites: a normative reference is one only where
    the text cites it."""
    cited = {number.undated for _place, number in _cited_numbers(document)}
    return [Finding(REFERENCE_NOT_CITED, "2",
                    _("%(number)s is listed in clause 2 but never cited in the text.")
                    % {"number": number.canonical})
            for number, _text in normative_references(document)
            if number.undated not in cited]


def terms_not_used(document: Document) -> list[Finding]:
    """A term defined in clause 3 whose preferred and admitted terms appear nowhere else
    in the text (clauses outside 3, the annexes)."""
    terms = terms_clause(document)
    if terms is None:
        return []
    text = "\n".join(
        t for place in _places_skipping(document, {id(terms)})
        for element in place.clause.elements for t in element_texts(element))
    text += "\n" + "\n".join(place.clause.title for place in walk(document))
    findings = []
    labels = _term_numbers(terms, str(document.clauses.index(terms) + 1))
    for number, entry in labels:
        if not any(name and name in text for name in [entry.preferred, *entry.admitted]):
            findings.append(Finding(
                TERM_NOT_USED, number,
                _("The term “%(term)s” (%(number)s) is defined but never used in the text.")
                % {"term": entry.preferred, "number": number}))
    return findings


def _term_numbers(clause: Clause, number: str) -> list[tuple[str, TermEntry]]:
    entries = [e for e in clause.elements if isinstance(e, TermEntry)]
    found = [(f"{number}.{index}", entry) for index, entry in enumerate(entries, start=1)]
    for index, sub in enumerate(clause.subclauses, start=1):
        found.extend(_term_numbers(sub, f"{number}.{index}"))
    return found


# Checks against the catalog --------------------------------------------------------------

def withdrawn_references(document: Document, lookup: Lookup) -> list[Finding]:
    """A normative reference the catalog has as withdrawn, or replaced (with the
    replacement)."""
    findings = []
    for number, _text in normative_references(document):
        info = lookup(number)
        if info is None:
            continue
        if info.status == "replaced":
            findings.append(Finding(
                REFERENCE_REPLACED, "2",
                _("%(number)s has been replaced by %(new)s.")
                % {"number": number.canonical, "new": info.replaced_by}))
        elif info.status == "withdrawn":
            findings.append(Finding(REFERENCE_WITHDRAWN, "2",
                                    _("%(number)s has been withdrawn.")
                                    % {"number": number.canonical}))
    return findings


def undated_references(document: Document, lookup: Lookup) -> list[Finding]:
    """An undated reference to a standard with several editions: the newest applies
    (GB/T 1.1-2020 9.5.4.2); said so the drafter chooses it knowingly."""
    findings = []
    for number, _text in normative_references(document):
        if number.is_dated:
            continue
        info = lookup(number)
        if info is not None and len(info.editions) > 1:
            findings.append(Finding(
                UNDATED_SEVERAL_EDITIONS, "2",
                _("%(number)s is cited undated and has %(count)d editions "
                  "(%(editions)s): the newest applies.")
                % {"number": number.canonical, "count": len(info.editions),
                   "editions": "、".join(info.editions)}))
    return findings


def broken_references(document: Document) -> list[Finding]:
    """A cross-reference whose target was deleted: it shows "??" in the text."""
    known = structure.number(document).by_key
    findings = []

    def check(place, elements):
        for element in elements:
            for text in element_texts(element):
                if any(key not in known for key in referenced_keys(text)):
                    findings.append(Finding(BROKEN_REFERENCE, place, _(
                        "A cross-reference in %(place)s points at a part that no longer "
                        "exists: it shows “??”. Point it at another part or remove it.")
                        % {"place": place}))
                    return

    check(FOREWORD, document.foreword)
    check("引言", document.introduction)
    for place in walk(document):
        check(place.number, place.clause.elements)
    check("参考文献", document.bibliography)
    return findings


PURE_CHECKS = (hanging_paragraphs, single_subclauses, too_deep, modal_verbs,
               foreword_requirements, references_not_listed, references_not_cited,
               terms_not_used, broken_references)
CATALOG_CHECKS = (withdrawn_references, undated_references)


def run_checks(document: Document, lookup: Lookup | None = None) -> list[Finding]:
    findings = [finding for check in PURE_CHECKS for finding in check(document)]
    if lookup is not None:
        findings += [finding for check in CATALOG_CHECKS for finding in check(document, lookup)]
    return findings

