"""The leaders' dashboard in a real browser (headless Chromium), as the issue's "done" puts
it: a department lead sees on the dashboard that 数据中心管理 (303) has gaps, follows the
overdue corrective action from the chart to its list, closes it with evidence, and the
dashboard shows it closed.

The charts are inline SVG drawn by the application: the test follows their links by
clicking the bars, and checks that the Chinese labels are laid out (have a width).

Set DASHBOARD_SCREENSHOTS to a directory to save a full-page screenshot of the dashboard.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from test_tree_in_browser import click_to_new_page, css, login, path_of, wait_for

pytestmark = pytest.mark.browser

DASHBOARD = "/lifecycle/dashboard/"
EVIDENCE = "已在 3 号窗口张贴办理时限公示，附现场照片。"


@pytest.fixture
def overdue_action(transactional_db, browser_seeded, browser_users):
    """An implementation check that found a non-conformity; its corrective action, owned
    by the lead, was due three days ago."""
    from catalog.models import Standard
    from lifecycle.choices import CheckResult
    from lifecycle.models import ImplementationCheck, NonConformity

    office, today = browser_users["office"], timezone.localdate()
    check = ImplementationCheck(
        standard=Standard.objects.order_by("pk").first(), location="政务服务大厅 3 号窗口",
        checked_on=today - timedelta(days=20), inspector=office,
        findings="窗口未公示办理时限。", result=CheckResult.NONCONFORMING, created_by=office)
    check._history_user, check._change_reason = office, "浏览器测试"
    check.save()
    action = NonConformity(check_record=check, description="窗口未公示办理时限",
                           action="在窗口公示办理时限", owner=browser_users["lead"],
                           due_on=today - timedelta(days=3))
    action._history_user, action._change_reason = office, "浏览器测试"
    action.save()
    return action


def screenshot(driver, name):
    """A full-page PNG of the current page, if DASHBOARD_SCREENSHOTS names a directory."""
    folder = os.environ.get("DASHBOARD_SCREENSHOTS")
    if not folder:
        return
    height = driver.execute_script(
        "return Math.ceil(document.body.getBoundingClientRect().height)")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1400, "height": min(max(height, 600), 8000), "deviceScaleFactor": 1,
        "mobile": False})
    try:
        driver.save_screenshot(str(Path(folder) / f"dashboard-{name}.png"))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def kpi_value(driver, tile):
    return css(driver, f"#{tile} .kpi-value").text.strip()


def test_a_lead_sees_the_gaps_and_closes_an_overdue_action(driver, site, overdue_action):
    from lifecycle.models import NonConformity
    from registry.models import Node

    data_centre = Node.objects.get(code="303")
    login(driver, site, "lead")
    driver.get(site + DASHBOARD)
    css(driver, "svg#chart-coverage", visible=True)
    screenshot(driver, "before")

    # 数据中心管理 is drawn with its label and 0 of its 5 aspects covered.
    bar = css(driver, f'svg#chart-coverage a[href="/nodes/{data_centre.pk}/"]')
    label = bar.find_element(By.TAG_NAME, "text")
    assert label.text == "303 数据中心管理"
    assert label.size["width"] > 50  # the CJK text is laid out, not dropped
    assert "0 / 5" in bar.text
    assert kpi_value(driver, "kpi-nonconformities") == "1"

    # The bar leads to the node's page, which lists its gaps.
    click_to_new_page(driver, bar.find_element(By.TAG_NAME, "rect"))
    assert path_of(driver) == f"/nodes/{data_centre.pk}/"
    assert "数据中心管理" in css(driver, "h1").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "main .badge.gap")) == 5

    # The ring's red part and its legend entry lead to the overdue corrective actions.
    driver.get(site + DASHBOARD)
    css(driver, 'svg#chart-nonconformities a[href$="overdue=1"] path')  # the red segment
    legend = css(driver, 'svg#chart-nonconformities a[href$="overdue=1"] text')
    click_to_new_page(driver, legend)
    assert driver.execute_script("return location.search") == "?status=open&overdue=1"
    assert overdue_action.description in css(driver, "main").text

    # Close it with evidence.
    driver.get(site + reverse("lifecycle:nonconformity_close", args=[overdue_action.pk]))
    css(driver, "#id_evidence", visible=True).send_keys(EVIDENCE)
    click_to_new_page(driver, css(driver, "#close-submit"))
    wait_for(driver, lambda d: NonConformity.objects.get(pk=overdue_action.pk).status
             == "closed")

    driver.get(site + DASHBOARD)
    assert kpi_value(driver, "kpi-nonconformities") == "0"
    assert not driver.find_elements(By.CSS_SELECTOR,
                                    'svg#chart-nonconformities a[href$="overdue=1"] path')
    screenshot(driver, "after")
