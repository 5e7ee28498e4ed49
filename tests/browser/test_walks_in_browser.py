"""From proposal to publication at each level, in a real browser, by the people who really
act: the administrator sets up the drafting department and its lead, the office carries
the project, the lead decides an organization project, the assigned expert uploads the
review's documents and records its conclusion. No administrator shortcut: each step is
taken by its own account through its own page, and on every page of the open project
"Waiting for" names the person the next step waits for.

Only the public notice's thirty days are not waited for: the test moves the calendar (the
notice's dates), as no one waits a month.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_lifecycle_in_browser import (
    error_messages,
    fill,
    logout,
    set_date,
    stage_code,
)
from test_tree_in_browser import click_to_new_page, css, login, path_of

from lifecycle.models import Project

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NODE_CODE = "304-09"
DEPARTMENT = "社会保险经办科"
# What each level publishes, and the documents its proposal needs.
LEVELS = {
    "organization": ("Q/CJSB 002-2026", "Q/CJSB 002—2026", ["proposal"]),
    "local": ("DB6523/T 401-2026", "DB6523/T 401—2026", ["proposal", "draft", "expert_opinion"]),
    "national": ("GB/T 45999-2026", "GB/T 45999—2026", ["proposal", "draft", "expert_opinion"]),
}
NAMES = {"admin": "王管理", "office": "李办公", "lead": "张科长", "expert": "赵专家"}


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    paths = {}
    for kind in ("proposal", "draft", "expert_opinion", "authority_decision", "comment_draft",
                 "explanatory_notes", "review_draft", "approval_draft", "minutes"):
        path = folder / f"{kind}.pdf"
        path.write_bytes(PDF)
        paths[kind] = str(path)
    return paths


@pytest.fixture
def people(browser_users):
    for role, name in NAMES.items():
        user = browser_users[role]
        user.first_name = name
        user.save()
    return browser_users


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def waits_for(driver, role):
    """The project page says whom it waits for, and that is this role's person."""
    waiting = css(driver, "#waiting-for", visible=True).text
    assert NAMES[role] in waiting, f"expected to wait for {role}: {waiting}"


def step(driver, name, code, **fields):
    form = css(driver, f"#transition-{name}", visible=True)
    unmet = [p.text for p in form.find_elements(By.CSS_SELECTOR, ".warning")]
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    assert button.is_enabled(), f"{name} is not offered yet: {unmet}"
    for field, value in fields.items():
        fill(driver, form.find_element(By.NAME, f"{name}-{field}"), value)
    form.find_element(By.NAME, f"{name}-reason").send_keys(f"浏览器走查：{name}")
    click_to_new_page(driver, button)
    assert not error_messages(driver), f"{name} failed: {error_messages(driver)}"
    assert not driver.find_elements(By.CSS_SELECTOR, ".errors, .error"), \
        f"{name} refused: {css(driver, 'main.content').text[:600]}"
    assert stage_code(driver) == code, f"after {name}"


def upload(driver, kind, path):
    project_path = path_of(driver)
    click_to_new_page(driver, css(driver, "#document-add", visible=True))
    Select(css(driver, "#id_kind")).select_by_value(kind)
    css(driver, "#id_file").send_keys(path)
    click_to_new_page(driver, css(driver, "#record-submit"))
    assert path_of(driver) == project_path, \
        f"upload of {kind} was refused: {css(driver, 'main.content').text[:500]}"


def as_user(driver, site, role, project_url=None):
    logout(driver)
    login(driver, site, role)
    if project_url:
        driver.get(project_url)


