"""Clause 6.2.4 in a real browser, by the people who really act: the prefecture's
administrator creates 昌吉市 beneath the prefecture, publishes the prefecture's system as a
template, derives the county's system from it and gives the county's people their roles;
the county's administrator sets up its drafting department; the county's office removes one
aspect with a reason, adds one extension, places a standard and opens a project; the
tailoring report shows exactly those deviations; the prefecture's lead sees the county's
coverage in the comparison; the county's PDF has the county's cover and 编制说明.

Every account is an ordinary member with a role (no superuser): what each may do is what
its role in its organization allows.
"""

import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_lifecycle_in_browser import error_messages, logout, set_date
from test_tree_in_browser import (
    click_to_new_page,
    css,
    login,
    open_node_by_code,
    page_code,
    path_of,
    run_action,
)

from organizations.models import Organization
from registry.models import ExportJob, Node, Placement, Tailoring

pytestmark = pytest.mark.browser

COUNTY = ("昌吉市社会保险中心", "Changji City Social Insurance Center", "652301")
EDITION = "昌吉州社会保险标准体系 2026版"
REMOVED = ("202", "机关事业单位社会保险")   # not applicable: the county has no such office
EXTENSION = "被征地农民社会保险"              # beneath 社会保险服务提供标准 (200)
STANDARD = "GB/T 32621"      # 社会保险业务经办业务流程 总则, on 208-01 缴费人员增减申报办理
DEPARTMENT = "昌吉市社保中心经办科"


@pytest.fixture
def people(browser_seeded, browser_users):
    """The prefecture's administrator and lead, and two county staff without a role yet."""
    from tests.factories import UserFactory, default_organization, give_role

    prefecture = default_organization()
    made = {
        "zhouadmin": give_role(UserFactory(username="zhouadmin", first_name="周管理"),
                               "admin", prefecture).user,
        "zhoulead": give_role(UserFactory(username="zhoulead", first_name="周科长"),
                              "lead", prefecture).user,
        "cjadmin": UserFactory(username="cjadmin", first_name="陈管理"),
        "cjoffice": UserFactory(username="cjoffice", first_name="陈办公"),
    }
    assert not any(user.is_superuser for user in made.values())
    return made


def as_user(driver, site, username):
    logout(driver)
    login(driver, site, username)


def give_role(driver, site, organization, user, role):
    driver.get(f"{site}/organizations/{organization.pk}/members/")
    Select(css(driver, "#id_user", visible=True)).select_by_value(str(user.pk))
    Select(css(driver, "#id_role")).select_by_value(role)
    click_to_new_page(driver, css(driver, "#membership-submit"))
    assert not error_messages(driver), error_messages(driver)


