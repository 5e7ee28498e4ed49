"""seed_system loads Appendix A and the seed catalog exactly, and only once."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from catalog.models import Citation, Standard, Term
from registry.models import Node, NodeKind, Placement

# The full text of DB 6523/T 370-2023 as extracted from its PDF (docs/domain.md): the
# fixtures are compared with it.
SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "seed" / "DB6523-T370-2023.txt"

EXPECTED_ASPECTS = {
    "201": 13, "202": 13, "203": 13, "204": 3, "205": 2, "206": 18, "207": 8, "208": 17,
    "209": 8, "301": 2, "302": 5, "303": 5, "304": 9,
}


def test_seed_loads_the_whole_tree(seeded):
    nodes = list(Node.objects.get_tree(seeded))
    kinds = [node.kind for node in nodes]
    assert kinds.count(NodeKind.ROOT) == 1
    assert kinds.count(NodeKind.SUBSYSTEM) == 3
    assert kinds.count(NodeKind.CATEGORY) == 16
    assert kinds.count(NodeKind.ASPECT) == 116
    subsystems = [node.code for node in Node.objects.get_children(seeded)]
    assert subsystems == ["100", "200", "300"]
    for code, count in EXPECTED_ASPECTS.items():
        category = Node.objects.get(code=code)
        children = list(Node.objects.get_children(category))
        assert len(children) == count, code
        assert [child.code for child in children] == [
            f"{code}-{index:02d}" for index in range(1, count + 1)
        ]


def test_every_node_name_is_written_as_in_the_seed(seeded):
    seed_text = SEED_FILE.read_text(encoding="utf-8")
    for node in Node.objects.get_tree(seeded):
        assert node.name in seed_text, node.name


def test_damaged_seed_items_are_restored(seeded):
    """The extracted text broke some list markers; the names are the intended ones."""
    injury = Node.objects.get(code="206")
    names = [child.name for child in Node.objects.get_children(injury)]
    assert names[1] == "病残津贴申领办理"
    assert names[7] == "工伤医疗费用申报受理"
    assert names[8] == "一次性工伤医疗补助金申请受理"
    assert names[12] == "工伤保险待遇变更办理"
    assert Node.objects.get(code="201-02").name == "参保企业注销"
    assert Node.objects.get(code="208").clause == "6.4.8"
    assert Node.objects.get(code="304-09").name == "社会保险报表管理"


def test_seed_catalog_and_placements(seeded):
    assert Standard.objects.count() == 21
    seed = Standard.objects.get(number="DB6523/T 370—2023")
    assert seed.level == "local"
    assert str(seed.issued_on) == "2023-02-16" and str(seed.implemented_on) == "2023-03-10"
    assert seed.cites.count() == 17
    assert Citation.objects.filter(citing=seed, cited__number="GB/T 1.1—2020").exists()
    placed = {
        (p.node.name, p.standard.number)
        for p in Placement.objects.select_related("node", "standard")
    }
    assert ("标准化导则", "GB/T 1.1—2020") in placed
    assert ("术语标准", "GB/T 31596.1—2015") in placed
    assert ("标志标识标准", "GB/T 10001") in placed
    assert ("标志标识标准", "GB 2894") in placed


def test_seed_terms_with_sources(seeded):
    assert Term.objects.count() == 8
    term = Term.objects.get(term="标准化文件")
    assert term.source_display == "GB/T 1.1-2020, 5.2"
    assert term.source.number == "GB/T 1.1—2020"
    assert Term.objects.get(term="失业保险").source.number == "GB/T 31596.1—2015"


def test_seed_is_idempotent(seeded):
    counts = (Node.objects.count(), Standard.objects.count(), Placement.objects.count(),
              Term.objects.count(), Citation.objects.count())
    call_command("seed_system")
    assert counts == (Node.objects.count(), Standard.objects.count(),
                      Placement.objects.count(), Term.objects.count(), Citation.objects.count())


def test_seed_records_history_by_the_system_account(seeded):
    record = Node.history.filter(code="303").get()
    assert record.history_user.username == "system"
    assert record.history_change_reason


def test_export_json_contains_all_aspects_and_standards(seeded, tmp_path):
    output = tmp_path / "system.json"
    call_command("export_system_table", "--format", "json", "--output", str(output))
    data = json.loads(output.read_text(encoding="utf-8"))

    def walk(node):
        yield node
        for child in node["children"]:
            yield from walk(child)

    nodes = list(walk(data["system"]))
    aspects = [node for node in nodes if node["kind"] == "aspect"]
    assert len(aspects) == 116
    category = next(node for node in nodes if node["name"] == "数据中心管理")
    assert [child["name"] for child in category["children"]][-1] == "社保业务系统需求管理"
    numbers = {s["number"] for node in nodes for s in node["standards"]}
    numbers |= {s["number"] for s in data["unplaced_standards"]}
    assert len(numbers) == 21
    assert "DB6523/T 370—2023" in numbers
    standard = next(s for s in nodes[0]["children"][0]["children"][0]["standards"])
    assert set(standard) >= {"number", "title", "level", "status"}


def test_export_unknown_node_is_an_error(seeded):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_system_table", "--node", "999")
