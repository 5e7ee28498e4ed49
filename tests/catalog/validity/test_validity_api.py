"""``/api/validity-checks/``: post a text, get the lines (201, kept); list and detail of the
organization's checks only."""

import pytest
from rest_framework.test import APIClient

from audit.tokens import AddApiToken
from catalog.models import ValidityCheck
from organizations.models import Organization
from tests.catalog.validity.test_validity_rules import catalog  # noqa: F401  (fixture)


@pytest.fixture
def api_for(users):
    """``api_for("viewer")`` → an API client sending a token of that role's user."""

    def make(role):
        _token, secret = AddApiToken(users[role], f"{role} sync").execute()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make


TEXT = "依据 GB/T 1.1-2009、GB／T 20000.1－2014 和 DB65/T 3456—2012。"


@pytest.mark.usefixtures("catalog")
def test_a_posted_text_is_checked_and_kept(api_for, users):
    api = api_for("viewer")
    response = api.post("/api/validity-checks/", {"text": TEXT}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert [line["written"] for line in body["lines"]] == [
        "GB/T 1.1-2009", "GB／T 20000.1－2014", "DB65/T 3456—2012"]
    assert body["lines"][0]["status"] == "superseded"
    assert body["lines"][0]["replacement"] == "GB/T 1.1—2020"
    assert body["lines"][2]["not_in_catalog"] is True
    assert body["created_by"] == "viewer" and body["counts"]["total"] == 3
    check = ValidityCheck.objects.get(pk=body["id"])
    assert check.history.count() == 1
    listed = api.get("/api/validity-checks/").json()
    results = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in results] == [check.pk]
    assert api.get(f"/api/validity-checks/{check.pk}/").json()["lines"] == body["lines"]


def test_a_control_character_is_refused(api_for):
    response = api_for("viewer").post("/api/validity-checks/", {"text": "GB/T 1.1\u202e"},
                                      format="json")
    assert response.status_code == 400 and not ValidityCheck.objects.exists()


@pytest.mark.usefixtures("catalog")
def test_another_organization_s_check_is_404(api_for):
    api = api_for("viewer")
    pk = api.post("/api/validity-checks/", {"text": TEXT}, format="json").json()["id"]
    other = Organization.objects.create(code="OTHER", name="另一单位")
    ValidityCheck.objects.filter(pk=pk).update(organization=other)
    assert api.get(f"/api/validity-checks/{pk}/").status_code == 404
    listed = api.get("/api/validity-checks/").json()
    results = listed["results"] if isinstance(listed, dict) else listed
    assert results == []
