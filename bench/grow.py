"""The system grown for the page benches and the load test: the seeded system with 4 more
subsystems of 20 categories of 24 aspects (1,924 nodes: 2,060 in all) holding 5,000
current standards, and 200 each of projects, corrective actions, information items and
evaluations (as ``bench/dashboard.py`` ``grow``). Grown in place, so the tree page, the
dashboard and the exports of the first system all see it.

Bulk-inserted, without history rows: history is not what these benches measure.
``grow_system()`` needs the seeded system and the demo users (``seed_system``,
``create_demo_users``, ``create_demo_records``, or the same made by ``bench/pages.py``).
"""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

SUBSYSTEM_NAME = "基准子体系"


def grown():
    """Whether the first system has been grown already."""
    from registry.models import Node

    return Node.objects.filter(depth=2, name__startswith=SUBSYSTEM_NAME).exists()


def grow_tree(root, subsystems=4, categories=20, aspects=24):
    """Bulk-insert ``subsystems`` more subsystems under ``root`` (as tests/factories.py
    ``build_tree`` does for a new root); returns the new aspects and categories."""
    from registry.models import Node
    from registry.rules.tree.codes import child_code

    nodes, first = [], root.numchild + 1

    def add(path_prefix, depth, index, name, code, numchild):
        path = path_prefix + Node._int2str(index).rjust(Node.steplen, "0")
        nodes.append(Node(path=path, depth=depth, numchild=numchild, name=name, code=code,
                          owner_id=root.owner_id))
        return path

    for s in range(first, first + subsystems):
        s_code = child_code(root.code, 1, s)
        s_path = add(root.path, 2, s, f"{SUBSYSTEM_NAME}{s}", s_code, categories)
        for c in range(1, categories + 1):
            c_code = child_code(s_code, 2, c)
            c_path = add(s_path, 3, c, f"基准类别{s}-{c}", c_code, aspects)
            for a in range(1, aspects + 1):
                add(c_path, 4, a, f"基准方面{s}-{c}-{a}", child_code(c_code, 3, a), 0)
    Node.objects.bulk_create(nodes, batch_size=500)
    Node.objects.filter(pk=root.pk).update(numchild=root.numchild + subsystems)
    root.refresh_from_db()
    return ([node for node in nodes if node.depth == 4],
            [node for node in nodes if node.depth == 3])


def grow_system(users, standards=5000, projects=200):
    """Grow the first system. ``users``: {"admin", "office", "lead"} → User."""
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from catalog.models import Standard
    from catalog.rules.numbers import parse_standard_number
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

    today = timezone.localdate()
    office, lead = users["office"], users["lead"]
    with transaction.atomic():
        root = Node.objects.get_root_nodes().first()
        aspects, categories = grow_tree(root)
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
        aspects = list(Node.objects.filter(path__in=[a.path for a in aspects]))
        categories = list(Node.objects.filter(path__in=[c.path for c in categories]))
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
