"""The texts API on DB 6523/T 370—2023 as published: the texts one may read, a text's cover
and structure with every number computed (the answer as the schema says), its checks
against the catalog, its Word and PDF files queued as jobs; another organization's text is
a 404."""

import datetime

import pytest
import requests
import schemathesis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from schemathesis.core.transport import Response as SchemaResponse

from audit.tokens import AddApiToken
from catalog.actions.standards import SaveStandard
from catalog.models import Standard
from lifecycle.actions.texts import LinkText
from lifecycle.models import Project
from organizations.models import Organization
from registry.models import Job
from tests.factories import default_organization
from tests.texts.conftest import fixture_lines, png
from texts.actions import AddText
from texts.models import Text
from texts.rules.docx_import import read_docx
from texts.rules.structure import Clause, Figure, Paragraph, Table, reference_mark

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_for(users):
    def make(role):
        _token, secret = AddApiToken(users[role], f"{role} sync").execute()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client
    return make


@pytest.fixture
def text(seeded, office, make_docx):
    """DB 6523/T 370—2023 as published, with a clause 9 holding a table, a figure and a
    paragraph pointing at both."""
    document, _report = read_docx(make_docx(fixture_lines("db6523_t_370_2023.txt")))
    table = Table("社会保险服务标准明细表", [["序号", "标准编号"], ["1", "GB/T 1.1—2020"]],
                  key="tbl")
    figure = Figure("社会保险服务标准体系结构图", image=png(), image_name="体系结构图.png",
                    key="fig")
    document.clauses.append(Clause("标准体系结构", [
        Paragraph(f"标准体系结构见{reference_mark('fig')}，明细见{reference_mark('tbl')}。"),
        table, figure]))
    return AddText(office, default_organization(), document=document).execute()


@pytest.fixture
def schema():
    return schemathesis.openapi.from_dict(
        SchemaGenerator().get_schema(request=None, public=True))


def conforms(schema, path, method, response):
    """Raise unless ``response`` (a test client's) is what the schema says ``path``
    answers."""
    answer = SchemaResponse(
        status_code=response.status_code,
        headers={name.lower(): [value] for name, value in response.items()},
        content=response.content,
        request=requests.Request(method, f"http://testserver{path}").prepare(),
        elapsed=0.0, message="", encoding="utf-8", http_version="1.1", verify=False)
    schema[path][method].validate_response(answer)


def other_county(office):
    return Organization.objects.create(name="阜康市社会保险中心", code="652302",
                                       parent=default_organization())


def test_a_text_reads_with_its_structure_and_numbers(text, api_for, schema):
    response = api_for("viewer").get(f"/api/texts/{text.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert (data["number"], data["title"], data["issued_on"]) == (
        "DB6523/T 370—2023", "社会保险服务标准化工作指南", "2023-02-16")
    assert [c["number"] for c in data["clauses"]] == [str(n) for n in range(1, 10)]
    assert data["clauses"][2]["title"] == "术语和定义"
    terms = [e for e in data["clauses"][2]["elements"] if e["type"] == "TermEntry"]
    assert [t["label"] for t in terms[:2]] == ["3.1", "3.2"]
    assert terms[0]["preferred"] == "标准化文件"
    sub = data["clauses"][5]["subclauses"][0]
    assert sub["number"] == "6.1"
    last = data["clauses"][8]["elements"]
    assert [e["label"] for e in last] == ["", "表1", "图1"]
    # The figure is a link to its image, not its bytes.
    assert last[2]["image"].endswith(f"/texts/{text.pk}/parts/"
                                     f"{text.parts.get(key='fig').pk}/image/")
    assert len(response.content) < 100_000
    assert data["references"]["tbl"] == "表1" and data["references"]["fig"] == "图1"
    assert "⟦ref:fig⟧" in last[0]["text"]
    conforms(schema, "/api/texts/{id}/", "GET", response)


def test_the_figure_link_answers_the_image(text, client_for):
    # The link is the site's page: a signed-in browser reads it.
    client = client_for("viewer")
    url = f"/texts/{text.pk}/parts/{text.parts.get(key='fig').pk}/image/"
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"


def test_the_list_holds_what_the_organization_may_read(text, office, api_for, schema):
    county = other_county(office)
    theirs = Text.objects.create(organization=county, created_by=office,
                                 title="阜康市社会保险经办规程")
    published = Text.objects.create(organization=county, created_by=office,
                                    standard=Standard.objects.get(number="GB/T 1.1—2020"),
                                    number="GB/T 1.1—2020", title="标准化工作导则")
    response = api_for("viewer").get("/api/texts/")
    assert response.status_code == 200
    listed = {row["id"]: row for row in response.json()["results"]}
    # Its own text, and a published standard's (common); not the other county's draft.
    assert set(listed) == {text.pk, published.pk}
    assert theirs.pk not in listed
    assert listed[published.pk]["standard"] == "GB/T 1.1—2020"
    assert listed[text.pk]["organization"] == default_organization().code
    found = api_for("viewer").get("/api/texts/", {"q": "社会保险服务"}).json()["results"]
    assert [row["id"] for row in found] == [text.pk]
    conforms(schema, "/api/texts/", "GET", response)


