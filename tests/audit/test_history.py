"""Every change kept: history on every model, append-only, written with user and reason."""

import threading

import pytest
from django.apps import apps
from django.db import connection, connections, transaction

from audit.chain import verify_all
from audit.chained import ChainedHistory, HistoryAppendOnly, chained_models
from audit.models import LogEntry
from catalog.models import Standard
from registry.actions import AddNode, DeleteNode, MoveNode, ReorderNode
from registry.models import Node

# The audit plumbing itself: the log is derived from history rows; the chain heads are
# the chains' own bookkeeping.
NOT_HISTORISED = {"audit.logentry", "audit.chainhead",
                  # operational job state; the exported file is the evidence
                  "registry.job", "registry.exportjob", "registry.importjob"}
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL behaviour"
)


def test_every_model_has_history():
    for app in ("audit", "catalog", "registry", "lifecycle"):
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            if issubclass(model, ChainedHistory) or label in NOT_HISTORISED:
                continue
            assert hasattr(model, "history"), f"{label} has no history"
            assert issubclass(model.history.model, ChainedHistory), label


def test_history_rows_are_append_only_through_the_orm(seeded):
    record = Node.history.first()
    record.history_change_reason = "tampered"
    with pytest.raises(HistoryAppendOnly):
        record.save()
    with pytest.raises(HistoryAppendOnly):
        record.delete()


@postgres_only
def test_postgres_trigger_rejects_update_and_delete(seeded):
    from django.db import DatabaseError

    table = Node.history.model._meta.db_table
    for sql in (f"UPDATE {table} SET name = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_keep_one_chain():
    """Threads saving standards at the same moment: the chain neither forks nor breaks."""
    barrier = threading.Barrier(4)
    errors = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(15):
                Standard.objects.create(number=f"Q/T{n} {i + 1}-2024", title=f"并发 {n}-{i}")
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Standard.history.count() == 60
    assert verify_all(anchors=[]).intact


def test_moves_record_parent_and_position(seeded, office):
    node = AddNode(office, Node.objects.get(code="303"), "临时", "测试").execute()
    target = Node.objects.get(code="304")
    MoveNode(office, node, target, "first-child", "移到其它综合管理").execute()
    record = Node.history.filter(id=node.pk).latest()
    assert record.parent_node_id == target.pk and record.position == 1
    assert record.history_user == office
    entry = LogEntry.objects.filter(object_id=node.pk).order_by("-id").first()
    assert (entry.action, entry.reason) == ("moved", "移到其它综合管理")


def test_reorder_records_both_swapped_nodes(seeded, office):
    second = Node.objects.get(code="303-02")
    ReorderNode(office, second, "up", "调整顺序").execute()
    first_row = Node.history.filter(code="303-02").latest()
    other_row = Node.history.filter(code="303-01").latest()
    assert (first_row.position, other_row.position) == (1, 2)
    assert LogEntry.objects.filter(action="reordered", reason="调整顺序").count() == 2


def test_every_write_path_leaves_a_history_row_with_user(seeded, office, client_for):
    """UI, actions and commands: no tracked change without a history row and a user."""
    before = {model: model.objects.count() for model in chained_models()}
    client = client_for("office")
    category = Node.objects.get(code="303")
    client.post(f"/nodes/{category.pk}/add/", {"name": "界面添加", "reason": "界面"})
    added = Node.objects.get(name="界面添加")
    client.post(f"/nodes/{added.pk}/edit/", {"name": "界面改名", "code": added.code,
                                              "reason": "改名"})
    client.post(f"/nodes/{added.pk}/delete/", {"reason": "删除"})
    standard = Standard.objects.get(number="GB/T 13016")
    client.post(f"/nodes/{category.pk}/place/", {"standard": standard.pk, "reason": "纳入"})
    client.post("/standards/add/", {"number": "Q/CJSB 9-2026", "title": "界面标准"})
    DeleteNode(office, Node.objects.get(code="303-05"), "裁剪", why="other").execute()
    after = {model: model.objects.count() for model in chained_models()}
    assert sum(after.values()) - sum(before.values()) >= 6
    new_entries = LogEntry.objects.filter(user__isnull=True).exclude(
        user_id__isnull=True
    )
    assert not new_entries.exists()
    for model in chained_models():
        rows = model.objects.order_by("-history_id")[: after[model] - before[model]]
        for row in rows:
            assert row.history_user is not None, model
            assert row.history_change_reason or row.history_type == "+", model


def test_as_of_keeps_sibling_order_after_moves_and_deletes(seeded, office):
    """Nodes shifted by a move or a delete get their new position in the history."""
    from django.utils import timezone

    from registry.rules.tree.as_of import take_snapshot

    category = Node.objects.get(code="303")
    MoveNode(office, Node.objects.get(code="303-01"), Node.objects.get(code="303-02"),
             "right", "调整").execute()
    DeleteNode(office, Node.objects.get(code="303-03"), "裁剪", why="other").execute()
    live = [n.code for n in Node.objects.get_children(category)]
    snapshot = take_snapshot(timezone.now(), seeded.pk)
    rebuilt = sorted((n for n in snapshot.nodes.values()
                      if n._history.parent_node_id == category.pk),
                     key=lambda n: n._history.position)
    assert [n.code for n in rebuilt] == live == ["303-02", "303-01", "303-04", "303-05"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_writers_of_two_tables_in_opposite_orders_do_not_deadlock():
    """One transaction writes a standard then a term, the other a term then a standard:
    the chain heads are always locked in one order, so neither waits for the other."""
    from catalog.models import Term

    barrier = threading.Barrier(2)
    errors = []

    def writer(n, standard_first):
        try:
            for i in range(10):
                with transaction.atomic():
                    steps = [
                        lambda i=i: Standard.objects.create(number=f"Q/DL{n} {i + 1}-2024",
                                                            title=f"死锁 {n}-{i}"),
                        lambda i=i: Term.objects.create(term=f"术语{n}-{i}", definition="定义"),
                    ]
                    if not standard_first:
                        steps.reverse()
                    steps[0]()
                    if i == 0:  # give the other writer time to take its first lock
                        try:
                            barrier.wait(timeout=1)
                        except threading.BrokenBarrierError:
                            pass
                    steps[1]()
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n, n == 0)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert verify_all(anchors=[]).intact
