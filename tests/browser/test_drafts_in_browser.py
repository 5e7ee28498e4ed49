"""The drafts of clause 7.3.2 in a real browser (headless Chromium): issue 26's walk.

A project drafts DB 6523/T 370-2023 in the registry (its text imported from Word on the
project page). The office uploads the explanatory notes and opens the comment period: the
text is frozen as the 征求意见稿. On the draft's page the expert comments on 4.2 and the
office records a unit's comment on 8.3, each beside its clause. The office disposes of
both, then edits the text: new words in 4.2 and 8.2, 4.4 moved up to 4.2 (the old 4.2
becomes 4.3), 8.3 deleted. On the period's last day the office closes it: the 送审稿 is
frozen. The differences mark 4.2 and 8.2 as changed, 4.4 as moved and 8.3 as removed; the
送审稿 downloads as Word and PDF and the comparison as PDF, each through its job page; the
意见汇总处理表 prints the numbers the comments sit on and what became of them (4.2 is now
4.3, 8.3 was removed).
"""

import io
from datetime import timedelta

import docx
import pytest
from django.utils import timezone
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_lifecycle_in_browser import logout, stage_code, upload
from test_texts_in_browser import (
    click_and_confirm,
    download,
    open_clause,
    outline_entries,
    replace_text,
    save_element,
)
from test_tree_in_browser import (
    _replaced,
    click_to_new_page,
    css,
    login,
    page_gettext,
    path_of,
    wait_for,
)

from lifecycle.choices import DocumentKind
from tests.lifecycle.conftest import PDF, attach
from tests.lifecycle.projects.test_workflow import step
from tests.texts.conftest import fixture_lines
from texts.rules.compare import LABELS

pytestmark = pytest.mark.browser

TITLE = "社会保险服务标准化工作指南"
# The first words of the paragraphs commented on, as the 征求意见稿 reads them.
SYSTEM_OPTIMIZATION = "运用系统理论和方法"  # 4.2 系统优化
CONFORMITY = "标准的实施、监督、评价和改进应符合"  # 8.3
EXPERT_COMMENT = ("4.2", SYSTEM_OPTIMIZATION, "“系统优化”未写明由谁评估。",
                  "增加“由标准化工作机构每年评估一次”。")
UNIT_COMMENT = ("8.3", CONFORMITY, "8.3 与 8.1 重复，建议删除。", "删除 8.3。")
UNIT = "呼图壁县社保中心"
DISPOSITIONS = {
    EXPERT_COMMENT[2]: ("accepted", "已在该条补充评估要求。"),
    UNIT_COMMENT[2]: ("accepted", "已删除该条。"),
}
# The new words of the two changed clauses.
EDITS = {
    "4.2": "运用系统理论和方法,综合考虑和系统分析社会保险服务的要素,优化调整相关要素和具体"
           "指标参数,由标准化工作机构每年评估一次,以系统整体效益最佳为目标确定最佳方案。",
    "8.2": "应每年对标准的实施效果进行评价,持续改进。",
}
REASONS = {
    "open_comment_period": "浏览器测试：征求意见稿公开征求意见",
    "close_comment_period": "浏览器测试：意见已处理，形成送审稿",
}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def files(tmp_path):
    """The draft as the office has it in Word, and the explanatory notes (a PDF)."""
    word = docx.Document()
    for line in fixture_lines("db6523_t_370_2023.txt"):
        word.add_paragraph(line)
    draft = tmp_path / f"{TITLE}.docx"
    word.save(draft)
    notes = tmp_path / "编制说明.pdf"
    notes.write_bytes(PDF)
    return {"draft": str(draft), "notes": str(notes)}


