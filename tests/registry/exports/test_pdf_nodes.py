"""The PDF names every node of the system: in the structure diagram, and in the detail table
as a heading or as an open aspect's own row — for a system whose aspects hold standards,
coded like the office's real table (2.1.1 …, 3.4.1 工作场所职业接触限值) and named
「…标准体系（重构示例）」, whose cover must not read 「…（重构示例）标准体系表」."""

import re
import subprocess

import pytest
from django.core.management import call_command

from registry.actions import AddNode
from registry.actions.seed import system_user
from registry.models import Node
from registry.rules.exports import pdf
from registry.rules.exports.formats import export
from registry.rules.exports.pdf_widths import TEXT_MIN_EM, text_width
from registry.rules.tree.table_data import live_data
from tests.factories import default_organization

pytestmark = pytest.mark.slow

SYSTEM = "社会保险经办服务标准体系（重构示例）"
HEADER = ("序号,标准体系表编号,标准编号,标准名称,宜定级别,实施日期,国际国外标准号及采用关系,"
          "被代替标准号或作废,备注,状态,废止日期,子体系,类别,方面")
# Code, number, title, remarks; subsystem, category, aspect. Aspect names are not found in
# their standards' titles, so only a heading can print them. No adoption, few replacements:
# the two columns are nearly empty, as in the real table.
ROWS = [
    ("1.1.1", "GB/T 1.1-2020", "标准化工作导则 第1部分：标准化文件的结构和起草规则", "",
     "1 基础通用标准", "1.1 标准化导则", "1.1.1 标准编写规则"),
    ("1.1.1", "GB/T 13016-2018", "标准体系构建原则和要求", "",
     "1 基础通用标准", "1.1 标准化导则", "1.1.1 标准编写规则"),
    ("1.2.1", "GB/T 31596.1-2015", "社会保险术语 第1部分：通用", "",
     "1 基础通用标准", "1.2 术语与代码", "1.2.1 业务用语"),
    ("2.1.1", "GB/T 27768-2011", "社会保险服务 总则", "",
     "2 服务提供标准", "2.1 参保登记与缴费", "2.1.1 经办总体要求"),
    ("2.1.2", "GB/T 32621", "社会保险业务经办业务流程 总则", "不注日期，适用最新版本",
     "2 服务提供标准", "2.1 参保登记与缴费", "2.1.2 经办规程"),
    ("2.1.3", "GB/T 34414", "社会保险经办绩效评价", "",
     "2 服务提供标准", "2.1 参保登记与缴费", "2.1.3 经办质量考核"),
    ("2.1.4", "GB 11643-1999", "公民身份号码", "",
     "2 服务提供标准", "2.1 参保登记与缴费", "2.1.4 参保人员信息"),
    ("2.1.4", "GB/T 2261.1-2003", "个人基本信息分类与代码 第1部分：人的性别代码", "",
     "2 服务提供标准", "2.1 参保登记与缴费", "2.1.4 参保人员信息"),
    ("2.2.1", "", "养老保险待遇核定", "待行业标准发布后纳入",
     "2 服务提供标准", "2.2 待遇核定", "2.2.1 养老保险待遇核定"),
    ("3.4.1", "GBZ 2.1-2019", "工作场所有害因素职业接触限值 第1部分：化学有害因素", "",
     "3 服务保障标准", "3.4 职业健康安全", "3.4.1 工作场所职业接触限值"),
    ("3.4.1", "GBZ 2.2-2007", "工作场所有害因素职业接触限值 第2部分：物理因素", "",
     "3 服务保障标准", "3.4 职业健康安全", "3.4.1 工作场所职业接触限值"),
    ("3.4.2", "GB 2894-2008", "安全标志及其使用导则", "",
     "3 服务保障标准", "3.4 职业健康安全", "3.4.2 场所标识"),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def real_shaped(db, tmp_path, office):
    root = Node(code="0", name=SYSTEM, organization="示例市社会保险经办中心",
                owner=default_organization())
    root._history_user, root._change_reason = system_user(), "test"
    Node.objects.add_root(instance=root)
    lines = [HEADER] + [
        f"{seq},{code},{number},{title},,,,,{remarks},,,{sub},{cat},{aspect}"
        for seq, (code, number, title, remarks, sub, cat, aspect) in enumerate(ROWS, start=1)]
    path = tmp_path / "real.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    call_command("import_system_table", str(path), "--lang", "en")
    # An aspect nested in an aspect, and a category nothing is placed in yet.
    AddNode(office, Node.objects.get(code="2.1.4"), "流动人员信息", "细分",
            code="2.1.4.1").execute()
    AddNode(office, Node.objects.get(code="3"), "应急管理", "新增类别",
            code="3.5").execute()
    return Node.objects.get_root_nodes().get()


def pdf_pages(content, tmp_path):
    path = tmp_path / "table.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return ["".join(page.split()) for page in text.split("\f")]


def sections(pages):
    """The diagram's text and the detail table's text (each compacted)."""
    whole = "".join(pages)
    diagram = whole[whole.index("1标准体系结构图"):whole.index("2标准明细表")]
    detail = whole[whole.index("2标准明细表"):whole.index("3标准统计表")]
    return pages[0], diagram, detail


def test_every_node_is_named_in_the_diagram_and_the_detail_table(real_shaped, tmp_path):
    cover, diagram, detail = sections(pdf_pages(export(live_data(real_shaped), "pdf"),
                                                tmp_path))
    nodes = list(Node.objects.filter(path__startswith=real_shaped.path).exclude(depth=1))
    assert len(nodes) == 3 + 6 + 10  # with the nested aspect and the empty category
    for node in nodes:
        label = f"{node.code}{node.name}"
        assert label in diagram, label
        assert label in detail or (
            # An open aspect is named by its own row: code, then its name as the title.
            node.code in detail and node.name in detail and not node.placements.exists()), label
    assert "3.4.1工作场所职业接触限值" in detail and "2.1.4.1流动人员信息" in detail
    assert SYSTEM.replace("（重构示例）", "") in diagram
    # The cover: 标准体系 said once, the remark after the title.
    assert "社会保险经办服务标准体系表（重构示例）" in cover
    assert "标准体系（重构示例）标准体系表" not in cover


def test_the_heading_of_an_aspect_comes_before_its_standards(real_shaped, tmp_path):
    _cover, _diagram, detail = sections(pdf_pages(export(live_data(real_shaped), "pdf"),
                                                  tmp_path))
    heading = detail.index("3.4.1工作场所职业接触限值")
    assert heading < detail.index("GBZ2.1—2019") < detail.index("GBZ2.2—2007")
    assert detail.index("3.4职业健康安全") < heading


def test_empty_columns_stay_narrow_and_the_title_gets_the_room(real_shaped):
    ctx = pdf.context(live_data(real_shaped))
    widths = dict(ctx["widths"])
    labels = {key: label for key, label, _whole in ctx["columns"]}
    # Nothing adopted, nothing replaced: the header wraps, each column a few characters
    # wide (on one line, 国际国外标准号及采用关系 and 被代替标准号或作废 took a quarter).
    for key in ("adoption", "replaces"):
        assert widths[key] < 6 * pdf.FONT_SIZE * 1.1 + pdf.CELL_PADDING
        assert widths[key] < text_width(labels[key], pdf.FONT_SIZE, bold=True) * 0.7
    assert widths["adoption"] + widths["replaces"] < 0.14 * pdf.TABLE_WIDTH
    assert widths["title"] > TEXT_MIN_EM["title"] * pdf.FONT_SIZE


def test_the_diagram_runs_over_pages_with_every_aspect(db, tmp_path):
    from tests.big_system import build_big_system

    root = build_big_system(300)
    data = live_data(root)
    pages = pdf.structure_svgs(data)
    assert len(pages) > 3
    aspects = Node.objects.filter(path__startswith=root.path, depth=4)
    drawn = "".join(pages)
    for node in aspects:
        assert re.search(rf">{re.escape(node.code)} {re.escape(node.name)}<", drawn), node.code
    # Each leaf is drawn once; a subsystem or category spanning pages is repeated on each.
    assert sum(drawn.count(f">{node.code} ") for node in aspects) == aspects.count()


def test_the_headings_cost_no_query(real_shaped, django_assert_num_queries):
    """The nodes come with the export's data (``live_data``): naming each of them in the
    table and the diagram reads nothing more, whatever the size of the system."""
    data = live_data(real_shaped)
    with django_assert_num_queries(1):  # the compilation notes
        ctx = pdf.context(data)
        pdf.parts(ctx)
    headings = [item.label for item in ctx["items"] if getattr(item, "heading", False)]
    assert "3.4.1 工作场所职业接触限值" in headings and len(headings) >= 15
