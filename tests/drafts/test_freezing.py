"""The drafts of clause 7.3.2 are frozen by the transitions that reach them: 征求意见稿 when
the comment period opens, 送审稿 when it closes, 报批稿 after the review, the published text
at publication — for a project whose text is held in the registry, without uploading the
drafts; a project drafted outside still goes through with its uploads."""

import pytest
from django.utils import timezone

from catalog.models import Standard
from lifecycle.actions.projects import AddPeriodicReview
from lifecycle.choices import Disposition, Stage
from lifecycle.choices import DocumentKind as K
from lifecycle.models import Comment, ReviewAssignment
from tests.drafts.frozen import open_period, to_drafting
from tests.lifecycle.conftest import attach
from tests.lifecycle.projects.test_workflow import carry_to_publication, step, time_passes
from texts.models import Draft, DraftFile
from texts.rules.proof import content_digest
from texts.rules.structure import document_from_dict, outline

pytestmark = pytest.mark.django_db


def text_project(make_project, users, document):
    from lifecycle.actions.texts import LinkText

    project = make_project(title="社会保险经办服务标准体系建设指南")
    return LinkText(users["office"], project, document).execute()


def carry_with_text(project, users):
    """From proposal to publication, uploading only what is not a draft."""
    office, lead, expert = users["office"], users["lead"], users["expert"]
    project = open_period(project, users)
    assert [d.stage for d in Draft.objects.filter(text_id=project.text_id)] == ["comment"]
    time_passes(project)
    Comment.objects.create(project=project, unit="市人社局", content="建议补充",
                           disposition=Disposition.ACCEPTED, disposition_reason="已补充")
    project = step(project, "close_comment_period", office)
    ReviewAssignment.objects.create(project=project, expert=expert)
    attach(project, K.MINUTES)
    project = step(project, "pass_review", expert, conclusion="passed")
    project = step(project, "approve", lead)
    today = timezone.localdate()
    return step(project, "publish", office, number="Q/CJSB 002-2026", issued_on=today,
                implemented_on=today)


def test_each_transition_freezes_its_draft(make_project, users, db6523, client_for):
    project = carry_with_text(text_project(make_project, users, db6523), users)
    assert project.stage == Stage.PUBLISHED
    drafts = list(Draft.objects.filter(text_id=project.text_id))
    assert [d.stage for d in drafts] == ["comment", "review", "approval", "published"]
    covers = [document_from_dict(d.content) for d in drafts]
    assert [c.stage for c in covers] == ["征求意见稿", "送审稿", "报批稿", ""]
    assert covers[-1].number == "Q/CJSB 002—2026"
    assert ("4", "基本原则") in outline(covers[0])
    for draft in drafts:
        draft.refresh_from_db()  # as the database returns it (jsonb reorders keys)
        assert draft.sha256 == content_digest(draft.content)
        # The digest is in the chained history; the content is not.
        row = draft.history.get()
        assert row.sha256 == draft.sha256 and not hasattr(row, "content")
    # The published standard's page offers its text.
    standard = Standard.objects.get(number="Q/CJSB 002—2026")
    assert standard.text == project.text
    client = client_for("viewer")
    assert 'id="standard-text"' in client.get(standard.get_absolute_url()).content.decode()
    from django.urls import reverse

    answer = client.get(reverse("texts:standard_text", args=[standard.pk]))
    assert answer.status_code == 302 and answer.url == project.text.get_absolute_url()
    assert "Q/CJSB 002—2026" in client.get(answer.url).content.decode()
    # Each frozen draft and its files have their history pages (the digests in them).
    history = client_for("office").get(reverse("audit:record_history",
                                               args=["texts.draft", drafts[0].pk]))
    assert history.status_code == 200 and drafts[0].sha256 in history.content.decode()
    assert not project.documents.filter(
        kind__in=(K.COMMENT_DRAFT, K.REVIEW_DRAFT, K.APPROVAL_DRAFT)).exists()


def test_a_project_drafted_outside_goes_through_with_uploads(make_project, users):
    project = carry_to_publication(make_project(), users)
    assert project.stage == Stage.PUBLISHED and not Draft.objects.exists()


def test_without_a_text_the_drafts_are_still_asked_for(make_project, users):
    project = make_project()
    project = to_drafting(project, users)
    from lifecycle.rules.projects import unmet_conditions

    assert unmet_conditions(project, "open_comment_period")


def test_a_revision_starts_from_the_published_text(make_project, users, db6523):
    project = carry_with_text(text_project(make_project, users, db6523), users)
    standard = project.standard
    review = AddPeriodicReview(users["office"], standard, "revise", "复审结论：修订").execute()
    revision = review.revision_project
    assert revision.text_id is not None and revision.text_id != project.text_id
    from lifecycle.rules.drafts import resolve

    in_force, current = resolve(revision, "in-force"), resolve(revision, "current")
    assert outline(in_force.document) == outline(current.document)
    # The keys are copied: the comparison matches every clause from the first day.
    keys = {c.key for c in current.document.clauses}
    assert keys == {c.key for c in in_force.document.clauses}


def test_a_draft_file_is_generated_once_and_kept(make_project, users, db6523):
    from texts.jobs import draft_docx_document
    from texts.rules.proof import file_digest

    project = text_project(make_project, users, db6523)
    project = open_period(project, users)
    office = users["office"]
    draft = Draft.objects.get(text_id=project.text_id)
    params = {"draft": draft.pk, "by": office.pk}
    first = draft_docx_document(params, lambda done: None).content
    again = draft_docx_document(params, lambda done: None).content
    assert first == again
    kept = DraftFile.objects.get(draft=draft)
    assert kept.sha256 == file_digest(first) and kept.history.get().sha256 == kept.sha256
