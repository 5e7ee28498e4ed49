"""Reading a DOCX into the structure: DB 6523/T 370-2023 as published (its paragraphs in
fixtures/), and small documents for the tables, figures, notes, examples and annexes it
does not have."""

import datetime

from tests.texts.conftest import fixture_lines
from texts.rules.checks import normative_references
from texts.rules.docx_import import read_docx
from texts.rules.structure import (
    LETTER,
    NUMBER,
    Example,
    Figure,
    ListItem,
    Note,
    Paragraph,
    Table,
    TermEntry,
    number,
    outline,
)


def db6523(make_docx):
    return read_docx(make_docx(fixture_lines("db6523_t_370_2023.txt")))


def test_the_cover_is_read(make_docx):
    document, _report = db6523(make_docx)
    assert document.number == "DB6523/T 370—2023"
    assert document.title == "社会保险服务标准化工作指南"
    assert document.title_en == "Guidance for social insurance services standardization"
    assert document.issued_on == datetime.date(2023, 2, 16)
    assert document.implemented_on == datetime.date(2023, 3, 10)
    assert document.issuer == "昌吉回族自治州市场监督管理局"


def test_the_outline_follows_the_printed_numbers(make_docx):
    document, report = db6523(make_docx)
    assert report == []
    rows = outline(document)
    titled = [(n, t) for n, t in rows if t]
    assert titled[:9] == [("1", "范围"), ("2", "规范性引用文件"), ("3", "术语和定义"),
                          ("4", "基本原则"), ("4.1", "科学规划"), ("4.2", "系统优化"),
                          ("4.3", "整体协调"), ("4.4", "持续完善"), ("5", "管理要求")]
    assert [n for n, _t in rows if n.startswith("6.3")] == [
        "6.3", "6.3.1", "6.3.1.1", "6.3.1.2", "6.3.2", "6.3.2.1", "6.3.2.2", "6.3.3",
        "6.3.3.1", "6.3.3.2"]
    assert ("7.1.5", "规范性") in rows and ("7.3.2", "标准的编写") in rows
    # Untitled 条 keep their text as a paragraph: "5.1.1 应确定…".
    numbers = [n for n, _t in rows]
    assert numbers[-4:] == ["8.1", "8.2", "8.3", "A"]
    clause_511 = document.clauses[4].subclauses[0].subclauses[0]
    assert clause_511.title == ""
    assert clause_511.elements == [Paragraph("应确定标准化工作机构或标准化工作牵头协调机构。")]
    annex = document.annexes[0]
    assert (annex.title, annex.normative) == ("社会保险服务标准体系", True)
    assert document.foreword[0].text.startswith("本文件按照GB/T 1.1—2020")
    assert len(document.foreword) == 6
    assert [p.text[:3] for p in document.bibliography] == ["[1]", "[2]"]


def test_the_terms_and_references(make_docx):
    document, _report = db6523(make_docx)
    terms_clause = document.clauses[2]
    assert terms_clause.elements[0] == Paragraph(
        "GB/T 1.1、GB/T 20000.1、GB/T 31596.1界定的以及下列术语和定义适用于本文件。")
    entries = terms_clause.elements[1:]
    assert all(isinstance(e, TermEntry) for e in entries) and len(entries) == 8
    assert terms_clause.subclauses == []
    labels = number(document)
    assert [labels.label(e) for e in entries] == [f"3.{i}" for i in range(1, 9)]
    first, fifth = entries[0], entries[4]
    assert (first.preferred, first.english, first.definition, first.source) == (
        "标准化文件", "standardizing document", "通过标准化活动制定的文件。",
        "GB/T 1.1-2020, 5.2")
    assert fifth.preferred == "社会保险" and fifth.english == "social insurance"
    assert fifth.notes == [
        "社会保险包括基本养老保险、基本医疗保险、工伤保险、失业保险、生育保险等。"]
    assert entries[3].source == ""  # 3.4 标准体系 gives none
    references = [n.canonical for n, _text in normative_references(document)]
    assert references[:3] == ["GB/T 1.1", "GB 2894", "GB/T 10001"]
    assert len(references) == 17 and references[-1] == "GB/T 34414"


