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

Where the print alone is ambiguous, a file written by ``texts.rules.docx_export`` says more,
and the reader takes it (an ordinary file has none of it and reads as before):

* a bookmark ``_ref_KEY`` on a part gives the part that key, and a field ``REF _ref_KEY``
  in running text becomes ``⟦ref:KEY⟧``; Word's own cross-references (``REF _Ref123``)
  are kept the same way when their bookmark lands on a part, else as the text they show;
* a footnote becomes ``⟦fn:TEXT⟧`` where its mark stands, whether Word numbers it or the
  mark is written out ("1)", a custom mark);
* the paragraph styles "Untitled Clause" (the text after "5.1.1" is the 条's first
  paragraph, not its title), "List" / "List 2" (the level of a list item) and
  "Formula"; the table of contents (a TOC field, or paragraphs in the styles "toc 1"…)
  is skipped;
* "表1" alone before a table is a table without a title, a table of one empty cell one
  without rows, and "图1 …" with no picture before it a figure still to be drawn.

What it cannot place is returned in the report with its text, never dropped silently.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from catalog.rules.numbers import StandardNumberError, parse_standard_number
from texts.rules.structure import (
    DASH,
    INLINE,
    LETTER,
    MAX_DEPTH,
    NUMBER,
    Annex,
    Clause,
    Document,
    Example,
    Figure,
    Formula,
    ListItem,
    Note,
    Paragraph,
    Table,
    TermEntry,
    annex_letter,
    footnote_mark,
    reference_mark,
    terms_clause,
    walk,
)

# What texts.rules.docx_export writes (the two modules stand side by side, neither imports
# the other; the round-trip tests hold them to the same names).
BOOKMARK_PREFIX = "_ref_"
UNTITLED_CLAUSE = "Untitled Clause"
FORMULA = "Formula"
LIST_LEVELS = {"List": 1, "List 2": 2}


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
ISSUER = re.compile(r"^(.+?)\s*发\s*布$", re.S)
# A body that issues standards, printed on its own line above "发布" when there are two
# (国家市场监督管理总局 / 国家标准化管理委员会 / 发布).
ISSUING_BODY = re.compile(r"(局|委员会|部|厅|院|办公室|中心|协会|学会|联合会|公司|政府)$")
# An English title: Latin text, the parts of a title in parts joined by a dash.
ENGLISH_TITLE = re.compile(r"[\x20-\x7e\u2013\u2014\u2019]*[A-Za-z][\x20-\x7e\u2013\u2014\u2019]*")
KIND = re.compile(r"(国家标准|行业标准|地方标准|团体标准|企业标准|指导性技术文件)$")
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


def _style_names(word) -> tuple[dict[str, str], str]:
    """Paragraph style names by id, and the default one: python-docx's own lookup walks
    every style for each paragraph, too slow for a long text."""
    names, default = {}, ""
    for style in word.styles.element.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        shown = BabelFish.internal2ui(name.get(qn("w:val"), "")) if name is not None else ""
        names[style.get(qn("w:styleId"))] = shown
        if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in _ON:
            default = shown
    return names, default


def _is_heading_style(name: str) -> bool:
    return name.startswith(("Heading", "标题"))


# Running text ---------------------------------------------------------------------------

_TEXT_TAGS = frozenset(qn(f"w:{name}") for name in ("t", "tab", "br", "cr", "noBreakHyphen",
                                                      "ptab"))
_REFERENCE = re.compile(r"^\s*REF\s+(\S+)", re.I)
_ON = ("1", "true", "on")


@dataclass
class _Field:
    instruction: str = ""
    separated: bool = False
    reference: str = ""  # the key, when the field is a cross-reference shown as a mark
    shown: str = ""  # what a cross-reference showed, in case its target is no part


