"""A standard's text as GB/T 1.1-2020 structures it, as plain dataclasses.

The document holds order, never numbers: clause numbers (5, 5.1, 5.1.2), annex letters
(A, B), the numbers of tables and figures (表1, 图A.1), of term entries (3.1), of notes and
examples (注 / 注1, 注2) and list markers (a), b), 1), 2)) are all computed from where an
element stands (:func:`number`), so moving a clause renumbers everything at once.

Every clause, annex and element may carry a ``key``: a name that stays with it through
moves and saves (the database's, or a DOCX bookmark's). Running text points at other parts
by key and holds footnotes in place, with two inline marks (:func:`segments` reads them)::

    ⟦ref:KEY⟧     a cross-reference, shown as the target's current number ("5.2", "表1",
                  "图A.1", "附录A", "3.4")
    ⟦fn:TEXT⟧     a footnote, numbered 1), 2)… in reading order over the whole document

``Document.as_dict()`` and ``document_from_dict()`` give the whole as JSON-friendly data
(image bytes as base64) and back, element for element.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# GB/T 1.1-2020 7.4: 章 and up to five levels of 条 beneath it ("5.1.1.1.1.1").
MAX_DEPTH = 6

# List styles (GB/T 1.1-2020 9.3.2): a dash "——" (second level "·"), or letters "a)"
# with numbers "1)" beneath them.
DASH = "dash"
LETTER = "letter"
NUMBER = "number"
LIST_STYLES = (DASH, LETTER, NUMBER)


@dataclass
class Paragraph:
    text: str
    key: str = ""


@dataclass
class ListItem:
    text: str
    style: str = DASH
    level: int = 1  # 1, or 2 beneath an item of level 1
    key: str = ""


@dataclass
class Note:
    text: str
    key: str = ""


@dataclass
class Example:
    text: str
    key: str = ""


@dataclass
class Table:
    title: str
    rows: list[list[str]] = field(default_factory=list)
    key: str = ""


@dataclass
class Figure:
    title: str
    image: bytes = b""
    image_name: str = ""
    key: str = ""


@dataclass
class Formula:
    text: str
    key: str = ""


@dataclass
class TermEntry:
    preferred: str
    definition: str = ""
    admitted: list[str] = field(default_factory=list)
    english: str = ""
    notes: list[str] = field(default_factory=list)
    source: str = ""
    key: str = ""


Element = Paragraph | ListItem | Note | Example | Table | Figure | Formula | TermEntry
ELEMENT_TYPES = {cls.__name__: cls for cls in
                 (Paragraph, ListItem, Note, Example, Table, Figure, Formula, TermEntry)}


@dataclass
class Clause:
    """A 章 (at the top) or a 条; ``title`` is empty for an untitled 条 ("5.1.1 应…")."""

    title: str = ""
    elements: list[Element] = field(default_factory=list)
    subclauses: list[Clause] = field(default_factory=list)
    key: str = ""


@dataclass
class Annex:
    title: str = ""
    normative: bool = False  # （规范性） or （资料性）
    elements: list[Element] = field(default_factory=list)
    subclauses: list[Clause] = field(default_factory=list)
    key: str = ""


@dataclass
class Document:
    # The cover (GB/T 1.1-2020 8.1).
    number: str = ""  # "DB6523/T 370—2023", as the cover prints it
    title: str = ""
    title_en: str = ""
    ics: str = ""
    ccs: str = ""
    record_number: str = ""  # 备案号, local standards
    replaces: str = ""  # "代替 GB/T 1.1—2009"
    adoption: str = ""  # "(ISO 9001:2015, IDT)"
    issued_on: datetime.date | None = None
    implemented_on: datetime.date | None = None
    issuer: str = ""
    stage: str = ""  # "征求意见稿", "送审稿", "报批稿"; empty when published
    foreword: list[Element] = field(default_factory=list)
    introduction: list[Element] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    bibliography: list[Paragraph] = field(default_factory=list)

    def as_dict(self) -> dict:
        return _as_data(self)


def _as_data(value):
    if isinstance(value, (Paragraph, ListItem, Note, Example, Table, Figure, Formula,
                          TermEntry)):
        data = {"type": type(value).__name__}
        data.update({f.name: _as_data(getattr(value, f.name))
                     for f in dataclasses.fields(value)})
        return data
    if dataclasses.is_dataclass(value):
        return {f.name: _as_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_as_data(item) for item in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _element_from(data: dict) -> Element:
    data = dict(data)
    cls = ELEMENT_TYPES[data.pop("type")]
    if cls is Figure:
        data["image"] = base64.b64decode(data.get("image", ""))
    return cls(**data)


def _clause_from(data: dict) -> Clause:
    return Clause(title=data["title"], key=data.get("key", ""),
                  elements=[_element_from(e) for e in data["elements"]],
                  subclauses=[_clause_from(c) for c in data["subclauses"]])


def document_from_dict(data: dict) -> Document:
    """The inverse of ``Document.as_dict()``."""
    values = dict(data)
    for name in ("issued_on", "implemented_on"):
        values[name] = datetime.date.fromisoformat(values[name]) if values[name] else None
    values["foreword"] = [_element_from(e) for e in data["foreword"]]
    values["introduction"] = [_element_from(e) for e in data["introduction"]]
    values["clauses"] = [_clause_from(c) for c in data["clauses"]]
    values["annexes"] = [
        Annex(title=a["title"], normative=a["normative"], key=a.get("key", ""),
              elements=[_element_from(e) for e in a["elements"]],
              subclauses=[_clause_from(c) for c in a["subclauses"]])
        for a in data["annexes"]]
    values["bibliography"] = [_element_from(e) for e in data["bibliography"]]
    return Document(**values)


# Numbering ------------------------------------------------------------------------------

ANNEX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTER_MARKERS = "abcdefghijklmnopqrstuvwxyz"


def annex_letter(index: int) -> str:
    """The letter of the annex at ``index`` (0 → "A")."""
    if not 0 <= index < len(ANNEX_LETTERS):
        raise ValueError(f"no annex letter for position {index}")
    return ANNEX_LETTERS[index]


@dataclass(frozen=True)
class Place:
    """Where a clause stands: its number ("5.1.2", "A.1", or "A" for an annex itself)."""

    number: str
    depth: int  # 1 for a 章 or an annex, 2 for its 条, …
    clause: Clause | Annex = field(compare=False)


def walk(document: Document) -> Iterator[Place]:
    """Every clause and annex in reading order with its number."""
    for index, clause in enumerate(document.clauses, start=1):
        yield from walk_clause(clause, str(index), 1)
    for index, annex in enumerate(document.annexes):
        letter = annex_letter(index)
        yield Place(letter, 1, annex)
        for sub, clause in enumerate(annex.subclauses, start=1):
            yield from walk_clause(clause, f"{letter}.{sub}", 2)


def walk_clause(clause: Clause, number: str, depth: int) -> Iterator[Place]:
    """``clause`` numbered ``number`` and its subclauses, in reading order."""
    yield Place(number, depth, clause)
    for index, sub in enumerate(clause.subclauses, start=1):
        yield from walk_clause(sub, f"{number}.{index}", depth + 1)


def outline(document: Document) -> list[tuple[str, str]]:
    """(number, title) of every clause and annex, in order; untitled 条 included."""
    return [(place.number, place.clause.title) for place in walk(document)]


class Numbering:
    """The computed numbers of one document's clauses and elements, looked up by identity
    (elements are mutable dataclasses, so not hashable)."""

    def __init__(self, document: Document):
        self.places: dict[int, str] = {}
        self.labels: dict[int, str] = {}
        for place in walk(document):
            self.places[id(place.clause)] = place.number
        self._label_block(document.foreword, "")
        self._label_block(document.introduction, "")
        tables = figures = 0
        for place in walk(document):
            prefix = "" if place.number[0].isdigit() else place.number[0] + "."
            if prefix and place.depth == 1:
                tables = figures = 0  # each annex numbers its own: 表A.1, 表B.1
            for element in place.clause.elements:
                if isinstance(element, Table):
                    tables += 1
                    self.labels[id(element)] = f"表{prefix}{tables}"
                elif isinstance(element, Figure):
                    figures += 1
                    self.labels[id(element)] = f"图{prefix}{figures}"
            terms = 0
            for element in place.clause.elements:
                if isinstance(element, TermEntry):
                    terms += 1
                    self.labels[id(element)] = f"{place.number}.{terms}"
            self._label_block(place.clause.elements, place.number)
        self._index_keys(document)

    def _index_keys(self, document: Document) -> None:
        """What a cross-reference to each key shows, and the footnotes' numbers."""
        self.by_key: dict[str, str] = {}
        for place in walk(document):
            if place.clause.key:
                self.by_key[place.clause.key] = (
                    f"附录{place.number}" if isinstance(place.clause, Annex) else place.number)
            for element in place.clause.elements:
                if element.key and self.labels.get(id(element)):
                    self.by_key[element.key] = self.labels[id(element)]
        self.footnotes: dict[tuple[int, int], int] = {}
        count = 0
        for element in all_elements(document):
            for text_index, text in enumerate(element_texts(element)):
                for match in INLINE.finditer(text or ""):
                    if match["kind"] == "fn":
                        count += 1
                        self.footnotes[(id(element), text_index, match.start())] = count

    def _label_block(self, elements: list[Element], number: str) -> None:
        """Notes and examples: "注" when alone in their clause, else "注1", "注2"; list
        markers from the items' order."""
        for cls, word in ((Note, "注"), (Example, "示例")):
            found = [e for e in elements if isinstance(e, cls)]
            for index, element in enumerate(found, start=1):
                self.labels[id(element)] = word if len(found) == 1 else f"{word}{index}"
        letters = numbers = 0
        for element in elements:
            if not isinstance(element, ListItem):
                letters = numbers = 0  # a list ends where something else stands
                continue
            if element.style == LETTER:
                numbers = 0
                self.labels[id(element)] = f"{LETTER_MARKERS[letters % 26]})"
                letters += 1
            elif element.style == NUMBER:
                numbers += 1
                self.labels[id(element)] = f"{numbers})"
            else:
                self.labels[id(element)] = "——" if element.level == 1 else "·"

    def number(self, clause: Clause | Annex) -> str:
        return self.places[id(clause)]

    def label(self, element: Element) -> str:
        """"表1", "图A.1", "3.2", "注1", "示例", "a)", "——"; "" for a plain paragraph."""
        return self.labels.get(id(element), "")


    def reference(self, key: str) -> str:
        """What ``⟦ref:key⟧`` shows: the target's current number, or "??" when the target is
        gone (the references check reports it)."""
        return self.by_key.get(key, "??")