def test_lists_keep_their_markers_and_levels(make_docx):
    document, _report = db6523(make_docx)
    clause_732 = document.clauses[6].subclauses[2].subclauses[1]
    items = [e for e in clause_732.elements if isinstance(e, ListItem)]
    assert [(i.style, i.level) for i in items] == [(LETTER, 1)] * 3 + [(NUMBER, 2)] * 3
    labels = number(document)
    assert [labels.label(i) for i in items] == ["a)", "b)", "c)", "1)", "2)", "3)"]
    dashes = document.clauses[5].subclauses[3].subclauses[0].elements
    assert isinstance(dashes[0], Paragraph) and len(dashes) == 7
    assert {labels.label(i) for i in dashes[1:]} == {"——"}
    assert dashes[1].text == "企业社会保险登记办理;"


TABLES_AND_FIGURES = [
    "1 范围", "本文件规定了社会保险经办窗口的服务要求。",
    "2 规范性引用文件", "本文件没有规范性引用文件。",
    "3 术语和定义", "本文件没有需要界定的术语和定义。",
    "4 要求",
    "4.1 窗口设置",
    "窗口设置见表1。",
    "表1 窗口设置",
    [["窗口", "数量"], ["综合受理", "4"], ["待遇领取", "2"]],
    "注1：窗口数量按服务人口确定。",
    "注2：可设置流动窗口。",
    "4.2 标识",
    "示例：",
    "社会保险经办大厅",
    ("image", "sign.png"),
    "图1 窗口标识",
    "注：标识颜色见GB 2894。",
    "附录A",
    "（资料性）",
    "窗口工作量统计",
    "A.1 统计方法",
    "表A.1 月度统计",
    [["月份", "笔数"], ["1", "1200"]],
    "A.2 统计周期",
    "按月统计。",
    "附 录 B（规范性）服务评价",
    "参考文献",
    "[1] GB/T 34414 社会保险经办绩效评价",
]


def test_tables_figures_notes_examples_and_annexes(make_docx):
    document, report = read_docx(make_docx(TABLES_AND_FIGURES))
    assert report == []
    labels = number(document)
    window, sign = document.clauses[3].subclauses
    assert window.elements[0] == Paragraph("窗口设置见表1。")
    table = window.elements[1]
    assert table == Table("窗口设置", [["窗口", "数量"], ["综合受理", "4"], ["待遇领取", "2"]])
    assert labels.label(table) == "表1"
    assert [labels.label(n) for n in window.elements[2:]] == ["注1", "注2"]
    assert window.elements[3] == Note("可设置流动窗口。")
    example, figure, note = sign.elements
    assert example == Example("社会保险经办大厅")
    assert isinstance(figure, Figure) and figure.title == "窗口标识"
    assert figure.image.startswith(b"\x89PNG") and figure.image_name.endswith(".png")
    assert labels.label(figure) == "图1" and labels.label(note) == "注"
    assert labels.label(example) == "示例"
    informative, normative = document.annexes
    assert (informative.title, informative.normative) == ("窗口工作量统计", False)
    assert (normative.title, normative.normative) == ("服务评价", True)
    assert [(n, t) for n, t in outline(document)][-4:] == [
        ("A", "窗口工作量统计"), ("A.1", "统计方法"), ("A.2", "统计周期"), ("B", "服务评价")]
    annex_table = informative.subclauses[0].elements[0]
    assert annex_table.title == "月度统计" and labels.label(annex_table) == "表A.1"


def test_what_cannot_be_placed_is_reported(make_docx):
    document, report = read_docx(make_docx([
        "社会保险经办规范",
        "第一稿 内部讨论",  # on the cover, but no cover field
        "前言",
        "本文件由昌吉回族自治州社会保险管理局提出。",
        "1 范围",
        "本文件规定了经办要求。",
        "3.1",  # no clause 3 yet: not a heading, so text of clause 1
        "2 规范性引用文件",
        "表1 没有表格的表题",
        "本文件没有规范性引用文件。",
        "3 术语和定义",
        "3.1",
        "经办 handling",
        "办理社会保险业务的活动。",
        "另一段定义文字。",
        "附录A",
        "经办流程",
    ]))
    assert document.title == "社会保险经办规范"
    assert [(u.after, u.text) for u in report] == [
        ("封面", "第一稿 内部讨论"),
        ("2", "表 没有表格的表题"),
        ("3.1", "另一段定义文字。"),
        ("A", "附录A"),
    ]
    assert document.clauses[0].elements[-1] == Paragraph("3.1")
    assert document.clauses[2].elements[0].preferred == "经办"
    assert document.annexes[0].title == "经办流程"
