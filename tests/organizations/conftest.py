import pytest

from organizations.models import Organization
from registry.actions.seed import seed_system
from tests.factories import UserFactory, default_organization, give_role


@pytest.fixture
def prefecture(seeded):
    """The default organization (昌吉州社会保险管理局) with its seeded system."""
    return default_organization()


@pytest.fixture
def counties(prefecture):
    """Two county agencies beneath the prefecture, each with its own system seeded from
    Appendix A (as `seed_system --organization CODE` does)."""
    found = {}
    for code, name, name_en in (("652301", "昌吉市社会保险中心", "Changji City"),
                                ("652302", "阜康市社会保险中心", "Fukang City")):
        organization = Organization.objects.create(name=name, name_en=name_en, code=code,
                                                   parent=prefecture)
        seed_system(organization=organization)
        found[code] = organization
    return found


@pytest.fixture
def people(counties, prefecture):
    """An office member of each county, and the prefecture's administrator and lead (by
    role, not superusers)."""
    made = {}
    for code, organization in counties.items():
        made[f"office-{code}"] = give_role(UserFactory(username=f"office{code}"), "office",
                                           organization).user
    made["prefecture-admin"] = give_role(UserFactory(username="zhouadmin"), "admin",
                                         prefecture).user
    made["prefecture-lead"] = give_role(UserFactory(username="zhoulead"), "lead",
                                        prefecture).user
    return made
