"""Fixtures for the browser tests: a live server, the seeded system and headless Chromium.

The live server runs in another thread, so the data must be committed: every fixture here
asks for ``transactional_db`` first (the project-wide ``seeded``/``users`` fixtures use
``db``, whose transaction the server thread would never see).
"""

import os
import shutil
import tempfile

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROLES = ("admin", "office", "lead", "expert", "viewer")


def _require_browser():
    """Fail loudly, never skip: CI installs Chromium through `make test`."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        pytest.fail(
            "Browser tests need Debian's Chromium and ChromeDriver, missing: "
            + ", ".join(missing)
            + ". Install them with `sudo apt-get install -y chromium chromium-driver` "
            "(or run `make test`, which does it).",
            pytrace=False,
        )


@pytest.fixture
def browser_seeded(transactional_db, seed_snapshot):
    """The Appendix A system and the seed catalog, committed so the live server sees it."""
    from registry.models import Node

    seed_snapshot.restore()
    return Node.objects.get_root_nodes().get()


@pytest.fixture
def browser_users(transactional_db):
    """One user per role, named after the role, password "pw"."""
    from tests.factories import UserFactory

    return {role: UserFactory(username=role, role=role) for role in ROLES}


@pytest.fixture
def driver():
    """A fresh headless Chromium with its own profile, asking for Chinese pages."""
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="registry-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
        "--lang=zh-CN",
    ):
        options.add_argument(argument)
    # The bureau's staff browse in Chinese; LocaleMiddleware follows Accept-Language.
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    try:
        browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    except Exception as exc:  # any start-up failure becomes one clear message
        shutil.rmtree(profile, ignore_errors=True)
        pytest.fail(f"Could not start headless Chromium via {CHROMEDRIVER}: {exc}",
                    pytrace=False)
    browser.implicitly_wait(0)  # explicit waits only
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def site(live_server, browser_seeded, browser_users):
    """The live server's base URL, with the seeded system and the role users in place."""
    return live_server.url
