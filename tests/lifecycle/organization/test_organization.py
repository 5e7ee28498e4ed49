"""Clause 5.1–5.2: departments, people, staff profiles and training records."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lifecycle.actions.organization import SaveDepartment
from lifecycle.choices import DepartmentRole, StaffRole
from lifecycle.models import Department, StaffProfile, TrainingRecord
from lifecycle.rules.organization import (
    add_months,
    due_filter,
    is_due,
    months_between,
    people,
    person_row,
    training_cutoff,
)
from registry.actions.seed import system_user
from tests.factories import UserFactory
from tests.lifecycle.conftest import PDF, pdf_upload


def profile(user, department=None, role=StaffRole.FULL_TIME):
    return StaffProfile.objects.create(user=user, department=department, role=role)


def training(user, attended_on, hours="4", **fields):
    return TrainingRecord.objects.create(
        user=user, course=fields.pop("course", "标准化培训"), attended_on=attended_on,
        hours=Decimal(hours), provider="市场监管局", created_by=user, **fields)


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, so the assertions below match the English texts."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def latest_history(record):
    return record.history.order_by("-history_date", "-history_id").first()


# --- permissions --------------------------------------------------------------------------


def write_urls(department, person):
    return {
        "department_add": reverse("lifecycle:department_add"),
        "department_edit": reverse("lifecycle:department_edit", args=[department.pk]),
        "person_edit": reverse("lifecycle:staffprofile_edit", args=[person.pk]),
        "training_add": reverse("lifecycle:trainingrecord_add", args=[person.pk]),
    }


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_read_only_roles_get_403_on_every_write_view(role, department, users, client_for):
    client = client_for(role)
    for name, url in write_urls(department, users["viewer"]).items():
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"name": "x", "role": "department", "reason": "x",
                                 "course": "x", "attended_on": "2024-01-01", "hours": "1",
                                 "provider": "x"}).status_code == 403, name
    assert Department.objects.count() == 1
    assert not StaffProfile.objects.exists() and not TrainingRecord.objects.exists()


def test_only_admins_add_or_change_departments(department, users, client_for):
    client = client_for("office")
    urls = write_urls(department, users["viewer"])
    for name in ("department_add", "department_edit"):
        assert client.get(urls[name]).status_code == 403
        assert client.post(urls[name], {"name": "新科室", "role": "department",
                                        "reason": "x"}).status_code == 403
    for name in ("person_edit", "training_add"):
        assert client.get(urls[name]).status_code == 200
    page = client.get(reverse("lifecycle:department_list")).content.decode()
    assert 'id="department-add"' not in page


@pytest.mark.parametrize("role", ["viewer", "expert", "lead", "office", "admin"])
def test_every_role_reads_the_organization_and_people_pages(role, department, users,
                                                             client_for):
    client = client_for(role)
    for url in (reverse("lifecycle:department_list"),
                reverse("lifecycle:department_detail", args=[department.pk]),
                reverse("lifecycle:staffprofile_list"), reverse("lifecycle:trainingrecord_due"),
                reverse("lifecycle:staffprofile_detail", args=[users["lead"].pk])):
        assert client.get(url).status_code == 200, url


# --- departments ------------------------------------------------------------------------


def test_admin_adds_and_edits_a_department_with_history(department, users, client_for):
    client = client_for("admin")
    form_page = client.get(reverse("lifecycle:department_add")).content.decode()
    assert "approves the proposals and the publication" in form_page  # the lead's duty
    assert 'name="reason"' not in form_page  # adding is its own reason
    response = client.post(reverse("lifecycle:department_add"), {
        "name": "标准化办公室", "role": DepartmentRole.BODY, "lead": users["office"].pk,
        "duties": "统筹标准化工作",
    })
    body = Department.objects.get(name="标准化办公室")
    assert response.url == body.get_absolute_url()
    row = latest_history(body)
    assert row.history_user == users["admin"] and row.history_change_reason == "Department added"

    url = reverse("lifecycle:department_edit", args=[body.pk])
    response = client.post(url, {"name": "标准化办公室", "role": DepartmentRole.BODY,
                                 "duties": "新职责"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    client.post(url, {"name": "标准化办公室", "role": DepartmentRole.BODY,
                      "duties": "新职责", "reason": "职责调整"})
    body.refresh_from_db()
    assert body.duties == "新职责" and body.lead is None
    row = latest_history(body)
    assert row.history_user == users["admin"] and row.history_change_reason == "职责调整"


@pytest.mark.parametrize("second", [DepartmentRole.BODY, DepartmentRole.LEAD_DEPARTMENT])
def test_a_second_body_is_a_form_error_not_a_500(second, department, users, client_for):
    Department.objects.create(name="标准化办公室", role=DepartmentRole.BODY)
    client = client_for("admin")
    response = client.post(reverse("lifecycle:department_add"),
                           {"name": "综合科", "role": second})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "only one standardization body" in " ".join(errors["role"])
    assert "标准化办公室" in " ".join(errors["role"])  # names the one that is
    assert not Department.objects.filter(name="综合科").exists()
    # Editing an ordinary department into a second body is refused the same way.
    response = client.post(reverse("lifecycle:department_edit", args=[department.pk]),
                           {"name": department.name, "role": second, "reason": "x"})
    assert response.status_code == 200 and "role" in response.context["form"].errors
    department.refresh_from_db()
    assert department.role == DepartmentRole.DEPARTMENT


def test_save_department_turns_a_race_into_a_validation_error(users, monkeypatch):
    Department.objects.create(name="标准化办公室", role=DepartmentRole.BODY)
    twin = Department(name="另一个", role=DepartmentRole.BODY)
    # As if the other body had been saved between the check and the insert.
    monkeypatch.setattr(Department, "validate_constraints", lambda self, exclude=None: None)
    monkeypatch.setattr("lifecycle.actions.organization.check_one_body", lambda department: None)
    with pytest.raises(ValidationError, match="only one standardization body"):
        SaveDepartment(users["admin"], twin, "x").execute()
    assert not Department.objects.filter(name="另一个").exists()


def test_departments_list_body_first_with_lead_and_staff(department, users, client_for):
    body = Department.objects.create(name="标准化办公室", role=DepartmentRole.BODY,
                                     lead=users["admin"], duties="统筹标准化工作")
    Department.objects.create(name="基金财务科")
    profile(users["lead"], department, StaffRole.LEADER)
    profile(users["expert"], department, StaffRole.PART_TIME)
    gone = UserFactory(username="former", is_active=False)
    profile(gone, department)
    profile(users["office"], body)
    response = client_for("viewer").get(reverse("lifecycle:department_list"))
    names = [d.name for d in response.context["departments"]]
    assert names == ["标准化办公室", "基金财务科", "社会保险经办科"]
    counts = {d.name: d.staff_count for d in response.context["departments"]}
    assert counts == {"标准化办公室": 1, "基金财务科": 0, "社会保险经办科": 2}
    assert "统筹标准化工作" in response.content.decode()


def test_department_page_shows_staff_roles_and_links_its_projects(make_project, department,
                                                                  users, client_for):
    make_project()
    profile(users["lead"], department, StaffRole.LEADER)
    response = client_for("viewer").get(reverse("lifecycle:department_detail",
                                                args=[department.pk]))
    page = response.content.decode()
    assert f"{reverse('lifecycle:project_list')}?department={department.pk}" in page
    assert "Leader in charge" in page and 'id="department-edit"' not in page
    assert "approves this department" in page
    projects = client_for("viewer").get(reverse("lifecycle:project_list"),
                                        {"department": department.pk})
    assert len(projects.context["object_list"]) == 1


# --- people ------------------------------------------------------------------------------


def test_people_list_columns_and_filters(department, users, client_for):
    today = timezone.localdate()
    profile(users["office"], department, StaffRole.FULL_TIME)
    profile(users["lead"], department, StaffRole.LEADER)
    profile(users["expert"], None, StaffRole.NONE)
    training(users["office"], today - timedelta(days=30), hours="6")
    training(users["office"], today - timedelta(days=100), hours="2.5")
    training(users["office"], add_months(today, -13), hours="40")  # outside 12 months
    UserFactory(username="retired", is_active=False)
    client = client_for("viewer")

    def names(**params):
        response = client.get(reverse("lifecycle:staffprofile_list"), params)
        return {row.user.username: row for row in response.context["rows"]}

    rows = names()
    assert set(rows) == {"admin", "office", "lead", "expert", "viewer"}  # active only
    assert rows["office"].last_training == today - timedelta(days=30)
    assert rows["office"].recent_hours == Decimal("8.5")
    assert rows["office"].months_since == months_between(today - timedelta(days=30), today)
    assert rows["lead"].last_training is None and rows["lead"].due
    assert not rows["office"].due and not rows["expert"].due
    assert set(names(department=department.pk)) == {"office", "lead"}
    assert set(names(role=StaffRole.LEADER)) == {"lead"}
    # "none" includes users who have no profile at all
    assert set(names(role=StaffRole.NONE)) == {"admin", "expert", "viewer"}
    assert set(names(due="yes")) == {"lead"}
    assert "lead" not in names(due="no")
    page = client.get(reverse("lifecycle:staffprofile_list")).content.decode()
    assert "8.5" in page and (today - timedelta(days=30)).isoformat() in page


def test_people_list_paginates_in_a_constant_number_of_queries(department, client_for,
                                                               django_assert_max_num_queries):
    client = client_for("viewer")
    client.get(reverse("lifecycle:staffprofile_list"))  # warm the session
    today = timezone.localdate()
    for n in range(40):
        user = UserFactory(username=f"staff{n:02d}", first_name=f"员工{n}")
        profile(user, department, StaffRole.PART_TIME)
        training(user, today - timedelta(days=n * 20))
        training(user, today - timedelta(days=n * 20 + 5))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("lifecycle:staffprofile_list"))
    assert len(response.context["rows"]) == 25 and response.context["is_paginated"]
    with django_assert_max_num_queries(8):
        response = client.get(reverse("lifecycle:staffprofile_list"), {"page": 2})
    assert len(response.context["rows"]) == 20  # 40 + the 5 role accounts
    with django_assert_max_num_queries(8):
        response = client.get(reverse("lifecycle:staffprofile_list"), {"due": "yes",
                                                                       "role": "part_time",
                                                            "department": department.pk})
    assert response.context["paginator"].count == 21  # trained over 12 months ago
    with django_assert_max_num_queries(8):
        client.get(reverse("lifecycle:trainingrecord_due"))


def test_person_page_lists_training_with_certificate_download(department, users, client_for):
    record = TrainingRecord(user=users["lead"], course="标准编写培训",
                            attended_on=date(2025, 3, 1), hours=Decimal("8"),
                            provider="州质监局", created_by=users["office"])
    record.attach(pdf_upload("证书.pdf"), "pdf")
    record.save()
    profile(users["lead"], department, StaffRole.LEADER)
    page = client_for("viewer").get(reverse("lifecycle:staffprofile_detail",
                                            args=[users["lead"].pk]))
    html = page.content.decode()
    download = reverse("lifecycle:attachment_download", args=["training", record.pk])
    assert download in html and "证书.pdf" in html and "2025-03-01" in html
    assert "社会保险经办科" in html and 'id="person-edit"' not in html
    response = client_for("viewer").get(download)
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    office_page = client_for("office").get(reverse("lifecycle:staffprofile_detail",
                                                   args=[users["lead"].pk]))
    assert 'id="person-edit"' in office_page.content.decode()
    assert 'id="training-add"' in office_page.content.decode()


def test_person_edit_creates_the_profile_then_changes_it(department, users, client_for):
    client = client_for("office")
    person = users["expert"]
    url = reverse("lifecycle:staffprofile_edit", args=[person.pk])
    assert client.get(url).context["form"].initial["role"] == StaffRole.NONE
    response = client.post(url, {"department": department.pk, "role": StaffRole.PART_TIME,
                                 "duties": "参加审查"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not StaffProfile.objects.exists()
    response = client.post(url, {"department": department.pk, "role": StaffRole.PART_TIME,
                                 "duties": "参加审查", "reason": "新聘专家"})
    assert response.url == reverse("lifecycle:staffprofile_detail", args=[person.pk])
    created = StaffProfile.objects.get(user=person)
    assert created.role == StaffRole.PART_TIME and created.department == department
    client.post(url, {"role": StaffRole.FULL_TIME, "duties": "", "reason": "转为专职"})
    assert StaffProfile.objects.count() == 1
    rows = list(created.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert [r.history_change_reason for r in rows] == ["新聘专家", "转为专职"]
    assert {r.history_user for r in rows} == {users["office"]}
    assert rows[-1].role == StaffRole.FULL_TIME and rows[-1].department_id is None


def test_training_add_records_the_course_and_certificate(users, client_for):
    client = client_for("office")
    url = reverse("lifecycle:trainingrecord_add", args=[users["lead"].pk])
    day = timezone.localdate() - timedelta(days=3)
    response = client.post(url, {"course": "标准化基础", "attended_on": day.isoformat(),
                                 "hours": "7.5", "provider": "州市场监管局",
                                 "certificate": pdf_upload("cert.pdf")})
    assert response.url == reverse("lifecycle:staffprofile_detail", args=[users["lead"].pk])
    record = TrainingRecord.objects.get()
    assert (record.user, record.created_by, record.hours) == (users["lead"], users["office"],
                                                              Decimal("7.5"))
    assert record.file_format == "pdf" and record.original_name == "cert.pdf"
    assert record.file.name.startswith("attachments/") and "cert" not in record.file.name
    row = latest_history(record)
    assert row.history_user == users["office"]
    assert row.history_change_reason == "Training recorded"


@pytest.mark.parametrize("change, field", [
    ({"attended_on": "future"}, "attended_on"),
    ({"hours": "0"}, "hours"),
    ({"hours": "-2"}, "hours"),
    ({"certificate": "html"}, "certificate"),
])
def test_training_add_refuses_bad_input(change, field, users, client_for):
    data = {"course": "标准化基础", "attended_on": timezone.localdate().isoformat(),
            "hours": "4", "provider": "州市场监管局"}
    data.update(change)
    if data["attended_on"] == "future":
        data["attended_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    if data.get("certificate") == "html":
        data["certificate"] = SimpleUploadedFile("cert.pdf", b"<html><script></script></html>")
    response = client_for("office").post(
        reverse("lifecycle:trainingrecord_add", args=[users["lead"].pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not TrainingRecord.objects.exists()


# --- the training-due rule --------------------------------------------------------------


def test_month_arithmetic():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2025, 6, 15), -12) == date(2024, 6, 15)
    assert months_between(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert months_between(date(2025, 1, 15), date(2025, 2, 14)) == 0
    assert months_between(date(2024, 6, 15), date(2025, 6, 15)) == 12
    assert months_between(date(2025, 6, 15), date(2025, 1, 1)) == 0


def test_is_due_follows_the_role_and_the_interval():
    today = date(2026, 6, 15)
    assert training_cutoff(today) == date(2025, 6, 15)
    for role in (StaffRole.LEADER, StaffRole.FULL_TIME, StaffRole.PART_TIME):
        assert is_due(role, None, today)
        assert is_due(role, date(2025, 6, 14), today)
        assert not is_due(role, date(2025, 6, 15), today)  # exactly 12 months: still valid
    assert not is_due(StaffRole.NONE, None, today)
    with override_settings(REGISTRY_TRAINING_INTERVAL_MONTHS=6):
        assert training_cutoff(today) == date(2025, 12, 15)
        assert is_due(StaffRole.LEADER, date(2025, 12, 14), today)
        assert not is_due(StaffRole.LEADER, date(2025, 12, 15), today)


def test_due_filter_matches_the_rule_and_the_configured_interval(department, users):
    today = timezone.localdate()
    profile(users["office"], department, StaffRole.FULL_TIME)
    profile(users["lead"], department, StaffRole.LEADER)
    profile(users["expert"], None, StaffRole.PART_TIME)
    profile(users["viewer"], None, StaffRole.NONE)  # never trained, but no role
    training(users["office"], add_months(today, -3))
    training(users["expert"], add_months(today, -8))
    training(users["expert"], add_months(today, -14))
    gone = UserFactory(username="former", is_active=False)
    profile(gone, department, StaffRole.FULL_TIME)

    def due():
        return set(people().filter(due_filter()).values_list("username", flat=True))

    assert due() == {"lead"}
    with override_settings(REGISTRY_TRAINING_INTERVAL_MONTHS=6):
        assert due() == {"lead", "expert"}
    with override_settings(REGISTRY_TRAINING_INTERVAL_MONTHS=2):
        assert due() == {"lead", "expert", "office"}
        for user in people():
            row = person_row(user)
            assert row.due == (user.username in {"lead", "expert", "office"})


def test_training_due_page_shows_last_date_and_months_since(department, users, client_for):
    today = timezone.localdate()
    profile(users["lead"], department, StaffRole.LEADER)
    profile(users["expert"], None, StaffRole.PART_TIME)
    last = add_months(today, -15)
    training(users["expert"], last)
    response = client_for("viewer").get(reverse("lifecycle:trainingrecord_due"))
    rows = response.context["rows"]
    assert [r.user.username for r in rows] == ["lead", "expert"]  # never trained first
    assert rows[1].months_since == 15
    page = response.content.decode()
    assert last.isoformat() in page and "15 months ago" in page and "never" in page
    with override_settings(REGISTRY_TRAINING_INTERVAL_MONTHS=24):
        response = client_for("viewer").get(reverse("lifecycle:trainingrecord_due"))
        assert [r.user.username for r in response.context["rows"]] == ["lead"]
        assert "24 months" in response.content.decode()


# --- demo data ---------------------------------------------------------------------------


def test_demo_accounts_get_profiles_and_the_lead_is_due(db):
    call_command("create_demo_users", stdout=StringIO())
    call_command("create_demo_users", stdout=StringIO())  # idempotent
    profiles = {p.user.username: p for p in StaffProfile.objects.select_related(
        "user", "department")}
    assert profiles["lead"].role == StaffRole.LEADER
    assert profiles["lead"].department.name == "社会保险经办科"
    assert profiles["lead"].department.lead.username == "lead"
    assert profiles["office"].role == StaffRole.FULL_TIME
    assert profiles["office"].department.name == "标准化办公室"
    assert profiles["office"].department.role == DepartmentRole.BODY
    assert profiles["expert"].role == StaffRole.PART_TIME
    assert profiles["viewer"].role == StaffRole.NONE
    assert Department.objects.count() == 2 and StaffProfile.objects.count() == 4
    record = TrainingRecord.objects.get()
    assert record.user.username == "office"
    assert record.attended_on > add_months(timezone.localdate(), -12)
    due = set(people().filter(due_filter()).values_list("username", flat=True))
    assert "lead" in due and "office" not in due and "viewer" not in due
    row = latest_history(profiles["lead"])
    assert row.history_user.username == "system" and row.history_change_reason


# --- QA fixes: correcting training records, inactive people -----------------------------


def edit_data(record, **fields):
    data = {"course": record.course, "attended_on": record.attended_on.isoformat(),
            "hours": str(record.hours), "provider": record.provider, "reason": "更正学时"}
    data.update(fields)
    return data


def test_office_edits_a_training_record_with_a_reason(users, client_for):
    record = training(users["lead"], date(2025, 3, 1), hours="8")
    client = client_for("office")
    person_url = reverse("lifecycle:staffprofile_detail", args=[users["lead"].pk])
    edit_url = reverse("lifecycle:trainingrecord_edit", args=[record.pk])
    delete_url = reverse("lifecycle:trainingrecord_delete", args=[record.pk])
    page = client.get(person_url).content.decode()
    assert f'href="{edit_url}"' in page and f'href="{delete_url}"' in page
    response = client.post(edit_url, edit_data(record, hours="6", reason="",
                                               certificate=pdf_upload("c.pdf")))
    assert response.context["form"].errors["reason"] == ["Give a short reason for this change."]
    record.refresh_from_db()
    assert record.hours == Decimal("8") and not record.file
    response = client.post(edit_url, edit_data(record, hours="6", course="标准编写培训",
                                               certificate=pdf_upload("证书.pdf")))
    assert response.url == person_url
    record.refresh_from_db()
    assert (record.hours, record.course, record.original_name) == (
        Decimal("6"), "标准编写培训", "证书.pdf")
    row = latest_history(record)
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "~", users["office"], "更正学时")
    form = client.get(edit_url).context["form"]
    assert "remove_certificate" in form.fields
    client.post(edit_url, edit_data(record, remove_certificate="on", reason="证书传错"))
    record.refresh_from_db()
    assert not record.file and record.original_name == ""
    assert latest_history(record).history_change_reason == "证书传错"


@pytest.mark.parametrize("change, field", [
    ({"attended_on": "future"}, "attended_on"),
    ({"hours": "0"}, "hours"),
    ({"certificate": "html"}, "certificate"),
    ({"reason": ""}, "reason"),
])
def test_training_edit_refuses_bad_input(change, field, users, client_for):
    record = training(users["lead"], date(2025, 3, 1), hours="8")
    data = edit_data(record, **change)
    if data["attended_on"] == "future":
        data["attended_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    if data.get("certificate") == "html":
        data["certificate"] = SimpleUploadedFile("cert.pdf", b"<html><script></script></html>")
    response = client_for("office").post(
        reverse("lifecycle:trainingrecord_edit", args=[record.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    record.refresh_from_db()
    assert record.attended_on == date(2025, 3, 1) and record.hours == Decimal("8")
    assert record.history.count() == 1


def test_office_deletes_a_training_record_after_confirming(users, client_for):
    record = training(users["lead"], date(2025, 3, 1), course="录错的课程")
    client = client_for("office")
    url = reverse("lifecycle:trainingrecord_delete", args=[record.pk])
    page = client.get(url)
    assert page.status_code == 200 and "录错的课程" in page.content.decode()
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Give a short reason for this change."]
    assert TrainingRecord.objects.filter(pk=record.pk).exists()
    response = client.post(url, {"reason": "重复录入"})
    assert response.url == reverse("lifecycle:staffprofile_detail", args=[users["lead"].pk])
    assert not TrainingRecord.objects.exists()
    row = TrainingRecord.history.filter(id=record.pk).latest("history_id")
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "-", users["office"], "重复录入")


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_only_the_office_edits_or_deletes_training_records(role, users, client_for):
    from lifecycle.actions.organization import ChangeTraining, DeleteTraining

    record = training(users["lead"], date(2025, 3, 1), hours="8")
    client = client_for(role)
    edit_url = reverse("lifecycle:trainingrecord_edit", args=[record.pk])
    delete_url = reverse("lifecycle:trainingrecord_delete", args=[record.pk])
    for url, data in ((edit_url, edit_data(record, hours="1")),
                      (delete_url, {"reason": "x"})):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    page = client.get(reverse("lifecycle:staffprofile_detail",
                              args=[users["lead"].pk])).content.decode()
    assert edit_url not in page and delete_url not in page
    with pytest.raises(PermissionDenied):
        ChangeTraining(users[role], record, "x").execute()
    with pytest.raises(PermissionDenied):
        DeleteTraining(users[role], record, "x").execute()
    record.refresh_from_db()
    assert record.hours == Decimal("8") and record.history.count() == 1


def test_inactive_users_have_no_person_pages(department, users, client_for):
    system = system_user()
    gone = UserFactory(username="former", is_active=False)
    record = training(gone, date(2025, 3, 1))
    client = client_for("office")
    for person in (system, gone):
        for name in ("staffprofile_detail", "staffprofile_edit", "trainingrecord_add"):
            url = reverse(f"lifecycle:{name}", args=[person.pk])
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("lifecycle:staffprofile_edit", args=[person.pk]), {
            "role": StaffRole.FULL_TIME, "duties": "", "reason": "x"}).status_code == 404
        assert client.post(reverse("lifecycle:trainingrecord_add", args=[person.pk]), {
            "course": "x", "attended_on": "2025-01-01", "hours": "1",
            "provider": "x"}).status_code == 404
    for name in ("trainingrecord_edit", "trainingrecord_delete"):
        assert client.get(reverse(f"lifecycle:{name}", args=[record.pk])).status_code == 404
    assert not StaffProfile.objects.exists() and TrainingRecord.objects.count() == 1
    # An inactive department lead is named but not linked.
    department.lead = gone
    department.save()
    page = client.get(reverse("lifecycle:department_detail", args=[department.pk])).content.decode()
    assert "former" in page and reverse("lifecycle:staffprofile_detail", args=[gone.pk]) not in page
    assert client.get(reverse("lifecycle:staffprofile_detail",
                              args=[users["lead"].pk])).status_code == 200
