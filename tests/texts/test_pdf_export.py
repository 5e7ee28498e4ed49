"""The PDF of a standard's text: DB 6523/T 370-2023 as published (read from its DOCX, as
the import tests do), with a table, a figure, a note, a footnote and cross-references
added where the real text points at them; the PDF read back with pypdf."""

import datetime
import io
import re

import docx
import pytest
from pypdf import PdfReader

from tests.texts.conftest import fixture_lines, png
from texts.rules.cover import cover_of
from texts.rules.docx_import import read_docx
from texts.rules.pdf_export import document_html, write_pdf
from texts.rules.structure import (
    Document,
    Example,
    Figure,
    Note,
    Paragraph,
    Table,
    footnote_mark,
    reference_mark,
)

NUMBER = "DB6523/T 370—2023"
FOOTNOTE = "GB/T 24421.2—2009 服务业组织标准化工作指南 第2部分：标准体系。"


def db6523() -> Document:
    word = docx.Document()
    for line in fixture_lines("db6523_t_370_2023.txt"):
        word.add_paragraph(line)
    data = io.BytesIO()
    word.save(data)
    data.seek(0)
    document, report = read_docx(data)
    assert report == []
    document.ics, document.ccs = "03.080.30", "A 12"
    structure = document.clauses[5].subclauses[0]  # 6.1 结构
    structure.elements = [
        Paragraph("社会保险服务标准体系由基础通用标准、社会保险服务提供标准和服务保障标准组成，"
                  f"见{reference_mark('composition')}和{reference_mark('annex-system')}。"),
        Table("社会保险服务标准体系的组成", [
            ["子体系", "内容"],
            ["基础通用标准", "标准化导则、术语标准、标志标识标准"],
            ["服务提供标准", "企业社会保险、机关事业单位社会保险等服务提供标准"],
            ["服务保障标准", "基金管理、文书档案管理、数据中心管理等"],
        ], key="composition"),
        Note("各子体系的标准见" + reference_mark("provision") + "。"),
    ]
    document.clauses[5].subclauses[3].key = "provision"  # 6.4
    reference = document.clauses[5].subclauses[1].subclauses[4]  # 6.2.5
    reference.elements[0].text = ("社会保险服务标准体系参照 GB/T 24421.2" + footnote_mark(FOOTNOTE)
                                  + " 的规定。")
    annex = document.annexes[0]
    annex.key = "annex-system"
    annex.elements = [Figure("社会保险服务标准体系结构图", png(), "system.png"),
                      Example("基础通用标准—标准化导则—GB/T 1.1。")]
    return document


@pytest.fixture(scope="module")
def pdf():
    document = db6523()
    reader = PdfReader(io.BytesIO(write_pdf(document)))
    return reader, [page.extract_text() for page in reader.pages]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def folio(text: str) -> str:
    """The page number printed at the foot: the page's last line."""
    return text.strip().splitlines()[-1].strip()


def page_of(pages: list[str], heading: str, start: int = 2) -> int:
    """The first page from ``start`` (past the cover and 目次) with a line that begins with
    ``heading``."""
    return next(index for index, text in enumerate(pages) if index >= start and any(
        compact(line).startswith(compact(heading)) for line in text.splitlines()))


def test_cover(pdf):
    _reader, pages = pdf
    cover = compact(pages[0])
    for text in ("ICS03.080.30", "CCSA12", "DB6523", "昌吉回族自治州地方标准", NUMBER,
                 "社会保险服务标准化工作指南",
                 "Guidanceforsocialinsuranceservicesstandardization",
                 "2023-02-16发布", "2023-03-10实施", "昌吉回族自治州市场监督管理局发布"):
        assert compact(text) in cover


def test_contents_point_at_the_pages(pdf):
    _reader, pages = pdf
    assert compact("目次") in compact(pages[1])
    lines = [line for line in pages[1].splitlines() if "...." in line]
    entries = {compact(line.split("..")[0]): line.rstrip(". ").split()[-1] for line in lines}
    assert list(entries)[:4] == ["前言", "1范围", "2规范性引用文件", "3术语和定义"]
    assert entries["前言"] == "II"  # 目次 itself is Ⅰ
    assert entries["1范围"] == "1"
    # Every entry's page number is the folio of the page its heading stands on (the annex
    # heading's lines: "附 录 A", "（规范性）", the title).
    for heading, printed in entries.items():
        assert folio(pages[page_of(pages, heading.split("（")[0])]) == printed, heading
    assert "附录A（规范性）社会保险服务标准体系" in entries
    assert "参考文献" in entries


def test_body_starts_again_at_one_with_the_title(pdf):
    _reader, pages = pdf
    foreword = page_of(pages, "前言")
    assert folio(pages[foreword]) == "II"
    body = page_of(pages, "1范围")
    assert compact(pages[body]).startswith(compact("社会保险服务标准化工作指南1范围"))
    assert folio(pages[body]) == "1"
    lines = [compact(line) for text in pages[body:] for line in text.splitlines()]
    headings = ["1范围", "2规范性引用文件", "3术语和定义", "3.1", "3.2", "4基本原则",
                "4.1科学规划", "5管理要求", "5.1.1应确定", "6标准体系", "6.1结构",
                "6.4社会保险服务提供标准", "7.3.2标准的编写", "8监督与评价", "8.3标准的实施"]
    # Each heading begins a line, in this order.
    found = [next(index for index, line in enumerate(lines) if line.startswith(heading))
             for heading in headings]
    assert found == sorted(found)