# Inline marks ---------------------------------------------------------------------------

INLINE = re.compile(r"⟦(?P<kind>ref|fn):(?P<value>[^⟦⟧]*)⟧")


@dataclass(frozen=True)
class Segment:
    """A piece of running text: ``kind`` "text", "ref" (``text`` is the number shown,
    ``value`` the key) or "footnote" (``text`` is its number, ``value`` the note)."""

    kind: str
    text: str
    value: str = ""


def segments(text: str, numbering: Numbering | None = None, element: Element | None = None,
             text_index: int = 0) -> list[Segment]:
    """``text`` split at its inline marks. With the document's ``numbering`` (and the
    ``element`` the text belongs to, for footnote numbers), references show their target's
    number and footnotes theirs; without, "??" and "*"."""
    found: list[Segment] = []
    position = 0
    for match in INLINE.finditer(text or ""):
        if match.start() > position:
            found.append(Segment("text", text[position:match.start()]))
        value = match["value"]
        if match["kind"] == "ref":
            shown = numbering.reference(value) if numbering else "??"
            found.append(Segment("ref", shown, value))
        else:
            number = (numbering.footnotes.get((id(element), text_index, match.start()))
                      if numbering and element is not None else None)
            found.append(Segment("footnote", f"{number})" if number else "*", value))
        position = match.end()
    if position < len(text or ""):
        found.append(Segment("text", text[position:]))
    return found


