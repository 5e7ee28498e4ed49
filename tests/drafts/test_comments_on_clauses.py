"""During the comment period a comment sits on an element of the frozen 征求意见稿: its clause
number is read from the draft, never typed; the draft's page shows the comments beside the
text; the 意见汇总处理表 prints the numbers and, once the 送审稿 is frozen, says which
clause was removed or renumbered. A project drafted outside still types its clause."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from lifecycle.actions.projects import SaveComment, SubmitComment, TakeTransition
from lifecycle.actions.texts import LinkText
from lifecycle.choices import Disposition, Stage
from lifecycle.models import Comment
from lifecycle.rules.draft_comments import comment_draft
from lifecycle.rules.drafts import latest_draft
from tests.drafts.frozen import open_period
from tests.factories import UserFactory
from tests.lifecycle.projects.test_workflow import time_passes
from tests.texts.conftest import png
from texts.actions import DeletePart, skeleton
from texts.editor import document_reading
from texts.models import Draft, Part
from texts.rules.places import places
from texts.rules.structure import (
    Annex,
    Clause,
    Figure,
    Note,
    Paragraph,
    Table,
    TermEntry,
    document_from_dict,
)

pytestmark = pytest.mark.django_db


def document():
    text = skeleton(number="Q/CJSB 002—2026", title="社会保险报表报送规范")
    text.clauses[2].elements.append(TermEntry("月报", "按月报送的统计报表。"))
    text.clauses.append(Clause("报表报送", subclauses=[
        Clause("月报", [Paragraph("每月5日前报送月报。"), Note("遇法定节假日顺延。")]),
        Clause("年报", [Paragraph("每年1月31日前报送年报。"), Note("年报含全年数据。"),
                        Note("年报另附说明。"), Figure("年报流程", image=png())]),
        Clause("报送方式", [Paragraph("通过经办系统报送。")]),
    ]))
    text.annexes.append(Annex("报表样式", elements=[
        Paragraph("月报样式见表A.1。"), Table("月报样式", [["项目", "数值"]])]))
    return text


@pytest.fixture
def in_comment(make_project, users):
    """A project whose text is held in the registry, its comment period open: the 征求意见稿
    is frozen."""
    project = LinkText(users["office"], make_project(), document()).execute()
    return open_period(project, users)


def key_of(draft, excerpt):
    """The key of the draft's element whose first words are ``excerpt``."""
    found = places(document_from_dict(draft.content))
    return next(key for key, place in found.items() if place.excerpt.startswith(excerpt))


def page_of(project, draft):
    return reverse("lifecycle:project_draft", args=[project.pk, draft.pk])