@pytest.mark.parametrize("level", list(LEVELS))
def test_a_standard_from_proposal_to_publication(level, driver, site, people, media, files):
    number, canonical, proposal_documents = LEVELS[level]
    today = timezone.localdate()

    # --- admin: the drafting department and its lead -----------------------------------------
    login(driver, site, "admin")
    driver.get(site + "/lifecycle/organization/add/")
    css(driver, "#id_name", visible=True).send_keys(DEPARTMENT)
    Select(css(driver, "#id_lead")).select_by_value(str(people["lead"].pk))
    click_to_new_page(driver, css(driver, "#department-submit"))
    assert DEPARTMENT in css(driver, "main.content").text

    # --- office: the project, its proposal --------------------------------------------------
    as_user(driver, site, "office")
    driver.get(site + "/lifecycle/projects/add/")
    css(driver, "#id_title", visible=True).send_keys(f"社会保险报表管理规范（{level}）")
    Select(css(driver, "#id_kind")).select_by_value("new")
    Select(css(driver, "#id_level")).select_by_value(level)
    node = Select(css(driver, "#id_node"))
    node.select_by_visible_text(next(o.text for o in node.options
                                     if o.text.strip().startswith(NODE_CODE + " ")))
    Select(css(driver, "#id_department")).select_by_visible_text(DEPARTMENT)
    Select(css(driver, "#id_leader")).select_by_value(str(people["office"].pk))
    set_date(driver, css(driver, "#id_planned_start"), today)
    set_date(driver, css(driver, "#id_planned_end"), today + timedelta(days=365))
    click_to_new_page(driver, css(driver, "#project-submit"))
    project_path = path_of(driver)
    assert project_path.startswith("/lifecycle/projects/"), css(driver, "main.content").text
    project_url = site + project_path
    waits_for(driver, "office")
    for kind in proposal_documents:
        upload(driver, kind, files[kind])
    if level == "organization":
        step(driver, "submit_proposal", "10.20")
        waits_for(driver, "office")
        step(driver, "pass_office_review", "10.60")
        waits_for(driver, "lead")
        as_user(driver, site, "lead", project_url)
        step(driver, "approve_proposal", "20.00")
        as_user(driver, site, "office", project_url)
    else:
        step(driver, "submit_proposal", "10.60")
        waits_for(driver, "office")  # it records the authority's decision
        upload(driver, "authority_decision", files["authority_decision"])
        step(driver, "approve_proposal", "20.00")

    # --- office: drafting and a one-day comment period, closed on its day --------------------
    waits_for(driver, "office")
    upload(driver, "comment_draft", files["comment_draft"])
    upload(driver, "explanatory_notes", files["explanatory_notes"])
    step(driver, "open_comment_period", "40.20", starts_on=today, days="1")
    waits_for(driver, "office")
    upload(driver, "review_draft", files["review_draft"])
    step(driver, "close_comment_period", "50.00")

    # --- the review: the office is waited for until it assigns the expert -------------------
    waits_for(driver, "office")
    assert css(driver, "#waiting-task").text
    click_to_new_page(driver, css(driver, "#assign-experts", visible=True))
    css(driver, f'input[name="experts"][value="{people["expert"].pk}"]', visible=True).click()
    click_to_new_page(driver, css(driver, "#record-submit"))
    waits_for(driver, "expert")

    # --- expert: uploads the review's documents, records the conclusion ---------------------
    as_user(driver, site, "expert", project_url)
    upload(driver, "approval_draft", files["approval_draft"])
    upload(driver, "minutes", files["minutes"])
    step(driver, "pass_review", "50.20", conclusion="passed")

    # --- approval, by level -----------------------------------------------------------------
    if level == "organization":
        waits_for(driver, "lead")
        as_user(driver, site, "lead", project_url)
        step(driver, "approve", "50.60")
    else:
        waits_for(driver, "office")
        as_user(driver, site, "office", project_url)
        if level == "local":
            step(driver, "start_public_notice", "50.20", starts_on=today)
            waits_for(driver, "office")
            # Thirty days of public notice pass (the calendar moves; no one waits a month).
            Project.objects.filter(pk=int(project_path.strip("/").split("/")[-1])).update(
                notice_starts_on=today - timedelta(days=31),
                notice_ends_on=today - timedelta(days=2))
            driver.refresh()
            step(driver, "end_public_notice", "50.20")
        else:
            step(driver, "submit_to_authority", "50.20")
        waits_for(driver, "office")
        upload(driver, "authority_decision", files["authority_decision"])
        step(driver, "record_authority_approval", "50.60")

    # --- office: publishes ---------------------------------------------------------------------
    if level == "organization":
        as_user(driver, site, "office", project_url)
    waits_for(driver, "office")
    step(driver, "publish", "60.60", number=number, issued_on=today, implemented_on=today)
    assert css(driver, "#published-standard").text == canonical
    assert not driver.find_elements(By.ID, "waiting-for"), "a published project waits for no one"
    timeline = css(driver, "#timeline").text
    assert "admin" not in [e.text for e in driver.find_elements(
        By.CSS_SELECTOR, "#timeline li.version .who")], timeline
