"""The prefecture's comparison of its organizations (clause 6.2.4)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import Standard
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


def test_the_comparison_reads_the_same_number_of_queries_for_more_organizations(
        counties, prefecture):
    with CaptureQueriesContext(connection) as two:
        compare(prefecture)
    county = Organization.objects.create(name="吉木萨尔县社会保险中心", code="652327",
                                         parent=prefecture)
    seed_system(organization=county)
    with CaptureQueriesContext(connection) as three:
        result = compare(prefecture)
    assert len(result.organizations) == 4
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
    report = bearer(people["office-652301"]).get("/api/tailoring/").json()
    assert report["organization"]["code"] == "652301"
    assert report["counts"]["removed"] == 1 and report["deviations"][0]["why"] == "merged"
    # A county sees only itself in the comparison; the prefecture's admin sees all three.
    county_view = bearer(people["office-652302"]).get("/api/comparison/").json()
    assert [o["code"] for o in county_view["organizations"]] == ["652302"]
    admin_view = bearer(people["prefecture-admin"]).get("/api/comparison/").json()
    assert [o["code"] for o in admin_view["organizations"]] == ["652300", "652301", "652302"]
    row = next(r for r in admin_view["aspects"] if r["code"] == "304-09")
    assert row["standards"]["652301"] is None and row["standards"]["652302"] == []
