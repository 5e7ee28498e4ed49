"""Templates and tailoring (clause 6.2.4): systems derived from a template, 删减 and 扩充 on
record with who, when and why, the tailoring report, restoring, and publishing a system as
a template for the organizations beneath."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from organizations.middleware import SESSION_KEY
from organizations.models import Organization
from registry.actions.templates import PublishTemplate, find_template
from registry.models import Node, Tailoring, Template, TemplateNode
from registry.rules.tailoring import tailoring_report
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db


def test_the_seeded_system_is_derived_from_appendix_a(seeded, prefecture):
    template = Template.objects.get()
    # The edition is the standard's number as the number parser writes it.
    assert template.edition == "DB6523/T 370—2023" and template.organization is None
    assert find_template("DB 6523/T 370-2023") == template
    assert find_template("db6523/t370-2023") == template
    system = Node.objects.filter(owner=prefecture)
    assert system.count() == TemplateNode.objects.filter(template=template).count()
    assert not system.filter(template_node__isnull=True).exists()
    for node in system.select_related("template_node"):
        assert (node.code, node.name, node.clause) == (
            node.template_node.code, node.template_node.name, node.template_node.clause)
    report = tailoring_report(prefecture)
    assert report.derived and report.deviations == []
    assert report.kept == system.count() - 1 and report.removed == report.added == 0


def test_derive_system_command_takes_any_spelling_of_the_edition(prefecture):
    county = Organization.objects.create(name="奇台县社会保险中心", code="652325",
                                         parent=prefecture)
    call_command("derive_system", "--organization", "652325", "--template",
                 "DB6523/T 370－2023")
    assert Node.objects.filter(owner=county).count() == TemplateNode.objects.count()
    with pytest.raises(CommandError, match="already"):
        call_command("derive_system", "--organization", "652325", "--lang", "en")
    with pytest.raises(CommandError, match="GB/T 9999"):
        call_command("derive_system", "--organization", "652300", "--template", "GB/T 9999",
                     "--lang", "en")


def act(client, user, organization):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = organization.pk
    session.save()
    return client


def test_removing_adding_renaming_are_tailoring_with_who_when_and_why(client, counties):
    county = counties["652301"]
    office = give_role(UserFactory(username="changji", first_name="李明"), "office",
                       county).user
    act(client, office, county)
    aspect = Node.objects.get(owner=county, code="304-09")
    # A template aspect is not removed without saying why (and nothing is deleted).
    page = client.get(reverse("registry:node_delete", args=[aspect.pk]))
    assert "why" in page.context["form"].fields
    refused = client.post(reverse("registry:node_delete", args=[aspect.pk]),
                          {"reason": "不需要"})
    assert refused.status_code == 200 and Node.objects.filter(pk=aspect.pk).exists()
    done = client.post(reverse("registry:node_delete", args=[aspect.pk]),
                       {"reason": "本单位不承担报表管理", "why": "not_applicable"})
    assert done.status_code == 302 and not Node.objects.filter(pk=aspect.pk).exists()
    category = Node.objects.get(owner=county, code="304")
    assert client.post(reverse("registry:node_add", args=[category.pk]), {
        "name": "县级经办窗口服务", "reason": "本县设有综合柜员窗口"}).status_code == 302
    renamed = Node.objects.get(owner=county, code="304-01")
    assert client.post(reverse("registry:node_edit", args=[renamed.pk]), {
        "name": "县级信息系统管理", "code": "304-01", "reason": "按县级职责命名"}
    ).status_code == 302

    report = tailoring_report(county)
    summary = [(d.kind, d.code, d.why, d.reason, d.by) for d in report.deviations]
    assert summary == [
        ("removed", "304-09", "not_applicable", "本单位不承担报表管理", "李明"),
        ("added", "304-10", "", "本县设有综合柜员窗口", "李明"),
        ("renamed", "304-01", "", "按县级职责命名", "李明"),
    ]
    assert (report.removed, report.added, report.renamed, report.moved) == (1, 1, 1, 0)
    assert report.kept == TemplateNode.objects.filter(
        template=report.template).count() - 1 - 1
    # The other county's system is untouched, and its report empty.
    assert tailoring_report(counties["652302"]).deviations == []

    page = client.get(reverse("registry:tailoring"))
    html = page.content.decode()
    assert "本单位不承担报表管理" in html and "县级经办窗口服务" in html
    xlsx = client.get(reverse("registry:tailoring"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv_text = client.get(reverse("registry:tailoring"), {"format": "csv"}).content
    assert csv_text.decode("utf-8-sig").count("\n") == 4  # header and three deviations

    out = __import__("io").StringIO()
    call_command("tailoring_report", "--organization", "652301", "--format", "json",
                 "--lang", "en", stdout=out)
    data = json.loads(out.getvalue())
    assert data["counts"] == {"kept": report.kept, "removed": 1, "added": 1, "renamed": 1,
                              "moved": 0}
    assert data["template"] == "DB6523/T 370—2023"
    assert data["deviations"][0]["kind"] == "removed"


def test_a_removed_aspect_comes_back_with_its_code(client, counties):
    county = counties["652302"]
    office = give_role(UserFactory(username="fukang"), "office", county).user
    act(client, office, county)
    aspect = Node.objects.get(owner=county, code="304-09")
    template_node = aspect.template_node
    client.post(reverse("registry:node_delete", args=[aspect.pk]),
                {"reason": "合并", "why": "merged"})
    assert tailoring_report(county).removed == 1
    response = client.post(reverse("registry:tailoring_restore", args=[template_node.pk]),
                           {"reason": "重新承担该职责"})
    assert response.status_code == 302
    back = Node.objects.get(owner=county, template_node=template_node)
    assert back.code == "304-09" and back.name == template_node.name
    report = tailoring_report(county)
    assert report.removed == 0 and report.deviations == []
    assert Tailoring.objects.filter(organization=county, kind="restored",
                                    reason="重新承担该职责").exists()
    # Restoring it twice is refused with a message.
    client.post(reverse("registry:tailoring_restore", args=[template_node.pk]),
                {"reason": "再次"})
    assert Node.objects.filter(owner=county, template_node=template_node).count() == 1


def test_a_county_derives_from_the_prefecture_s_published_template(client, prefecture, seeded):
    admin = give_role(UserFactory(username="zhouadmin"), "admin", prefecture).user
    template = PublishTemplate(admin, prefecture, "昌吉州 2026 版", "昌吉州社会保险服务标准体系"
                               ).execute()
    assert template.nodes.count() == Node.objects.filter(owner=prefecture).count()
    county = Organization.objects.create(name="木垒县社会保险中心", code="652328",
                                         parent=prefecture)
    give_role(admin, "admin", county)
    act(client, admin, county)
    assert client.get(reverse("registry:tree")).url == reverse("registry:derive")
    form = client.get(reverse("registry:derive")).context["form"]
    assert set(form.fields["template"].queryset) == {template, find_template(
        "DB 6523/T 370-2023")}
    assert list(form.fields["organization"].queryset) == [county]
    response = client.post(reverse("registry:derive"), {"organization": county.pk,
                                                        "template": template.pk})
    assert response.status_code == 302
    root = Node.objects.get(owner=county, depth=1)
    assert root.template_node.template == template
    assert tailoring_report(county).template == template


def test_the_prefecture_publishes_its_template_and_derives_a_new_county_s_system(
        client, prefecture, seeded):
    """All by pages: the templates page publishes the prefecture's system; the derive page
    offers the new county beneath it (the administrator acts in the prefecture), and only
    the templates of the organizations above that county."""
    admin = give_role(UserFactory(username="zhouadmin"), "admin", prefecture).user
    office = give_role(UserFactory(username="zhouoffice"), "office", prefecture).user
    county = Organization.objects.create(name="昌吉市社会保险中心", code="652301",
                                         parent=prefecture)
    act(client, office, prefecture)
    page = client.get(reverse("registry:templates"))
    assert page.status_code == 200 and not page.context["can_publish"]
    # Publishing is an administrator's: a forged POST of the office user is refused.
    assert client.post(reverse("registry:templates"),
                       {"edition": "伪造版"}).status_code == 403
    assert not Template.objects.filter(edition="伪造版").exists()

    act(client, admin, prefecture)
    response = client.post(reverse("registry:templates"), {
        "edition": "昌吉州社会保险标准体系 2026版", "title": "", "published_on": "2026-12-01",
        "reason": "供各县市派生"})
    assert response.status_code == 302
    template = Template.objects.get(edition="昌吉州社会保险标准体系 2026版")
    assert template.organization == prefecture and str(template.published_on) == "2026-12-01"
    # The same label twice: a message on the field, nothing written.
    again = client.post(reverse("registry:templates"), {"edition": template.edition})
    assert "edition" in again.context["form"].errors
    assert Template.objects.filter(organization=prefecture).count() == 1

    page = client.get(reverse("registry:templates"))
    assert (county, False) in page.context["managed"]
    form = client.get(reverse("registry:derive") + f"?organization={county.pk}"
                      ).context["form"]
    assert list(form.fields["organization"].queryset) == [county]
    assert form.fields["organization"].initial == county.pk
    response = client.post(reverse("registry:derive"), {
        "organization": county.pk, "template": template.pk, "reason": "昌吉市新建体系"})
    assert response.status_code == 302
    derived = Node.objects.filter(owner=county)
    assert derived.count() == template.nodes.count()
    assert not derived.filter(template_node__isnull=True).exists()
    assert (county, True) in client.get(reverse("registry:templates")).context["managed"]
    # Nothing left to derive: the page sends the administrator back.
    assert client.get(reverse("registry:derive")).status_code == 302


def test_the_derive_page_refuses_an_organization_the_user_does_not_administer(
        client, prefecture, seeded):
    sibling_parent = Organization.objects.create(name="伊犁州社会保险管理局", code="654000")
    stranger = Organization.objects.create(name="伊宁市社会保险中心", code="654002",
                                           parent=sibling_parent)
    Organization.objects.create(name="玛纳斯县社会保险中心", code="652324", parent=prefecture)
    admin = give_role(UserFactory(username="zhouadmin"), "admin", prefecture).user
    act(client, admin, prefecture)
    template = find_template("DB 6523/T 370-2023")
    response = client.post(reverse("registry:derive"), {
        "organization": stranger.pk, "template": template.pk})
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert not Node.objects.filter(owner=stranger).exists()
