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

With ``--drafts`` it walks the drafts of clause 7.3.2 through the pages, then shoots them:
the office opens an organization standard's project (on 304-09), imports DB 6523/T
370-2023 as its text, takes the proposal steps (the lead approves) and opens a one-day
comment period (the 征求意见稿 is frozen); the expert comments on 4.2 beside it, the office
records a unit's comment on 8.3, disposes of both, changes 4.2 and 8.2, moves 4.4 up to 4.2
and deletes 8.3, then closes the period (the 送审稿 is frozen). It shoots the project's
drafts with the 意见汇总处理表, the 征求意见稿 with its comments and the differences. It
needs no worker (no file is downloaded). Run it once, on a scratch database as for
``--texts``.
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
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH = 1400
MAX_HEIGHT = 8000
USERNAME, PASSWORD = "office", "office-demo-2026"
DEMO_PASSWORDS = {"office": PASSWORD, "lead": "lead-demo-2026", "expert": "expert-demo-2026"}
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


# --- the drafts of clause 7.3.2 (--drafts) ---------------------------------------------------

DRAFTS_TITLE = "社会保险服务标准化工作指南"
# (first words of the paragraph commented on, comment, proposed change), as in the
# 征求意见稿: 4.2 系统优化 and 8.3.
EXPERT_COMMENT = ("运用系统理论和方法", "“系统优化”未写明由谁评估。",
                  "增加“由标准化工作机构每年评估一次”。")
UNIT_COMMENT = ("标准的实施、监督、评价和改进应符合", "8.3 与 8.1 重复，建议删除。", "删除 8.3。")
COMMENTING_UNIT = "呼图壁县社保中心"
DISPOSITION_REASONS = {EXPERT_COMMENT[1]: "已在该条补充评估要求。",
                       UNIT_COMMENT[1]: "已删除该条。"}
# The 送审稿's new words for 4.2 and 8.2.
EDITS = {
    "4.2": "运用系统理论和方法,综合考虑和系统分析社会保险服务的要素,优化调整相关要素和具体"
           "指标参数,由标准化工作机构每年评估一次,以系统整体效益最佳为目标寻求最佳方案。",
    "8.2": "应每年对标准的实施效果进行评价,坚持不断改进。",
}


def replaced(old):
    """True once ``old`` has left the page (Chromium sometimes says "does not belong to the
    document" rather than "stale")."""
    def check(_driver):
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False
    return check


def switch_user(driver, base, username):
    if driver.find_elements(By.ID, "logout"):
        click_to_page_any(driver, driver.find_element(By.ID, "logout"))
    log_in(driver, base, username, DEMO_PASSWORDS[username])


