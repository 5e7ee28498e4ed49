"""Tree operations: each checks permission and reason, and leaves a history row."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from registry.actions import ActionError, AddNode, ChangeNode, DeleteNode, MoveNode, ReorderNode
from registry.models import Node


def by_code(code):
    return Node.objects.get(code=code)


def test_add_node_takes_next_free_code_and_records_reason(seeded, office):
    node = AddNode(office, by_code("303"), "数据中心运维 监控管理", "补充方面").execute()
    assert node.code == "303-06"
    assert Node.objects.get_parent(node).code == "303"
    record = node.history.latest()
    assert record.history_type == "+"
    assert record.history_user == office
    assert record.history_change_reason == "补充方面"


def test_add_subsystem_and_category_codes(seeded, office):
    subsystem = AddNode(office, seeded, "新子体系", "扩充").execute()
    assert subsystem.code == "400"
    category = AddNode(office, subsystem, "新类别", "扩充").execute()
    assert category.code == "401"
    aspect = AddNode(office, category, "新方面", "扩充").execute()
    assert aspect.code == "401-01"


def test_add_node_requires_reason_and_name(seeded, office):
    with pytest.raises(ActionError):
        AddNode(office, by_code("303"), "新方面", "").execute()
    with pytest.raises(ActionError):
        AddNode(office, by_code("303"), "  ", "原因").execute()
    assert Node.objects.filter(code="303-06").count() == 0


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_roles_without_edit_rights_cannot_change_the_tree(seeded, users, role):
    user = users[role]
    with pytest.raises(PermissionDenied):
        AddNode(user, by_code("303"), "新方面", "原因").execute()
    with pytest.raises(PermissionDenied):
        DeleteNode(user, by_code("303-01"), "原因").execute()
    with pytest.raises(PermissionDenied):
        MoveNode(user, by_code("303-01"), by_code("304"), "last-child", "原因").execute()


def test_rename_keeps_code_and_records_history(seeded, office):
    node = ChangeNode(office, by_code("303-04"), "改名", name="网络运维管理").execute()
    assert node.code == "303-04" and node.name == "网络运维管理"
    old, new = node.history.order_by("history_date")[:2]
    assert (old.name, new.name) == ("网络管理", "网络运维管理")
    assert new.history_change_reason == "改名"


def test_edit_refuses_a_code_already_used(seeded, office):
    with pytest.raises(ActionError, match="303-01"):
        ChangeNode(office, by_code("303-04"), "改号", code="303-01").execute()


def test_move_recodes_the_subtree_under_its_new_parent(seeded, office):
    node = AddNode(office, by_code("303"), "临时方面", "测试").execute()
    AddNode(office, node, "子方面", "测试").execute()
    moved = MoveNode(office, node, by_code("304"), "last-child", "归入其它综合管理").execute()
    assert moved.code == "304-10"
    assert Node.objects.get_parent(moved).code == "304"
    child = Node.objects.get_children(moved).get()
    assert child.code == "304-10-01"
    assert moved.history.latest().history_change_reason == "归入其它综合管理"
    assert child.history.latest().history_change_reason == "归入其它综合管理"


def test_move_beside_a_sibling_reorders_without_recoding(seeded, office):
    node = MoveNode(office, by_code("303-05"), by_code("303-01"), "left", "调整顺序").execute()
    assert node.code == "303-05"
    codes = [n.code for n in Node.objects.get_children(by_code("303"))]
    assert codes == ["303-05", "303-01", "303-02", "303-03", "303-04"]


def test_move_into_own_subtree_is_refused(seeded, office):
    with pytest.raises(ActionError):
        MoveNode(office, by_code("300"), by_code("303"), "last-child", "错误").execute()
    with pytest.raises(ActionError):
        MoveNode(office, by_code("303"), by_code("303"), "last-child", "错误").execute()


def test_reorder_up_and_down(seeded, office):
    ReorderNode(office, by_code("303-02"), "up", "调整").execute()
    codes = [n.code for n in Node.objects.get_children(by_code("303"))]
    assert codes[:2] == ["303-02", "303-01"]
    ReorderNode(office, by_code("303-02"), "down", "还原").execute()
    codes = [n.code for n in Node.objects.get_children(by_code("303"))]
    assert codes[:2] == ["303-01", "303-02"]
    with pytest.raises(ActionError):
        ReorderNode(office, by_code("303-01"), "up", "已是第一").execute()


def test_delete_subtree_records_each_node(seeded, office):
    category = by_code("303")
    DeleteNode(office, category, "裁剪", why="other").execute()
    assert not Node.objects.filter(code__startswith="303").exists()
    deleted = Node.history.filter(history_type="-", code__startswith="303")
    assert deleted.count() == 6
    assert set(deleted.values_list("history_change_reason", flat=True)) == {"裁剪"}
    assert Node.objects.get(code="300").numchild == 3


def test_delete_refuses_a_node_that_holds_standards(seeded, office):
    with pytest.raises(ActionError) as caught:
        DeleteNode(office, by_code("101"), "裁剪").execute()
    assert "GB/T 1.1—2020" in str(caught.value)
    with pytest.raises(ActionError, match="GB 2894"):
        DeleteNode(office, by_code("103"), "裁剪").execute()
    assert Node.objects.filter(code="101").exists()


def test_root_cannot_be_moved_or_deleted(seeded, office):
    with pytest.raises(ActionError):
        DeleteNode(office, seeded, "不行").execute()
    with pytest.raises(ActionError):
        MoveNode(office, seeded, by_code("100"), "last-child", "不行").execute()


def test_changing_a_code_carries_the_descendants_along(seeded, office):
    ChangeNode(office, by_code("303"), "重新编号", code="310").execute()
    codes = [n.code for n in Node.objects.get_children(by_code("310"))]
    assert codes == ["310-01", "310-02", "310-03", "310-04", "310-05"]
    assert Node.history.filter(code="310-01").get().history_change_reason == "重新编号"


def test_a_system_code_has_a_format(seeded, office):
    with pytest.raises(ActionError, match="201-03"):
        ChangeNode(office, by_code("303"), "乱码", code="abc def/<>").execute()
    assert by_code("303").name == "数据中心管理"


def test_the_office_orders_a_nodes_standards_by_hand_then_back(seeded, office, client_for):
    """Reading order by default (national before local, serial numerically); a manual
    order set from the node page is kept for that node only, and can be undone."""
    from registry.actions import OrderPlacements
    from registry.rules.tree.table_data import detail_rows, live_data

    node = Node.objects.get(code="101")
    automatic = [r.number for r in detail_rows(live_data(seeded)) if r.code == "101"]
    assert automatic == sorted(automatic, key=lambda n: (
        n.startswith("DB"), [int(x) for x in n.split(" ")[1].split("—")[0].split(".")]))
    client = client_for("office")
    url = reverse("registry:node_order", args=[node.pk])
    page = client.get(url)
    assert page.context["form"].initial["numbers"].splitlines() == automatic
    wanted = list(reversed(automatic))
    response = client.post(url, {"numbers": "\n".join(n.replace("—", "-") for n in wanted),
                                 "reason": "按业务使用频次排列"})
    assert response.status_code == 302
    assert [r.number for r in detail_rows(live_data(seeded)) if r.code == "101"] == wanted
    assert client.get(reverse("registry:node_detail", args=[node.pk])).context[
        "placements"][0].standard.number == wanted[0]
    response = client.post(url, {"numbers": wanted[0], "reason": "漏列"})
    assert "Missing" in str(response.context["form"].non_field_errors()) or \
        "缺" in str(response.context["form"].non_field_errors())
    OrderPlacements(office, node, None, "恢复默认顺序").execute()
    assert [r.number for r in detail_rows(live_data(seeded)) if r.code == "101"] == automatic
    assert client_for("viewer").get(url).status_code == 403
