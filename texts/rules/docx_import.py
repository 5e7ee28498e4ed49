"""Read a DOCX written to GB/T 1.1-2020 into the structure (``texts.rules.structure``).

Nothing in a Word file says "this is clause 5.1.2"; the printed text does, so the reader
goes by it, paragraph by paragraph, in the order of the body (tables in their place):

* the cover until 目次, 前言, 引言 or clause 1: the number, titles, ICS/CCS, 备案号,
  代替, adoption, the dates and the issuer;
* headings by their numbers, "5.1.2 标题" (an untitled 条 "5.1.1 应…" when the text after
  the number reads as a sentence), a number accepted only as the next under a clause that
  exists, so "30 日内…" or a year never opens a clause;
* in 3 术语和定义, an entry "3.1" (alone, or followed by the term), its term line
  (Chinese term, admitted terms after "；", English equivalent), definition, 注 and 来源;
* "附 录 A" / "附录A" with （规范性）/（资料性） and the title (same line or the next);
  "参考文献"; notes "注：" / "注1："; examples "示例："; list items by their markers;
  tables with the "表1 …" paragraph before them; images with the "图1 …" after them.

What it cannot place is returned in the report with its text, never dropped silently.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from catalog.rules.numbers import StandardNumberError, parse_standard_number
from texts.rules.structure import (
    DASH,
    LETTER,
    MAX_DEPTH,
    NUMBER,
    Annex,
    Clause,
    Document,
    Example,
    Figure,
    ListItem,
    Note,
    Paragraph,
    Table,
    TermEntry,
    annex_letter,
)


@dataclass(frozen=True)
class Unplaced:
    """A paragraph the reader could not place: where it stood and its text."""

    after: str  # the last place read before it: "前言", "5.1", "A.2", "封面"
    text: str
    reason: str


def _compact(text: str) -> str:
    return "".join(text.split())


# The number, then a space or the title's first Chinese character ("1范围"); never "1)".
HEADING = re.compile(r"^([1-9]\d?(?:\s*\.\s*\d{1,2}){0,5})(?:\s+|(?=[\u3400-\u9fff]))(.*)$")
UNTITLED_NUMBER = re.compile(r"^([1-9]\d?(?:\s*\.\s*\d{1,2}){1,5})\s*$")
ANNEX_HEADING = re.compile(
    r"^([A-Z]\s*\.\s*\d{1,2}(?:\s*\.\s*\d{1,2}){0,4})(?:\s+|(?=[\u3400-\u9fff]))(.*)$")
# A line of the table of contents: dot leaders, a tab or a page number at the end.
CONTENTS_LINE = re.compile(r"(\.{3,}|…|·{3,}|\t|\s\d+$)")
ANNEX = re.compile(r"^附\s*录\s*([A-Z])\s*(?:[（(]\s*(规\s*范\s*性|资\s*料\s*性)\s*[)）])?\s*(.*)$")
NATURE = re.compile(r"^[（(]\s*(规\s*范\s*性|资\s*料\s*性)\s*[)）]$")
NOTE = re.compile(r"^注\s*(\d*)\s*[：:]\s*(.*)$", re.S)
EXAMPLE = re.compile(r"^示\s*例\s*(\d*)\s*[：:]\s*(.*)$", re.S)
SOURCE = re.compile(r"^[\[［【]\s*来\s*源\s*[：:]\s*(.*?)\s*[\]］】]$")
TABLE_TITLE = re.compile(r"^表\s*((?:[A-Z]\s*\.\s*)?\d+)\s*(.*)$")
FIGURE_TITLE = re.compile(r"^图\s*((?:[A-Z]\s*\.\s*)?\d+)\s*(.*)$")
DASH_ITEM = re.compile(r"^(——|—)\s*(.+)$", re.S)
DOT_ITEM = re.compile(r"^[·•]\s*(.+)$", re.S)
LETTER_ITEM = re.compile(r"^([a-z])\s*[)）]\s*(.+)$", re.S)
NUMBER_ITEM = re.compile(r"^(\d{1,2})\s*[)）]\s*(.+)$", re.S)
DATE = re.compile(r"^(\d{4})\s*[-－—–.]\s*(\d{1,2})\s*[-－—–.]\s*(\d{1,2})\s*(发\s*布|实\s*施)$")
ICS = re.compile(r"^ICS\s*(.+)$")
CCS = re.compile(r"^CCS\s*(.+)$")
RECORD = re.compile(r"^备\s*案\s*号\s*[：:]?\s*(.+)$")
REPLACES = re.compile(r"^代\s*替\s*(.+)$")
ADOPTION = re.compile(r"^[（(].*\b(IDT|MOD|NEQ)\s*[)）]$")
STAGE = re.compile(r"^[（(]?\s*((?:征求意见|送审|报批)稿)\s*[)）]?$")
ISSUER = re.compile(r"^(.+?)\s*发\s*布$")
KIND = re.compile(r"(国家标准|行业标准|地方标准|团体标准|企业标准)$")
TERM_LINE = re.compile(r"^(.*?[\u3400-\u9fff）)\]])\s*([A-Za-z][A-Za-z0-9 ,;()'/\-.]*)?$")
SENTENCE_END = "。；;：:，,"

SPECIAL = {"前言": "foreword", "引言": "introduction", "参考文献": "bibliography",
           "目次": "contents"}


def _number(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _paragraph_image(paragraph: DocxParagraph) -> tuple[bytes, str] | None:
    for blip in paragraph._p.iter(qn("a:blip")):
        rel = blip.get(qn("r:embed"))
        if rel and rel in paragraph.part.related_parts:
            part = paragraph.part.related_parts[rel]
            return part.blob, part.partname.split("/")[-1]
    return None


def _blocks(document) -> Iterator[DocxParagraph | DocxTable]:
    """Paragraphs and tables in the order of the body."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield DocxParagraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield DocxTable(child, document)


