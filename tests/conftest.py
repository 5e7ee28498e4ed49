import pytest

from audit.chain import verify_all
from registry.models import Node
from tests import snapshot
from tests.factories import UserFactory

ROLES = ("admin", "office", "lead", "expert", "viewer")


def pytest_collection_modifyitems(items):
    """The slow tests (marked ``slow`` or ``browser``) first: xdist hands the first tests out
    in turn, so the workers share them and finish together, instead of one running a long
    test alone at the end."""
    items.sort(key=lambda item: not (item.get_closest_marker("slow")
                                     or item.get_closest_marker("browser")))


@pytest.fixture(scope="session")
def seed_snapshot(django_db_setup, django_db_blocker):
    """What `seed_system` writes, taken once per test database (tests/snapshot.py)."""
    with django_db_blocker.unblock():
        return snapshot.Snapshots()


@pytest.fixture
def seeded(db, seed_snapshot):
    """The Appendix A system and the seed catalog, as `seed_system` loads them."""
    seed_snapshot.restore()
    return Node.objects.get_root_nodes().get()


@pytest.fixture
def users(request, db):
    if "seeded" in request.fixturenames:
        request.getfixturevalue("seeded")  # first, so the seed is copied, not redone
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


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rows rolled back or copied in by the snapshot
    (without signals) must not meet cached permissions or pages of an earlier test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def history_stays_intact(request):
    """After every test that touched the database, every history chain still verifies:
    whatever a user, a form, a service or a command did must not make verify_history
    cry wolf. Tests that tamper with the history on purpose are marked ``tampers``."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = "transactional_db" in names or "live_server" in names or (
        marker is not None and (marker.kwargs.get("transaction") or
                                (marker.args and marker.args[0])))
    uses_db = transactional or marker is not None or "db" in names
    if uses_db:
        # Set the database up from here so it is torn down after this check.
        request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    if uses_db and not request.node.get_closest_marker("tampers"):
        report = verify_all(anchors=[])
        assert report.intact, "\n".join(str(problem) for problem in report.problems)


@pytest.fixture(autouse=True)
def lifecycle_records_default_organization(request):
    """Tests write lifecycle records directly (``Project.objects.create(...)``) without an
    organization: they are given the default one, as the factories give roles there. Only
    here, for tests: the application sets it in its actions and has no default. Tests of
    the scoping itself (marked ``strict_organization``) go without, so an action that
    forgets it fails there."""
    names = set(request.fixturenames)
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        names & {"db", "transactional_db", "live_server", "django_db_setup"})
    if request.node.get_closest_marker("strict_organization") or not uses_db:
        yield
        return
    from django.apps import apps
    from django.db.models.signals import pre_save
    from django.utils.functional import SimpleLazyObject

    from organizations.rules import reset_current, set_current
    from tests.factories import default_organization

    def fill(sender, instance, raw=False, **kwargs):
        if not raw and instance._state.adding and instance.organization_id is None:
            instance.organization = default_organization()

    # Not the history tables: their rows are hashed as written (audit), never filled in.
    scoped = [model for model in apps.get_app_config("lifecycle").get_models()
              if any(f.name == "organization" for f in model._meta.concrete_fields)
              and not hasattr(model, "instance_type")]
    for model in scoped:
        pre_save.connect(fill, sender=model, dispatch_uid=f"test-organization-{model}")
    # Acting in it, too, as a request would (read when first used): rules called directly
    # then cost no lookup of the default organization per query.
    token = set_current(SimpleLazyObject(default_organization))
    yield
    reset_current(token)
    for model in scoped:
        pre_save.disconnect(sender=model, dispatch_uid=f"test-organization-{model}")
