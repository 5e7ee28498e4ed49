"""Reading a DOCX into the structure with two more published standards (their paragraphs
in fixtures/): GB/T 1.1—2020, with terms grouped under titled 条, notes, a two-level list
and normative and informative annexes; and GB/T 45688—2025, with tables in the body and in
normative and informative annexes and a chapter "术语、定义和缩略语". Each also survives
export and import."""

import datetime
import io

import docx
import pytest

from tests.texts.conftest import FIXTURES
from texts.rules.checks import normative_references
from texts.rules.docx_export import write_docx
from texts.rules.docx_import import read_docx
from texts.rules.structure import (
    DASH,
    LETTER,
    ListItem,
    Note,
    Paragraph,
    Table,
    TermEntry,
    number,
    outline,
    walk,
)

GBT_1_1 = "gbt_1_1_2020.txt"
GBT_45688 = "gbt_45688_2025.txt"


def fixture_blocks(name: str) -> list[str | list[list[str]]]:
    """The fixture's paragraphs and tables in order: a line starting with "|" is a table
    row, its cells between the bars, and consecutive rows make one table (the format the
    fixtures' header comments describe)."""
    blocks: list[str | list[list[str]]] = []
    rows = None
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("|"):
            if rows is None:
                rows = []
                blocks.append(rows)
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        else:
            rows = None
            blocks.append(line)
    return blocks


def fixture_docx(name: str) -> io.BytesIO:
    """A Word file of the fixture: a paragraph a line, a table for each run of rows; a
    short row's last cell spans the rest of the row, as a table's note in its last row."""
    word = docx.Document()
    for block in fixture_blocks(name):
        if isinstance(block, str):
            word.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = word.add_table(rows=len(block), cols=width)
        for row, cells in zip(table.rows, block, strict=True):
            for cell, text in zip(row.cells, cells, strict=False):
                cell.text = text
            if len(cells) < width:
                row.cells[len(cells) - 1].merge(row.cells[width - 1])
    out = io.BytesIO()
    word.save(out)
    out.seek(0)
    return out


def read(name: str):
    return read_docx(fixture_docx(name))


def tables(document) -> list[Table]:
    return [e for place in walk(document) for e in place.clause.elements
            if isinstance(e, Table)]


# GB/T 1.1—2020 ------------------------------------------------------------------------

def test_gbt_1_1_cover():
    document, _report = read(GBT_1_1)
    assert document.number == "GB/T 1.1—2020"
    assert document.title == "标准化工作导则 第1部分：标准化文件的结构和起草规则"
    assert (document.ics, document.ccs) == ("01.120", "A 00")
    assert document.replaces == "代替 GB/T 1.1—2009"
    assert document.adoption == (
        "（ISO/IEC Directives, Part 2:2018, Principles and rules for the structure and "
        "drafting of ISO and IEC documents, NEQ）")
    assert document.issued_on == datetime.date(2020, 3, 31)
    assert document.implemented_on == datetime.date(2020, 10, 1)
    assert document.stage == ""


def test_gbt_1_1_english_title_with_a_dash():
    document, _report = read(GBT_1_1)
    assert document.title_en == ("Directives for standardization—Part 1: Rules for the "
                                 "structure and drafting of standardizing documents")


def test_gbt_1_1_front_matter():
    document, _report = read(GBT_1_1)
    foreword = document.foreword
    assert all(isinstance(e, Paragraph) for e in foreword) and len(foreword) == 4
    assert foreword[0].text == ("本文件按照GB/T 1.1—2020《标准化工作导则 第1部分：标准化文件"
                                "的结构和起草规则》的规定起草。")
    assert foreword[2].text == (
        "本文件由全国标准化原理与方法标准化技术委员会（SAC/TC 286）提出并归口。")
    # The title printed again above clause 1 is neither 前言 nor clause 1.
    assert document.introduction == [] and document.bibliography == []
    assert document.clauses[0].elements[0].text.startswith("本文件确立了标准化文件的结构")


