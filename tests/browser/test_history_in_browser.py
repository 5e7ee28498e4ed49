"""The history of the standard system as a user reads it in a real browser (headless Chromium).

One errand, as the issue puts it: change a node, rename a standard, open both histories,
compare versions, open the system as of yesterday. So that "yesterday" shows the system
before today's changes, the seed data is loaded as if two days ago: simple-history dates
each row with ``getattr(instance, "_history_date", timezone.now())``, and the audit log
line takes its timestamp from that row's ``history_date``.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from test_tree_in_browser import (
    click_to_new_page,
    css,
    login,
    open_node_by_code,
    path_of,
    run_action,
    wait_for,
)

pytestmark = pytest.mark.browser

NODE_CODE = "303-04"
OLD_NAME, NEW_NAME = "网络管理", "网络运维管理"
NODE_REASON = "浏览器测试：按职能更名"
NUMBER = "GB/T 13016"
OLD_TITLE = "标准体系构建原则和要求"
NEW_TITLE = "标准体系构建原则和要求（浏览器测试修订）"
STANDARD_REASON = "浏览器测试：更正标题"


@pytest.fixture
def seeded_two_days_ago(transactional_db):
    """The Appendix A system and the seed catalog, with every history row two days old."""
    from registry.actions.seed import seed_system
    from registry.models import Node

    two_days_ago = timezone.now() - timedelta(days=2)
    # simple_history.models reads django.utils.timezone.now, so this patch dates the
    # seed's history rows (and their audit log lines) two days back.
    with mock.patch("simple_history.models.timezone.now", return_value=two_days_ago):
        seed_system()
    return Node.objects.get_root_nodes().get()


@pytest.fixture
def site(live_server, seeded_two_days_ago, browser_users):
    """Overrides conftest's ``site``: the same users, the seed dated two days back."""
    return live_server.url


def text_of(element):
    """All the text inside ``element``, also in collapsed <details>."""
    return " ".join(element.get_attribute("textContent").split())


def test_office_changes_a_node_and_a_standard_then_reads_their_history(driver, site):
    # "Yesterday" in the site's time zone (Asia/Shanghai), taken before any edit, so the
    # edits fall after it even if the clock passes midnight during the test.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    login(driver, site, "office")

    # Change a node: 303-04 网络管理 becomes 网络运维管理.
    open_node_by_code(driver, site, NODE_CODE)
    assert OLD_NAME in css(driver, "h1").text
    node_url = driver.current_url
    run_action(driver, "action-edit", reason=NODE_REASON, id_name=NEW_NAME)
    assert driver.current_url == node_url
    assert NEW_NAME in css(driver, "h1").text

    # Rename a standard, found through the catalog.
    driver.get(f"{site}/standards/?q=13016")
    link = wait_for(driver, EC.element_to_be_clickable(
        (By.XPATH, f"//main//table//a[normalize-space()='{NUMBER}']")
    ))
    click_to_new_page(driver, link)
    assert NUMBER in css(driver, "h1").text
    standard_url = driver.current_url
    click_to_new_page(driver, css(driver, "#standard-edit", visible=True))
    title = css(driver, "#id_title", visible=True)
    assert title.get_attribute("value") == OLD_TITLE
    title.clear()
    title.send_keys(NEW_TITLE)
    css(driver, "#id_reason").send_keys(STANDARD_REASON)
    click_to_new_page(driver, css(driver, "#standard-submit"))
    assert driver.current_url == standard_url
    assert NEW_TITLE in css(driver, "h1").text

    # The node's history: the newest version shows the rename and its reason.
    driver.get(node_url)
    click_to_new_page(driver, css(driver, "#node-history", visible=True))
    assert path_of(driver).startswith("/history/registry.node/")
    newest = css(driver, "ol.timeline > li.version")
    assert [text_of(td) for td in newest.find_elements(By.CSS_SELECTOR, "table.diff td.old")] \
        == [OLD_NAME]
    assert [text_of(td) for td in newest.find_elements(By.CSS_SELECTOR, "table.diff td.new")] \
        == [NEW_NAME]
    assert NODE_REASON in newest.find_element(By.CSS_SELECTOR, ".reason").text
    oldest = driver.find_elements(By.CSS_SELECTOR, "ol.timeline > li.version")[-1]
    assert OLD_NAME in text_of(oldest)

    # The standard's history, then its first and last versions compared.
    driver.get(standard_url)
    click_to_new_page(driver, css(driver, "#standard-history", visible=True))
    history_path = path_of(driver)
    assert history_path.startswith("/history/catalog.standard/")
    timeline = driver.find_elements(By.CSS_SELECTOR, "ol.timeline > li.version")
    assert len(timeline) >= 2
    assert STANDARD_REASON in timeline[0].find_element(By.CSS_SELECTOR, ".reason").text
    newest_id = timeline[0].get_attribute("id").removeprefix("v")
    oldest_id = timeline[-1].get_attribute("id").removeprefix("v")
    Select(css(driver, "#compare-a")).select_by_value(oldest_id)
    Select(css(driver, "#compare-b")).select_by_value(newest_id)
    click_to_new_page(driver, css(driver, "#compare-submit"))
    assert path_of(driver) == history_path + "compare/"
    query = driver.execute_script("return location.search")
    assert f"a={oldest_id}" in query and f"b={newest_id}" in query
    result = css(driver, "#compare-result", visible=True)
    assert [text_of(td) for td in result.find_elements(By.CSS_SELECTOR, "td.old")] \
        == [OLD_TITLE]
    assert [text_of(td) for td in result.find_elements(By.CSS_SELECTOR, "td.new")] \
        == [NEW_TITLE]

    # The system as it stood yesterday: after the seed, before both edits.
    driver.get(f"{site}/as-of/")
    box = css(driver, "#as-of-at", visible=True)
    box.send_keys(yesterday)
    click_to_new_page(driver, css(driver, "#as-of-form button[type=submit]"))
    assert driver.execute_script("return location.search") == f"?at={yesterday}"
    assert f"{yesterday} 23:59" in css(driver, "#as-of-banner", visible=True).text
    # Either the read-only tree or the "did not exist yet" note follows the banner.
    tree = css(driver, "#tree, #as-of-banner ~ p.muted")
    assert tree.get_attribute("id") == "tree", f"no as-of tree: {tree.text}"
    aspect = tree.find_element(By.CSS_SELECTOR, f'li[data-code="{NODE_CODE}"] a.nodename')
    assert text_of(aspect) == OLD_NAME
    assert NEW_NAME not in text_of(tree)
    row = css(driver, "#as-of-standards").find_element(
        By.XPATH, f".//tr[td[1][normalize-space()='{NUMBER}']]"
    )
    assert text_of(row.find_elements(By.TAG_NAME, "td")[1]) == OLD_TITLE
    assert NEW_TITLE not in text_of(css(driver, "#as-of-standards"))

    # The audit log names both changes with their reasons.
    driver.get(f"{site}/audit/")
    log = text_of(css(driver, "#audit-table", visible=True))
    assert NODE_REASON in log
    assert STANDARD_REASON in log
