"""A template's new edition (clause 6.2.4): its changes are proposed to each system derived
from the edition before, and nothing in a system changes but by its own administrators'
decisions, each with a reason."""

import io
import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audit.chain import verify_all
from catalog.models import Standard
from catalog.rules.numbers import parse_standard_number
from organizations.middleware import SESSION_KEY
from organizations.rules import acting_in
from registry.actions.editions import AddTemplateEdition, DecideProposal
from registry.actions.templates import find_template
from registry.actions.tree import DeleteNode, PlaceStandard, RemovePlacement
from registry.models import (
    EditionProposal,
    Node,
    Placement,
    ProposalStatus,
    Template,
    TemplateNode,
)
from registry.rules.editions import match_editions, read_edition
from registry.rules.tailoring import tailoring_report
from registry.rules.tree.codes import child_code
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

FIXTURE = settings.BASE_DIR / "fixtures" / "appendix_a.json"
EDITION = "DB 6523/T 370-2025"

RENAMED_ASPECT = ("201-03", "企业基本信息变更办理", "企业参保信息变更办理")
RENAMED_CATEGORY = ("302", "文书、档案管理", "文书与档案管理")
REMOVED = ("303-02", "数据中心运维数据库管理")
ADDED_ASPECT = ("207-09", "社会保险电子凭证查询受理")
ADDED_GUIDE = ("101-01", "标准化工作指南")


def appendix_a():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def five_changes():
    """Appendix A with exactly five changes: two renames, one removal (in the middle of its
    category, so the aspects after it take new codes), two additions."""
    data = appendix_a()
    system = data["system"]
    basic, provision, support = system["children"]
    enterprise = provision["children"][0]["children"]
    assert enterprise[2]["name"] == RENAMED_ASPECT[1]
    enterprise[2]["name"] = RENAMED_ASPECT[2]
    assert support["children"][1]["name"] == RENAMED_CATEGORY[1]
    support["children"][1]["name"] = RENAMED_CATEGORY[2]
    data_centre = support["children"][2]["children"]
    assert data_centre.pop(1)["name"] == REMOVED[1]
    assert len(provision["children"][6]["children"]) == 8
    provision["children"][6]["children"].append({"name": ADDED_ASPECT[1]})
    basic["children"][0]["children"].append({"name": ADDED_GUIDE[1],
                                             "name_en": "Standardization work guide"})
    return data


@pytest.fixture
def edition_file(tmp_path):
    path = tmp_path / "appendix_a_2025.json"
    path.write_text(json.dumps(five_changes(), ensure_ascii=False), encoding="utf-8")
    return path


def tree_of(organization):
    return [(n.code, n.name) for n in Node.objects.filter(owner=organization).order_by("path")]


def seed_tree():
    """(code, name) of Appendix A in tree order, with the codes the seed gives."""
    rows = []

    def walk(item, code, depth):
        rows.append((code, item["name"]))
        for index, child in enumerate(item.get("children", []), start=1):
            walk(child, child_code(code, depth, index), depth + 1)

    walk(appendix_a()["system"], "0", 1)
    return rows


def act(client, user, organization):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = organization.pk
    session.save()
    return client


def load(path, edition=EDITION):
    out = io.StringIO()
    call_command("load_template", "--file", str(path), "--edition", edition, "--lang", "en",
                 stdout=out)
    return out.getvalue()


