"""The standard-system tree as a user sees it in a real browser (headless Chromium).

Each test is one user's errand: log in through the login form, find nodes in the tree,
change the tree through the node pages. Elements are found by id and data attribute;
where text is checked it is data (node names, codes, standard numbers), not UI wording.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.browser

LOGIN_PATH = "/accounts/login/"
PASSWORD = "pw"  # every role user's password (tests.factories.UserFactory)
WAIT_SECONDS = 10


# --- helpers ------------------------------------------------------------------------------

def wait_for(driver, condition, timeout=WAIT_SECONDS):
    """Wait until ``condition(driver)`` is truthy and return its value."""
    return WebDriverWait(driver, timeout).until(condition)


def css(driver, selector, visible=False):
    """The element matching ``selector``, waiting for it to be present (or visible)."""
    locate = EC.visibility_of_element_located if visible else EC.presence_of_element_located
    return wait_for(driver, locate((By.CSS_SELECTOR, selector)))


def path_of(driver):
    return driver.execute_script("return location.pathname")


def _replaced(old_element):
    """Like EC.staleness_of, but Chromium sometimes reports a node of an unloaded document
    as "does not belong to the document" (a WebDriverException) instead of as stale."""

    def check(_driver):
        try:
            old_element.is_enabled()
        except (StaleElementReferenceException, WebDriverException):
            return True
        return False

    return check


def click_to_new_page(driver, element):
    """Click something that loads a new page, and wait until the old page is gone."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait_for(driver, _replaced(old_page))
    css(driver, "main.content")


def login(driver, site, username, password=PASSWORD):
    """Open the site, which sends us to the login form, and log in through it."""
    driver.get(site + "/")
    css(driver, "#id_username", visible=True).send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    click_to_new_page(driver, driver.find_element(By.ID, "login-submit"))


def tree_item(driver, code):
    """The tree's ``<li>`` for the node with this system code."""
    return css(driver, f'li[data-code="{code}"]')


def open_node_by_code(driver, site, code):
    """Search the tree for a code and follow the matching node's link to its page."""
    driver.get(f"{site}/?q={code}")
    link = css(driver, f'li.match[data-code="{code}"] a.nodename', visible=True)
    click_to_new_page(driver, link)
    assert page_code(driver) == code


def page_code(driver):
    """The system code in the node page's heading."""
    return css(driver, "h1 .code").text.strip()


def breadcrumbs(driver):
    return css(driver, "nav.breadcrumbs").text


def run_action(driver, action_id, reason=None, **fields):
    """On a node page: click an action button, fill the form, submit it.

    ``fields`` maps input ids to text; ``reason`` goes into ``#id_reason``.
    """
    click_to_new_page(driver, css(driver, f"#{action_id}", visible=True))
    for field_id, value in fields.items():
        box = css(driver, f"#{field_id}", visible=True)
        box.clear()
        box.send_keys(value)
    if reason is not None:
        css(driver, "#id_reason").send_keys(reason)
    click_to_new_page(driver, css(driver, "#action-submit"))


def select_option_by_label(select_element, label):
    """Pick the option whose text, without its indentation, is ``label``."""
    select = Select(select_element)
    for option in select.options:
        if option.text.strip() == label:
            option.click()
            return
    raise AssertionError(f"No option {label!r} in #{select_element.get_attribute('id')}")


