"""The system table PDF of a county organization (clause 6.2.4): its name on the cover, and
its tailoring report (剪裁说明) in the compilation notes."""

import re
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from organizations.models import Organization
from organizations.rules import acting_in
from registry.actions import AddNode, DeleteNode
from registry.actions.seed import system_user
from registry.models import Node
from registry.rules.exports.data import load
from registry.rules.exports.pdf import context, part_htmls, tailoring
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

CODE = re.compile(r"(?<!\d)\d{3}-\d{2}(?!\d)")  # a system code, not a date or number


def tailor(county):
    """Remove 304-09 with a reason, add 304-10 under 304: the county's two deviations."""
    office = give_role(UserFactory(username="changji", first_name="李明"), "office",
                       county).user
    with acting_in(county):
        DeleteNode(office, Node.objects.get(owner=county, code="304-09"),
                   "本单位不承担报表管理", why="not_applicable").execute()
        AddNode(office, Node.objects.get(owner=county, code="304"), "县级经办窗口服务",
                "本县设有综合柜员窗口").execute()
    return office


def section(text):
    """What the PDF prints after the tailoring report's heading, without spaces."""
    assert "剪裁说明" in text
    return "".join(text.split("剪裁说明")[-1].split())


def test_the_county_s_pdf_names_the_county_and_lists_its_tailoring(counties, prefecture,
                                                                   tmp_path):
    county = counties["652301"]
    tailor(county)
    output = tmp_path / "county.pdf"
    call_command("export_system_table", "--organization", "652301", "--format", "pdf",
                 "--lang", "zh-hans", "--output", str(output))
    cover = subprocess.run(["pdftotext", "-l", "1", str(output), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "昌吉市社会保险中心" in "".join(cover.split())
    assert prefecture.name not in "".join(cover.split())
    text = subprocess.run(["pdftotext", "-raw", str(output), "-"], capture_output=True,
                          text=True, check=True).stdout
    notes = section(text)
    assert "DB6523/T370—2023" in notes
    # (The counts' sentence is checked in English below: its Chinese is in the catalogue.)
    # Exactly the two deviations, each with its reason and who made it.
    assert set(CODE.findall(notes)) == {"304-09", "304-10"}
    assert "不适用于本单位：本单位不承担报表管理" in notes
    assert "县级经办窗口服务" in notes and "本县设有综合柜员窗口" in notes
    assert notes.count("李明") == 2


def test_the_english_table_and_an_untailored_system(counties, prefecture):
    county = counties["652301"]
    tailor(county)
    with translation.override("en"), acting_in(county):
        ctx = context(load(), english=True)
        html = part_htmls(ctx)[-1]
    assert ctx["organization"] == "Changji City"
    assert [(row["kind"], row["code"]) for row in ctx["tailoring"]["rows"]] == [
        ("Removed (删减)", "304-09"), ("Added (扩充)", "304-10")]
    assert "Tailoring report" in html and "1 removed, 1 added, 0 renamed" in html
    assert "Not applicable to this unit: 本单位不承担报表管理" in html
    # The other county took the template as it is: a sentence, no table.
    with translation.override("en"), acting_in(counties["652302"]):
        untouched = context(load(), english=True)
        assert "nothing removed, added" in part_htmls(untouched)[-1]
    assert untouched["tailoring"]["rows"] == []
    # A subtree, or the system as of a day, has no report: it would compare the live tree.
    with acting_in(county):
        assert context(load("304"))["tailoring"] is None


def test_a_system_not_derived_from_a_template_has_no_section(prefecture):
    county = Organization.objects.create(name="玛纳斯县社会保险中心", code="652324",
                                         parent=prefecture)
    root = Node(code="0", name="玛纳斯县社会保险服务标准体系", organization=county.name,
                owner=county)
    root._history_user, root._change_reason = system_user(), "自建体系"
    Node.objects.add_root(instance=root)
    with acting_in(county):
        data = load()
        assert tailoring(data, data.root, False) is None
        assert 'class="tailoring"' not in part_htmls(context(data))[-1]


def test_the_tailoring_section_reads_a_constant_number_of_queries(counties):
    county = counties["652301"]
    office = tailor(county)
    with acting_in(county):
        data = load()
        with CaptureQueriesContext(connection) as two:
            tailoring(data, data.root, False)
        for code in ("304-01", "304-02", "304-03"):
            DeleteNode(office, Node.objects.get(owner=county, code=code), "合并",
                       why="merged").execute()
        AddNode(office, Node.objects.get(owner=county, code="303"), "县级稽核", "新增").execute()
        data = load()
        with CaptureQueriesContext(connection) as six:
            result = tailoring(data, data.root, False)
    assert len(result["rows"]) == 6
    assert len(six.captured_queries) == len(two.captured_queries)
