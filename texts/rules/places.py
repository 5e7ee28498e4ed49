"""Where each element of a document stands, as a comment on it cites it: the number of the
clause holding it ("5.2", "A.1", "附录A" for an annex's own elements, "前言", "引言",
"参考文献"), its own label ("注1", "表1", "3.2" for a term entry, "a)"; "" for a
paragraph) and its first words, to tell it apart in a list."""

from dataclasses import dataclass

from texts.rules.structure import (
    Annex,
    Document,
    Element,
    Figure,
    Numbering,
    Table,
    TermEntry,
    number,
    plain,
    walk,
)

EXCERPT_LENGTH = 40

# List markers that name no item: a comment on a "——" item cites its clause alone.
UNNAMED_MARKERS = ("——", "·")


@dataclass(frozen=True)
class Place:
    number: str
    label: str
    excerpt: str

    @property
    def cited(self) -> str:
        """What the 意见汇总处理表 prints in its clause column: "5.2", "5.2 注1", "5.2 表1",
        "3.2" (a term entry's label is its number)."""
        if not self.label or self.label in UNNAMED_MARKERS:
            return self.number
        if self.label[0].isascii() and self.label[0].isalnum() and "." in self.label:
            return self.label
        return f"{self.number} {self.label}"


def excerpt(element: Element, numbering: Numbering) -> str:
    """The element's first words as read (references as their numbers, no footnotes)."""
    if isinstance(element, Table | Figure):
        words = element.title
    elif isinstance(element, TermEntry):
        words = f"{element.preferred}：{element.definition}"
    else:
        words = element.text
    words = " ".join(plain(words, numbering).split())
    return words if len(words) <= EXCERPT_LENGTH else words[:EXCERPT_LENGTH] + "…"


def places(document: Document) -> dict[str, Place]:
    """Each keyed element of ``document`` by its key, in reading order."""
    numbering = number(document)
    found: dict[str, Place] = {}

    def add(elements, where):
        for element in elements:
            if element.key and element.key not in found:
                found[element.key] = Place(where, numbering.label(element),
                                           excerpt(element, numbering))

    add(document.foreword, "前言")
    add(document.introduction, "引言")
    for place in walk(document):
        where = f"附录{place.number}" if isinstance(place.clause, Annex) else place.number
        add(place.clause.elements, where)
    add(document.bibliography, "参考文献")
    return found