def click_to_page_any(driver, element):
    """Click what loads a new page (with or without a heading) and wait until it has."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(replaced(old))
    wait_css(driver, "body")


def word_file(folder, name, lines):
    """A Word file of ``lines``, as a user would upload it."""
    import docx

    word = docx.Document()
    for line in lines:
        word.add_paragraph(line)
    path = Path(folder) / name
    word.save(path)
    return str(path)


def take_step(driver, name, reason, **fields):
    """On the project page: the transition ``name`` with its reason (and ``fields``)."""
    form = wait_css(driver, f"#transition-{name}")
    for field, value in fields.items():
        box = form.find_element(By.NAME, f"{name}-{field}")
        box.clear()
        box.send_keys(value)
    form.find_element(By.NAME, f"{name}-reason").send_keys(reason)
    click_to_page(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    if driver.find_elements(By.ID, f"transition-{name}"):
        sys.exit(f"{name} was refused: "
                 + driver.find_element(By.CSS_SELECTOR, "main").text[:800])


def upload_document(driver, kind, path):
    click_to_page(driver, wait_css(driver, "#document-add"))
    Select(driver.find_element(By.ID, "id_kind")).select_by_value(kind)
    driver.find_element(By.ID, "id_file").send_keys(path)
    click_to_page(driver, driver.find_element(By.ID, "record-submit"))
    if not driver.find_elements(By.ID, "documents"):
        sys.exit(f"The upload of {kind} was refused: "
                 + driver.find_element(By.CSS_SELECTOR, "main").text[:500])


def comment_on_draft(driver, excerpt, content, suggestion, unit=""):
    """On the draft's page: "Comment on this" under the paragraph starting with ``excerpt``,
    the form htmx puts in its place, saved."""
    article = WebDriverWait(driver, 15).until(lambda d: next(
        (a for a in d.find_elements(By.CSS_SELECTOR, "article.draft-element")
         if a.find_element(By.CSS_SELECTOR, ".draft-text").text.strip().startswith(excerpt)),
        None))
    where = f'[id="{article.get_attribute("id")}"]'
    article.find_element(By.CSS_SELECTOR, "a[id^=comment-on-]").click()
    WebDriverWait(driver, 15).until(replaced(article))
    if unit:
        box = wait_css(driver, f"{where} #id_comment-unit")
        box.clear()
        box.send_keys(unit)
    wait_css(driver, f"{where} #id_comment-content").send_keys(content)
    driver.find_element(By.CSS_SELECTOR, f"{where} #id_comment-suggestion").send_keys(suggestion)
    article = driver.find_element(By.CSS_SELECTOR, where)
    driver.find_element(By.CSS_SELECTOR, f"{where} #comment-save").click()
    WebDriverWait(driver, 15).until(replaced(article))
    wait_css(driver, f"{where} .saved")


def dispose(driver, content, reason):
    """Accept the comment ``content`` through its link in the comment table."""
    row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "#comment-table tbody tr")
               if content in r.text)
    click_to_page(driver, row.find_element(By.CSS_SELECTOR, "a[href*='/comments/']"))
    Select(driver.find_element(By.ID, "id_disposition")).select_by_value("accepted")
    driver.find_element(By.ID, "id_disposition_reason").send_keys(reason)
    click_to_page(driver, driver.find_element(By.ID, "record-submit"))


def open_clause(driver, number):
    click_to_page_any(driver, wait_css(driver, f'#outline li[data-number="{number}"] a'))
    wait_css(driver, "#pane-heading")


def redraw(driver, selector, button):
    """Click ``button``, which has htmx redraw ``selector``, and wait for the new one."""
    old = driver.find_element(By.CSS_SELECTOR, selector)
    button.click()
    WebDriverWait(driver, 15).until(replaced(old))
    return wait_css(driver, selector)


def edit_text_as_disposed(driver):
    """In the editor: 4.2 and 8.2 reworded, 4.4 moved up to 4.2, 8.3 deleted."""
    for number, words in EDITS.items():
        open_clause(driver, number)
        article = wait_css(driver, "#elements article.kind-paragraph")
        box = article.find_element(By.TAG_NAME, "textarea")
        box.clear()
        box.send_keys(words)
        where = f'[id="{article.get_attribute("id")}"]'
        redraw(driver, where, article.find_element(By.CSS_SELECTOR, "button[id^=save-]"))
        wait_css(driver, f"{where} .saved")
    open_clause(driver, "4.4")
    for _ in range(2):
        redraw(driver, "#editor", wait_css(driver, "#move-up"))
    open_clause(driver, "8.3")
    old = driver.find_element(By.TAG_NAME, "html")
    wait_css(driver, "#delete-clause").click()
    WebDriverWait(driver, 15).until(EC.alert_is_present()).accept()
    WebDriverWait(driver, 30).until(replaced(old))
    wait_css(driver, "#outline")


def shoot_drafts(driver, base, out, folder):
    """Clause 7.3.2's drafts: a project's text frozen as the 征求意见稿, commented on beside
    its clauses, edited, frozen as the 送审稿, and the two compared."""
    draft_file = db6523_docx(folder)
    proposal = word_file(folder, "项目建议书.docx", ["项目建议书", DRAFTS_TITLE])
    notes = word_file(folder, "编制说明.docx", ["编制说明", DRAFTS_TITLE])

    # The office: the project, its text from Word, the proposal submitted and reviewed.
    driver.get(base + "/lifecycle/projects/add/")
    wait_css(driver, "#id_title").send_keys(DRAFTS_TITLE)
    Select(driver.find_element(By.ID, "id_kind")).select_by_value("new")
    Select(driver.find_element(By.ID, "id_level")).select_by_value("organization")
    node = Select(driver.find_element(By.ID, "id_node"))
    node.select_by_visible_text(next(o.text for o in node.options
                                     if o.text.strip().startswith("304-09 ")))
    Select(driver.find_element(By.ID, "id_department")).select_by_visible_text("社会保险经办科")
    Select(driver.find_element(By.ID, "id_leader")).select_by_index(1)
    for field, day in (("id_planned_start", date.today()),
                       ("id_planned_end", date.today() + timedelta(days=180))):
        driver.execute_script("arguments[0].value = arguments[1]",
                              driver.find_element(By.ID, field), day.isoformat())
    click_to_page(driver, driver.find_element(By.ID, "project-submit"))
    if not driver.find_elements(By.ID, "project-text"):
        sys.exit("The project form was refused: "
                 + driver.find_element(By.CSS_SELECTOR, "main").text[:500])
    project_url = driver.current_url.split("#")[0]
    click_to_page(driver, wait_css(driver, "#project-text #text-import"))
    wait_css(driver, "#id_file").send_keys(draft_file)
    click_to_page_any(driver, driver.find_element(By.CSS_SELECTOR,
                                                  "#import-form button[type=submit]"))
    driver.get(project_url)
    upload_document(driver, "proposal", proposal)
    take_step(driver, "submit_proposal", "提交立项申请")
    take_step(driver, "pass_office_review", "标准化机构审核通过")
    switch_user(driver, base, "lead")
    driver.get(project_url)
    take_step(driver, "approve_proposal", "同意立项")

    # The office: the explanatory notes, the comment period opened (征求意见稿 frozen). One
    # day, so that it can be closed today: a period may not start before drafting did.
    switch_user(driver, base, "office")
    driver.get(project_url)
    upload_document(driver, "explanatory_notes", notes)
    take_step(driver, "open_comment_period", "征求意见稿公开征求意见", days="1")

    # The expert comments on 4.2 beside it; the office records a unit's comment on 8.3.
    switch_user(driver, base, "expert")
    driver.get(project_url)
    click_to_page(driver, wait_css(driver, "#comment-draft"))
    draft_url = driver.current_url.split("#")[0]
    comment_on_draft(driver, *EXPERT_COMMENT)
    switch_user(driver, base, "office")
    driver.get(draft_url)
    comment_on_draft(driver, *UNIT_COMMENT, unit=COMMENTING_UNIT)

    # The office disposes of both, edits the text so, and closes the period (送审稿 frozen).
    driver.get(project_url)
    for content, reason in DISPOSITION_REASONS.items():
        dispose(driver, content, reason)
    click_to_page_any(driver, wait_css(driver, "#text-edit"))
    edit_text_as_disposed(driver)
    driver.get(project_url)
    take_step(driver, "close_comment_period", "意见已处理，形成送审稿")

    shoot_at(driver, "drafts-project", out, "#project-text", height=1000)
    driver.get(draft_url)
    shoot_at(driver, "drafts-comments", out, "#part-" + WebDriverWait(driver, 15).until(
        lambda d: next((a.get_attribute("id")[len("part-"):]
                        for a in d.find_elements(By.CSS_SELECTOR, "article.draft-element")
                        if EXPERT_COMMENT[1] in a.text), None)), height=900)
    driver.get(project_url)
    click_to_page(driver, wait_css(driver, "#drafts a[id$=-changes]"))
    wait_css(driver, "#compare-summary")
    shoot(driver, "drafts-differences", out)


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
    parser.add_argument("--drafts", action="store_true",
                        help="the drafts of clause 7.3.2 (writes a project, its text, "
                             "comments and two frozen drafts: a scratch database)")
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
        if args.drafts:
            shoot_drafts(driver, base, args.out, profile)
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