def test_gbt_1_1_outline():
    document, _report = read(GBT_1_1)
    rows = outline(document)
    chapters = [(n, t) for n, t in rows if n.isdigit()]
    assert chapters == [
        ("1", "范围"), ("2", "规范性引用文件"), ("3", "术语和定义"), ("4", "文件的类别"),
        ("5", "目标、原则和要求"), ("6", "文件名称和结构"), ("7", "层次的编写"),
        ("8", "要素的编写"), ("9", "要素的表述"), ("10", "编排格式")]
    # Term entries take numbers like 条 but are no clauses: 3.1 holds 3.1.1 to 3.1.4.
    assert [(n, t) for n, t in rows if n.startswith("3.")] == [
        ("3.1", "文件"), ("3.2", "文件的结构"), ("3.3", "文件的表述")]
    assert [(n, t) for n, t in rows if n.startswith("4.")] == [("4.1", ""), ("4.2", "")]
    assert [n for n, _t in rows if n.startswith("8.")] == [f"8.{i}" for i in range(1, 15)]
    assert ("8.10", "总体原则和/或总体要求") in rows and ("8.9", "分类和编码/系统构成") in rows
    assert [(n, t) for n, t in rows if n.startswith("9.1")] == [
        ("9.1", "条款"), ("9.10", "示例"), ("9.11", "注"), ("9.12", "脚注"),
        ("9.13", "其他规则")]
    assert [(a.title, a.normative) for a in document.annexes] == [
        ("层次编号示例", False), ("标准化项目标记", True),
        ("条款类型的表述使用的能愿动词或句子语气类型", True)]
    annex_rows = [(n, t) for n, t in rows if n[0].isalpha()]
    assert annex_rows == [
        ("A", "层次编号示例"), ("B", "标准化项目标记"), ("B.1", "概述"), ("B.2", "适用性"),
        ("B.3", "标记体系"), ("B.4", "字符的用法"), ("B.5", "描述段"), ("B.6", "识别段"),
        ("B.7", "国际标准化项目标记的采用"),
        ("C", "条款类型的表述使用的能愿动词或句子语气类型"), ("C.1", "要求"), ("C.2", "指示"),
        ("C.3", "推荐"), ("C.4", "允许"), ("C.5", "陈述")]


def test_gbt_1_1_terms_under_titled_subclauses():
    document, _report = read(GBT_1_1)
    terms = document.clauses[2]
    assert terms.elements == [Paragraph("GB/T 20000.1界定的以及下列术语和定义适用于本文件。")]
    labels = number(document)
    entries = {}
    for group in terms.subclauses:
        assert group.subclauses == [] and all(isinstance(e, TermEntry) for e in group.elements)
        entries.update({labels.label(e): e for e in group.elements})
    assert list(entries) == ["3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.2.1", "3.2.2", "3.2.3",
                             "3.2.4", "3.2.5", "3.2.6", "3.3.1", "3.3.2", "3.3.3"]
    assert [(e.preferred, e.english) for e in entries.values()] == [
        ("标准化文件", "standardizing document"), ("标准", "standard"),
        ("基础标准", "basic standard"), ("通用标准", "general standard"),
        ("结构", "structure"), ("正文", "main body"), ("规范性要素", "normative element"),
        ("资料性要素", "informative element"), ("必备要素", "required element"),
        ("可选要素", "optional element"), ("条款", "provision"), ("要求", "requirement"),
        ("指示", "instruction")]
    assert all(e.admitted == [] and e.definition.endswith("。") for e in entries.values())
    assert entries["3.1.1"].definition == "通过标准化活动制定的文件。"
    assert entries["3.3.3"].definition == "表达需要履行的行动的条款（3.3.1）。"
    assert {n: e.source for n, e in entries.items() if e.source} == {
        "3.1.1": "GB/T 20000.1—2014，5.2", "3.1.2": "GB/T 20000.1—2014，5.3"}
    assert {n: e.notes for n, e in entries.items() if e.notes} == {
        "3.1.3": ["通常包括术语标准、符号标准、分类标准、试验标准等。"],
        "3.1.4": ["通用标准在其名称中常包含词语“通用”，例如通用规范、通用技术要求等。"]}


def test_gbt_1_1_notes_lists_and_references():
    document, _report = read(GBT_1_1)
    labels = number(document)
    scope_note = document.clauses[0].elements[-1]
    assert scope_note == Note("在不引起混淆的情况下，本文件中的“标准化文件”简称为“文件”。")
    assert labels.label(scope_note) == "注"
    clause_41, clause_42 = document.clauses[3].subclauses
    assert clause_41.elements[0].text.startswith("标准化文件的数量众多，范围广泛")
    assert [labels.label(e) for e in clause_41.elements[1:]] == ["注1", "注2"]
    assert clause_41.elements[2].text.startswith("部分是一个文件划分出的层次")
    paragraph, *items = clause_42.elements
    assert paragraph.text.startswith("确认标准的类别能够帮助起草者")
    assert all(isinstance(i, ListItem) for i in items)
    assert [(i.style, i.level, labels.label(i)) for i in items] == [
        (LETTER, 1, "a)"), (DASH, 2, "·"), (DASH, 2, "·"), (DASH, 2, "·")]
    assert items[1].text == "产品标准，规定产品需要满足的要求以保证其适用性的标准；"
    assert [n.canonical for n, _text in normative_references(document)] == [
        "GB/T 321", "GB/T 3101", "GB/T 3102", "GB/T 7714", "GB/T 14559", "GB/T 15834",
        "GB/T 15835", "GB/T 20000.1", "GB/T 20000.2", "GB/T 20001", "GB/T 20002",
        "ISO 80000", "IEC 60027", "IEC 80000"]