def test_five_changes_proposed_two_accepted_three_declined(client, counties, people,
                                                           edition_file):
    county, sibling = counties["652301"], counties["652302"]
    admin = give_role(UserFactory(username="cjadmin", first_name="王芳"), "admin",
                      county).user
    sibling_admin = give_role(UserFactory(username="fkadmin"), "admin", sibling).user
    before = tree_of(county)
    assert before == seed_tree()
    history_before = Node.history.filter(owner_id=county.pk).count()

    out = load(edition_file)
    # Three systems follow the built-in edition: the prefecture's and the two counties'.
    assert "15 proposals to 3 organizations" in out
    template = find_template(EDITION)
    assert template.previous == find_template("DB 6523/T 370-2023")
    assert template.nodes.count() == len(seed_tree()) - 1 + 2
    # The new edition's codes are the seed's: after the removal, 303-03 became 303-02.
    shifted = TemplateNode.objects.get(template=template, code="303-02")
    assert shifted.name == "数据中心运维 应急管理"
    assert shifted.previous_node.code == "303-03"

    proposals = {(p.kind, (p.old_node or p.new_node).code): p
                 for p in EditionProposal.objects.filter(organization=county)}
    assert set(proposals) == {("renamed", "201-03"), ("renamed", "302"),
                              ("removed", "303-02"), ("added", "207-09"),
                              ("added", "101-01")}
    assert proposals[("renamed", "302")].new_node.name == RENAMED_CATEGORY[2]
    assert all(p.status == ProposalStatus.PENDING for p in proposals.values())
    # Nothing in any system changed by loading the edition.
    assert tree_of(county) == before
    assert Node.history.filter(owner_id=county.pk).count() == history_before
    assert not Node.objects.filter(owner=county, template_node__template=template).exists()

    # The office and the prefecture's administrator (a viewer in the county) are refused;
    # the sibling county's administrator does not find the proposal at all.
    renamed = proposals[("renamed", "201-03")]
    decide = reverse("registry:edition_decide", args=[renamed.pk])
    act(client, people["office-652301"], county)
    assert client.get(reverse("registry:editions")).status_code == 403
    assert client.post(decide, {"decision": "accept", "reason": "x"}).status_code == 403
    act(client, people["prefecture-admin"], county)
    assert client.get(reverse("registry:editions")).status_code == 403
    assert client.post(decide, {"decision": "accept", "reason": "x"}).status_code == 403
    act(client, sibling_admin, sibling)
    assert client.post(decide, {"decision": "accept", "reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        DecideProposal(sibling_admin, renamed, True, "越权").execute()
    renamed.refresh_from_db()
    assert renamed.status == ProposalStatus.PENDING and tree_of(county) == before

    # The county's administrator: the page lists the five; a decision without a reason is
    # refused and changes nothing.
    act(client, admin, county)
    page = client.get(reverse("registry:editions"))
    assert page.status_code == 200 and len(page.context["pending"]) == 5
    assert reverse("registry:editions") in client.get(reverse("registry:tailoring")
                                                      ).content.decode()
    client.post(decide, {"decision": "accept", "reason": ""})
    renamed.refresh_from_db()
    assert renamed.status == ProposalStatus.PENDING and tree_of(county) == before

    reasons = {
        ("renamed", "201-03"): (True, "采用新版名称，与业务一致"),
        ("added", "207-09"): (True, "本中心已开展电子凭证查询"),
        ("renamed", "302"): (False, "沿用本单位现行名称"),
        ("removed", "303-02"): (False, "本中心仍自行管理数据库"),
        ("added", "101-01"): (False, "由州局统一制定，本中心不单列"),
    }
    for key, (accept, reason) in reasons.items():
        response = client.post(reverse("registry:edition_decide", args=[proposals[key].pk]),
                               {"decision": "accept" if accept else "decline",
                                "reason": reason})
        assert response.status_code == 302, key
        # A decided proposal cannot be decided again.
        if key == ("renamed", "201-03"):
            client.post(reverse("registry:edition_decide", args=[proposals[key].pk]),
                        {"decision": "decline", "reason": "改主意"})

    # Exactly the expected tree: one aspect renamed, one added after its siblings; the
    # declined category name, aspect and addition as they were.
    expected = []
    for code, name in seed_tree():
        expected.append((code, RENAMED_ASPECT[2] if code == RENAMED_ASPECT[0] else name))
        if code == "207-08":
            expected.append(ADDED_ASPECT)
    assert tree_of(county) == expected
    # The sibling county and the prefecture decided nothing: their systems are as seeded.
    assert tree_of(sibling) == before
    assert EditionProposal.objects.filter(organization=sibling,
                                          status=ProposalStatus.PENDING).count() == 5

    for key, (accept, reason) in reasons.items():
        proposal = EditionProposal.objects.get(pk=proposals[key].pk)
        assert proposal.status == ("accepted" if accept else "declined"), key
        assert (proposal.reason, proposal.decided_by) == (reason, admin)
        # One history row per decision, with its reason and who decided.
        rows = proposal.history.filter(history_change_reason=reason)
        assert rows.count() == 1 and rows.get().history_user == admin
    node = Node.objects.get(owner=county, code="201-03")
    assert node.history.filter(history_change_reason=reasons[("renamed", "201-03")][1],
                               name=RENAMED_ASPECT[2]).exists()
    added = Node.objects.get(owner=county, code="207-09")
    assert added.history.get(history_type="+").history_change_reason == \
        reasons[("added", "207-09")][1]

    # Every proposal decided: the system now follows the new edition, and the tailoring
    # report compares with it — what was declined is this unit's deviation, with the
    # decision's who, when and why.
    root = Node.objects.get(owner=county, depth=1)
    assert root.template_node.template == template
    assert node.template_node_id is not None
    node.refresh_from_db()
    assert node.template_node.template == template and node.template_node.code == "201-03"
    report = tailoring_report(county)
    assert report.template == template
    summary = [(d.kind, d.code, d.name, d.reason, d.by) for d in report.deviations]
    assert summary == [
        ("removed", "101-01", ADDED_GUIDE[1], reasons[("added", "101-01")][1], "王芳"),
        ("added", "303-02", REMOVED[1], reasons[("removed", "303-02")][1], "王芳"),
        ("renamed", "302", RENAMED_CATEGORY[1], reasons[("renamed", "302")][1], "王芳"),
    ]
    assert report.kept == template.nodes.count() - 1 - 1
    # The other county still follows the edition before, its report unchanged.
    assert tailoring_report(sibling).template == template.previous
    assert tailoring_report(sibling).deviations == []

    page = client.get(reverse("registry:editions"))
    assert page.context["pending"] == [] and len(page.context["decided"]) == 5
    assert "由州局统一制定" in page.content.decode()
    # Each decision has its history page, with its reason.
    decided = page.context["decided"][0]
    history = client.get(reverse("audit:record_history",
                                 args=["registry.editionproposal", decided.pk]))
    assert history.status_code == 200 and decided.reason in history.content.decode()
    call_command("verify_history", stdout=io.StringIO())
    assert verify_all(anchors=[]).intact


def test_accepting_a_removal_deletes_the_aspect_unless_it_holds_standards(counties,
                                                                          edition_file):
    county = counties["652302"]
    admin = give_role(UserFactory(username="fkadmin"), "admin", county).user
    load(edition_file)
    removal = EditionProposal.objects.get(organization=county, kind="removed")
    aspect = Node.objects.get(owner=county, code="303-02")
    with acting_in(county):
        if not Placement.objects.filter(node=aspect).exists():
            PlaceStandard(admin, aspect, Standard.objects.get(
                number=parse_standard_number("GB/T 1.1-2020").canonical),
                "测试：该方面已有标准").execute()
        with pytest.raises(ValidationError, match="GB/T 1.1—2020"):
            DecideProposal(admin, removal, True, "随新版删除").execute()
        assert Node.objects.filter(pk=aspect.pk).exists()
        for placement in Placement.objects.filter(node=aspect):
            RemovePlacement(admin, placement, "移出后删除").execute()
        DecideProposal(admin, removal, True, "随新版删除").execute()
        declined = DecideProposal(admin, EditionProposal.objects.get(
            organization=county, kind="added", new_node__code="101-01"), False, "不需要")
        declined.execute()
    assert not Node.objects.filter(pk=aspect.pk).exists()
    assert Node.history.filter(id=aspect.pk, history_type="-",
                               history_change_reason="随新版删除").exists()
    # Until the last proposal is decided the system follows the edition before: the report
    # shows the removal with the decision's reason.
    report = tailoring_report(county)
    assert report.template == find_template("DB 6523/T 370-2023")
    removed = [(d.code, d.reason) for d in report.deviations if d.kind == "removed"]
    assert removed == [("303-02", "随新版删除")]


def test_matching_a_rename_beside_a_removal_that_shifts_codes(seeded):
    """Codes follow positions: after a removal, an aspect keeps its identity by name, and a
    rename is told by its place among unchanged neighbours."""
    data = appendix_a()
    data_centre = data["system"]["children"][2]["children"][2]["children"]
    data_centre.pop(1)                      # 303-02 removed: 303-03 … 303-05 shift up
    data_centre[2]["name"] = "网络安全管理"   # old 303-04 网络管理, now coded 303-03
    root = read_edition(json.dumps(data, ensure_ascii=False))
    matching = match_editions(root, find_template("DB 6523/T 370-2023"))
    assert [o.code for o in matching.removed] == ["303-02"]
    assert [(r.previous.code, r.code, r.name) for r in matching.renamed] == [
        ("303-04", "303-03", "网络安全管理")]
    assert matching.added == []


def test_bad_files_are_refused_with_a_message_and_nothing_is_written(seeded, tmp_path):
    before = (Template.objects.count(), TemplateNode.objects.count(),
              EditionProposal.objects.count())
    broken = tmp_path / "broken.json"
    broken.write_text('{"system": {"name": "体系", "children": [', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        load(broken)
    shapeless = tmp_path / "shapeless.json"
    shapeless.write_text(json.dumps({"system": {"name": "体系", "children": [
        {"name": ""}, {"name": "甲", "children": "乙"}, {"name": "丙"}, {"name": "丙"}]}},
        ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        load(shapeless)
    message = str(refused.value)
    assert "a node needs a name" in message and "“children” must be a list" in message
    assert "two children are named “丙”" in message
    with pytest.raises(CommandError, match="Cannot read"):
        load(tmp_path / "missing.json")
    assert (Template.objects.count(), TemplateNode.objects.count(),
            EditionProposal.objects.count()) == before
    # The same edition twice, or an edition that is followed already: refused.
    good = tmp_path / "good.json"
    good.write_text(json.dumps(five_changes(), ensure_ascii=False), encoding="utf-8")
    load(good)
    with pytest.raises(CommandError, match="exists already"):
        load(good)
    with pytest.raises(CommandError, match="followed by"):
        load(good, edition="DB 6523/T 370-2026")


def test_a_system_with_nothing_to_decide_follows_the_new_edition_at_once(seeded):
    """An edition that changes only what this system no longer has: no proposal, and the
    system follows the new edition at once; its earlier 删减 keeps its why and reason."""
    prefecture = seeded.owner
    admin = give_role(UserFactory(username="zhouadmin"), "admin", prefecture).user
    DeleteNode(admin, Node.objects.get(owner=prefecture, code="304-09"), "本局不承担该项",
               why="not_applicable").execute()
    data = appendix_a()
    other = data["system"]["children"][2]["children"][3]["children"]
    assert len(other) == 9
    other[8]["name"] += "（修订）"
    template = AddTemplateEdition(admin, json.dumps(data, ensure_ascii=False), EDITION,
                                  find_template("DB 6523/T 370-2023"),
                                  by_operator=True).execute()
    assert not EditionProposal.objects.filter(template=template).exists()
    seeded.refresh_from_db()
    assert seeded.template_node.template == template
    report = tailoring_report(prefecture)
    assert report.template == template
    assert [(d.kind, d.code, d.why, d.reason) for d in report.deviations] == [
        ("removed", "304-09", "not_applicable", "本局不承担该项")]
