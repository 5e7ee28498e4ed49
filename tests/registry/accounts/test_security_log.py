"""Failed sign-ins and lockouts belong to the security log (django-axes' records): only
administrators read them, a name that is no account's is not stored as typed, and the
records expire. The audit log keeps the rows it held from before (its chain cannot lose
them) but shows them to administrators only: not on its page, filters, exports or API."""

import csv
import io
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from audit.models import LogAction, LogEntry
from audit.tokens import AddApiToken
from registry import tasks
from tests.factories import UserFactory, give_role

LOGIN = "/accounts/login/"
# A password typed into the user-name field: what must not be kept or shown.
TYPED = "Shebao@2026-cj"
NOT_ADMINS = ("viewer", "office", "lead", "expert")


def sign_in(client, username, password="pw", address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address)


def rows_from_before(users):
    """Failed sign-in and lockout rows as the audit log recorded them before the security
    log existed (typed name, address), one about an unknown name, one about an account."""
    user_type = ContentType.objects.get_for_model(users["office"])
    for action, object_id, name, reason in [
            (LogAction.SIGN_IN_FAILED, 0, TYPED, "from 192.0.2.44"),
            (LogAction.SIGN_IN_FAILED, users["office"].pk, "office", "from 192.0.2.44"),
            (LogAction.LOCKED_OUT, 0, TYPED,
             "Locked for 30 minutes after 5 failed sign-ins from 192.0.2.44")]:
        LogEntry.objects.create(timestamp=timezone.now(), user=None, action=action,
                                content_type=user_type, object_id=object_id,
                                object_repr=name, reason=reason, history_id=0)


def exported(client, kind, **filters):
    response = client.get(reverse("audit:logentry_list"), {**filters, "export": kind})
    assert response.status_code == 200
    if kind == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return [" ".join(row) for row in csv.reader(io.StringIO(text))]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [" ".join(str(cell) for cell in row if cell is not None)
            for row in sheet.iter_rows(values_only=True)]


def api_client(user):
    _token, secret = AddApiToken(user, "同步").execute()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_no_role_but_the_administrators_sees_failed_sign_ins_anywhere(client, users, role):
    rows_from_before(users)
    sign_in(APIClient(), TYPED, "guess", address="192.0.2.45")
    api = api_client(users[role])
    # The schema reads the log's filters first (their form fields are then built once).
    assert api.get("/api/schema/").status_code == 200
    client.force_login(users[role])
    log = reverse("audit:logentry_list")
    # The page: the other entries (this sign-in), none of the failures.
    page = client.get(log)
    html = page.content.decode()
    assert page.status_code == 200 and page.context["paginator"].count >= 1
    assert TYPED not in html and "192.0.2.44" not in html
    assert not any(entry.action in (LogAction.SIGN_IN_FAILED, LogAction.LOCKED_OUT)
                   for entry in page.context["object_list"])
    # The filter does not offer them, and asking for them shows nothing.
    offered = [value for value, _label in page.context["filter"].form.fields["action"].choices]
    assert LogAction.SIGN_IN_FAILED not in offered and LogAction.LOCKED_OUT not in offered
    assert LogAction.PASSWORD_CHANGED in offered
    for action in (LogAction.SIGN_IN_FAILED, LogAction.LOCKED_OUT):
        asked = client.get(log, {"action": action})
        assert list(asked.context["object_list"]) == []
        assert TYPED not in asked.content.decode()
    assert list(client.get(log, {"q": TYPED}).context["object_list"]) == []
    # The exports, whole and filtered.
    for kind in ("csv", "xlsx"):
        for filters in ({}, {"action": LogAction.SIGN_IN_FAILED}, {"q": "192.0.2.44"}):
            lines = exported(client, kind, **filters)
            assert not any(TYPED in line or "192.0.2.44" in line for line in lines), filters
    # The API, whole, filtered and searched.
    entries = api.get("/api/log/", {"page_size": 500}).json()
    assert entries["count"] >= 1
    assert not any(e["action"] in ("sign_in_failed", "locked_out") for e in entries["results"])
    assert TYPED not in str(entries)
    refused = api.get("/api/log/", {"action": "sign_in_failed"})
    assert refused.status_code == 400 and "action" in refused.json()["error"]["fields"]
    assert api.get("/api/log/", {"q": "192.0.2.44"}).json()["count"] == 0
    # Nor the security log itself.
    assert client.get(reverse("accounts:security_log")).status_code == 403
    assert 'href="/accounts/security-log/"' not in html


@pytest.fixture
def administrator(users):
    """An administrator by role, not a superuser."""
    person = UserFactory(username="anquan")
    give_role(person, "admin")
    return person


def test_administrators_still_see_the_rows_from_before_in_the_audit_log(client, users,
                                                                      administrator):
    rows_from_before(users)
    for person in (administrator, users["admin"]):
        client.force_login(person)
        page = client.get(reverse("audit:logentry_list"), {"action": LogAction.SIGN_IN_FAILED})
        assert page.context["paginator"].count == 2
        assert any(TYPED in line for line in exported(client, "csv"))
        assert api_client(person).get("/api/log/", {"action": "locked_out"}).json()["count"] == 1


