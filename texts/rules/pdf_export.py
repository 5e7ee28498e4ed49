"""A standard's text as a PDF laid out as GB/T 1.1-2020 prints it, with WeasyPrint.

The pages: the cover (no number); 目次, 前言 and 引言 numbered Ⅰ, Ⅱ…; the body from page 1,
the title again above clause 1; each annex and 参考文献 on a new page. The standard's number
heads every page after the cover, on the outer side (right on odd pages, left on even
ones), the page number stands at the outer foot. Clause, table, figure, note and term
numbers are the structure's computed ones (``texts.rules.structure.number``); ⟦ref:…⟧
marks become links showing the target's number, ⟦fn:…⟧ marks WeasyPrint footnotes "1)".

Two faces only, named explicitly (Debian fonts-noto-cjk): Noto Serif CJK SC stands for
宋体, Noto Sans CJK SC for 黑体, both regular; each face used is loaded and subset on its
own, so no bold and no fallback font. Layout and drawing are where the time goes (about
3 s for 40 pages): the fonts are loaded once per process, the user-agent stylesheet is a
lean one (ua.css) and the cyclic collector rests while WeasyPrint works.

Everything the document holds is user text: the template autoescapes it all, and the
standard's number reaches the page header through ``string-set``, never pasted into CSS.
"""

from __future__ import annotations

import base64
import gc
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from texts.rules.cover import cover_of
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
    Numbering,
    Table,
    TermEntry,
    number,
    plain,
    segments,
    term_note_label,
    walk,
)

TEMPLATE = "texts/pdf/document.html"
USER_AGENT_STYLESHEET = "texts/pdf/ua.css"
# 目次 lists the 章 and the titled 条 of the first level beneath them (GB/T 1.1-2020 8.3
# leaves deeper ones to the drafter).
CONTENTS_DEPTH = 2

# Made at the first PDF, kept for the process: the CJK fonts are loaded once (one
# FontConfiguration), and the lean user-agent stylesheet parsed once.
_layout = None


# The cover ------------------------------------------------------------------------------

def _date_line(day, word: str) -> str:
    # A draft has no dates yet: its cover prints crosses where they will stand.
    return f"{day:%Y-%m-%d} {word}" if day else f"××××-××-×× {word}"


# Running text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of running text for the template: "text", "ref" (``href`` empty when the
    target is gone) or "footnote" (``text`` its number "1)", ``value`` the note)."""

    kind: str
    text: str
    value: str = ""
    href: str = ""


@dataclass
class Block:
    """One printed block of the body, in reading order; the fields used depend on
    ``kind`` (document.html reads them)."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    id: str = ""
    number: str = ""
    label: str = ""
    level: int = 1
    title: list[Run] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


