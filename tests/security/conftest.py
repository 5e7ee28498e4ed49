from datetime import timedelta

from django.utils import timezone

from lifecycle.models import Comment, Department, Objection, Project, YearPlan
from registry.models import Node
from tests.browser.conftest import browser_seeded, browser_users, driver, site  # noqa: F401
from tests.factories import UserFactory


def make_records(users):
    """Records behind the ids 1–3 of the detail pages: a project with a comment and an
    objection, a department, a yearly plan, a user with no role; the seed provides nodes and
    standards."""
    UserFactory(username="norole")
    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    project = Project.objects.create(
        title="社会保险报表管理规范", level="organization", node=Node.objects.get(code="304-09"),
        department=department, leader=users["office"], planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"])
    Comment.objects.create(project=project, unit="昌吉州社会保险管理局",
                           content="第4.2条的时限应写明工作日。")
    Objection.objects.create(project=project, raised_by="昌吉市社保中心", content="异议")
    YearPlan.objects.create(year=timezone.localdate().year, title="年度标准化工作计划")
    return project
