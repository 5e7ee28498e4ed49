"""Organizations scope the lifecycle: a county's office sees and changes its own projects,
departments, information, checks and evaluations only — by page, by forged request and by
API; the prefecture's administrators and leads read a county's after switching and change
nothing there; what is written in a county belongs to it (docs/architecture.md
"### organizations")."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.tokens import AddApiToken
from lifecycle.choices import CheckResult, InformationCategory, Stage
from lifecycle.models import (
    Department,
    Evaluation,
    EvaluationTemplate,
    ImplementationCheck,
    InformationItem,
    Project,
)
from organizations.middleware import SESSION_KEY
from organizations.rules import acting_in
from registry.models import Node
from tests.factories import StandardFactory

# Nothing here is given the default organization behind the test's back (tests/conftest.py):
# an action that forgets to set it fails.
pytestmark = [pytest.mark.django_db, pytest.mark.strict_organization]


def login(client, user, organization=None):
    client.force_login(user)
    if organization is not None:
        session = client.session
        session[SESSION_KEY] = organization.pk
        session.save()
    return client


def bearer(user):
    _token, secret = AddApiToken(user, "同步").execute()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def records_of(organization, user, standard):
    """One record of each kind in ``organization``, named after it."""
    today, tag = timezone.localdate(), organization.code
    with acting_in(organization):
        department = Department.objects.create(organization=organization, name=f"经办科{tag}",
                                               lead=user)
        project = Project.objects.create(
            organization=organization, title=f"项目{tag}", department=department,
            node=Node.objects.get(owner=organization, code="304-09"), leader=user,
            planned_start=today, planned_end=today + timedelta(days=180), created_by=user)
        item = InformationItem.objects.create(
            organization=organization, title=f"信息{tag}", category=InformationCategory.POLICY,
            source="人社部", published_on=today, created_by=user)
        check = ImplementationCheck.objects.create(
            organization=organization, standard=standard, location=f"窗口{tag}",
            checked_on=today, inspector=user, findings=f"检查{tag}",
            result=CheckResult.CONFORMING, created_by=user)
        template = EvaluationTemplate.objects.create(organization=organization,
                                                     name="默认", is_default=True)
        evaluation = Evaluation.objects.create(
            organization=organization, standard=standard, template=template,
            evaluated_on=today, evaluated_by=user, total=Decimal("70"), conclusion=f"结论{tag}")
    return {"department": department, "project": project, "item": item, "check": check,
            "evaluation": evaluation}


@pytest.fixture
def records(counties, people):
    standard = StandardFactory()
    return {code: records_of(organization, people[f"office-{code}"], standard)
            for code, organization in counties.items()}


DETAIL = {"department": "lifecycle:department_detail", "project": "lifecycle:project_detail",
          "item": "lifecycle:informationitem_detail",
          "check": "lifecycle:implementationcheck_detail",
          "evaluation": "lifecycle:evaluation_detail"}
LISTS = {"department": "lifecycle:department_list", "project": "lifecycle:project_list",
         "item": "lifecycle:informationitem_list",
         "check": "lifecycle:implementationcheck_list",
         "evaluation": "lifecycle:evaluation_list"}
NAMES = {"department": "经办科", "project": "项目", "item": "信息", "check": "窗口",
         "evaluation": "结论"}


@pytest.mark.parametrize("kind", list(DETAIL))
def test_a_county_office_sees_its_own_records_only(client, records, people, kind):
    login(client, people["office-652302"])
    own, other = records["652302"][kind], records["652301"][kind]
    assert client.get(reverse(DETAIL[kind], args=[own.pk])).status_code == 200
    assert client.get(reverse(DETAIL[kind], args=[other.pk])).status_code == 404
    page = client.get(reverse(LISTS[kind])).content.decode()
    assert f"{NAMES[kind]}652302" in page and f"{NAMES[kind]}652301" not in page


def test_forged_writes_on_another_county_s_records_change_nothing(client, records, people):
    other = records["652301"]
    login(client, people["office-652302"])
    posts = [
        (reverse("lifecycle:project_edit", args=[other["project"].pk]),
         {"title": "篡改", "reason": "伪造"}),
        (reverse("lifecycle:project_transition", args=[other["project"].pk, "terminate"]),
         {"reason": "伪造"}),
        (reverse("lifecycle:informationitem_status", args=[other["item"].pk]),
         {"status": "archived", "reason": "伪造"}),
        (reverse("lifecycle:implementationcheck_edit", args=[other["check"].pk]),
         {"findings": "篡改", "reason": "伪造"}),
        (reverse("lifecycle:evaluation_delete", args=[other["evaluation"].pk]),
         {"reason": "伪造"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    # The office may not edit departments at all (refused before the record is looked up).
    assert client.post(reverse("lifecycle:department_edit", args=[other["department"].pk]),
                       {"name": "篡改", "reason": "伪造"}).status_code == 403
    project = Project._base_manager.get(pk=other["project"].pk)
    assert project.title == "项目652301" and project.stage == Stage.PROPOSAL
    assert Department._base_manager.get(pk=other["department"].pk).name == "经办科652301"
    assert InformationItem._base_manager.get(pk=other["item"].pk).status == "new"
    assert ImplementationCheck._base_manager.get(pk=other["check"].pk).findings == "检查652301"
    assert Evaluation._base_manager.filter(pk=other["evaluation"].pk).exists()


def test_another_county_s_department_is_no_choice(client, records, people, counties):
    login(client, people["office-652302"])
    page = client.get(reverse("lifecycle:project_add")).content.decode()
    select = page[page.index('name="department"'):]
    select = select[:select.index("</select>")]
    assert "经办科652302" in select and "经办科652301" not in select
    response = client.post(reverse("lifecycle:project_add"), {
        "title": "越权项目", "kind": "new", "level": "organization",
        "node": Node.objects.get(owner=counties["652302"], code="304-09").pk,
        "department": records["652301"]["department"].pk,
        "leader": people["office-652302"].pk,
        "planned_start": timezone.localdate().isoformat(),
        "planned_end": (timezone.localdate() + timedelta(days=30)).isoformat()})
    assert response.status_code == 200 and response.context["form"].errors["department"]
    assert not Project._base_manager.filter(title="越权项目").exists()


def test_the_api_shows_the_token_user_s_county_only(records, people):
    own, other = records["652302"], records["652301"]
    api = bearer(people["office-652302"])
    listed = api.get("/api/projects/").json()["results"]
    assert [row["id"] for row in listed] == [own["project"].pk]
    assert api.get(f"/api/projects/{other['project'].pk}/").status_code == 404
    assert api.get(f"/api/checks/{other['check'].pk}/").status_code == 404
    assert api.get(f"/api/evaluations/{other['evaluation'].pk}/").status_code == 404
    assert [row["id"] for row in api.get("/api/evaluations/").json()["results"]] == [
        own["evaluation"].pk]
    assert api.post(f"/api/projects/{other['project'].pk}/transition/",
                    {"name": "terminate", "reason": "伪造"}).status_code == 404
    assert Project._base_manager.get(pk=other["project"].pk).stage == Stage.PROPOSAL


@pytest.mark.parametrize("who", ["prefecture-admin", "prefecture-lead"])
def test_the_prefecture_reads_a_county_s_projects_and_changes_nothing(client, records, people,
                                                                      counties, who):
    changji, project = counties["652301"], records["652301"]["project"]
    login(client, people[who])
    # In its own organization the prefecture sees none of the county's.
    assert "项目652301" not in client.get(reverse("lifecycle:project_list")).content.decode()
    response = client.post(reverse("organizations:switch"),
                           {"organization": changji.pk, "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("lifecycle:project_list")).content.decode()
    assert "项目652301" in page and "项目652302" not in page
    assert client.get(reverse("lifecycle:project_detail", args=[project.pk])).status_code == 200
    assert client.get(reverse("lifecycle:project_edit", args=[project.pk])).status_code == 403
    # A viewer there: the step is refused (with a message on the project page).
    client.post(reverse("lifecycle:project_transition", args=[project.pk, "terminate"]),
                {"reason": "越权"})
    assert Project._base_manager.get(pk=project.pk).stage == Stage.PROPOSAL


def test_what_a_county_writes_belongs_to_it(client, records, people, counties):
    fukang = counties["652302"]
    login(client, people["office-652302"])
    response = client.post(reverse("lifecycle:informationitem_add"), {
        "title": "县里收集的信息", "category": InformationCategory.POLICY, "source": "自治区",
        "published_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert InformationItem._base_manager.get(title="县里收集的信息").organization == fukang
    response = client.post(reverse("lifecycle:implementationcheck_add"), {
        "standard": records["652302"]["check"].standard.pk, "location": "县大厅",
        "checked_on": timezone.localdate().isoformat(),
        "inspector": people["office-652302"].pk, "findings": "县里的检查",
        "result": CheckResult.CONFORMING})
    assert response.status_code == 302, response.context["form"].errors
    assert ImplementationCheck._base_manager.get(findings="县里的检查").organization == fukang
