"""Two people deciding at once: one wins, the other is told; nothing is published twice."""

import threading

import pytest
from django.db import connection, connections  # noqa: F401  (skipif reads connection)
from django.utils import timezone

from catalog.models import Standard
from lifecycle.actions.projects import AlreadyDecided, TakeTransition
from lifecycle.choices import Stage
from lifecycle.models import Department, Project
from registry.actions.seed import seed_system
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def race(project, attempts):
    """Run each (transition, user, data) in its own thread at the same moment."""
    barrier = threading.Barrier(len(attempts))
    outcomes = []

    def attempt(name, user, data):
        try:
            barrier.wait()
            TakeTransition(user, project, name, "同时决定", expected_stage=project.stage,
                           **data).execute()
            outcomes.append("ok")
        except AlreadyDecided:
            outcomes.append("already decided")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=a) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def setup_project(stage):
    seed_system()
    lead = UserFactory(username="lead", role="lead")
    office = UserFactory(username="office", role="office")
    admin = UserFactory(username="admin", role="admin")
    department = Department.objects.create(name="科室", lead=lead)
    from registry.models import Node

    project = Project.objects.create(
        title="并发", node=Node.objects.get(code="304-09"), department=department,
        leader=office, planned_start=timezone.localdate(),
        planned_end=timezone.localdate(), created_by=office, stage=stage)
    return project, lead, office, admin


def test_approve_and_reject_at_once():
    project, lead, _office, admin = setup_project(Stage.PROPOSAL_DECISION)
    outcomes = race(project, [("approve_proposal", lead, {}),
                              ("reject_proposal", admin, {})])
    assert outcomes == ["already decided", "ok"]
    project.refresh_from_db()
    assert project.events.count() == 1
    assert project.stage in (Stage.DRAFTING, Stage.REJECTED)


def test_no_double_publication():
    project, _lead, office, admin = setup_project(Stage.APPROVED)
    today = timezone.localdate()
    data = {"issued_on": today, "implemented_on": today}
    outcomes = race(project, [("publish", office, {"number": "Q/CJSB 001-2026", **data}),
                              ("publish", admin, {"number": "Q/CJSB 002-2026", **data})])
    assert outcomes == ["already decided", "ok"]
    assert Standard.objects.filter(number__startswith="Q/CJSB").count() == 1
