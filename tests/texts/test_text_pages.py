"""The text pages: reading, the editor's forms (each element saved alone, with its version),
moves that renumber, the checks beside the text, the import, and the refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import default_organization
from tests.texts.conftest import fixture_lines
from texts.actions import AddPart, AddText
from texts.models import Part
from texts.rules.structure import outline
from texts.storage import load

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def text(office):
    text = AddText(office, default_organization(),
                      cover={"number": "DB6523/T 370—2023",
                             "title": "社会保险服务标准化工作指南"}).execute()
    requirements = AddPart(office, text, Part.Kind.CLAUSE, values={"title": "基本要求"}).execute()
    AddPart(office, text, Part.Kind.PARAGRAPH, parent=requirements,
            values={"body": "经办机构应建立标准体系。"}).execute()
    return text


def clause(text, title):
    return text.parts.get(kind=Part.Kind.CLAUSE, title=title)


def version(part):
    return str(part.history.order_by("-pk").first().pk)


def test_the_text_reads_with_its_numbers_and_checks(client_for, text):
    page = client_for("viewer").get(reverse("texts:text", args=[text.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "4 基本要求" in html and "经办机构应建立标准体系。" in html
    assert 'id="text-edit"' not in html  # a viewer reads only
    assert 'id="text-checks"' in html


def test_the_editor_saves_one_element_with_htmx(client_for, text, office):
    paragraph = clause(text, "基本要求").children.get()
    client = client_for("office")
    editor = client.get(reverse("texts:edit", args=[text.pk]),
                        {"part": clause(text, "基本要求").pk})
    assert editor.status_code == 200
    assert "经办机构应建立标准体系。" in editor.content.decode()
    answer = client.post(reverse("texts:part_save", args=[text.pk, paragraph.pk]), {
        f"p{paragraph.pk}-body": "经办机构应建立并保持标准体系。",
        f"p{paragraph.pk}-loaded_version": version(paragraph)}, **HTMX)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.lstrip().startswith("<article")
    assert "经办机构应建立并保持标准体系。" in html
    paragraph.refresh_from_db()
    assert paragraph.body == "经办机构应建立并保持标准体系。"
    assert paragraph.history.order_by("-pk").first().history_user == office


def test_a_save_over_a_newer_version_is_refused_with_the_other_change(client_for, text, users):
    paragraph = clause(text, "基本要求").children.get()
    loaded_version = version(paragraph)
    client = client_for("office")
    client.post(reverse("texts:part_save", args=[text.pk, paragraph.pk]), {
        f"p{paragraph.pk}-body": "第一个人的修改。", f"p{paragraph.pk}-loaded_version":
        loaded_version}, **HTMX)
    answer = client.post(reverse("texts:part_save", args=[text.pk, paragraph.pk]), {
        f"p{paragraph.pk}-body": "第二个人的修改。", f"p{paragraph.pk}-loaded_version":
        loaded_version}, **HTMX)
    assert 'id="edit-conflict"' in answer.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.body == "第一个人的修改。"


def test_moving_a_clause_renumbers_the_outline(client_for, text):
    client = client_for("office")
    requirements = clause(text, "基本要求")
    answer = client.post(reverse("texts:part_move", args=[text.pk, requirements.pk, "up"]),
                         {"selected": requirements.pk}, follow=True)
    assert answer.status_code == 200
    assert outline(load(text).document)[2:4] == [("3", "基本要求"), ("4", "术语和定义")]
    assert "3 基本要求" in answer.content.decode()


def test_elements_and_clauses_are_added(client_for, text):
    client = client_for("office")
    requirements = clause(text, "基本要求")
    client.post(reverse("texts:part_add", args=[text.pk]),
                {"selected": requirements.pk, "add-kind": "note"})
    assert requirements.children.filter(kind="note").exists()
    client.post(reverse("texts:part_add", args=[text.pk]),
                {"selected": requirements.pk, "outline-kind": "subclause",
                 "outline-title": "服务场所"})
    assert ("4.1", "服务场所") in outline(load(text).document)


def test_a_viewer_and_another_organization_cannot_edit(client_for, text, users):
    paragraph = clause(text, "基本要求").children.get()
    client = client_for("viewer")
    assert client.get(reverse("texts:edit", args=[text.pk])).status_code == 403
    answer = client.post(reverse("texts:part_save", args=[text.pk, paragraph.pk]),
                         {f"p{paragraph.pk}-body": "x"})
    assert answer.status_code == 403
    paragraph.refresh_from_db()
    assert paragraph.body == "经办机构应建立标准体系。"


def test_importing_a_word_file_replaces_the_text(client_for, text, make_docx):
    client = client_for("office")
    content = make_docx(fixture_lines("db6523_t_370_2023.txt")).read_bytes()
    upload = SimpleUploadedFile("db6523.docx", content)
    refused = client.post(reverse("texts:import", args=[text.pk]), {"file": upload})
    assert refused.status_code == 200 and 'id="import-form"' in refused.content.decode()
    assert clause(text, "基本要求")  # nothing replaced without a reason
    upload = SimpleUploadedFile("db6523.docx", content)
    client.post(reverse("texts:import", args=[text.pk]),
                {"file": upload, "reason": "导入已发布文本"})
    text.refresh_from_db()
    assert text.title == "社会保险服务标准化工作指南"
    assert ("4", "基本原则") in outline(load(text).document)
    assert not text.parts.filter(body="经办机构应建立标准体系。").exists()


def test_normative_references_link_to_the_catalog(client_for, seeded, office):
    """Clause 2's entries are found by the catalog's parser and link to the standard: the
    dated GB/T 1.1—2020 and the undated GB/T 13016 (its newest edition); a number the
    catalog lacks says so."""
    from texts.actions import REFERENCES_LEAD_IN
    from texts.rules.structure import Clause, Document, Paragraph

    document = Document(number="DB6523/T 370—2023", title="社会保险服务标准化工作指南", clauses=[
        Clause("范围", [Paragraph("本文件规定了社会保险服务标准化工作。")]),
        Clause("规范性引用文件", [
            Paragraph(REFERENCES_LEAD_IN),
            Paragraph("GB/T 1.1—2020　标准化工作导则　第1部分：标准化文件的结构和起草规则"),
            Paragraph("GB/T 13016　标准体系构建原则和要求"),
            Paragraph("GB/T 99999—2030　不存在的标准")])])
    text = AddText(office, default_organization(), document=document).execute()
    html = client_for("viewer").get(reverse("texts:text", args=[text.pk])).content.decode()
    from catalog.models import Standard

    for serial in ("1.1", "13016"):
        standard = Standard.objects.get(code="GB/T", serial=serial)
        assert f'href="{standard.get_absolute_url()}" class="cited-standard"' in html
    assert "GB/T 99999—2030" in html and "cited-standard" in html


def test_a_published_standards_text_is_imported_on_its_page(client_for, seeded, make_docx):
    """DB 6523/T 370-2023, the bureau's own published standard: its page links its text;
    without one, the office imports the published Word file and everyone reads it."""
    from catalog.models import Standard

    standard = Standard.objects.get(code="DB6523/T", serial="370")
    url = reverse("texts:standard_text", args=[standard.pk])
    viewer = client_for("viewer")
    standard_page = viewer.get(standard.get_absolute_url()).content.decode()
    assert 'id="standard-text"' in standard_page and f'href="{url}"' in standard_page
    page = viewer.get(url).content.decode()
    assert 'id="import-form"' not in page  # a viewer may not import
    content = make_docx(fixture_lines("db6523_t_370_2023.txt")).read_bytes()
    office = client_for("office")
    answer = office.post(url, {"file": SimpleUploadedFile("db6523.docx", content)})
    assert answer.status_code == 302
    text = standard.text
    assert answer.url == text.get_absolute_url()
    assert ("8", "监督与评价") in outline(load(text).document)
    again = client_for("viewer").get(url)
    assert again.status_code == 302 and again.url == text.get_absolute_url()
    assert "社会保险服务标准化工作指南" in client_for("viewer").get(again.url).content.decode()


def test_the_texts_history_page_shows_its_parts_changes(client_for, text, office):
    """Every save is history with who and when: the text's page lists its parts' changes."""
    from texts.actions import SavePart

    paragraph = clause(text, "基本要求").children.get()
    SavePart(office, paragraph, {"body": "经办机构应建立并实施标准体系。"}).execute()
    page = client_for("viewer").get(
        reverse("audit:record_history", args=["texts.text", text.pk])).content.decode()
    from django.utils.translation import gettext

    assert gettext("Edited in the text editor") in page  # the reason, as it was written


def test_a_move_of_its_neighbours_is_no_conflict(client_for, text, office):
    """Moving a clause renumbers its neighbours (their positions are history too); a form
    opened before the move still saves, since what the part says did not change."""
    from texts.actions import UP, MovePart

    scope = clause(text, "范围")
    loaded_version = version(scope)
    MovePart(office, clause(text, "术语和定义"), UP).execute()
    assert version(clause(text, "范围")) == loaded_version  # 范围 itself did not move
    terms = clause(text, "术语和定义")
    terms_version = version(terms)
    MovePart(office, clause(text, "规范性引用文件"), UP).execute()
    assert version(clause(text, "术语和定义")) != terms_version
    answer = client_for("office").post(
        reverse("texts:part_save", args=[text.pk, terms.pk]),
        {f"p{terms.pk}-title": "术语和定义", f"p{terms.pk}-loaded_version": terms_version},
        follow=True)
    assert 'id="edit-conflict"' not in answer.content.decode()


def test_footnotes_are_listed_under_their_clause_and_the_checks_follow_a_save(
        client_for, text, office):
    paragraph = clause(text, "基本要求").children.get()
    client = client_for("office")
    answer = client.post(reverse("texts:part_save", args=[text.pk, paragraph.pk]), {
        f"p{paragraph.pk}-body": "经办机构应建立标准体系⟦fn:含服务通用基础标准。⟧，必须公开。",
        f"p{paragraph.pk}-loaded_version": version(paragraph)}, **HTMX)
    assert answer["HX-Trigger"] == "textSaved"
    page = client.get(reverse("texts:text", args=[text.pk])).content.decode()
    assert '<a href="#fn-1" title="含服务通用基础标准。">1)</a>' in page
    assert '<li id="fn-1"><span class="t-label">1)</span> 含服务通用基础标准。</li>' in page
    checks = client.get(reverse("texts:checks", args=[text.pk])).content.decode()
    assert checks.lstrip().startswith("<h2")
    assert 'data-kind="modal_verb"' in checks  # 必须: GB/T 1.1 says 应


def test_a_figure_takes_an_uploaded_image(client_for, text, office):
    """A figure's image is uploaded on its form, checked by content, and served to the
    text's readers; a file that is no image is refused with nothing written."""
    from tests.texts.conftest import png

    figure = AddPart(office, text, Part.Kind.FIGURE, parent=clause(text, "基本要求"),
                     values={"title": "服务流程"}).execute()
    client = client_for("office")
    url = reverse("texts:part_save", args=[text.pk, figure.pk])
    refused = client.post(url, {f"p{figure.pk}-title": "服务流程",
                                f"p{figure.pk}-image": SimpleUploadedFile("a.png", b"%PDF-1.4")},
                          **HTMX)
    assert "PNG" in refused.content.decode()
    figure.refresh_from_db()
    assert not figure.image
    client.post(url, {f"p{figure.pk}-title": "服务流程图",
                      f"p{figure.pk}-image": SimpleUploadedFile("flow.png", png())}, **HTMX)
    figure.refresh_from_db()
    assert figure.title == "服务流程图" and figure.data["image_name"] == "flow.png"
    image = client_for("viewer").get(reverse("texts:figure_image", args=[text.pk, figure.pk]))
    assert image["Content-Type"] == "image/png" and image.content == png()
    page = client_for("viewer").get(reverse("texts:text", args=[text.pk])).content.decode()
    assert "图1</span> 服务流程图" in page
