"""A revision project's department and level are chosen on the form that opens it: proposed
only where there is no choice to make, refused (beside the field, nothing written) where a
choice is missing or does not fit the standard's level."""

from datetime import date

import pytest
from django.urls import reverse

from audit.actions import ActionError
from catalog.models import Standard
from catalog.models.choices import Level
from lifecycle.actions.projects import OpenRevision
from lifecycle.choices import ProjectLevel
from lifecycle.models import Department, PeriodicReview, Project
from lifecycle.rules.projects import REVISION_LEVELS
from registry.models import Node, Placement


def placed(number, title="社会保险报表管理规范"):
    standard = Standard.objects.create(number=number, title=title,
                                       issued_on=date(2020, 3, 1), implemented_on=date(2020, 3, 1))
    Placement.objects.create(node=Node.objects.get(code="304-09"), standard=standard)
    return standard


def review(client, standard, **fields):
    return client.post(reverse("lifecycle:periodicreview_add", args=[standard.pk]),
                       {"conclusion": "revise", "reason": "业务流程已变化", **fields},
                       HTTP_ACCEPT_LANGUAGE="en")


def test_every_standard_level_maps_to_the_levels_its_revision_may_have():
    assert set(REVISION_LEVELS) == set(Level)
    assert REVISION_LEVELS[Level.INDUSTRY] == (ProjectLevel.NATIONAL,)
    assert REVISION_LEVELS[Level.LOCAL] == (ProjectLevel.LOCAL,)
    for level in (Level.GROUP, Level.INTERNATIONAL, Level.FOREIGN):  # none of the unit's own
        assert set(REVISION_LEVELS[level]) == set(ProjectLevel)


def test_the_form_proposes_the_only_department_and_the_standards_own_level(
        seeded, department, client_for):
    standard = placed("Q/CJSB 001-2020")
    form = client_for("office").get(
        reverse("lifecycle:periodicreview_add", args=[standard.pk])).context["form"]
    assert form.fields["department"].initial == department
    assert [value for value, _label in form.fields["level"].choices] == ["", "organization"]
    assert form.fields["level"].initial == ProjectLevel.ORGANIZATION


def test_with_two_departments_the_department_is_chosen(seeded, department, users, client_for):
    other = Department.objects.create(name="信息化科", lead=users["lead"])
    standard = placed("Q/CJSB 001-2020")
    client = client_for("office")
    refused = review(client, standard)
    assert refused.status_code == 200
    assert refused.context["form"].errors["department"] == [
        "Choose the department that revises this standard."]
    assert not Project.objects.exists() and not PeriodicReview.objects.exists()
    chinese = client.post(reverse("lifecycle:periodicreview_add", args=[standard.pk]),
                          {"conclusion": "revise", "reason": "业务流程已变化"})
    assert chinese.context["form"].errors["department"] == ["请选择修订本标准的部门。"]

    response = review(client, standard, department=other.pk)
    project = Project.objects.get()
    assert response.status_code == 302
    assert (project.department, project.level) == (other, ProjectLevel.ORGANIZATION)


def test_a_group_standards_revision_has_its_level_chosen(seeded, department, client_for):
    standard = placed("T/CAS 115-2005", title="保健按摩服务规范")
    client = client_for("office")
    form = client.get(reverse("lifecycle:periodicreview_add", args=[standard.pk])
                      ).context["form"]
    assert form.fields["level"].initial is None  # no silent national
    refused = review(client, standard, department=department.pk)
    assert "Choose the level of the revision project: a Group standard" in (
        refused.context["form"].errors["level"][0])
    assert not Project.objects.exists()

    review(client, standard, department=department.pk, level="local")
    assert Project.objects.get().level == ProjectLevel.LOCAL


def test_a_level_that_does_not_fit_is_refused(seeded, department, users):
    standard = placed("Q/CJSB 001-2020")
    with pytest.raises(ActionError, match="is a project of level: Organization"):
        OpenRevision(users["office"], standard, "修订", department, ProjectLevel.NATIONAL
                     ).execute()
    assert not Project.objects.exists()


def test_the_information_revision_form_checks_the_chosen_standards_level(seeded, department,
                                                                          client_for):
    from tests.lifecycle.information.test_information import item as information_item

    standard = placed("Q/CJSB 001-2020")
    local = Standard.objects.get(number="DB6523/T 370—2023")
    Placement.objects.create(node=Node.objects.get(code="101"), standard=local)
    item = information_item(standards=[standard, local])
    form = client_for("office").get(reverse("lifecycle:informationitem_revision",
                                            args=[item.pk])).context["form"]
    assert [value for value, _label in form.fields["level"].choices] == [
        "", "organization", "local"]  # the levels of the standards offered
    url = reverse("lifecycle:informationitem_revision", args=[item.pk])
    client = client_for("office")
    refused = client.post(url, {"standard": standard.pk, "department": department.pk,
                                "level": "local", "reason": "修订"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert "is a project of level: Organization" in refused.context["form"].errors["level"][0]
    assert not Project.objects.exists()
    client.post(url, {"standard": standard.pk, "department": department.pk,
                      "level": "organization", "reason": "修订"})
    assert Project.objects.get().department == department
