"""Reference watch: superseding or withdrawing a standard flags what cites or holds it,
until someone decides."""

from datetime import date

import pytest
from django.urls import reverse

from catalog.models import Citation, Standard, Supersession
from registry.models import Placement, ReviewFlag


def supersede_gbt_1_1():
    old = Standard.objects.get(number="GB/T 1.1—2020")
    new = Standard.objects.create(number="GB/T 1.1-2026", title="标准化工作导则 第1部分（新版）",
                                  issued_on=date(2026, 1, 1), implemented_on=date(2026, 7, 1))
    Supersession.objects.create(new=new, old=old)
    return old, new


def test_superseding_flags_every_citing_standard_and_node(seeded):
    old, _new = supersede_gbt_1_1()
    flags = ReviewFlag.objects.filter(cause=old, decision="")
    citing = set(Citation.objects.filter(cited=old).values_list("citing__number", flat=True))
    assert {f.standard.number for f in flags if f.standard} == citing == {"DB6523/T 370—2023"}
    assert {f.node.code for f in flags if f.node} == {"101"}
    supersede_again = Supersession.objects.filter(old=old).count()
    assert supersede_again == 1


def test_withdrawal_flags_once(seeded):
    standard = Standard.objects.get(number="GB 2894")
    standard.withdrawn_on = date(2026, 1, 1)
    standard.save()
    standard.title = standard.title + "（已废止）"
    standard.save()  # another change: no second flag
    flags = ReviewFlag.objects.filter(cause=standard)
    # The seed cites it and node 103 holds it: one flag each, not again on a later save.
    assert sorted(str(f.node.code) if f.node else f.standard.number for f in flags) == [
        "103", "DB6523/T 370—2023"]


def test_flags_clear_when_decided(seeded, client_for):
    old, new = supersede_gbt_1_1()
    client = client_for("office")
    page = client.get(reverse("registry:reviewflag_list"))
    assert page.context["paginator"].count == 2
    citing = ReviewFlag.objects.get(cause=old, standard__isnull=False)
    response = client.post(reverse("registry:reviewflag_decide", args=[citing.pk]),
                           {"decision": "replace", "note": "改引新版"})
    assert response.status_code == 302
    seed = Standard.objects.get(number="DB6523/T 370—2023")
    assert new in seed.cites.all() and old not in seed.cites.all()
    node_flag = ReviewFlag.objects.get(cause=old, node__isnull=False)
    response = client.post(reverse("registry:reviewflag_decide", args=[node_flag.pk]),
                           {"decision": "revise", "note": "x"})
    assert response.status_code == 200  # a node has no text to revise: not offered
    assert "revise" not in dict(response.context["form"].fields["decision"].choices)
    client.post(reverse("registry:reviewflag_decide", args=[node_flag.pk]),
                {"decision": "replace", "note": "导则类别改放新版"})
    holders = Standard.objects.filter(placements__node=node_flag.node)
    assert new in holders and old not in holders
    assert client.get(reverse("registry:reviewflag_list")).context["paginator"].count == 0
    assert ReviewFlag.history.filter(history_change_reason="改引新版").exists()
    assert Placement.history.filter(history_change_reason="导则类别改放新版").count() == 2


def test_no_successor_means_no_replace_choice(seeded, client_for):
    withdrawn = Standard.objects.get(number="GB/T 1.1—2020")
    withdrawn.withdrawn_on = date(2026, 11, 1)
    withdrawn.save()
    flag = ReviewFlag.objects.filter(cause=withdrawn, standard__isnull=False).first()
    page = client_for("office").get(reverse("registry:reviewflag_decide", args=[flag.pk]))
    assert "replace" not in dict(page.context["form"].fields["decision"].choices)


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_only_editors_decide(seeded, client_for, role):
    supersede_gbt_1_1()
    flag = ReviewFlag.objects.first()
    client = client_for(role)
    assert client.get(reverse("registry:reviewflag_list")).status_code == 200
    assert client.post(reverse("registry:reviewflag_decide", args=[flag.pk]),
                       {"decision": "confirm", "note": "x"}).status_code == 403


def test_flags_are_raised_in_the_name_of_who_withdrew(seeded, users):
    from catalog.actions.standards import SaveStandard

    standard = Standard.objects.get(number="GB 2894")
    standard.withdrawn_on = date(2026, 1, 1)
    SaveStandard(users["office"], standard, "已废止").execute()
    rows = ReviewFlag.history.filter(cause=standard)
    assert {(r.history_type, r.history_user, r.history_change_reason) for r in rows} == {
        ("+", users["office"], "GB 2894 已废止")}
    assert rows.count() == 2


def test_a_flag_is_decided_once_with_a_reason(seeded, users):
    from audit.actions import ActionError
    from registry.actions import DecideReviewFlag

    supersede_gbt_1_1()
    flag = ReviewFlag.objects.get(standard__isnull=False)
    with pytest.raises(ActionError):
        DecideReviewFlag(users["office"], flag, "confirm", "  ").execute()
    stale = ReviewFlag.objects.get(pk=flag.pk)
    DecideReviewFlag(users["office"], flag, "confirm", "仍引用旧版").execute()
    assert (flag.decision, flag.decided_by) == ("confirm", users["office"])
    with pytest.raises(ActionError):  # decided meanwhile: no second decision, no project
        DecideReviewFlag(users["office"], stale, "revise", "另行修订").execute()
    rows = ReviewFlag.history.filter(id=flag.pk, history_type="~")
    assert [(r.history_user, r.history_change_reason) for r in rows] == [
        (users["office"], "仍引用旧版")]
