"""``/healthz`` for load balancers: can this server reach the database, the broker and the
file storage? Answers 200 or 503 with one word per check — never any data."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from registry.celery import app


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _broker():
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return True


def _storage():
    default_storage.exists("healthz")  # reachable (and, for S3, the credentials work)
    return True


CHECKS = {"database": _database, "broker": _broker, "storage": _storage}


@login_not_required
@never_cache
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failing"
        except Exception:  # noqa: BLE001 — any failure is "failing"; the log has the details
            logging.getLogger(__name__).exception("Health check %s failed", name)
            results[name] = "failing"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "failing", **results},
                        status=200 if healthy else 503)
