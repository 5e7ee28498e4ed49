"""Fast pages (issue 17): what is kept between requests — sessions and permission sets in
the cache, the main menu per page and role — never shows an old state of the system, nor one
role's buttons to another."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.models import Standard
from lifecycle.choices import Stage
from registry.actions.tree import ChangeNode, PlaceStandard
from registry.models import Node
from tests.factories import StandardFactory, UserFactory, give_role, take_roles
from tests.lifecycle.projects.test_workflow import carry_to_publication

TREE, CATALOG, DASHBOARD = "/", "/standards/", "/lifecycle/dashboard/"


@pytest.fixture
def browsers(users):
    """A signed-in browser for each of two roles that see different buttons, both having
    already loaded every page once (so whatever is kept is warm)."""
    clients = {}
    for role in ("viewer", "office"):
        clients[role] = Client()
        clients[role].force_login(users[role])
        for url in (TREE, CATALOG, DASHBOARD):
            assert clients[role].get(url).status_code == 200
    return clients


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def tree_count(html, node):
    """The standard count the tree shows on ``node``'s row."""
    match = re.search(rf'data-node="{node.pk}".*?<span class="count"[^>]*>(\d+)</span>', html,
                      re.S)
    return int(match.group(1))


def test_a_renamed_node_shows_at_once_to_every_user(seeded, users, browsers):
    category = Node.objects.filter(path__startswith=seeded.path, depth=3).first()
    ChangeNode(users["office"], category, "更名", name="更名后的类别").execute()
    for client in browsers.values():
        assert "更名后的类别" in page(client, TREE).content.decode()
        assert "更名后的类别" in page(client, CATALOG).content.decode()  # the node filter
        figures = page(client, DASHBOARD).context["figures"]
        assert "更名后的类别" in [c.node.name for c in figures.categories]


def test_a_placed_standard_shows_at_once_to_every_user(seeded, users, browsers):
    aspect = Node.objects.filter(path__startswith=seeded.path, depth=4,
                                 placements__isnull=True).first()
    before = {role: (tree_count(page(client, TREE).content.decode(), aspect),
                     page(client, DASHBOARD).context["figures"].total.standards)
              for role, client in browsers.items()}
    standard = StandardFactory(number="Q/FAST 001-2026")
    PlaceStandard(users["office"], aspect, standard, "纳入").execute()
    for role, client in browsers.items():
        assert tree_count(page(client, TREE).content.decode(), aspect) == before[role][0] + 1
        listed = page(client, CATALOG + "?q=Q/FAST").content.decode()
        assert f"{aspect.code} {aspect.name}" in listed
        assert page(client, DASHBOARD).context["figures"].total.standards == before[role][1] + 1


def test_a_published_project_shows_at_once_to_every_user(make_project, users, browsers):
    project = make_project()
    aspect = project.node
    opened = {role: page(client, DASHBOARD).context["figures"].projects_open
              for role, client in browsers.items()}
    counted = {role: tree_count(page(client, TREE).content.decode(), aspect)
               for role, client in browsers.items()}
    project = carry_to_publication(project, users, number="Q/CJSB 017-2026")
    assert project.stage == Stage.PUBLISHED
    assert Standard.objects.filter(number="Q/CJSB 017—2026").exists()
    for role, client in browsers.items():
        assert "Q/CJSB 017—2026" in page(client, CATALOG).content.decode()
        assert tree_count(page(client, TREE).content.decode(), aspect) == counted[role] + 1
        assert page(client, DASHBOARD).context["figures"].projects_open == opened[role] - 1


OFFICE_BUTTONS = {
    TREE: 'href="/nodes/',  # "Add subsystem" links to the root's add page (below)
    CATALOG: 'id="standard-add"',
}


def office_buttons(html, url, root):
    if url == TREE:
        return f'href="/nodes/{root.pk}/add/"' in html
    return OFFICE_BUTTONS[url] in html


def test_no_button_or_menu_entry_leaks_between_roles(seeded, users, browsers):
    """Viewer, office and administrator take turns on the same pages in the same process:
    each sees its own buttons and menu entries, whoever loaded the page before."""
    browsers["admin"] = Client()
    browsers["admin"].force_login(users["admin"])
    assert not users["office"].has_perm("registry.export_system_table")
    assert users["admin"].has_perm("registry.export_system_table")
    for _turn in range(2):
        for role in ("viewer", "office", "admin", "viewer", "admin", "office"):
            for url in (TREE, CATALOG):
                html = page(browsers[role], url).content.decode()
                assert office_buttons(html, url, seeded) == (role != "viewer"), (role, url)
                # The menu's "Export the system table" and "Administration" entries.
                assert ('href="/export/"' in html) == (role == "admin"), (role, url)
                assert ('href="/admin/"' in html) == (role == "admin"), (role, url)


def test_a_role_granted_or_taken_away_counts_on_the_next_request(seeded, users, browsers):
    viewer, client = users["viewer"], browsers["viewer"]
    assert not office_buttons(page(client, CATALOG).content.decode(), CATALOG, seeded)
    give_role(viewer, "office")
    assert office_buttons(page(client, CATALOG).content.decode(), CATALOG, seeded)
    take_roles(viewer, "office")
    assert not office_buttons(page(client, CATALOG).content.decode(), CATALOG, seeded)


def test_a_permission_taken_from_a_role_counts_on_the_next_request(seeded, users, browsers):
    office = Group.objects.get(name="office")
    add_standard = Permission.objects.get(codename="add_standard",
                                          content_type__app_label="catalog")
    client = browsers["office"]
    assert office_buttons(page(client, CATALOG).content.decode(), CATALOG, seeded)
    office.permissions.remove(add_standard)
    assert not office_buttons(page(client, CATALOG).content.decode(), CATALOG, seeded)
    assert client.get("/standards/add/").status_code == 403
    office.permissions.add(add_standard)
    assert office_buttons(page(client, CATALOG).content.decode(), CATALOG, seeded)


def test_the_superuser_flag_counts_on_the_next_request(seeded, users, browsers):
    """A user record saved (here made an administrator) forgets its cached permissions."""
    viewer, client = users["viewer"], browsers["viewer"]
    assert not office_buttons(page(client, CATALOG).content.decode(), CATALOG, seeded)
    viewer.is_superuser = True
    viewer.save()
    assert office_buttons(page(client, CATALOG).content.decode(), CATALOG, seeded)


def test_a_page_reads_neither_the_session_nor_the_permissions_from_the_database(
        seeded, users, browsers):
    """The fixed cost of a page: once warm, the session and the permission set come from
    the cache; only the user row is read (so a deactivated user is out at once)."""
    client = browsers["viewer"]
    page(client, "/terms/")
    with CaptureQueriesContext(connection) as queries:
        page(client, "/terms/")
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "django_session" not in tables
    assert "auth_permission" not in tables and "auth_group" not in tables
    assert "auth_user" in tables
    users["viewer"].is_active = False
    users["viewer"].save()
    assert client.get("/terms/").status_code == 302  # signed out: to the sign-in page


def test_cached_permissions_are_per_user(seeded, users):
    """Two users of different roles signed in at once: neither gets the other's set."""
    other_office = UserFactory(username="office2", role="office")
    clients = {}
    for user in (users["viewer"], other_office):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    for _turn in range(2):
        assert not office_buttons(page(clients["viewer"], CATALOG).content.decode(), CATALOG,
                                  seeded)
        assert office_buttons(page(clients["office2"], CATALOG).content.decode(), CATALOG,
                              seeded)
