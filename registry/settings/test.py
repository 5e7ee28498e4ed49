"""pytest settings: the database comes from DATABASE_URL (PostgreSQL in CI) or SQLite."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:",
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }}
# Tasks run where they are queued (registry.tasks.start); the job tests start a real
# worker against Redis (tests/registry/jobs/test_worker.py). Their Redis keys are derived from the
# database as an installation's are, marked as a test's (a run cleans up its own keys), and
# passed on to the workers the tests start.
CELERY_TASK_ALWAYS_EAGER = True
# The two workers of one pytest-xdist run share the database name they derive from: the
# worker's id keeps their queues apart (a real worker started by one must not take the other's).
TEST_RUN = os.environ.get("PYTEST_XDIST_WORKER", "")
os.environ.setdefault("CELERY_KEY_PREFIX", f"test-{INSTANCE_KEY}{TEST_RUN}:")  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
                                   "global_keyprefix": os.environ["CELERY_KEY_PREFIX"]}
# A fixed key for the tests, in a file as in production; no anchors unless a test asks.
REGISTRY_HISTORY_KEY_FILE = str(Path(tempfile.gettempdir()) / "registry-test-history-key")
Path(REGISTRY_HISTORY_KEY_FILE).write_text("test-history-key-" + "0123456789abcdef" * 3)
REGISTRY_HISTORY_ANCHOR_DIR = ""
# Most tests sign administrators in with force_login, without a second factor; the tests of
# the second factor (tests/security/) turn the requirement on.
REGISTRY_2FA_REQUIRED_FOR_ADMINS = False
# The cache in the test process's memory (tests/conftest.py empties it before each test):
# Redis is not needed for most tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "registry-tests"}}
