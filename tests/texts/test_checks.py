"""Each drafting check is tripped by a document made for it and silent on a clean one;
DB 6523/T 370-2023 as published is checked whole."""

from catalog.rules.numbers import parse_standard_number
from tests.texts.conftest import fixture_lines
from texts.rules import checks
from texts.rules.checks import ReferenceInfo, find_numbers, run_checks
from texts.rules.docx_import import read_docx
from texts.rules.structure import Clause, Document, Paragraph, TermEntry


def clean() -> Document:
    """A small document every check passes."""
    return Document(
        title="社会保险经办规范",
        foreword=[Paragraph("本文件按照GB/T 1.1—2020的规定起草。"),
                  Paragraph("本文件实施应用中的疑问，请咨询昌吉回族自治州社会保险管理局。")],
        clauses=[
            Clause("范围", [Paragraph("本文件规定了社会保险经办的要求。")]),
            Clause("规范性引用文件", [
                Paragraph("下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。"),
                Paragraph("GB/T 24421.3 服务业组织标准化工作指南 第3部分:标准编写"),
                Paragraph("GB/T 34414—2017 社会保险经办绩效评价"),
            ]),
            Clause("术语和定义", [
                Paragraph("下列术语和定义适用于本文件。"),
                TermEntry("经办", "办理社会保险业务的活动。", english="handling",
                          source="GB/T 31596.1-2015, 2.9"),
            ]),
            Clause("要求", subclauses=[
                Clause("", [Paragraph("经办应符合 GB/T 24421.3 的规定。")]),
                Clause("", [Paragraph("绩效宜按 GB/T 34414 评价，可根据需要增加指标。")]),
            ]),
        ],
    )


def kinds(findings):
    return [(f.kind, f.place) for f in findings]


def test_a_clean_document_passes_every_check():
    lookup = {"GB/T 24421.3": ReferenceInfo("in_force", editions=("GB/T 24421.3—2009",)),
              "GB/T 34414": ReferenceInfo("in_force")}
    assert run_checks(clean(), lambda number: lookup.get(number.undated)) == []


def test_hanging_paragraph():
    document = clean()
    document.clauses[3].elements.append(Paragraph("经办机构应公开服务事项。"))
    assert kinds(checks.hanging_paragraphs(document)) == [("hanging_paragraph", "4")]
    assert kinds(checks.hanging_paragraphs(clean())) == []


def test_single_subclause():
    document = clean()
    document.clauses[3].subclauses.pop()
    assert kinds(checks.single_subclauses(document)) == [("single_subclause", "4")]


def test_too_deep():
    document = clean()
    clause = document.clauses[3].subclauses[0]
    for _level in range(5):
        clause.subclauses.append(Clause("下一层"))
        clause = clause.subclauses[0]
    # 4.1 + five levels = 4.1.1.1.1.1.1, a sixth level of 条.
    assert kinds(checks.too_deep(document)) == [("too_deep", "4.1.1.1.1.1.1")]


def test_modal_verbs():
    document = clean()
    requirement = document.clauses[3].subclauses[0].elements
    requirement.append(Paragraph("经办人员必须核对身份，不应该代填表格，可以不收取复印件。"))
    requirement.append(Paragraph("应根据需要配置人员，满足工作的需要，按《必须遵守的规定》执行。"))
    findings = checks.modal_verbs(document)
    assert [(f.place, f.message.split("”")[0].lstrip("“")) for f in findings] == [
        ("4.1", "必须"), ("4.1", "不应该"), ("4.1", "可以不")]
    assert "不必" in findings[2].message
    # Clause 2 cites titles of other documents and clause 3 defines: neither is read.
    document.clauses[1].elements.append(Paragraph("GB/T 20000.1 必须的术语"))
    assert len(checks.modal_verbs(document)) == 3


def test_foreword_requirement():
    document = clean()
    document.foreword.append(Paragraph("使用本文件的单位应建立相应的制度。"))
    findings = checks.foreword_requirements(document)
    assert kinds(findings) == [("foreword_requirement", "前言")]
    assert "应" in findings[0].message


