"""A standard's lifecycle as its three deciders live it in a real browser (headless Chromium).

One walk-through, as the issue's "done" puts it: office staff propose a new organization
standard for the aspect 社会保险报表管理 (304-09), the department lead approves the
proposal, the office opens the comment period, the expert submits a comment of their own,
the office records the others, disposes of them all and closes the period on its last day
(shown as ended at once), the expert review is set up, the expert passes the review, the
lead approves it for publication and the office publishes it as Q/CJSB 001-2026. Every
step is taken through the project page's forms, each user logged in through the login form.
Then the standard is in the catalog on its node, the node is no longer a gap, the comment
table downloads and the timeline names who did what and why.

Set LIFECYCLE_SCREENSHOTS to a directory to save full-page screenshots of the project page
mid-way and at the end.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_tree_in_browser import (
    click_to_new_page,
    css,
    login,
    open_node_by_code,
    path_of,
    wait_for,
)

from audit.forms import user_display
from lifecycle.models import Comment, Project

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NODE_CODE, NODE_NAME = "304-09", "社会保险报表管理"
TITLE = "社会保险报表管理规范（浏览器测试）"
DEPARTMENT = "社会保险经办科"
NUMBER, CANONICAL = "Q/CJSB 001-2026", "Q/CJSB 001—2026"
# Files as a user would name them; each kind of document gets its own.
FILES = {
    "proposal": "项目建议书.pdf",
    "comment_draft": "征求意见稿.pdf",
    "explanatory_notes": "编制说明.pdf",
    "review_draft": "送审稿.pdf",
    "approval_draft": "报批稿.pdf",
    "minutes": "审查会议纪要.pdf",
}
COMMENTS = [
    # unit, clause, content, suggestion, disposition, disposition reason
    ("昌吉州人社局", "4.2", "报表报送时限未写明。", "增加“每月5日前报送”。",
     "accepted", "已在4.2补充报送时限。"),
    ("呼图壁县社保中心", "5.1", "建议删去纸质报表要求。", "",
     "rejected", "纸质报表仍为审计所需，保留。"),
]
# The expert's own comment, submitted during the period (clause, content, suggestion,
# disposition, disposition reason).
EXPERT_COMMENT = ("3", "术语“参保单位”与 GB/T 31596.1 不一致。", "改用“参保单位（用人单位）”。",
                  "accepted", "已按 GB/T 31596.1 统一术语。")
# (transition, user, reason): the timeline must list exactly these, in this order.
STEPS = [
    ("submit_proposal", "office", "浏览器测试：提交项目建议"),
    ("pass_office_review", "office", "浏览器测试：标准化办公室审查通过"),
    ("approve_proposal", "lead", "浏览器测试：同意立项"),
    ("open_comment_period", "office", "浏览器测试：公开征求意见"),
    ("close_comment_period", "office", "浏览器测试：意见已处理完毕"),
    ("pass_review", "expert", "浏览器测试：审查通过"),
    ("approve", "lead", "浏览器测试：批准发布"),
    ("publish", "office", "浏览器测试：发布"),
]
REASONS = {name: reason for name, _user, reason in STEPS}


@pytest.fixture
def department(transactional_db, browser_users):
    """The drafting department; the lead user decides on its organization standards."""
    from lifecycle.models import Department

    return Department.objects.create(name=DEPARTMENT, lead=browser_users["lead"])


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a temporary directory, not to the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload_files(tmp_path):
    """A tiny valid PDF on disk for each kind of document, for the file input."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    paths = {}
    for kind, name in FILES.items():
        path = folder / name
        path.write_bytes(PDF)
        paths[kind] = str(path)
    return paths


# --- helpers ------------------------------------------------------------------------------

def logout(driver):
    click_to_new_page(driver, css(driver, "#logout"))
    css(driver, "#id_username", visible=True)


def stage_code(driver):
    return css(driver, "#project-stage-code").text.strip()


def error_messages(driver):
    return [m.text for m in driver.find_elements(By.CSS_SELECTOR, ".messages .message.error")]


def set_date(driver, element, day):
    """Date inputs take their value through JavaScript (send_keys depends on the locale)."""
    driver.execute_script("arguments[0].value = arguments[1]", element, day.isoformat())


def fill(driver, element, value):
    """Put ``value`` into an input, textarea or select, whatever its type."""
    if element.tag_name == "select":
        Select(element).select_by_value(value)
    elif element.get_attribute("type") == "date":
        set_date(driver, element, value)
    else:
        element.clear()
        element.send_keys(value)


