"""First-run settings (``make run``): SQLite unless DATABASE_URL is set, a generated secret key
and history key kept in ``var/``, DEBUG on unless DEBUG=0."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)

VAR_DIR.mkdir(parents=True, exist_ok=True)


def generated(name, make):
    """A file in ``var/`` made once on the first run, readable by its owner only."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())
        os.chmod(path, 0o600)
    return path


if not SECRET_KEY:  # noqa: F405
    SECRET_KEY = generated("secret_key", lambda: secrets.token_urlsafe(50)).read_text().strip()
if not REGISTRY_HISTORY_KEY_FILE:  # noqa: F405
    REGISTRY_HISTORY_KEY_FILE = str(generated("history_key", lambda: secrets.token_hex(32)))

# Serve static files from the app directories without collectstatic on the first run.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
