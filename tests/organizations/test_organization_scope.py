"""Organizations scope the tree: a county's people see and change their own system only,
by page, by forged request and by API; the prefecture's administrators and leads read the
counties' systems and change nothing there (clause 6.2.4, docs/domain.md "Organizations")."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.tokens import AddApiToken
from organizations.middleware import SESSION_KEY
from organizations.models import Membership
from organizations.rules import acting_in
from registry.models import Node
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db


def node_of(organization, code):
    return Node.objects.get(owner=organization, code=code)


def login(client, user, organization=None):
    client.force_login(user)
    if organization is not None:
        session = client.session
        session[SESSION_KEY] = organization.pk
        session.save()
    return client


def test_each_organization_has_its_own_system(counties, prefecture):
    roots = Node.objects.get_root_nodes()
    assert sorted(roots.values_list("owner__code", flat=True)) == ["652300", "652301",
                                                                   "652302"]
    for organization in counties.values():
        # The same Appendix A, each node once, codes as in the prefecture's.
        assert (set(Node.objects.filter(owner=organization).values_list("code", flat=True))
                == set(Node.objects.filter(owner=prefecture).values_list("code", flat=True)))


def test_a_county_office_sees_its_own_tree_only(client, counties, people):
    changji, fukang = counties["652301"], counties["652302"]
    login(client, people["office-652302"])
    page = client.get(reverse("registry:tree"))
    assert page.status_code == 200 and page.context["root"].owner == fukang
    own, other = node_of(fukang, "304-09"), node_of(changji, "304-09")
    assert client.get(reverse("registry:node_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("registry:node_detail", args=[other.pk])).status_code == 404
    other_root = Node.objects.get_root(other)
    assert client.get(reverse("registry:tree"), {"root": other_root.pk}).status_code == 404


def test_a_forged_write_on_another_organization_s_node_changes_nothing(client, counties,
                                                                        people):
    changji = counties["652301"]
    other = node_of(changji, "304-09")
    login(client, people["office-652302"])
    response = client.post(reverse("registry:node_edit", args=[other.pk]),
                           {"name": "篡改", "reason": "伪造"})
    assert response.status_code == 404
    assert client.post(reverse("registry:node_delete", args=[other.pk]),
                       {"reason": "伪造"}).status_code == 404
    other.refresh_from_db()
    assert other.name != "篡改" and Node.objects.filter(pk=other.pk).exists()
    # Moving its own node under the other county's is refused as no such choice.
    own = node_of(counties["652302"], "304-09")
    response = client.post(reverse("registry:node_move", args=[own.pk]), {
        "target": node_of(changji, "304").pk, "position": "last-child", "reason": "伪造"})
    assert response.status_code == 200 and response.context["form"].errors["target"]
    own.refresh_from_db()
    assert Node.objects.get_root(own).owner == counties["652302"]


def test_the_office_cannot_switch_into_another_county(client, counties, people):
    login(client, people["office-652302"])
    response = client.post(reverse("organizations:switch"),
                           {"organization": counties["652301"].pk, "next": "/"})
    assert response.status_code == 403
    # A session that names the other county anyway is not honoured.
    login(client, people["office-652302"], counties["652301"])
    assert client.get(reverse("registry:tree")).context["root"].owner == counties["652302"]


def test_the_prefecture_admin_reads_the_counties_and_changes_nothing_there(
        client, counties, people, prefecture):
    admin = people["prefecture-admin"]
    login(client, admin)
    assert client.get(reverse("registry:tree")).context["root"].owner == prefecture
    changji = counties["652301"]
    response = client.post(reverse("organizations:switch"),
                           {"organization": changji.pk, "next": reverse("registry:tree")})
    assert response.status_code == 302 and response.url == reverse("registry:tree")
    page = client.get(reverse("registry:tree"))
    assert page.context["root"].owner == changji
    node = node_of(changji, "304-09")
    assert client.get(reverse("registry:node_detail", args=[node.pk])).status_code == 200
    # Reading only: the edit page and a forged POST are refused.
    assert client.get(reverse("registry:node_edit", args=[node.pk])).status_code == 403
    assert client.post(reverse("registry:node_edit", args=[node.pk]),
                       {"name": "改", "reason": "越权"}).status_code == 403
    node.refresh_from_db()
    assert node.name != "改"


def test_permissions_follow_the_organization_acted_in(counties, people, prefecture):
    office = people["office-652301"]
    with acting_in(counties["652301"]):
        assert office.has_perm("registry.change_node")
    office = type(office).objects.get(pk=office.pk)
    with acting_in(counties["652302"]):
        assert not office.has_perm("registry.view_node")
    lead = people["prefecture-lead"]
    with acting_in(counties["652302"]):
        assert lead.has_perm("registry.view_node")
        assert not lead.has_perm("registry.change_node")
    # A lead of a county reads nothing of its sibling.
    county_lead = give_role(UserFactory(username="xianlead"), "lead", counties["652301"]).user
    with acting_in(counties["652302"]):
        assert not county_lead.has_perm("registry.view_node")


def bearer(user, **params):
    _token, secret = AddApiToken(user, "同步").execute()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def test_the_api_is_scoped_by_the_token_user_s_organization(counties, people):
    changji, fukang = counties["652301"], counties["652302"]
    api = bearer(people["office-652302"])
    listed = api.get("/api/nodes/", {"code": "304-09"}).json()["results"]
    assert [row["id"] for row in listed] == [node_of(fukang, "304-09").pk]
    other = node_of(changji, "304-09")
    assert api.get(f"/api/nodes/{other.pk}/").status_code == 404
    assert api.patch(f"/api/nodes/{other.pk}/", {"name": "篡改", "reason": "伪造"},
                     format="json").status_code == 404
    assert api.get("/api/tree/", {"node": other.pk}).status_code == 404
    tree = api.get("/api/tree/").json()
    assert {row["id"] for row in tree} <= set(
        Node.objects.filter(owner=fukang).values_list("pk", flat=True))
    refused = api.get("/api/nodes/", {"organization": changji.code})
    assert refused.status_code == 403
    # The prefecture's administrator chooses a county with ?organization=.
    api = bearer(people["prefecture-admin"])
    listed = api.get("/api/nodes/", {"code": "304-09", "organization": "652301"}).json()
    assert [row["id"] for row in listed["results"]] == [other.pk]


def test_commands_seed_and_create_organizations_by_code(prefecture):
    from django.core.management import call_command

    call_command("create_organization", "--name", "呼图壁县社会保险中心", "--code", "652323",
                 "--parent", "652300", "--name-en", "Hutubi County")
    county = prefecture.children.get(code="652323")
    assert county.name_en == "Hutubi County"
    call_command("seed_system", "--organization", "652323")
    assert Node.objects.get_root_nodes().filter(owner=county).count() == 1
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="652399"):
        call_command("seed_system", "--organization", "652399")
    with pytest.raises(CommandError, match="code"):
        call_command("create_organization", "--name", "无效", "--code", "65")
    assert county.history.count() == 1


def test_the_prefecture_admin_adds_a_county_and_gives_a_role(client, people, prefecture):
    admin = people["prefecture-admin"]
    login(client, admin)
    response = client.post(reverse("organizations:add"), {
        "name": "玛纳斯县社会保险中心", "name_en": "Manas County", "code": "652324",
        "parent": prefecture.pk})
    assert response.status_code == 302
    county = prefecture.children.get(code="652324")
    newcomer = UserFactory(username="manas")
    response = client.post(reverse("organizations:members", args=[county.pk]),
                           {"user": newcomer.pk, "role": "office"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, organization=county, role="office").exists()
    # The new office member administers nothing: no organization added, no role given.
    client.force_login(newcomer)
    assert client.post(reverse("organizations:add"), {
        "name": "越权县", "code": "652399", "parent": county.pk}).status_code == 403
    assert client.post(reverse("organizations:members", args=[county.pk]),
                       {"user": newcomer.pk, "role": "admin"}).status_code == 403
    assert not Membership.objects.filter(user=newcomer, role="admin").exists()