def xlsx_rows(client, project):
    response = client.get(reverse("lifecycle:comment_table", args=[project.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                     if response.streaming else response.content)).active
    return [row for row in sheet.iter_rows(min_row=3, values_only=True)]


# --- where an element stands -----------------------------------------------------------


def test_places_name_each_element_as_the_draft_numbers_it():
    text = document()
    for index, element in enumerate(
            e for block in document_reading(text) for e in block["elements"]):
        element["node"].key = f"k{index}"
    cited = {place.excerpt: place.cited for place in places(text).values()}
    assert cited["每月5日前报送月报。"] == "4.1"
    assert cited["遇法定节假日顺延。"] == "4.1 注"
    assert cited["年报另附说明。"] == "4.2 注2"
    assert cited["年报流程"] == "4.2 图1"
    assert cited["月报：按月报送的统计报表。"] == "3.1"
    assert cited["月报样式见表A.1。"] == "附录A"
    assert cited["月报样式"] == "附录A 表A.1"
    assert any(number == "前言" for number in (p.number for p in places(text).values()))


def test_a_frozen_draft_reads_without_rows(in_comment):
    draft = comment_draft(in_comment)
    blocks = document_reading(document_from_dict(draft.content))
    assert [b["heading"] for b in blocks][:2] == ["前言", "1 范围"]
    figure = next(e for b in blocks for e in b["elements"] if e["label"] == "图1")
    assert figure["image"].startswith("data:image/png;base64,")


def in_english(client):
    """The pages as an English-speaking user asks for them (the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- commenting on an element ------------------------------------------------------------


def test_an_expert_comments_on_an_element_of_the_draft_for_comments(in_comment, client_for):
    draft = comment_draft(in_comment)
    key = key_of(draft, "年报另附说明")
    expert = in_english(client_for("expert"))
    page = page_of(in_comment, draft)
    with translation.override("en"):
        shown = expert.get(page).content.decode()
    assert draft.sha256 in shown and "Comment on this" in shown
    assert f"?comment={key}" in shown
    # The button opens the form under the element (htmx asks for the element alone).
    fragment = expert.get(page, {"comment": key}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<article") and 'name="comment-content"' in fragment
    assert 'name="comment-clause"' not in fragment
    response = expert.post(page, {"comment-part_key": key, "comment-unit": "州社保局",
                                  "comment-content": "说明的内容不明确",
                                  "comment-suggestion": "列出说明的内容",
                                  "comment-clause": "9.9"})
    assert response.status_code == 302 and response.url.endswith(f"#part-{key}")
    comment = Comment.objects.get()
    assert (comment.draft, comment.part_key, comment.clause) == (draft, key, "4.2 注2")
    assert comment.commenter.username == "expert" and comment.disposition == ""
    shown = expert.get(page).content.decode()
    assert "说明的内容不明确" in shown and "列出说明的内容" in shown
    # With htmx the element comes back with its new comment.
    again = expert.post(page, {"comment-part_key": key, "comment-unit": "州社保局",
                               "comment-content": "另一条意见"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and "另一条意见" in again.content.decode()
    assert Comment.objects.count() == 2


def test_the_office_records_a_comment_for_a_unit_by_choosing_the_element(
        in_comment, client_for):
    draft = comment_draft(in_comment)
    key = key_of(draft, "通过经办系统报送")
    office = client_for("office")
    add = reverse("lifecycle:comment_add", args=[in_comment.pk])
    form = office.get(add, {"part": key}).context["form"]
    assert "clause" not in form.fields and form.initial["part_key"] == key
    assert (key, "4.3 通过经办系统报送。") in form.fields["part_key"].choices
    response = office.post(add, {"unit": "昌吉市医保局", "part_key": key,
                                 "content": "建议增加线下报送",
                                 "received_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.clause, comment.part_key, comment.commenter) == ("4.3", key, None)
    # On the draft's page too, for a unit.
    other = key_of(draft, "每月5日前")
    assert office.post(page_of(in_comment, draft), {
        "comment-part_key": other, "comment-unit": "市人社局", "comment-content": "时限过紧",
        "comment-received_on": timezone.localdate().isoformat()}).status_code == 302
    assert Comment.objects.get(part_key=other).clause == "4.1"


def test_a_part_not_in_the_draft_is_refused_and_nothing_is_written(in_comment, users,
                                                                    client_for):
    draft = comment_draft(in_comment)
    expert = in_english(client_for("expert"))
    with translation.override("en"):
        response = expert.post(page_of(in_comment, draft), {
            "comment-part_key": "nope", "comment-unit": "x", "comment-content": "y"},
            follow=True)
        assert "This part is not in the draft for comments." in response.content.decode()
        office = client_for("office")
        response = office.post(reverse("lifecycle:comment_add", args=[in_comment.pk]), {
            "unit": "x", "part_key": "nope", "content": "y",
            "received_on": timezone.localdate().isoformat()})
        assert response.status_code == 200
        assert "This part is not in the draft for comments." in response.content.decode()
    with translation.override("en"), pytest.raises(Exception, match="not in the draft"):
        SubmitComment(users["expert"], in_comment,
                      Comment(unit="x", content="y", draft=draft, part_key="nope")).execute()
    assert not Comment.objects.exists()


def test_who_may_not_comment_is_refused_on_the_server(in_comment, users, client):
    draft = comment_draft(in_comment)
    key = key_of(draft, "每月5日前")
    page = page_of(in_comment, draft)
    data = {"comment-part_key": key, "comment-unit": "x", "comment-content": "y"}
    # Without a role: neither the page nor a post (sent to the page saying so).
    client.force_login(UserFactory(username="norole"))
    assert client.get(page).status_code == 302
    assert client.post(page, data).status_code == 302
    client.force_login(users["viewer"])
    # A reader registers their own comment, never its disposition.
    assert client.post(page, {**data, "comment-disposition": "accepted",
                              "comment-disposition_reason": "自行采纳"}).status_code == 302
    assert Comment.objects.get().disposition == ""
    # A draft that is not of the project's text is not found.
    assert client.get(reverse("lifecycle:project_draft",
                              args=[in_comment.pk, draft.pk + 1000])).status_code == 404
    # Once the period is over the readers read and no longer comment.
    time_passes(in_comment)
    shown = client.get(page)
    assert shown.status_code == 200 and f"?comment={key}" not in shown.content.decode()
    assert client.post(page, data).status_code == 403
    assert Comment.objects.count() == 1


# --- the 意见汇总处理表 --------------------------------------------------------------------


def test_the_table_prints_the_numbers_and_what_the_draft_for_review_did(in_comment, users,
                                                                       client_for):
    draft = comment_draft(in_comment)
    expert, office = users["expert"], users["office"]
    on_note = SubmitComment(expert, in_comment, Comment(
        unit="州社保局", content="注2与注1重复", draft=draft,
        part_key=key_of(draft, "年报另附说明"))).execute()
    on_way = SubmitComment(expert, in_comment, Comment(
        unit="州社保局", content="报送方式应具体", draft=draft,
        part_key=key_of(draft, "通过经办系统报送"))).execute()
    on_month = SubmitComment(expert, in_comment, Comment(
        unit="州社保局", content="时限过紧", draft=draft,
        part_key=key_of(draft, "每月5日前"))).execute()
    typed = SaveComment(office, in_comment, Comment(unit="来函", clause="总体",
                                                   content="总体可行")).execute()
    client = in_english(client_for("office"))
    with translation.override("en"):
        assert [row[1] for row in xlsx_rows(client, in_comment)] == [
            "4.2 注2", "4.3", "4.1", "总体"]
        page = client.get(in_comment.get_absolute_url()).content.decode()
        assert f'href="{page_of(in_comment, draft)}#part-{on_note.part_key}"' in page
        assert "4.2 注2" in page

        # The 年报 clause goes; 报送方式 becomes 4.2. The office disposes and closes.
        DeletePart(office, Part.objects.get(text=in_comment.text, kind="clause",
                                            title="年报")).execute()
        for comment in (on_note, on_way, on_month, typed):
            comment.disposition, comment.disposition_reason = Disposition.ACCEPTED, "采纳"
            SaveComment(office, in_comment, comment).execute()
        time_passes(in_comment)
        project = TakeTransition(office, in_comment, "close_comment_period", "期满").execute()
        assert latest_draft(project, Draft.Stage.REVIEW) is not None
        rows = [row[1] for row in xlsx_rows(client, project)]
        assert rows == ["4.2 注2\nRemoved in the draft for review",
                        "4.3\nnow 4.2 in the draft for review", "4.1", "总体"]
        page = client.get(project.get_absolute_url()).content.decode()
        assert "Removed in the draft for review" in page
        assert "now 4.2 in the draft for review" in page
        # The 送审稿's page shows the comments whose element it still has, and the others
        # apart; no one comments on it.
        review = latest_draft(project, Draft.Stage.REVIEW)
        shown = client.get(page_of(project, review)).content.decode()
        assert "报送方式应具体" in shown and 'id="comments-elsewhere"' in shown
        assert "?comment=" not in shown


def test_a_project_drafted_outside_types_its_clause(make_project, users, client_for):
    today = timezone.localdate()
    project = make_project(stage=Stage.COMMENT, comment_starts_on=today - timedelta(days=1),
                           comment_ends_on=today + timedelta(days=20))
    expert = client_for("expert")
    add = reverse("lifecycle:comment_add", args=[project.pk])
    form = expert.get(add).context["form"]
    assert "clause" in form.fields and "part_key" not in form.fields
    assert expert.post(add, {"unit": "专家组", "clause": "6.1",
                             "content": "补充示例"}).status_code == 302
    comment = Comment.objects.get()
    assert (comment.clause, comment.draft, comment.part_key) == ("6.1", None, None)
    assert get_user_model().objects.get(username="expert") == comment.commenter
