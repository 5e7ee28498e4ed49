"""The draft commands: ``identify_document`` says which frozen draft a file is (exit status
0) or that it is none (1); ``export_draft --stage`` writes a frozen draft's kept file, its
digest recorded; ``compare_drafts`` compares two versions of a project's text."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.actions.seed import SYSTEM_USERNAME
from tests.drafts import frozen
from tests.drafts.frozen import generated
from texts.actions import SaveCover
from texts.models import DraftFile
from texts.rules.proof import file_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def commented(make_project, users):
    return frozen.commented(make_project, users)


def run(*args):
    out = StringIO()
    call_command(*args, "--lang", "en", stdout=out, stderr=StringIO())
    return out.getvalue()


def identify_status(path):
    """What ``identify_document`` prints, and its exit status."""
    out = StringIO()
    try:
        call_command("identify_document", str(path), "--lang", "en", stdout=out)
    except SystemExit as exit_:
        return out.getvalue(), exit_.code
    return out.getvalue(), 0


def test_identify_document_names_the_draft_and_exits_0(commented, users, tmp_path):
    project, draft = commented
    path = tmp_path / "收到的文件.pdf"
    path.write_bytes(generated(draft, "pdf", users["office"]))
    printed, status = identify_status(path)
    assert status == 0
    assert f"the PDF file of the Draft for comments of “{project.title}”" in printed
    assert draft.sha256 in printed and file_digest(path.read_bytes()) in printed


def test_identify_document_exits_1_on_no_match(commented, users, tmp_path):
    _project, draft = commented
    content = generated(draft, "pdf", users["office"])
    path = tmp_path / "changed.pdf"
    path.write_bytes(content[:-1] + b"\n" if content[-1:] != b"\n" else content + b" ")
    printed, status = identify_status(path)
    assert status == 1 and "matches no frozen draft" in printed


def test_identify_document_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("identify_document", str(tmp_path / "none.pdf"), "--lang", "en")


def test_export_draft_stage_writes_the_kept_file_with_its_digest(commented, tmp_path):
    project, draft = commented
    path = tmp_path / "征求意见稿.docx"
    run("export_draft", "--project", str(project.pk), "--stage", "comment",
        "--format", "docx", "--output", str(path))
    kept = DraftFile.objects.get(draft=draft, format="docx")
    assert kept.sha256 == file_digest(path.read_bytes())
    assert kept.history.get().sha256 == kept.sha256
    assert kept.generated_by.username == SYSTEM_USERNAME
    # The same bytes again: the kept file, which identify_document names.
    again = tmp_path / "again.docx"
    run("export_draft", "--project", str(project.pk), "--stage", "comment",
        "--format", "docx", "--output", str(again))
    assert again.read_bytes() == path.read_bytes()
    assert identify_status(again)[1] == 0


def test_export_draft_stage_without_that_draft_is_refused(commented):
    project, _draft = commented
    with pytest.raises(CommandError, match="no frozen draft at the stage"):
        run("export_draft", "--project", str(project.pk), "--stage", "review",
            "--format", "pdf")


def test_compare_drafts_as_json_and_word(commented, users, tmp_path):
    project, draft = commented
    SaveCover(users["office"], project.text, {"title": "社会保险报表报送管理规范"}).execute()
    data = json.loads(run("compare_drafts", "--project", str(project.pk), "comment",
                          "current", "--format", "json"))
    assert [(c["field"], c["new"]) for c in data["cover"]] == [
        ("title", "社会保险报表报送管理规范")]
    assert data["counts"] == {"added": 0, "removed": 0, "moved": 0, "changed": 0}
    # A draft's number names it as its stage does.
    assert json.loads(run("compare_drafts", "--project", str(project.pk), str(draft.pk),
                          "current"))["cover"] == data["cover"]
    path = tmp_path / "changes.docx"
    run("compare_drafts", "--project", str(project.pk), "comment", "current",
        "--format", "docx", "--output", str(path))
    assert path.read_bytes().startswith(b"PK\x03\x04")


def test_compare_drafts_refuses_an_unknown_version(commented):
    project, _draft = commented
    with pytest.raises(CommandError, match="has no version “approval”"):
        run("compare_drafts", "--project", str(project.pk), "comment", "approval")
