"""The tree's history as users see it: a subtree's log, the system as of a past moment and
two moments compared. (A record's own history and the audit log: tests/audit.)"""


import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Standard
from registry.actions import AddNode, ChangeNode, DeleteNode, MoveNode
from registry.models import Node


def test_subtree_history_includes_deleted_descendants(seeded, office, client_for):
    category = Node.objects.get(code="303")
    node = AddNode(office, category, "临时", "新增").execute()
    DeleteNode(office, node, "删掉").execute()
    ChangeNode(office, Node.objects.get(code="304-01"), "别处", name="别处改名").execute()
    response = client_for("viewer").get(reverse("registry:node_changelog", args=[category.pk]))
    reasons = {entry.reason for entry in response.context["object_list"]}
    assert {"新增", "删掉"} <= reasons
    assert "别处" not in reasons


def test_as_of_shows_the_tree_before_a_change(seeded, office, client_for):
    before = timezone.now()
    node = Node.objects.get(code="303-04")
    ChangeNode(office, node, "改名", name="网络运维管理").execute()
    DeleteNode(office, Node.objects.get(code="303-05"), "裁剪", why="other").execute()
    client = client_for("viewer")
    then = client.get(reverse("registry:as_of"), {"at": before.isoformat()})
    page = then.content.decode()
    assert "网络管理" in page and "网络运维管理" not in page
    assert "社保业务系统需求管理" in page
    assert len(then.context["rows"]) == 136
    assert "GB/T 1.1—2020" in page
    now = client.get(reverse("registry:as_of"), {"at": timezone.now().isoformat()})
    assert len(now.context["rows"]) == 135


def test_as_of_rejects_a_bad_date(seeded, client_for):
    response = client_for("viewer").get(reverse("registry:as_of"), {"at": "昨天"})
    assert response.context["error"]


def test_compare_two_dates_lists_what_changed(seeded, office, client_for):
    start = timezone.now()
    ChangeNode(office, Node.objects.get(code="303-04"), "改名", name="网络运维管理").execute()
    added = AddNode(office, Node.objects.get(code="303"), "新方面", "新增").execute()
    MoveNode(office, added, Node.objects.get(code="304"), "last-child", "移动").execute()
    DeleteNode(office, Node.objects.get(code="303-05"), "裁剪", why="other").execute()
    Standard.objects.create(number="Q/CJSB 1-2026", title="新标准")
    response = client_for("viewer").get(
        reverse("registry:as_of_compare"), {"from": start.isoformat()}
    )
    kinds = {(d.kind, d.label.split(" ", 1)[-1]) for d in response.context["node_changes"]}
    assert ("renamed", "网络运维管理") in kinds
    assert ("added", "新方面") in kinds
    assert ("removed", "社保业务系统需求管理") in kinds
    assert any(d.kind == "added" and d.label == "Q/CJSB 1—2026"
               for d in response.context["standard_changes"])


@pytest.mark.slow
@pytest.mark.parametrize("nodes", [200, 2000])
def test_as_of_tree_queries_are_bounded(db, client_for, django_assert_max_num_queries, nodes):
    from tests.factories import build_tree

    shape = (3, 5, 12) if nodes == 200 else (4, 10, 49)
    root = build_tree("历史体系", *shape)
    # Bulk-built trees have no history; give every node one row, as saves would.
    for node in Node.objects.filter(path__startswith=root.path):
        node._change_reason = "载入"
        node.save()
    client = client_for("viewer")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registry:as_of"), {"at": timezone.now().isoformat()})
    assert len(response.context["rows"]) >= nodes - 5


def test_a_bare_date_means_the_end_of_that_day():
    from registry.rules.tree.as_of import parse_moment

    moment = timezone.localtime(parse_moment("2026-11-27"))
    assert (moment.date().isoformat(), moment.hour, moment.minute) == ("2026-11-27", 23, 59)
    assert timezone.localtime(parse_moment("2026-11-27T10:30")).hour == 10
    assert parse_moment("昨天") is None and parse_moment("") is None


@pytest.mark.parametrize("page", ["999", "abc", "0"])
def test_lists_page_forgivingly(seeded, client_for, page):
    client = client_for("viewer")
    for name in ("registry:standard_list", "audit:logentry_list", "lifecycle:project_list"):
        response = client.get(reverse(name), {"page": page})
        assert response.status_code == 200, name
        number = response.context["page_obj"].number
        assert number == (response.context["paginator"].num_pages if page == "999" else 1)


def test_the_node_page_lists_placements_on_it_among_its_latest_changes(seeded, office,
                                                                      client_for):
    from registry.actions import PlaceStandard, RemovePlacement
    from registry.models import Placement

    node = Node.objects.get(code="303-04")
    standard = Standard.objects.exclude(placements__node=node).get(number="GB/T 1.1—2020")
    PlaceStandard(office, node, standard, "补充体系构建依据").execute()
    ChangeNode(office, node, "改名", name="网络运维管理").execute()
    page = client_for("viewer").get(reverse("registry:node_detail", args=[node.pk]))
    history = page.content.decode().split('id="node-history-table"')[1].split("</table>")[0]
    assert "GB/T 1.1—2020 @ 303-04" in history and "补充体系构建依据" in history
    assert "改名" in history
    # Newest first: the renaming above the placement.
    assert history.index("改名") < history.index("补充体系构建依据")
    # A placement on the aspect is its category's subtree history, not the category's own.
    RemovePlacement(office, Placement.objects.get(node=node, standard=standard), "移出").execute()
    category = Node.objects.get(code="303")
    other = client_for("viewer").get(reverse("registry:node_detail", args=[category.pk]))
    assert "补充体系构建依据" not in other.content.decode()
