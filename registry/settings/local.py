"""First-run settings (``make run``): SQLite unless DATABASE_URL is set, a generated secret key
kept in ``var/``, DEBUG on unless DEBUG=0."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)

VAR_DIR.mkdir(parents=True, exist_ok=True)
if not SECRET_KEY:  # noqa: F405
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        os.chmod(key_file, 0o600)
    SECRET_KEY = key_file.read_text().strip()

# Serve static files from the app directories without collectstatic on the first run.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
