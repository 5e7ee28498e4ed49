"""The drafts API: a project's frozen drafts with their digests and their files' digests,
one draft as frozen (cover and numbered structure), two versions compared; each answer as
the schema says. An unknown version is a 400 naming the parameter; another project's
draft, or another organization's project, a 404."""

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator

from organizations.models import Organization
from tests.drafts import frozen
from tests.drafts.frozen import generated
from tests.factories import UserFactory, default_organization, give_role
from tests.organizations.test_lifecycle_scope import bearer
from tests.texts.test_api import conforms
from texts.actions import SaveCover
from texts.rules.proof import file_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def commented(make_project, users):
    return frozen.commented(make_project, users)


@pytest.fixture
def api(users):
    return bearer(users["viewer"])


@pytest.fixture
def schema():
    return schemathesis.openapi.from_dict(
        SchemaGenerator().get_schema(request=None, public=True))


def test_the_drafts_are_listed_with_their_files(commented, users, api, schema):
    project, draft = commented
    url = f"/api/projects/{project.pk}/drafts/"
    [listed] = api.get(url).json()
    assert (listed["id"], listed["stage"], listed["sha256"]) == (draft.pk, "comment",
                                                                draft.sha256)
    assert listed["frozen_by"] == "office" and listed["files"] == []
    content = generated(draft, "docx", users["office"])
    response = api.get(url)
    conforms(schema, "/api/projects/{id}/drafts/", "GET", response)
    [kept] = response.json()[0]["files"]
    assert (kept["format"], kept["sha256"], kept["size"]) == (
        "docx", file_digest(content), len(content))


def test_a_draft_reads_as_frozen(commented, users, api, schema):
    project, draft = commented
    # A change after the freeze is not in the draft.
    SaveCover(users["office"], project.text, {"title": "社会保险报表报送管理规范"}).execute()
    response = api.get(f"/api/projects/{project.pk}/drafts/{draft.pk}/")
    conforms(schema, "/api/projects/{id}/drafts/{draft_id}/", "GET", response)
    data = response.json()
    assert (data["title"], data["cover_stage"], data["stage"]) == (
        "社会保险报表报送规范", "征求意见稿", "comment")
    assert data["number"] == "Q/CJSB 002—2026" and data["text"] == project.text_id
    assert [(c["number"], c["title"]) for c in data["clauses"]] == [
        ("1", "范围"), ("2", "规范性引用文件"), ("3", "术语和定义")]


def test_two_versions_compared(commented, users, api, schema):
    project, draft = commented
    SaveCover(users["office"], project.text, {"title": "社会保险报表报送管理规范"}).execute()
    url = f"/api/projects/{project.pk}/drafts/compare/"
    response = api.get(url, {"from": "comment", "to": "current"})
    conforms(schema, "/api/projects/{id}/drafts/compare/", "GET", response)
    data = response.json()
    assert (data["old"]["token"], data["new"]["token"]) == (str(draft.pk), "current")
    assert [(c["field"], c["old"], c["new"]) for c in data["cover"]] == [
        ("title", "社会保险报表报送规范", "社会保险报表报送管理规范")]
    assert data["clauses"] == []
    full = api.get(url, {"from": draft.pk, "to": "current", "full": "1"}).json()
    assert [c["new_number"] for c in full["clauses"] if c["kind"] == "clause"] == [
        "1", "2", "3"]


def test_an_unknown_version_is_a_400_naming_it(commented, api):
    project, _draft = commented
    url = f"/api/projects/{project.pk}/drafts/compare/"
    response = api.get(url, {"from": "comment", "to": "approval"})
    assert response.status_code == 400
    assert "approval" in response.json()["error"]["fields"]["to"][0]
    response = api.get(url)
    assert response.status_code == 400 and "from" in response.json()["error"]["fields"]


def test_what_is_not_the_project_s_is_a_404(commented, make_project, users, api):
    project, draft = commented
    other = make_project(title="另一项目")
    assert api.get(f"/api/projects/{other.pk}/drafts/").json() == []
    assert api.get(f"/api/projects/{other.pk}/drafts/{draft.pk}/").status_code == 404
    assert api.get(f"/api/projects/{project.pk}/drafts/{draft.pk + 99}/").status_code == 404
    assert api.get(f"/api/projects/{project.pk + 99}/drafts/").status_code == 404


def test_another_organization_s_project_is_a_404(commented):
    project, draft = commented
    county = Organization.objects.create(name="昌吉市社会保险中心", code="652301",
                                         parent=default_organization())
    outsider = bearer(give_role(UserFactory(username="office652301"), "office",
                                county).user)
    for path in ("drafts/", f"drafts/{draft.pk}/", "drafts/compare/?from=comment&to=current"):
        response = outsider.get(f"/api/projects/{project.pk}/{path}")
        assert response.status_code == 404, path
        assert project.title not in response.content.decode()
