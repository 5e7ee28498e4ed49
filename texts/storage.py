"""A text's rows as a ``texts.rules.structure.Document`` and back.

Everything that numbers, checks or lays out a text works on the Document; the rows
(``Part``) are how it is kept, one per clause, annex and element. :func:`load` reads a text
in two queries (the text and its parts), whatever its size; :func:`part_rows` turns a
Document into unsaved rows for an import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from texts.models import Part, Text
from texts.rules.structure import (
    Annex,
    Clause,
    Document,
    Element,
    Example,
    Figure,
    Formula,
    ListItem,
    Note,
    Paragraph,
    Table,
    TermEntry,
)

COVER_FIELDS = ("number", "title", "title_en", "ics", "ccs", "record_number", "replaces",
                "adoption", "issued_on", "implemented_on", "issuer", "stage")

Kind = Part.Kind
Section = Part.Section
_SIMPLE = {Kind.PARAGRAPH: Paragraph, Kind.NOTE: Note, Kind.EXAMPLE: Example,
           Kind.FORMULA: Formula}
_KIND_OF = {Paragraph: Kind.PARAGRAPH, Note: Kind.NOTE, Example: Kind.EXAMPLE,
            Formula: Kind.FORMULA, ListItem: Kind.LIST_ITEM, Table: Kind.TABLE,
            Figure: Kind.FIGURE, TermEntry: Kind.TERM}


@dataclass
class Loaded:
    """A text as a Document, with the row behind each part: ``parts[key]``, and
    ``nodes[key]`` the dataclass the row became (the same object the Numbering knows)."""

    text: Text
    document: Document
    parts: dict[str, Part] = field(default_factory=dict)
    nodes: dict[str, object] = field(default_factory=dict)


def element_of(part: Part, images: bool = True) -> Element:
    data = part.data or {}
    if part.kind in _SIMPLE:
        return _SIMPLE[part.kind](part.body, key=part.key)
    if part.kind == Kind.LIST_ITEM:
        return ListItem(part.body, style=data.get("style", "dash"),
                        level=int(data.get("level", 1)), key=part.key)
    if part.kind == Kind.TABLE:
        return Table(part.title, rows=[list(row) for row in data.get("rows", [])],
                     key=part.key)
    if part.kind == Kind.FIGURE:
        content = b""
        if images and part.image:
            with part.image.open("rb") as stream:
                content = stream.read()
        return Figure(part.title, image=content, image_name=data.get("image_name", ""),
                      key=part.key)
    if part.kind == Kind.TERM:
        return TermEntry(part.title, definition=part.body,
                         admitted=list(data.get("admitted", [])),
                         english=data.get("english", ""), notes=list(data.get("notes", [])),
                         source=data.get("source", ""), key=part.key)
    raise ValueError(f"{part.kind} is not an element")


def load(text: Text, images: bool = True) -> Loaded:
    """The whole text in one query for its parts. ``images=False`` leaves figures' bytes
    unread (the editor and the checks do not need them)."""
    children: dict[tuple[str, int | None], list[Part]] = defaultdict(list)
    for part in text.parts.order_by("position", "pk"):
        children[(part.section, part.parent_id)].append(part)
    loaded = Loaded(text=text, document=Document(
        **{name: getattr(text, name) for name in COVER_FIELDS}))

    def keep(part, node):
        loaded.parts[part.key] = part
        loaded.nodes[part.key] = node
        return node

    def fill(container, section, parent_id):
        for part in children[(section, parent_id)]:
            if part.kind == Kind.CLAUSE:
                clause = keep(part, Clause(part.title, key=part.key))
                fill(clause, section, part.pk)
                container.subclauses.append(clause)
            else:
                container.elements.append(keep(part, element_of(part, images)))

    for part in children[(Section.BODY, None)]:
        if part.kind == Kind.ANNEX:
            node = keep(part, Annex(part.title, normative=bool(part.data.get("normative")),
                                    key=part.key))
            loaded.document.annexes.append(node)
        elif part.kind == Kind.CLAUSE:
            node = keep(part, Clause(part.title, key=part.key))
            loaded.document.clauses.append(node)
        else:
            continue  # an element belongs in a clause; the body holds none of its own
        fill(node, Section.BODY, part.pk)
    for section, target in ((Section.FOREWORD, loaded.document.foreword),
                            (Section.INTRODUCTION, loaded.document.introduction),
                            (Section.BIBLIOGRAPHY, loaded.document.bibliography)):
        for part in children[(section, None)]:
            target.append(keep(part, element_of(part, images)))
    return loaded


def fields_of(element: Element) -> dict:
    """The row's fields for ``element`` (its kind, title, body, data; not the image)."""
    kind = _KIND_OF[type(element)]
    values = {"kind": kind, "title": "", "body": "", "data": {}}
    if kind in _SIMPLE:
        values["body"] = element.text
    elif kind == Kind.LIST_ITEM:
        values.update(body=element.text, data={"style": element.style, "level": element.level})
    elif kind == Kind.TABLE:
        values.update(title=element.title, data={"rows": element.rows})
    elif kind == Kind.FIGURE:
        values.update(title=element.title, data={"image_name": element.image_name})
    elif kind == Kind.TERM:
        values.update(title=element.preferred, body=element.definition,
                      data={"admitted": element.admitted, "english": element.english,
                            "notes": element.notes, "source": element.source})
    return values


@dataclass
class Row:
    """An unsaved part and where it goes: ``parent`` is the Row of its clause or annex."""

    part: Part
    parent: Row | None = None
    image: bytes = b""


def part_rows(text: Text, document: Document) -> list[Row]:
    """The rows of ``document`` in reading order (a parent before its children). Keys are
    kept where the document has them and unique, else new ones are drawn."""
    rows: list[Row] = []
    seen: set[str] = set()

    def key_for(node):
        key = node.key
        if not key or key in seen:
            key = Part._meta.get_field("key").default()
        seen.add(key)
        return key

    def add(section, parent, position, **values):
        row = Row(Part(text=text, section=section, position=position, **values), parent)
        rows.append(row)
        return row

    def element(section, parent, position, node):
        row = add(section, parent, position, key=key_for(node), **fields_of(node))
        if isinstance(node, Figure):
            row.image = node.image

    def clause(node, parent, position, kind=Kind.CLAUSE, data=None):
        row = add(Section.BODY, parent, position, kind=kind, key=key_for(node),
                  title=node.title, data=data or {})
        for index, child in enumerate(node.elements):
            element(Section.BODY, row, index, child)
        for index, sub in enumerate(node.subclauses, start=len(node.elements)):
            clause(sub, row, index)

    for index, node in enumerate(document.clauses):
        clause(node, None, index)
    for index, node in enumerate(document.annexes, start=len(document.clauses)):
        clause(node, None, index, Kind.ANNEX, {"normative": node.normative})
    for section, elements in ((Section.FOREWORD, document.foreword),
                              (Section.INTRODUCTION, document.introduction),
                              (Section.BIBLIOGRAPHY, document.bibliography)):
        for index, node in enumerate(elements):
            element(section, None, index, node)
    return rows


def attach_image(part: Part, content: bytes, name: str = "") -> None:
    """Keep ``content`` as the figure's image (a random file name, the given one in data)."""
    part.image.save(name or "figure", ContentFile(content), save=False)
