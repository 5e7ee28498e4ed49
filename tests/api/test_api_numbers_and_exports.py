"""The standard-number endpoint (catalog.rules.numbers) and exports as jobs."""

from registry.models import ExportJob, Node


def test_numbers_are_parsed_and_normalised_one_or_many(api_for):
    api = api_for("viewer")
    one = api.get("/api/numbers/", {"number": "GB/T1.1-2020"}).json()
    assert one == [{"input": "GB/T1.1-2020", "valid": True, "canonical": "GB/T 1.1—2020",
                    "code": "GB/T", "serial": "1.1", "year": 2020, "dated": True,
                    "level": "national", "nature": one[0]["nature"], "region_code": ""}]
    many = api.post("/api/numbers/", {"numbers": [
        "DB6523/T 370-2023", "GB/T 13016", "不是标准号"]}, format="json",
        HTTP_ACCEPT_LANGUAGE="en").json()
    assert [n["valid"] for n in many] == [True, True, False]
    assert many[0]["canonical"] == "DB6523/T 370—2023" and many[0]["level"] == "local"
    assert many[0]["region_code"] == "6523"
    assert many[1]["canonical"] == "GB/T 13016" and many[1]["dated"] is False
    assert many[2]["error"] and "canonical" not in many[2]


def test_numbers_need_at_least_one(api_for):
    response = api_for("viewer").get("/api/numbers/")
    assert response.status_code == 400 and "number" in response.json()["error"]["fields"]


def test_an_export_is_started_polled_and_downloaded(seeded, api_for):
    api = api_for("admin")
    subsystem = Node.objects.get(code="300")
    started = api.post("/api/exports/", {"fmt": "csv", "lang": "en", "node": subsystem.pk},
                       format="json")
    assert started.status_code == 202
    job = started.json()
    assert started["Location"].endswith(f"/api/exports/{job['id']}/")
    polled = api.get(f"/api/exports/{job['id']}/").json()
    assert polled["state"] == "done" and polled["progress"] == 100
    assert polled["subtree"] == "300"
    download = api.get(polled["download"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "301-01" in content and "101-01" not in content
    assert ExportJob.objects.get(pk=job["id"]).created_by.username == "admin"


def test_export_jobs_are_their_requester_s_and_need_the_export_permission(
        seeded, api_for, users):
    admin = api_for("admin")
    job = admin.post("/api/exports/", {"fmt": "json"}, format="json").json()
    from tests.factories import UserFactory

    other_admin = UserFactory(username="admin2", role="admin")
    from rest_framework.test import APIClient

    from audit.tokens import AddApiToken

    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION="Bearer "
                      + AddApiToken(other_admin, "x").execute()[1])
    assert other.get(f"/api/exports/{job['id']}/").status_code == 404
    assert other.get(f"/api/exports/{job['id']}/download/").status_code == 404
    for role in ("office", "lead", "expert", "viewer"):
        assert api_for(role).post("/api/exports/", {"fmt": "csv"},
                                  format="json").status_code == 403


def test_a_bad_export_request_is_refused_with_its_field(seeded, api_for):
    api = api_for("admin")
    response = api.post("/api/exports/", {"fmt": "doc"}, format="json")
    assert response.status_code == 400 and "fmt" in response.json()["error"]["fields"]
    response = api.post("/api/exports/", {"fmt": "csv", "as_of": "2999-01-01"}, format="json")
    assert response.status_code == 400 and "as_of" in response.json()["error"]["fields"]
    response = api.post("/api/exports/", {"fmt": "csv", "node": 999999}, format="json")
    assert response.status_code == 400 and "node" in response.json()["error"]["fields"]
    assert not ExportJob.objects.exists()
