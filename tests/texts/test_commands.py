"""The text commands on DB 6523/T 370—2023 as published: import a DOCX as a project's or a
published standard's text (again: replaced, with a reason), check it, write it out."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from catalog.models import Standard
from lifecycle.choices import Stage
from lifecycle.models import Department, Project
from organizations.models import Organization
from registry.models import Node
from tests.texts.conftest import fixture_lines
from texts.models import Part, Text
from texts.rules.docx_import import read_docx
from texts.rules.structure import outline
from texts.storage import load

pytestmark = pytest.mark.django_db

DB6523 = "DB6523/T 370—2023"


def new_project(users, **fields):
    department = Department.objects.get_or_create(name="社会保险经办科",
                                                  defaults={"lead": users["lead"]})[0]
    values = {"title": "社会保险服务标准化工作指南", "level": "local",
              "node": Node.objects.get(code="304-09"), "department": department,
              "leader": users["office"], "planned_start": timezone.localdate(),
              "planned_end": timezone.localdate() + timedelta(days=180),
              "created_by": users["office"], **fields}
    return Project.objects.create(**values)


@pytest.fixture
def project(seeded, users):
    return new_project(users)


@pytest.fixture
def docx_file(make_docx):
    return make_docx(fixture_lines("db6523_t_370_2023.txt"), name="DB6523-T370-2023.docx")


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_importing_a_docx_makes_it_the_project_s_text_with_history(project, docx_file):
    printed = run("import_draft", str(docx_file), "--project", str(project.pk))
    project.refresh_from_db()
    text = project.text
    expected = outline(read_docx(docx_file)[0])
    assert outline(load(text).document) == expected
    assert f"{len(expected)} " in printed and str(text.pk) in printed
    assert (text.number, text.title) == (DB6523, "社会保险服务标准化工作指南")
    assert text.organization_id == project.organization_id
    # The link and every part written with their history, as the system account.
    link = project.history.order_by("-pk").first()
    assert link.text_id == text.pk and link.history_user.username == "system"
    parts = text.parts.count()
    assert parts > 50
    assert Part.history.filter(text_id=text.pk, history_type="+").count() == parts


def test_importing_again_replaces_the_text_and_needs_a_reason(project, docx_file, make_docx,
                                                              users):
    run("import_draft", str(docx_file), "--project", str(project.pk))
    project.refresh_from_db()
    text, before = project.text, project.text.parts.count()
    with pytest.raises(CommandError):
        run("import_draft", str(docx_file), "--project", str(project.pk))
    assert text.parts.count() == before
    # A shorter edition: up to clause 3 of the published text.
    lines = fixture_lines("db6523_t_370_2023.txt")
    shorter = make_docx(lines[:lines.index("4 基本原则")], name="short.docx")
    run("import_draft", str(shorter), "--project", str(project.pk), "--reason", "按送审稿重新导入",
        "--user", "office")
    project.refresh_from_db()
    assert project.text_id == text.pk  # the same text, its parts replaced
    assert outline(load(text).document) == outline(read_docx(shorter)[0])
    deleted = Part.history.filter(text_id=text.pk, history_type="-")
    assert deleted.count() == before
    assert {(row.history_change_reason, row.history_user) for row in deleted} == {
        ("按送审稿重新导入", users["office"])}


def test_a_published_standard_gets_its_text(seeded, docx_file):
    printed = run("import_draft", str(docx_file), "--standard", "DB6523/T 370-2023")
    standard = Standard.objects.get(number=DB6523)
    text = Text.objects.get(standard=standard)
    assert str(text.pk) in printed
    assert text.history.count() == 1
    # Again, it is replaced with the reason given.
    run("import_draft", str(docx_file), "--standard", DB6523, "--reason", "更正导入")
    assert Text.objects.filter(standard=standard).count() == 1
    assert text.history.order_by("-pk").first().history_change_reason == "更正导入"


def test_what_could_not_be_placed_is_reported(project, make_docx):
    lines = fixture_lines("db6523_t_370_2023.txt")
    # A line on the cover that is no cover field.
    at = lines.index("昌吉回族自治州市场监督管理局 发布")
    lines.insert(at + 1, "内部资料 注意保存")
    printed = run("import_draft", str(make_docx(lines)), "--project", str(project.pk))
    assert "内部资料 注意保存" in printed


def test_refusals_say_why_and_write_nothing(project, docx_file, tmp_path, users):
    before = (Text.objects.count(), Part.objects.count())
    not_word = tmp_path / "notes.docx"
    not_word.write_text("标准草案", encoding="utf-8")
    cases = [
        ((str(not_word), "--project", str(project.pk)), "DOCX"),
        ((str(tmp_path / "missing.docx"), "--project", str(project.pk)), "missing.docx"),
        ((str(docx_file), "--project", "999999"), "999999"),
        ((str(docx_file), "--standard", "GB/T 99999-2020"), "GB/T 99999"),
        ((str(docx_file), "--standard", "GB/T"), ""),
        ((str(docx_file), "--project", str(project.pk), "--user", "nobody"), "nobody"),
    ]
    for args, said in cases:
        with pytest.raises(CommandError) as refused:
            run("import_draft", *args, "--lang", "en")
        assert said in str(refused.value), args
    # A finished project's text is not changed any more.
    done = new_project(users, stage=Stage.TERMINATED)
    with pytest.raises(CommandError, match="finished"):
        run("import_draft", str(docx_file), "--project", str(done.pk), "--lang", "en")
    assert (Text.objects.count(), Part.objects.count()) == before


def test_another_organization_s_project_is_not_found_without_its_code(project, docx_file,
                                                                      users):
    county = Organization.objects.create(name="阜康市社会保险中心", code="652302",
                                         parent=project.organization)
    theirs = new_project(users, organization=county)
    with pytest.raises(CommandError, match="--organization"):
        run("import_draft", str(docx_file), "--project", str(theirs.pk), "--lang", "en")
    assert Text.objects.count() == 0


def test_check_draft_gives_the_findings_as_json(project, docx_file):
    run("import_draft", str(docx_file), "--project", str(project.pk))
    findings = json.loads(run("check_draft", "--project", str(project.pk), "--format", "json"))
    assert [(f["kind"], f["place"]) for f in findings] == [
        ("reference_not_listed", "6.3.1.1"), ("term_not_used", "3.7"),
        ("term_not_used", "3.8")]
    assert all(set(f) == {"kind", "place", "message"} and f["message"] for f in findings)
    printed = run("check_draft", "--project", str(project.pk), "--lang", "en")
    assert "6.3.1.1\t" in printed and "3 findings." in printed


def test_a_project_without_a_text_says_so(project):
    with pytest.raises(CommandError, match="no text"):
        run("check_draft", "--project", str(project.pk), "--lang", "en")
    with pytest.raises(CommandError, match="no text"):
        run("export_draft", "--standard", DB6523, "--format", "docx", "--lang", "en")


def test_export_draft_writes_word_that_reads_back(project, docx_file, tmp_path):
    run("import_draft", str(docx_file), "--project", str(project.pk))
    output = tmp_path / "out.docx"
    run("export_draft", "--project", str(project.pk), "--format", "docx", "--output",
        str(output))
    project.refresh_from_db()
    again, _report = read_docx(output)
    assert outline(again) == outline(load(project.text).document)


def test_export_draft_writes_a_pdf(project, docx_file, tmp_path):
    run("import_draft", str(docx_file), "--project", str(project.pk))
    output = tmp_path / "out.pdf"
    run("export_draft", "--project", str(project.pk), "--format", "pdf", "--output",
        str(output))
    assert output.read_bytes().startswith(b"%PDF")
