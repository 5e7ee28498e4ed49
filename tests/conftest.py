import pytest

from registry.models import Node
from registry.seed import seed_system
from tests.factories import UserFactory

ROLES = ("admin", "office", "lead", "expert", "viewer")


@pytest.fixture
def seeded(db):
    """The Appendix A system and the seed catalog, as `seed_system` loads them."""
    seed_system()
    return Node.objects.get_root_nodes().get()


@pytest.fixture
def users(db):
    return {role: UserFactory(username=role, role=role) for role in ROLES}


@pytest.fixture
def office(users):
    return users["office"]


@pytest.fixture
def client_for(client, users):
    """``client_for("viewer")`` → a test client logged in with that role."""

    def login(role):
        client.force_login(users[role])
        return client

    return login
