"""A project's text: started from the GB/T 1.1 skeleton or imported from Word on the
project page; importing again replaces it with a reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lifecycle.models import Project
from tests.texts.conftest import fixture_lines
from texts.rules.structure import outline
from texts.storage import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(users, seeded):
    from datetime import timedelta

    from django.utils import timezone

    from lifecycle.models import Department
    from registry.models import Node

    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    return Project.objects.create(
        title="社会保险服务标准化工作指南", level="organization",
        node=Node.objects.get(code="304-09"), department=department, leader=users["office"],
        planned_start=timezone.localdate(), planned_end=timezone.localdate() + timedelta(days=180),
        created_by=users["office"])


def test_the_office_starts_the_text_from_the_skeleton(client_for, project):
    client = client_for("office")
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'id="text-start"' in page
    answer = client.post(reverse("lifecycle:text_start", args=[project.pk]))
    project.refresh_from_db()
    assert answer.url == reverse("texts:edit", args=[project.text_id])
    assert project.text.title == "社会保险服务标准化工作指南"
    assert outline(load(project.text).document) == [
        ("1", "范围"), ("2", "规范性引用文件"), ("3", "术语和定义")]
    assert 'id="text-edit"' in client.get(project.get_absolute_url()).content.decode()


def test_the_office_imports_the_text_and_again_with_a_reason(client_for, project, make_docx):
    client = client_for("office")
    content = make_docx(fixture_lines("db6523_t_370_2023.txt")).read_bytes()
    url = reverse("lifecycle:text_import", args=[project.pk])
    answer = client.post(url, {"file": SimpleUploadedFile("db6523.docx", content)})
    project.refresh_from_db()
    assert answer.status_code == 302
    assert ("4", "基本原则") in outline(load(project.text).document)
    first = project.text_id
    again = client.post(url, {"file": SimpleUploadedFile("db6523.docx", content)})
    assert again.status_code == 200  # a reason is asked to replace the text
    client.post(url, {"file": SimpleUploadedFile("db6523.docx", content),
                      "reason": "导入修改后的征求意见稿"})
    project.refresh_from_db()
    assert project.text_id == first


def test_a_viewer_cannot_start_or_import(client_for, project):
    client = client_for("viewer")
    assert client.post(reverse("lifecycle:text_start", args=[project.pk])).status_code == 403
    assert client.get(reverse("lifecycle:text_import", args=[project.pk])).status_code == 403
    project.refresh_from_db()
    assert project.text_id is None


def test_a_revision_starts_from_the_published_text(client_for, project, users, make_docx):
    """The revision of DB 6523/T 370-2023, whose text the registry holds, starts from a copy
    of it; the published text is left as it is."""
    from catalog.models import Standard
    from lifecycle.choices import ProjectKind
    from tests.factories import default_organization
    from texts.actions import AddText
    from texts.rules.docx_import import read_docx

    standard = Standard.objects.get(code="DB6523/T", serial="370")
    document, _report = read_docx(make_docx(fixture_lines("db6523_t_370_2023.txt")))
    published = AddText(users["office"], default_organization(), standard=standard,
                           document=document).execute()
    Project.objects.filter(pk=project.pk).update(kind=ProjectKind.REVISION, revises=standard)
    client = client_for("office")
    assert "修订从其副本开始" in client.get(project.get_absolute_url()).content.decode()
    client.post(reverse("lifecycle:text_start", args=[project.pk]))
    project.refresh_from_db()
    assert project.text_id != published.pk
    assert outline(load(project.text).document) == outline(load(published).document)
    assert project.text.number == "DB6523/T 370"
    assert project.text.replaces == f"代替 {standard.number}"
    assert project.text.issued_on is None and project.text.stage == "征求意见稿"
    assert published.parts.count() == project.text.parts.count()