def take(driver, name, expected_code, **fields):
    """On the project page: fill transition ``name``'s form with its reason and fields,
    submit it and check that the project moved to the stage with ``expected_code``."""
    form = css(driver, f"#transition-{name}", visible=True)
    unmet = [p.text for p in form.find_elements(By.CSS_SELECTOR, ".warning")]
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    assert button.is_enabled(), f"{name} is not offered yet: {unmet}"
    for field, value in fields.items():
        fill(driver, form.find_element(By.NAME, f"{name}-{field}"), value)
    form.find_element(By.NAME, f"{name}-reason").send_keys(REASONS[name])
    click_to_new_page(driver, button)
    assert not error_messages(driver), f"{name} failed: {error_messages(driver)}"
    assert stage_code(driver) == expected_code, f"after {name}"


def upload(driver, kind, path):
    """Upload one document through the upload page; back on the project page, it is listed."""
    project_path = path_of(driver)
    click_to_new_page(driver, css(driver, "#document-add", visible=True))
    Select(css(driver, "#id_kind")).select_by_value(kind)
    css(driver, "#id_file").send_keys(path)
    click_to_new_page(driver, css(driver, "#record-submit"))
    assert path_of(driver) == project_path, \
        f"upload of {kind} was refused: {css(driver, 'main.content').text[:500]}"
    assert Path(path).name in css(driver, "#documents").text


def record_comment(driver, unit, clause, content, suggestion, button="comment-add"):
    """The office records a comment (#comment-add); anyone else submits their own
    (#comment-submit, the unit filled in for them when ``unit`` is empty)."""
    click_to_new_page(driver, css(driver, f"#{button}", visible=True))
    for field, value in (("unit", unit), ("clause", clause), ("content", content),
                         ("suggestion", suggestion)):
        if value:
            css(driver, f"#id_{field}").send_keys(value)
    click_to_new_page(driver, css(driver, "#record-submit"))
    assert path_of(driver).startswith("/lifecycle/projects/"), "the comment was refused"
    assert content in css(driver, "#comment-table").text


def dispose(driver, row_number, disposition, reason):
    """Follow the "Dispose" link of comment row ``row_number`` (1-based) and decide it."""
    row = css(driver, f"#comment-table tbody tr:nth-child({row_number})")
    click_to_new_page(driver, row.find_element(By.CSS_SELECTOR, "a[href*='/comments/']"))
    Select(css(driver, "#id_disposition", visible=True)).select_by_value(disposition)
    css(driver, "#id_disposition_reason").send_keys(reason)
    click_to_new_page(driver, css(driver, "#record-submit"))
    assert path_of(driver).startswith("/lifecycle/projects/"), "the disposition was refused"


def open_task(driver, project_path):
    """Open "My tasks" from the menu and follow the task's link to the project."""
    click_to_new_page(driver, css(driver, "#nav-tasks", visible=True))
    assert path_of(driver) == "/lifecycle/tasks/"
    link = css(driver, f'#task-table a[href="{project_path}"]', visible=True)
    click_to_new_page(driver, link)
    assert path_of(driver) == project_path


