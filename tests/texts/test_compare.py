"""Two drafts compared clause by clause (texts.rules.compare) and the comparison as a DOCX
with tracked revisions and as a PDF: the published DB 6523/T 370—2023 (read from its
fixture, keyed as the database keys it) and small documents built for one rule each."""

import copy
import datetime
import io
import json
import shutil
import subprocess
import zipfile

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from tests.texts.conftest import fixture_lines
from texts.rules.compare import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    SAME,
    compare,
    tokens,
)
from texts.rules.compare_docx import write_comparison_docx
from texts.rules.compare_pdf import comparison_html, write_comparison_pdf
from texts.rules.docx_import import read_docx
from texts.rules.structure import (
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
    all_elements,
    reference_mark,
    walk,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def keyed(document: Document) -> Document:
    """Every clause, annex and element keyed, as the database keys a text's parts."""
    for index, place in enumerate(walk(document)):
        place.clause.key = f"c{index}"
    for index, element in enumerate(all_elements(document)):
        element.key = f"e{index}"
    return document


@pytest.fixture
def db6523(make_docx):
    document, _report = read_docx(make_docx(fixture_lines("db6523_t_370_2023.txt")))
    return keyed(document)


def small() -> Document:
    """Five 章 (5 with 5.1 and 5.2, a note in 5.2), an annex and 前言."""
    return Document(
        number="GB/T 99999—2024", title="社会保险经办服务规范", stage="征求意见稿",
        foreword=[Paragraph("本文件按照GB/T 1.1-2009的规定起草。", key="fw")],
        clauses=[
            Clause("范围", [Paragraph("本文件规定了经办服务的要求。", key="scope")], key="k1"),
            Clause("规范性引用文件", [Paragraph("GB/T 32621 社会保险服务标准体系", key="ref")],
                   key="k2"),
            Clause("术语和定义", [TermEntry("经办机构", "办理社会保险业务的机构。", key="t1")],
                   key="k3"),
            Clause("基本要求", [Paragraph("应在5个工作日内办结。", key="p4"),
                                Paragraph("应公开办事指南。", key="p4b")], key="k4"),
            Clause("服务要求", subclauses=[
                Clause("服务窗口", [Paragraph("窗口设置应合理。", key="p51")], key="k51"),
                Clause("服务时限", [Paragraph("办理时限见表1。", key="p52"),
                                    Note("时限按工作日计算。", key="n52"),
                                    Note("节假日顺延。", key="n52b")], key="k52"),
            ], key="k5"),
        ],
        annexes=[Annex("服务流程", True, [Paragraph("流程如下。", key="pa")],
                       [Clause("受理", [Paragraph("当场受理。", key="pa1")], key="ka1")],
                       key="ka")])


def by_key(comparison, key):
    return next(clause for clause in comparison.clauses if clause.key == key)


# The comparison ------------------------------------------------------------------------


def test_a_copy_has_nothing_changed(db6523):
    comparison = compare(db6523, copy.deepcopy(db6523))
    assert comparison.changed() == []
    assert comparison.cover == []
    assert comparison.counts() == {ADDED: 0, REMOVED: 0, MOVED: 0, CHANGED: 0}
    assert all(clause.status == SAME for clause in comparison.clauses)
    numbers = [clause.new_number for clause in comparison.clauses]
    assert numbers[:3] == ["前言", "1", "2"] and "5.2.1" in numbers and "参考文献" in numbers
    assert comparison.is_empty()


def test_a_clause_inserted_renumbers_the_later_ones_without_changing_them(db6523):
    new = copy.deepcopy(db6523)
    new.clauses.insert(3, Clause("服务原则", [Paragraph("以人民为中心。", key="new-p")],
                                 key="new-c"))
    comparison = compare(db6523, new)
    assert comparison.counts() == {ADDED: 1, REMOVED: 0, MOVED: 0, CHANGED: 0}
    [added] = comparison.changed()
    assert (added.key, added.status, added.old_number, added.new_number) == (
        "new-c", ADDED, "", "4")
    assert [(e.status, e.diff) for e in added.elements] == [(ADDED, [("ins", "以人民为中心。")])]
    # 5.2.1 became 6.2.1: renumbered, neither moved nor changed.
    old_521 = next(place.clause for place in walk(db6523) if place.number == "5.2.1")
    renumbered = by_key(comparison, old_521.key)
    assert (renumbered.status, renumbered.moved, renumbered.old_number,
            renumbered.new_number) == (SAME, False, "5.2.1", "6.2.1")


def test_a_moved_clause_moves_alone(db6523):
    new = copy.deepcopy(db6523)
    chapter = new.clauses.pop(3)  # 4 基本原则, after 6 标准体系 now
    new.clauses.insert(5, chapter)
    comparison = compare(db6523, new)
    changed = comparison.changed()
    assert [(c.status, c.moved, c.old_number, c.new_number, c.new_title) for c in changed] == [
        (MOVED, True, "4", "6", "基本原则")]
    # Its subclauses and neighbours were only renumbered.
    assert comparison.counts()[MOVED] == 1


def test_a_clause_under_another_parent_has_moved(db6523):
    new = copy.deepcopy(db6523)
    moved = new.clauses[4].subclauses.pop(1)  # 5.2 人员管理 → 6.4
    new.clauses[5].subclauses.append(moved)
    comparison = compare(db6523, new)
    [change] = comparison.changed()
    assert (change.status, change.moved, change.old_number, change.new_number) == (
        MOVED, True, "5.2", "6.5")


def test_moved_and_changed(db6523):
    new = copy.deepcopy(db6523)
    chapter = new.clauses.pop(3)
    chapter.title = "基本原则和要求"
    new.clauses.append(chapter)
    [change] = compare(db6523, new).changed()
    assert (change.status, change.moved) == (CHANGED, True)
    assert change.title_diff == [("same", "基本原则"), ("ins", "和要求")]


def test_words_changed_are_marked_token_by_token():
    old = small()
    new = copy.deepcopy(old)
    new.foreword[0].text = "本文件按照GB/T 1.1-2020的规定起草。"
    new.clauses[3].elements[0].text = "应在3个工作日内一次办结。"
    comparison = compare(old, new)
    foreword = by_key(comparison, "foreword")
    assert (foreword.status, foreword.new_number) == (CHANGED, "前言")
    [element] = foreword.changed_elements()
    assert (element.key, element.status, element.kind) == ("fw", CHANGED, "Paragraph")
    assert element.old_text == "本文件按照GB/T 1.1-2009的规定起草。"
    assert element.diff == [("same", "本文件按照GB/T 1.1-"), ("del", "2009"), ("ins", "2020"),
                            ("same", "的规定起草。")]
    [element] = by_key(comparison, "k4").changed_elements()
    assert element.diff == [("same", "应在"), ("del", "5"), ("ins", "3"),
                            ("same", "个工作日内"), ("ins", "一次"), ("same", "办结。")]
    # The unchanged element stays listed as such.
    assert [e.status for e in by_key(comparison, "k4").elements] == [CHANGED, SAME]


def test_tokens():
    assert tokens("按照GB/T 1.1-2020，见⟦ref:k5⟧。") == [
        "按", "照", "GB", "/", "T", " ", "1.1", "-", "2020", "，", "见", "⟦ref:k5⟧", "。"]


def test_a_reference_only_renumbered_is_no_change():
    old = small()
    annex = reference_mark("ka")
    old.clauses[3].elements[1].text = f"窗口见{reference_mark('k52')}，流程见{annex}。"
    new = copy.deepcopy(old)
    new.clauses[4].subclauses.insert(0, Clause("服务环境", [Paragraph("整洁。", key="px")],
                                               key="kx"))
    new.annexes.insert(0, Annex("服务指南", False, [Paragraph("略。", key="pb")], key="kb"))
    comparison = compare(old, new)
    element = by_key(comparison, "k4").elements[1]
    assert element.status == SAME
    assert (element.old_text, element.new_text) == ("窗口见5.2，流程见附录A。",
                                                    "窗口见5.3，流程见附录B。")
    # A reference to another target is a change, shown with each draft's numbers.
    new.clauses[3].elements[1].text = f"窗口见{reference_mark('k51')}，流程见{annex}。"
    element = by_key(compare(old, new), "k4").elements[1]
    assert element.status == CHANGED
    assert element.diff == [("same", "窗口见"), ("del", "5.2"), ("ins", "5.2"),
                            ("same", "，流程见附录B。")]


def test_clauses_and_elements_added_and_removed():
    old = small()
    new = copy.deepcopy(old)
    del new.clauses[4].subclauses[0]  # 5.1 服务窗口
    new.clauses[4].subclauses[0].elements.insert(1, Paragraph("时限另有规定的从其规定。",
                                                              key="p52new"))
    del new.clauses[4].subclauses[0].elements[2]  # the first note
    new.annexes[0].subclauses.append(Clause("办结", [Paragraph("按时办结。", key="pa2")],
                                            key="ka2"))
    comparison = compare(old, new)
    assert comparison.counts() == {ADDED: 1, REMOVED: 1, MOVED: 0, CHANGED: 1}
    rows = [(c.status, c.old_number, c.new_number) for c in comparison.changed()]
    assert rows == [(REMOVED, "5.1", ""), (CHANGED, "5.2", "5.1"), (ADDED, "", "A.2")]
    removed = comparison.changed()[0]
    assert removed.title_diff == [("del", "服务窗口")]
    assert [(e.status, e.diff) for e in removed.elements] == [
        (REMOVED, [("del", "窗口设置应合理。")])]
    changed = comparison.changed()[1]
    assert [(e.key, e.status, e.old_label, e.new_label) for e in changed.elements] == [
        ("p52", SAME, "", ""), ("n52", REMOVED, "注1", ""), ("p52new", ADDED, "", ""),
        ("n52b", SAME, "注2", "注")]
    assert comparison.element_counts() == {ADDED: 2, REMOVED: 2, MOVED: 0, CHANGED: 0}


def test_an_element_moved_to_another_clause():
    old = small()
    new = copy.deepcopy(old)
    note = new.clauses[4].subclauses[1].elements.pop(2)
    new.clauses[3].elements.append(note)
    comparison = compare(old, new)
    [element] = by_key(comparison, "k4").changed_elements()
    assert (element.key, element.status, element.moved, element.old_clause_number,
            element.old_label, element.new_label) == ("n52b", MOVED, True, "5.2", "注2", "注")
    assert by_key(comparison, "k4").status == CHANGED
    # Reordered inside its clause: moved too.
    new = copy.deepcopy(old)
    new.clauses[3].elements.reverse()
    statuses = [(e.key, e.status) for e in by_key(compare(old, new), "k4").elements]
    assert statuses == [("p4b", MOVED), ("p4", SAME)]


def test_parts_without_keys_match_by_place_and_content():
    old = small()
    for element in all_elements(old):
        element.key = ""
    new = copy.deepcopy(old)
    new.clauses[3].elements[0].text = "应在3个工作日内办结。"
    new.clauses[3].elements.insert(0, Paragraph("新增的要求。"))
    comparison = compare(old, new)
    assert [(c.key, c.status) for c in comparison.changed()] == [("k4", CHANGED)]
    assert [(e.key, e.status) for e in by_key(comparison, "k4").elements] == [
        ("", ADDED), ("", CHANGED), ("", SAME)]


def test_every_kind_of_element_compares():
    old = small()
    old.clauses[3].elements += [
        ListItem("办事指南。"), Example("参保登记。"), Table("时限", [["事项", "时限"],
                                                                   ["登记", "1日"]]),
        Figure("流程图", b"\x89PNG one", "a.png"),
        TermEntry("参保人", "参加社会保险的人。", notes=["含退休人员。"], source="GB/T 1")]
    keyed(old)
    new = copy.deepcopy(old)
    item, example, table, figure, term = new.clauses[3].elements[2:]
    item.style = "letter"
    table.rows[1][1] = "2日"
    figure.image = b"\x89PNG two"
    term.notes[0] = "不含退休人员。"
    changes = {e.kind: e for e in compare(old, new).changed()[0].changed_elements()}
    assert set(changes) == {"ListItem", "Table", "Figure", "TermEntry"}
    assert (changes["ListItem"].old_label, changes["ListItem"].new_label) == ("——", "a)")
    assert changes["Table"].new_text == "时限\n事项 | 时限\n登记 | 2日"
    assert ("del", "1") in changes["Table"].diff and ("ins", "2") in changes["Table"].diff
    assert changes["Figure"].image_changed and changes["Figure"].diff == [("same", "流程图")]
    assert changes["TermEntry"].diff == [
        ("same", "参保人\n参加社会保险的人。\n注1："), ("ins", "不"),
        ("same", "含退休人员。\n[来源：GB/T 1]")]


def test_an_annex_changed_in_nature():
    old = small()
    new = copy.deepcopy(old)
    new.annexes[0].normative = False
    [change] = compare(old, new).changed()
    assert (change.status, change.kind, change.old_number, change.new_heading) == (
        CHANGED, "annex", "A", "附录A（资料性）服务流程")
    assert change.title_diff == [("same", "（"), ("del", "规范"), ("ins", "资料"),
                                 ("same", "性）服务流程")]


def test_the_cover_changes_but_not_the_stage():
    old = small()
    new = copy.deepcopy(old)
    new.stage = "送审稿"
    new.title = "社会保险经办服务规范 第1部分：总则"
    new.issued_on = datetime.date(2025, 1, 2)
    comparison = compare(old, new)
    assert [(c.field, c.old, c.new) for c in comparison.cover] == [
        ("title", old.title, new.title), ("issued_on", "", "2025-01-02")]
    assert comparison.cover[0].diff == [("same", "社会保险经办服务规范"),
                                        ("ins", " 第1部分：总则")]
    assert comparison.changed() == [] and not comparison.is_empty()


def test_as_dict_is_json(db6523):
    new = copy.deepcopy(db6523)
    new.clauses[0].elements[0].text += "（修订）"
    del new.clauses[7]
    data = compare(db6523, new).as_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert '"status": "removed"' in text and "修订" in text
    assert data["counts"] == {ADDED: 0, REMOVED: 4, MOVED: 0, CHANGED: 1}
    full = compare(db6523, new).as_dict(full=True)
    assert len(full["clauses"]) > len(data["clauses"])
    json.dumps(full)


# The reports ---------------------------------------------------------------------------


def edited() -> tuple[Document, Document]:
    old = small()
    new = copy.deepcopy(old)
    new.foreword[0].text = "本文件按照GB/T 1.1-2020的规定起草。"
    del new.clauses[4].subclauses[0]
    new.clauses[4].subclauses[0].elements.append(Note("逾期<不>受理。", key="n-new"))
    new.title = "社会保险经办服务要求"
    return old, new


def revisions(data: bytes) -> tuple[list[str], list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    inserted = ["".join(ins.itertext()) for ins in root.iter(f"{W}ins")]
    deleted = ["".join(text.text or "" for text in node.iter(f"{W}delText"))
               for node in root.iter(f"{W}del")]
    for revision in [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]:
        assert revision.get(f"{W}id") and revision.get(f"{W}author") == "审查组"
        assert revision.get(f"{W}date") == "2025-03-01T08:00:00Z"
    # Deleted words stand in w:delText only.
    assert not [text for node in root.iter(f"{W}del") for text in node.iter(f"{W}t")]
    return inserted, deleted


def test_the_docx_holds_tracked_revisions():
    old, new = edited()
    data = write_comparison_docx(compare(old, new), "征求意见稿", "送审稿", "草案比较",
                                 author="审查组",
                                 date=datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.UTC))
    inserted, deleted = revisions(data)
    assert inserted == ["要求", "2020", "逾期<不>受理。"]
    # A removed clause's title stands in its heading, its elements deleted whole.
    assert deleted == ["规范", "2009", "窗口设置应合理。"]
    word = docx.Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert texts[:2] == ["草案比较", "征求意见稿 → 送审稿"]
    assert "5.1 服务窗口［删除］" in texts and "5.2 服务时限 → 5.1 服务时限" in texts
    assert "注3［新增］　" in texts
    # 宋体 named for East Asian text on every run.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    fonts = {run.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") for run in root.iter(f"{W}r")}
    assert fonts == {"宋体", "黑体"}


def test_the_docx_of_the_published_text_with_labels(db6523):
    new = copy.deepcopy(db6523)
    new.clauses[0].elements[0].text = new.clauses[0].elements[0].text.replace("昌吉州", "本州")
    data = write_comparison_docx(compare(db6523, new), "一稿", "二稿", "",
                                 labels={"counts": "changed {changed}"},
                                 author="审查组",
                                 date=datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.UTC))
    inserted, deleted = revisions(data)
    assert (inserted, deleted) == (["本"], ["昌吉"])
    texts = [paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs]
    assert texts[2] == "changed 1" and "1 范围" in texts


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")),
                    reason="LibreOffice is not installed")
def test_libreoffice_opens_the_docx(tmp_path):
    old, new = edited()
    path = tmp_path / "comparison.docx"
    path.write_bytes(write_comparison_docx(compare(old, new), "一稿", "二稿", "草案比较"))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(path)], check=True, timeout=120, capture_output=True)
    assert (tmp_path / "comparison.pdf").read_bytes().startswith(b"%PDF")


def test_the_html_escapes_and_marks():
    old, new = edited()
    html = comparison_html(compare(old, new), "一稿<script>", "二稿")
    assert "一稿&lt;script&gt; → 二稿" in html
    assert "<ins>逾期&lt;不&gt;受理。</ins>" in html
    assert "<del>2009</del><ins>2020</ins>" in html
    assert "5.1 服务窗口［删除］" in html


def test_the_pdf():
    old, new = edited()
    data = write_comparison_pdf(compare(old, new), "征求意见稿", "送审稿")
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "5.2 服务时限 → 5.1 服务时限" in text
    assert "逾期<不>受理" in text
