"""Screenshots of a running registry for the user guide (a docs tool, not a test).

Start the demo server first (`make run`, serving http://127.0.0.1:8000 with the seed
system and the demo users), then:

    .venv/bin/python docs/tools/screenshots.py [--base-url URL] [--out DIR]

It logs in as the demo office user and saves full-page PNGs, 1400 px wide, of the tree,
the tree searched for 工伤, the node page of 303, the catalog, one standard and the terms,
then of the history pages: the audit log, the history of node 303 and the system as of
today (Asia/Shanghai), then the dashboard, corrective actions, information library, people
and yearly plans. It starts no server and changes no data (acting in an organization is the
session's choice, not data).

With ``--organizations`` it shoots the pages of clause 6.2.4 instead, on a server whose
database ``docs/tools/demo_counties.py`` prepared: the organizations, the templates and the
comparison as the prefecture's demo lead, and 昌吉市's tailoring report as its office.

With ``--texts`` it writes, as the demo office user and through the pages, what the pages of
a standard's text need, then shoots them: it imports DB 6523/T 370-2023 (its paragraphs as
published, tests/texts/fixtures/db6523_t_370_2023.txt, made into a Word file) as the text of
that catalog standard, opens a project revising it, starts the project's text from that copy,
and shoots the project page's text section, the editor with 7.3.2 selected and the draft's
reading page. Run it once, on a scratch database seeded as `make run` seeds one.
"""

import argparse
import shutil
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.error import URLError
from urllib.parse import quote
from urllib.request import urlopen
from zoneinfo import ZoneInfo

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH = 1400
MAX_HEIGHT = 8000
USERNAME, PASSWORD = "office", "office-demo-2026"
OUT = Path(__file__).resolve().parents[1] / "screenshots"
# DB 6523/T 370-2023 as published, one paragraph a line (the tests read it too).
DB6523_LINES = (Path(__file__).resolve().parents[2] / "tests" / "texts" / "fixtures"
                / "db6523_t_370_2023.txt")
DB6523 = "DB6523/T 370—2023"


def check_server(base):
    try:
        urlopen(base + "/accounts/login/", timeout=10).close()
    except (URLError, OSError) as exc:
        sys.exit(f"No registry answers at {base} ({exc}). Start it first: `make run`.")


def start_browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run",
        f"--window-size={WIDTH},1000", "--force-device-scale-factor=1",
        f"--user-data-dir={profile}", "--lang=zh-CN", "--hide-scrollbars",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def wait_css(driver, selector):
    return WebDriverWait(driver, 15).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, selector))
    )


def log_in(driver, base, username=USERNAME, password=PASSWORD):
    driver.get(base + "/accounts/login/")
    wait_css(driver, "#id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    WebDriverWait(driver, 15).until(
        lambda d: d.find_elements(By.ID, "logout") or d.find_elements(By.CSS_SELECTOR, ".errors")
    )
    if not driver.find_elements(By.ID, "logout"):
        sys.exit(f"Could not log in as {username}: did the server run `create_demo_users`?")


def shoot(driver, name, out):
    """Save the whole page, 1400 px wide, however long it is (up to MAX_HEIGHT).

    A window cannot grow beyond the virtual screen, so the viewport is emulated instead.
    """
    height = driver.execute_script(
        "return Math.ceil(document.body.getBoundingClientRect().height)"
    )
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": min(max(height, 600), MAX_HEIGHT),
        "deviceScaleFactor": 1, "mobile": False,
    })
    path = out / f"{name}.png"
    try:
        driver.save_screenshot(str(path))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    print(f"saved {path}")


def shoot_at(driver, name, out, selector, height=1000):
    """Save ``height`` pixels of the page from a little above ``selector``."""
    driver.execute_script(
        "window.scrollTo(0, arguments[0].getBoundingClientRect().top + scrollY - 80)",
        wait_css(driver, selector))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False,
    })
    path = out / f"{name}.png"
    try:
        driver.save_screenshot(str(path))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    print(f"saved {path}")


def click_to_page(driver, element):
    """Click what loads a new page and wait until it has."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(EC.staleness_of(old))
    wait_css(driver, "main h1")


def db6523_docx(folder):
    """DB 6523/T 370-2023's paragraphs as a Word file, as a user would upload it."""
    import docx

    word = docx.Document()
    for line in DB6523_LINES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word.add_paragraph(line)
    path = Path(folder) / "DB6523-T370-2023.docx"
    word.save(path)
    return str(path)


