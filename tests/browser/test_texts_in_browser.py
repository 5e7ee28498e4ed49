"""A standard's text written in the registry, in a real browser (headless Chromium).

The office opens a project and imports its text from Word: DB 6523/T 370-2023 as published
(tests/texts/fixtures/), with two faults a draft often has — clause 2 lists GB/T 1.1—2009,
which GB/T 1.1—2020 has replaced (the catalog knows it), and clause 7 has a paragraph of
its own above its subclauses (a hanging paragraph, which cites that edition again). In the
editor the office edits two clauses and a term entry, inserts a cross-reference to 4.3 with
the "Insert a cross-reference" select, moves 4.3 up and sees the outline and the
reference's number follow, then fixes what the checks report: the entry of clause 2 names
GB/T 1.1—2020, and the hanging paragraph moves into a new subclause 7.4. The text then
downloads as Word and PDF through their job pages, and both files open.
"""

import base64
import io
from datetime import date, timedelta

import docx
import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from test_tree_in_browser import _replaced, click_to_new_page, css, login, path_of, wait_for

from tests.texts.conftest import fixture_lines
from texts.rules.docx_import import read_docx
from texts.rules.structure import outline

pytestmark = pytest.mark.browser

TITLE = "社会保险服务标准化工作指南"
# Clause 2 as a draft that still cites the replaced edition of GB/T 1.1.
PUBLISHED_ENTRY = "GB/T 1.1 标准化工作导则 第1部分:标准化文件的结构和起草规则"
REPLACED_ENTRY = "GB/T 1.1—2009 标准化工作导则　第1部分：标准的结构和编写"
CURRENT_ENTRY = "GB/T 1.1—2020 标准化工作导则　第1部分：标准化文件的结构和起草规则"
# Text directly under clause 7, above 7.1 to 7.3: a hanging paragraph.
HANGING = "标准的编写应符合 GB/T 1.1—2009 的规定。"
MOVED = "标准的编写应符合 GB/T 1.1—2020 的规定。"
SUBCLAUSE = "编写规则"
EDITS = {
    # clause → its new text
    "4.1": "立足社会保险服务工作实际,强化总体规划和顶层设计,开展社会保险服务工作相关要素分析"
           "和相关标准规划、建立与实施等一系列活动,实现预期目标。规划每三年修订一次。",
    "8.2": "应每年对标准的实施效果进行评价,坚持不断改进。",
}
# Term 3.4 as GB/T 13016—2018 defines it.
TERM = ("3.4", "一定范围内的标准按其内在联系形成的科学的有机整体。", "system of standards")


def draft_lines():
    """DB 6523/T 370-2023's paragraphs with the two faults put in."""
    lines = fixture_lines("db6523_t_370_2023.txt")
    lines[lines.index(PUBLISHED_ENTRY)] = REPLACED_ENTRY
    lines.insert(lines.index("7 标准编写") + 1, HANGING)
    return lines


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft_docx(tmp_path):
    word = docx.Document()
    for line in draft_lines():
        word.add_paragraph(line)
    path = tmp_path / "社会保险服务标准化工作指南（征求意见稿）.docx"
    word.save(path)
    return str(path)


@pytest.fixture
def replaced_edition(browser_seeded, browser_users):
    """GB/T 1.1—2009 in the catalog, replaced by the seed's GB/T 1.1—2020 (its foreword
    says so), entered as the office enters them."""
    from catalog.actions.standards import SaveStandard
    from catalog.models import Standard

    office = browser_users["office"]
    old = SaveStandard(office, Standard(number="GB/T 1.1-2009",
                                        title="标准化工作导则　第1部分：标准的结构和编写",
                                        implemented_on=date(2010, 1, 1))).execute()
    current = Standard.objects.get(number="GB/T 1.1—2020")
    SaveStandard(office, current, "补录代替关系", replaces=[old]).execute()
    return old


@pytest.fixture
def project(browser_seeded, browser_users):
    from django.utils import timezone

    from lifecycle.models import Department, Project
    from registry.models import Node

    department = Department.objects.create(name="社会保险经办科", lead=browser_users["lead"])
    today = timezone.localdate()
    return Project.objects.create(
        title=TITLE, level="local", node=Node.objects.get(code="101"),
        department=department, leader=browser_users["office"], planned_start=today,
        planned_end=today + timedelta(days=180), created_by=browser_users["office"])


# --- helpers ------------------------------------------------------------------------------

def finding_kinds(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#findings [data-kind]'),"
        " li => li.dataset.kind)")


def outline_entries(driver):
    """(number, label) of the editor's outline, read in one go."""
    return [tuple(row) for row in driver.execute_script(
        "return Array.from(document.querySelectorAll('#outline li[data-number]'),"
        " li => [li.dataset.number, li.innerText.trim()])")]