def test_terms_lists_and_notes(pdf):
    _reader, pages = pdf
    whole = compact("".join(pages))
    assert "3.1标准化文件standardizingdocument通过标准化活动制定的文件。" in whole
    assert "[来源：GB/T1.1-2020,5.2]" in whole
    assert "注1：社会保险包括" in whole
    assert "——企业社会保险登记办理" in whole
    assert "a)起草阶段" in whole and "1)内部组织标准" in whole


def test_cross_references_tables_and_footnotes(pdf):
    reader, pages = pdf
    whole = compact("".join(pages))
    assert "组成，见表1和附录A。" in whole
    assert "表1社会保险服务标准体系的组成子体系内容基础通用标准" in whole
    assert "注：各子体系的标准见6.4。" in whole
    # The references are links to their targets' pages.
    table_page = page_of(pages, "表1社会保险服务标准体系的组成")
    links = [annotation.get_object() for annotation in
             reader.pages[table_page].get("/Annots", [])]
    assert len([link for link in links if link["/Subtype"] == "/Link"]) >= 3
    # The footnote: "1)" after the reference in the text, "1) …" at the foot of its page.
    page = page_of(pages, "6.2.5")
    text = compact(pages[page])
    assert "GB/T24421.21)的规定。" in text
    assert compact("1) " + FOOTNOTE) in text


def test_annex_figure_and_bibliography(pdf):
    _reader, pages = pdf
    annex = page_of(pages, "附录A")
    text = compact(pages[annex])
    assert text.startswith("附录A（规范性）社会保险服务标准体系")
    assert "图A.1社会保险服务标准体系结构图" in text
    assert "示例：基础通用标准" in text
    bibliography = page_of(pages, "参考文献")
    assert bibliography > annex
    assert "[1]GB/T27768社会保险服务总则" in compact(pages[bibliography])


def test_running_header_on_the_outer_side(pdf):
    reader, pages = pdf
    body = page_of(pages, "1范围")
    width = float(reader.pages[body].mediabox.width)
    for index in range(1, len(pages)):
        if not pages[index].strip():
            continue  # a blank verso
        assert NUMBER in pages[index]
        spots = []

        def visit(text, cm, tm, _font, _size, spots=spots):
            if NUMBER in text:
                spots.append(tm[4] * cm[0] + cm[4])

        reader.pages[index].extract_text(visitor_text=visit)
        odd = folio(pages[index]) in ("I", "III", "V") or (
            folio(pages[index]).isdigit() and int(folio(pages[index])) % 2)
        assert spots and (spots[0] > width / 2) == bool(odd), index


def test_only_the_two_noto_faces_are_embedded(pdf):
    reader, _pages = pdf
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts == {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}


def test_user_text_is_escaped():
    document = Document(number="Q/CJSB 001—2026", title="<b>经办</b> & \"规程\"",
                        issuer="</style><script>x</script>",
                        clauses=[])
    html = document_html(document)
    assert "<b>经办</b>" not in html and "&lt;b&gt;经办&lt;/b&gt; &amp; &quot;规程&quot;" in html
    assert "<script>" not in html


@pytest.mark.parametrize(("number", "issuer", "mark", "kind"), [
    ("GB/T 1.1—2020", "", "GB", "中华人民共和国国家标准"),
    ("GB 2894—2008", "", "GB", "中华人民共和国国家标准"),
    ("GB/Z 20000.11—2008", "", "GB/Z", "中华人民共和国国家标准化指导性技术文件"),
    ("DB6523/T 370—2023", "", "DB 6523", "昌吉回族自治州地方标准"),
    ("DB65/T 3960—2016", "", "DB 65", "新疆维吾尔自治区地方标准"),
    ("Q/CJSB 001—2026", "", "Q/CJSB", "企业标准"),
    ("T/CAS 115—2005", "", "T/CAS", "团体标准"),
    ("GB/T ×××××—××××", "", "GB", "中华人民共和国国家标准"),
    ("DB65/T ××××—××××", "", "DB 65", "新疆维吾尔自治区地方标准"),
    # 66 is the Production and Construction Corps, named by its issuer only.
    ("DB66/T ××××—××××", "新疆生产建设兵团市场监督管理局", "DB 66", "新疆生产建设兵团地方标准"),
    ("DB66/T 1—2020", "新疆生产建设兵团市场监督管理局", "DB 66", "新疆生产建设兵团地方标准"),
])
def test_the_cover_kind_comes_from_the_number(number, issuer, mark, kind):
    cover = cover_of(Document(number=number, issuer=issuer))
    assert (cover.mark, cover.kind) == (mark, kind)


def test_a_draft_cover():
    document = Document(
        number="GB/T ×××××—××××", title="社会保险经办服务规范", title_en="Specification",
        replaces="GB/T 32621—2016", adoption="(ISO 9001:2015, MOD)", record_number="",
        stage="征求意见稿", issuer="国家市场监督管理总局\n国家标准化管理委员会",
        issued_on=None, implemented_on=datetime.date(2027, 1, 1),
        clauses=[])
    html = document_html(document)
    for text in ("中华人民共和国国家标准", "代替 GB/T 32621—2016", "（征求意见稿）",
                 "××××-××-×× 发布", "2027-01-01 实施", "国家标准化管理委员会"):
        assert text in html
