"""Settings of the servers and the worker that tests/lifecycle/test_cluster.py starts in
their own network namespaces: the test settings, with tasks really queued and mail written
to files (the worker's mail, read back by the test)."""

import os

from registry.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("REGISTRY_CLUSTER_MAIL", "/tmp/registry-cluster-mail")
# Several servers and no shared cache here: nothing is cached, so a change made through one
# server (a sign-out, a role) is seen by the others at once, as with Redis in production.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
