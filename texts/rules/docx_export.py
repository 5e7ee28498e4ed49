"""Write the structure (``texts.rules.structure``) as a DOCX laid out as GB/T 1.1-2020
prescribes, so that ``texts.rules.docx_import.read_docx`` reads the same structure back.

The layout (GB/T 1.1-2020 chapter 8 and 10):

* A4, margins 25 mm (top, left) and 20 mm (bottom, right); East Asian text in 宋体 and
  黑体 through ``w:rFonts w:eastAsia``, Latin text in Times New Roman;
* the cover, in a section of its own without header or page number: ICS and CCS at the
  top left, 备案号 where given, the code large at the right ("GB", "DB 6523"), the kind
  line from the number ("中华人民共和国国家标准", "昌吉回族自治州地方标准", "团体标准"),
  the number right-aligned with "代替 …" below it, the title in 一号黑体, the English
  title, the adoption line, the stage ("（征求意见稿）") when set, and in a frame at the
  foot of the page "YYYY-MM-DD 发布" and "YYYY-MM-DD 实施" on one line and the issuer;
* 目次, 前言 and 引言 in a section numbered I, II…; the body from the title above
  clause 1 to 参考文献 in a section numbered 1, 2…; the standard's number in the page
  header (right on odd pages, left on even ones) and a PAGE field in the footer;
* 目次 is a TOC field (``TOC \\o "1-2" \\h \\z \\u``) whose shown result is the list of
  前言, 引言, the 章 and titled 条 down to the second level, the annexes with
  （规范性）/（资料性） and 参考文献, generated here with their numbers but without page
  numbers (python-docx cannot lay out pages); the file asks Word to update its fields on
  opening, which fills the page numbers in;
* headings "5.1　标题" in 五号黑体 (styles Heading 1 to Heading 6, so Word's navigation
  and the TOC field know them); an untitled 条 prints its number in 黑体 before its first
  paragraph (style "Untitled Clause"); body text in 五号宋体 with a first-line indent of
  two characters; notes ("注：", "注1：") and examples ("示例：") in 小五号宋体; list items
  with their markers ("——", "·", "a)", "1)"; styles "List" and "List 2" for the two
  levels); formulas as centred text lines (style "Formula"); tables with "表1　标题"
  centred above them, their cells in 小五号宋体 and the first row repeated on each page;
  figures centred with "图1　标题" below them (a figure without image bytes, or whose
  bytes python-docx cannot read as an image, is written as its title alone); term
  entries as GB/T 1.1 prints them: "3.1", the term line "术语；许用术语 English", the
  definition, "注1：" notes and "[来源：…]";
* each annex on a new page, "附录A" / "（规范性）" or "（资料性）" / its title centred in
  黑体 (one paragraph, with line breaks), its 条 "A.1…"; 参考文献 last, on a new page.

Cross-references and footnotes (the inline marks of ``structure``):

* every keyed part gets a bookmark named ``_ref_<key>`` around what a reference to it
  shows: a heading's number, "附录A", "表1", "图1", a term entry's number, a note's or list
  item's label, or the whole text of a paragraph or formula; ``⟦ref:KEY⟧`` is written as
  a field ``REF _ref_KEY \\h`` whose shown result is the target's current number. A key
  that Word cannot hold in a bookmark name (letters, digits and "_", 40 characters at
  most with the prefix) is written as ``_ref_h`` and a hash of it, the key itself kept in
  a document variable (``w:docVar``) of that name, which Word keeps;
* ``⟦fn:TEXT⟧`` is a real footnote (a footnotes part written with lxml, as python-docx
  has none) whose mark is the footnote's number as GB/T 1.1-2020 prints it, "1)" in
  superscript, both in the text and before the note (a custom mark; LibreOffice 7.4 shows
  such a mark twice).

The cover's dates and issuer stand in a frame at the foot of the page (``w:framePr``, as
the drafting templates place them); LibreOffice 7.4 lays frames out in the flow instead.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt

from texts.rules.cover import cover_of
from texts.rules.structure import (
    DASH,
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
    Paragraph,
    Table,
    TermEntry,
    number,
    segments,
    term_note_label,
    walk,
)

SONG = "宋体"
HEI = "黑体"
LATIN = "Times New Roman"
BODY = 10.5  # 五号
SMALL = 9  # 小五号
TITLE = 16  # 三号: 目次, 前言, 引言, 参考文献 and the title above clause 1
NUMBER_SPACE = "\u3000"  # between a number and its title, one character wide

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(25), Mm(20), Mm(25), Mm(20)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TWIPS_PER_EMU = 1 / 635

BOOKMARK_PREFIX = "_ref_"
_BOOKMARK_SAFE = re.compile(r"[A-Za-z0-9_]{1,35}")

# Style names the reader goes by where the printed text alone is ambiguous.
UNTITLED_CLAUSE = "Untitled Clause"
FORMULA = "Formula"
LIST_STYLES = {1: "List", 2: "List 2"}
WORD_STYLE_IDS = {"toc 1": "TOC1", "toc 2": "TOC2", "footnote text": "FootnoteText"}

# 行业标准代号 → the industry named on the cover ("中华人民共和国劳动和社会保障行业标准");
# the codes a social insurance bureau meets most. Others print "中华人民共和国行业标准".
def bookmark_name(key: str) -> str:
    """The bookmark of the part keyed ``key``; the reader takes the key back from it."""
    if _BOOKMARK_SAFE.fullmatch(key):
        return BOOKMARK_PREFIX + key
    return BOOKMARK_PREFIX + "h" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def write_docx(document: Document) -> bytes:
    """``document`` as the bytes of a DOCX file."""
    return _Writer(document).write()


# WordprocessingML ---------------------------------------------------------------------

# The order the schema gives the children of these elements; Word refuses files that
# break it.
_PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
        "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
        "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
        "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr "
        "pPrChange").split()
_RPR = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
        "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
        "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
        "specVanish oMath").split()
_SECTPR = ("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
           "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg "
           "textDirection bidi rtlGutter docGrid printerSettings sectPrChange").split()
_SETTINGS_AFTER_DOC_VARS = tuple(
    f"w:{name}" for name in
    ("rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
     "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
     "schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator").split())
_SETTINGS_AFTER_FOOTNOTE_PR = tuple(
    f"w:{name}" for name in
    ("endnotePr compat docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
     "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
     "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
     "decimalSymbol listSeparator").split())
_SETTINGS_AFTER_UPDATE_FIELDS = tuple(
    f"w:{name}" for name in
    ("hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema "
     "themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures "
     "forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults "
     "doNotEmbedSmartTags decimalSymbol listSeparator").split())


def _element(tag: str, **attributes) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _put(parent, child, order: list[str]):
    """Set ``child`` in ``parent`` (replacing one of its kind) where the schema puts it."""
    local = child.tag.split("}")[1]
    for old in parent.findall(child.tag):
        parent.remove(old)
    rank = order.index(local)
    for sibling in parent:
        name = sibling.tag.split("}")[1] if "}" in sibling.tag else ""
        if name in order and order.index(name) > rank:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def _run_properties(east: str = SONG, latin: str = LATIN, size: float | None = BODY,
                    bold: bool = False, spacing: int = 0, superscript: bool = False):
    rpr = OxmlElement("w:rPr")
    # Explicit names only: a theme font left in w:rFonts would win over them.
    rpr.append(_element("w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east, cs=latin))
    if bold:
        rpr.append(_element("w:b"))
        rpr.append(_element("w:bCs"))
    rpr.append(_element("w:color", val="000000"))
    if spacing:
        rpr.append(_element("w:spacing", val=spacing))
    if size:
        rpr.append(_element("w:sz", val=round(size * 2)))
        rpr.append(_element("w:szCs", val=round(size * 2)))
    if superscript:
        rpr.append(_element("w:vertAlign", val="superscript"))
    return rpr


def _paragraph_properties(*, align: str = "", first_line: int | None = None,
                          left: int = 0, hanging: int = 0, before: int = 0, after: int = 0,
                          keep_next: bool = False, page_break: bool = False,
                          outline: int | None = None) -> list:
    """Paragraph properties; indents in hundredths of a character (200 = two characters),
    spacing in hundredths of a line."""
    found = []
    if keep_next:
        found.append(_element("w:keepNext"))
    if page_break:
        found.append(_element("w:pageBreakBefore"))
    spacing = _element("w:spacing", before=round(before * 3.12), after=round(after * 3.12),
                       line=240, lineRule="auto")
    # Word reads *Lines before the twips, even "0": set only when there is a space.
    if before:
        spacing.set(qn("w:beforeLines"), str(before))
    if after:
        spacing.set(qn("w:afterLines"), str(after))
    found.append(spacing)
    # A character of 五号 is 210 twips wide; Word reads the *Chars attributes first.
    indent = _element("w:ind", leftChars=left, left=left * 210 // 100)
    if hanging:
        indent.set(qn("w:hangingChars"), str(hanging))
        indent.set(qn("w:hanging"), str(hanging * 210 // 100))
    else:
        value = first_line or 0
        indent.set(qn("w:firstLineChars"), str(value))
        indent.set(qn("w:firstLine"), str(value * 210 // 100))
    found.append(indent)
    if align:
        found.append(_element("w:jc", val=align))
    if outline is not None:
        found.append(_element("w:outlineLvl", val=outline))
    return found


def _set_style(style, ppr: list, rpr) -> None:
    element = style.element
    for old in element.findall(qn("w:pPr")) + element.findall(qn("w:rPr")):
        element.remove(old)
    properties = OxmlElement("w:pPr")
    for child in ppr:
        _put(properties, child, _PPR)
    element.append(properties)
    element.append(rpr)


def _format_paragraph(paragraph, *children) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    for child in children:
        _put(ppr, child, _PPR)


def _format_run(run, rpr) -> None:
    old = run._r.rPr
    if old is not None:
        run._r.remove(old)
    run._r.insert(0, rpr)


_FOOTNOTES = (
    f'<w:footnotes {nsdecls("w", "r")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
    'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote></w:footnotes>')


def _date(day: datetime.date | None, word: str) -> str:
    return f"{day:%Y-%m-%d} {word}" if day else ""


class _Writer:
    def __init__(self, document: Document):
        self.document = document
        self.numbering: Numbering = number(document)
        self.word = docx.Document()
        self.bookmarks: set[str] = set()
        self.hashed: dict[str, str] = {}  # bookmark name → the key it stands for
        self.style_ids: dict[str, str] = {}
        self.next_bookmark = 0
        self.footnotes = None  # the footnotes part's root, made with the first footnote
        self.next_footnote = 0

    def write(self) -> bytes:
        self.page_and_styles()
        self.cover()
        contents = self.contents_entries()
        if contents or self.document.foreword or self.document.introduction:
            self.new_section("upperRoman")
            if contents:
                self.contents(contents)
            self.front("前言", self.document.foreword, page_break=bool(contents))
            self.front("引言", self.document.introduction,
                       page_break=bool(contents or self.document.foreword))
        self.new_section("decimal")
        self.body()
        self.headers_and_footers()
        self.settings()
        stream = io.BytesIO()
        self.word.save(stream)
        return stream.getvalue()

    # Page and styles ----------------------------------------------------------------

    def page_and_styles(self) -> None:
        section = self.word.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance, section.footer_distance = Mm(12), Mm(10)
        self.defaults()
        styles = self.word.styles

        def style(name, ppr, rpr, base="Normal"):
            try:
                found = styles[name]
            except KeyError:
                found = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                if name in WORD_STYLE_IDS:
                    # Word's own style (the TOC field fills "toc 1"…): its id, not custom.
                    found.element.attrib.pop(qn("w:customStyle"), None)
                    found.element.set(qn("w:styleId"), WORD_STYLE_IDS[name])
            if name != "Normal":
                found.base_style = styles[base]
            _set_style(found, ppr, rpr)
            return found

        style("Normal", _paragraph_properties(first_line=200, align="both"), _run_properties())
        for depth in range(1, 7):
            # 章 and 条 alike: 五号黑体, the number at the left margin.
            style(f"Heading {depth}",
                  _paragraph_properties(before=50 if depth == 1 else 25,
                                        after=50 if depth == 1 else 25, keep_next=True,
                                        outline=depth - 1, align="both"),
                  _run_properties(HEI, HEI))
        style(UNTITLED_CLAUSE, _paragraph_properties(align="both"), _run_properties())
        style("Front Heading", _paragraph_properties(align="center", after=100,
                                                     keep_next=True),
              _run_properties(HEI, HEI, TITLE))
        style("Standard Title", _paragraph_properties(align="center", before=50, after=150,
                                                      keep_next=True),
              _run_properties(HEI, HEI, TITLE))
        style("Annex Heading", _paragraph_properties(align="center", after=50, keep_next=True,
                                                     page_break=True, outline=0),
              _run_properties(HEI, HEI))
        style("Note", _paragraph_properties(first_line=200, align="both"),
              _run_properties(size=SMALL))
        style("Example", _paragraph_properties(first_line=200, align="both"),
              _run_properties(size=SMALL))
        style(LIST_STYLES[1], _paragraph_properties(left=400, hanging=200, align="both"),
              _run_properties())
        style(LIST_STYLES[2], _paragraph_properties(left=600, hanging=200, align="both"),
              _run_properties())
        style(FORMULA, _paragraph_properties(align="center", before=25, after=25),
              _run_properties())
        style("Table Title", _paragraph_properties(align="center", before=25, after=25,
                                                   keep_next=True),
              _run_properties(HEI, HEI))
        style("Figure", _paragraph_properties(align="center", keep_next=True),
              _run_properties())
        style("Figure Title", _paragraph_properties(align="center", before=25, after=50),
              _run_properties(HEI, HEI))
        style("Table Text", _paragraph_properties(align="left"), _run_properties(size=SMALL))
        style("Term Number", _paragraph_properties(before=25, keep_next=True),
              _run_properties(HEI, HEI))
        style("Term", _paragraph_properties(first_line=200, keep_next=True),
              _run_properties(HEI, LATIN))
        style("Bibliography", _paragraph_properties(align="both"), _run_properties())
        toc1 = style("toc 1", _paragraph_properties(), _run_properties())
        toc2 = style("toc 2", _paragraph_properties(left=100), _run_properties())
        for toc in (toc1, toc2):
            toc.paragraph_format.tab_stops.add_tab_stop(
                Emu(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        style("Header", _paragraph_properties(), _run_properties(HEI, HEI))
        style("Footer", _paragraph_properties(), _run_properties(size=SMALL))
        style("footnote text", _paragraph_properties(), _run_properties(size=SMALL))

    def defaults(self) -> None:
        styles = self.word.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        fonts = _run_properties()
        _put(rpr, fonts.find(qn("w:rFonts")), _RPR)
        _put(rpr, fonts.find(qn("w:sz")), _RPR)
        _put(rpr, fonts.find(qn("w:szCs")), _RPR)
        _put(rpr, _element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"), _RPR)
        ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        if ppr is not None:
            _put(ppr, _element("w:spacing", after=0, line=240, lineRule="auto"), _PPR)

    def new_section(self, page_format: str) -> None:
        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        _put(section._sectPr, _element("w:pgNumType", fmt=page_format, start=1), _SECTPR)

    def headers_and_footers(self) -> None:
        self.word.settings.odd_and_even_pages_header_footer = True
        section = self.word.sections[1]  # the sections after it follow it
        for header, align in ((section.header, "right"), (section.even_page_header, "left")):
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            self.set_style(paragraph, "Header")
            _format_paragraph(paragraph, _element("w:jc", val=align))
            paragraph.add_run(self.document.number)
        for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            self.set_style(paragraph, "Footer")
            _format_paragraph(paragraph, _element("w:jc", val=align))
            self.field(paragraph, "PAGE", "1")

    def settings(self) -> None:
        # Word then fills the table of contents' page numbers and refreshes the
        # references as it opens the file.
        settings = self.word.settings.element
        if settings.find(qn("w:updateFields")) is None:
            settings.insert_element_before(_element("w:updateFields", val="true"),
                                           *_SETTINGS_AFTER_UPDATE_FIELDS)
        if self.footnotes is not None and settings.find(qn("w:footnotePr")) is None:
            # The separators written in the footnotes part, as Word names them here.
            separators = OxmlElement("w:footnotePr")
            for ident in ("-1", "0"):
                separators.append(_element("w:footnote", id=ident))
            settings.insert_element_before(separators, *_SETTINGS_AFTER_FOOTNOTE_PR)
        if self.hashed:
            variables = OxmlElement("w:docVars")
            for name, key in sorted(self.hashed.items()):
                variables.append(_element("w:docVar", name=name, val=key))
            settings.insert_element_before(variables, *_SETTINGS_AFTER_DOC_VARS)

    def name(self, key: str) -> str:
        name = bookmark_name(key)
        if name != BOOKMARK_PREFIX + key:
            self.hashed[name] = key
        return name

    # Pieces of running text -----------------------------------------------------------

    def paragraph(self, style: str, *properties):
        paragraph = self.word.add_paragraph()
        self.set_style(paragraph, style)
        if properties:
            _format_paragraph(paragraph, *properties)
        return paragraph

    def set_style(self, paragraph, style: str) -> None:
        if style == "Normal":
            return
        # The style's id set directly: python-docx's lookup by name walks every style.
        if style not in self.style_ids:
            self.style_ids[style] = self.word.styles[style].style_id
        _put(paragraph._p.get_or_add_pPr(), _element("w:pStyle", val=self.style_ids[style]),
             _PPR)

    def run(self, paragraph, text: str, rpr=None):
        run = paragraph.add_run(text)
        if rpr is not None:
            _format_run(run, rpr)
        return run

    def bookmarked(self, paragraph, key: str, write) -> None:
        """``write()`` adds runs to ``paragraph``; with a key, inside its bookmark."""
        name = self.name(key) if key else ""
        if not name or name in self.bookmarks:
            write()
            return
        self.bookmarks.add(name)
        self.next_bookmark += 1
        ident = str(self.next_bookmark)
        paragraph._p.append(_element("w:bookmarkStart", id=ident, name=name))
        write()
        paragraph._p.append(_element("w:bookmarkEnd", id=ident))

    def field(self, paragraph, instruction: str, shown: str, rpr_factory=None) -> None:
        def run():
            made = paragraph.add_run()
            if rpr_factory is not None:
                _format_run(made, rpr_factory())
            return made._r

        run().append(_element("w:fldChar", fldCharType="begin"))
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = f" {instruction} "
        run().append(code)
        run().append(_element("w:fldChar", fldCharType="separate"))
        made = paragraph.add_run(shown)
        if rpr_factory is not None:
            _format_run(made, rpr_factory())
        run().append(_element("w:fldChar", fldCharType="end"))

    def text(self, paragraph, text: str, element: Element | None = None, index: int = 0,
             rpr_factory=None) -> None:
        """Running text with its marks: references as REF fields, footnotes as footnotes."""
        for segment in segments(text, self.numbering, element, index):
            if segment.kind == "text":
                self.run(paragraph, segment.text, rpr_factory() if rpr_factory else None)
            elif segment.kind == "ref":
                self.field(paragraph, f"REF {self.name(segment.value)} \\h", segment.text,
                           rpr_factory)
            else:
                self.footnote(paragraph, segment.value, segment.text)

    def footnote(self, paragraph, note: str, mark: str) -> None:
        if self.footnotes is None:
            part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES,
                           parse_xml(_FOOTNOTES), self.word.part.package)
            self.word.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
            self.footnotes = part.element
        self.next_footnote += 1
        ident = str(self.next_footnote)
        run = paragraph.add_run()
        _format_run(run, _run_properties(size=None, superscript=True))
        # A custom mark: GB/T 1.1-2020 numbers footnotes "1)", which Word's own
        # numbering cannot print.
        run._r.append(_element("w:footnoteReference", customMarkFollows=1, id=ident))
        shown = OxmlElement("w:t")
        shown.text = mark
        run._r.append(shown)
        body = _element("w:footnote", id=ident)
        note_paragraph = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ppr.append(_element("w:pStyle", val="FootnoteText"))
        note_paragraph.append(ppr)
        for text, superscript in ((mark, True), (" " + note, False)):
            note_run = OxmlElement("w:r")
            note_run.append(_run_properties(size=SMALL, superscript=superscript))
            piece = OxmlElement("w:t")
            piece.set(qn("xml:space"), "preserve")
            piece.text = text
            note_run.append(piece)
            note_paragraph.append(note_run)
        body.append(note_paragraph)
        self.footnotes.append(body)

    # Cover ------------------------------------------------------------------------------

    def cover(self) -> None:
        doc = self.document

        def line(text, align="left", east=HEI, latin=HEI, size=BODY, *, spacing=0,
                 before=0, extra=()):
            paragraph = self.paragraph("Normal", *_paragraph_properties(align=align),
                                       *extra)
            if before:
                paragraph.paragraph_format.space_before = Pt(before)
            self.run(paragraph, text, _run_properties(east, latin, size, spacing=spacing))
            return paragraph

        if doc.ics:
            line(f"ICS {doc.ics}")
        if doc.ccs:
            line(f"CCS {doc.ccs}")
        if doc.record_number:
            line(f"备案号：{doc.record_number}")
        cover = cover_of(doc)
        if code := cover.mark:
            line(code, "right", HEI, LATIN, 26)
        if kind := cover.kind:
            size = min(36, int(400 / len(kind)))
            line(kind, "center", HEI, HEI, size, spacing=size * 2, before=18)
        rule = None
        if doc.number:
            rule = line(doc.number, "right", HEI, HEI, 14, before=12)
        if doc.replaces:
            replaces = doc.replaces if doc.replaces.startswith("代替") else \
                f"代替 {doc.replaces}"
            rule = line(replaces, "right", SONG, LATIN, BODY)
        if rule is not None:
            # The rule under the number (GB/T 1.1-2020 8.1, the cover's layout).
            _format_paragraph(rule, self.border("bottom"))
        if doc.title:
            line(doc.title, "center", HEI, HEI, 26, before=110)
        if doc.title_en:
            line(doc.title_en, "center", HEI, LATIN, 14, before=12)
        if doc.adoption:
            line(doc.adoption, "center", SONG, LATIN, 14, before=12)
        if doc.stage:
            line(f"（{doc.stage}）", "center", HEI, HEI, 14, before=18)
        dates = "\t".join(_date(day, word) for day, word in
                          ((doc.issued_on, "发布"), (doc.implemented_on, "实施")))
        frame = self.frame()
        if dates.strip():
            paragraph = line(dates, "left", HEI, LATIN, 14,
                             extra=(frame(), self.border("bottom")))
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Emu(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
        if doc.issuer:
            line(f"{doc.issuer}{NUMBER_SPACE}发布", "center", HEI, HEI, 14, extra=(frame(),))

    @staticmethod
    def border(side: str):
        borders = OxmlElement("w:pBdr")
        borders.append(_element(f"w:{side}", val="single", sz=6, space=4, color="000000"))
        return borders

    @staticmethod
    def frame():
        """A frame at the foot of the cover; paragraphs with the same frame share it."""
        height = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) * TWIPS_PER_EMU
        width = int(TEXT_WIDTH * TWIPS_PER_EMU)
        return lambda: _element("w:framePr", w=width, hAnchor="margin", vAnchor="margin",
                                xAlign="center", y=int(height - 1900), wrap="around")

    # 目次, 前言, 引言 ------------------------------------------------------------------

    def contents_entries(self) -> list[tuple[int, str]]:
        doc, entries = self.document, []
        if doc.foreword:
            entries.append((1, "前言"))
        if doc.introduction:
            entries.append((1, "引言"))
        for place in walk(doc):
            clause = place.clause
            if isinstance(clause, Annex):
                nature = "（规范性）" if clause.normative else "（资料性）"
                entries.append((1, f"附录{place.number}{nature}{clause.title}"))
            elif place.depth <= 2 and clause.title:
                entries.append((place.depth, f"{place.number}{NUMBER_SPACE}{clause.title}"))
        if doc.bibliography:
            entries.append((1, "参考文献"))
        return entries

    def contents(self, entries: list[tuple[int, str]]) -> None:
        heading = self.paragraph("Front Heading")
        self.run(heading, "目次", _run_properties(HEI, HEI, TITLE, spacing=TITLE * 20))
        last = len(entries) - 1
        for index, (depth, text) in enumerate(entries):
            paragraph = self.paragraph(f"toc {depth}")
            if index == 0:
                self.field_start(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
            paragraph.add_run(text)
            if index == last:
                paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="end"))

    def field_start(self, paragraph, instruction: str) -> None:
        paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="begin"))
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = f" {instruction} "
        paragraph.add_run()._r.append(code)
        paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="separate"))

    def front(self, word: str, elements: list[Element], page_break: bool) -> None:
        if not elements:
            return
        heading = self.paragraph("Front Heading", *_paragraph_properties(
            align="center", after=100, keep_next=True, page_break=page_break, outline=0))
        self.run(heading, word, _run_properties(HEI, HEI, TITLE, spacing=TITLE * 20))
        self.elements(elements)

    # Body -------------------------------------------------------------------------------

    def body(self) -> None:
        doc = self.document
        if doc.title:
            self.run(self.paragraph("Standard Title"), doc.title)
        for index, clause in enumerate(doc.clauses, start=1):
            self.clause(clause, str(index), 1)
        for place in walk(doc):
            if isinstance(place.clause, Annex):
                self.annex(place.clause, place.number)
        if doc.bibliography:
            heading = self.paragraph("Front Heading", *_paragraph_properties(
                align="center", after=100, keep_next=True, page_break=True, outline=0))
            self.run(heading, "参考文献", _run_properties(HEI, HEI, TITLE))
            for entry in doc.bibliography:
                paragraph = self.paragraph("Bibliography")
                self.bookmarked(paragraph, entry.key,
                                lambda p=paragraph, e=entry: self.text(p, e.text, e))

    def clause(self, clause: Clause, number_text: str, depth: int) -> None:
        elements = list(clause.elements)
        if clause.title:
            heading = self.paragraph(f"Heading {min(depth, 6)}")
            self.bookmarked(heading, clause.key,
                            lambda: heading.add_run(number_text))
            heading.add_run(NUMBER_SPACE)
            self.text(heading, clause.title)
        else:
            # An untitled 条: its number opens its first paragraph ("5.1.1　应…").
            paragraph = self.paragraph(UNTITLED_CLAUSE)
            self.bookmarked(paragraph, clause.key, lambda: self.run(
                paragraph, number_text, _run_properties(HEI, HEI)))
            if elements and type(elements[0]) is Paragraph:
                first = elements.pop(0)
                paragraph.add_run(NUMBER_SPACE)
                self.bookmarked(paragraph, first.key,
                                lambda: self.text(paragraph, first.text, first))
        self.elements(elements)
        for index, sub in enumerate(clause.subclauses, start=1):
            self.clause(sub, f"{number_text}.{index}", depth + 1)

    def annex(self, annex: Annex, letter: str) -> None:
        heading = self.paragraph("Annex Heading")
        # "附录A" with its letters spaced out, not space characters, so that a reference
        # to it (which shows the bookmark's text) reads "附录A".
        self.bookmarked(heading, annex.key, lambda: self.run(
            heading, f"附录{letter}", _run_properties(HEI, HEI, spacing=105)))
        heading.add_run("\n" + ("（规范性）" if annex.normative else "（资料性）") + "\n")
        self.text(heading, annex.title)
        self.elements(annex.elements)
        for index, sub in enumerate(annex.subclauses, start=1):
            self.clause(sub, f"{letter}.{index}", 2)

    # Elements ---------------------------------------------------------------------------

    def elements(self, elements: list[Element]) -> None:
        for element in elements:
            if isinstance(element, TermEntry):
                self.term(element)
            elif isinstance(element, Table):
                self.table(element)
            elif isinstance(element, Figure):
                self.figure(element)
            else:
                self.simple(element)

    def simple(self, element: Paragraph | ListItem | Note | Example | Formula) -> None:
        label = self.numbering.label(element)
        if isinstance(element, (Note, Example)):
            paragraph = self.paragraph("Note" if isinstance(element, Note) else "Example")
            self.bookmarked(paragraph, element.key, lambda: paragraph.add_run(label))
            paragraph.add_run("：")
            self.text(paragraph, element.text, element)
        elif isinstance(element, ListItem):
            paragraph = self.paragraph(LIST_STYLES[2 if element.level == 2 else 1])
            self.bookmarked(paragraph, element.key, lambda: paragraph.add_run(label))
            if element.style != DASH:
                paragraph.add_run(" ")
            self.text(paragraph, element.text, element)
        else:
            paragraph = self.paragraph(FORMULA if isinstance(element, Formula) else "Normal")
            self.bookmarked(paragraph, element.key,
                            lambda: self.text(paragraph, element.text, element))

    def table(self, table: Table) -> None:
        title = self.paragraph("Table Title")
        self.bookmarked(title, table.key,
                        lambda: title.add_run(self.numbering.label(table)))
        if table.title:
            title.add_run(NUMBER_SPACE)
            self.text(title, table.title, table, 0)
        rows = table.rows or [[""]]  # Word needs a cell; the reader reads one empty as none
        columns = max(len(row) for row in rows) or 1
        grid = self.word.add_table(rows=len(rows), cols=columns)
        grid.style = self.word.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        index = 1  # the cells' place in element_texts(table), for footnote numbers
        for row_number, (row, cells) in enumerate(zip(grid.rows, rows, strict=True)):
            if row_number == 0:
                properties = row._tr.get_or_add_trPr()
                properties.append(_element("w:tblHeader"))
            for column, text in enumerate(cells):
                paragraph = row.cells[column].paragraphs[0]
                self.set_style(paragraph, "Table Text")
                if row_number == 0:
                    _format_paragraph(paragraph, _element("w:jc", val="center"))
                self.text(paragraph, text, table if table.rows else None, index)
                index += 1
            if 0 < len(cells) < columns:
                # A short row: its last cell spans the rest, so it reads back as written.
                row.cells[len(cells) - 1].merge(row.cells[columns - 1])

    def figure(self, figure: Figure) -> None:
        if figure.image:
            try:
                width = Image.from_blob(figure.image).width
            except Exception:  # bytes python-docx cannot read as an image
                width = None
            if width is not None:
                paragraph = self.paragraph("Figure")
                paragraph.add_run().add_picture(io.BytesIO(figure.image),
                                                width=min(width, TEXT_WIDTH))
        title = self.paragraph("Figure Title")
        self.bookmarked(title, figure.key,
                        lambda: title.add_run(self.numbering.label(figure)))
        if figure.title:
            title.add_run(NUMBER_SPACE)
            self.text(title, figure.title, figure, 0)

    def term(self, entry: TermEntry) -> None:
        number_line = self.paragraph("Term Number")
        self.bookmarked(number_line, entry.key,
                        lambda: number_line.add_run(self.numbering.label(entry)))
        term_line = self.paragraph("Term")
        self.run(term_line, entry.preferred)
        for admitted in entry.admitted:
            self.run(term_line, f"；{admitted}", _run_properties())
        if entry.english:
            self.run(term_line, f"{NUMBER_SPACE}{entry.english}", _run_properties(HEI, LATIN))
        if entry.definition:
            self.text(self.paragraph("Normal"), entry.definition, entry, 0)
        for index, note in enumerate(entry.notes):
            paragraph = self.paragraph("Note")
            paragraph.add_run(f"{term_note_label(index)}：")
            self.text(paragraph, note, entry, index + 1)
        if entry.source:
            self.paragraph("Normal").add_run(f"[来源：{entry.source}]")
