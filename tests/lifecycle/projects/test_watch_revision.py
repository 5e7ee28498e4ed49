"""A "revise" decision on the reference watch opens the citing standard's revision project."""

from datetime import date

from django.urls import reverse

from catalog.models import Standard, Supersession
from lifecycle.choices import ProjectKind
from lifecycle.models import Project
from registry.models import Node, Placement, ReviewFlag


def cited_edition_replaced(placed=True):
    """DB6523/T 370—2023 (on node 101 when ``placed``) cites GB/T 1.1—2020, which a new
    edition replaces: the watch raises a flag on the citing standard. Returns (it, flag)."""
    old = Standard.objects.get(number="GB/T 1.1—2020")
    new = Standard.objects.create(number="GB/T 1.1-2026", title="标准化工作导则 第1部分（新版）",
                                  issued_on=date(2026, 1, 1), implemented_on=date(2026, 7, 1))
    seed = Standard.objects.get(number="DB6523/T 370—2023")
    if placed:
        Placement.objects.create(node=Node.objects.get(code="101"), standard=seed)
    else:
        Placement.objects.filter(standard=seed).delete()
    Supersession.objects.create(new=new, old=old)
    return seed, ReviewFlag.objects.get(cause=old, standard=seed)


def test_revise_opens_a_revision_project_and_clears_the_flag(seeded, client_for, department):
    seed, flag = cited_edition_replaced()
    client = client_for("office")
    response = client.post(reverse("registry:reviewflag_decide", args=[flag.pk]),
                           {"decision": "revise", "note": "随 GB/T 1.1 新版修订"})
    project = Project.objects.get(revises=seed)
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert project.kind == ProjectKind.REVISION and project.node.code == "101"
    flag.refresh_from_db()
    assert flag.decision == "revise"
    assert Project.history.filter(history_change_reason="随 GB/T 1.1 新版修订").exists()


def test_revise_refused_when_the_standard_has_no_node(seeded, client_for, department):
    seed, flag = cited_edition_replaced(placed=False)
    response = client_for("office").post(
        reverse("registry:reviewflag_decide", args=[flag.pk]),
        {"decision": "revise", "note": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["decision"]  # says to place it on a node first
    flag.refresh_from_db()
    assert flag.decision == "" and not Project.objects.exists()


def test_revise_with_a_department_to_choose_points_to_the_periodic_review_page(
        seeded, client_for, department, users):
    from lifecycle.models import Department

    Department.objects.create(name="信息化科", lead=users["lead"])  # two: the choice is the user's
    seed, flag = cited_edition_replaced()
    url = reverse("registry:reviewflag_decide", args=[flag.pk])
    review = reverse("lifecycle:periodicreview_add", args=[seed.pk])
    client = client_for("office")
    english = client.post(url, {"decision": "revise", "note": "随新版修订"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert english.context["form"].errors["decision"] == [
        f"A revision of DB6523/T 370—2023 needs its department and level chosen, which this "
        f"page does not offer: open it from <a href=\"{review}\">the standard's periodic "
        f"review page</a> with the conclusion “Revise (90.92)”."]
    assert f'<a href="{review}">' in english.content.decode()  # a link, not escaped text
    chinese = client.post(url, {"decision": "revise", "note": "随新版修订"})
    assert f'请在<a href="{review}">该标准的复审页面</a>以结论“修订（90.92）”开启修订' in (
        chinese.content.decode())
    flag.refresh_from_db()
    assert flag.decision == "" and not Project.objects.exists()


def test_revise_joins_the_revision_already_under_way(seeded, client_for, department, users):
    """As the refusal above advises: the revision opened from the periodic review page, the
    flag's "revise" decision is taken and leads to that project, with no second one."""
    seed, flag = cited_edition_replaced()
    under_way = Project.objects.create(
        title=seed.title, kind=ProjectKind.REVISION, level="local", node=Node.objects.get(
            code="101"), revises=seed, department=department, leader=users["office"],
        planned_start=date(2026, 1, 1), planned_end=date(2027, 1, 1), created_by=users["office"])
    response = client_for("office").post(
        reverse("registry:reviewflag_decide", args=[flag.pk]),
        {"decision": "revise", "note": "已在复审中开启修订"})
    assert response.status_code == 302 and response.url == under_way.get_absolute_url()
    flag.refresh_from_db()
    assert flag.decision == "revise" and Project.objects.filter(revises=seed).count() == 1
