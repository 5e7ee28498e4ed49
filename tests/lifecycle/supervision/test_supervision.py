"""Clause 8.1: implementation checks, non-conformities and closing corrective actions."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog.models import Standard
from catalog.models.choices import Status
from lifecycle.actions.supervision import AddCheck, AddNonConformity, CloseNonConformity
from lifecycle.choices import ActionStatus, CheckResult
from lifecycle.models import Department, Evaluation, ImplementationCheck, NonConformity
from lifecycle.rules.evaluation import below_threshold
from lifecycle.rules.tasks import tasks_for
from lifecycle.views.attachments import attachment_url
from tests.factories import UserFactory
from tests.lifecycle.conftest import PDF, pdf_upload

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, so the assertions can match the English messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def current(index=0):
    return list(Standard.objects.with_status().filter(computed_status=Status.CURRENT)
                .order_by("number"))[index]


def make_check(users, department=None, *, result=CheckResult.NONCONFORMING, days_ago=20,
               standard=None, location=""):
    """A check recorded through the service, as the office does."""
    return AddCheck(users["office"], ImplementationCheck(
        standard=standard or current(), department=department, location=location,
        checked_on=TODAY() - timedelta(days=days_ago), inspector=users["office"],
        findings="抽查档案，发现缺少签字。", result=result,
    )).execute()


def make_action(users, check, owner="lead", due_in=10, description="档案缺少经办人签字"):
    return AddNonConformity(users["office"], check, NonConformity(
        description=description, action="补齐签字并培训", owner=users[owner],
        due_on=TODAY() + timedelta(days=due_in),
    )).execute()


def check_data(standard, department=None, **fields):
    data = {"standard": standard.pk, "department": department.pk if department else "",
            "location": "", "checked_on": TODAY().isoformat(), "inspector": "",
            "other_inspectors": "", "findings": "窗口服务符合标准。",
            "result": CheckResult.CONFORMING}
    data.update(fields)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def latest_history(record):
    return record.history.order_by("-history_id").first()


# --- recording a check -------------------------------------------------------------------

def test_office_records_a_conforming_check(seeded, users, department, client_for):
    client = client_for("office")
    standard = current()
    page = client.get(reverse("lifecycle:implementationcheck_add"), {"standard": standard.pk})
    form = page.context["form"]
    assert form.initial["standard"] == standard.pk
    assert form.initial["inspector"] == users["office"]
    data = check_data(standard, department, inspector=users["expert"].pk,
                      other_inspectors="张三", location="综合窗口")
    response = client.post(reverse("lifecycle:implementationcheck_add"), data)
    check = ImplementationCheck.objects.get()
    assert response.status_code == 302 and response.url == check.get_absolute_url()
    assert (check.inspector, check.created_by) == (users["expert"], users["office"])
    row = latest_history(check)
    assert row.history_user == users["office"]
    assert row.history_change_reason == "Implementation check recorded"
    page = client.get(check.get_absolute_url()).content.decode()
    assert standard.number in page and "综合窗口" in page and "张三" in page


def test_a_nonconforming_check_leads_to_adding_its_nonconformities(seeded, users, department,
                                                                   client_for):
    client = client_for("office")
    response = client.post(reverse("lifecycle:implementationcheck_add"), check_data(
        current(), department, inspector=users["office"].pk,
        result=CheckResult.NONCONFORMING))
    check = ImplementationCheck.objects.get()
    assert response.url == reverse("lifecycle:nonconformity_add", args=[check.pk])
    page = client.get(check.get_absolute_url())
    assert page.context["missing_nonconformities"]
    assert 'id="missing-nonconformities"' in page.content.decode()
    make_action(users, check)
    assert not client.get(check.get_absolute_url()).context["missing_nonconformities"]


def test_a_check_names_a_department_or_a_place(seeded, users, client_for):
    response = client_for("office").post(reverse("lifecycle:implementationcheck_add"), check_data(
        current(), inspector=users["office"].pk))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Name the department or the service window checked."]
    assert not ImplementationCheck.objects.exists()
    # The service refuses it too (for commands and the shell).
    with pytest.raises(ValidationError):
        make_check(users)
    assert not ImplementationCheck.objects.exists()


def test_a_check_cannot_be_dated_in_the_future(seeded, users, department, client_for):
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    response = client_for("office").post(reverse("lifecycle:implementationcheck_add"), check_data(
        current(), department, inspector=users["office"].pk, checked_on=tomorrow))
    assert response.context["form"].errors["checked_on"] == [
        "The check date cannot be in the future."]
    assert not ImplementationCheck.objects.exists()
    with pytest.raises(ValidationError) as refused:
        make_check(users, department, days_ago=-1)
    assert "checked_on" in refused.value.message_dict


def test_only_current_standards_are_checked(seeded, users, department, client_for):
    withdrawn = Standard.objects.create(number="Q/TEST 901-2010", title="已废止",
                                        withdrawn_on=date(2020, 1, 1))
    client = client_for("office")
    form = client.get(reverse("lifecycle:implementationcheck_add")).context["form"]
    choices = form.fields["standard"]
    assert withdrawn not in choices.queryset and current() in choices.queryset
    response = client.post(reverse("lifecycle:implementationcheck_add"), check_data(
        withdrawn, department, inspector=users["office"].pk))
    assert "standard" in response.context["form"].errors
    assert not ImplementationCheck.objects.exists()


# --- non-conformities --------------------------------------------------------------------

def test_office_adds_a_nonconformity_with_owner_and_due_date(seeded, users, department,
                                                            client_for):
    check = make_check(users, department)
    client = client_for("office")
    url = reverse("lifecycle:nonconformity_add", args=[check.pk])
    assert client.get(url).context["form"].initial["owner"] == users["lead"]  # dept lead
    due = TODAY() + timedelta(days=30)
    response = client.post(url, {"description": "办理时限未公示", "action": "在窗口公示",
                                 "owner": users["lead"].pk, "due_on": due.isoformat(),
                                 "add_another": "1"})
    assert response.url == url
    action = NonConformity.objects.get()
    assert (action.check_record, action.owner, action.due_on, action.status) == (
        check, users["lead"], due, ActionStatus.OPEN)
    row = latest_history(action)
    assert (row.history_user, row.history_change_reason) == (users["office"],
                                                             "Non-conformity recorded")
    page = client.get(check.get_absolute_url()).content.decode()
    assert "办理时限未公示" in page and due.isoformat() in page


def test_a_corrective_action_is_not_due_before_its_check(seeded, users, department,
                                                        client_for):
    check = make_check(users, department, days_ago=20)
    before = (check.checked_on - timedelta(days=1)).isoformat()
    response = client_for("office").post(
        reverse("lifecycle:nonconformity_add", args=[check.pk]),
        {"description": "问题", "action": "措施", "owner": users["lead"].pk, "due_on": before})
    assert response.context["form"].errors["due_on"] == [
        f"The due date cannot be before the check date ({check.checked_on.isoformat()})."]
    assert not NonConformity.objects.exists()
    with pytest.raises(ValidationError):
        make_action(users, check, due_in=-21)
    assert not NonConformity.objects.exists()


def test_the_nonconformity_page_shows_every_fact(seeded, users, department, client_for):
    check = make_check(users, department)
    action = make_action(users, check, due_in=-3)
    page = client_for("viewer").get(action.get_absolute_url()).content.decode()
    for text in ("档案缺少经办人签字", "补齐签字并培训", check.standard.number, "overdue",
                 (TODAY() - timedelta(days=3)).isoformat()):
        assert text in page
    assert 'id="nonconformity-close"' not in page  # the viewer may not close it


# --- closing ------------------------------------------------------------------------------

def test_the_owner_closes_the_action_with_evidence_and_a_file(seeded, users, department,
                                                              client_for):
    action = make_action(users, make_check(users, department))
    client = client_for("lead")  # a department lead, owner of the action
    assert 'id="nonconformity-close"' in client.get(action.get_absolute_url()).content.decode()
    url = reverse("lifecycle:nonconformity_close", args=[action.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"evidence": "已补齐签字，培训记录见附件。",
                                 "file": pdf_upload("整改报告.pdf")})
    assert response.url == action.get_absolute_url()
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED
    assert (action.closed_by, action.closed_on) == (users["lead"], TODAY())
    assert action.evidence == "已补齐签字，培训记录见附件。"
    assert (action.original_name, action.file_format) == ("整改报告.pdf", "pdf")
    row = latest_history(action)
    assert (row.history_user, row.history_change_reason) == (users["lead"],
                                                             "Closed with evidence")
    page = client_for("viewer").get(action.get_absolute_url()).content.decode()
    assert "已补齐签字" in page and "整改报告.pdf" in page and attachment_url(action) in page
    download = client_for("viewer").get(attachment_url(action))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_others_may_not_close_an_action(seeded, users, department, client_for, role):
    # The action belongs to another user; "lead" is a lead who does not own it.
    owner = UserFactory(username="owner", role="lead")
    check = make_check(users, department)
    action = AddNonConformity(users["office"], check, NonConformity(
        description="问题", action="措施", owner=owner, due_on=TODAY())).execute()
    client = client_for(role)
    url = reverse("lifecycle:nonconformity_close", args=[action.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"evidence": "证据"}).status_code == 403
    assert 'id="nonconformity-close"' not in client.get(
        action.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        CloseNonConformity(users[role], action, "证据").execute()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.history.count() == 1


@pytest.mark.parametrize("role", ["office", "admin"])
def test_office_and_admin_may_close_any_action(seeded, users, department, client_for, role):
    action = make_action(users, make_check(users, department))
    response = client_for(role).post(
        reverse("lifecycle:nonconformity_close", args=[action.pk]), {"evidence": "已整改"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED and action.closed_by == users[role]


def test_closing_needs_evidence_and_an_accepted_file(seeded, users, department, client_for):
    action = make_action(users, make_check(users, department))
    client = client_for("lead")
    url = reverse("lifecycle:nonconformity_close", args=[action.pk])
    response = client.post(url, {"evidence": "   "})
    assert response.context["form"].errors["evidence"] == [
        "Describe the evidence that the action is done."]
    fake = SimpleUploadedFile("证据.pdf", b"<html>not a pdf</html>")
    response = client.post(url, {"evidence": "已整改", "file": fake})
    assert "file" in response.context["form"].errors
    with pytest.raises(ValidationError):
        CloseNonConformity(users["lead"], action, "").execute()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and not action.file
    assert action.history.count() == 1


def test_an_action_cannot_be_closed_twice(seeded, users, department, client_for):
    action = make_action(users, make_check(users, department))
    client = client_for("lead")
    url = reverse("lifecycle:nonconformity_close", args=[action.pk])
    client.post(url, {"evidence": "第一次"})
    for response in (client.get(url), client.post(url, {"evidence": "第二次"})):
        assert response.url == action.get_absolute_url()
        assert any("already closed" in message for message in messages_of(response))
    with pytest.raises(ValidationError, match="already closed"):
        CloseNonConformity(users["office"], action, "第三次").execute()
    action.refresh_from_db()
    assert action.evidence == "第一次" and action.history.count() == 2


# --- permissions ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_only_the_office_records_checks_and_nonconformities(seeded, users, department,
                                                            client_for, role):
    check = make_check(users, department)
    client = client_for(role)
    add_check = reverse("lifecycle:implementationcheck_add")
    add_action = reverse("lifecycle:nonconformity_add", args=[check.pk])
    assert client.get(add_check).status_code == 403
    assert client.post(add_check, check_data(current(), department,
                                             inspector=users[role].pk)).status_code == 403
    assert client.get(add_action).status_code == 403
    assert client.post(add_action, {"description": "x", "action": "y",
                                    "owner": users[role].pk,
                                    "due_on": TODAY().isoformat()}).status_code == 403
    assert ImplementationCheck.objects.count() == 1 and not NonConformity.objects.exists()
    with pytest.raises(PermissionDenied):
        AddCheck(users[role], ImplementationCheck(standard=current(), department=department,
                                         checked_on=TODAY(), inspector=users[role],
                                         findings="x", result=CheckResult.CONFORMING)).execute()
    page = client.get(check.get_absolute_url()).content.decode()
    assert 'id="nonconformity-add"' not in page


@pytest.mark.parametrize("role", ["admin", "office", "lead", "expert", "viewer"])
def test_every_role_reads_checks_and_actions(seeded, users, department, client_for, role):
    action = make_action(users, make_check(users, department))
    client = client_for(role)
    for url in (reverse("lifecycle:implementationcheck_list"),
                action.check_record.get_absolute_url(),
                reverse("lifecycle:nonconformity_list"), action.get_absolute_url()):
        assert client.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_log_in(seeded, users, department, client):
    action = make_action(users, make_check(users, department))
    for url in (reverse("lifecycle:implementationcheck_list"),
                reverse("lifecycle:implementationcheck_add"),
                reverse("lifecycle:nonconformity_close", args=[action.pk])):
        assert client.get(url).status_code == 302


# --- lists ---------------------------------------------------------------------------------

def test_the_check_list_filters_by_standard_department_and_result(seeded, users, department,
                                                                  client_for):
    other = Department.objects.create(name="医疗保险科")
    a = make_check(users, department, standard=current(0))
    b = make_check(users, other, standard=current(1), result=CheckResult.CONFORMING)
    client = client_for("viewer")
    url = reverse("lifecycle:implementationcheck_list")

    def listed(**filters):
        return list(client.get(url, filters).context["object_list"])

    assert set(listed()) == {a, b}
    assert listed(standard=current(1).pk) == [b]
    assert listed(department=department.pk) == [a]
    assert listed(result=CheckResult.NONCONFORMING) == [a]


def test_the_action_list_filters_by_status_overdue_and_owner(seeded, users, department,
                                                             client_for):
    check = make_check(users, department)
    late = make_action(users, check, due_in=-2, description="逾期")
    soon = make_action(users, check, owner="office", due_in=5, description="未到期")
    done = make_action(users, check, due_in=-1, description="已关闭")
    CloseNonConformity(users["lead"], done, "已整改").execute()
    client = client_for("lead")
    url = reverse("lifecycle:nonconformity_list")

    def listed(**filters):
        return {item.description for item in client.get(url, filters).context["object_list"]}

    assert listed() == {"逾期", "未到期", "已关闭"}
    assert listed(status="open") == {"逾期", "未到期"}
    assert listed(status="closed") == {"已关闭"}
    assert listed(overdue="1") == {"逾期"}
    assert listed(owner="mine") == {"逾期", "已关闭"}
    assert listed(owner=users["office"].pk) == {"未到期"}
    assert listed(status="open", owner="mine") == {"逾期"}
    assert late.is_overdue and not soon.is_overdue


def test_lists_paginate_and_their_query_count_does_not_grow(
        seeded, users, department, client_for, django_assert_max_num_queries):
    client = client_for("office")

    def queries(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    check = make_check(users, department)
    make_action(users, check)
    lists = (reverse("lifecycle:implementationcheck_list"), reverse("lifecycle:nonconformity_list"))
    few = {url: queries(url) for url in lists}
    for index in range(30):
        other = make_check(users, department, result=CheckResult.NONCONFORMING)
        make_action(users, other, owner=("lead", "office", "expert")[index % 3])
    for url in lists:
        with django_assert_max_num_queries(few[url]):
            response = client.get(url)
        assert response.context["is_paginated"]
        assert len(response.context["object_list"]) == 25


# --- my tasks ------------------------------------------------------------------------------

def test_the_owner_sees_the_overdue_action_in_my_tasks(seeded, users, department, client_for):
    action = make_action(users, make_check(users, department), due_in=-4)
    make_action(users, action.check_record, owner="expert", due_in=3, description="专家的")
    lead_tasks = tasks_for(users["lead"])
    assert [(t.url, t.due, t.overdue) for t in lead_tasks] == [
        (action.get_absolute_url(), action.due_on, True)]
    assert lead_tasks[0].what == "Corrective action: 档案缺少经办人签字"
    page = client_for("lead").get(reverse("lifecycle:task_list")).content.decode()
    assert f'href="{action.get_absolute_url()}"' in page and "overdue" in page
    # The office is reminded of others' overdue actions, not of those still in time.
    office = [t for t in tasks_for(users["office"]) if t.url.startswith("/lifecycle/noncon")]
    assert [(t.what, t.url) for t in office] == [
        ("Overdue corrective action of lead", action.get_absolute_url())]
    assert [t.what for t in tasks_for(users["expert"])] == ["Corrective action: 专家的"]
    assert tasks_for(users["viewer"]) == []
    CloseNonConformity(users["lead"], action, "已整改").execute()
    assert tasks_for(users["lead"]) == []


# --- demo records --------------------------------------------------------------------------

def test_demo_records_are_created_once(seeded, users):
    out = StringIO()
    call_command("create_demo_records", stdout=out)
    assert "created" in out.getvalue()
    action = NonConformity.objects.get()
    assert action.owner == users["lead"] and action.is_overdue
    assert action.due_on == TODAY() - timedelta(days=10)
    assert action.check_record.department.name == "社会保险经办科"
    assert action.check_record.department.lead == users["lead"]
    assert set(ImplementationCheck.objects.values_list("result", flat=True)) == {
        CheckResult.CONFORMING, CheckResult.NONCONFORMING}
    evaluation = Evaluation.objects.get()
    assert [s.pk for s in below_threshold()] == [evaluation.standard_id]
    assert [t.url for t in tasks_for(users["lead"])] == [action.get_absolute_url()]
    assert latest_history(action).history_user == users["office"]
    counts = (ImplementationCheck.objects.count(), NonConformity.objects.count(),
              Evaluation.objects.count(), Department.objects.count())
    again = StringIO()
    call_command("create_demo_records", stdout=again)
    assert "created" not in again.getvalue() and "exists" in again.getvalue()
    assert counts == (ImplementationCheck.objects.count(), NonConformity.objects.count(),
                      Evaluation.objects.count(), Department.objects.count())


# --- QA fixes: "not yet due" filter, correcting checks and non-conformities ----------------

def test_the_not_yet_due_filter_lists_open_actions_due_today_or_later(seeded, users,
                                                                      department, client_for):
    check = make_check(users, department)
    make_action(users, check, due_in=-2, description="逾期")
    make_action(users, check, due_in=0, description="今天到期")
    make_action(users, check, due_in=5, description="未到期")
    done = make_action(users, check, due_in=3, description="已关闭")
    CloseNonConformity(users["lead"], done, "已整改").execute()
    client = client_for("viewer")
    url = reverse("lifecycle:nonconformity_list")

    def listed(**filters):
        return {item.description for item in client.get(url, filters).context["object_list"]}

    assert listed(overdue="0") == {"今天到期", "未到期"}
    assert listed(status="open", overdue="0") == {"今天到期", "未到期"}
    assert listed(status="open", overdue="1") == {"逾期"}
    assert listed(overdue="1") == {"逾期"}


def check_edit_data(check, **fields):
    data = {"standard": check.standard_id,
            "department": check.department_id or "", "location": check.location,
            "checked_on": check.checked_on.isoformat(), "inspector": check.inspector_id,
            "other_inspectors": check.other_inspectors, "findings": check.findings,
            "result": check.result, "reason": "更正录入错误"}
    data.update(fields)
    return data


def test_office_edits_a_check_with_a_reason(seeded, users, department, client_for):
    check = make_check(users, department, result=CheckResult.CONFORMING)
    client = client_for("office")
    page = client.get(check.get_absolute_url()).content.decode()
    edit_url = reverse("lifecycle:implementationcheck_edit", args=[check.pk])
    assert f'href="{edit_url}"' in page
    form = client.get(edit_url).context["form"]
    assert form.initial["findings"] == check.findings
    response = client.post(edit_url, check_edit_data(
        check, findings="更正：抽查 20 份档案，均符合。", location="综合窗口"))
    assert response.status_code == 302 and response.url == check.get_absolute_url()
    check.refresh_from_db()
    assert (check.findings, check.location) == ("更正：抽查 20 份档案，均符合。", "综合窗口")
    row = latest_history(check)
    assert (row.history_user, row.history_change_reason) == (users["office"], "更正录入错误")
    assert check.history.count() == 2


@pytest.mark.parametrize("change, field, message", [
    ({"reason": ""}, "reason", "Give a short reason for this change."),
    ({"checked_on": "future"}, "checked_on", "The check date cannot be in the future."),
    ({"department": "", "location": ""}, None,
     "Name the department or the service window checked."),
    ({"checked_on": "after_due"}, "checked_on", "A corrective action of this check is due"),
    ({"result": CheckResult.CONFORMING}, "result", "Non-conformities are recorded"),
    ({"standard": "withdrawn"}, "standard", "Select a valid choice."),
])
def test_editing_a_check_keeps_the_rules_of_adding_one(seeded, users, department, client_for,
                                                       change, field, message):
    check = make_check(users, department, days_ago=20)
    make_action(users, check, due_in=-10)  # due 10 days after the check
    if change.get("checked_on") == "future":
        change = {"checked_on": (TODAY() + timedelta(days=1)).isoformat()}
    elif change.get("checked_on") == "after_due":
        change = {"checked_on": (TODAY() - timedelta(days=5)).isoformat()}
    elif change.get("standard") == "withdrawn":
        withdrawn = Standard.objects.create(number="Q/TEST 902-2010", title="已废止",
                                            withdrawn_on=date(2020, 1, 1))
        change = {"standard": withdrawn.pk}
    response = client_for("office").post(reverse("lifecycle:implementationcheck_edit",
                                                 args=[check.pk]),
                                         check_edit_data(check, **change))
    assert response.status_code == 200
    errors = response.context["form"].errors.get(field or "__all__", [])
    assert any(e.startswith(message) for e in errors), response.context["form"].errors
    before = (check.checked_on, check.result, check.standard_id, check.department_id)
    check.refresh_from_db()
    assert (check.checked_on, check.result, check.standard_id, check.department_id) == before
    assert check.history.count() == 1


def test_a_check_on_a_standard_since_withdrawn_can_still_be_corrected(seeded, users,
                                                                     department, client_for):
    standard = Standard.objects.create(number="Q/TEST 903-2020", title="后来废止")
    check = make_check(users, department, standard=standard,
                       result=CheckResult.CONFORMING)
    standard.withdrawn_on = TODAY() - timedelta(days=1)
    standard.save()
    response = client_for("office").post(reverse("lifecycle:implementationcheck_edit",
                                                 args=[check.pk]),
                                         check_edit_data(check, findings="更正后的发现"))
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.findings == "更正后的发现" and check.standard == standard


def test_change_check_refuses_what_the_form_would(seeded, users, department):
    from lifecycle.actions.supervision import ChangeCheck

    check = make_check(users, department, days_ago=20)
    make_action(users, check, due_in=-10)
    check.result = CheckResult.CONFORMING
    with pytest.raises(ValidationError) as refused:
        ChangeCheck(users["office"], check, "x").execute()
    assert "result" in refused.value.message_dict
    check.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        ChangeCheck(users["office"], check, "  ").execute()
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        ChangeCheck(users["lead"], check, "x").execute()
    assert check.history.count() == 1


def nonconformity_edit_data(item, **fields):
    data = {"description": item.description, "action": item.action,
            "owner": item.owner_id, "due_on": item.due_on.isoformat(),
            "reason": "负责人调整"}
    data.update(fields)
    return data


def test_office_edits_an_open_nonconformity(seeded, users, department, client_for):
    action = make_action(users, make_check(users, department))
    client = client_for("office")
    edit_url = reverse("lifecycle:nonconformity_edit", args=[action.pk])
    assert f'href="{edit_url}"' in client.get(action.get_absolute_url()).content.decode()
    assert client.get(edit_url).status_code == 200
    due = TODAY() + timedelta(days=40)
    response = client.post(edit_url, nonconformity_edit_data(
        action, description="档案缺少两处签字", action="补签并复核", owner=users["expert"].pk,
        due_on=due.isoformat()))
    assert response.url == action.get_absolute_url()
    action.refresh_from_db()
    assert (action.description, action.action, action.owner, action.due_on, action.status) \
        == ("档案缺少两处签字", "补签并复核", users["expert"], due, ActionStatus.OPEN)
    row = latest_history(action)
    assert (row.history_user, row.history_change_reason) == (users["office"], "负责人调整")


def test_editing_a_nonconformity_keeps_its_rules(seeded, users, department, client_for):
    check = make_check(users, department, days_ago=20)
    action = make_action(users, check)
    client = client_for("office")
    url = reverse("lifecycle:nonconformity_edit", args=[action.pk])
    before = (check.checked_on - timedelta(days=1)).isoformat()
    response = client.post(url, nonconformity_edit_data(action, due_on=before))
    assert response.context["form"].errors["due_on"] == [
        f"The due date cannot be before the check date ({check.checked_on.isoformat()})."]
    response = client.post(url, nonconformity_edit_data(action, reason=""))
    assert response.context["form"].errors["reason"] == ["Give a short reason for this change."]
    action.refresh_from_db()
    assert action.due_on == TODAY() + timedelta(days=10) and action.history.count() == 1


def test_a_closed_nonconformity_cannot_be_edited(seeded, users, department, client_for):
    from lifecycle.actions.supervision import ChangeNonConformity

    action = make_action(users, make_check(users, department))
    CloseNonConformity(users["lead"], action, "已整改").execute()
    client = client_for("office")
    assert 'id="nonconformity-edit"' not in client.get(
        action.get_absolute_url()).content.decode()
    url = reverse("lifecycle:nonconformity_edit", args=[action.pk])
    for response in (client.get(url),
                     client.post(url, nonconformity_edit_data(action, description="改"))):
        assert response.status_code == 302 and response.url == action.get_absolute_url()
        assert any("cannot be changed" in m for m in messages_of(response))
    stale = NonConformity.objects.get(pk=action.pk)
    stale.status = ActionStatus.OPEN  # as loaded before someone closed it
    stale.description = "改"
    with pytest.raises(ValidationError, match="already closed"):
        ChangeNonConformity(users["office"], stale, "x").execute()
    action.refresh_from_db()
    assert action.description == "档案缺少经办人签字" and action.history.count() == 2


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_only_the_office_edits_checks_and_nonconformities(seeded, users, department,
                                                         client_for, role):
    from lifecycle.actions.supervision import ChangeNonConformity

    check = make_check(users, department)
    action = make_action(users, check)  # owned by the lead, who still may not edit it
    client = client_for(role)
    check_url = reverse("lifecycle:implementationcheck_edit", args=[check.pk])
    action_url = reverse("lifecycle:nonconformity_edit", args=[action.pk])
    assert client.get(check_url).status_code == 403
    assert client.post(check_url, check_edit_data(check, findings="改")).status_code == 403
    assert client.get(action_url).status_code == 403
    assert client.post(action_url, nonconformity_edit_data(
        action, description="改")).status_code == 403
    assert 'id="check-edit"' not in client.get(check.get_absolute_url()).content.decode()
    assert 'id="nonconformity-edit"' not in client.get(
        action.get_absolute_url()).content.decode()
    action.description = "改"
    with pytest.raises(PermissionDenied):
        ChangeNonConformity(users[role], action, "x").execute()
    check.refresh_from_db()
    action.refresh_from_db()
    assert check.history.count() == 1 and action.history.count() == 1
    assert action.description == "档案缺少经办人签字"