def shoot_texts(driver, base, out, folder):
    """A standard's text: DB 6523/T 370-2023's imported on its catalog page, a project
    revising it, the project's text started from that copy, the editor and the reading
    page."""
    driver.get(base + "/standards/?q=" + quote("DB6523"))
    link = wait_css(driver, "main table a[href^='/standards/']")
    driver.get(link.get_attribute("href"))
    click_to_page(driver, wait_css(driver, "#standard-text"))
    if driver.find_elements(By.ID, "import-form"):
        wait_css(driver, "#id_file").send_keys(db6523_docx(folder))
        click_to_page(driver, driver.find_element(By.CSS_SELECTOR,
                                                  "#import-form button[type=submit]"))
    wait_css(driver, "#standard-text")

    driver.get(base + "/lifecycle/projects/add/")
    wait_css(driver, "#id_title").send_keys("社会保险服务标准化工作指南")
    Select(driver.find_element(By.ID, "id_kind")).select_by_value("revision")
    Select(driver.find_element(By.ID, "id_level")).select_by_value("local")
    for select_id, starts in (("id_revises", DB6523), ("id_node", "101 ")):
        select = Select(driver.find_element(By.ID, select_id))
        select.select_by_visible_text(next(o.text for o in select.options
                                           if o.text.strip().startswith(starts)))
    for select_id in ("id_department", "id_leader"):
        Select(driver.find_element(By.ID, select_id)).select_by_index(1)
    for field, day in (("id_planned_start", date.today()),
                       ("id_planned_end", date.today() + timedelta(days=270))):
        driver.execute_script("arguments[0].value = arguments[1]",
                              driver.find_element(By.ID, field), day.isoformat())
    click_to_page(driver, driver.find_element(By.ID, "project-submit"))
    if not driver.find_elements(By.ID, "project-text"):
        sys.exit("The project form was refused: "
                 + driver.find_element(By.CSS_SELECTOR, "main").text[:500])
    shoot_at(driver, "text-project", out, "#project-text", height=700)

    click_to_page(driver, wait_css(driver, "#text-start"))
    click_to_page(driver, wait_css(driver, '#outline li[data-number="7.3.2"] a'))
    wait_css(driver, "#findings")
    shoot_at(driver, "text-editor", out, "body", height=1800)

    click_to_page(driver, wait_css(driver, "#text-read"))
    shoot_at(driver, "text-reading", out, "body", height=1400)


def shoot_history(driver, base, out, node_pk):
    """The audit log, one node's history and the system as of today."""
    driver.get(base + "/audit/")
    wait_css(driver, "#audit-table")
    shoot(driver, "audit-log", out)

    driver.get(f"{base}/history/registry.node/{node_pk}/")
    wait_css(driver, "ol.timeline")
    shoot(driver, "node-history", out)

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    driver.get(f"{base}/as-of/?at={today}")
    wait_css(driver, "#as-of-banner")
    shoot(driver, "as-of", out)


def shoot_clause_5_and_8(driver, base, out):
    """The leaders' dashboard, the corrective actions, the information library, people."""
    for name, path in [("dashboard", "/lifecycle/dashboard/"),
                       ("corrective-actions", "/lifecycle/nonconformities/?status=open"),
                       ("information", "/lifecycle/information/"),
                       ("people", "/lifecycle/people/"),
                       ("plans", "/lifecycle/plans/")]:
        driver.get(base + path)
        wait_css(driver, "main h1")
        shoot(driver, name, out)


def shoot_organizations(driver, base, out):
    """Clause 6.2.4: the organizations, the templates and the comparison as the prefecture's
    lead, then 昌吉市's tailoring report as its office (cjoffice)."""
    log_in(driver, base, "lead", "lead-demo-2026")
    for name, path, table in (("organizations", "/organizations/", "#organization-table"),
                              ("templates", "/templates/", "#template-table"),
                              ("comparison", "/comparison/", "#comparison-table")):
        driver.get(base + path)
        wait_css(driver, table)
        shoot(driver, name, out)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, "logout").click()
    WebDriverWait(driver, 15).until(EC.staleness_of(old))
    log_in(driver, base, "cjoffice", "cjoffice-demo-2026")
    driver.get(base + "/tailoring/")
    wait_css(driver, "#tailoring-table")
    shoot(driver, "tailoring", out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--organizations", action="store_true",
                        help="the pages of clause 6.2.4 (docs/tools/demo_counties.py first)")
    parser.add_argument("--texts", action="store_true",
                        help="the pages of a standard's text (writes a text and a project: "
                             "a scratch database)")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    check_server(base)
    args.out.mkdir(parents=True, exist_ok=True)

    profile = tempfile.mkdtemp(prefix="registry-screenshots-")
    driver = start_browser(profile)
    try:
        if args.organizations:
            shoot_organizations(driver, base, args.out)
            return
        log_in(driver, base)
        if args.texts:
            shoot_texts(driver, base, args.out, profile)
            return

        driver.get(base + "/")
        wait_css(driver, "#tree")
        node_303 = driver.find_element(By.CSS_SELECTOR, 'li[data-code="303"]')
        node_303_pk = node_303.get_attribute("data-node")
        shoot(driver, "tree", args.out)

        driver.get(base + "/?q=" + quote("工伤"))
        wait_css(driver, "#tree li.match")
        shoot(driver, "tree-search", args.out)

        driver.get(f"{base}/nodes/{node_303_pk}/")
        wait_css(driver, "h1 .code")
        shoot(driver, "node-303", args.out)

        driver.get(base + "/standards/")
        wait_css(driver, "main table")
        shoot(driver, "standard-list", args.out)

        link = driver.find_element(By.CSS_SELECTOR, 'main table a[href^="/standards/"]')
        driver.get(link.get_attribute("href"))
        wait_css(driver, "main h1")
        shoot(driver, "standard", args.out)

        driver.get(base + "/terms/")
        wait_css(driver, "main h1")
        shoot(driver, "terms", args.out)

        shoot_history(driver, base, args.out, node_303_pk)
        shoot_clause_5_and_8(driver, base, args.out)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
