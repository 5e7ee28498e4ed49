"""The differences between two versions of a project's text, clause by clause: the page,
and the PDF and Word (tracked changes) files a worker lays out."""

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lifecycle.choices import Disposition
from lifecycle.models import Comment
from lifecycle.rules.drafts import comparison_docx, comparison_pdf
from registry.models import ExportJob
from tests.drafts.frozen import open_period
from tests.drafts.test_freezing import text_project
from tests.lifecycle.projects.test_workflow import step, time_passes
from texts.actions import DeletePart, MovePart, SavePart
from texts.models import Part
from texts.rules.structure import walk
from texts.storage import load

pytestmark = pytest.mark.django_db


def clause_part(text, number):
    document = load(text, images=False).document
    key = next(p.clause.key for p in walk(document) if p.number == number)
    return Part.objects.get(text=text, key=key)


@pytest.fixture
def revised(make_project, users, db6523):
    """DB 6523/T 370-2023 drafted in the registry, its comment period opened (征求意见稿),
    then edited: 4.1 moved to the end of clause 4, words of 4.2 changed, 5.4.4 removed;
    the period closed (送审稿)."""
    office = users["office"]
    project = text_project(make_project, users, db6523)
    project = open_period(project, users)
    text = project.text
    moved = clause_part(text, "4.1")
    for _ in range(3):
        MovePart(office, Part.objects.get(pk=moved.pk), "down").execute()
    paragraph = clause_part(text, "4.1").children.get()  # 系统优化, now 4.1
    SavePart(office, paragraph, {"body": paragraph.body.replace("运用系统理论和方法",
                                                                "运用系统工程的理论和方法")}
             ).execute()
    DeletePart(office, clause_part(text, "5.4.4"), "合并到5.4.3").execute()
    time_passes(project)
    Comment.objects.create(project=project, unit="县社保中心", content="建议调整顺序",
                           disposition=Disposition.ACCEPTED, disposition_reason="已调整")
    return step(project, "close_comment_period", office)


def test_the_page_shows_moved_changed_and_removed_clauses(client_for, revised):
    page = client_for("office").get(reverse("lifecycle:draft_compare", args=[revised.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    comparison = page.context["comparison"]
    by_old = {c.old_number: c for c in comparison.clauses}
    assert by_old["4.1"].moved and by_old["4.1"].new_number == "4.4"
    # Renumbered, not moved: 4.2 → 4.1 and so on.
    assert not by_old["4.3"].moved and by_old["4.3"].status in ("same", "changed")
    assert by_old["5.4.4"].status == "removed"
    changed = by_old["4.2"]
    assert changed.new_number == "4.1" and changed.changed_elements()
    assert ("ins", "工程的") in [tuple(s) for s in changed.changed_elements()[0].diff] or any(
        kind == "ins" and "工程" in words for kind, words in changed.changed_elements()[0].diff)
    assert page.context["counts"] == {"added": 0, "removed": 1, "moved": 1, "changed": 1}
    assert "<ins>" in html and "<del>" in html and 'data-moved="1"' in html


def test_any_two_versions_and_an_unknown_one(client_for, revised):
    client = client_for("office")
    url = reverse("lifecycle:draft_compare", args=[revised.pk])
    same = client.get(url, {"from": "review", "to": "current"})
    assert same.status_code == 200 and same.context["comparison"].is_empty()
    assert client.get(url, {"from": "comment", "to": "nowhere"}).status_code == 404


def test_the_comparison_as_pdf_and_word(client_for, revised):
    params = {"project": revised.pk, "from": "comment", "to": "review"}
    pdf = comparison_pdf(params, lambda done: None).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF") and "5.4.4" in text
    docx = comparison_docx(params, lambda done: None).content
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml and "工程的" in xml
    # The page queues them as jobs for a worker.
    answer = client_for("office").post(
        reverse("lifecycle:draft_compare_download", args=[revised.pk, "pdf"]),
        {"from": "comment", "to": "review"})
    job = ExportJob.objects.get()
    assert answer.status_code == 302 and job.document == "lifecycle.comparison_pdf"
    # The job names the drafts themselves: a later draft of the same stage changes nothing.
    from texts.models import Draft

    drafts = {d.stage: str(d.pk) for d in Draft.objects.filter(text_id=revised.text_id)}
    assert job.params == {"project": revised.pk, "from": drafts["comment"],
                          "to": drafts["review"]}


def test_the_project_page_lists_the_drafts(client_for, revised):
    html = client_for("viewer").get(revised.get_absolute_url()).content.decode()
    assert 'id="drafts"' in html and 'id="changes-since-comment"' in html
    # The 意见汇总处理表 links to what changed between the two drafts.
    assert "?from=comment&amp;to=review" in html and 'id="comment-table-changes"' in html
    assert html.count('id="draft-') >= 2


def test_who_may_not_read_may_not_compare(client, users, revised):
    from django.contrib.auth import get_user_model

    stranger = get_user_model().objects.create_user("stranger", password="x")
    client.force_login(stranger)
    # Without a role in the organization: sent to the page that says so, nothing queued.
    page = client.get(reverse("lifecycle:draft_compare", args=[revised.pk]))
    assert page.status_code == 302 and "no-role" in page.url
    client.post(reverse("lifecycle:draft_compare_download", args=[revised.pk, "pdf"]),
                {"from": "comment", "to": "review"})
    assert not ExportJob.objects.exists()