def matching_codes(driver):
    """Codes of the tree rows marked as search matches (read in one go, never stale)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#tree li.match'), li => li.dataset.code)"
    )


def page_gettext(driver, message):
    """``message`` translated into the language the page is shown in."""
    language = driver.execute_script("return document.documentElement.lang")
    with translation.override(language):
        return gettext(message)


# --- scenarios ----------------------------------------------------------------------------

def test_login_rejects_wrong_password_then_admits_and_logout_returns_to_login(driver, site):
    """A user mistypes the password, is told so, logs in properly, then logs out."""
    login(driver, site, "office", "not-the-password")
    error = css(driver, "form .errors[role=alert]", visible=True)
    assert error.text.strip(), "the login page shows an empty error box"
    assert path_of(driver) == LOGIN_PATH
    assert css(driver, "#id_username").get_attribute("value") == "office"

    password = css(driver, "#id_password")
    password.clear()
    password.send_keys(PASSWORD)
    click_to_new_page(driver, driver.find_element(By.ID, "login-submit"))
    assert path_of(driver) == "/"
    css(driver, "#tree", visible=True)
    assert css(driver, "#logout").is_displayed()

    click_to_new_page(driver, css(driver, "#logout"))
    assert path_of(driver) == LOGIN_PATH
    css(driver, "#id_username", visible=True)
    assert not driver.find_elements(By.ID, "logout")

    # Logged out for real: the tree sends us back to the login form.
    driver.get(site + "/")
    css(driver, "#id_username", visible=True)
    assert path_of(driver) == LOGIN_PATH


def test_office_expands_a_category_and_finds_an_aspect_by_live_search(driver, site):
    """Office staff open a category in the tree, then search for an aspect and open it."""
    login(driver, site, "office")
    css(driver, "#tree", visible=True)

    assert len(driver.find_elements(By.CSS_SELECTOR, "li.kind-category")) == 16
    # The 13 categories that have aspects are <details>, all of them closed.
    branches = driver.find_elements(By.CSS_SELECTOR, "li.kind-category > details")
    assert len(branches) == 13
    assert not [d for d in branches if d.get_attribute("open") is not None], \
        "categories should start collapsed"

    data_centre = tree_item(driver, "303")
    aspect_link = data_centre.find_element(
        By.XPATH, ".//li[contains(@class, 'kind-aspect')]//a[normalize-space()='网络管理']"
    )
    assert not aspect_link.is_displayed()
    # Click the branch's expand control, not the node name (a link to the node page).
    data_centre.find_element(By.CSS_SELECTOR, ":scope > details > summary").click()
    wait_for(driver, EC.visibility_of(aspect_link))
    assert data_centre.find_element(By.TAG_NAME, "details").get_attribute("open") is not None

    # Live search: typing replaces the tree through htmx, without a page load.
    page = driver.find_element(By.TAG_NAME, "html")
    old_tree = css(driver, "#tree")
    css(driver, "#tree-search").send_keys("工伤医疗费用申报受理")
    wait_for(driver, EC.staleness_of(old_tree))
    wait_for(driver, lambda d: matching_codes(d) == ["206-08"])
    assert not EC.staleness_of(page)(driver), "live search should not reload the page"
    match = css(driver, 'li.match[data-code="206-08"]', visible=True)
    assert match.find_element(By.CSS_SELECTOR, "a.nodename").text == "工伤医疗费用申报受理"
    wait_for(driver, lambda d: "q=" in d.execute_script("return location.search"))

    # The match is highlighted; its (non-matching) category is shown open but plain.
    def background(selector):
        row = driver.find_element(By.CSS_SELECTOR, selector)
        return row.value_of_css_property("background-color")

    assert background('li[data-code="206-08"] > .noderow') != background(
        'li[data-code="206"] > .noderow'
    )

    # The same search as an ordinary form submission (a full page from the server).
    driver.refresh()
    css(driver, 'li.match[data-code="206-08"]', visible=True)
    assert css(driver, "#tree-search").get_attribute("value") == "工伤医疗费用申报受理"

    link = css(driver, 'li.match[data-code="206-08"] a.nodename')
    click_to_new_page(driver, link)
    assert page_code(driver) == "206-08"
    trail = breadcrumbs(driver)
    assert "社会保险服务提供标准" in trail
    assert "工伤、失业保险" in trail


def test_office_adds_moves_and_deletes_a_node(driver, site):
    """Office staff add an aspect to 数据中心管理, move it to 其它综合管理, then delete it."""
    name = "机房巡检记录（浏览器测试）"
    login(driver, site, "office")

    open_node_by_code(driver, site, "303")
    run_action(driver, "action-add", reason="浏览器测试：新增", id_name=name)
    assert page_code(driver) == "303-06"
    assert name in css(driver, "h1").text
    assert "数据中心管理" in breadcrumbs(driver)
    node_url = driver.current_url

    # A move without a reason is refused on the form and changes nothing.
    click_to_new_page(driver, css(driver, "#action-move"))
    move_url = driver.current_url
    select_option_by_label(css(driver, "#id_target"), "304 其它综合管理")
    Select(css(driver, "#id_position")).select_by_value("last-child")
    click_to_new_page(driver, css(driver, "#action-submit"))
    assert driver.current_url == move_url
    css(driver, ".field.has-error #id_reason")
    assert css(driver, ".field.has-error .error").text.strip()
    driver.get(node_url)
    assert page_code(driver) == "303-06"
    assert "数据中心管理" in breadcrumbs(driver)

    # With a reason the move goes through and the node takes the next code under 304.
    click_to_new_page(driver, css(driver, "#action-move"))
    select_option_by_label(css(driver, "#id_target"), "304 其它综合管理")
    Select(css(driver, "#id_position")).select_by_value("last-child")
    css(driver, "#id_reason").send_keys("浏览器测试：移动")
    click_to_new_page(driver, css(driver, "#action-submit"))
    assert page_code(driver) == "304-10"
    trail = breadcrumbs(driver)
    assert "其它综合管理" in trail
    assert "数据中心管理" not in trail

    run_action(driver, "action-delete", reason="浏览器测试：删除")
    assert page_code(driver) == "304", "after deleting, the parent's page is shown"
    children = driver.find_elements(By.CSS_SELECTOR, "main table a")
    assert [a.text for a in children if a.text == name] == []

    driver.get(site + "/")
    css(driver, "#tree", visible=True)
    assert not driver.find_elements(By.CSS_SELECTOR, 'li[data-code="304-10"]')
    assert not driver.find_elements(By.CSS_SELECTOR, 'li[data-code="303-06"]')
    search = css(driver, "#tree-search")
    search.send_keys(name)
    search.send_keys(Keys.ENTER)
    css(driver, "#tree-result-count", visible=True)
    assert matching_codes(driver) == []


def test_viewer_sees_no_edit_controls_and_is_refused_the_add_page(driver, site):
    """A viewer reads a node page without edit buttons; typing the add URL gives 403."""
    login(driver, site, "viewer")
    driver.get(f"{site}/?q=303")
    node_pk = tree_item(driver, "303").get_attribute("data-node")
    open_node_by_code(driver, site, "303")
    for control in ("action-add", "action-edit", "action-move", "action-delete"):
        assert not driver.find_elements(By.ID, control), f"viewer sees #{control}"

    driver.get(f"{site}/nodes/{node_pk}/add/")
    heading = css(driver, "main h1", visible=True)
    assert heading.text == page_gettext(driver, "Permission denied")
    assert not driver.find_elements(By.ID, "action-submit")
    assert not driver.find_elements(By.ID, "id_name")


def test_deleting_a_node_that_holds_a_standard_is_refused_naming_it(driver, site):
    """Office staff try to delete 标准化导则, which holds GB/T 1.1—2020, and are told why."""
    login(driver, site, "office")
    open_node_by_code(driver, site, "101")
    assert "GB/T 1.1—2020" in css(driver, "main.content").text
    node_url = driver.current_url

    run_action(driver, "action-delete", reason="浏览器测试：删除")
    error = css(driver, "form .errors[role=alert]", visible=True)
    assert "GB/T 1.1—2020" in error.text
    assert "/delete/" in path_of(driver)

    driver.get(node_url)
    assert page_code(driver) == "101"
    assert "标准化导则" in css(driver, "h1").text
    assert "GB/T 1.1—2020" in css(driver, "main.content").text
