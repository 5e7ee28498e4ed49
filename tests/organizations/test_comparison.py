"""The prefecture's comparison of its organizations (clause 6.2.4)."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalog.models import Standard
from lifecycle.choices import ActionStatus, Stage
from lifecycle.models import Department, ImplementationCheck, NonConformity, Project
from organizations.middleware import SESSION_KEY
from organizations.models import Organization
from organizations.rules import acting_in
from registry.actions import AddNode, DeleteNode, PlaceStandard
from registry.actions.seed import seed_system
from registry.models import Node
from registry.rules.comparison import compare

pytestmark = pytest.mark.django_db


def test_each_county_s_tailoring_and_coverage_side_by_side(counties, prefecture, people,
                                                           client):
    changji, fukang = counties["652301"], counties["652302"]
    with acting_in(changji):
        DeleteNode(people["office-652301"], Node.objects.get(owner=changji, code="304-09"),
                   "不承担", why="other_agency").execute()
    office = people["office-652302"]
    with acting_in(fukang):
        AddNode(office, Node.objects.get(owner=fukang, code="304"), "县级窗口", "新增").execute()
        standard = Standard.objects.get(number="GB/T 1.1—2020")
        PlaceStandard(office, Node.objects.get(owner=fukang, code="304-01"), standard,
                      "收录").execute()

    result = compare(prefecture)
    assert [o.code for o in result.organizations] == ["652300", "652301", "652302"]
    figures = {f.organization.code: f for f in result.figures}
    template_size = Node.objects.filter(owner=prefecture).count() - 1
    assert (figures["652301"].kept, figures["652301"].removed,
            figures["652301"].added) == (template_size - 1, 1, 0)
    assert (figures["652302"].kept, figures["652302"].removed,
            figures["652302"].added) == (template_size, 0, 1)
    assert figures["652302"].aspects == figures["652300"].aspects + 1
    assert figures["652302"].covered == figures["652300"].covered + 1
    assert figures["652301"].aspects == figures["652300"].aspects - 1
    row = next(r for r in result.aspects if r.code == "304-09")
    assert row.cells[changji.pk] is None and row.cells[fukang.pk] == []
    row = next(r for r in result.aspects if r.code == "304-01")
    assert "GB/T 1.1—2020" in row.cells[fukang.pk]

    # The prefecture's lead reads it, and downloads it.
    client.force_login(people["prefecture-lead"])
    session = client.session
    session[SESSION_KEY] = prefecture.pk
    session.save()
    page = client.get(reverse("registry:comparison"))
    assert page.status_code == 200 and "阜康市社会保险中心" in page.content.decode()
    book = load_workbook(io.BytesIO(client.get(reverse("registry:comparison"),
                                               {"format": "xlsx"}).content))
    assert book.sheetnames[0] and book.worksheets[0].max_row == 4


def overdue_work(organization, user):
    """In ``organization``: one project past its planned end and one corrective action past
    its due date, each beside one that does not count (not yet due, published, closed)."""
    today = timezone.localdate()
    past, later = today - timedelta(days=10), today + timedelta(days=30)
    node = Node.objects.get(owner=organization, code="304-01")
    department = Department.objects.create(name="社会保险经办科", lead=user,
                                           organization=organization)

    def project(title, end, stage=Stage.DRAFTING):
        return Project.objects.create(
            title=title, level="organization", node=node, department=department, leader=user,
            stage=stage, planned_start=past - timedelta(days=90), planned_end=end,
            created_by=user, organization=organization)

    project("社会保险报表管理规范", past)
    project("社会保险窗口服务规范", later)
    project("社会保险档案管理规范", past, stage=Stage.PUBLISHED)
    check = ImplementationCheck.objects.create(
        standard=Standard.objects.get(number="GB/T 1.1—2020"), checked_on=past,
        location="政务服务大厅社保窗口", inspector=user, findings="未公示办理时限",
        result="nonconforming", created_by=user, organization=organization)
    for action, due, status in (("公示办理时限", past, ActionStatus.OPEN),
                                ("补充告知单", later, ActionStatus.OPEN),
                                ("更新指南", past, ActionStatus.CLOSED)):
        NonConformity.objects.create(
            check_record=check, description=action, action=action, owner=user, due_on=due,
            status=status, evidence="整改照片" if status == ActionStatus.CLOSED else "",
            closed_on=today if status == ActionStatus.CLOSED else None)


def test_overdue_projects_and_corrective_actions_in_the_county_s_row_only(
        counties, prefecture, people, client):
    changji = counties["652301"]
    overdue_work(changji, people["office-652301"])
    result = compare(prefecture)
    assert [c.key for c in result.columns] == ["overdue_projects",
                                               "overdue_corrective_actions"]
    assert {f.organization.code: f.extra for f in result.figures} == {
        "652300": [0, 0], "652301": [1, 1], "652302": [0, 0]}

    client.force_login(people["prefecture-lead"])
    session = client.session
    session[SESSION_KEY] = prefecture.pk
    session.save()
    html = client.get(reverse("registry:comparison")).content.decode()
    row = html.split('data-code="652301"')[1].split("</tr>")[0]
    assert '<td data-column="overdue_projects">1</td>' in row
    assert '<td data-column="overdue_corrective_actions">1</td>' in row
    other = html.split('data-code="652302"')[1].split("</tr>")[0]
    assert '<td data-column="overdue_projects">0</td>' in other
    sheet = load_workbook(io.BytesIO(client.get(
        reverse("registry:comparison"), {"format": "xlsx"}).content)).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[-2:] == tuple(str(column.label) for column in result.columns)
    rows = {row[1]: row for row in rows}
    assert rows["652301"][-2:] == (1, 1) and rows["652302"][-2:] == (0, 0)


def test_the_comparison_reads_the_same_number_of_queries_for_more_organizations(
        counties, prefecture, people):
    overdue_work(counties["652301"], people["office-652301"])
    with CaptureQueriesContext(connection) as two:
        compare(prefecture)
    county = Organization.objects.create(name="吉木萨尔县社会保险中心", code="652327",
                                         parent=prefecture)
    seed_system(organization=county)
    overdue_work(county, people["office-652301"])
    with CaptureQueriesContext(connection) as three:
        result = compare(prefecture)
    assert len(result.organizations) == 4
    assert {f.organization.code: f.extra for f in result.figures}["652327"] == [1, 1]
    assert len(three.captured_queries) == len(two.captured_queries)


def test_the_api_gives_the_tailoring_report_and_the_comparison(counties, people, prefecture):
    from rest_framework.test import APIClient

    from audit.tokens import AddApiToken

    def bearer(user):
        _token, secret = AddApiToken(user, "同步").execute()
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return api

    changji = counties["652301"]
    with acting_in(changji):
        DeleteNode(people["office-652301"], Node.objects.get(owner=changji, code="304-09"),
                   "不承担", why="merged").execute()
    overdue_work(changji, people["office-652301"])
    report = bearer(people["office-652301"]).get("/api/tailoring/").json()
    assert report["organization"]["code"] == "652301"
    assert report["counts"]["removed"] == 1 and report["deviations"][0]["why"] == "merged"
    # A county sees only itself in the comparison; the prefecture's admin sees all three.
    county_view = bearer(people["office-652302"]).get("/api/comparison/").json()
    assert [o["code"] for o in county_view["organizations"]] == ["652302"]
    admin_view = bearer(people["prefecture-admin"]).get("/api/comparison/").json()
    assert [o["code"] for o in admin_view["organizations"]] == ["652300", "652301", "652302"]
    assert [(o["overdue_projects"], o["overdue_corrective_actions"])
            for o in admin_view["organizations"]] == [(0, 0), (1, 1), (0, 0)]
    row = next(r for r in admin_view["aspects"] if r["code"] == "304-09")
    assert row["standards"]["652301"] is None and row["standards"]["652302"] == []


def test_the_parent_s_dashboard_shows_its_organizations_side_by_side(counties, prefecture,
                                                                     people, client):
    changji = counties["652301"]
    with acting_in(changji):
        PlaceStandard(people["office-652301"], Node.objects.get(owner=changji, code="208-01"),
                      Standard.objects.get(number="GB/T 32621"), "收录").execute()
    client.force_login(people["prefecture-lead"])
    page = client.get(reverse("lifecycle:dashboard"))
    assert page.status_code == 200
    rows = {f.organization.code: f for f in page.context["beneath"].figures}
    assert set(rows) == {"652300", "652301", "652302"}
    assert rows["652301"].covered == 1 and rows["652302"].covered == 0
    html = page.content.decode()
    assert 'id="beneath-table"' in html and reverse("registry:comparison") in html
    # A county has nothing beneath it: no such section on its dashboard.
    client.force_login(people["office-652301"])
    page = client.get(reverse("lifecycle:dashboard"))
    assert page.status_code == 200 and "beneath" not in page.context