def open_clause(driver, number):
    """Select a clause in the editor's outline by its number."""
    click_to_new_page(driver, css(driver, f'#outline li[data-number="{number}"] a'))
    assert css(driver, "#pane-heading").text.startswith(number)


def element_reading(driver, text):
    """The editor's element whose text, as it reads, starts with ``text``."""
    return wait_for(driver, lambda d: next(
        (article for article in d.find_elements(By.CSS_SELECTOR, "#elements article.element")
         if article.find_element(By.CSS_SELECTOR, ".element-read").text.strip()
         .startswith(text)), None))


def save_element(driver, article):
    """Click the element's Save; htmx puts the saved element back in its place."""
    html_id = article.get_attribute("id")
    article.find_element(By.CSS_SELECTOR, "button[id^=save-]").click()
    wait_for(driver, _replaced(article))
    return css(driver, f"#{html_id} .saved[role=status]", visible=True).find_element(
        By.XPATH, "ancestor::article")


def replace_text(field, text):
    field.clear()
    field.send_keys(text)


def click_and_confirm(driver, button):
    """A button with data-confirm: accept the browser's question, wait for the new page."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    button.click()
    wait_for(driver, EC.alert_is_present()).accept()
    wait_for(driver, _replaced(old_page))
    css(driver, "main.content")


def download(driver, button_id):
    """Queue the file with its button, follow the job page to the file, and fetch it with
    the browser's session: (content type, bytes)."""
    click_to_new_page(driver, css(driver, f"#{button_id}", visible=True))
    assert path_of(driver).startswith("/export/")
    link = css(driver, "#export-download", visible=True)
    content_type, body = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: "same-origin"})
          .then(r => r.blob().then(blob => {
            const reader = new FileReader();
            reader.onload = () => done([r.headers.get("content-type"),
                                        reader.result.split(",")[1]]);
            reader.readAsDataURL(blob);
          }))
          .catch(error => done([String(error), ""]));
        """,
        link.get_attribute("href"))
    return content_type, base64.b64decode(body)


# --- the walk -----------------------------------------------------------------------------

def test_the_office_writes_a_standard_text_and_downloads_it(
        driver, site, project, replaced_edition, draft_docx, media_root):
    from texts.models import Text

    # --- the project page: import the draft from Word --------------------------------------
    login(driver, site, "office")
    driver.get(site + "/lifecycle/projects/")
    click_to_new_page(driver, css(driver, f'main a[href="{project.get_absolute_url()}"]',
                                  visible=True))
    css(driver, "#project-text #text-start", visible=True)
    click_to_new_page(driver, css(driver, "#project-text #text-import"))
    css(driver, "#id_file").send_keys(draft_docx)
    click_to_new_page(driver, css(driver, "#import-form button[type=submit]"))
    assert not driver.find_elements(By.ID, "import-report"), \
        css(driver, "#import-report").text
    text = Text.objects.get(project=project)
    assert path_of(driver) == f"/texts/{text.pk}/edit/"
    assert text.number == "DB6523/T 370—2023"

    # The checks find the two faults, each at its place.
    kinds = finding_kinds(driver)
    assert "reference_replaced" in kinds and "hanging_paragraph" in kinds, kinds
    replaced = css(driver, '#findings [data-kind="reference_replaced"]').text
    assert "GB/T 1.1—2009" in replaced and "GB/T 1.1—2020" in replaced
    assert css(driver, '#findings [data-kind="hanging_paragraph"] a').text == "7"
    numbers = [number for number, _label in outline_entries(driver)]
    assert numbers[:8] == ["1", "2", "3", "4", "4.1", "4.2", "4.3", "4.4"]

    # --- two clauses' text ---------------------------------------------------------------
    for number, new_text in EDITS.items():
        open_clause(driver, number)
        article = css(driver, "#elements article.kind-paragraph")
        replace_text(article.find_element(By.TAG_NAME, "textarea"), new_text)
        article = save_element(driver, article)
        assert article.find_element(By.CSS_SELECTOR, ".element-read").text == new_text

    # --- a term entry: its definition and English ------------------------------------------
    number, definition, english = TERM
    open_clause(driver, "3")
    article = element_reading(driver, number)
    replace_text(article.find_element(By.CSS_SELECTOR, "textarea[name$='-body']"), definition)
    replace_text(article.find_element(By.CSS_SELECTOR, "input[name$='-english']"), english)
    article = save_element(driver, article)
    shown = article.find_element(By.CSS_SELECTOR, ".element-read").text
    assert definition in shown and english in shown

    # --- a cross-reference to 4.3, inserted with the select --------------------------------
    open_clause(driver, "6.2.3")
    article = css(driver, "#elements article.kind-paragraph")
    field = article.find_element(By.TAG_NAME, "textarea")
    replace_text(field, "标准体系内的标准应相互协调,协调的要求见")
    select = Select(article.find_element(By.CSS_SELECTOR, "select[data-ref-insert]"))
    select.select_by_visible_text("4.3 整体协调")
    field.send_keys("。")
    assert field.get_attribute("value").startswith("标准体系内的标准应相互协调,协调的要求见⟦ref:")
    article = save_element(driver, article)
    assert article.find_element(By.CSS_SELECTOR, ".element-read .xref").text == "4.3"

    # --- 4.3 moves up: the outline and the reference follow --------------------------------
    open_clause(driver, "4.3")
    old_editor = css(driver, "#editor")
    css(driver, "#move-up").click()
    wait_for(driver, _replaced(old_editor))
    css(driver, "#editor")
    entries = dict(outline_entries(driver))
    assert (entries["4.2"], entries["4.3"]) == ("4.2 整体协调", "4.3 系统优化")
    assert css(driver, "#pane-heading").text == "4.2 整体协调"
    click_to_new_page(driver, css(driver, "#text-read"))
    xref = css(driver, "#standard-text .xref")
    assert xref.text == "4.2"
    target = xref.get_attribute("href").rpartition("#")[2]
    assert css(driver, f"#{target} h3").text == "4.2 整体协调"
    click_to_new_page(driver, css(driver, "#text-edit"))

    # --- the replaced reference: GB/T 1.1—2020 in clause 2 ---------------------------------
    open_clause(driver, "2")
    article = element_reading(driver, "GB/T 1.1—2009")
    replace_text(article.find_element(By.TAG_NAME, "textarea"), CURRENT_ENTRY)
    save_element(driver, article)

    # --- the hanging paragraph: into a subclause of its own, 7.4 ---------------------------
    open_clause(driver, "7")
    Select(css(driver, "#id_outline-kind")).select_by_value("subclause")
    css(driver, "#id_outline-title").send_keys(SUBCLAUSE)
    click_to_new_page(driver, css(driver, "#add-outline button[type=submit]"))
    assert css(driver, "#pane-heading").text == f"7.4 {SUBCLAUSE}"
    Select(css(driver, "#id_add-kind")).select_by_value("paragraph")
    click_to_new_page(driver, css(driver, "#add-element button[type=submit]"))
    article = css(driver, "#elements article.kind-paragraph")
    replace_text(article.find_element(By.TAG_NAME, "textarea"), MOVED)
    save_element(driver, article)
    open_clause(driver, "7")
    hanging = element_reading(driver, HANGING)
    click_and_confirm(driver, hanging.find_element(By.CSS_SELECTOR, "button.danger"))
    assert not [a for a in driver.find_elements(By.CSS_SELECTOR, "#elements article")
                if HANGING in a.text]

    # The checks no longer report either fault.
    driver.refresh()
    css(driver, "#text-checks")
    kinds = finding_kinds(driver)
    assert "reference_replaced" not in kinds and "hanging_paragraph" not in kinds, kinds

    # --- the text as it reads -------------------------------------------------------------
    click_to_new_page(driver, css(driver, "#text-read"))
    reading = css(driver, "#standard-text").text
    for new_text in EDITS.values():
        assert new_text in reading
    assert definition in reading and english in reading
    assert CURRENT_ENTRY in reading and "GB/T 1.1—2009" not in reading
    assert f"7.4 {SUBCLAUSE}" in reading and MOVED in reading
    assert css(driver, "#standard-text .xref").text == "4.2"
    cited = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "a.cited-standard")]
    assert "GB/T 1.1—2020" in cited
    kinds = finding_kinds(driver)
    assert "reference_replaced" not in kinds and "hanging_paragraph" not in kinds, kinds

    # --- Word and PDF, each through its job page -------------------------------------------
    content_type, content = download(driver, "export-docx")
    assert "wordprocessingml" in content_type
    docx.Document(io.BytesIO(content))  # opens
    document, report = read_docx(io.BytesIO(content))
    assert report == []
    rows = outline(document)
    assert ("4.2", "整体协调") in rows and ("4.3", "系统优化") in rows
    assert ("7.4", SUBCLAUSE) in rows
    assert document.clauses[6].elements == []  # no hanging paragraph

    driver.get(site + f"/texts/{text.pk}/")
    content_type, content = download(driver, "export-pdf")
    assert content_type == "application/pdf"
    pdf = PdfReader(io.BytesIO(content))
    assert len(pdf.pages) >= 3
    words = "".join(page.extract_text() for page in pdf.pages)
    assert TITLE in words.replace(" ", "")
