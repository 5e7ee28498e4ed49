"""A comparison of two drafts (``texts.rules.compare``) as a DOCX report whose changes are
Word's own tracked revisions: words inserted stand in ``w:ins``, words deleted in ``w:del``
(``w:delText``), so Word and WPS show them in colour and can accept or reject them.

The report: its heading, the two drafts' names, how many clauses changed; the cover fields
that differ; then one heading per changed clause ("5.2 标题 → 5.3 标题", with ［新增］,
［删除］ or ［移动］), its title's changes, and each changed element with its label ("注1",
"表1", "3.2") and its words. An added element is one insertion, a removed one one
deletion. Fonts are set as the standard's DOCX sets them (``docx_export``): 宋体 and
黑体 named in ``w:eastAsia``, Times New Roman for Latin text.
"""

from __future__ import annotations

import datetime
import io
import itertools

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from texts.rules.compare import (
    LABELS,
    Comparison,
    CoverChange,
    Diff,
    clause_line,
    counts_line,
    element_marks,
)
from texts.rules.docx_export import (
    _PPR,
    _RPR,
    BODY,
    HEI,
    LATIN,
    SONG,
    TITLE,
    _element,
    _paragraph_properties,
    _put,
    _run_properties,
    _set_style,
)

HEADING_DEPTHS = 3  # deeper 条 take the third level's style
REPORT_TITLE = "Title"


def write_comparison_docx(comparison: Comparison, old_title: str, new_title: str,
                          heading: str = "", labels: dict | None = None, *,
                          author: str = "", date: datetime.datetime | None = None) -> bytes:
    """The comparison as the bytes of a DOCX report with tracked revisions; ``labels``
    overrides words of ``compare.LABELS``, ``author`` and ``date`` stamp the revisions
    (by default the report's heading and now)."""
    labels = {**LABELS, **(labels or {})}
    return _Report(comparison, labels, author or heading or labels["author"],
                   date or datetime.datetime.now(datetime.UTC)).write(
        heading or labels["heading"], old_title, new_title)


def _fonts(east: str, latin: str, size: float | None):
    """Run properties naming the fonts, without the standard's black: Word colours the
    revisions by their author."""
    properties = _run_properties(east, latin, size)
    properties.remove(properties.find(qn("w:color")))
    return properties


class _Report:
    def __init__(self, comparison: Comparison, labels: dict, author: str,
                 date: datetime.datetime):
        self.comparison = comparison
        self.labels = labels
        self.author = author
        self.date = date.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.ids = itertools.count(1)
        self.word = docx.Document()

    def write(self, heading: str, old_title: str, new_title: str) -> bytes:
        self.styles()
        self.line(REPORT_TITLE, heading, HEI)
        self.line("Normal", f"{old_title} → {new_title}")
        self.line("Normal", counts_line(self.comparison, self.labels))
        if self.comparison.cover:
            self.line("Heading 1", self.labels["cover"], HEI)
            for change in self.comparison.cover:
                self.cover(change)
        for clause in self.comparison.changed():
            depth = min(clause.depth, HEADING_DEPTHS)
            self.line(f"Heading {depth}", clause_line(clause, self.labels), HEI)
            if clause.status not in ("added", "removed") and clause.old_title != clause.new_title:
                paragraph = self.paragraph("Normal")
                self.run(paragraph, f"{self.labels['title']}：")
                self.revisions(paragraph, clause.title_diff)
            for element in clause.changed_elements():
                paragraph = self.paragraph("Normal")
                prefix = element.label + element_marks(element, self.labels, clause)
                if prefix:
                    self.run(paragraph, prefix + "　", HEI)
                self.revisions(paragraph, element.diff)
        stream = io.BytesIO()
        self.word.save(stream)
        return stream.getvalue()

    def cover(self, change: CoverChange) -> None:
        paragraph = self.paragraph("Normal")
        self.run(paragraph, f"{self.labels.get(change.field, change.field)}：", HEI)
        self.revisions(paragraph, change.diff)

    # Styles and runs --------------------------------------------------------------------

    def styles(self) -> None:
        # The template's theme fonts would win over names left beside them: every style
        # used is set whole, and the defaults name the fonts too.
        defaults = self.word.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        fonts = _run_properties()
        for name in ("w:rFonts", "w:sz", "w:szCs"):
            _put(rpr, fonts.find(qn(name)), _RPR)
        _put(rpr, _element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"), _RPR)
        ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        if ppr is not None:
            _put(ppr, _element("w:spacing", after=0, line=240, lineRule="auto"), _PPR)
        styles = self.word.styles
        _set_style(styles["Normal"], _paragraph_properties(align="both", after=25),
                   _fonts(SONG, LATIN, BODY))
        _set_style(styles[REPORT_TITLE], _paragraph_properties(align="center", after=100),
                   _fonts(HEI, HEI, TITLE))
        for depth in range(1, HEADING_DEPTHS + 1):
            _set_style(styles[f"Heading {depth}"],
                       _paragraph_properties(before=50, after=25, keep_next=True,
                                             outline=depth - 1),
                       _fonts(HEI, HEI, BODY if depth > 1 else 12))
        self.style_ids = {name: styles[name].style_id for name in
                          (REPORT_TITLE, *(f"Heading {d}" for d in
                                           range(1, HEADING_DEPTHS + 1)))}

    def paragraph(self, style: str):
        paragraph = self.word.add_paragraph()
        if style != "Normal":
            _put(paragraph._p.get_or_add_pPr(),
                 _element("w:pStyle", val=self.style_ids[style]), _PPR)
        return paragraph

    def line(self, style: str, text: str, east: str = SONG) -> None:
        self.run(self.paragraph(style), text, east)

    @staticmethod
    def properties(east: str = SONG):
        # Sizes come from the paragraph's style; the fonts are named on every run.
        return _fonts(east, HEI if east == HEI else LATIN, None)

    def run(self, paragraph, text: str, east: str = SONG) -> None:
        paragraph._p.append(self.text_run(text, "w:t", east))

    def text_run(self, text: str, tag: str, east: str = SONG):
        """A ``w:r`` of ``text`` (lines broken at "\\n") in ``w:t`` or ``w:delText``."""
        run = OxmlElement("w:r")
        run.append(self.properties(east))
        for index, line in enumerate(text.split("\n")):
            if index:
                run.append(OxmlElement("w:br"))
            if line:
                piece = OxmlElement(tag)
                piece.set(qn("xml:space"), "preserve")
                piece.text = line
                run.append(piece)
        return run

    def revisions(self, paragraph, diff: Diff) -> None:
        """The words of ``diff`` as runs: unchanged ones plain, the others in ``w:ins`` or
        ``w:del`` revisions."""
        for kind, text in diff:
            if kind == "same":
                self.run(paragraph, text)
                continue
            revision = _element(f"w:{kind}", id=next(self.ids), author=self.author,
                                date=self.date)
            revision.append(self.text_run(text, "w:delText" if kind == "del" else "w:t"))
            paragraph._p.append(revision)

