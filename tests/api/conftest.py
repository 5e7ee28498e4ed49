import pytest
from rest_framework.test import APIClient

from audit.tokens import CreateApiToken


@pytest.fixture
def token_for(users):
    """``token_for("office")`` → the secret of a new token of that role's user."""

    def make(role, **kwargs):
        _token, secret = CreateApiToken(users[role], f"{role} sync", **kwargs).execute()
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
