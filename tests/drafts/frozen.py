"""A project whose text is held in the registry, taken to its comment period (its
征求意见稿 frozen), and the files generated from a draft: for the tests of identifying a
file, the draft commands and the drafts API."""

from lifecycle.actions.texts import LinkText
from lifecycle.choices import DocumentKind as K
from tests.lifecycle.conftest import attach
from tests.lifecycle.projects.test_workflow import step
from texts.actions import skeleton
from texts.jobs import draft_docx_document, draft_pdf_document
from texts.models import Draft


def to_drafting(project, users):
    """From the proposal to drafting (office, office, lead), the explanatory notes
    uploaded: what the comment period asks for besides the draft."""
    attach(project, K.PROPOSAL)
    for name, who in (("submit_proposal", "office"), ("pass_office_review", "office"),
                      ("approve_proposal", "lead")):
        project = step(project, name, users[who])
    attach(project, K.EXPLANATORY_NOTES)
    return project


def open_period(project, users):
    """``to_drafting``, then the 30-day comment period opened by the office."""
    return step(to_drafting(project, users), "open_comment_period", users["office"], days=30)


def to_comment_period(project, users):
    project = LinkText(users["office"], project, skeleton(number="Q/CJSB 002—2026",
                                                          title=project.title)).execute()
    return open_period(project, users)


def commented(make_project, users):
    """(project, its 征求意见稿); each test module makes it its fixture."""
    project = to_comment_period(make_project(title="社会保险报表报送规范"), users)
    return project, Draft.objects.get(text_id=project.text_id)


def generated(draft, fmt, user):
    """The bytes the job builder returns for the draft's Word or PDF file (what is
    downloaded)."""
    builder = draft_docx_document if fmt == "docx" else draft_pdf_document
    return builder({"draft": draft.pk, "by": user.pk}, lambda done: None).content
