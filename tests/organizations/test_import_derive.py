"""Importing a system table into an organization (clause 6.2.4): the new system is matched
with the built-in template by code and name; what matches nothing is listed as an
extension (扩充), the template aspects the table lacks are removals (删减) on record."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from organizations.middleware import SESSION_KEY
from organizations.models import Organization
from registry.models import ImportJob, Node, Tailoring, TemplateNode
from registry.rules.exports.formats import export
from registry.rules.import_templates import normalized
from registry.rules.tailoring import tailoring_report
from registry.rules.tree.table_data import live_data
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

DROPPED = "201-02"                     # 参保企业注销: not in the county's table
RENAMED = ("201-03", "企业基本信息变更登记")
RECODED = ("201-05", "201-20")         # same name, another code under the same category
SPACED = "201-12"                      # 企业职工丧葬补助金、抚恤金申领办理, typed with a space
ADDED = ("201-40", "企业社会保险稽核")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county(prefecture):
    return Organization.objects.create(name="玛纳斯县社会保险中心", code="652324",
                                       parent=prefecture)


def changed_table(seeded):
    """The seeded system table as exported (XLSX), then changed as a county would: one
    aspect dropped, one renamed, one re-coded, one typed with a full-width space, one added."""
    book = load_workbook(io.BytesIO(export(live_data(seeded), "xlsx")))
    structure = next(s for s in book.worksheets if s.max_column >= 5
                     and any("上级" in str(c.value or "") for c in s[1]))
    detail = next(s for s in book.worksheets if s is not structure
                  and any("标准号" in str(c.value or "") for c in s[1]))
    header = [str(c.value or "") for c in structure[1]]
    code_at, name_at, parent_at = (header.index("体系编号"), header.index("名称"),
                                   header.index("上级体系编号"))
    for row in range(structure.max_row, 1, -1):
        cells = structure[row]
        code = cells[code_at].value
        if code == DROPPED:
            structure.delete_rows(row)
        elif code == RENAMED[0]:
            cells[name_at].value = RENAMED[1]
        elif code == RECODED[0]:
            cells[code_at].value = RECODED[1]
        elif code == SPACED:
            cells[name_at].value = cells[name_at].value.replace("抚恤金", "抚恤金　")
    added = [""] * len(header)
    added[code_at], added[name_at], added[parent_at] = ADDED[0], ADDED[1], "201"
    structure.append(added)
    detail_header = [str(c.value or "") for c in detail[1]]
    at = next(i for i, h in enumerate(detail_header) if "体系" in h and "编号" in h)
    for row in range(detail.max_row, 1, -1):
        if detail[row][at].value == DROPPED:
            detail.delete_rows(row)
        elif detail[row][at].value == RECODED[0]:
            detail[row][at].value = RECODED[1]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_imported_table_is_derived_from_the_template(seeded, county, tmp_path, capsys):
    path = tmp_path / "县标准体系表.xlsx"
    path.write_bytes(changed_table(seeded))
    call_command("import_system_table", str(path), "--organization", county.code,
                 "--lang", "en")
    out = capsys.readouterr().out
    template = TemplateNode.objects.get(depth=1).template
    in_template = {t.code: t for t in TemplateNode.objects.filter(template=template)}
    system = {n.code: n for n in Node.objects.filter(owner=county)}
    assert len(system) == len(in_template)  # one dropped, one added
    # Matched: by code and name, by name beneath the same parent, by code (renamed).
    assert system["0"].template_node == in_template["0"]
    assert system["201"].template_node == in_template["201"]
    assert system[RENAMED[0]].template_node == in_template[RENAMED[0]]
    assert system[RECODED[1]].template_node == in_template[RECODED[0]]
    assert system[SPACED].template_node == in_template[SPACED]
    assert normalized(system[SPACED].name) == normalized(in_template[SPACED].name)
    assert system[ADDED[0]].template_node is None
    assert DROPPED not in system
    assert not Node.objects.filter(owner=county, template_node__isnull=True).exclude(
        code=ADDED[0]).exists()
    # The command says what it matched and lists what it could not.
    matched = len(in_template) - 1
    assert f"matched: {matched} (renamed: 1)" in out, out
    assert f"Not matched (扩充): {ADDED[0]} {ADDED[1]}" in out
    assert "Not in the file (删减): 201-02 参保企业注销" in out
    # The dropped aspect is a 删减 on record, with why; the report counts each deviation.
    removal = Tailoring.objects.get(organization=county)
    assert (removal.kind, removal.code, removal.why) == ("removed", DROPPED, "other")
    assert removal.reason == "Not in the imported system table"
    report = tailoring_report(county)
    assert report.derived and report.template == template
    assert (report.removed, report.added) == (1, 1)
    # Renamed: the new name, and the one typed with a space (its text differs).
    assert report.renamed == 2 and report.moved == 0
    assert report.kept == matched - 1  # the root is not counted
    removed = next(d for d in report.deviations if d.kind == "removed")
    assert (removed.code, removed.why, removed.reason) == (
        DROPPED, "other", "Not in the imported system table")
    # The prefecture's system is untouched, and the history verifies.
    assert Node.objects.filter(owner=county.parent).count() == len(in_template)
    call_command("verify_history")


def test_the_preview_and_the_job_list_what_was_not_matched(seeded, county, client):
    office = give_role(UserFactory(username="manasi"), "office", county).user
    client.force_login(office)
    session = client.session
    session[SESSION_KEY] = county.pk
    session.save()
    upload = io.BytesIO(changed_table(seeded))
    upload.name = "county.xlsx"
    response = client.post(reverse("registry:import"), {"file": upload})
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
    matching = job.result["template"]
    assert matching["extensions"] == [list(ADDED)]
    assert matching["renamed"] == [[RENAMED[0], RENAMED[1], "企业基本信息变更办理"]]
    assert matching["removed"] == [[DROPPED, "参保企业注销"]]
    page = client.get(response.url).content.decode()
    assert 'id="import-extensions"' in page and ADDED[1] in page
    assert not Node.objects.filter(owner=county).exists()  # a preview writes nothing
    client.post(reverse("registry:import"), {"confirm": job.upload, "name": "county.xlsx"})
    done = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT)
    assert done.state == ImportJob.State.DONE
    assert done.result["template"]["extensions"] == [list(ADDED)]
    assert ADDED[1] in client.get(done.get_absolute_url()).content.decode()
    assert Node.objects.get(owner=county, code=RENAMED[0]).template_node.code == RENAMED[0]
    assert tailoring_report(county).removed == 1


def test_an_import_into_a_derived_system_lists_its_extensions(seeded, tmp_path, capsys):
    """The prefecture's system is derived: a new node matching nothing is an extension; the
    template aspects are all there, so nothing is removed."""
    book = Workbook()
    sheet = book.active
    sheet.append(["体系编号", "名称", "上级体系编号"])
    sheet.append(["201-40", "企业社会保险稽核", "201"])
    detail = book.create_sheet("明细表")
    detail.append(["序号", "体系编号", "标准编号", "标准名称"])
    detail.append([1, "201-40", "", ""])
    path = tmp_path / "add.xlsx"
    book.save(path)
    call_command("import_system_table", str(path), "--lang", "en")
    out = capsys.readouterr().out
    assert "201-40 企业社会保险稽核" in out and "Not in the file" not in out
    assert Node.objects.get(code="201-40", owner=seeded.owner).template_node is None
    assert not Tailoring.objects.exists()
    assert tailoring_report(seeded.owner).added == 1
