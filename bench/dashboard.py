"""Server time and query count of the leaders' dashboard and its PDF, on the seeded system
and with 5,000 standards placed on it.

Run: ``.venv/bin/python bench/dashboard.py`` (SQLite in memory) or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry`` (a throw-away test database
``test_registry`` is created and dropped). Prints one line per size and page.

The 5,000 standards, and the projects, corrective actions, information items and
evaluations beside them, are bulk-inserted without history rows: history is not what
this bench measures.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

PAGE_RUNS, PDF_RUNS = 20, 5
STANDARDS = 5000


def measure(client, url, runs):
    # The PDF is a job (queued by a POST): run eagerly here, so its time is the layout's.
    fetch = client.post if url.endswith("/pdf/") else client.get
    fetch(url)  # warm caches, template loading and WeasyPrint's import
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = fetch(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), response.status_code
    with CaptureQueriesContext(connection) as queries:
        fetch(url)
    return statistics.median(timings), max(timings), len(queries)


def grow(users, department, root):
    """5,000 current standards on the seeded tree (nine in ten on aspects, the rest on
    categories) and 200 each of projects, corrective actions, information items and
    evaluations."""
    from decimal import Decimal

    from catalog.models import Standard
    from catalog.rules.numbers import parse_standard_number
    from lifecycle.choices import CheckResult, InformationCategory, InformationStatus
    from lifecycle.models import (
        Evaluation,
        EvaluationTemplate,
        ImplementationCheck,
        InformationItem,
        NonConformity,
        Project,
    )
    from lifecycle.rules.dashboard import OPEN_STAGES
    from registry.models import Node, Placement

    today = timezone.localdate()
    standards = []
    for i in range(STANDARDS):
        number = parse_standard_number(f"Q/BENCH {i + 1}-2021")
        standards.append(Standard(
            number=number.canonical, code=number.code, serial=number.serial,
            year=number.year, level=number.level, title=f"基准标准 {i}",
            implemented_on=today - timedelta(days=(i * 7) % 2500)))
    Standard.objects.bulk_create(standards, batch_size=500)
    standards = list(Standard.objects.filter(code="Q/BENCH").order_by("pk"))
    aspects = list(Node.objects.filter(path__startswith=root.path, depth__gte=4))
    categories = list(Node.objects.filter(path__startswith=root.path, depth=3))
    Placement.objects.bulk_create([
        Placement(node=categories[i % len(categories)] if i % 10 == 9
                  else aspects[i % len(aspects)], standard=standard)
        for i, standard in enumerate(standards)], batch_size=500)

    office, lead = users["office"], users["lead"]
    node = aspects[0]
    Project.objects.bulk_create([
        Project(title=f"项目 {i}", node=node, department=department, leader=office,
                planned_start=today - timedelta(days=400),
                planned_end=today + timedelta(days=i % 60 - 20), created_by=office,
                stage=OPEN_STAGES[i % len(OPEN_STAGES)])
        for i in range(200)])
    check = ImplementationCheck.objects.create(
        standard=standards[0], location="政务服务大厅", checked_on=today, inspector=office,
        findings="抽查", result=CheckResult.NONCONFORMING, created_by=office)
    NonConformity.objects.bulk_create([
        NonConformity(check_record=check, description=f"不符合 {i}", action="整改",
                      owner=lead, due_on=today + timedelta(days=i % 30 - 10))
        for i in range(200)])
    InformationItem.objects.bulk_create([
        InformationItem(title=f"信息 {i}", category=InformationCategory.POLICY, source="人社部",
                        published_on=today, created_by=office,
                        status=InformationStatus.NEEDS_ACTION if i % 3 == 0
                        else InformationStatus.NEW)
        for i in range(200)])
    template = EvaluationTemplate.objects.create(name="默认模板", is_default=True)
    Evaluation.objects.bulk_create([
        Evaluation(standard=standard, template=template, evaluated_on=today,
                   evaluated_by=users["admin"], total=Decimal(55 + i % 45), conclusion="结论")
        for i, standard in enumerate(standards[:200])])


def main():
    # Not setup_test_environment(): its instrumented template rendering would dominate.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from catalog.models import Standard
        from lifecycle.models import Department
        from registry.actions.seed import seed_system
        from registry.models import Node
        from tests.factories import UserFactory

        seed_system()
        root = Node.objects.get_root_nodes().get()
        users = {role: UserFactory(username=f"bench-{role}", role=role)
                 for role in ("admin", "office", "lead")}
        department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
        client = Client()
        client.force_login(users["lead"])
        print(f"database: {connection.vendor}; page {PAGE_RUNS} runs, PDF {PDF_RUNS} runs; "
              "server time via test client")
        print(f"{'standards':>9} {'page':<10} {'p50 ms':>8} {'max ms':>8} {'queries':>8}")
        for grown in (False, True):
            if grown:
                grow(users, department, root)
            size = Standard.objects.count()
            for page, url, runs in (("dashboard", "/lifecycle/dashboard/", PAGE_RUNS),
                                    ("PDF", "/lifecycle/dashboard/pdf/", PDF_RUNS)):
                p50, worst, queries = measure(client, url, runs)
                print(f"{size:>9} {page:<10} {p50:>8.1f} {worst:>8.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
