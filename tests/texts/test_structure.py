"""Numbers are computed from order, never stored, and the document goes to JSON and back."""

import datetime
import json

import pytest

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
    annex_letter,
    document_from_dict,
    number,
    outline,
    plain,
    segments,
)


def sample() -> Document:
    return Document(
        number="DB6523/T 370—2023", title="社会保险服务标准化工作指南",
        issued_on=datetime.date(2023, 2, 16), stage="征求意见稿",
        foreword=[Paragraph("本文件按照GB/T 1.1—2020的规定起草。")],
        clauses=[
            Clause("范围", [Paragraph("本文件规定了…")]),
            Clause("术语和定义", [
                Paragraph("下列术语和定义适用于本文件。"),
                TermEntry("标准化文件", "通过标准化活动制定的文件。",
                          english="standardizing document", source="GB/T 1.1-2020, 5.2"),
                TermEntry("社会保险", "…社会保障制度。", admitted=["社保"],
                          notes=["社会保险包括基本养老保险…"]),
            ]),
            Clause("管理要求", subclauses=[
                Clause("机构管理", subclauses=[
                    Clause("", [Paragraph("应确定标准化工作机构。")]),
                    Clause("", [Paragraph("应明确职责。"), Note("职责见表2。")]),
                ]),
                Clause("人员管理", [
                    Table("岗位", [["岗位", "人数"]]),
                    Table("培训", [["课程", "学时"]]),
                    Figure("机构图", b"\x89PNG...", "org.png"),
                    Note("人员可兼职。"), Note("人员名单每年更新。"),
                    Example("示例文字"),
                    ListItem("起草阶段", LETTER), ListItem("内部组织标准", NUMBER, 2),
                    ListItem("地方标准", NUMBER, 2), ListItem("审查阶段", LETTER),
                    ListItem("国家标准", NUMBER, 2),
                    Paragraph("之后另起一列："),
                    ListItem("企业社会保险登记办理", DASH), ListItem("分项", DASH, 2),
                    Formula("N = n₁ + n₂"),
                ]),
            ]),
        ],
        annexes=[
            Annex("社会保险服务标准体系", True, [Table("体系表", [["编号"]])], [
                Clause("结构", [Figure("结构图", b"", ""), Table("明细表", [])]),
                Clause("说明"),
            ]),
            Annex("编制示例", False, [Table("示例表", [])]),
        ],
        bibliography=[Paragraph("[1] GB/T 27768 社会保险服务 总则")],
    )


def test_clause_and_annex_numbers():
    assert outline(sample()) == [
        ("1", "范围"), ("2", "术语和定义"), ("3", "管理要求"), ("3.1", "机构管理"),
        ("3.1.1", ""), ("3.1.2", ""), ("3.2", "人员管理"), ("A", "社会保险服务标准体系"),
        ("A.1", "结构"), ("A.2", "说明"), ("B", "编制示例")]


def test_numbers_follow_a_move():
    document = sample()
    management = document.clauses[2]
    management.subclauses.reverse()
    numbers = {t: n for n, t in outline(document)}
    assert (numbers["人员管理"], numbers["机构管理"]) == ("3.1", "3.2")
    document.clauses.insert(0, document.clauses.pop(2))
    labels = number(document)
    assert labels.number(management) == "1"
    terms = document.clauses[2].elements[1:]
    assert [labels.label(t) for t in terms] == ["3.1", "3.2"]


def test_element_labels():
    document = sample()
    labels = number(document)
    people = document.clauses[2].subclauses[1].elements
    assert [labels.label(e) for e in people] == [
        "表1", "表2", "图1", "注1", "注2", "示例", "a)", "1)", "2)", "b)", "1)", "",
        "——", "·", ""]
    single_note = document.clauses[2].subclauses[0].subclauses[1].elements[1]
    assert labels.label(single_note) == "注"
    annex_a, annex_b = document.annexes
    assert labels.label(annex_a.elements[0]) == "表A.1"
    structure = annex_a.subclauses[0].elements
    assert [labels.label(e) for e in structure] == ["图A.1", "表A.2"]
    assert labels.label(annex_b.elements[0]) == "表B.1"
    assert labels.label(document.foreword[0]) == ""
    terms = document.clauses[1].elements
    assert [labels.label(e) for e in terms] == ["", "2.1", "2.2"]


def test_annex_letters():
    assert [annex_letter(i) for i in (0, 1, 25)] == ["A", "B", "Z"]
    with pytest.raises(ValueError):
        annex_letter(26)


def test_as_dict_goes_to_json_and_back():
    document = sample()
    data = json.loads(json.dumps(document.as_dict(), ensure_ascii=False))
    assert data["issued_on"] == "2023-02-16"
    assert data["clauses"][1]["elements"][1] == {
        "type": "TermEntry", "preferred": "标准化文件", "definition": "通过标准化活动制定的文件。",
        "admitted": [], "english": "standardizing document", "notes": [],
        "source": "GB/T 1.1-2020, 5.2", "key": ""}
    assert "number" not in data["clauses"][0]  # numbers are computed, never stored
    assert document_from_dict(data) == document


def test_cross_references_show_the_current_number_and_follow_a_move():
    """A reference stores the target's key, never its number: moving the target renumbers
    what the reference shows; footnotes are numbered in reading order."""
    table = Table("费率", key="t")
    scope = Clause("范围", [Paragraph("费率见⟦ref:req⟧的⟦ref:t⟧⟦fn:按年度调整。⟧")], key="s")
    first = Clause("术语", [Paragraph("无")], key="terms")
    requirements = Clause("要求", [table, Paragraph("另见⟦ref:ax⟧⟦fn:第二个脚注。⟧")], key="req")
    document = Document(clauses=[scope, first, requirements],
                        annexes=[Annex("示例", key="ax")])
    paragraph = scope.elements[0]
    numbering = number(document)
    assert plain(paragraph.text, numbering) == "费率见3的表1"
    shown = segments(paragraph.text, numbering, paragraph)
    assert [s.text for s in shown if s.kind == "footnote"] == ["1)"]
    second = requirements.elements[1]
    assert [s.text for s in segments(second.text, numbering, second)] == ["另见", "附录A", "2)"]

    document.clauses = [scope, requirements, first]
    assert plain(paragraph.text, number(document)) == "费率见2的表1"
    document.clauses = [scope, first]
    assert plain(paragraph.text, number(document)) == "费率见??的??"
