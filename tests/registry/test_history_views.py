"""History as users see it: versions with readable diffs, comparisons, subtree and global
logs with filters and exports, and the system as of a past moment."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import LogEntry
from catalog.models import Standard
from registry.actions import AddNode, DeleteNode, EditNode, MoveNode
from registry.models import Node


def history_url(obj):
    return reverse("registry:record_history", args=[obj._meta.label_lower, obj.pk])


def test_record_history_shows_readable_changes(seeded, office, client_for):
    node = Node.objects.get(code="303-04")
    EditNode(office, node, "更名以便统一", name="网络运维管理").execute()
    MoveNode(office, node, Node.objects.get(code="304"), "last-child", "归入综合管理").execute()
    page = client_for("viewer").get(history_url(node)).content.decode()
    assert "网络管理" in page and "网络运维管理" in page  # old → new
    assert "更名以便统一" in page and "归入综合管理" in page
    assert "304 其它综合管理" in page  # the parent by name, not by id
    assert "office" in page


def test_compare_any_two_versions(seeded, office, client_for):
    node = Node.objects.get(code="303-04")
    EditNode(office, node, "一", name="甲").execute()
    EditNode(office, node, "二", name="乙").execute()
    EditNode(office, node, "三", description="说明").execute()
    first, *_, last = node.history.order_by("history_date", "history_id")
    url = reverse("registry:record_compare", args=["registry.node", node.pk])
    response = client_for("viewer").get(url, {"a": last.pk, "b": first.pk})
    changes = {c.label: (c.old, c.new) for c in response.context["changes"]}
    assert changes["名称"] == ("网络管理", "乙")
    assert changes["说明"] == ("—", "说明")


def test_history_of_a_deleted_record_stays_readable(seeded, office, client_for):
    node = AddNode(office, Node.objects.get(code="303"), "临时", "试验").execute()
    DeleteNode(office, node, "试验结束").execute()
    response = client_for("viewer").get(history_url(node))
    assert response.status_code == 200
    assert "试验结束" in response.content.decode()


def test_history_needs_view_permission_and_a_tracked_model(seeded, client_for, db):
    client = client_for("viewer")
    assert client.get("/history/auth.user/1/").status_code == 404
    assert client.get("/history/registry.node/999999/").status_code == 404


def test_subtree_history_includes_deleted_descendants(seeded, office, client_for):
    category = Node.objects.get(code="303")
    node = AddNode(office, category, "临时", "新增").execute()
    DeleteNode(office, node, "删掉").execute()
    EditNode(office, Node.objects.get(code="304-01"), "别处", name="别处改名").execute()
    response = client_for("viewer").get(reverse("registry:node_changelog", args=[category.pk]))
    reasons = {entry.reason for entry in response.context["object_list"]}
    assert {"新增", "删掉"} <= reasons
    assert "别处" not in reasons


def test_audit_log_filters(seeded, office, users, client_for):
    EditNode(office, Node.objects.get(code="303-04"), "统一名称", name="网络运维管理").execute()
    client = client_for("viewer")
    url = reverse("registry:audit_log")
    assert client.get(url).context["paginator"].count == LogEntry.objects.count()
    by_user = client.get(url, {"user": office.pk}).context["object_list"]
    assert [e.reason for e in by_user] == ["统一名称"]
    assert client.get(url, {"action": "changed"}).context["paginator"].count == 1
    assert client.get(url, {"q": "网络运维"}).context["paginator"].count == 1
    today = timezone.localdate()
    since = client.get(url, {"since": (today + timedelta(days=1)).isoformat()})
    assert since.context["paginator"].count == 0
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Standard).pk
    assert client.get(url, {"kind": kind}).context["paginator"].count == 21


def test_audit_log_exports_csv_and_xlsx(seeded, office, client_for):
    EditNode(office, Node.objects.get(code="303-04"), "导出测试", name="网络运维管理").execute()
    client = client_for("viewer")
    url = reverse("registry:audit_log")
    response = client.get(url, {"q": "网络运维", "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2 and rows[1][-1] == "导出测试"
    response = client.get(url, {"q": "网络运维", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][-1] == "导出测试"


def test_as_of_shows_the_tree_before_a_change(seeded, office, client_for):
    before = timezone.now()
    node = Node.objects.get(code="303-04")
    EditNode(office, node, "改名", name="网络运维管理").execute()
    DeleteNode(office, Node.objects.get(code="303-05"), "裁剪").execute()
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
    EditNode(office, Node.objects.get(code="303-04"), "改名", name="网络运维管理").execute()
    added = AddNode(office, Node.objects.get(code="303"), "新方面", "新增").execute()
    MoveNode(office, added, Node.objects.get(code="304"), "last-child", "移动").execute()
    DeleteNode(office, Node.objects.get(code="303-05"), "裁剪").execute()
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
    from registry.as_of import parse_moment

    moment = timezone.localtime(parse_moment("2026-11-27"))
    assert (moment.date().isoformat(), moment.hour, moment.minute) == ("2026-11-27", 23, 59)
    assert timezone.localtime(parse_moment("2026-11-27T10:30")).hour == 10
    assert parse_moment("昨天") is None and parse_moment("") is None


@pytest.mark.parametrize("page", ["999", "abc", "0"])
def test_lists_page_forgivingly(seeded, client_for, page):
    client = client_for("viewer")
    for name in ("registry:standard_list", "registry:audit_log", "lifecycle:project_list"):
        response = client.get(reverse(name), {"page": page})
        assert response.status_code == 200, name
        number = response.context["page_obj"].number
        assert number == (response.context["paginator"].num_pages if page == "999" else 1)


def test_standard_history_lists_changes_to_its_links(seeded, office, client_for,
                                                     django_assert_max_num_queries):
    from datetime import date

    from catalog.models import Supersession

    old = Standard.objects.get(number="GB/T 1.1—2020")
    new = Standard.objects.create(number="GB/T 1.1-2026", title="新版", issued_on=date(2026, 1, 1))
    link = Supersession(new=new, old=old)
    link._history_user, link._change_reason = office, "新版发布"
    link.save()
    client = client_for("viewer")
    url = reverse("registry:record_history", args=["catalog.standard", old.pk])
    response = client.get(url)
    related = list(response.context["related"])
    assert [entry.reason for entry in related if entry.reason == "新版发布"]
    kinds = {entry.content_type.model for entry in related}
    assert {"supersession", "citation", "placement"} <= kinds  # seeded references and node
    assert new.number in response.content.decode()
    with django_assert_max_num_queries(14):
        client.get(url)
