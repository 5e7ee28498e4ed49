import pytest
from rest_framework.test import APIClient

from audit.tokens import AddApiToken


@pytest.fixture
def token_for(users):
    """``token_for("office")`` → the secret of a new token of that role's user."""

    def make(role, **kwargs):
        _token, secret = AddApiToken(users[role], f"{role} sync", **kwargs).execute()
        return secret

    return make


@pytest.fixture
def api_for(token_for):
    """``api_for("viewer")`` → an API client sending a token of that role's user."""

    def make(role, **kwargs):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(role, **kwargs)}")
        return client

    return make


@pytest.fixture
def project(seeded, users):
    """An organization project on aspect 304-09, as the project page opens it."""
    from datetime import timedelta

    from django.utils import timezone

    from lifecycle.models import Department, Project
    from registry.models import Node

    department = Department.objects.create(name="社会保险经办科", lead=users["lead"])
    return Project.objects.create(
        title="社会保险报表管理规范", level="organization", node=Node.objects.get(code="304-09"),
        department=department, leader=users["office"], planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
