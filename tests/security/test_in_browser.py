"""In headless Chromium: every page keeps to the Content-Security-Policy (no violation
reported), and an administrator enrols an authenticator app and signs in with it."""

import pytest
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.test_tree_in_browser import (
    _replaced,
    click_to_new_page,
    css,
    login,
    path_of,
    wait_for,
)
from tests.security.conftest import make_records
from tests.security.helpers import key_from_base32, next_code, totp_code
from tests.security.test_garbage import candidates, fill, patterns

pytestmark = pytest.mark.browser

# Recorded by the page itself from its very start (before any of its own scripts run).
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber}`);
});
"""
# Let events of the last moment of loading arrive, then hand them over.
READ_VIOLATIONS = """
const done = arguments[arguments.length - 1];
setTimeout(() => done(window.__cspViolations || ["the collector did not run"]), 150);
"""
SKIPPED = {"accounts/logout/"}


def html_pages(user):
    """Every page the user can open: each URL pattern with the first ids that answer 200 with
    HTML (downloads, PDFs and POST-only views aside)."""
    client = Client()
    client.force_login(user)
    pages = []
    for route in patterns():
        if route in SKIPPED:
            continue
        options = candidates(route)
        for index in range(3):
            url = fill(route, {name: choices[min(index, len(choices) - 1)]
                               for name, choices in options.items()})
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                assert "'unsafe-inline'" not in response["Content-Security-Policy"]
                assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
                assert "form-action 'self'" in response["Content-Security-Policy"]
                pages.append(url)
                break
            if not options:
                break
    return pages


@pytest.mark.parametrize("role", ["office", "admin"])
def test_no_page_violates_the_content_security_policy(role, site, driver, browser_users):
    make_records(browser_users)
    pages = html_pages(browser_users[role])
    assert len(pages) > (60 if role == "admin" else 40), pages
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                           {"source": COLLECT_VIOLATIONS})
    login(driver, site, role)
    # The collector works: an inline script added by hand is refused and reported.
    driver.execute_script("const s = document.createElement('script');"
                          "s.textContent = 'window.ranInline = true'; document.body.append(s);")
    assert driver.execute_async_script(READ_VIOLATIONS)
    assert not driver.execute_script("return window.ranInline === true")
    violations = {}
    for url in pages:
        driver.get(site + url)
        css(driver, "body")
        found = driver.execute_async_script(READ_VIOLATIONS)
        if found:
            violations[url] = found
    assert not violations, "\n".join(f"{url}: {found}" for url, found in violations.items())


def test_an_administrator_enrols_an_authenticator_app_and_signs_in_with_it(
        site, driver, browser_users, browser_seeded, settings):
    settings.REGISTRY_2FA_REQUIRED_FOR_ADMINS = True
    login(driver, site, "admin")
    assert path_of(driver) == "/accounts/two-factor/setup/"
    # The QR code is an SVG from this server, drawn in the page.
    assert driver.execute_script(
        "const img = document.querySelector('img.qrcode');"
        "return img.complete && img.naturalWidth > 0")
    key = key_from_base32(css(driver, "#totp-secret").text)
    css(driver, "#id_token").send_keys(totp_code(key))
    click_to_new_page(driver, driver.find_element(By.ID, "two-factor-confirm"))
    codes = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#recovery-codes li")]
    assert len(codes) == 10
    click_to_new_page(driver, driver.find_element(By.ID, "codes-done"))
    assert path_of(driver) == "/"
    css(driver, "#tree")

    click_to_new_page(driver, driver.find_element(By.ID, "logout"))
    login(driver, site, "admin")
    assert path_of(driver) == "/accounts/two-factor/verify/"
    css(driver, "#id_token").send_keys(next_code(browser_users["admin"]))
    click_to_new_page(driver, driver.find_element(By.ID, "two-factor-submit"))
    assert path_of(driver) == "/"
    css(driver, "#tree")


def test_the_language_menu_still_switches_without_an_inline_handler(site, driver):
    login(driver, site, "office")
    assert driver.execute_script("return document.documentElement.lang") == "zh-hans"
    old_page = driver.find_element(By.TAG_NAME, "html")
    Select(css(driver, "#language-select")).select_by_value("en")
    wait_for(driver, _replaced(old_page))
    css(driver, "main.content")
    assert driver.execute_script("return document.documentElement.lang") == "en"
