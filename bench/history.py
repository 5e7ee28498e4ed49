"""Cost of history: a save with history vs without, the audit log at 100,000 rows, and the
tree as of a past moment at 2,000 nodes.

Run: ``.venv/bin/python bench/history.py [--saves]`` (SQLite in memory) or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry`` (a throw-away test database
is created and dropped).
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

SAVES = 300
LOG_ROWS = 100_000
RUNS = 15


def timed(function, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def page(client, url):
    client.get(url)
    p50 = timed(lambda: client.get(url), RUNS)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return p50, len(queries)


def bench_saves():
    from catalog.models import Standard

    with_history = [Standard.objects.create(number=f"Q/BENCH {i + 1}-2024", title="基准")
                    for i in range(SAVES)]
    without = [Standard.objects.create(number=f"Q/BENCH {i + 1}-2025", title="基准")
               for i in range(SAVES)]

    def save_all(standards, skip):
        for standard in standards:
            standard.title = standard.title + "·"
            if skip:  # simple-history skips when the attribute exists, whatever its value
                standard.skip_history_when_saving = True
            standard.save()

    plain = timed(lambda: save_all(without, True), 3) / SAVES
    tracked = timed(lambda: save_all(with_history, False), 3) / SAVES
    print(f"save without history  {plain:7.2f} ms")
    print(f"save with history     {tracked:7.2f} ms   ratio {tracked / plain:.1f}×")


def bench_audit_log(client):
    from django.contrib.contenttypes.models import ContentType

    from audit.models import LogEntry
    from registry.models import Node

    node_type = ContentType.objects.get_for_model(Node)
    start = timezone.now() - timedelta(days=365)
    actions = ["created", "changed", "moved", "deleted"]
    LogEntry.objects.bulk_create(
        (LogEntry(timestamp=start + timedelta(minutes=5 * i), action=actions[i % 4],
                  content_type=node_type, object_id=i % 2000, object_repr=f"{i % 900} 方面 {i}",
                  reason=f"基准原因 {i}", history_id=i) for i in range(LOG_ROWS)),
        batch_size=5000,
    )
    total = LogEntry.objects.count()
    for label, url in (
        ("audit log", "/audit/"),
        ("audit log, page 500", "/audit/?page=500"),
        ("audit log, action", "/audit/?action=moved"),
        ("audit log, text", "/audit/?q=方面 4242"),
        ("audit log, dates", f"/audit/?since={(start + timedelta(days=100)).date()}"
                             f"&until={(start + timedelta(days=120)).date()}"),
    ):
        p50, queries = page(client, url)
        print(f"{label:<22} {total:>7} rows  p50 {p50:7.1f} ms  {queries} queries")


def bench_as_of(client):
    from audit.actions import Action
    from registry.actions.seed import system_user
    from registry.models import Node
    from tests.factories import build_tree

    class Load(Action):
        """Saves every node of the tree again, so each has a history row as a load leaves."""

        def _execute(self):
            for node in Node.objects.filter(path__startswith=root.path):
                self.save(node)

    root = build_tree("历史基准", 4, 10, 49)
    Load(system_user(), "载入").execute()
    moment = quote(timezone.now().isoformat())
    size = Node.objects.filter(path__startswith=root.path).count()
    p50, queries = page(client, f"/as-of/?at={moment}")
    print(f"as-of tree             {size:>7} nodes p50 {p50:7.1f} ms  {queries} queries")
    p50, queries = page(client, f"/as-of/compare/?from={moment}")
    print(f"as-of compare          {size:>7} nodes p50 {p50:7.1f} ms  {queries} queries")


def main():
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from tests.factories import UserFactory

        client = Client()
        client.force_login(UserFactory(username="bench", role="viewer"))
        print(f"database: {connection.vendor}")
        bench_saves()
        if "--saves" not in sys.argv:  # --saves: only the cost of a save
            bench_audit_log(client)
            bench_as_of(client)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
