"""The system grown for the page benches and the load test: the seeded system plus a second
system of 2,005 nodes holding 5,000 current standards, and 200 each of projects,
corrective actions, information items and evaluations (``bench/dashboard.py`` ``grow``).

Bulk-inserted, without history rows: history is not what these benches measure.
``grow_system()`` needs the seeded system and the demo users (``seed_system``,
``create_demo_users``, ``create_demo_records``, or the same made by ``bench/pages.py``).
"""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

BIG_NAME = "基准体系"


def big_root():
    from registry.models import Node

    return Node.objects.get_root_nodes().filter(name=BIG_NAME).first()


def grow_system(users, standards=5000, projects=200):
    """``users``: {"admin", "office", "lead"} → User. Returns the big system's root."""
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from catalog.models import Standard
    from catalog.numbers import parse_standard_number
    from lifecycle.choices import CheckResult, InformationCategory, InformationStatus
    from lifecycle.models import (
        Department,
        Evaluation,
        EvaluationTemplate,
        ImplementationCheck,
        InformationItem,
        NonConformity,
        Project,
    )
    from lifecycle.rules.dashboard import OPEN_STAGES
    from registry.models import Node, Placement
    from tests.factories import build_tree

    today = timezone.localdate()
    office, lead = users["office"], users["lead"]
    with transaction.atomic():
        root = build_tree(BIG_NAME, 4, 20, 24)  # 1 + 4 + 80 + 1,920 = 2,005 nodes
        department = Department.objects.filter(lead=lead).first() or \
            Department.objects.create(name="基准科室", lead=lead)
        rows = []
        for i in range(standards):
            number = parse_standard_number(f"Q/BENCH {i + 1}-2021")
            rows.append(Standard(
                number=number.canonical, code=number.code, serial=number.serial,
                year=number.year, level=number.level, title=f"基准标准 {i}",
                implemented_on=today - timedelta(days=(i * 7) % 2500)))
        Standard.objects.bulk_create(rows, batch_size=500)
        rows = list(Standard.objects.filter(code="Q/BENCH").order_by("pk"))
        aspects = list(Node.objects.filter(path__startswith=root.path, depth=4))
        categories = list(Node.objects.filter(path__startswith=root.path, depth=3))
        # Nine in ten on aspects, the rest on categories.
        Placement.objects.bulk_create([
            Placement(node=categories[i % len(categories)] if i % 10 == 9
                      else aspects[i % len(aspects)], standard=standard)
            for i, standard in enumerate(rows)], batch_size=500)
        Project.objects.bulk_create([
            Project(title=f"项目 {i}", node=aspects[i % len(aspects)], department=department,
                    leader=office, planned_start=today - timedelta(days=400),
                    planned_end=today + timedelta(days=i % 60 - 20), created_by=office,
                    stage=OPEN_STAGES[i % len(OPEN_STAGES)])
            for i in range(projects)])
        check = ImplementationCheck.objects.create(
            standard=rows[0], location="政务服务大厅", checked_on=today, inspector=office,
            findings="抽查", result=CheckResult.NONCONFORMING, created_by=office)
        NonConformity.objects.bulk_create([
            NonConformity(check_record=check, description=f"不符合 {i}", action="整改",
                          owner=lead, due_on=today + timedelta(days=i % 30 - 10))
            for i in range(projects)])
        InformationItem.objects.bulk_create([
            InformationItem(title=f"信息 {i}", category=InformationCategory.POLICY,
                            source="人社部", published_on=today, created_by=office,
                            status=InformationStatus.NEEDS_ACTION if i % 3 == 0
                            else InformationStatus.NEW)
            for i in range(projects)])
        template = EvaluationTemplate.objects.filter(is_default=True).first() or \
            EvaluationTemplate.objects.create(name="默认模板", is_default=True)
        Evaluation.objects.bulk_create([
            Evaluation(standard=standard, template=template, evaluated_on=today,
                       evaluated_by=users["admin"], total=Decimal(55 + i % 45),
                       conclusion="结论")
            for i, standard in enumerate(rows[:projects])])
    return root
