"""Every read endpoint, for every role, answers as its page does (200 where the page
shows, 403 where it refuses), and shows what the page shows."""

import pytest
from django.urls import reverse

from catalog.models import Standard
from registry.models import Node, Placement

ROLES = ("admin", "office", "lead", "expert", "viewer")


def pairs(seeded, project):
    node = Node.objects.get(code="304")
    standard = Standard.objects.filter(placements__isnull=False).first()
    return [
        ("/api/tree/", reverse("registry:tree")),
        ("/api/nodes/", reverse("registry:tree")),
        (f"/api/nodes/{node.pk}/", reverse("registry:node_detail", args=[node.pk])),
        ("/api/placements/", reverse("registry:node_detail", args=[node.pk])),
        ("/api/standards/", reverse("registry:standard_list")),
        (f"/api/standards/{standard.pk}/",
         reverse("registry:standard_detail", args=[standard.pk])),
        ("/api/terms/", reverse("catalog:term_list")),
        ("/api/projects/", reverse("lifecycle:project_list")),
        (f"/api/projects/{project.pk}/",
         reverse("lifecycle:project_detail", args=[project.pk])),
        (f"/api/projects/{project.pk}/comments/",
         reverse("lifecycle:project_detail", args=[project.pk])),
        ("/api/periodic-reviews/", reverse("lifecycle:periodicreview_list")),
        ("/api/checks/", reverse("lifecycle:implementationcheck_list")),
        ("/api/non-conformities/", reverse("lifecycle:nonconformity_list")),
        ("/api/evaluations/", reverse("lifecycle:evaluation_list")),
        (f"/api/history/registry.node/{node.pk}/",
         reverse("audit:record_history", args=["registry.node", node.pk])),
        (f"/api/history/catalog.standard/{standard.pk}/compare/",
         reverse("audit:record_compare", args=["catalog.standard", standard.pk])),
        ("/api/log/", reverse("audit:logentry_list")),
        ("/api/exports/", reverse("registry:exportjob_add")),
        ("/api/numbers/?number=GB/T%201.1-2020", reverse("registry:tree")),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_read_endpoint_answers_as_its_page(role, seeded, project, client_for, api_for):
    page_client, api = client_for(role), api_for(role)
    for api_url, page_url in pairs(seeded, project):
        page = page_client.get(page_url).status_code
        answer = api.get(api_url)
        assert (answer.status_code, page) in ((200, 200), (403, 403)), (api_url, answer.content)
        if answer.status_code == 403:
            assert answer.json()["error"]["code"] == "permission_denied"


def test_exports_are_for_those_who_may_export(seeded, api_for):
    assert api_for("admin").get("/api/exports/").status_code == 200
    for role in ("office", "lead", "expert", "viewer"):
        assert api_for(role).get("/api/exports/").status_code == 403


def test_the_tree_lists_the_gaps_of_a_subsystem(seeded, api_for):
    api = api_for("viewer")
    subsystem = Node.objects.get(code="300")
    rows = api.get("/api/tree/", {"node": subsystem.pk}).json()
    assert rows[0]["code"] == "300" and rows[0]["path"] == ["0", "300"]
    gaps = api.get("/api/tree/", {"node": subsystem.pk, "gaps": "1"}).json()
    assert gaps and all(row["is_gap"] and row["kind"] == "aspect" for row in gaps)
    assert {row["code"] for row in gaps} == {
        row["code"] for row in rows if row["kind"] == "aspect" and row["current"] == 0}
    assert rows[0]["gaps"] == len(gaps)
    aspect = gaps[0]
    assert aspect["path"][:2] == ["0", "300"] and aspect["path"][-1] == aspect["code"]


def test_the_tree_nested_and_as_of(seeded, api_for):
    api = api_for("viewer")
    nested = api.get("/api/tree/", {"layout": "nested"}).json()
    assert len(nested) == 1 and nested[0]["code"] == "0"
    assert [c["code"] for c in nested[0]["children"]] == ["100", "200", "300"]
    flat_now = api.get("/api/tree/").json()
    as_of = api.get("/api/tree/", {"as_of": "2999-01-01"}).json()
    assert [r["code"] for r in as_of] == [r["code"] for r in flat_now]
    before = api.get("/api/tree/", {"as_of": "2000-01-01"}).json()
    assert before == []
    bad = api.get("/api/tree/", {"as_of": "yesterday"})
    assert bad.status_code == 400 and "as_of" in bad.json()["error"]["fields"]


def test_a_standard_shows_status_supersession_both_ways_references_and_placements(
        seeded, api_for):
    from catalog.actions.standards import SaveStandard
    from catalog.models import Supersession
    from tests.factories import UserFactory

    editor = UserFactory(username="editor", role="office")
    # GB/T 1.1—2020 replaces GB/T 1.1—2009, as its foreword says.
    old = SaveStandard(editor, Standard(number="GB/T 1.1-2009",
                                        title="标准化工作导则 第1部分：标准的结构和编写")).execute()
    current = Standard.objects.get(number="GB/T 1.1—2020")
    SaveStandard(editor, current, "补录代替关系", replaces=[old]).execute()
    api = api_for("viewer")
    link = Supersession.objects.select_related("new", "old").get()
    new = api.get(f"/api/standards/{link.new_id}/").json()
    old = api.get(f"/api/standards/{link.old_id}/").json()
    assert link.old.number in [s["number"] for s in new["replaces"]]
    assert link.new.number in [s["number"] for s in old["replaced_by"]]
    assert old["status"] == "superseded" and new["status"] == "current"
    assert {"cites", "cited_by", "adopted_number", "adoption_degree", "placed_on"} <= set(new)
    placed = Placement.objects.select_related("standard", "node").first()
    detail = api.get(f"/api/standards/{placed.standard_id}/")
    assert detail["ETag"]
    assert placed.node.code in [n["code"] for n in detail.json()["placed_on"]]


def test_standards_take_the_page_s_filters_and_ordering(seeded, api_for):
    api = api_for("viewer")
    found = api.get("/api/standards/", {"q": "GB/T1.1-2020"}).json()
    assert [s["number"] for s in found["results"]] == ["GB/T 1.1—2020"]
    national = api.get("/api/standards/", {"level": "national", "page_size": 500}).json()
    assert national["count"] and all(s["level"] == "national" for s in national["results"])
    by_title = api.get("/api/standards/", {"ordering": "-title"}).json()["results"]
    assert [s["title"] for s in by_title] == sorted((s["title"] for s in by_title),
                                                    reverse=True)
    bad = api.get("/api/standards/", {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_history_versions_compare_and_the_log_filters(seeded, api_for):
    from catalog.actions.standards import SaveStandard
    from tests.factories import UserFactory

    standard = Standard.objects.get(number="GB/T 1.1—2020")
    standard.title_en = "Directives for standardization — Part 1"
    SaveStandard(UserFactory(username="editor", role="office"), standard,
                 "英文标题补充").execute()
    api = api_for("viewer")
    versions = api.get(f"/api/history/catalog.standard/{standard.pk}/").json()
    assert versions[0]["reason"] == "英文标题补充" and versions[0]["user"] == "editor"
    assert any(c["new"] == standard.title_en for c in versions[0]["changes"])
    older, newer = versions[-1]["id"], versions[0]["id"]
    diff = api.get(f"/api/history/catalog.standard/{standard.pk}/compare/",
                   {"a": newer, "b": older}).json()
    assert diff["older"] == older and diff["newer"] == newer and diff["changes"]
    log = api.get("/api/log/", {"q": "英文标题补充"}).json()
    assert log["count"] == 1 and log["results"][0]["user"] == "editor"
    assert api.get("/api/history/registry.nothing/1/").status_code == 404
    assert api.get("/api/log/", {"since": "not a date"}).status_code == 400


def test_lists_are_paginated(seeded, api_for):
    api = api_for("viewer")
    page = api.get("/api/nodes/", {"page_size": 10, "page": 2}).json()
    assert page["count"] == Node.objects.count() and len(page["results"]) == 10
    assert page["previous"] and page["next"]
    assert api.get("/api/nodes/", {"page": 9999}).status_code == 404


@pytest.mark.parametrize("path, status", [
    ("/api/non-conformities/?ordering=%00", 400),
    ("/api/projects/99999999999999999999/", 404),
])
def test_refusals_before_the_view_keep_the_error_shape(db, api_for, path, status):
    """A NUL in the query or an id beyond the database's integers is refused before the view
    runs; on the API the refusal is JSON in the documented shape, not an HTML page."""
    response = api_for("viewer").get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == status