class _Inline:
    """The text of paragraphs as the reader goes by it: what python-docx's ``text`` gives
    (runs and hyperlinks), plus the shown result of simple fields, cross-references as
    ``⟦ref:KEY⟧`` and footnotes as ``⟦fn:TEXT⟧``; with the bookmarks met and where.

    Complex fields (begin, instruction, separate, result, end) may run over several
    paragraphs, as a table of contents does, so the open fields are kept from one
    paragraph to the next."""

    def __init__(self, footnotes: dict[str, str] | None = None,
                 bookmarks: set[str] | None = None, referenced: set[str] | None = None,
                 variables: dict[str, str] | None = None):
        self.footnotes = footnotes or {}
        self.bookmarks = bookmarks or set()
        self.referenced = referenced or set()  # bookmarks some REF field points at
        self.variables = variables or {}  # a key too odd for a bookmark name, by that name
        self.fields: list[_Field] = []
        self.foreign: dict[str, str] = {}  # Word's own cross-references: key → shown text

    @classmethod
    def of(cls, word) -> _Inline:
        body = word.element.body
        referenced = set()
        for instruction in [e.text or "" for e in body.iter(qn("w:instrText"))] + [
                e.get(qn("w:instr"), "") for e in body.iter(qn("w:fldSimple"))]:
            if match := _REFERENCE.match(instruction):
                referenced.add(match[1])
        variables = {e.get(qn("w:name")): e.get(qn("w:val"), "")
                     for e in word.settings.element.iter(qn("w:docVar"))}
        return cls(_footnotes(word), {e.get(qn("w:name")) for e in
                                      body.iter(qn("w:bookmarkStart"))}, referenced, variables)

    def key(self, bookmark: str) -> str:
        """The key a bookmark gives its part: ours, or one a cross-reference points at."""
        if bookmark.startswith(BOOKMARK_PREFIX):
            return self.variables.get(bookmark) or bookmark[len(BOOKMARK_PREFIX):]
        return bookmark if bookmark in self.referenced else ""

    def read(self, paragraph, footnote: bool = False) -> tuple[str, list[tuple[int, str]], bool]:
        """(text, [(offset, bookmark name)], whether it stands in a table of contents)."""
        self.parts: list[str] = []
        self.marks: list[tuple[int, str]] = []
        self.in_contents = self._in_contents()
        self.opening = footnote  # a footnote opens with its own mark, not part of its text
        self._children(paragraph)
        return "".join(self.parts), self.marks, self.in_contents or self._in_contents()

    def cell(self, tc) -> str:
        """A table cell's text, its paragraphs joined by line breaks."""
        fields, self.fields = self.fields, []
        try:
            return "\n".join(self.read(p)[0] for p in tc.findall(qn("w:p")))
        finally:
            self.fields = fields

    def _in_contents(self) -> bool:
        return any(f.instruction.strip().upper().startswith("TOC") for f in self.fields)

    def _length(self) -> int:
        return sum(len(part) for part in self.parts)

    def _visible(self) -> bool:
        return all(f.separated and not f.reference for f in self.fields)

    def _children(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == qn("w:r"):
                self._run(child)
            elif tag == qn("w:hyperlink"):
                self._children(child)
            elif tag == qn("w:fldSimple"):
                self._simple_field(child)
            elif tag == qn("w:bookmarkStart"):
                self.marks.append((self._length(), child.get(qn("w:name"), "")))

    def _simple_field(self, element) -> None:
        key = self._reference(element.get(qn("w:instr"), ""))
        if not key:
            self._children(element)
            return
        field = _Field(separated=True, reference=key)
        self.fields.append(field)
        self._children(element)
        self.fields.pop()
        self._emit_reference(field)

    def _reference(self, instruction: str) -> str:
        match = _REFERENCE.match(instruction)
        if not match or match[1] not in self.bookmarks and not match[1].startswith(
                BOOKMARK_PREFIX):
            return ""
        return match[1]

    def _emit_reference(self, field: _Field) -> None:
        name = field.reference
        if name.startswith(BOOKMARK_PREFIX):
            self.parts.append(reference_mark(self.key(name)))
        else:
            self.foreign[name] = field.shown
            self.parts.append(reference_mark(name))

    def _run(self, run) -> None:
        if self.opening:
            if _is_mark(run):
                return
            self.opening = False
        custom_mark = False
        for child in run:
            tag = child.tag
            if tag == qn("w:fldChar"):
                kind = child.get(qn("w:fldCharType"))
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    field = self.fields[-1]
                    field.separated = True
                    field.reference = self._reference(field.instruction)
                    if field.instruction.strip().upper().startswith("TOC"):
                        self.in_contents = True
                elif kind == "end" and self.fields:
                    field = self.fields.pop()
                    if field.reference:
                        self._emit_reference(field)
            elif tag == qn("w:instrText"):
                if self.fields and not self.fields[-1].separated:
                    self.fields[-1].instruction += child.text or ""
            elif tag == qn("w:footnoteReference"):
                note = self.footnotes.get(child.get(qn("w:id")))
                if note is not None and self._visible():
                    self.parts.append(footnote_mark(note))
                custom_mark = child.get(qn("w:customMarkFollows"), "").lower() in _ON
            elif tag in _TEXT_TAGS:
                if custom_mark:
                    continue  # the mark written out after the reference: not text
                text = str(child)
                if self.fields and self.fields[-1].reference and self.fields[-1].separated:
                    self.fields[-1].shown += text
                elif self._visible():
                    self.parts.append(text)


def _list_style(paragraph: DocxParagraph, name: str) -> tuple[str, int] | None:
    """Word's own list paragraphs (the marker is not in the text)."""
    props = paragraph._p.pPr
    if props is None or props.numPr is None:
        return None
    level = props.numPr.ilvl.val if props.numPr.ilvl is not None else 0
    style = LETTER if "Number" in name else DASH
    if level >= 1 and style == LETTER:
        return NUMBER, 2
    return style, min(level + 1, 2)


def _is_mark(run) -> bool:
    """A footnote's own mark: Word's number, or a superscript run ("1)")."""
    if run.find(qn("w:footnoteRef")) is not None:
        return True
    props = run.find(qn("w:rPr"))
    if props is None:
        return False
    align = props.find(qn("w:vertAlign"))
    style = props.find(qn("w:rStyle"))
    return (align is not None and align.get(qn("w:val")) == "superscript") or (
        style is not None and "footnote" in (style.get(qn("w:val")) or "").lower())


def _footnotes(word) -> dict[str, str]:
    """The footnotes' texts by their ids."""
    found: dict[str, str] = {}
    for rel in word.part.rels.values():
        if rel.reltype != RELATIONSHIP_TYPE.FOOTNOTES or rel.is_external:
            continue
        for note in parse_xml(rel.target_part.blob).iter(qn("w:footnote")):
            if note.get(qn("w:type"), "normal") != "normal":
                continue  # the separators
            reader = _Inline()
            text = "\n".join(reader.read(p, footnote=index == 0)[0]
                             for index, p in enumerate(note.iter(qn("w:p")))).strip()
            # The mark's brackets cannot hold these; anything else stays as written.
            found[note.get(qn("w:id"))] = text.replace("⟦", "[").replace("⟧", "]")
    return found


class _Reader:
    def __init__(self):
        self.document = Document()
        self.report: list[Unplaced] = []
        self.zone = "cover"
        self.issuing_bodies: list[str] = []  # lines of the cover waiting for "发布"
        self.numbers: dict[str, Clause | Annex] = {}  # "5.1" → its clause
        self.current: Clause | Annex | None = None
        self.current_number = ""
        self.term: TermEntry | None = None
        self.term_line_pending = False
        self.pending_table_title: str | None = None
        self.pending_table_key = ""
        self.pending_annex: Annex | None = None  # waiting for its nature or title
        self.pending_example = False
        self.annex_nature_known = True
        self.untitled_figure: Figure | None = None  # a picture whose "图1 …" may follow
        self.untitled_figure_before: Figure | None = None  # that, for the paragraph read
        self.inline = _Inline()
        self.style_names: dict[str, str] = {}
        self.default_style = ""
        self.style = ""  # of the paragraph being read
        # The keys of the bookmarks in the paragraph being read, with where they start;
        # each part the paragraph makes takes the first (claim).
        self.block_keys: list[tuple[int, str]] = []

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
        self.claim(element)

    def take_key(self, before: int | None = None) -> str:
        """The first key of the paragraph's bookmarks (starting before ``before``)."""
        for index, (offset, key) in enumerate(self.block_keys):
            if before is None or offset < before:
                del self.block_keys[index]
                return key
        return ""

    def claim(self, part, before: int | None = None) -> None:
        key = self.take_key(before)
        if key and not part.key:
            part.key = key

    # The walk ---------------------------------------------------------------------

    def read(self, source) -> None:
        word = docx.Document(source)
        self.inline = _Inline.of(word)
        self.style_names, self.default_style = _style_names(word)
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
                cells.append(self.inline.cell(cell._tc).strip())
            rows.append(cells)
        if rows == [[""]]:
            rows = []  # one empty cell: a table with nothing in it yet
        title, self.pending_table_title = self.pending_table_title or "", None
        key, self.pending_table_key = self.pending_table_key, ""
        self.term = None
        self.untitled_figure = None
        self.block_keys = []
        self.add(Table(title=title, rows=rows, key=key), f"表 {title}")

    def paragraph(self, block: DocxParagraph) -> None:
        raw, bookmarks, in_contents = self.inline.read(block._p)
        self.style = self.style_names.get(block._p.style or "", "") or self.default_style
        if in_contents or re.fullmatch(r"toc \d", self.style.lower()):
            return  # the table of contents is generated, not kept
        text = raw.strip()
        shift = len(raw) - len(raw.lstrip())
        self.block_keys = [(offset - shift, key) for offset, name in bookmarks
                           if (key := self.inline.key(name))]
        waiting = self.untitled_figure
        image = _paragraph_image(block)
        if image is not None:
            self.flush_table_title()
            self.term = None
            figure = Figure(title="", image=image[0], image_name=image[1])
            self.add(figure, f"图 {image[1]}")
            self.untitled_figure = figure
            if not text:
                return
            waiting = None
        if not text:
            return  # an empty paragraph leaves a picture waiting for its "图1 …"
        self.untitled_figure = None
        self.untitled_figure_before = waiting
        compact = _compact(text)
        if compact in SPECIAL:
            self.flush_table_title()
            self.finish_annex()
            self.leave_cover()
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
            # "2023-02-16 发布" and "2023-03-10 实施" share a line, a tab between them.
            for part in text.split("\t"):
                if part.strip():
                    self.cover(part.strip())
            return
        if self.zone == "bibliography":
            entry = Paragraph(text)
            self.document.bibliography.append(entry)
            self.claim(entry)
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
            doc.replaces = f"代替 {match[1].strip()}"  # as Document.replaces holds it
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
        elif compact == "发布" and self.issuing_bodies:
            doc.issuer = " ".join(self.issuing_bodies)
            self.issuing_bodies = []
        elif (match := ISSUER.match(text)) and (doc.implemented_on or doc.title):
            doc.issuer = " ".join([*self.issuing_bodies,
                                   re.sub(r"\s*\n\s*", " ", match[1].strip())])
            self.issuing_bodies = []
        elif not doc.title and re.search(r"[\u3400-\u9fff]", text):
            doc.title = compact if " " not in text.strip() else text.strip()
        elif doc.title and not doc.title_en and ENGLISH_TITLE.fullmatch(text):
            doc.title_en = text
        elif doc.title and ISSUING_BODY.search(compact):
            self.issuing_bodies.append(text.strip())
        else:
            self.unplaced(text, "not a cover field")

    def leave_cover(self) -> None:
        """Issuing bodies never followed by "发布" were not the issuer after all."""
        for text in self.issuing_bodies:
            self.report.append(Unplaced("封面", text, "not a cover field"))
        self.issuing_bodies = []

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
        self.claim(annex)
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
            return self.open_clause(_number(match[1]), match[2].strip(), block,
                                    match.start(2))
        match = HEADING.match(text) or UNTITLED_NUMBER.match(text)
        if not match:
            return False
        number = _number(match[1])
        rest = match[2].strip() if match.lastindex and match.lastindex >= 2 and match[2] else ""
        rest_at = match.start(2) if rest else len(text)
        if self.zone in ("cover", "contents", "foreword", "introduction"):
            if number != "1" or self.document.clauses:
                return False
            self.leave_cover()
            self.zone = "body"
        elif self.zone not in ("body",):
            return False
        return self.open_clause(number, rest, block, rest_at)

    def open_clause(self, number: str, rest: str, block: DocxParagraph,
                    rest_at: int = 0) -> bool:
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
        if rest and (self.style == UNTITLED_CLAUSE or not _is_heading_style(self.style) and (
                rest[-1] in SENTENCE_END or len(rest) > 40 or rest[-1] == "。")):
            title, text = "", rest  # an untitled 条: "5.1.1 应确定…。"
        clause = Clause(title=title)
        # The number's bookmark is the clause's; one on the text after it, its paragraph's.
        self.claim(clause, rest_at if text else None)
        siblings.append(clause)
        self.numbers[number] = clause
        self.current, self.current_number = clause, number
        if text:
            self.body_text(text, block, numbered=True)
        return True

    def terms_number(self) -> str:
        terms = terms_clause(self.document)
        return str(self.document.clauses.index(terms) + 1) if terms is not None else ""

    @staticmethod
    def looks_like_term(rest: str) -> bool:
        return bool(re.search(r"[\u3400-\u9fff]\s+[A-Za-z]", rest)) and rest[-1] not in "。；"

    def open_term(self, number: str, rest: str, parent: Clause) -> bool:
        # Term entries sit in the terms clause as elements. The entry is added now and the
        # lines after the number fill it (term, English, definition), so "3.2" after "3.1"
        # finds its number taken in order.
        self.flush_table_title()
        entry = TermEntry(preferred="")
        self.claim(entry)
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
        if self.style == FORMULA:
            self.flush_table_title()
            self.add(Formula(text), text)
            return
        if match := TABLE_TITLE.match(text):
            if not numbered and _title_like(match[2]):
                self.flush_table_title()
                self.pending_table_title = match[2].strip()
                self.pending_table_key = self.take_key()
                return
        self.flush_table_title()
        target = self.elements()
        if match := FIGURE_TITLE.match(text):
            figure = self.untitled_figure_before
            if figure is not None and target and target[-1] is figure:
                figure.title = match[2].strip()
                self.claim(figure)
                return
            if not numbered and _title_like(match[2]):
                self.add(Figure(title=match[2].strip()), text)  # a figure still to be drawn
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
        item = self.marked_item(text, block, target)
        if item is not None and (level := LIST_LEVELS.get(self.style)):
            item.level = level
        return item

    def marked_item(self, text: str, block: DocxParagraph, target) -> ListItem | None:
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
        if styled := _list_style(block, self.style):
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
        if self.pending_table_title is not None:
            self.unplaced(f"表 {self.pending_table_title}", "table title without a table")
            self.pending_table_title, self.pending_table_key = None, ""

    def result(self) -> tuple[Document, list[Unplaced]]:
        self.flush_table_title()
        self.leave_cover()
        for clause in self.document.clauses:
            _drop_term_slots(clause)
        if self.inline.foreign:
            _resolve_foreign_references(self.document, self.inline.foreign)
        return self.document, self.report


def _title_like(title: str) -> bool:
    """The words after "表1" / "图1" read as a title, not a sentence ("表1 给出…。")."""
    return len(title) < 60 and title.strip()[-1:] not in tuple(SENTENCE_END)


def _resolve_foreign_references(document: Document, shown: dict[str, str]) -> None:
    """A Word cross-reference whose bookmark landed on no part keeps the text it showed."""
    keys = {place.clause.key for place in walk(document)} | {
        element.key for element in _every_element(document)}

    def resolve(text: str) -> str:
        return INLINE.sub(lambda m: m[0] if m["kind"] != "ref" or m["value"] in keys
                          or m["value"] not in shown else shown[m["value"]], text)

    for place in walk(document):
        place.clause.title = resolve(place.clause.title)
    for element in _every_element(document):
        if isinstance(element, Table):
            element.title = resolve(element.title)
            element.rows = [[resolve(cell) for cell in row] for row in element.rows]
        elif isinstance(element, Figure):
            element.title = resolve(element.title)
        elif isinstance(element, TermEntry):
            element.definition = resolve(element.definition)
            element.notes = [resolve(note) for note in element.notes]
        else:
            element.text = resolve(element.text)


def _every_element(document: Document):
    yield from document.foreword
    yield from document.introduction
    for place in walk(document):
        yield from place.clause.elements
    yield from document.bibliography


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