def test_an_administrator_reads_failed_sign_ins_and_lockouts_on_the_security_log(
        client, users, administrator):
    sign_in(client, TYPED, "guess", address="192.0.2.9")
    for _attempt in range(5):
        sign_in(client, "office", "wrong-password", address="192.0.2.10")
    # New failures go to the security log only.
    assert not LogEntry.objects.filter(
        action__in=(LogAction.SIGN_IN_FAILED, LogAction.LOCKED_OUT)).exists()
    client.force_login(administrator)
    url = reverse("accounts:security_log")
    for language, unknown, title in (("zh-hans", "（未知账号）", "安全日志"),
                                     ("en", "(unknown account)", "Security log")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        html = page.content.decode()
        assert title in html and f'href="{url}"' in html  # in the menu
        failures = html[html.index('id="security-failures"'):]
        assert failures.count("192.0.2.10") == 5 and failures.count("192.0.2.9") == 1
        assert unknown in failures and TYPED not in html
        assert [row["account"] for row in page.context["failures"]] == ["office"] * 5 + [None]
        assert [row["locked_out"] for row in page.context["failures"]][0]
        # Locked now: the user name office and the address, until the cool-off ends.
        locked = page.context["locked"]
        assert {row["account"] for row in locked} == {"office"}
        assert all(row["address"] == "192.0.2.10" for row in locked)
        until = locked[0]["until"] - timezone.now()
        assert timedelta(minutes=29) < until <= settings.AXES_COOLOFF_TIME


def test_each_failure_names_its_page_in_the_readers_language(client, users, administrator):
    """The administration's own sign-in page too: no failure is shown as a bare path."""
    sign_in(client, "office", "wrong-password", address="192.0.2.70")
    client.post("/admin/login/?next=/admin/", {"username": "office", "password": "wrong"},
                REMOTE_ADDR="192.0.2.71")
    client.force_login(administrator)
    url = reverse("accounts:security_log")
    for language, pages in (
            ("zh-hans", ["管理后台登录：用户名或密码错误", "登录：用户名或密码错误"]),
            ("en", ["Administration sign-in: wrong user name or password",
                    "Sign-in: wrong user name or password"])):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        failures = html[html.index('id="security-failures"'):]
        cells = re.findall(r"<td>([^<]*)</td></tr>", failures)
        assert [cell.strip() for cell in cells] == pages
        assert "/admin/login/" not in failures


def test_an_unknown_user_name_is_not_stored_as_typed_and_the_lockout_still_holds(client,
                                                                                 users):
    for attempt in range(5):
        response = sign_in(client, TYPED, "guess", address=f"192.0.2.{20 + attempt}")
    # The same unknown name from five addresses: locked like any user name …
    assert response.status_code == 429
    # … and five unknown names from one address lock the address for every name.
    for name in ("zhangsan", "lisi", "wangwu", "zhaoliu", "sunqi"):
        sign_in(client, name, "guess", address="192.0.2.50")
    assert sign_in(client, "viewer", address="192.0.2.50").status_code == 429
    # Another unknown name from a fresh address is not locked: a locked answer does not
    # tell which names are accounts.
    assert sign_in(client, "zhouba", "guess", address="192.0.2.60").status_code == 200
    assert sign_in(client, "viewer", address="192.0.2.61").status_code == 302
    # The database rows: no typed name of no account in any field.
    stored = [str(value) for model in (AccessAttempt, AccessFailureLog, AccessLog)
              for row in model.objects.values() for value in row.values()]
    stored += [str(value) for row in LogEntry.objects.values() for value in row.values()]
    for typed in (TYPED, "zhangsan", "sunqi", "zhouba"):
        assert not any(typed in value for value in stored), typed
    names = set(AccessFailureLog.objects.values_list("username", flat=True))
    assert "viewer" in names  # the account's name, as it is
    unknown = names - {"viewer"}
    assert len(unknown) == 7 and all(name.startswith("unknown:") for name in unknown)


def test_records_expire_through_the_retention_task(client, users, settings):
    settings.REGISTRY_SECURITY_LOG_DAYS = 90
    sign_in(client, "office", "wrong-password", address="192.0.2.30")
    sign_in(client, TYPED, "guess", address="192.0.2.31")
    sign_in(client, "viewer", address="192.0.2.32")
    old = timezone.now() - timedelta(days=91)
    old_failure = AccessFailureLog.objects.filter(ip_address="192.0.2.30")
    old_failure.update(attempt_time=old)
    AccessLog.objects.update(attempt_time=old)
    AccessAttempt.objects.filter(ip_address="192.0.2.30").update(
        attempt_time=timezone.now() - timedelta(minutes=31))
    assert "purge-security-log" in settings.CELERY_BEAT_SCHEDULE
    deleted = tasks.purge_security_log()
    assert deleted == {"failures": 1, "sign_ins": 1, "counters": 1}
    assert list(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["192.0.2.31"]
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.31"]
    # A shorter retention, by the command.
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(days=8))
    out = io.StringIO()
    call_command("purge_security_log", "--days", "7", "--lang", "en", stdout=out)
    assert "Deleted 1 failed sign-in(s)" in out.getvalue()
    assert not AccessFailureLog.objects.exists()