def fetch_status(driver, url):
    """(status, content type, first two bytes) of a GET with the browser's session."""
    return driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: "same-origin"})
          .then(r => r.arrayBuffer().then(body => done([
             r.status, r.headers.get("content-type"),
             String.fromCharCode(...new Uint8Array(body.slice(0, 2)))])))
          .catch(error => done([0, String(error), ""]));
        """,
        url,
    )


def screenshot(driver, name):
    """A full-page PNG of the current page, if LIFECYCLE_SCREENSHOTS names a directory."""
    folder = os.environ.get("LIFECYCLE_SCREENSHOTS")
    if not folder:
        return
    height = driver.execute_script(
        "return Math.ceil(document.body.getBoundingClientRect().height)")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1400, "height": min(max(height, 600), 8000), "deviceScaleFactor": 1,
        "mobile": False})
    try:
        driver.save_screenshot(str(Path(folder) / f"lifecycle-{name}.png"))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# --- the walk-through -----------------------------------------------------------------------

def test_a_new_standard_goes_from_proposal_to_publication_through_three_accounts(
        driver, site, browser_users, department, media_root, upload_files):
    today = timezone.localdate()
    expert = browser_users["expert"]

    # --- office: the aspect is a gap; open a project for it from its node page -------------
    login(driver, site, "office")
    driver.get(f"{site}/?q={NODE_CODE}")
    css(driver, f'li.match[data-code="{NODE_CODE}"] .badge.gap', visible=True)
    open_node_by_code(driver, site, NODE_CODE)
    click_to_new_page(driver, css(driver, "#action-project", visible=True))
    assert Select(css(driver, "#id_node")).first_selected_option.text.strip().startswith(
        NODE_CODE), "the project form should start on the node it was opened from"
    css(driver, "#id_title", visible=True).send_keys(TITLE)
    Select(css(driver, "#id_kind")).select_by_value("new")
    Select(css(driver, "#id_level")).select_by_value("organization")
    Select(css(driver, "#id_department")).select_by_visible_text(DEPARTMENT)
    Select(css(driver, "#id_leader")).select_by_value(str(browser_users["office"].pk))
    set_date(driver, css(driver, "#id_planned_start"), today)
    set_date(driver, css(driver, "#id_planned_end"), today + timedelta(days=180))
    click_to_new_page(driver, css(driver, "#project-submit"))
    project_path = path_of(driver)
    assert project_path.startswith("/lifecycle/projects/"), \
        f"the project form was refused: {css(driver, 'main.content').text[:500]}"
    project_url = site + project_path
    assert css(driver, "h1").text == TITLE
    assert stage_code(driver) == "10.00"
    assert f"{NODE_CODE} {NODE_NAME}" in css(driver, "dl.facts").text

    # Without the proposal document the first step is shown but cannot be taken.
    submit = css(driver, "#transition-submit_proposal button[type=submit]")
    assert not submit.is_enabled()
    assert driver.find_elements(By.CSS_SELECTOR, "#transition-submit_proposal .warning")

    upload(driver, "proposal", upload_files["proposal"])
    take(driver, "submit_proposal", "10.20")
    take(driver, "pass_office_review", "10.60")
    # The proposal now waits for the lead: the office is offered no decision on it.
    assert not driver.find_elements(By.ID, "transition-approve_proposal")
    logout(driver)

    # --- lead: finds the proposal in "My tasks" and approves it ------------------------------
    login(driver, site, "lead")
    open_task(driver, project_path)
    take(driver, "approve_proposal", "20.00")
    logout(driver)

    # --- office: drafts, comment period, comments and their dispositions --------------------
    login(driver, site, "office")
    driver.get(project_url)
    upload(driver, "comment_draft", upload_files["comment_draft"])
    upload(driver, "explanatory_notes", upload_files["explanatory_notes"])
    starts_on = today
    take(driver, "open_comment_period", "40.20", starts_on=starts_on, days="30")
    period = css(driver, "#comment-period").text
    assert starts_on.isoformat() in period
    assert (starts_on + timedelta(days=29)).isoformat() in period
    # Twenty-nine days pass (the test moves the calendar, as no one waits a month): today
    # is the period's last day, and the period is still open.
    project_pk = int(project_path.strip("/").split("/")[-1])
    Project.objects.filter(pk=project_pk).update(
        comment_starts_on=today - timedelta(days=29), comment_ends_on=today)
    driver.refresh()
    assert today.isoformat() in css(driver, "#comment-period").text
    assert not driver.find_elements(By.CSS_SELECTOR, "#comment-period .badge"), "still open"
    logout(driver)

    # --- expert: submits a comment of their own during the period ----------------------------
    login(driver, site, "expert")
    driver.get(project_url)
    assert not driver.find_elements(By.ID, "comment-add")
    clause, content, suggestion, *_disposition = EXPERT_COMMENT
    record_comment(driver, "", clause, content, suggestion, button="comment-submit")
    assert user_display(expert) in css(driver, "#comment-table tbody tr:nth-child(1)").text
    # The disposition is the office's: the expert is offered none.
    assert not driver.find_elements(By.CSS_SELECTOR, "#comment-table a[href*='/comments/']")
    logout(driver)

    # --- office: the other comments, every disposition, and the close on the last day --------
    login(driver, site, "office")
    driver.get(project_url)
    for unit, clause, content, suggestion, _disposition, _reason in COMMENTS:
        record_comment(driver, unit, clause, content, suggestion)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#comment-table .badge.gap")) == 3
    # Undisposed comments hold the comment period open.
    close = css(driver, "#transition-close_comment_period button[type=submit]")
    assert not close.is_enabled()
    decisions = [EXPERT_COMMENT[3:]] + [comment[4:] for comment in COMMENTS]
    for number, (disposition, reason) in enumerate(decisions, start=1):
        dispose(driver, number, disposition, reason)
    table = css(driver, "#comment-table").text
    assert not driver.find_elements(By.CSS_SELECTOR, "#comment-table .badge.gap")
    for _disposition, reason in decisions:
        assert reason in table
    screenshot(driver, "comment-period")

    upload(driver, "review_draft", upload_files["review_draft"])
    take(driver, "close_comment_period", "50.00")
    # Closed on its last day, the period is shown as ended at once.
    assert today.isoformat() in css(driver, "#comment-period").text
    assert css(driver, "#comment-period .badge", visible=True).text in ("已结束", "ended")
    comment = Comment.objects.get(project_id=project_pk, content=EXPERT_COMMENT[1])
    assert comment.commenter == expert and comment.disposition == "accepted"

    # The expert review: assign the expert, then the documents the review needs.
    click_to_new_page(driver, css(driver, "#assign-experts", visible=True))
    css(driver, f'input[name="experts"][value="{expert.pk}"]', visible=True).click()
    click_to_new_page(driver, css(driver, "#record-submit"))
    assert path_of(driver) == project_path
    assert "expert" in css(driver, "#reviewers").text
    upload(driver, "approval_draft", upload_files["approval_draft"])
    upload(driver, "minutes", upload_files["minutes"])
    screenshot(driver, "review")
    # The office may not record the review's conclusion; that is the expert's.
    assert not driver.find_elements(By.ID, "transition-pass_review")
    logout(driver)

    # --- viewer: reads the project, is offered nothing ---------------------------------------
    login(driver, site, "viewer")
    driver.get(project_url)
    assert stage_code(driver) == "50.00"
    assert not driver.find_elements(By.CSS_SELECTOR, "form[id^='transition-']")
    assert not driver.find_elements(By.ID, "actions")
    for control in ("document-add", "assign-experts", "comment-add"):
        assert not driver.find_elements(By.ID, control), f"viewer sees #{control}"
    logout(driver)

    # --- expert: passes the review ------------------------------------------------------------
    login(driver, site, "expert")
    open_task(driver, project_path)
    take(driver, "pass_review", "50.20", conclusion="passed")
    logout(driver)

    # --- lead: approves for publication -------------------------------------------------------
    login(driver, site, "lead")
    open_task(driver, project_path)
    take(driver, "approve", "50.60")
    logout(driver)

    # --- office: publishes ----------------------------------------------------------------------
    login(driver, site, "office")
    driver.get(project_url)
    take(driver, "publish", "60.60", number=NUMBER, issued_on=today, implemented_on=today)
    assert css(driver, "#published-standard").text == CANONICAL
    assert not driver.find_elements(By.CSS_SELECTOR, "form[id^='transition-']"), \
        "a published project offers no further step"
    screenshot(driver, "published")

    # The comment resolution table downloads as a spreadsheet.
    xlsx_url = css(driver, "#comment-table-xlsx").get_attribute("href")
    status, content_type, magic = fetch_status(driver, xlsx_url)
    assert status == 200, (status, content_type)
    assert "spreadsheetml" in content_type
    assert magic == "PK"

    # The timeline: every step, by whom, why.
    entries = driver.find_elements(By.CSS_SELECTOR, "#timeline li.version")
    timeline = [
        (entry.find_element(By.CSS_SELECTOR, ".who").text,
         entry.find_element(By.CSS_SELECTOR, ".reason").text)
        for entry in entries
    ]
    assert len(timeline) == len(STEPS), timeline
    for (who, reason_line), (name, user, reason) in zip(timeline, STEPS, strict=True):
        assert who == user, f"{name} recorded as taken by {who}"
        assert reason in reason_line, f"{name}: {reason_line}"

    # The catalog lists the standard, placed on the aspect.
    driver.get(f"{site}/standards/?q=CJSB")
    row = wait_for(driver, lambda d: d.find_element(
        By.XPATH, f"//main//table//tr[td[1]/a[normalize-space()='{CANONICAL}']]"))
    assert TITLE in row.text
    assert f"{NODE_CODE} {NODE_NAME}" in row.find_elements(By.TAG_NAME, "td")[-1].text

    # The tree: the aspect now holds a current standard, so it is no longer a gap.
    driver.get(f"{site}/?q={NODE_NAME}")
    match = css(driver, f'li.match[data-code="{NODE_CODE}"]', visible=True)
    assert match.find_element(By.CSS_SELECTOR, "a.nodename").text == NODE_NAME
    assert not driver.find_elements(By.CSS_SELECTOR, "li.match .badge.gap")
