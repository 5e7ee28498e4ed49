"""Server time and query count of the tree page at 200 and 2,000 nodes.

Run: ``.venv/bin/python bench/tree_page.py`` (SQLite in memory) or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry`` (a throw-away test database
``test_registry`` is created and dropped). Prints one line per size.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = 20


def measure(client, url):
    client.get(url)  # warm caches and template loading
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), max(timings), len(queries)


def main():
    # Not setup_test_environment(): its instrumented template rendering would dominate.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from registry.models import Node
        from tests.factories import StandardFactory, UserFactory, build_tree, place

        user = UserFactory(username="bench", role="viewer")
        client = Client()
        client.force_login(user)
        print(f"database: {connection.vendor}; {RUNS} runs each; server time via test client")
        print(f"{'nodes':>6} {'page':<14} {'p50 ms':>8} {'max ms':>8} {'queries':>8}")
        for label, shape in (("200", (3, 5, 12)), ("2000", (4, 10, 49))):
            root = build_tree(f"bench {label}", *shape)
            aspects = Node.objects.filter(path__startswith=root.path, depth=4)
            for node in aspects[: len(aspects) // 5]:
                place(node, StandardFactory())
            size = Node.objects.filter(path__startswith=root.path).count()
            for page, url in (
                ("tree", f"/?root={root.pk}"),
                ("tree search", f"/?root={root.pk}&q=方面1-1"),
                ("node (root)", f"/nodes/{root.pk}/"),
            ):
                p50, worst, queries = measure(client, url)
                print(f"{size:>6} {page:<14} {p50:>8.1f} {worst:>8.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