@pytest.fixture
def project(browser_seeded, browser_users, media_root):
    """An organization standard's project at the drafting stage (the proposal steps are not
    this walk's point: taken through the actions)."""
    from lifecycle.models import Department, Project
    from registry.models import Node

    department = Department.objects.create(name="社会保险经办科", lead=browser_users["lead"])
    today = timezone.localdate()
    project = Project.objects.create(
        title=TITLE, level="organization", node=Node.objects.get(code="304-09"),
        department=department, leader=browser_users["office"], planned_start=today,
        planned_end=today + timedelta(days=180), created_by=browser_users["office"])
    attach(project, DocumentKind.PROPOSAL)
    for name, who in (("submit_proposal", "office"), ("pass_office_review", "office"),
                      ("approve_proposal", "lead")):
        project = step(project, name, browser_users[who])
    return project


# --- helpers ------------------------------------------------------------------------------

def take(driver, name, expected_code):
    """On the project page: give transition ``name`` its reason and take it."""
    form = css(driver, f"#transition-{name}", visible=True)
    unmet = [p.text for p in form.find_elements(By.CSS_SELECTOR, ".warning")]
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    assert button.is_enabled(), f"{name} is not offered yet: {unmet}"
    form.find_element(By.NAME, f"{name}-reason").send_keys(REASONS[name])
    click_to_new_page(driver, button)
    assert stage_code(driver) == expected_code, f"after {name}"


def draft_element(driver, excerpt):
    """The draft page's element (its ``<article>``) whose text starts with ``excerpt``."""
    return wait_for(driver, lambda d: next(
        (article for article in d.find_elements(By.CSS_SELECTOR, "article.draft-element")
         if article.find_element(By.CSS_SELECTOR, ".draft-text").text.strip()
         .startswith(excerpt)), None))


def comment_on(driver, excerpt, content, suggestion, unit=""):
    """On the draft's page: "Comment on this" under the element, the form (htmx puts it in
    place), saved. The office names the unit; anyone else's unit is filled in for them."""
    article = draft_element(driver, excerpt)
    where = f'[id="{article.get_attribute("id")}"]'
    article.find_element(By.CSS_SELECTOR, "a[id^=comment-on-]").click()
    wait_for(driver, _replaced(article))
    css(driver, f"{where} form.draft-comment-form", visible=True)
    if unit:
        replace_text(css(driver, f"{where} #id_comment-unit"), unit)
    css(driver, f"{where} #id_comment-content").send_keys(content)
    css(driver, f"{where} #id_comment-suggestion").send_keys(suggestion)
    article = css(driver, where)
    css(driver, f"{where} #comment-save").click()
    wait_for(driver, _replaced(article))
    css(driver, f"{where} .saved[role=status]", visible=True)
    return css(driver, where)


def comment_row(driver, content):
    """The row of the 意见汇总处理表 (#comment-table) holding comment ``content``."""
    return next(row for row in driver.find_elements(By.CSS_SELECTOR, "#comment-table tbody tr")
                if content in row.text)


def dispose(driver, content, disposition, reason):
    """Record the disposition of comment ``content`` through its link in the table."""
    project_path = path_of(driver)
    row = comment_row(driver, content)
    click_to_new_page(driver, row.find_element(By.CSS_SELECTOR, "a[href*='/comments/']"))
    Select(css(driver, "#id_disposition", visible=True)).select_by_value(disposition)
    css(driver, "#id_disposition_reason").send_keys(reason)
    click_to_new_page(driver, css(driver, "#record-submit"))
    assert path_of(driver) == project_path, "the disposition was refused"


def edit_paragraph(driver, number, new_text):
    """In the editor: the clause's paragraph gets ``new_text``."""
    open_clause(driver, number)
    article = css(driver, "#elements article.kind-paragraph")
    replace_text(article.find_element(By.TAG_NAME, "textarea"), new_text)
    article = save_element(driver, article)
    assert article.find_element(By.CSS_SELECTOR, ".element-read").text == new_text


def move_up(driver):
    """The selected clause one place up (htmx redraws the editor)."""
    editor = css(driver, "#editor")
    css(driver, "#move-up").click()
    wait_for(driver, _replaced(editor))
    css(driver, "#editor")


