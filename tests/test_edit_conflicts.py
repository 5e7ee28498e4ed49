"""No lost update on any edit form: two people open the same form, both save; the second
save is refused with who changed the record and a field-by-field comparison, keeps what
was typed, and saving again puts the second person's values over the first's
(audit/versions.py)."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection  # noqa: F401  (skipif reads connection)
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from catalog.models import Amendment, Standard, Term
from lifecycle.choices import Stage
from lifecycle.models import (
    Comment,
    Department,
    ImplementationCheck,
    InformationItem,
    NonConformity,
    Objection,
    PlanItem,
    Project,
    ReviewAssignment,
    StaffProfile,
    TrainingRecord,
    WorkRule,
    YearPlan,
)
from registry.models import CompilationNotes, Node
from tests.factories import UserFactory


class FormFields(HTMLParser):
    """The values a browser would submit from the page's main form (the one with a
    ``loaded_version`` field)."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea, self.select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "file"):
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.current.setdefault(attrs["name"], []).append(attrs.get("value", default))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.current[self.textarea] = [""]
            self.fresh = True
        elif tag == "select":
            self.select = attrs["name"]
            self.current.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.current[self.select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.current = None

    def handle_data(self, data):
        if self.textarea:
            if self.fresh and data.startswith("\n"):  # as browsers do
                data = data[1:]
            self.fresh = False
            self.current[self.textarea][0] += data


def form_data(response):
    parser = FormFields()
    parser.feed(response.content.decode())
    found = [f for f in parser.forms if "loaded_version" in f]
    assert found, "the edit form carries no version"
    data = found[0]
    data.pop("csrfmiddlewaretoken", None)
    return data


def errors(response):
    return re.findall(r'class="error">([^<]*)|<div class="errors" role="alert"><p>([^<]*)',
                      response.content.decode())


def department(users):
    return Department.objects.create(name="社会保险经办科", lead=users["lead"])


def project(users, stage=Stage.PROPOSAL):
    return Project.objects.create(
        title="社会保险报表管理规范", level="organization", node=Node.objects.get(code="304-09"),
        department=department(users), leader=users["office"], stage=stage,
        planned_start=timezone.localdate(),
        planned_end=timezone.localdate() + timedelta(days=180), created_by=users["office"])


def check(users):
    return ImplementationCheck.objects.create(
        standard=Standard.objects.get(number="GB/T 1.1—2020"), checked_on=date(2026, 3, 2),
        location="政务服务大厅社保窗口",
        inspector=users["office"], findings="窗口按规范办理", result="conforming",
        created_by=users["office"])


def plan():
    return YearPlan.objects.create(year=2026, title="2026年标准化工作计划")


# Each edit form: (make the record → URL, the field both people change).
CASES = {
    "node_edit": (lambda u: reverse("registry:node_edit", args=[
        Node.objects.get(code="304-09").pk]), "name"),
    "standard_edit": (lambda u: reverse("registry:standard_edit", args=[
        Standard.objects.get(number="GB/T 1.1—2020").pk]), "title"),
    "term_edit": (lambda u: reverse("catalog:term_edit", args=[
        Term.objects.create(term="社会保险经办服务标准",
                            definition="经办机构提供服务所依据的标准。").pk]), "definition"),
    "compilationnotes_edit": (lambda u: (
        CompilationNotes.objects.create(root=Node.objects.get_root_nodes().get(),
                                        text="依据GB/T 13016-2018编制。"),
        reverse("registry:compilationnotes_edit"))[1], "text"),
    "informationitem_edit": (lambda u: reverse("lifecycle:informationitem_edit", args=[
        InformationItem.objects.create(
            title="国家标准化发展纲要", category="policy", source="中共中央 国务院",
            published_on=date(2021, 10, 10), created_by=u["office"],
            link="https://www.gov.cn/zhengce/2021-10/10/content_5641727.htm").pk]), "title"),
    "department_edit": (lambda u: reverse("lifecycle:department_edit", args=[
        department(u).pk]), "duties"),
    "staffprofile_edit": (lambda u: (
        StaffProfile.objects.create(user=u["expert"], duties="标准审查"),
        reverse("lifecycle:staffprofile_edit", args=[u["expert"].pk]))[1], "duties"),
    "trainingrecord_edit": (lambda u: reverse("lifecycle:trainingrecord_edit", args=[
        TrainingRecord.objects.create(
            user=u["expert"], course="GB/T 1.1-2020 标准化工作导则", attended_on=date(2026, 5, 8),
            hours=4, provider="市场监管局", created_by=u["office"]).pk]), "course"),
    "project_edit": (lambda u: reverse("lifecycle:project_edit", args=[project(u).pk]),
                     "title"),
    "comment_edit": (lambda u: (lambda p: reverse("lifecycle:comment_edit", args=[
        p.pk, Comment.objects.create(project=p, unit="医保中心", content="第5章流程图不清").pk]))(
        project(u, Stage.COMMENT)), "note"),
    "objection_edit": (lambda u: (lambda p: reverse("lifecycle:objection_edit", args=[
        p.pk, Objection.objects.create(project=p, raised_by="某街道社保所",
                                       content="办理时限过短").pk]))(
        project(u, Stage.PUBLIC_NOTICE)), "resolution"),
    "reviewassignment_edit": (lambda u: (lambda p: (
        ReviewAssignment.objects.create(project=p, expert=u["expert"]),
        reverse("lifecycle:reviewassignment_edit", args=[p.pk]))[1])(
        project(u, Stage.REVIEW)), "experts"),
    "implementationcheck_edit": (lambda u: reverse("lifecycle:implementationcheck_edit",
                                                   args=[check(u).pk]), "findings"),
    "nonconformity_edit": (lambda u: reverse("lifecycle:nonconformity_edit", args=[
        NonConformity.objects.create(
            check_record=check(u), description="未公示办理时限", action="公示办理时限",
            owner=u["lead"], due_on=date(2026, 6, 30)).pk]), "action"),
    "workrule_edit": (lambda u: reverse("lifecycle:workrule_edit", args=[
        WorkRule.objects.create(title="标准化工作管理办法", effective_on=date(2025, 1, 1),
                                node=Node.objects.get(code="304-09"),
                                created_by=u["office"]).pk]), "title"),
    "yearplan_edit": (lambda u: reverse("lifecycle:yearplan_edit", args=[plan().year]),
                      "title"),
    "system_edit": (lambda u: reverse("registry:system_edit"), "organization"),
    "amendment_edit": (lambda u: reverse("catalog:amendment_edit", args=[
        Amendment.objects.create(standard=Standard.objects.get(number="GB/T 1.1—2020"),
                                 sequence=1, year=2024).pk]), "remarks"),
    "planitem_edit": (lambda u: reverse("lifecycle:planitem_edit", args=[
        PlanItem.objects.create(plan=plan(), title="制定社会保险报表管理规范",
                                node=Node.objects.get(code="304-09"),
                                target_on=date(2026, 12, 31)).pk]), "title"),
}


def url_names(resolver):
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    for _prefix, namespace in resolver.namespace_dict.values():
        names |= url_names(namespace)
    return names


def test_every_edit_form_is_covered():
    names = {name for name in url_names(get_resolver()) if name.endswith("_edit")}
    assert len(names) >= 19 and names <= set(CASES), sorted(names - set(CASES))


def edited(data, field, value, experts=None):
    data = {**data, "reason": ["更正"]}
    data[field] = experts if field == "experts" else [value]
    return data


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_second_save_is_refused_with_the_first_change(name, seeded, users):
    make, field = CASES[name]
    url = make(users)
    first, second = Client(), Client()
    first.force_login(UserFactory(username="zhang", first_name="张伟", role="admin"))
    second.force_login(UserFactory(username="li", first_name="李娜", role="admin"))
    other = UserFactory(username="wang", role="expert")
    loaded_first, loaded_second = form_data(first.get(url)), form_data(second.get(url))
    theirs, mine = "张伟改的内容", "李娜改的内容"

    saved = first.post(url, edited(loaded_first, field, theirs,
                                 [str(users["expert"].pk), str(other.pk)]))
    assert saved.status_code == 302, errors(saved)
    refused = second.post(url, edited(loaded_second, field, mine, [str(other.pk)]))
    page = refused.content.decode()
    assert refused.status_code == 200, errors(refused)
    assert "edit-conflict" in page, errors(refused)
    assert 'id="edit-conflict"' in page and "张伟" in page
    if field != "experts":
        assert theirs in page and mine in page  # their change, and what was typed, kept

    again = second.post(url, form_data(refused))  # "save again": mine over theirs
    assert again.status_code == 302, errors(again)
    reloaded = form_data(second.get(url))
    if field == "experts":
        assert reloaded["experts"] == [str(other.pk)]
    else:
        assert reloaded[field] == [mine]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins_the_other_sees_the_conflict():
    """The version is compared under the row lock: the second writer waits, then finds the
    first one's version."""
    import threading

    from django.db import connections

    from registry.actions.seed import seed_system

    seed_system()
    node = Node.objects.get(code="304-09")
    url = reverse("registry:node_edit", args=[node.pk])
    versions_before = node.history.count()
    clients = []
    for name in ("zhang", "li"):
        client = Client()
        client.force_login(UserFactory(username=name, role="admin"))
        clients.append((client, form_data(client.get(url))))
    barrier, statuses = threading.Barrier(2), []

    def save(client, data, name):
        try:
            barrier.wait()
            response = client.post(url, {**data, "name": [name], "reason": ["同时修改"]})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(*pair, f"社会保险报表管理{i}"))
               for i, pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302]
    assert node.history.count() == versions_before + 1  # one change, nothing overwritten
