"""Forms as Chromium shows them: every date input shows its initial value in both
languages (a value not written YYYY-MM-DD is dropped by the browser), a refused transition
keeps what was typed, and two people editing one node or one standard do not overwrite
each other."""

from datetime import date

import pytest
from django.test import Client
from selenium.webdriver.common.by import By
from test_lifecycle_in_browser import set_date
from test_tree_in_browser import click_to_new_page, css, login

from tests.test_edit_conflicts import form_data

pytestmark = pytest.mark.browser

DATE_INPUTS = "input[type=date], input[type=datetime-local]"


@pytest.fixture
def records(transactional_db, site, browser_users):
    """A record behind every page with a date input, each with its dates set."""
    from catalog.models import Standard
    from lifecycle.choices import Stage
    from lifecycle.models import (
        Department,
        ImplementationCheck,
        InformationItem,
        NonConformity,
        PlanItem,
        Project,
        TrainingRecord,
        WorkRule,
        YearPlan,
    )
    from registry.models import Node

    users = browser_users
    node = Node.objects.get(code="304-09")
    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])

    def project(stage, level="organization"):
        return Project.objects.create(
            title=f"社会保险报表管理规范（{stage}）", level=level, node=node,
            department=department, leader=users["office"], stage=stage,
            planned_start=date(2026, 3, 2), planned_end=date(2026, 12, 30),
            created_by=users["office"])

    standard = Standard.objects.get(number="GB/T 1.1—2020")
    Standard.objects.filter(pk=standard.pk).update(issued_on=date(2020, 3, 31),
                                                   implemented_on=date(2020, 10, 1))
    check = ImplementationCheck.objects.create(
        standard=standard, checked_on=date(2026, 3, 2), location="政务服务大厅社保窗口",
        inspector=users["office"], findings="按规范办理", result="conforming",
        created_by=users["office"])
    plan = YearPlan.objects.create(year=2026, title="2026年标准化工作计划")
    nonconformity = NonConformity.objects.create(
        check_record=check, description="未公示办理时限", action="公示办理时限",
        owner=users["lead"], due_on=date(2026, 6, 30))
    training = TrainingRecord.objects.create(
        user=users["expert"], course="标准化工作导则", attended_on=date(2026, 5, 8), hours=4,
        provider="市场监管局", created_by=users["office"])
    item = InformationItem.objects.create(
        title="国家标准化发展纲要", category="policy", source="中共中央 国务院",
        published_on=date(2021, 10, 10), created_by=users["office"])
    rule = WorkRule.objects.create(title="标准化工作管理办法", effective_on=date(2025, 1, 1),
                                   node=node, created_by=users["office"])
    plan_item = PlanItem.objects.create(plan=plan, title="制定社会保险报表管理规范", node=node,
                                        target_on=date(2026, 12, 31))
    # page: (URL, the date inputs that must show a date)
    return {
        "project_add": ("/lifecycle/projects/add/", ["planned_start"]),
        "project_edit": (f"/lifecycle/projects/{project(Stage.PROPOSAL).pk}/edit/",
                         ["planned_start", "planned_end"]),
        "open_comment_period": (f"/lifecycle/projects/{project(Stage.DRAFTING).pk}/",
                                ["open_comment_period-starts_on"]),
        "start_public_notice": (
            f"/lifecycle/projects/{project(Stage.APPROVAL, 'local').pk}/",
            ["start_public_notice-starts_on"]),
        "standard_edit": (f"/standards/{standard.pk}/edit/", ["issued_on", "implemented_on"]),
        "check_edit": (f"/lifecycle/checks/{check.pk}/edit/", ["checked_on"]),
        "nonconformity_edit": (f"/lifecycle/nonconformities/{nonconformity.pk}/edit/",
                               ["due_on"]),
        "training_edit": (f"/lifecycle/people/training/{training.pk}/edit/", ["attended_on"]),
        "informationitem_edit": (f"/lifecycle/information/{item.pk}/edit/", ["published_on"]),
        "information_list": ("/lifecycle/information/?since=2021-01-01&until=2026-11-30",
                             ["since", "until"]),
        "workrule_edit": (f"/lifecycle/rules/{rule.pk}/edit/", ["effective_on"]),
        "planitem_edit": (f"/lifecycle/plans/items/{plan_item.pk}/edit/", ["target_on"]),
        "audit_log": ("/audit/?since=2026-11-01&until=2026-11-30", ["since", "until"]),
        "comment_add": (f"/lifecycle/projects/{project(Stage.COMMENT).pk}/comments/add/",
                        ["received_on"]),
        "export": ("/export/", []),
    }


