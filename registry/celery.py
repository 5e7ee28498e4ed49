"""The Celery application: the one way work leaves a web request (docs/deployment.md).

Tasks live in each app's ``tasks`` module (``registry.tasks``, ``lifecycle.tasks``), found by
``autodiscover_tasks`` from the installed apps, so this module imports no app of its own
and the layers of import-linter hold. Configuration is the ``CELERY_*`` block of the
settings; the daily jobs (deadlines, anchors, the reference watch's sweep) are beat's."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.local")

app = Celery("registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
