"""Personal API tokens: made and revoked on the user's own page, stored hashed, shown
once, refused once expired or revoked; read-only tokens; a rate per token; the schema
and its documentation page served from the application."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import ApiToken, LogEntry
from audit.tokens import AddApiToken


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_is_made_on_the_page_shown_once_and_stored_hashed(client_for):
    client = client_for("viewer")
    response = client.post(reverse("api:tokens"), {"name": "OA 系统", "days": 30})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("reg_") and secret in response.content.decode()
    token = ApiToken.objects.get()
    assert token.name == "OA 系统" and token.user.username == "viewer"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.key_hash, token.prefix}
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    # Shown once: the list page shows its first characters only.
    again = client.get(reverse("api:tokens")).content.decode()
    assert secret not in again and token.prefix in again
    # Its creation is in the audit log.
    assert LogEntry.objects.filter(object_repr__startswith="OA 系统", action="created").exists()


def test_a_token_needs_a_name_and_a_sensible_lifetime(client_for):
    client = client_for("viewer")
    assert client.post(reverse("api:tokens"), {"name": "", "days": 30}).status_code == 400
    assert client.post(reverse("api:tokens"), {"name": "x", "days": 999}).status_code == 400
    assert not ApiToken.objects.exists()


def test_the_token_authenticates_as_its_user_until_revoked(users, client_for):
    token, secret = AddApiToken(users["office"], "报表").execute()
    api = bearer(secret)
    assert api.get("/api/nodes/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    # Another user cannot revoke it.
    other = client_for("viewer")
    assert other.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert api.get("/api/nodes/").status_code == 200
    owner = client_for("office")
    assert owner.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = api.get("/api/nodes/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_an_expired_token_is_refused(users):
    token, secret = AddApiToken(users["viewer"], "old").execute()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(secret).get("/api/nodes/").status_code == 401


def test_an_unknown_or_malformed_token_is_refused(db):
    assert bearer("reg_nope").get("/api/nodes/").status_code == 401
    assert APIClient().get("/api/nodes/", HTTP_AUTHORIZATION="Bearer a b").status_code == 401
    assert APIClient().get("/api/nodes/").status_code == 401


def test_a_deactivated_user_s_token_stops_working(users):
    _token, secret = AddApiToken(users["office"], "x").execute()
    users["office"].is_active = False
    users["office"].save()
    assert bearer(secret).get("/api/nodes/").status_code == 401


def test_a_read_only_token_reads_but_writes_nothing(users, seeded):
    _token, secret = AddApiToken(users["office"], "只读", read_only=True).execute()
    api = bearer(secret)
    assert api.get(f"/api/nodes/{seeded.pk}/").status_code == 200
    response = api.post(f"/api/nodes/{seeded.pk}/children/",
                        {"name": "新子体系", "reason": "测试"}, format="json")
    assert response.status_code == 403
    # Parsing numbers changes nothing: allowed.
    assert api.post("/api/numbers/", {"numbers": ["GB/T 1.1-2020"]},
                    format="json").status_code == 200


def test_requests_are_throttled_per_token(users, monkeypatch):
    from django.core.cache import cache

    from audit.api.throttles import PerTokenThrottle

    cache.clear()
    monkeypatch.setattr(PerTokenThrottle, "rate", "3/min", raising=False)
    first, second = (bearer(AddApiToken(users["viewer"], n).execute()[1])
                     for n in ("a", "b"))
    codes = [first.get("/api/nodes/").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    throttled = first.get("/api/nodes/")
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert second.get("/api/nodes/").status_code == 200  # its own rate
    cache.clear()


def test_the_schema_validates_and_the_docs_load_nothing_from_elsewhere(client_for):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/tree/" in schema["paths"]
    client = client_for("viewer")
    assert client.get("/api/schema/").status_code == 200
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "//cdn" not in page and "unpkg" not in page and "jsdelivr" not in page
    assert "/static/drf_spectacular_sidecar/" in page


def test_the_schema_needs_a_login(db):
    assert APIClient().get("/api/schema/").status_code in (401, 403)


@pytest.mark.parametrize(("language", "text"), [("en", "were not provided"),
                                               ("zh-hans", "身份认证信息未提供")])
def test_errors_come_in_one_shape_in_the_caller_s_language(db, language, text):
    response = APIClient().get("/api/nodes/", HTTP_ACCEPT_LANGUAGE=language)
    error = response.json()["error"]
    assert error == {"status": 401, "code": "not_authenticated", "message": error["message"]}
    assert text in error["message"]


def test_field_errors_name_their_fields(api_for):
    response = api_for("viewer").post("/api/numbers/", {"numbers": "x"}, format="json",
                                      HTTP_ACCEPT_LANGUAGE="en")
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "invalid"
    assert list(error["fields"]) == ["numbers"]
