"""``manage.py check --deploy`` with the production settings reports nothing, and those
settings ask for strong passwords and keep the security middleware in place."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def production_environment(tmp_path, monkeypatch):
    key = tmp_path / "history_key"
    key.write_text("production-history-key-" + "89abcdef" * 6)
    environment = {
        "DJANGO_SETTINGS_MODULE": "registry.settings.production",
        "SECRET_KEY": "p" + "7Xq!rT2#vW9$zL4&nB6*mK8^hJ3@gF5%dS1" * 2,
        "REGISTRY_HISTORY_KEY_FILE": str(key),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'registry.sqlite3'}",
        "ALLOWED_HOSTS": "registry.example.invalid",
        "REGISTRY_VAR_DIR": str(tmp_path / "var"),
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for name in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return environment


def test_check_deploy_reports_nothing(production_environment):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# Run in a fresh interpreter with the production environment: the settings modules read it
# when first imported.
PRODUCTION_SETTINGS = """
import django

django.setup()

from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError

import registry.settings.production as production

validators = get_password_validators(production.AUTH_PASSWORD_VALIDATORS)
for weak in ("short-pw1", "password1234", "123456789012"):
    try:
        validate_password(weak, password_validators=validators)
    except ValidationError:
        pass
    else:
        raise AssertionError(f"{weak} accepted")
validate_password("Biaozhun-Tixi-2026!", password_validators=validators)
assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
assert production.SESSION_COOKIE_AGE == 9 * 3600
assert production.REGISTRY_2FA_REQUIRED_FOR_ADMINS
middleware = production.MIDDLEWARE
for name in ("csp.middleware.CSPMiddleware", "axes.middleware.AxesMiddleware",
             "django_otp.middleware.OTPMiddleware",
             "registry.middleware.AccountGuardMiddleware"):
    assert name in middleware, name
assert middleware[-1] == "axes.middleware.AxesMiddleware"
assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
directives = production.CONTENT_SECURITY_POLICY["DIRECTIVES"]
assert directives["frame-ancestors"] == ["'none'"]
assert directives["form-action"] == ["'self'"]
assert not any("unsafe" in value for values in directives.values() for value in values)
print("production settings hold")
"""


def test_production_settings(production_environment):
    """Strong passwords (length, common, similar, numeric), secure cookies, a working-day
    session, the second factor for administrators, lockout, CSP without 'unsafe-…'."""
    result = subprocess.run([sys.executable, "-c", PRODUCTION_SETTINGS], cwd=ROOT,
                            env=dict(os.environ), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "production settings hold" in result.stdout