# GB/T 45688—2025 ----------------------------------------------------------------------

def test_gbt_45688_cover_and_front_matter():
    document, _report = read(GBT_45688)
    assert document.number == "GB/T 45688—2025"
    assert document.title == "新能源汽车运行安全性能动态监测预警 技术要求"
    assert document.title_en == ("Technical requirements for dynamic monitoring and early "
                                 "warning of new energy vehicle safety operation")
    assert (document.replaces, document.adoption) == ("", "")
    assert document.issued_on == datetime.date(2025, 5, 30)
    assert document.implemented_on == datetime.date(2025, 12, 1)
    assert len(document.foreword) == 6
    assert document.foreword[1].text == (
        "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。")
    assert [p.text[:4] for p in document.bibliography] == ["[1] ", "[2] ", "[3] ", "[4] ",
                                                           "[5] "]
    assert document.bibliography[4].text.endswith("(工信厅联通装〔2022〕10号)")


def test_gbt_45688_outline():
    document, _report = read(GBT_45688)
    rows = outline(document)
    assert [(n, t) for n, t in rows if n.isdigit()] == [
        ("1", "范围"), ("2", "规范性引用文件"), ("3", "术语、定义和缩略语"), ("4", "一般要求"),
        ("5", "动态监测"), ("6", "动态预警")]
    # Untitled 条 keep their first sentence as a paragraph: "4.1 企业平台应符合以下要求：".
    assert [(n, t) for n, t in rows if n[0] in "456"] == [
        ("4", "一般要求"), ("4.1", ""), ("4.2", ""), ("5", "动态监测"), ("5.1", "故障监测"),
        ("5.1.1", "监测项目"), ("5.1.2", ""), ("5.2", "隐患监测"), ("5.2.1", "监测项目"),
        ("5.2.2", ""), ("6", "动态预警"), ("6.1", "一般要求"), ("6.1.1", ""), ("6.1.2", ""),
        ("6.2", "故障通知"), ("6.2.1", ""), ("6.2.2", ""), ("6.3", "隐患告警")]
    clause_41 = document.clauses[3].subclauses[0]
    assert clause_41.elements[0] == Paragraph("企业平台应符合以下要求：")
    assert [(n, t) for n, t in rows if n[0].isalpha()] == [
        ("A", "新能源汽车运行安全平台数据格式和定义"),
        ("B", "上行和下行数据系统预留命令传输协议"), ("B.1", "上行数据系统预留命令传输协议"),
        ("B.1.1", "命令标识"),
        ("C", "新能源汽车运行安全隐患分析模型"), ("C.1", "动力蓄电池最高温度(充电)"),
        ("D", "新能源汽车运行安全性能动态预警措施"), ("D.1", "故障处置措施"),
        ("D.2", "隐患告警措施")]
    assert [a.normative for a in document.annexes] == [True, True, False, False]
    assert [n.canonical for n, _text in normative_references(document)] == [
        "GB/T 19596", "GB/T 22239", "GB/T 32960.1", "GB/T 32960.2", "GB/T 32960.3",
        "GB 38031"]


def test_gbt_45688_tables_as_printed():
    document, _report = read(GBT_45688)
    labels = number(document)
    found = tables(document)
    assert [(labels.label(t), t.title) for t in found] == [
        ("表1", "新能源汽车运行安全故障监测"), ("表2", "新能源汽车运行安全隐患监测"),
        ("表A.1", "新能源汽车运行安全平台数据格式和定义"), ("表A.2", "时间定义"),
        ("表B.1", "上行数据系统命令标识定义"), ("表C.1", "高温风险矩阵(充电)"),
        ("表D.1", "故障处置措施"), ("表D.2", "隐患告警措施")]
    # Every cell as the fixture gives it, rows in order.
    assert [t.rows for t in found] == [b for b in fixture_blocks(GBT_45688)
                                       if isinstance(b, list)]
    first = found[0]
    assert first.rows[0] == ["序号", "故障监测项目", "通用报警标志位"]
    assert first.rows[1] == ["1", "动力蓄电池温度", "电池高温报警"] and len(first.rows) == 13
    assert len(found[1].rows) == 13  # 表2 and its "（续）" on the next page: one table
    # A table's note stands in its last row, one cell across the table.
    assert found[6].rows[-1] == ["注：“—”部分由企业自定义。"]
    assert found[7].rows[-2] == ["4", "其他需要预警的情形", "—", "—"]
    # "表A.1规定了…。" is a sentence about the table, not its title.
    annex_a = document.annexes[0]
    assert annex_a.elements[0] == Paragraph("表 A.1 规定了新能源汽车运行安全平台数据格式和定义。")
    assert [type(e) for e in annex_a.elements] == [Paragraph, Table, Table]