class _Writer:
    """Turns the structure into blocks, resolving numbers, links and footnotes."""

    def __init__(self, document: Document):
        self.document = document
        self.numbering: Numbering = number(document)
        self.ids: dict[int, str] = {}  # id(clause or element) → HTML id
        self.hrefs: dict[str, str] = {}  # key → HTML id of its target
        for place in walk(document):
            self.ids[id(place.clause)] = f"c-{place.number}"
            if place.clause.key:
                self.hrefs[place.clause.key] = f"c-{place.number}"
            # What a reference can point at inside a clause: the numbered elements.
            for element in place.clause.elements:
                if isinstance(element, (Table, Figure, TermEntry)):
                    self.ids[id(element)] = f"e-{len(self.ids)}"
                    if element.key:
                        self.hrefs[element.key] = self.ids[id(element)]

    def runs(self, text: str, element: Element | None = None, index: int = 0) -> list[Run]:
        found = []
        for segment in segments(text, self.numbering, element, index):
            if segment.kind == "ref":
                # "??" (a target gone) stays plain text: a link to nowhere would mislead.
                found.append(Run("ref", segment.text, segment.value,
                                 self.hrefs.get(segment.value, "")))
            else:
                found.append(Run(segment.kind, segment.text, segment.value))
        return found

    # Elements ---------------------------------------------------------------------------

    def elements(self, elements: list[Element]) -> list[Block]:
        return [self.element(element) for element in elements]

    def element(self, element: Element) -> Block:
        label = self.numbering.label(element)
        html_id = self.ids.get(id(element), "")
        if isinstance(element, ListItem):
            return Block("item", self.runs(element.text, element), label=label,
                         level=element.level)
        if isinstance(element, Note):
            return Block("note", self.runs(element.text, element), label=label)
        if isinstance(element, Example):
            return Block("example", self.runs(element.text, element), label=label)
        if isinstance(element, Formula):
            return Block("formula", self.runs(element.text, element))
        if isinstance(element, Table):
            return self.table(element, label, html_id)
        if isinstance(element, Figure):
            return Block("figure", id=html_id, label=label,
                         title=self.runs(element.title, element, 0),
                         extra={"src": _data_uri(element)})
        if isinstance(element, TermEntry):
            return self.term(element, label, html_id)
        return Block("paragraph", self.runs(element.text, element))

    def table(self, table: Table, label: str, html_id: str) -> Block:
        # Cells follow the title in element_texts(): the text index counts through them.
        index = 1
        rows = []
        for row in table.rows:
            cells = []
            for cell in row:
                cells.append(self.runs(cell, table, index))
                index += 1
            rows.append(cells)
        # The first row is the header GB/T 1.1-2020 9.4 asks for: repeated on each page.
        return Block("table", id=html_id, label=label, title=self.runs(table.title, table, 0),
                     extra={"head": rows[:1], "rows": rows[1:]})

    def term(self, entry: TermEntry, label: str, html_id: str) -> Block:
        notes = [(term_note_label(index), self.runs(text, entry, index + 1))
                 for index, text in enumerate(entry.notes)]
        return Block("term", self.runs(entry.definition, entry, 0), id=html_id, number=label,
                     extra={"preferred": entry.preferred, "admitted": entry.admitted,
                            "english": entry.english, "notes": notes,
                            "source": entry.source})

    # Clauses ----------------------------------------------------------------------------

    def clause(self, clause: Clause, depth: int) -> list[Block]:
        html_id = self.ids[id(clause)]
        clause_number = self.numbering.number(clause)
        elements = self.elements(clause.elements)
        if clause.title or not elements or elements[0].kind != "paragraph":
            head = Block("heading", id=html_id, number=clause_number, level=depth,
                         title=self.runs(clause.title))
        else:
            # An untitled 条 prints its number at the head of its first paragraph.
            head = elements.pop(0)
            head.kind, head.id, head.number = "lead", html_id, clause_number
        blocks = [head, *elements]
        for sub in clause.subclauses:
            blocks.extend(self.clause(sub, depth + 1))
        return blocks

    def annex(self, annex: Annex) -> dict:
        blocks = self.elements(annex.elements)
        for sub in annex.subclauses:
            blocks.extend(self.clause(sub, 2))
        letter = self.numbering.number(annex)
        return {"id": self.ids[id(annex)], "letter": letter, "normative": annex.normative,
                "title": self.runs(annex.title), "blocks": blocks}

    def contents(self) -> list[dict]:
        """The lines of 目次: (text, the id it points at, whether the page is roman)."""
        lines = []
        if self.document.foreword:
            lines.append({"text": "前言", "href": "foreword", "front": True})
        if self.document.introduction:
            lines.append({"text": "引言", "href": "introduction", "front": True})
        for place in walk(self.document):
            title = plain(place.clause.title, self.numbering)
            if isinstance(place.clause, Annex):
                nature = "（规范性）" if place.clause.normative else "（资料性）"
                text = f"附录{place.number}{nature}{title}"
            elif place.depth > CONTENTS_DEPTH or not title:
                continue
            else:
                text = f"{place.number} {title}"
            lines.append({"text": text, "href": self.ids[id(place.clause)], "front": False,
                          "depth": place.depth if place.number[0].isdigit() else 1})
        if self.document.bibliography:
            lines.append({"text": "参考文献", "href": "bibliography", "front": False})
        return lines

    def context(self) -> dict:
        document = self.document
        cover = cover_of(document)
        body = []
        for clause in document.clauses:
            body.extend(self.clause(clause, 1))
        stage = document.stage.strip()
        if stage and not stage.startswith(("（", "(")):
            stage = f"（{stage}）"
        replaces = document.replaces.strip()
        if replaces and not replaces.startswith("代替"):
            replaces = f"代替 {replaces}"
        return {
            "document": document,
            "cover": cover,
            "stage": stage,
            "replaces": replaces,
            "issued": _date_line(document.issued_on, "发布"),
            "implemented": _date_line(document.implemented_on, "实施"),
            "issuer_lines": [line for line in document.issuer.splitlines() if line.strip()],
            "contents": self.contents(),
            "foreword": self.elements(document.foreword),
            "introduction": self.elements(document.introduction),
            "body": body,
            "annexes": [self.annex(annex) for annex in document.annexes],
            "bibliography": self.elements(document.bibliography),
        }


_IMAGE_TYPES = ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"),
                (b"GIF8", "image/gif"), (b"BM", "image/bmp"))


def _data_uri(figure: Figure) -> str:
    """The figure's image inline; "" when it has none (the title still prints)."""
    if not figure.image:
        return ""
    mime = next((kind for magic, kind in _IMAGE_TYPES if figure.image.startswith(magic)), "")
    if not mime:
        stripped = figure.image.lstrip()
        mime = "image/svg+xml" if stripped.startswith((b"<svg", b"<?xml")) else "image/png"
    return f"data:{mime};base64,{base64.b64encode(figure.image).decode('ascii')}"


# Output ---------------------------------------------------------------------------------


def document_html(document: Document) -> str:
    """The HTML (with its stylesheet) that :func:`write_pdf` lays out."""
    return render_to_string(TEMPLATE, _Writer(document).context())


def _weasyprint():
    """WeasyPrint's HTML with the lean user-agent stylesheet, and the font configuration."""
    global _layout
    if _layout is None:
        # WeasyPrint needs Pango and is slow to import: imported where a PDF is made.
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        lean = CSS(string=render_to_string(USER_AGENT_STYLESHEET))

        class LeanHTML(HTML):
            def _ua_stylesheets(self, forms=False):
                return [lean]

        _layout = LeanHTML, FontConfiguration()
    return _layout


def write_pdf(document: Document) -> bytes:
    """The document as an A4 PDF (GB/T 1.1-2020 layout)."""
    return render_pdf(document_html(document))


def render_pdf(html: str) -> bytes:
    """``html`` laid out as a PDF with the named CJK fonts (the comparison's report too)."""
    lean_html, fonts = _weasyprint()
    # Layout keeps a great many small objects until the PDF is written; the cyclic
    # collector would walk them again and again for nothing (a fifth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return lean_html(string=html).write_pdf(font_config=fonts)
    finally:
        if collecting:
            gc.enable()
