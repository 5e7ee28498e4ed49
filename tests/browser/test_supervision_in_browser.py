"""Clause 8 in a real browser (headless Chromium): the office records an implementation check
that found a non-conformity, with its corrective action owned by the department lead; the
lead finds the action in "My tasks" and closes it with evidence and a file; the office then
records an evaluation of the standard and sees its weighted total."""

from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_lifecycle_in_browser import PDF, logout, set_date
from test_tree_in_browser import click_to_new_page, css, login, path_of

pytestmark = pytest.mark.browser

DEPARTMENT = "社会保险经办科"
FINDINGS = "抽查20份待遇核定档案，3份缺少经办人签字。"
NONCONFORMITY = "待遇核定档案缺少经办人签字（浏览器测试）"
ACTION = "补齐签字并对经办人员进行培训。"
EVIDENCE = "已补齐3份档案的签字，培训签到表见附件。"
CONCLUSION = "标准已在经办窗口实施，整改措施已落实。"
SCORES = ["90", "80", "85", "100"]  # weights 30, 30, 25, 15 → 87.3


@pytest.fixture
def department(transactional_db, browser_users):
    from lifecycle.models import Department

    return Department.objects.create(name=DEPARTMENT, lead=browser_users["lead"])


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def evidence_file(tmp_path):
    path = tmp_path / "整改报告.pdf"
    path.write_bytes(PDF)
    return str(path)


def page_text(driver):
    return css(driver, "main.content").text


def test_a_corrective_action_is_closed_by_its_owner_and_an_evaluation_is_scored(
        driver, site, browser_users, department, media_root, evidence_file):
    from catalog.models import Standard
    from catalog.models.choices import Status
    from lifecycle.models import Evaluation, NonConformity

    standard = (Standard.objects.with_status().filter(computed_status=Status.CURRENT)
                .order_by("number").first())
    today = timezone.localdate()
    due = today + timedelta(days=14)

    # --- office: records the check, then its non-conformity owned by the lead -------------
    login(driver, site, "office")
    driver.get(f"{site}/lifecycle/checks/")
    click_to_new_page(driver, css(driver, "#check-add", visible=True))
    Select(css(driver, "#id_standard")).select_by_value(str(standard.pk))
    Select(css(driver, "#id_department")).select_by_visible_text(DEPARTMENT)
    assert Select(css(driver, "#id_inspector")).first_selected_option.get_attribute(
        "value") == str(browser_users["office"].pk), "the inspector defaults to me"
    css(driver, "#id_findings").send_keys(FINDINGS)
    Select(css(driver, "#id_result")).select_by_value("nonconforming")
    click_to_new_page(driver, css(driver, "#check-submit"))
    assert path_of(driver).endswith("/nonconformities/add/"), page_text(driver)[:500]

    css(driver, "#id_description", visible=True).send_keys(NONCONFORMITY)
    css(driver, "#id_action").send_keys(ACTION)
    owner = Select(css(driver, "#id_owner"))
    assert owner.first_selected_option.get_attribute("value") == str(
        browser_users["lead"].pk), "the department's lead is proposed as the owner"
    set_date(driver, css(driver, "#id_due_on"), due)
    click_to_new_page(driver, css(driver, "#nonconformity-submit"))
    assert path_of(driver).startswith("/lifecycle/checks/"), page_text(driver)[:500]
    table = css(driver, "#nonconformity-table", visible=True).text
    assert NONCONFORMITY in table and due.isoformat() in table
    action = NonConformity.objects.get(description=NONCONFORMITY)
    logout(driver)

    # --- lead: finds it in "My tasks" and closes it with evidence -------------------------
    login(driver, site, "lead")
    click_to_new_page(driver, css(driver, "#nav-tasks", visible=True))
    link = css(driver, f'#task-table a[href="{action.get_absolute_url()}"]', visible=True)
    assert NONCONFORMITY[:20] in link.text
    click_to_new_page(driver, link)
    click_to_new_page(driver, css(driver, "#nonconformity-close", visible=True))
    css(driver, "#id_evidence", visible=True).send_keys(EVIDENCE)
    css(driver, "#id_file").send_keys(evidence_file)
    click_to_new_page(driver, css(driver, "#close-submit"))
    assert path_of(driver) == action.get_absolute_url(), page_text(driver)[:500]
    assert EVIDENCE in css(driver, "#nonconformity-evidence", visible=True).text
    assert today.isoformat() in css(driver, "#nonconformity-closed").text
    assert css(driver, "#evidence-file").text == "整改报告.pdf"
    assert not driver.find_elements(By.ID, "nonconformity-close"), "closed only once"
    click_to_new_page(driver, css(driver, "#nav-tasks", visible=True))
    assert not driver.find_elements(By.CSS_SELECTOR,
                                    f'#task-table a[href="{action.get_absolute_url()}"]')
    logout(driver)

    # --- office: evaluates the standard and sees the weighted total -------------------------
    login(driver, site, "office")
    driver.get(f"{site}/lifecycle/evaluations/")
    Select(css(driver, "select[name=standard]", visible=True)).select_by_value(
        str(standard.pk))
    click_to_new_page(driver, css(driver, ".filterbar button[type=submit]"))
    click_to_new_page(driver, css(driver, "#evaluation-add", visible=True))
    inputs = driver.find_elements(By.CSS_SELECTOR, "#criteria-table input.score")
    assert len(inputs) == len(SCORES)
    for element, value in zip(inputs, SCORES, strict=True):
        element.send_keys(value)
    css(driver, "#id_conclusion").send_keys(CONCLUSION)
    click_to_new_page(driver, css(driver, "#evaluation-submit"))
    evaluation = Evaluation.objects.get(standard=standard)
    assert path_of(driver) == evaluation.get_absolute_url(), page_text(driver)[:500]
    assert css(driver, "#evaluation-total", visible=True).text == "87.3"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#score-table tbody tr")) == 4
    assert CONCLUSION in css(driver, "#evaluation-conclusion").text

    # Its results over time: one dot on the chart.
    driver.get(f"{site}/lifecycle/evaluations/?standard={standard.pk}")
    css(driver, "#score-chart", visible=True)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#score-chart circle.dot")) == 1
