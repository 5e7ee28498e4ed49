"""Writes to a text: each through its action, each with its history row, numbers following
the order."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.actions import ActionError
from tests.factories import default_organization
from texts.actions import (
    DOWN,
    INDENT,
    OUTDENT,
    UP,
    AddPart,
    AddTermFromText,
    AddText,
    DeletePart,
    MovePart,
    ReplaceText,
    SavePart,
)
from texts.models import Part
from texts.rules.structure import (
    Clause,
    Document,
    Paragraph,
    TermEntry,
    number,
    outline,
    plain,
)
from texts.storage import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def text(office):
    return AddText(office, default_organization(),
                      cover={"number": "DB6523/T 370—2023",
                             "title": "社会保险服务标准化工作指南"}).execute()


def clause(text, title):
    return text.parts.get(kind=Part.Kind.CLAUSE, title=title)


def test_a_new_text_starts_from_the_skeleton(text):
    document = load(text).document
    assert outline(document) == [("1", "范围"), ("2", "规范性引用文件"), ("3", "术语和定义")]
    assert document.foreword[0].text.startswith("本文件按照GB/T 1.1—2020")
    assert text.history.count() == 1
    assert all(part.history.count() == 1 for part in text.parts.all())


def test_saving_an_element_writes_one_history_row_with_its_user(text, office):
    paragraph = clause(text, "范围").children.get()
    SavePart(office, paragraph, {"body": "本文件规定了社会保险服务标准体系的构成。"}).execute()
    rows = paragraph.history.order_by("-pk")
    assert rows.count() == 2
    assert rows[0].history_user == office
    assert rows[0].body == "本文件规定了社会保险服务标准体系的构成。"


def test_clauses_move_and_the_numbers_and_references_follow(text, office):
    body = AddPart(office, text, Part.Kind.CLAUSE, values={"title": "基本要求"}).execute()
    other = AddPart(office, text, Part.Kind.CLAUSE, values={"title": "服务要求"}).execute()
    sub = AddPart(office, text, Part.Kind.CLAUSE, parent=other,
                  values={"title": "服务提供"}).execute()
    scope = clause(text, "范围").children.get()
    SavePart(office, scope, {"body": f"服务提供见⟦ref:{sub.key}⟧。"}).execute()
    loaded = load(text)
    assert ("5.1", "服务提供") in outline(loaded.document)
    assert plain(loaded.nodes[scope.key].text, number(loaded.document)) == "服务提供见5.1。"


    MovePart(office, other, UP).execute()
    loaded = load(text)
    assert outline(loaded.document)[3:] == [("4", "服务要求"), ("4.1", "服务提供"),
                                            ("5", "基本要求")]
    assert plain(loaded.nodes[scope.key].text, number(loaded.document)) == "服务提供见4.1。"

    MovePart(office, Part.objects.get(pk=body.pk), INDENT).execute()
    assert outline(load(text).document)[3:] == [
        ("4", "服务要求"), ("4.1", "服务提供"), ("4.2", "基本要求")]
    MovePart(office, Part.objects.get(pk=sub.pk), OUTDENT).execute()
    assert outline(load(text).document)[3:] == [
        ("4", "服务要求"), ("4.1", "基本要求"), ("5", "服务提供")]
    with pytest.raises(ActionError):
        MovePart(office, Part.objects.get(pk=sub.pk), DOWN).execute()


def test_deleting_a_clause_deletes_its_parts_with_history(text, office):
    scope = clause(text, "范围")
    paragraph = scope.children.get()
    DeletePart(office, scope).execute()
    assert outline(load(text).document) == [("1", "规范性引用文件"), ("2", "术语和定义")]
    assert paragraph.history.filter(history_type="-").get().history_user == office


def test_importing_replaces_the_text_and_needs_a_reason(text, office):
    document = Document(number="DB6523/T 370—2023", title="新标题",
                        clauses=[Clause("范围", [Paragraph("本文件规定了…")])])
    with pytest.raises(ActionError):
        ReplaceText(office, text, document).execute()
    ReplaceText(office, text, document, reason="导入征求意见稿").execute()
    text.refresh_from_db()
    assert text.title == "新标题"
    assert outline(load(text).document) == [("1", "范围")]


def test_a_viewer_cannot_write(text, users):
    with pytest.raises(PermissionDenied):
        SavePart(users["viewer"], text.parts.first(), {"body": "x"}).execute()


def test_a_term_entry_is_offered_to_the_term_list(text, office):
    terms = clause(text, "术语和定义")
    entry = AddPart(office, text, Part.Kind.TERM, parent=terms, values={
        "title": "社会保险服务", "body": "社会保险经办机构为参保单位和个人提供的服务。",
        "data": {"english": "social insurance service", "source": "GB/T 32621-2016, 3.1"}},
    ).execute()
    term = AddTermFromText(office, entry, "3.1").execute()
    assert term.term_en == "social insurance service"
    assert term.source_reference == "GB/T 32621-2016"
    assert term.source_clause == "3.1"
    with pytest.raises(ActionError):
        AddTermFromText(office, entry, "3.1").execute()
    assert isinstance(load(text).nodes[entry.key], TermEntry)
