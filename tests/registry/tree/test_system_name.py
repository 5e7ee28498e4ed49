"""A system's own name and organization: kept on its root with history, edited by the office
and the administrator on the "Name and organization" page, shown on the PDF's cover."""

import subprocess

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from audit.actions import ActionError
from registry.actions import ChangeSystem
from registry.models import Node
from registry.rules.exports.formats import export
from registry.rules.exports.pdf import cover_title
from registry.rules.tree.table_data import live_data

NAME = "乌鲁木齐市市场监管标准体系"
ORGANIZATION = "乌鲁木齐市市场监督管理局"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_office_names_the_system_with_a_reason_and_history(seeded, client_for):
    client = client_for("office")
    url = reverse("registry:system_edit")
    assert reverse("registry:system_edit").encode() in client.get(reverse("registry:tree")).content
    data = {"name": NAME, "name_en": "Urumqi market regulation standard system",
            "organization": ORGANIZATION, "organization_en": "Urumqi Market Regulation Bureau"}
    assert client.post(url, data).status_code == 200  # a reason is required
    assert Node.objects.get(pk=seeded.pk).name == seeded.name
    assert client.post(url, {**data, "reason": "更名"}).status_code == 302
    root = Node.objects.get(pk=seeded.pk)
    assert (root.name, root.organization, root.organization_en) == (
        NAME, ORGANIZATION, "Urumqi Market Regulation Bureau")
    latest = root.history.latest()
    assert latest.history_change_reason == "更名" and latest.organization == ORGANIZATION
    assert latest.history_user.username == "office"


@pytest.mark.parametrize("role", ["lead", "expert", "viewer"])
def test_other_roles_cannot_rename_the_system(seeded, client_for, users, role):
    assert client_for(role).get(reverse("registry:system_edit")).status_code == 403
    with pytest.raises(PermissionDenied):
        ChangeSystem(users[role], seeded, "改名", name=NAME).execute()


def test_only_a_root_carries_the_name_and_organization(seeded, office):
    subsystem = Node.objects.get(code="100")
    with pytest.raises(ActionError):
        ChangeSystem(office, subsystem, "改名", organization=ORGANIZATION).execute()


def test_cover_title_follows_the_name():
    with translation.override("en"):
        assert cover_title("Social insurance service standard system") == (
            "Social insurance service standard system table")
        assert cover_title("Urumqi market regulation") == (
            "Urumqi market regulation standard system table")
        assert cover_title("Quality standard system table") == "Quality standard system table"


def test_the_pdf_cover_shows_the_systems_own_name_and_organization(seeded, office, tmp_path):
    ChangeSystem(office, seeded, "更名", name=NAME, organization=ORGANIZATION,
               name_en="Urumqi market regulation standard system",
               organization_en="Urumqi Market Regulation Bureau").execute()
    path = tmp_path / "table.pdf"
    covers = {}
    for lang in ("zh-hans", "en"):
        path.write_bytes(export(live_data(Node.objects.get(pk=seeded.pk)), "pdf", lang))
        covers[lang] = subprocess.run(["pdftotext", "-l", "1", str(path), "-"],
                                      capture_output=True, text=True, check=True).stdout
    zh = "".join(covers["zh-hans"].split())
    assert NAME in zh and ORGANIZATION in zh
    assert settings.REGISTRY_ORGANIZATION not in zh and "社会保险服务标准体系" not in zh
    assert "Urumqi market regulation standard system table" in covers["en"]
    assert "Urumqi Market Regulation Bureau" in covers["en"]