def table_rows(driver, table_id):
    """Each row of a table as its cells' texts (read in one go, never stale)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr'),"
        " tr => ({data: Object.assign({}, tr.dataset),"
        "         cells: Array.from(tr.cells, td => td.innerText.trim())}))",
        f"#{table_id}")


def test_a_prefecture_rolls_its_template_out_to_a_county(driver, site, people, settings,
                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()

    # --- the prefecture's administrator: the county, the template, the system, the roles --
    login(driver, site, "zhouadmin")
    driver.get(site + "/organizations/add/")
    css(driver, "#id_name", visible=True).send_keys(COUNTY[0])
    css(driver, "#id_name_en").send_keys(COUNTY[1])
    css(driver, "#id_code").send_keys(COUNTY[2])
    Select(css(driver, "#id_parent")).select_by_visible_text(
        next(o.text for o in Select(css(driver, "#id_parent")).options if "652300" in o.text))
    click_to_new_page(driver, css(driver, "#organization-submit"))
    assert not error_messages(driver), error_messages(driver)
    county = Organization.objects.get(code=COUNTY[2])
    assert county.parent.code == "652300"

    driver.get(site + "/templates/")
    css(driver, "#id_edition", visible=True).send_keys(EDITION)
    css(driver, "#id_reason").send_keys("供各县市派生本单位体系")
    click_to_new_page(driver, css(driver, "#publish-submit"))
    assert EDITION in css(driver, "#template-table").text

    click_to_new_page(driver, css(driver, f"#derive-{COUNTY[2]}", visible=True))
    assert Select(css(driver, "#id_organization")).first_selected_option.get_attribute(
        "value") == str(county.pk)
    select = Select(css(driver, "#id_template"))
    select.select_by_visible_text(next(o.text for o in select.options if EDITION in o.text))
    click_to_new_page(driver, css(driver, "#derive-submit"))
    assert not error_messages(driver), error_messages(driver)
    assert Node.objects.filter(owner=county).count() == Node.objects.filter(
        owner=county.parent).count()

    give_role(driver, site, county, people["cjadmin"], "admin")
    give_role(driver, site, county, people["cjoffice"], "office")

    # --- the county's administrator: its drafting department -------------------------------
    as_user(driver, site, "cjadmin")
    driver.get(site + "/lifecycle/organization/add/")
    css(driver, "#id_name", visible=True).send_keys(DEPARTMENT)
    Select(css(driver, "#id_lead")).select_by_value(str(people["cjadmin"].pk))
    click_to_new_page(driver, css(driver, "#department-submit"))
    assert DEPARTMENT in css(driver, "main.content").text

    # --- the county's office: 删减, 扩充, a standard placed, a project opened -------------
    as_user(driver, site, "cjoffice")
    open_node_by_code(driver, site, REMOVED[0])
    click_to_new_page(driver, css(driver, "#action-delete", visible=True))
    Select(css(driver, "#id_why")).select_by_value("not_applicable")
    css(driver, "#id_reason").send_keys("本中心不经办机关事业单位社会保险")
    click_to_new_page(driver, css(driver, "#action-submit"))
    assert page_code(driver) == "200"

    run_action(driver, "action-add", reason="本市被征地农民参保工作需要",
               id_name=EXTENSION)
    extension_code = page_code(driver)
    assert extension_code.startswith("2") and extension_code != "200"

    open_node_by_code(driver, site, "208-01")
    click_to_new_page(driver, css(driver, "#action-place", visible=True))
    select = Select(css(driver, "#id_standard"))
    select.select_by_visible_text(next(o.text for o in select.options
                                       if o.text.startswith(STANDARD + " ")))
    css(driver, "#id_reason").send_keys("缴费人员增减申报按经办业务流程总则办理")
    click_to_new_page(driver, css(driver, "#action-submit"))
    assert STANDARD in css(driver, "main.content").text
    assert Placement.objects.filter(node__owner=county,
                                    standard__number__startswith=STANDARD).exists()

    driver.get(site + "/lifecycle/projects/add/")
    css(driver, "#id_title", visible=True).send_keys("被征地农民社会保险经办规范")
    Select(css(driver, "#id_kind")).select_by_value("new")
    Select(css(driver, "#id_level")).select_by_value("organization")
    node = Select(css(driver, "#id_node"))
    node.select_by_visible_text(next(o.text for o in node.options
                                     if o.text.strip().startswith(extension_code + " ")))
    Select(css(driver, "#id_department")).select_by_visible_text(DEPARTMENT)
    Select(css(driver, "#id_leader")).select_by_value(str(people["cjoffice"].pk))
    set_date(driver, css(driver, "#id_planned_start"), today)
    set_date(driver, css(driver, "#id_planned_end"), today + timedelta(days=365))
    click_to_new_page(driver, css(driver, "#project-submit"))
    assert path_of(driver).startswith("/lifecycle/projects/"), \
        css(driver, "main.content").text[:600]

    # --- the tailoring report: exactly those two deviations --------------------------------
    driver.get(site + "/tailoring/")
    rows = table_rows(driver, "tailoring-table")
    assert sorted((r["data"]["kind"], r["data"]["code"]) for r in rows) == [
        ("added", extension_code), ("removed", REMOVED[0])]
    removed = next(r for r in rows if r["data"]["kind"] == "removed")
    # The category and the 13 aspects beneath it, removed together: one line.
    assert removed["cells"][2] == f"{REMOVED[1]}（含下级 13 项）"
    assert "本中心不经办机关事业单位社会保险" in removed["cells"]
    added = next(r for r in rows if r["data"]["kind"] == "added")
    assert "本市被征地农民参保工作需要" in added["cells"]
    assert "陈办公" in removed["cells"][6] and "陈办公" in added["cells"][6]
    assert css(driver, "#count-added").text == "1"
    assert css(driver, "#count-removed").text == "14"
    assert set(Tailoring.objects.filter(organization=county).values_list(
        "kind", "why", "reason")) == {
        ("removed", "not_applicable", "本中心不经办机关事业单位社会保险")}

    # --- the prefecture's lead: the county's coverage in the comparison --------------------
    as_user(driver, site, "zhoulead")
    driver.get(site + "/comparison/")
    rows = {r["data"]["code"]: r["cells"] for r in table_rows(driver, "comparison-table")}
    assert set(rows) == {"652300", COUNTY[2]}
    county_row = rows[COUNTY[2]]
    assert COUNTY[0] in county_row[0]
    kept, removed_count, added_count, aspects, covered = (int(c) for c in county_row[1:6])
    assert (removed_count, added_count, covered) == (14, 1, 1)
    assert float(county_row[6]) == round(100 / aspects, 1)
    # The lead reads; the comparison offers no way to change the county's system.
    assert not driver.find_elements(By.CSS_SELECTOR, "#comparison-table form")

    # --- the county's PDF: its cover and its 编制说明 ---------------------------------------
    as_user(driver, site, "cjadmin")
    driver.get(site + "/export/")
    Select(css(driver, "#id_fmt", visible=True)).select_by_value("pdf")
    Select(css(driver, "#id_lang")).select_by_value("zh-hans")
    click_to_new_page(driver, css(driver, "#export-submit"))
    css(driver, "#export-download", visible=True)
    job = ExportJob.objects.get(organization=county)
    text = subprocess.run(["pdftotext", "-raw", job.file.path, "-"], capture_output=True,
                          text=True, check=True).stdout
    cover = text.split("\f")[0]
    assert COUNTY[0] in cover and "昌吉州社会保险管理局" not in cover
    notes = text[text.index("剪裁说明"):]
    assert EDITION in notes
    assert REMOVED[1] in notes and "本中心不经办机关事业单位社会保险" in notes
    assert EXTENSION in notes and "本市被征地农民参保工作需要" in notes

    # Everything done in the browser verifies.
    call_command("verify_history")
