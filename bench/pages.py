"""Server time (p50) and query count of every list and object page, at the seeded size and
grown (issue 17).

Run: ``.venv/bin/python bench/pages.py`` (SQLite in memory) or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench`` (a throw-away test
database ``test_registry_bench`` is created and dropped). ``--runs N`` (default 20),
``--only tree,catalog`` to measure some pages, ``--seeded-only``.

Seeded: ``seed_system``, the demo users and records (136 nodes, 21 standards). Grown: the
same system with 1,924 more nodes (2,060 in all), 5,000 standards placed on them and 200
each of projects, corrective actions, information items and evaluations
(``bench/grow.py``): fifteen times the seeded tree, far more than ten times its catalog.
Pages are asked by the department lead (who has tasks) through Django's test client,
after one request to warm the cache; the time is the server's, without network. The query
count is of one warm request.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def pages():
    """(label, url) of every list page and one object page of each kind."""
    from catalog.models import Standard, Term
    from lifecycle.models import (
        Department,
        Evaluation,
        ImplementationCheck,
        InformationItem,
        NonConformity,
        Project,
        WorkRule,
        YearPlan,
    )
    from registry.models import Node

    root = Node.objects.get_root_nodes().first()
    leaf = Node.objects.filter(depth=4).order_by("path").first()
    category = Node.objects.filter(depth=3).order_by("path").first()
    standard = Standard.objects.filter(placements__isnull=False).order_by("pk").first()
    found = [
        ("tree", "/"),
        ("tree search", "/?q=1"),
        ("node (root)", f"/nodes/{root.pk}/"),
        ("node (category)", f"/nodes/{category.pk}/"),
        ("node (leaf)", f"/nodes/{leaf.pk}/"),
        ("catalog", "/standards/"),
        ("standard", f"/standards/{standard.pk}/"),
        ("terms", "/terms/"),
        ("dashboard", "/lifecycle/dashboard/"),
        ("my tasks", "/lifecycle/tasks/"),
        ("projects", "/lifecycle/projects/"),
        ("periodic reviews", "/lifecycle/reviews/"),
        ("checks", "/lifecycle/checks/"),
        ("corrective actions", "/lifecycle/nonconformities/"),
        ("evaluations", "/lifecycle/evaluations/"),
        ("to improve", "/lifecycle/evaluations/improvement/"),
        ("information", "/lifecycle/information/"),
        ("departments", "/lifecycle/organization/"),
        ("people", "/lifecycle/people/"),
        ("training due", "/lifecycle/people/training-due/"),
        ("work rules", "/lifecycle/rules/"),
        ("year plans", "/lifecycle/plans/"),
        ("needs review", "/needs-review/"),
        ("audit log", "/audit/"),
        ("node history", f"/nodes/{root.pk}/history/"),
    ]
    for label, model, url in (
        ("term", Term, "/terms/{}/"), ("project", Project, "/lifecycle/projects/{}/"),
        ("check", ImplementationCheck, "/lifecycle/checks/{}/"),
        ("corrective action", NonConformity, "/lifecycle/nonconformities/{}/"),
        ("evaluation", Evaluation, "/lifecycle/evaluations/{}/"),
        ("information item", InformationItem, "/lifecycle/information/{}/"),
        ("department", Department, "/lifecycle/organization/{}/"),
        ("work rule", WorkRule, "/lifecycle/rules/{}/"),
    ):
        first = model.objects.order_by("pk").first()
        if first is not None:
            found.append((label, url.format(first.pk)))
    plan = YearPlan.objects.order_by("pk").first()
    if plan is not None:
        found.append(("year plan", f"/lifecycle/plans/{plan.year}/"))
    return found


def measure(client, url, runs):
    response = client.get(url)  # warm the cache, the templates and the menu
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated page labels")
    parser.add_argument("--seeded-only", action="store_true")
    args = parser.parse_args()
    only = {label.strip() for label in args.only.split(",") if label.strip()}

    # Not setup_test_environment(): its instrumented template rendering would dominate.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        import grow
        from django.contrib.auth import get_user_model

        from registry.actions.seed import seed_system

        seed_system()
        quiet = io.StringIO()
        call_command("create_demo_users", stdout=quiet)
        call_command("create_demo_records", stdout=quiet)
        users = {user.username: user for user in get_user_model().objects.all()}
        client = Client()
        client.force_login(users["lead"])
        results = {}
        sizes = ["seeded"] if args.seeded_only else ["seeded", "grown"]
        for size in sizes:
            if size == "grown":
                grow.grow_system(users)
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE")
            for label, url in pages():
                if only and label not in only:
                    continue
                results.setdefault(label, {})[size] = (url, *measure(client, url, args.runs))
        from catalog.models import Standard
        from registry.models import Node

        print(f"database: {connection.vendor}; {args.runs} runs each; server time via the test "
              f"client; grown: {Node.objects.count()} nodes, {Standard.objects.count()} "
              "standards")
        header = f"{'page':<20} {'seeded p50 ms':>14} {'queries':>8}"
        if len(sizes) > 1:
            header += f" {'grown p50 ms':>13} {'queries':>8}"
        print(header)
        for label, by_size in results.items():
            line = f"{label:<20}"
            for size in sizes:
                width = 14 if size == "seeded" else 13
                if size in by_size:
                    _url, p50, queries = by_size[size]
                    line += f" {p50:>{width}.1f} {queries:>8}"
                else:  # no such record at this size
                    line += f" {'—':>{width}} {'—':>8}"
            print(line)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