def test_references_cited_but_not_listed_and_the_reverse():
    document = clean()
    document.clauses[3].subclauses[1].elements.append(
        Paragraph("档案按GB/T 18894—2016和 DA/T 22 管理。"))
    # The numbers as the parser writes them, in the message of whatever language is active.
    messages = [f.message for f in checks.references_not_listed(document)]
    assert len(messages) == 2
    assert "GB/T 18894—2016" in messages[0] and "DA/T 22" in messages[1]
    assert kinds(checks.references_not_listed(document)) == [
        ("reference_not_listed", "4.2")] * 2
    document.clauses[3].subclauses[0].elements[0] = Paragraph("经办应规范。")
    assert kinds(checks.references_not_cited(document)) == [("reference_not_cited", "2")]
    assert "GB/T 24421.3" in checks.references_not_cited(document)[0].message


def test_a_terms_source_is_no_citation():
    document = clean()
    # GB/T 31596.1 is the source of 3.1, not a reference the text makes.
    assert checks.references_not_listed(document) == []


def test_term_not_used():
    document = clean()
    document.clauses[2].elements.append(TermEntry("参保人", "参加社会保险的人员。",
                                                  admitted=["参保人员"]))
    assert kinds(checks.terms_not_used(document)) == [("term_not_used", "3.2")]
    document.clauses[0].elements.append(Paragraph("本文件适用于为参保人员办理业务。"))
    assert checks.terms_not_used(document) == []


def test_withdrawn_and_replaced_references():
    def lookup(number):
        return {"GB/T 24421.3": ReferenceInfo("withdrawn"),
                "GB/T 34414": ReferenceInfo("replaced", replaced_by="GB/T 34414—2024")
                }.get(number.undated)
    findings = checks.withdrawn_references(clean(), lookup)
    assert kinds(findings) == [("reference_withdrawn", "2"), ("reference_replaced", "2")]
    assert "GB/T 34414—2024" in findings[1].message


def test_undated_reference_with_several_editions():
    def lookup(number):
        return ReferenceInfo("in_force", editions=("GB/T 24421.3—2009", "GB/T 24421.3—2023"))
    findings = checks.undated_references(clean(), lookup)
    # GB/T 34414—2017 is dated, so only GB/T 24421.3 is said.
    assert kinds(findings) == [("undated_several_editions", "2")]
    assert "GB/T 24421.3—2023" in findings[0].message


def test_find_numbers_in_running_text():
    text = ("如 GB/T 1.1、GB/T 20000.1、GB 2894等，DB6523/T 370-2023 和 ISO 9001:2015，"
            "见表A.1 与 30 日，ICS 03.080")
    assert [n.canonical for n in find_numbers(text)] == [
        "GB/T 1.1", "GB/T 20000.1", "GB 2894", "DB6523/T 370—2023", "ISO 9001:2015"]
    assert find_numbers("GB/T 1.1—2020《标准化工作导则》")[0] == parse_standard_number(
        "GB/T 1.1-2020")


def test_db6523_as_published(make_docx):
    document, _report = read_docx(make_docx(fixture_lines("db6523_t_370_2023.txt")))
    assert kinds(run_checks(document)) == [
        # 6.3.1.1 cites "GB/T 20000" (all parts), which clause 2 lists only as .1 and .3.
        ("reference_not_listed", "6.3.1.1"),
        # Used in 6.4.3 to 6.5, which the excerpt leaves out.
        ("term_not_used", "3.7"), ("term_not_used", "3.8"),
    ]


def test_broken_cross_reference():
    """A reference whose target was deleted shows "??" and is reported in its clause."""
    document = clean()
    document.clauses[3].subclauses[0].key = "req"
    document.clauses[0].elements[0].text = "要求见⟦ref:req⟧。"
    assert kinds(checks.broken_references(document)) == []
    document.clauses[3].subclauses[0].key = "other"
    assert kinds(checks.broken_references(document)) == [("broken_reference", "1")]
