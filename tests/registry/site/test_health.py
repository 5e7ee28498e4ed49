"""/healthz: database, broker and storage, without a login and without any data."""

import json

from django.urls import reverse


def test_healthz_answers_without_login_and_shows_no_data(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok",
                                            "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_fails_when_the_broker_is_unreachable(db, client, monkeypatch):
    from celery import Celery

    from registry.views import health

    # The registry's app, as it would be configured with a broker nobody listens on.
    monkeypatch.setattr(health, "app", Celery("registry", broker="redis://127.0.0.1:1/0",
                                              set_as_current=False))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "failing", "database": "ok",
                                            "broker": "failing", "storage": "ok"}


def test_every_response_and_log_line_carries_the_request_id(db, client):
    import logging

    from registry.request_log import JsonFormatter, RequestIdFilter, request_id

    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="lb-3f2a9c1e77")
    assert response["X-Request-ID"] == "lb-3f2a9c1e77"
    made = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="bad id; DROP")["X-Request-ID"]
    assert len(made) == 32 and made != "bad id; DROP"  # a new one, not the header's text
    record = logging.LogRecord("registry", logging.WARNING, __file__, 1, "导出 %s", ("PDF",),
                               None)
    token = request_id.set("lb-3f2a9c1e77")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert (line["request_id"], line["level"], line["message"]) == (
        "lb-3f2a9c1e77", "WARNING", "导出 PDF")