def test_gbt_45688_notes_and_lists():
    document, _report = read(GBT_45688)
    labels = number(document)
    clause_41, clause_42 = document.clauses[3].subclauses
    assert [labels.label(e) for e in clause_41.elements] == ["", "a)", "b)", "c)", "d)", "e)"]
    assert clause_41.elements[3].text.startswith("能按照 GB/T 32960.3 的要求将")
    note = clause_42.elements[-1]
    assert note == Note("新能源汽车运行安全性能依据 GB/T 44500 给出的检验规程进行检验。")
    assert labels.label(note) == "注"
    c1 = document.annexes[2].subclauses[0]
    dashes = [e for e in c1.elements if isinstance(e, ListItem)]
    assert [(d.style, d.level, labels.label(d)) for d in dashes] == [(DASH, 1, "——")] * 2
    assert dashes[0].text == "三元锂电池：V=60 ℃,T=0,C=0;"


def test_gbt_45688_terms_in_a_chapter_with_abbreviations():
    document, _report = read(GBT_45688)
    terms = document.clauses[2].subclauses[0]
    assert terms.subclauses == []
    intro, *entries = terms.elements
    assert intro.text.endswith("界定的以及下列术语和定义适用于本文件。")
    assert all(isinstance(e, TermEntry) for e in entries)
    labels = number(document)
    assert [labels.label(e) for e in entries] == [f"3.1.{i}" for i in range(1, 6)]
    assert [(e.preferred, e.english) for e in entries] == [
        ("新能源汽车运行安全平台数据", "platform data of new energy vehicle safety operation"),
        ("公共平台", "public service and management platform"),
        ("企业平台", "enterprise service and management platform"),
        ("动态监测", "dynamic monitoring"), ("动态预警", "dynamic early warning")]
    assert [e.source for e in entries] == [
        "", "GB/T 32960.1—2016,3.2,有修改", "GB/T 32960.1—2016,3.3,有修改", "", ""]
    assert [len(e.notes) for e in entries] == [0, 0, 0, 2, 0]


# Both ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [GBT_1_1, GBT_45688])
def test_nothing_past_the_cover_goes_unplaced(name):
    _document, report = read(name)
    assert [u for u in report if u.after != "封面"] == []


@pytest.mark.parametrize("name", [GBT_1_1, GBT_45688])
def test_every_paragraph_of_a_real_standard_is_placed(name):
    document, report = read(name)
    assert report == []
    assert document.issuer == "国家市场监督管理总局 国家标准化管理委员会"


def test_two_issuers_in_one_paragraph():
    word = docx.Document()
    for line in ["中华人民共和国国家标准", "GB/T 45688—2025",
                 "新能源汽车运行安全性能动态监测预警 技术要求", "2025-05-30 发布",
                 "2025-12-01 实施"]:
        word.add_paragraph(line)
    paragraph = word.add_paragraph("国家市场监督管理总局")
    paragraph.runs[0].add_break()
    paragraph.add_run("国家标准化管理委员会\u3000发布")
    for line in ["前言", "本文件由中华人民共和国公安部提出。", "1 范围",
                 "本文件规定了新能源汽车运行安全性能的动态监测和动态预警技术要求。"]:
        word.add_paragraph(line)
    out = io.BytesIO()
    word.save(out)
    out.seek(0)
    document, report = read_docx(out)
    assert report == []
    assert document.issuer == "国家市场监督管理总局 国家标准化管理委员会"


@pytest.mark.parametrize("name", [GBT_1_1, GBT_45688])
def test_a_real_standard_survives_export_and_import(name):
    published, _report = read(name)
    back, report = read_docx(io.BytesIO(write_docx(published)))
    assert report == []
    # No figures here, so nothing a DOCX renames: the whole document compares as it is.
    assert back.as_dict() == published.as_dict()
