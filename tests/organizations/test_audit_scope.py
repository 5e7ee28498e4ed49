"""The audit log is scoped like every other page: a county reads the log lines of its own
records and of the shared catalog, never its sibling's, by page, by a record's history and
by API; entries written before organizations existed stay the installing organization's."""

import pytest
from django.urls import reverse

from audit.models import LogEntry
from catalog.models import Standard
from organizations.rules import acting_in
from registry.actions.tree import ChangeNode
from registry.models import Node
from tests.organizations.test_organization_scope import bearer, login, node_of

pytestmark = pytest.mark.django_db


def rename(user, node, name, reason):
    with acting_in(node.owner):
        ChangeNode(user, node, reason, name=name).execute()


def logged_reasons(response):
    return {entry.reason for entry in response.context["page_obj"]}


def test_a_county_reads_its_own_log_lines_and_the_shared_ones_only(client, counties, people):
    changji, fukang = counties["652301"], counties["652302"]
    rename(people["office-652301"], node_of(changji, "304-09"), "社会保险报表管理（昌吉市）",
           "昌吉市改名")
    rename(people["office-652302"], node_of(fukang, "304-09"), "社会保险报表管理（阜康市）",
           "阜康市改名")
    entries = LogEntry.objects.filter(reason__in=["昌吉市改名", "阜康市改名"])
    assert {e.reason: e.organization_id for e in entries} == {
        "昌吉市改名": changji.pk, "阜康市改名": fukang.pk}

    login(client, people["office-652302"])
    reasons = logged_reasons(client.get(reverse("audit:logentry_list"), {"q": "改名"}))
    assert reasons == {"阜康市改名"}
    # A published standard is shared: its lines are everyone's.
    shared = Standard.objects.get(number="GB/T 1.1—2020")
    assert LogEntry.objects.filter(object_id=shared.pk, organization_id__isnull=True,
                                   content_type__model="standard").exists()
    page = client.get(reverse("audit:logentry_list"), {"q": "GB/T 1.1"})
    assert any(e.object_id == shared.pk for e in page.context["page_obj"])
    assert client.get(reverse("audit:record_history",
                              args=["catalog.standard", shared.pk])).status_code == 200

    # The sibling's node: its history is not found, by page or by API.
    other = node_of(changji, "304-09")
    for name in ("audit:record_history", "audit:record_compare"):
        assert client.get(reverse(name, args=["registry.node", other.pk])).status_code == 404
    own = node_of(fukang, "304-09")
    assert client.get(reverse("audit:record_history",
                              args=["registry.node", own.pk])).status_code == 200
    api = bearer(people["office-652302"])
    assert api.get(f"/api/history/registry.node/{other.pk}/").status_code == 404
    assert api.get(f"/api/history/registry.node/{own.pk}/").status_code == 200
    reasons = {row["reason"] for row in api.get("/api/log/", {"q": "改名"}).json()["results"]}
    assert reasons == {"阜康市改名"}


def test_entries_from_before_organizations_are_the_installing_organization_s(
        client, counties, people, prefecture, monkeypatch):
    node = node_of(prefecture, "304-09")
    # As the release before organizations wrote them: no organization on the line.
    monkeypatch.setattr("audit.log.organization_of", lambda instance: None)
    rename(people["prefecture-admin"], node, "社会保险报表管理（旧版）", "升级前的修改")
    monkeypatch.undo()
    assert LogEntry.objects.get(reason="升级前的修改").organization_id is None
    login(client, people["office-652302"])
    assert logged_reasons(client.get(reverse("audit:logentry_list"), {"q": "升级前"})) == set()
    login(client, people["prefecture-admin"], prefecture)
    assert logged_reasons(client.get(reverse("audit:logentry_list"), {"q": "升级前"})) == {
        "升级前的修改"}


def test_every_tracked_record_of_a_county_is_logged_as_the_county_s(counties, people):
    """What the county's seed wrote: every line of a scoped record names the county."""
    changji = counties["652301"]
    lines = LogEntry.objects.filter(content_type__model="node",
                                    object_id__in=Node.objects.filter(owner=changji)
                                    .values("pk"))
    assert lines.exists()
    assert set(lines.values_list("organization_id", flat=True)) == {changji.pk}