def _is_heading_style(paragraph: DocxParagraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.startswith(("Heading", "标题"))


def _list_style(paragraph: DocxParagraph) -> tuple[str, int] | None:
    """Word's own list paragraphs (the marker is not in the text)."""
    props = paragraph._p.pPr
    if props is None or props.numPr is None:
        return None
    level = props.numPr.ilvl.val if props.numPr.ilvl is not None else 0
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    style = LETTER if "Number" in name else DASH
    if level >= 1 and style == LETTER:
        return NUMBER, 2
    return style, min(level + 1, 2)


class _Reader:
    def __init__(self):
        self.document = Document()
        self.report: list[Unplaced] = []
        self.zone = "cover"
        self.numbers: dict[str, Clause | Annex] = {}  # "5.1" → its clause
        self.current: Clause | Annex | None = None
        self.current_number = ""
        self.term: TermEntry | None = None
        self.term_line_pending = False
        self.pending_table_title = ""
        self.pending_annex: Annex | None = None  # waiting for its nature or title
        self.pending_example = False
        self.annex_nature_known = True

    # Where text goes ----------------------------------------------------------------

    @property
    def place(self) -> str:
        return {"cover": "封面", "contents": "目次", "foreword": "前言",
                "introduction": "引言", "bibliography": "参考文献"}.get(
                    self.zone, self.current_number or "正文")

    def elements(self) -> list | None:
        if self.zone == "foreword":
            return self.document.foreword
        if self.zone == "introduction":
            return self.document.introduction
        if self.zone in ("body", "annex") and self.current is not None:
            return self.current.elements
        return None

    def unplaced(self, text: str, reason: str) -> None:
        self.report.append(Unplaced(self.place, text, reason))

    def add(self, element, text: str) -> None:
        target = self.elements()
        if target is None:
            self.unplaced(text, "outside any clause")
            return
        target.append(element)

    # The walk ---------------------------------------------------------------------

    def read(self, source) -> None:
        word = docx.Document(source)
        for block in _blocks(word):
            if isinstance(block, DocxTable):
                self.table(block)
            else:
                self.paragraph(block)
        self.finish_annex()

    def table(self, block: DocxTable) -> None:
        rows = []
        for row in block.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                    continue
                seen.add(id(cell._tc))
                cells.append(cell.text.strip())
            rows.append(cells)
        title, self.pending_table_title = self.pending_table_title, ""
        self.term = None
        self.add(Table(title=title, rows=rows), f"表 {title}")

    def paragraph(self, block: DocxParagraph) -> None:
        text = block.text.strip()
        image = _paragraph_image(block)
        if image is not None:
            self.flush_table_title()
            self.term = None
            self.add(Figure(title="", image=image[0], image_name=image[1]),
                     f"图 {image[1]}")
            if not text:
                return
        if not text:
            return
        compact = _compact(text)
        if compact in SPECIAL:
            self.flush_table_title()
            self.finish_annex()
            self.zone = SPECIAL[compact]
            self.current, self.current_number, self.term = None, "", None
            return
        if self.zone == "contents":
            # The table of contents is generated, not kept; it ends at 前言 or clause 1.
            if CONTENTS_LINE.search(text) or not HEADING.match(text):
                return
        if self.pending_annex is not None and self.annex_continues(text):
            return
        if self.annex(text) or self.heading(text, block):
            return
        if self.zone == "cover":
            self.cover(text)
            return
        if self.zone == "bibliography":
            self.document.bibliography.append(Paragraph(text))
            return
        if self.zone in ("body", "annex", "foreword", "introduction"):
            if self.zone != "annex" and self.current is None and compact == _compact(
                    self.document.title):
                return  # the title printed again above clause 1, after 前言 or 引言
            self.body_text(text, block)
            return
        self.unplaced(text, "outside any clause")

    # Cover --------------------------------------------------------------------------

    def cover(self, text: str) -> None:
        doc, compact = self.document, _compact(text)
        if match := DATE.match(text):
            day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
            if _compact(match[4]) == "发布":
                doc.issued_on = day
            else:
                doc.implemented_on = day
        elif match := ICS.match(text):
            doc.ics = match[1].strip()
        elif match := CCS.match(text):
            doc.ccs = match[1].strip()
        elif match := RECORD.match(text):
            doc.record_number = match[1].strip()
        elif match := REPLACES.match(text):
            doc.replaces = match[1].strip()
        elif match := STAGE.match(compact):
            doc.stage = match[1]
        elif ADOPTION.match(text) and doc.title:
            doc.adoption = text
        elif KIND.search(compact) and not doc.number:
            return  # "昌吉回族自治州地方标准": the kind, said by the number itself
        elif not doc.number and self.cover_number(text):
            return
        elif re.fullmatch(r"[A-Z][A-Z/]*\s*\d*(?:/[A-Z])?", text):
            return  # the code printed large on the cover ("DB 6523", "GB/T")
        elif (match := ISSUER.match(text)) and doc.implemented_on:
            doc.issuer = match[1].strip()
        elif not doc.title and re.search(r"[\u3400-\u9fff]", text):
            doc.title = compact if " " not in text.strip() else text.strip()
        elif doc.title and not doc.title_en and re.fullmatch(r"[\x20-\x7e]+", text):
            doc.title_en = text
        else:
            self.unplaced(text, "not a cover field")

    def cover_number(self, text: str) -> bool:
        try:
            number = parse_standard_number(text)
        except StandardNumberError:
            return False
        if number.year is None:
            return False
        self.document.number = number.display
        return True

    # Annexes ------------------------------------------------------------------------

    def annex(self, text: str) -> bool:
        match = ANNEX.match(text)
        if not match or self.zone == "cover":
            return False
        expected = annex_letter(len(self.document.annexes))
        if match[1] != expected:
            return False
        self.flush_table_title()
        self.finish_annex()
        annex = Annex(title=match[3].strip(),
                      normative=bool(match[2]) and _compact(match[2]) == "规范性")
        self.document.annexes.append(annex)
        self.numbers[expected] = annex
        self.zone, self.current, self.current_number, self.term = "annex", annex, expected, None
        self.annex_nature_known = bool(match[2])
        if not (annex.title and match[2]):
            self.pending_annex = annex
        return True

    def annex_continues(self, text: str) -> bool:
        """The lines after "附 录 A": （规范性） and the title."""
        annex = self.pending_annex
        if not self.annex_nature_known and (match := NATURE.match(_compact(text))):
            annex.normative = _compact(match[1]) == "规范性"
            self.annex_nature_known = True
            return True
        if not annex.title and not ANNEX_HEADING.match(text):
            annex.title = text
            self.finish_annex()
            return True
        self.finish_annex()
        return False

    def finish_annex(self) -> None:
        if self.pending_annex is not None and not self.annex_nature_known:
            self.unplaced(f"附录{self.numbers_key(self.pending_annex)}",
                          "annex without （规范性） or （资料性）")
        self.pending_annex = None

    def numbers_key(self, annex: Annex) -> str:
        return next(key for key, value in self.numbers.items() if value is annex)

    # Headings -----------------------------------------------------------------------

    def heading(self, text: str, block: DocxParagraph) -> bool:
        if self.zone in ("annex",) and (match := ANNEX_HEADING.match(text)):
            return self.open_clause(_number(match[1]), match[2].strip(), block)
        match = HEADING.match(text) or UNTITLED_NUMBER.match(text)
        if not match:
            return False
        number = _number(match[1])
        rest = match[2].strip() if match.lastindex and match.lastindex >= 2 and match[2] else ""
        if self.zone in ("cover", "contents", "foreword", "introduction"):
            if number != "1" or self.document.clauses:
                return False
            self.zone = "body"
        elif self.zone not in ("body",):
            return False
        return self.open_clause(number, rest, block)

    def open_clause(self, number: str, rest: str, block: DocxParagraph) -> bool:
        parts = number.split(".")
        parent_key = ".".join(parts[:-1])
        if not parent_key:
            siblings, parent = self.document.clauses, None
        else:
            parent = self.numbers.get(parent_key)
            if parent is None:
                return False
            siblings = parent.subclauses
        if int(parts[-1]) != len(siblings) + 1 or len(parts) > MAX_DEPTH:
            return False  # not the next number where it would stand: text, not a heading
        terms = self.terms_number()
        terms_clause = bool(terms) and (parent_key == terms or parent_key.startswith(terms + "."))
        if terms_clause and (not rest or self.looks_like_term(rest)):
            return self.open_term(number, rest, parent)
        self.flush_table_title()
        self.term = None
        title, text = rest, ""
        if rest and not _is_heading_style(block) and (
                rest[-1] in SENTENCE_END or len(rest) > 40 or rest[-1] == "。"):
            title, text = "", rest  # an untitled 条: "5.1.1 应确定…。"
        clause = Clause(title=title)
        siblings.append(clause)
        self.numbers[number] = clause
        self.current, self.current_number = clause, number
        if text:
            self.body_text(text, block, numbered=True)
        return True

    def terms_number(self) -> str:
        for index, clause in enumerate(self.document.clauses, start=1):
            if _compact(clause.title) in ("术语和定义", "术语"):
                return str(index)
        return ""

    @staticmethod
    def looks_like_term(rest: str) -> bool:
        return bool(re.search(r"[\u3400-\u9fff]\s+[A-Za-z]", rest)) and rest[-1] not in "。；"

    def open_term(self, number: str, rest: str, parent: Clause) -> bool:
        # Term entries sit in the terms clause as elements. The entry is added now and the
        # lines after the number fill it (term, English, definition), so "3.2" after "3.1"
        # finds its number taken in order.
        self.flush_table_title()
        entry = TermEntry(preferred="")
        parent.elements.append(entry)
        parent.subclauses.append(_TERM_SLOT)
        self.numbers[number] = _TERM_SLOT
        self.current, self.current_number = parent, number
        self.term = entry
        self.term_line_pending = True
        if rest:
            self.term_line(rest)
        return True

    def term_line(self, text: str) -> None:
        match = TERM_LINE.match(text.strip())
        chinese, english = (match[1], match[2] or "") if match else (text, "")
        names = [name.strip() for name in re.split(r"[；;]", chinese) if name.strip()]
        self.term.preferred = names[0] if names else text
        self.term.admitted = names[1:]
        self.term.english = english.strip()
        self.term_line_pending = False

    # Running text -------------------------------------------------------------------

    def body_text(self, text: str, block: DocxParagraph, numbered: bool = False) -> None:
        if self.term is not None:
            self.term_text(text)
            return
        if match := TABLE_TITLE.match(text):
            if not numbered and len(match[2]) < 60 and match[2][-1:] not in SENTENCE_END:
                self.flush_table_title()
                self.pending_table_title = match[2].strip()
                return
        self.flush_table_title()
        target = self.elements()
        if match := FIGURE_TITLE.match(text):
            if target and isinstance(target[-1], Figure) and not target[-1].title:
                target[-1].title = match[2].strip()
                return
        if self.pending_example and target and isinstance(target[-1], Example) \
                and not target[-1].text:
            target[-1].text = text
            self.pending_example = False
            return
        if match := NOTE.match(text):
            self.add(Note(match[2].strip()), text)
        elif match := EXAMPLE.match(text):
            self.add(Example(match[2].strip()), text)
            self.pending_example = not match[2].strip()
        elif item := self.list_item(text, block, target):
            self.add(item, text)
        else:
            self.add(Paragraph(text), text)

    def list_item(self, text: str, block: DocxParagraph, target) -> ListItem | None:
        if match := DASH_ITEM.match(text):
            return ListItem(match[2].strip(), DASH, 1)
        if match := DOT_ITEM.match(text):
            return ListItem(match[1].strip(), DASH, 2)
        if match := LETTER_ITEM.match(text):
            return ListItem(match[2].strip(), LETTER, 1)
        if match := NUMBER_ITEM.match(text):
            under_letter = bool(target) and isinstance(target[-1], ListItem) and (
                target[-1].style == LETTER or target[-1].level == 2)
            return ListItem(match[2].strip(), NUMBER, 2 if under_letter else 1)
        if styled := _list_style(block):
            return ListItem(text, styled[0], styled[1])
        return None

    def term_text(self, text: str) -> None:
        term = self.term
        if self.term_line_pending:
            self.term_line(text)
        elif match := SOURCE.match(text):
            term.source = match[1]
        elif match := NOTE.match(text):
            term.notes.append(match[2].strip())
        elif not term.definition:
            term.definition = text
        else:
            self.unplaced(text, "more than one definition in a term entry")

    def flush_table_title(self) -> None:
        if self.pending_table_title:
            self.unplaced(f"表 {self.pending_table_title}", "table title without a table")
            self.pending_table_title = ""

    def result(self) -> tuple[Document, list[Unplaced]]:
        self.flush_table_title()
        for clause in self.document.clauses:
            _drop_term_slots(clause)
        return self.document, self.report


# A term entry takes a number like a 条 ("3.1") but is an element; this slot holds the
# number during the read and is removed at the end.
_TERM_SLOT = Clause(title="\x00term")


def _drop_term_slots(clause: Clause) -> None:
    clause.subclauses = [sub for sub in clause.subclauses if sub is not _TERM_SLOT]
    for sub in clause.subclauses:
        _drop_term_slots(sub)


def read_docx(source: str | IO[bytes]) -> tuple[Document, list[Unplaced]]:
    """The document in ``source`` (a path or a binary file) and what could not be placed."""
    reader = _Reader()
    reader.read(source)
    return reader.result()
