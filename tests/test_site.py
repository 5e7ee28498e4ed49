"""Site-wide behaviour: login, languages, static assets, production settings."""

import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse


def test_wrong_password_gets_a_clear_message(db, users, client):
    response = client.post(reverse("login"), {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's zh-hans message


def test_login_and_logout(db, users, client):
    response = client.post(reverse("login"), {"username": "viewer", "password": "pw"})
    assert response.status_code == 302 and response.url == reverse("registry:tree")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("registry:tree")).status_code == 302


def test_chinese_is_the_default_and_english_can_be_chosen(seeded, client_for):
    client = client_for("viewer")
    page = client.get(reverse("registry:tree")).content.decode()
    assert 'lang="zh-hans"' in page and "标准目录" in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("registry:tree")).content.decode()
    assert 'lang="en"' in page and "Catalog" in page and "gap" in page
    page = client.get(reverse("registry:standard_list"), {"status": "current"}).content.decode()
    assert "Current" in page and "National" in page


def test_language_can_be_switched_before_login(db, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_pages_load_nothing_from_outside(seeded, client_for):
    client = client_for("office")
    for url in ("/", "/standards/", "/terms/", reverse("login")):
        page = client.get(url).content.decode()
        assert 'src="http' not in page and 'href="http' not in page


def test_static_assets_are_served_by_the_application(db, client):
    for path in ("registry/app.css", "vendor/htmx-2.0.11.min.js", "registry/icon.svg"):
        response = client.get(settings.STATIC_URL + path)
        assert response.status_code == 200, path


def test_production_settings_pass_the_deploy_check(tmp_path):
    key = tmp_path / "history.key"
    key.write_text("a" * 64)
    env = {
        "REGISTRY_HISTORY_KEY_FILE": str(key),
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "registry.example.internal",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_a_missing_history_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings.production",
        "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "registry.example.internal",
        "REGISTRY_HISTORY_KEY_FILE": str(tmp_path / "missing.key"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and "audit.E001" in result.stderr, result.stderr


def test_bad_dates_get_a_message_not_an_error(seeded, client_for):
    client = client_for("viewer")
    for url in ("/as-of/?at=2026-02-30", "/as-of/?at=2026-11-29T24:00", "/as-of/?at=0000-01-01",
                "/as-of/compare/?from=2026-13-01", "/audit/?since=0001-01-01",
                "/audit/?until=9999-12-31", "/audit/?until=9999-12-31&export=csv",
                f"/nodes/{seeded.pk}/history/?since=0001-01-01"):
        assert client.get(url).status_code == 200, url


def test_invalid_audit_filters_export_nothing(seeded, client_for):
    response = client_for("viewer").get("/audit/", {"since": "bad", "export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1  # the header only
