"""The audit trail's pages: a record's versions with readable diffs, two versions compared,
and the global audit log with filters and exports."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import LogEntry
from catalog.models import Standard
from registry.actions import AddNode, ChangeNode, DeleteNode, MoveNode
from registry.models import Node


def history_url(obj):
    return reverse("audit:record_history", args=[obj._meta.label_lower, obj.pk])


def test_record_history_shows_readable_changes(seeded, office, client_for):
    node = Node.objects.get(code="303-04")
    ChangeNode(office, node, "更名以便统一", name="网络运维管理").execute()
    MoveNode(office, node, Node.objects.get(code="304"), "last-child", "归入综合管理").execute()
    page = client_for("viewer").get(history_url(node)).content.decode()
    assert "网络管理" in page and "网络运维管理" in page  # old → new
    assert "更名以便统一" in page and "归入综合管理" in page
    assert "304 其它综合管理" in page  # the parent by name, not by id
    assert "office" in page


def test_compare_any_two_versions(seeded, office, client_for):
    node = Node.objects.get(code="303-04")
    ChangeNode(office, node, "一", name="甲").execute()
    ChangeNode(office, node, "二", name="乙").execute()
    ChangeNode(office, node, "三", description="说明").execute()
    first, *_, last = node.history.order_by("history_date", "history_id")
    url = reverse("audit:record_compare", args=["registry.node", node.pk])
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


def test_audit_log_filters(seeded, office, users, client_for):
    ChangeNode(office, Node.objects.get(code="303-04"), "统一名称", name="网络运维管理").execute()
    client = client_for("viewer")
    url = reverse("audit:logentry_list")
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
    ChangeNode(office, Node.objects.get(code="303-04"), "导出测试", name="网络运维管理").execute()
    client = client_for("viewer")
    url = reverse("audit:logentry_list")
    response = client.get(url, {"q": "网络运维", "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2 and rows[1][-1] == "导出测试"
    response = client.get(url, {"q": "网络运维", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][-1] == "导出测试"


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
    url = reverse("audit:record_history", args=["catalog.standard", old.pk])
    response = client.get(url)
    related = list(response.context["related"])
    assert [entry.reason for entry in related if entry.reason == "新版发布"]
    kinds = {entry.content_type.model for entry in related}
    assert {"supersession", "citation", "placement"} <= kinds  # seeded references and node
    assert new.number in response.content.decode()
    with django_assert_max_num_queries(14):
        client.get(url)


def test_audit_log_exports_never_write_a_formula(seeded, office, client_for):
    """A reason typed as a formula is text in the XLSX and neutralised in the CSV (OWASP)."""
    reason = '=HYPERLINK("http://example.com","点击")'
    ChangeNode(office, Node.objects.get(code="303-04"), reason, name="网络运维管理").execute()
    client = client_for("viewer")
    url = reverse("audit:logentry_list")
    text = b"".join(client.get(url, {"q": "网络运维", "export": "csv"})
                    .streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][-1] == "'" + reason
    sheet = load_workbook(io.BytesIO(client.get(url, {"q": "网络运维", "export": "xlsx"})
                                     .content)).active
    cell = list(sheet.iter_rows(min_row=2))[0][-1]
    assert (cell.value, cell.data_type) == (reason, "s")


def test_node_history_lists_its_placements(seeded, office, client_for):
    from registry.actions import PlaceStandard

    node = Node.objects.get(code="304-09")
    standard = Standard.objects.get(number="GB/T 1.1—2020")
    PlaceStandard(office, node, standard, "报表规范引用导则").execute()
    response = client_for("viewer").get(history_url(node))
    related = list(response.context["related"])
    assert [e for e in related if e.content_type.model == "placement"
            and e.reason == "报表规范引用导则"]
    assert "报表规范引用导则" in response.content.decode()
