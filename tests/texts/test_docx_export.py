"""Writing a text as a GB/T 1.1-2020 DOCX and reading it back: the same structure, element
for element, with its keys, cross-references and footnotes. Three documents of different
shapes (annexes; tables, figures, formulas and lists; the terms of GB/T 1.1-2020 clause
3 as printed) and DB 6523/T 370-2023 as published."""

import datetime
import io
import re
import struct
import zipfile
import zlib

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.texts.conftest import fixture_lines
from texts.rules import docx_export, docx_import
from texts.rules.cover import cover_of
from texts.rules.docx_export import bookmark_name, write_docx
from texts.rules.docx_import import read_docx
from texts.rules.structure import (
    DASH,
    LETTER,
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
    number,
    walk,
)


def picture() -> bytes:
    """A real PNG of 96×64 pixels: drawn with Pillow where it is installed, else written
    out (a white image with a black frame)."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        rows = b""
        for y in range(64):
            row = bytes(0 if y in (0, 63) or x in (0, 95) else 255 for x in range(96))
            rows += b"\x00" + row
        def chunk(kind, data):
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
        return (b"\x89PNG\r\n\x1a\n"
                + chunk(b"IHDR", struct.pack(">IIBBBBB", 96, 64, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    image = Image.new("RGB", (96, 64), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 95, 63), outline="black")
    draw.rectangle((12, 20, 40, 44), fill="navy")
    draw.line((40, 32, 60, 32), fill="black", width=2)
    draw.rectangle((60, 20, 84, 44), outline="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def round_trip(document: Document) -> tuple[Document, list]:
    back, report = read_docx(io.BytesIO(write_docx(document)))
    return back, report


def comparable(document: Document) -> dict:
    """``as_dict()`` less what a DOCX does not keep: the file name of a picture (Word names
    its media image1.png, image2.png…)."""
    data = document.as_dict()

    def blank_names(value):
        if isinstance(value, dict):
            if value.get("type") == "Figure":
                value["image_name"] = ""
            for item in value.values():
                blank_names(item)
        elif isinstance(value, list):
            for item in value:
                blank_names(item)

    blank_names(data)
    return data


def key_everything(document: Document, prefix: str) -> None:
    """A key on every part that has none, as the database gives them."""
    count = 0

    def give(part):
        nonlocal count
        if not part.key:
            count += 1
            part.key = f"{prefix}{count:03d}"

    for element in [*document.foreword, *document.introduction, *document.bibliography]:
        give(element)
    for place in walk(document):
        give(place.clause)
        for element in place.clause.elements:
            give(element)


COVER = dict(
    ics="03.080.30", ccs="A 12", issued_on=datetime.date(2023, 2, 16),
    implemented_on=datetime.date(2023, 3, 10), issuer="昌吉回族自治州市场监督管理局",
)


# 1. Annexes: a normative and an informative one, each with 条, notes and examples ------

def with_annexes() -> Document:
    return Document(
        number="DB6523/T 371—2024", title="社会保险经办窗口服务规范",
        title_en="Specification for social insurance handling window services",
        record_number="81234—2024", replaces="代替 DB6523/T 371—2019", stage="征求意见稿",
        **COVER,
        foreword=[
            Paragraph("本文件按照GB/T 1.1—2020《标准化工作导则 第1部分：标准化文件的结构和起草"
                      "规则》的规定起草。"),
            Paragraph("本文件代替DB6523/T 371—2019，与DB6523/T 371—2019相比，除结构调整和编辑性"
                      "改动外，主要技术变化如下：增加了服务评价（见⟦ref:annex-evaluation⟧）。"),
            Paragraph("本文件由昌吉回族自治州社会保险管理局提出、归口并组织实施。"),
        ],
        introduction=[Paragraph("窗口是社会保险经办机构面向参保单位和个人的服务场所⟦fn:本文件所称"
                                "窗口包括实体窗口和网上经办窗口。⟧。")],
        clauses=[
            Clause("范围", [Paragraph("本文件规定了社会保险经办窗口的设置、服务要求和服务评价。"),
                            Paragraph("本文件适用于昌吉州各级社会保险经办机构的窗口服务。")],
                   key="scope"),
            Clause("规范性引用文件", [
                Paragraph("下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。"),
                Paragraph("GB/T 34414 社会保险经办绩效评价"),
            ]),
            Clause("术语和定义", [
                Paragraph("下列术语和定义适用于本文件。"),
                TermEntry("经办窗口", "社会保险经办机构受理参保单位和个人业务的服务场所。",
                          admitted=["服务窗口"], english="handling window",
                          notes=["包括实体窗口和网上经办窗口。"], key="window"),
            ]),
            Clause("服务要求", subclauses=[
                Clause("窗口设置", [
                    Paragraph("窗口应按⟦ref:annex-evaluation⟧的指标设置，布局示例见"
                              "⟦ref:annex-layout⟧。"),
                    Note("窗口数量按服务人口确定。"),
                    Note("可设置流动窗口。", key="note-mobile"),
                ], key="setting"),
                Clause("服务时间", subclauses=[
                    Clause("", [Paragraph("工作日应全天开放窗口。"),
                                Example("周一至周五 9:00—18:00。")], key="hours"),
                    Clause("", [Paragraph("节假日前后可延长服务时间，见⟦ref:hours⟧和"
                                          "⟦ref:note-mobile⟧。")]),
                    Clause("", [Note("节假日安排以当地人民政府公告为准。")]),  # its number alone
                ]),
            ]),
        ],
        annexes=[
            Annex("窗口服务评价指标", True, [
                Paragraph("评价按GB/T 34414的规定进行"
                          "⟦fn:GB/T 34414—2017 社会保险经办绩效评价。⟧。"),
            ], [
                Clause("评价指标", [
                    Paragraph("评价指标包括办理时限、一次办结率和满意度。"),
                    Note("满意度按年度统计。"),
                    Example("一次办结率 = 一次办结件数 ÷ 受理件数。"),
                    Example("满意度 = 满意评价数 ÷ 评价总数。"),
                ], key="indicators"),
                Clause("评价周期", [
                    Paragraph("每年评价一次，结果用于改进服务（见⟦ref:setting⟧）。")]),
            ], key="annex-evaluation"),
            Annex("窗口布局示例", False, [Paragraph("窗口布局可参照下列示例。")], [
                Clause("综合柜员制窗口", [
                    Paragraph("各窗口均可受理全部业务。"),
                    Example("昌吉市社会保险服务大厅设综合窗口8个。"),
                    Note("综合柜员制的指标见⟦ref:indicators⟧。"),
                ]),
                Clause("分类受理窗口", [Paragraph("按险种设置窗口。")]),
            ], key="annex-layout"),
        ],
        bibliography=[Paragraph("[1] GB/T 27768 社会保险服务 总则"),
                      Paragraph("[2] GB/T 34414 社会保险经办绩效评价")],
    )


def test_a_text_with_annexes_reads_back_element_for_element():
    document = with_annexes()
    key_everything(document, "a")
    back, report = round_trip(document)
    assert report == []
    assert comparable(back) == comparable(document)
    numbering = number(back)
    assert [numbering.reference(k) for k in
            ("annex-evaluation", "annex-layout", "hours", "note-mobile", "indicators")] == [
        "附录A", "附录B", "4.2.1", "注2", "A.1"]
    assert back.annexes[0].subclauses[0].elements[2] == document.annexes[0].subclauses[0] \
        .elements[2]
    assert back.clauses[2].elements[1].admitted == ["服务窗口"]
    assert back.introduction[0].text.endswith("⟦fn:本文件所称窗口包括实体窗口和网上经办窗口。⟧。")


# 2. Tables, figures, formulas and lists of every style ------------------------------

def with_tables_and_figures() -> Document:
    # The number and title of GB/T 34414 as DB 6523/T 370-2023 cites it; the clauses are
    # written for the test, and the cover gives no dates (the issuer is read without them).
    return Document(
        number="GB/T 34414—2017", title="社会保险经办绩效评价",
        title_en="Performance evaluation of social insurance handling",
        ics="03.080.30", ccs="A 12",
        issuer="中华人民共和国国家质量监督检验检疫总局\u3000中国国家标准化管理委员会",
        clauses=[
            Clause("范围", [Paragraph("本文件规定了社会保险经办绩效评价的指标和方法。")]),
            Clause("规范性引用文件", [Paragraph("本文件没有规范性引用文件。")]),
            Clause("术语和定义", [Paragraph("本文件没有需要界定的术语和定义。")]),
            Clause("评价指标", [
                Paragraph("评价指标见⟦ref:indicators⟧，其结构见⟦ref:structure⟧。"),
                Table("评价指标", [
                    ["一级指标", "二级指标", "权重"],
                    ["服务效率", "办理时限⟦fn:自受理之日起计算。⟧", "30"],
                    ["服务质量", "一次办结率", "40"],
                    ["备注：权重合计100"],  # a short row: its cell spans the row
                ], key="indicators"),
                Figure("评价指标结构", picture(), "structure.png", key="structure"),
                Figure("评价流程", b"", "", key="flow"),  # still to be drawn
                Note("权重可按年度调整，见⟦ref:weights⟧。"),
            ]),
            Clause("评价方法", [
                Paragraph("综合得分按下式计算："),
                Formula("S = Σ wᵢ × sᵢ", key="score"),
                Paragraph("式中："),
                ListItem("S——综合得分；", DASH),
                ListItem("wᵢ——第i项指标的权重；", DASH),
                ListItem("取值为0到1之间的小数；", DASH, 2),
                Paragraph("评价分为下列步骤："),
                ListItem("采集数据；", LETTER),
                ListItem("计算得分：", LETTER, key="step-score"),
                ListItem("计算各项指标得分；", NUMBER, 2),
                ListItem("按权重汇总；", NUMBER, 2),
                ListItem("形成评价报告。", LETTER),
                Paragraph("评价报告包括："),
                ListItem("评价结论；", NUMBER),
                ListItem("改进建议。", NUMBER),
                Paragraph("得分计算见⟦ref:step-score⟧。"),
            ]),
        ],
        annexes=[Annex("权重表", True, [
            Table("指标权重", [["指标", "权重"], ["办理时限", "0.3"]], key="weights"),
            Table("待补充的指标", []),
            Figure("权重分布", picture(), "weights.png"),
        ])],
    )


def test_tables_figures_formulas_and_lists_read_back():
    document = with_tables_and_figures()
    key_everything(document, "b")
    back, report = round_trip(document)
    assert report == []
    assert comparable(back) == comparable(document)
    evaluation = back.clauses[3]
    table, figure, undrawn = evaluation.elements[1:4]
    assert table.rows[3] == ["备注：权重合计100"]
    assert figure.image == picture() and undrawn.image == b""
    numbering = number(back)
    assert [numbering.label(e) for e in (table, figure, undrawn)] == ["表1", "图1", "图2"]
    assert numbering.reference("weights") == "表A.1"
    methods = back.clauses[4].elements
    assert [(e.style, e.level, numbering.label(e)) for e in methods
            if isinstance(e, ListItem)] == [
        (DASH, 1, "——"), (DASH, 1, "——"), (DASH, 2, "·"), (LETTER, 1, "a)"),
        (LETTER, 1, "b)"), (NUMBER, 2, "1)"), (NUMBER, 2, "2)"), (LETTER, 1, "c)"),
        (NUMBER, 1, "1)"), (NUMBER, 1, "2)")]
    assert methods[1] == Formula("S = Σ wᵢ × sᵢ", key="score")
    assert table.rows[1][1] == "办理时限⟦fn:自受理之日起计算。⟧"


# 3. Terms: GB/T 1.1-2020 clause 3 as printed ---------------------------------------

def term(number_, preferred, english, definition, notes=(), key=""):
    return TermEntry(preferred, definition, english=english, notes=list(notes),
                     source=f"GB/T 1.1—2020，{number_}", key=key)


def with_terms() -> Document:
    provision = "⟦ref:provision⟧"
    standard = "⟦ref:standard⟧"
    entries = [
        TermEntry("标准化文件", "通过标准化活动制定的文件。", english="standardizing document",
                  source="GB/T 20000.1—2014，5.2", key="standardizing-document"),
        TermEntry("标准", "通过标准化活动，按照规定的程序经协商一致制定，为各种活动或其结果提供"
                  "规则、指南或特性，供共同使用和重复使用的文件。", english="standard",
                  source="GB/T 20000.1—2014，5.3", key="standard"),
        term("3.1.3", "基础标准", "basic standard",
             f"以相互理解为编制目的形成的具有广泛适用范围的标准（{standard}）。",
             ["通常包括术语标准、符号标准、分类标准、试验标准等。"]),
        term("3.1.4", "通用标准", "general standard",
             f"包含某个或多个特定领域普遍适用的条款（{provision}）的标准（{standard}）。",
             ["通用标准在其名称中常包含词语“通用”，例如通用规范、通用技术要求等。"]),
        term("3.2.1", "结构", "structure", "文件中层次、要素以及附录、图和表的位置和排列顺序。"),
        term("3.2.3", "规范性要素", "normative element",
             f"界定文件范围或设定条款（{provision}）的要素。"),
        term("3.2.4", "资料性要素", "informative element",
             "给出有助于文件的理解或使用的附加信息的要素。"),
        term("3.2.5", "必备要素", "required element", "在文件中必不可少的要素。"),
        term("3.2.6", "可选要素", "optional element",
             "在文件中存在与否取决于起草特定文件的具体需要的要素。"),
        term("3.3.1", "条款", "provision",
             "在文件中表达应用该文件需要遵守、符合、理解或作出选择的表述。", key="provision"),
        term("3.3.2", "要求", "requirement",
             f"表达声明符合该文件需要满足的客观可证实的准则，并且不允许存在偏差的条款（{provision}）。"),
        term("3.3.3", "指示", "instruction", f"表达需要履行的行动的条款（{provision}）。"),
    ]
    # The bureau's own standard quoting them (its number as catalog.rules.numbers shows
    # one); the entries as GB/T 1.1-2020 prints them, 来源 giving where.
    return Document(
        number="Q/CJSB 001—2026", title="标准化文件起草用语",
        title_en="Terms for drafting standardizing documents",
        ics="01.120", ccs="A 00", issued_on=datetime.date(2026, 1, 5),
        implemented_on=datetime.date(2026, 2, 1), issuer="昌吉回族自治州社会保险管理局",
        clauses=[
            Clause("范围", [Paragraph("本文件界定了起草标准化文件常用的术语。")]),
            Clause("规范性引用文件", [
                Paragraph("下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。"),
                Paragraph("GB/T 1.1—2020 标准化工作导则 第1部分：标准化文件的结构和起草规则"),
            ]),
            Clause("术语和定义", [
                Paragraph("GB/T 1.1—2020界定的以及下列术语和定义适用于本文件⟦fn:术语按GB/T 1.1—2020"
                          "第3章的顺序排列。⟧。"),
                *entries,
            ]),
            Clause("使用", [Paragraph(f"条款（{provision}）的类型见GB/T 1.1—2020附录C。")]),
        ],
    )


def test_term_entries_read_back_as_printed():
    document = with_terms()
    key_everything(document, "c")
    back, report = round_trip(document)
    assert report == []
    assert comparable(back) == comparable(document)
    entries = back.clauses[2].elements[1:]
    assert len(entries) == 12 and all(isinstance(e, TermEntry) for e in entries)
    numbering = number(back)
    assert [numbering.label(e) for e in entries][:3] == ["3.1", "3.2", "3.3"]
    assert numbering.reference("provision") == "3.10"
    assert entries[5].english == "normative element"
    assert entries[10].definition.endswith("条款（⟦ref:provision⟧）。")
    assert entries[2].notes == ["通常包括术语标准、符号标准、分类标准、试验标准等。"]
    assert entries[0].source == "GB/T 20000.1—2014，5.2"


def test_cross_references_and_footnotes_are_word_fields_and_footnotes():
    data = write_docx(with_terms())
    word = docx.Document(io.BytesIO(data))
    body = word.element.body
    names = [e.get(qn("w:name")) for e in body.iter(qn("w:bookmarkStart"))]
    assert "_ref_provision" in names and "_ref_standard" in names
    instructions = [e.text for e in body.iter(qn("w:instrText"))]
    assert " REF _ref_provision \\h " in instructions
    assert any(i.strip().startswith("TOC") for i in instructions)
    # The REF field shows the number of the target as it stands: 3.10.
    xml = body.xml
    start = xml.index("REF _ref_provision")
    assert "<w:t>3.10</w:t>" in xml[start:start + 600]
    notes = [rel.target_part for rel in word.part.rels.values()
             if rel.reltype.endswith("/footnotes")]
    assert len(notes) == 1 and "术语按GB/T 1.1—2020第3章的顺序排列。" in notes[0].blob.decode()
    references = list(body.iter(qn("w:footnoteReference")))
    assert len(references) == 1 and references[0].getparent().xpath("string(w:t)") == "1)"


def test_a_key_word_cannot_hold_in_a_bookmark_comes_back():
    assert bookmark_name("3f9a1c0e7b2d") == "_ref_3f9a1c0e7b2d"
    odd = bookmark_name("annex-evaluation")
    assert odd.startswith("_ref_h") and len(odd) <= 40
    back, _report = round_trip(with_annexes())
    assert back.annexes[0].key == "annex-evaluation"
    assert "⟦ref:annex-evaluation⟧" in back.foreword[1].text


# The cover, the header, the fonts ----------------------------------------------------

def test_cover_header_and_fonts():
    word = docx.Document(io.BytesIO(write_docx(with_annexes())))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    cover = []
    for paragraph in word.paragraphs:
        if paragraph.text == "目次":
            break
        if paragraph.text:
            cover.append(paragraph.text)
    assert cover == [
        "ICS 03.080.30", "CCS A 12", "备案号：81234—2024", "DB 6523", "昌吉回族自治州地方标准",
        "DB6523/T 371—2024", "代替 DB6523/T 371—2019", "社会保险经办窗口服务规范",
        "Specification for social insurance handling window services", "（征求意见稿）",
        "2023-02-16 发布\t2023-03-10 实施", "昌吉回族自治州市场监督管理局\u3000发布"]
    number_line = next(p for p in word.paragraphs if p.text == "DB6523/T 371—2024")
    assert number_line.alignment == 2  # right
    # Header and page number from the first section after the cover on.
    assert word.sections[0].header.is_linked_to_previous
    front = word.sections[1]
    assert front.header.paragraphs[0].text == "DB6523/T 371—2024"
    assert front.even_page_header.paragraphs[0].text == "DB6523/T 371—2024"
    assert " PAGE " in [e.text for e in front.footer._element.iter(qn("w:instrText"))]
    assert word.sections[2]._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")) == "decimal"

    def east_asian(style):
        return style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia"))

    styles = word.styles
    assert east_asian(styles["Normal"]) == "宋体" and styles["Normal"].font.size.pt == 10.5
    assert all(east_asian(styles[f"Heading {d}"]) == "黑体" for d in range(1, 7))
    assert styles["Note"].font.size.pt == 9 and east_asian(styles["Note"]) == "宋体"
    heading = next(p for p in word.paragraphs
                   if p.text == "4.1\u3000窗口设置" and not p.style.name.startswith("toc"))
    assert heading.style.name == "Heading 2"
    annex = next(p for p in word.paragraphs if p.style.name == "Annex Heading")
    assert annex.text == "附录A\n（规范性）\n窗口服务评价指标"
    assert annex.style.paragraph_format.page_break_before
    # 目次: 章, titled 条 to the second level, annexes with their nature; no term entries.
    assert [p.text for p in word.paragraphs if p.style.name.startswith("toc")] == [
        "前言", "引言", "1\u3000范围", "2\u3000规范性引用文件", "3\u3000术语和定义",
        "4\u3000服务要求", "4.1\u3000窗口设置", "4.2\u3000服务时间",
        "附录A（规范性）窗口服务评价指标", "A.1\u3000评价指标", "A.2\u3000评价周期",
        "附录B（资料性）窗口布局示例", "B.1\u3000综合柜员制窗口", "B.2\u3000分类受理窗口",
        "参考文献"]


def test_the_reader_knows_the_names_the_writer_gives():
    assert (docx_import.BOOKMARK_PREFIX, docx_import.UNTITLED_CLAUSE, docx_import.FORMULA) == (
        docx_export.BOOKMARK_PREFIX, docx_export.UNTITLED_CLAUSE, docx_export.FORMULA)
    assert docx_import.LIST_LEVELS == {v: k for k, v in docx_export.LIST_STYLES.items()}


def test_the_kind_line_follows_the_number():
    numbers = ("GB/T 1.1—2020", "GB/Z 20000.11—2008", "DB6523/T 370—2023", "DB65/T 3456—2012",
               "LD/T 90—2012", "T/CAS 115—2005", "Q/CJSB 001—2026", "")
    assert [cover_of(Document(number=n)).kind for n in numbers] == [
        "中华人民共和国国家标准", "中华人民共和国国家标准化指导性技术文件",
        "昌吉回族自治州地方标准", "新疆维吾尔自治区地方标准",
        "中华人民共和国劳动和社会保障行业标准", "团体标准", "企业标准", ""]
    codes = ("GB/T 1.1—2020", "DB6523/T 370—2023", "T/CAS 115—2005")
    assert [cover_of(Document(number=n)).mark for n in codes] == ["GB", "DB 6523", "T/CAS"]


# DB 6523/T 370-2023 as published ------------------------------------------------------

def test_db6523_survives_export_and_import(make_docx):
    published, report = read_docx(make_docx(fixture_lines("db6523_t_370_2023.txt")))
    assert report == []
    back, report = round_trip(published)
    assert report == []
    assert comparable(back) == comparable(published)


# Word's own cross-references in an ordinary file ------------------------------------

def _bookmark(paragraph, name):
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "7")
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), "7")
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _reference(paragraph, name, shown):
    for kind, text in (("begin", None), (None, f" REF {name} \\r \\h "), ("separate", None),
                       (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text.startswith(" REF"):
            code = OxmlElement("w:instrText")
            code.text = text
            run._r.append(code)
        else:
            run.text = text


def test_word_cross_references_of_an_ordinary_file(tmp_path):
    word = docx.Document()
    for line in ("1 范围", "本文件规定了窗口服务要求。", "2 要求"):
        word.add_paragraph(line)
    _bookmark(word.paragraphs[-1], "_Ref100")
    lead = word.add_paragraph("2.1 应按")
    _reference(lead, "_Ref100", "2")
    lead.add_run("的规定，并见")
    _reference(lead, "_Ref200", "表9")  # its bookmark stands on no part
    lead.add_run("。")
    cell = word.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "综合受理"
    _bookmark(cell.paragraphs[0], "_Ref200")
    path = tmp_path / "ordinary.docx"
    word.save(path)
    document, report = read_docx(path)
    assert report == []
    requirements = document.clauses[1]
    assert requirements.key == "_Ref100"
    assert requirements.subclauses[0].elements[0].text == "应按⟦ref:_Ref100⟧的规定，并见表9。"
    assert number(document).reference("_Ref100") == "2"


def test_footnotes_word_numbers_itself_read_the_same():
    """Word's own footnotes (numbered by Word, ``w:footnoteRef`` before the note) read as
    the custom marks written here do."""
    source = io.BytesIO(write_docx(with_annexes()))
    parts = {}
    with zipfile.ZipFile(source) as package:
        for name in package.namelist():
            parts[name] = package.read(name)
    body = parts["word/document.xml"].decode()
    body = re.sub(r'<w:footnoteReference w:customMarkFollows="1" (w:id="\d+")/><w:t>[^<]*</w:t>',
                  r"<w:footnoteReference \1/>", body)
    notes = re.sub(r"<w:r><w:rPr>(?:(?!</w:rPr>).)*superscript(?:(?!</w:r>).)*</w:r>",
                   '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/>'
                   "</w:r>", parts["word/footnotes.xml"].decode())
    assert "customMarkFollows" not in body and notes.count("<w:footnoteRef/>") == 2
    parts["word/document.xml"], parts["word/footnotes.xml"] = body.encode(), notes.encode()
    rewritten = io.BytesIO()
    with zipfile.ZipFile(rewritten, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    back, report = read_docx(io.BytesIO(rewritten.getvalue()))
    assert report == []
    assert back.introduction[0].text == (
        "窗口是社会保险经办机构面向参保单位和个人的服务场所⟦fn:本文件所称窗口包括实体窗口和网上经办窗口。⟧。")


def test_a_caption_after_an_empty_paragraph_still_titles_its_picture(make_docx):
    document, report = read_docx(make_docx([
        "1 范围", "本文件规定了窗口标识。", "2 规范性引用文件", "本文件没有规范性引用文件。",
        "3 术语和定义", "本文件没有需要界定的术语和定义。", "4 标识",
        ("image", "sign.png"), "", "图1 窗口标识", "图2 大厅平面图"]))
    assert report == []
    sign, plan = document.clauses[3].elements
    assert (sign.title, sign.image[:4]) == ("窗口标识", b"\x89PNG")
    assert (plan.title, plan.image) == ("大厅平面图", b"")