def shown_dates(driver):
    """(name, the value written in the HTML, the value the browser shows) of each date
    input on the page."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])]"
        ".map(e => [e.name, e.getAttribute('value'), e.value])", DATE_INPUTS)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_input_shows_its_initial_value(language, driver, site, records):
    login(driver, site, "admin")
    driver.add_cookie({"name": "django_language", "value": language})
    for name, (url, expected) in records.items():
        driver.get(site + url)
        css(driver, "main.content")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        inputs = shown_dates(driver)
        for field, written, shown in inputs:
            if written:
                assert shown == written, f"{name} {language}: {field} written {written!r}"
        values = {field: shown for field, _written, shown in inputs}
        for field in expected:
            assert values.get(field), f"{name} {language}: {field} shows no date ({inputs})"


def test_a_refused_publication_keeps_what_was_typed(driver, site, browser_users):
    from lifecycle.choices import Stage
    from lifecycle.models import Department, Project
    from registry.models import Node

    project = Project.objects.create(
        title="社会保险报表管理规范", level="organization", node=Node.objects.get(code="304-09"),
        department=Department.objects.create(name="社会保险经办科", lead=browser_users["lead"]),
        leader=browser_users["office"], stage=Stage.APPROVED, planned_start=date(2026, 3, 2),
        planned_end=date(2026, 12, 30), created_by=browser_users["office"])
    login(driver, site, "office")
    driver.get(site + project.get_absolute_url())
    form = css(driver, "#transition-publish", visible=True)
    form.find_element(By.NAME, "publish-number").send_keys("Q/CJSB 001-2027")
    set_date(driver, form.find_element(By.NAME, "publish-issued_on"), date(2026, 12, 1))
    set_date(driver, form.find_element(By.NAME, "publish-implemented_on"), date(2027, 1, 1))
    form.find_element(By.NAME, "publish-reason").send_keys("局务会批准发布")
    click_to_new_page(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    form = css(driver, "#transition-publish", visible=True)
    assert form.find_element(By.NAME, "publish-number").get_attribute("value") == \
        "Q/CJSB 001-2027"
    assert form.find_element(By.NAME, "publish-issued_on").get_attribute("value") == \
        "2026-12-01"
    assert form.find_element(By.NAME, "publish-implemented_on").get_attribute("value") == \
        "2027-01-01"
    assert form.find_element(By.NAME, "publish-reason").get_attribute("value") == "局务会批准发布"
    error = form.find_element(By.CSS_SELECTOR, ".field.has-error .error").text
    assert error.startswith("标准号") and "2027" in error, error


def other_person_saves(url, field, value):
    """Someone else (the administrator, in another browser) opens the form and saves."""
    from django.contrib.auth import get_user_model

    other = Client()
    other.force_login(get_user_model().objects.get(username="admin"))
    data = {**form_data(other.get(url)), field: [value], "reason": ["另一人同时修改"]}
    assert other.post(url, data).status_code == 302


@pytest.mark.parametrize("kind", ["node", "standard"])
def test_two_people_editing_one_record_do_not_overwrite_each_other(kind, driver, site,
                                                                   browser_users):
    from catalog.models import Standard
    from registry.models import Node

    if kind == "node":
        record = Node.objects.get(code="304-09")
        url, field, theirs, mine = (f"/nodes/{record.pk}/edit/", "name", "社会保险报表统计管理",
                                    "社会保险报表与统计")
        submit = "#action-submit"
    else:
        record = Standard.objects.get(number="GB/T 1.1—2020")
        url, field, theirs, mine = (f"/standards/{record.pk}/edit/", "title",
                                    "标准化工作导则（他人修改）", "标准化工作导则（我的修改）")
        submit = "#standard-submit"
    login(driver, site, "office")
    driver.get(site + url)
    mine_input = css(driver, f"#id_{field}", visible=True)
    other_person_saves(url, field, theirs)  # after this person opened the form
    mine_input.clear()
    mine_input.send_keys(mine)
    css(driver, "#id_reason").send_keys("我的修改")
    click_to_new_page(driver, css(driver, submit))
    conflict = css(driver, "#edit-conflict", visible=True).text
    assert "admin" in conflict and theirs in conflict and mine in conflict
    assert css(driver, f"#id_{field}").get_attribute("value") == mine  # kept
    # "Save again": my values over theirs, knowingly.
    click_to_new_page(driver, css(driver, submit))
    assert not driver.find_elements(By.ID, "edit-conflict")
    record.refresh_from_db()
    assert getattr(record, field) == mine
    assert record.history.count() >= 3  # theirs and mine, both in the history