def plain(text: str, numbering: Numbering | None = None) -> str:
    """Running text as read aloud: references as their numbers, footnotes left out."""
    return "".join(segment.text for segment in segments(text, numbering)
                   if segment.kind != "footnote")


def reference_mark(key: str) -> str:
    return f"⟦ref:{key}⟧"


def footnote_mark(text: str) -> str:
    return f"⟦fn:{text}⟧"


def referenced_keys(text: str) -> list[str]:
    return [match["value"] for match in INLINE.finditer(text or "") if match["kind"] == "ref"]


def all_elements(document: Document) -> Iterator[Element]:
    """Every element in reading order: 前言, 引言, the clauses and annexes, 参考文献."""
    yield from document.foreword
    yield from document.introduction
    for place in walk(document):
        yield from place.clause.elements
    yield from document.bibliography


def number(document: Document) -> Numbering:
    return Numbering(document)


def term_note_label(index: int) -> str:
    """Notes to a term entry are numbered even when alone: "注1：" (GB/T 1.1-2020 8.5)."""
    return f"注{index + 1}"


def find_clause(document: Document, title: str) -> Clause | None:
    """The 章 with this title (spaces ignored): "规范性引用文件", "术语和定义"."""
    wanted = "".join(title.split())
    for clause in document.clauses:
        if "".join(clause.title.split()) == wanted:
            return clause
    return None


def terms_clause(document: Document) -> Clause | None:
    """The 章 of the term entries: "术语和定义", or as GB/T 1.1-2020 8.6 lets it be titled
    when it holds more ("术语", "术语、定义和缩略语", "术语和缩略语")."""
    for clause in document.clauses:
        if "".join(clause.title.split()).startswith("术语"):
            return clause
    return None


def element_texts(element: Element) -> list[str]:
    """The running text of an element, as the checks read it."""
    if isinstance(element, Table):
        return [element.title] + [cell for row in element.rows for cell in row]
    if isinstance(element, Figure):
        return [element.title]
    if isinstance(element, TermEntry):
        return [element.definition, *element.notes]
    return [element.text]