def test_another_organization_s_text_is_not_found(seeded, office, api_for):
    county = other_county(office)
    theirs = Text.objects.create(organization=county, created_by=office,
                                 title="阜康市社会保险经办规程")
    api = api_for("office")
    for url in (f"/api/texts/{theirs.pk}/", f"/api/texts/{theirs.pk}/checks/"):
        assert api.get(url).status_code == 404
    jobs = Job.objects.count()
    answer = api.post(f"/api/texts/{theirs.pk}/exports/", {"format": "pdf"}, format="json")
    assert answer.status_code == 404
    assert Job.objects.count() == jobs


def test_the_checks_read_the_catalog(text, office, api_for, schema):
    # GB/T 1.1—2020 replaces GB/T 1.1—2009, as its foreword says: clause 2's undated
    # GB/T 1.1 has two editions.
    old = SaveStandard(office, Standard(number="GB/T 1.1-2009",
                                        title="标准化工作导则 第1部分：标准的结构和编写",
                                        implemented_on=datetime.date(2010, 1, 1))).execute()
    SaveStandard(office, Standard.objects.get(number="GB/T 1.1—2020"), "补录代替关系",
                 replaces=[old]).execute()
    response = api_for("viewer").get(f"/api/texts/{text.pk}/checks/")
    assert response.status_code == 200
    findings = response.json()
    assert ("undated_several_editions", "2") in [(f["kind"], f["place"]) for f in findings]
    undated = next(f for f in findings if f["kind"] == "undated_several_editions")
    assert "GB/T 1.1—2009" in undated["message"] and "GB/T 1.1—2020" in undated["message"]
    assert ("reference_not_listed", "6.3.1.1") in [(f["kind"], f["place"]) for f in findings]
    conforms(schema, "/api/texts/{id}/checks/", "GET", response)


@pytest.mark.parametrize("role", ["admin", "office", "viewer"])
def test_an_export_is_queued_and_answered_with_its_job(text, api_for, schema, role):
    """Whoever may read the text polls its job and downloads the file, not only the
    administrators who export the system table."""
    api = api_for(role)
    for fmt, magic in (("docx", b"PK\x03\x04"), ("pdf", b"%PDF")):
        response = api.post(f"/api/texts/{text.pk}/exports/", {"format": fmt},
                            format="json")
        assert response.status_code == 202
        answer = response.json()
        job = Job.objects.get(pk=answer["id"])
        assert (job.document, job.params, job.fmt) == (f"texts.{fmt}", {"text": text.pk}, fmt)
        assert response["Location"] == answer["url"]
        assert answer["url"].endswith(f"/api/exports/{job.pk}/")
        conforms(schema, "/api/texts/{id}/exports/", "POST", response)
        # The tests run jobs at once: it is done, and its file is there to download.
        polled = api.get(answer["url"]).json()
        assert polled["state"] == "done"
        download = api.get(polled["download"])
        assert b"".join(download.streaming_content).startswith(magic)
        assert f".{fmt}" in download["Content-Disposition"]


def test_an_export_needs_a_format(text, api_for):
    api = api_for("viewer")
    answer = api.post(f"/api/texts/{text.pk}/exports/", {"format": "odt"}, format="json")
    assert answer.status_code == 400 and "format" in answer.json()["error"]["fields"]
    assert api.post(f"/api/texts/{text.pk}/exports/", {}, format="json").status_code == 400


def test_a_project_names_its_text(text, users, api_for):
    from lifecycle.models import Department
    from registry.models import Node

    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    project = Project.objects.create(
        title="社会保险服务标准化工作指南", level="local", node=Node.objects.get(code="304-09"),
        department=department, leader=users["office"],
        planned_start=datetime.date.today(),
        planned_end=datetime.date.today() + datetime.timedelta(days=180),
        created_by=users["office"])
    api = api_for("viewer")
    assert api.get(f"/api/projects/{project.pk}/").json()["text"] is None
    LinkText(users["office"], project, read_docx_document(text)).execute()
    project.refresh_from_db()
    assert api.get(f"/api/projects/{project.pk}/").json()["text"] == project.text_id
    listed = api.get("/api/projects/").json()["results"]
    assert [row["text"] for row in listed if row["id"] == project.pk] == [project.text_id]


def read_docx_document(text):
    from texts.storage import load

    return load(text).document


def test_the_list_costs_the_same_queries_for_more_texts(text, office, api_for,
                                                        django_assert_num_queries):
    # The texts with their organization and standard in one query, whatever their number.
    api = api_for("viewer")
    api.get("/api/texts/")
    with CaptureQueriesContext(connection) as one:
        assert api.get("/api/texts/").status_code == 200
    for title in ("社会保险经办服务规范", "社会保险档案管理规范"):
        Text.objects.create(organization=default_organization(), created_by=office,
                            title=title)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api.get("/api/texts/").json()["results"]) == 3

