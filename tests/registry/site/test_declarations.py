"""Apps declare what the office edits, which records have history pages and the links they
put on registry pages; registry reads the declarations and names no app above it."""

from django.urls import reverse

from catalog.models import Standard
from registry.models import Node
from registry.rules.roles import editable_models


def test_every_domain_app_declares_what_the_office_edits(db):
    editable = editable_models()
    assert set(editable) >= {"audit", "catalog", "registry", "lifecycle"}
    assert "standard" in editable["catalog"] and "node" in editable["registry"]
    assert editable["audit"] == ()


def test_office_gets_exactly_the_declared_permissions(users):
    office = users["office"]
    assert office.has_perm("catalog.change_standard")
    assert office.has_perm("lifecycle.add_project")
    assert not office.has_perm("lifecycle.add_department")
    assert not office.has_perm("audit.change_logentry")
    assert office.has_perm("audit.view_logentry")


def test_a_standards_page_shows_the_links_other_apps_declare(seeded, client_for):
    standard = Standard.objects.get(number="DB6523/T 370—2023")
    page = client_for("office").get(reverse("registry:standard_detail", args=[standard.pk]))
    html = page.content.decode()
    assert reverse("lifecycle:implementationplan_add", args=[standard.pk]) in html
    assert f'{reverse("lifecycle:implementationcheck_list")}?standard={standard.pk}' in html
    assert 'id="standard-records"' in html
    viewer_page = client_for("viewer").get(reverse("registry:standard_detail", args=[standard.pk]))
    assert reverse("lifecycle:implementationplan_add", args=[standard.pk]) not in (
        viewer_page.content.decode())


def test_a_nodes_page_offers_to_open_a_project(seeded, client_for):
    node = Node.objects.get(code="303")
    page = client_for("office").get(reverse("registry:node_detail", args=[node.pk]))
    html = page.content.decode()
    assert f'id="action-project" href="{reverse("lifecycle:project_add")}?node={node.pk}"' in html


def test_history_pages_only_for_declared_models(seeded, client_for):
    client = client_for("admin")
    node = Node.objects.get(code="303")
    assert client.get(f"/history/registry.node/{node.pk}/").status_code == 200
    assert client.get(f"/history/registry.exportjob/{node.pk}/").status_code == 404
    assert client.get("/history/auth.user/1/").status_code == 404
    assert client.get("/history/nonsense/1/").status_code == 404
