
# Load the Celery app with Django so ``@shared_task`` binds to it (registry/celery.py).
from .celery import app as celery_app  # noqa: E402

__all__ = ("celery_app",)
