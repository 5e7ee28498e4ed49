"""The catalog of published standards (GB, GB/T, LD/T, DB…) is shared; an organization
standard (Q/…) belongs to the organization that publishes it: each sees its own and every
shared one, never another's (pages, choices, the API, forged posts)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from audit.actions import ActionError
from audit.tokens import AddApiToken
from catalog.actions.standards import SaveStandard
from catalog.models import Standard
from organizations.middleware import SESSION_KEY
from organizations.rules import acting_in
from registry.actions.tree import PlaceStandard
from registry.models import Node, Placement
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

SHARED = "GB/T 1.1—2020"  # seeded


def act(client, user, organization):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = organization.pk
    session.save()
    return client


@pytest.fixture
def offices(counties):
    return {code: give_role(UserFactory(username=f"q{code}"), "office", organization).user
            for code, organization in counties.items()}


@pytest.fixture
def own(counties, offices):
    """Each county adds its own Q/ standard through the standard form."""
    made = {}
    for code, number in (("652301", "Q/CJSB 001-2026"), ("652302", "Q/FKSB 001-2026")):
        client = act(Client(), offices[code], counties[code])
        response = client.post(reverse("registry:standard_add"), {
            "number": number, "title": f"{counties[code].name}窗口服务规范"})
        assert response.status_code == 302, response.content.decode()[:2000]
        made[code] = Standard.unscoped.get(number=number.replace("-", "—"))
    return made


def test_a_q_standard_belongs_to_the_organization_that_adds_it(own, counties):
    assert own["652301"].owner == counties["652301"]
    assert own["652302"].owner == counties["652302"]
    shared = Standard.unscoped.get(number=SHARED)
    assert shared.owner is None
    # Acted in one county: its own and every shared standard, not the sibling's.
    with acting_in(counties["652301"]):
        seen = set(Standard.objects.values_list("number", flat=True))
    assert own["652301"].number in seen and SHARED in seen
    assert own["652302"].number not in seen
    assert seen == set(Standard.unscoped.exclude(pk=own["652302"].pk)
                       .values_list("number", flat=True))
    # A shared number added by a county stays shared (one record for everyone).
    with acting_in(counties["652301"]):
        added = SaveStandard(_user(), Standard(
            number="LD/T 07-2024", title="社会保险经办服务规范")).execute()
    assert added.owner is None
    with acting_in(counties["652302"]):
        assert Standard.objects.filter(pk=added.pk).exists()


def _user():
    return UserFactory(username="catalog-admin", is_superuser=True)


def test_pages_and_choices_show_own_and_shared_only(client, own, counties, offices):
    act(client, offices["652301"], counties["652301"])
    listed = client.get(reverse("registry:standard_list"), {"q": "Q/"}).content.decode()
    assert "Q/CJSB 001—2026" in listed and "Q/FKSB" not in listed
    everything = client.get(reverse("registry:standard_list")).content.decode()
    assert SHARED in everything and "Q/FKSB" not in everything
    assert client.get(own["652301"].get_absolute_url()).status_code == 200
    assert client.get(own["652302"].get_absolute_url()).status_code == 404
    assert client.get(reverse("registry:standard_edit",
                              args=[own["652302"].pk])).status_code == 404
    # The standard choice when placing a standard on a node.
    node = Node.objects.get(owner=counties["652301"], code="304-09")
    form = client.get(reverse("registry:node_place", args=[node.pk])).context["form"]
    # The choices are read when the query runs: in the request's organization.
    with acting_in(counties["652301"]):
        choices = set(form.fields["standard"].queryset.values_list("number", flat=True))
    assert "Q/CJSB 001—2026" in choices and SHARED in choices
    assert "Q/FKSB 001—2026" not in choices
    # The standard form's supersession and reference choices.
    form = client.get(reverse("registry:standard_add")).context["form"]
    with acting_in(counties["652301"]):
        cites = set(form.fields["cites"].queryset.values_list("pk", flat=True))
    assert own["652301"].pk in cites and own["652302"].pk not in cites
    page = client.get(reverse("registry:node_place", args=[node.pk])).content.decode()
    assert "Q/CJSB 001—2026" in page and "Q/FKSB" not in page


def test_forged_posts_on_another_s_q_standard_change_nothing(client, own, counties,
                                                             offices):
    act(client, offices["652301"], counties["652301"])
    other = own["652302"]
    node = Node.objects.get(owner=counties["652301"], code="304-09")
    refused = client.post(reverse("registry:node_place", args=[node.pk]), {
        "standard": other.pk, "reason": "伪造"})
    assert refused.status_code == 200 and not Placement.objects.filter(standard=other).exists()
    assert client.post(reverse("registry:standard_edit", args=[other.pk]), {
        "number": other.number, "title": "篡改", "reason": "伪造"}).status_code == 404
    # Citing or replacing it from one's own standard is refused too.
    response = client.post(reverse("registry:standard_add"), {
        "number": "Q/CJSB 002-2026", "title": "县级稽核规范", "cites": [other.pk]})
    assert response.status_code == 200 and not Standard.unscoped.filter(
        number="Q/CJSB 002—2026").exists()
    # Its number is taken: adding it again says whose it is, writes nothing.
    response = client.post(reverse("registry:standard_add"), {
        "number": "Q/FKSB 001-2026", "title": "抢注"})
    assert response.status_code == 200
    assert "another organization" in str(response.context["form"].errors["number"]) or \
        "其他单位" in str(response.context["form"].errors["number"])
    assert Standard.unscoped.get(pk=other.pk).title == "阜康市社会保险中心窗口服务规范"
    # The action refuses it whatever the caller.
    with acting_in(counties["652301"]), pytest.raises(ActionError):
        PlaceStandard(offices["652301"], node, other, "伪造").execute()


def test_the_api_shows_and_places_own_and_shared_only(own, counties, offices):
    _token, secret = AddApiToken(offices["652301"], "同步").execute()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    numbers = {row["number"] for row in api.get("/api/standards/", {"q": "Q/"}).json()[
        "results"]}
    assert numbers == {"Q/CJSB 001—2026"}
    assert api.get(f"/api/standards/{own['652302'].pk}/").status_code == 404
    assert api.get(f"/api/standards/{own['652301'].pk}/").status_code == 200
    assert api.patch(f"/api/standards/{own['652302'].pk}/", {"title": "篡改", "reason": "伪造"},
                     format="json").status_code == 404
    node = Node.objects.get(owner=counties["652301"], code="304-09")
    refused = api.post("/api/placements/", {"node": node.pk, "standard": own["652302"].pk,
                                            "reason": "伪造"}, format="json")
    assert refused.status_code == 400
    placed = api.post("/api/placements/", {"node": node.pk, "standard": own["652301"].pk,
                                           "reason": "本县企业标准"}, format="json")
    assert placed.status_code == 201, placed.content
    created = api.post("/api/standards/", {"number": "Q/CJSB 003-2026", "title": "档案规范"},
                       format="json")
    assert created.status_code == 201, created.content
    assert Standard.unscoped.get(number="Q/CJSB 003—2026").owner == counties["652301"]
    assert Standard.unscoped.get(pk=own["652302"].pk).title == "阜康市社会保险中心窗口服务规范"
    call_command("verify_history")


def test_an_imported_q_standard_is_the_importing_organization_s(own, counties, tmp_path,
                                                                capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "体系编号", "标准号", "标准名称"])
    sheet.append([1, "304-09", "Q/CJSB 010-2026", "县级报表规范"])
    sheet.append([2, "304-09", "Q/FKSB 001-2026", "抢占"])
    path = tmp_path / "q.xlsx"
    book.save(path)
    with pytest.raises(SystemExit):
        call_command("import_system_table", str(path), "--organization", "652301",
                     "--lang", "en")
    assert "another organization's own standard" in capsys.readouterr().err
    book.active.delete_rows(3)
    book.save(path)
    call_command("import_system_table", str(path), "--organization", "652301")
    assert Standard.unscoped.get(number="Q/CJSB 010—2026").owner == counties["652301"]