def differences(driver):
    """The differences page's clauses: {heading: (status, moved, has <ins>, has <del>)}."""
    return {heading: (status, moved, ins, deleted) for heading, status, moved, ins, deleted
            in driver.execute_script(
                "return Array.from(document.querySelectorAll('section.diff-clause'), s => ["
                " s.querySelector('.diff-heading').textContent.replace(/\\s+/g, ' ').trim(),"
                " s.dataset.status, s.dataset.moved === '1',"
                " s.querySelector('.diff-element ins') !== null,"
                " s.querySelector('.diff-element del') !== null])")}


def pdf_words(content):
    pdf = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in pdf.pages).replace(" ", "")


# --- the walk -----------------------------------------------------------------------------

def test_comments_on_the_draft_for_comments_and_the_differences_in_the_draft_for_review(
        driver, site, project, files):
    from lifecycle.models import Comment, Project
    from texts.models import Draft

    project_url = site + project.get_absolute_url()

    # --- office: the text from Word, the explanatory notes, the comment period -------------
    login(driver, site, "office")
    driver.get(project_url)
    click_to_new_page(driver, css(driver, "#project-text #text-import", visible=True))
    css(driver, "#id_file").send_keys(files["draft"])
    click_to_new_page(driver, css(driver, "#import-form button[type=submit]"))
    assert not driver.find_elements(By.ID, "import-report"), \
        css(driver, "#import-report").text
    project.refresh_from_db()
    assert project.text_id is not None
    assert path_of(driver) == f"/texts/{project.text_id}/edit/"

    driver.get(project_url)
    # Nothing frozen yet: the drafts section says when the drafts are frozen.
    assert not driver.find_elements(By.CSS_SELECTOR, "#drafts tr[id^=draft-]")
    upload(driver, "explanatory_notes", files["notes"])
    take(driver, "open_comment_period", "40.20")
    comment_draft = Draft.objects.get(text_id=project.text_id, stage=Draft.Stage.COMMENT)
    assert css(driver, f"#drafts #draft-{comment_draft.pk}").is_displayed()
    logout(driver)

    # --- expert: a comment on 4.2, beside it on the 征求意见稿 ------------------------------
    login(driver, site, "expert")
    driver.get(project_url)
    assert not driver.find_elements(By.ID, "comment-add")
    click_to_new_page(driver, css(driver, "#comment-draft", visible=True))
    assert path_of(driver).endswith(f"/drafts/{comment_draft.pk}/")
    _number, excerpt, content, suggestion = EXPERT_COMMENT
    article = comment_on(driver, excerpt, content, suggestion)
    assert content in article.find_element(By.CSS_SELECTOR, ".draft-comments").text
    logout(driver)

    # --- office: a unit's comment on 8.3, then both dispositions -------------------------
    login(driver, site, "office")
    driver.get(project_url)
    click_to_new_page(driver, css(driver, "#comment-draft", visible=True))
    _number, excerpt, content, suggestion = UNIT_COMMENT
    article = comment_on(driver, excerpt, content, suggestion, unit=UNIT)
    assert UNIT in article.find_element(By.CSS_SELECTOR, ".draft-comments").text
    # Each comment stands beside its own clause.
    assert EXPERT_COMMENT[2] in draft_element(driver, SYSTEM_OPTIMIZATION).text

    driver.get(project_url)
    table = css(driver, "#comment-table")
    for number, _excerpt, content, _suggestion in (EXPERT_COMMENT, UNIT_COMMENT):
        cell = comment_row(driver, content).find_elements(By.TAG_NAME, "td")[1]
        assert cell.text == number, f"{content} sits on {cell.text}"
    assert len(table.find_elements(By.CSS_SELECTOR, ".badge.gap")) == 2  # undecided
    for content, (disposition, reason) in DISPOSITIONS.items():
        dispose(driver, content, disposition, reason)
    assert not driver.find_elements(By.CSS_SELECTOR, "#comment-table .badge.gap")

    # --- office: the text edited as the dispositions say --------------------------------
    click_to_new_page(driver, css(driver, "#text-edit", visible=True))
    for number, new_text in EDITS.items():
        edit_paragraph(driver, number, new_text)
    open_clause(driver, "4.4")
    move_up(driver)
    move_up(driver)
    entries = dict(outline_entries(driver))
    assert [entries[n] for n in ("4.2", "4.3", "4.4")] == [
        "4.2 持续完善", "4.3 系统优化", "4.4 整体协调"]
    open_clause(driver, "8.3")
    click_and_confirm(driver, css(driver, "#delete-clause"))
    numbers = [number for number, _label in outline_entries(driver)]
    assert "8.2" in numbers and "8.3" not in numbers

    # --- the period's last day (the calendar, not a user, moves): closed, 送审稿 frozen ----
    today = timezone.localdate()
    Project.objects.filter(pk=project.pk).update(
        comment_starts_on=today - timedelta(days=29), comment_ends_on=today)
    driver.get(project_url)
    take(driver, "close_comment_period", "50.00")
    review_draft = Draft.objects.get(text_id=project.text_id, stage=Draft.Stage.REVIEW)
    assert css(driver, f"#drafts #draft-{review_draft.pk}").is_displayed()

    # --- the differences: two clauses changed, one moved, one removed ----------------------
    click_to_new_page(driver, css(driver, f"#draft-{review_draft.pk}-changes"))
    assert path_of(driver).endswith("/drafts/compare/")
    found = differences(driver)
    changed = {heading for heading, (status, *_rest) in found.items() if status == "changed"}
    assert len(changed) == 2, found
    assert any(h.startswith("4.2 → 4.3 系统优化") for h in changed), found
    assert any(h.startswith("8.2") for h in changed), found
    for heading in changed:
        _status, _moved, ins, deleted = found[heading]
        assert ins and deleted, f"{heading}: the words changed are not marked"
    moved = [heading for heading, (_status, is_moved, *_rest) in found.items() if is_moved]
    assert len(moved) == 1 and moved[0].startswith("4.4 → 4.2 持续完善"), found
    removed = [heading for heading, (status, *_rest) in found.items() if status == "removed"]
    assert len(removed) == 1 and removed[0].startswith("8.3"), found
    assert len(found) == 4, found  # renumbered 4.3 → 4.4 is no change

    content_type, content = download(driver, "compare-pdf")
    assert content_type == "application/pdf"
    words = pdf_words(content)
    assert LABELS["counts"].format(added=0, removed=1, moved=1, changed=2) in words
    for heading in ("4.4持续完善→4.2持续完善", "4.2系统优化→4.3系统优化", "\n8.2\n", "\n8.3"):
        assert heading in words, f"{heading!r} is not in the comparison: {words}"

    # --- the 送审稿 as Word and PDF ---------------------------------------------------------
    driver.get(project_url)
    content_type, content = download(driver, f"draft-{review_draft.pk}-docx")
    assert "wordprocessingml" in content_type
    lines = [paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs]
    assert "（送审稿）" in lines[:lines.index("目次")], "the cover names the stage"
    assert EDITS["4.2"] in lines
    assert not [line for line in lines if line.startswith("8.3")], "8.3 was deleted"

    driver.get(project_url)
    content_type, content = download(driver, f"draft-{review_draft.pk}-pdf")
    assert content_type == "application/pdf"
    assert "送审稿" in pdf_words(content)

    # --- the 意见汇总处理表: the numbers, and what became of them in the 送审稿 ----------------
    driver.get(project_url)
    expert_cell = comment_row(driver, EXPERT_COMMENT[2]).find_elements(By.TAG_NAME, "td")[1]
    assert expert_cell.text.splitlines() == [
        "4.2", page_gettext(driver, "now %(number)s in the draft for review")
        % {"number": "4.3"}]
    unit_cell = comment_row(driver, UNIT_COMMENT[2]).find_elements(By.TAG_NAME, "td")[1]
    assert unit_cell.text.splitlines() == [
        "8.3", page_gettext(driver, "Removed in the draft for review")]
    assert Comment.objects.filter(project=project, draft=comment_draft).count() == 2
