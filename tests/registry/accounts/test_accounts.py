"""Accounts: throttling and lockout, password change and reset, the second factor, session
lifetime, re-authentication, users with no role, and every security event in the audit log."""

import re
import time
from importlib import import_module

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.mixins import AUTH_TIME_SESSION_KEY
from audit.models import SECURITY_LOG_ACTIONS, LogAction, LogEntry
from organizations.models import Membership
from tests.factories import UserFactory, default_organization
from tests.security.helpers import key_from_base32, next_code, totp_code

LOGIN = "/accounts/login/"


def sign_in(client, username, password="pw", address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address)


def actions(user=None, username=None):
    entries = LogEntry.objects.filter(content_type__app_label="auth")
    if user is not None:
        entries = entries.filter(object_id=user.pk)
    if username is not None:
        entries = entries.filter(object_repr=username)
    return list(entries.order_by("id").values_list("action", flat=True))


# --- throttling and lockout ----------------------------------------------------------------

def test_five_wrong_passwords_lock_the_username_and_say_for_how_long(client, users):
    for _attempt in range(5):
        response = sign_in(client, "admin", "wrong-password")
    assert response.status_code == 429
    # Locked now: even the right password is refused, before any hash is computed.
    response = sign_in(client, "admin", "pw", address="192.0.2.7")
    assert response.status_code == 429
    page = response.content.decode()
    assert "30" in page and 'id="locked-out"' in page
    assert "_auth_user_id" not in client.session
    # In the security log (axes' failure log), not in the audit log.
    failures = AccessFailureLog.objects.filter(username="admin").order_by("id")
    assert [f.locked_out for f in failures] == [False] * 4 + [True, True]
    assert [f.ip_address for f in failures] == ["127.0.0.1"] * 5 + ["192.0.2.7"]
    assert not LogEntry.objects.filter(action__in=SECURITY_LOG_ACTIONS).exists()


def test_five_failures_from_one_address_lock_the_address_for_every_username(client, users):
    for name in ("alice", "bob", "carol", "dave", "erin"):
        sign_in(client, name, "guess", address="192.0.2.50")
    assert sign_in(client, "viewer", "pw", address="192.0.2.50").status_code == 429
    # Another address, the same user: not locked.
    response = sign_in(client, "viewer", "pw", address="192.0.2.51")
    assert response.status_code == 302
    # Names of no account are counted and logged, but not as typed.
    assert AccessFailureLog.objects.filter(ip_address="192.0.2.50").count() == 6
    assert not AccessFailureLog.objects.filter(username="alice").exists()


def test_an_administrator_unlocks_a_user(client, users):
    for _attempt in range(5):
        sign_in(client, "office", "wrong-password")
    assert sign_in(client, "office").status_code == 429
    call_command("axes_reset_username", "office")
    assert sign_in(client, "office").status_code == 302


def test_an_administrator_unlocks_a_user_in_the_admin_site(client, users):
    from axes.models import AccessAttempt

    for _attempt in range(5):
        sign_in(client, "office", "wrong-password", address="192.0.2.60")
    attempt = AccessAttempt.objects.get(username="office")
    admin = client.__class__()
    admin.force_login(users["admin"])
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert sign_in(client, "office", address="192.0.2.61").status_code == 302


# --- password change and reset --------------------------------------------------------------

def test_a_user_changes_their_password(client, users):
    client.force_login(users["expert"])
    page = client.get("/accounts/password_change/")
    assert page.status_code == 200
    response = client.post("/accounts/password_change/", {
        "old_password": "pw", "new_password1": "Sh3nBao-Guifan-2026",
        "new_password2": "Sh3nBao-Guifan-2026"})
    assert response.status_code == 302
    users["expert"].refresh_from_db()
    assert users["expert"].check_password("Sh3nBao-Guifan-2026")
    assert LogAction.PASSWORD_CHANGED in actions(users["expert"])
    # Still signed in (the session hash follows the new password).
    assert client.get("/standards/").status_code == 200


def test_a_weak_new_password_is_refused(client, users):
    client.force_login(users["expert"])
    response = client.post("/accounts/password_change/", {
        "old_password": "pw", "new_password1": "password", "new_password2": "password"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_a_forgotten_password_is_reset_by_email(client, users):
    users["lead"].email = "lead@example.invalid"
    users["lead"].save()
    response = client.post("/accounts/password_reset/", {"email": "lead@example.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "Lingdao-Shenpi-2026", "new_password2": "Lingdao-Shenpi-2026"})
    assert response.status_code == 302
    assert sign_in(client, "lead", "Lingdao-Shenpi-2026").status_code == 302
    assert LogAction.PASSWORD_CHANGED in actions(users["lead"])


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, users):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.invalid"})
    assert response.status_code == 302
    assert mail.outbox == []


# --- the second factor ----------------------------------------------------------------------

@pytest.fixture
def second_factor_required(settings):
    settings.REGISTRY_2FA_REQUIRED_FOR_ADMINS = True


def enrol(client):
    page = client.get(reverse("accounts:two_factor_setup"))
    secret = page.context["secret"]
    assert client.get(reverse("accounts:two_factor_qr"))["Content-Type"] == "image/svg+xml"
    response = client.post(reverse("accounts:two_factor_setup"),
                           {"token": totp_code(key_from_base32(secret))})
    assert response.status_code == 200
    return key_from_base32(secret), response.context["codes"]


def test_an_administrator_must_enrol_before_anything_else(client, users,
                                                          second_factor_required):
    response = sign_in(client, "admin")
    assert response.status_code == 302
    tree = client.get("/")
    assert tree.status_code == 302
    assert tree.url.startswith(reverse("accounts:two_factor_setup"))
    assert client.get("/admin/").url.startswith(reverse("accounts:two_factor_setup"))
    key, codes = enrol(client)
    assert len(codes) == 10
    assert client.get("/standards/").status_code == 200
    assert LogAction.TWO_FACTOR_CHANGED in actions(users["admin"])


def test_signing_in_with_the_second_factor(client, users, second_factor_required):
    sign_in(client, "admin")
    key, codes = enrol(client)
    client.post(reverse("logout"))
    sign_in(client, "admin")
    verify = reverse("accounts:two_factor_verify")
    assert client.get("/").url.startswith(verify)
    wrong = client.post(verify, {"token": "000000" if totp_code(key) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get("/standards/").status_code == 302
    # A wrong code slows the next try down (django-otp throttling: 1 s after one failure).
    time.sleep(1.5)
    response = client.post(verify, {"token": next_code(users["admin"]), "next": "/standards/"})
    assert response.status_code == 302 and response.url == "/standards/"
    assert client.get("/standards/").status_code == 200
    logged = actions(users["admin"])
    assert logged.count(LogAction.SIGNED_IN) == 2
    wrong_code = AccessFailureLog.objects.get(username="admin")
    assert wrong_code.path_info == verify and not wrong_code.locked_out


def test_a_recovery_code_works_once(client, users, second_factor_required):
    sign_in(client, "admin")
    _key, codes = enrol(client)
    for _round in range(2):
        client.post(reverse("logout"))
        sign_in(client, "admin")
        client.post(reverse("accounts:two_factor_verify"), {"token": codes[0]})
    assert client.get("/standards/").status_code == 302  # the second use was refused
    assert StaticToken.objects.filter(device__user=users["admin"]).count() == 9


def test_the_second_factor_is_optional_for_others_and_they_can_turn_it_off(client, users,
                                                                            second_factor_required):
    client.force_login(users["office"])
    assert client.get("/standards/").status_code == 200  # not required
    enrol(client)
    assert TOTPDevice.objects.filter(user=users["office"], confirmed=True).exists()
    assert client.post(reverse("accounts:two_factor_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=users["office"]).exists()
    assert actions(users["office"]).count(LogAction.TWO_FACTOR_CHANGED) >= 2


def test_an_administrator_cannot_turn_it_off(client, users, second_factor_required):
    sign_in(client, "admin")
    enrol(client)
    client.post(reverse("accounts:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=users["admin"], confirmed=True).exists()


# --- sessions and re-authentication --------------------------------------------------------

def test_a_session_lasts_a_working_day_and_then_ends(client, users, settings):
    assert settings.SESSION_COOKIE_AGE == 9 * 3600
    sign_in(client, "viewer")
    assert client.session.get_expiry_age() == 9 * 3600
    assert client.cookies["sessionid"]["max-age"] == 9 * 3600
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1))
    # Sessions are read from the cache first (cached_db), whose copy expires with them.
    caches[settings.SESSION_CACHE_ALIAS].delete(import_module(
        settings.SESSION_ENGINE).SessionStore(session_key=key).cache_key)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_a_session_can_end_with_the_browser(client, users, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    sign_in(client, "viewer")
    assert client.cookies["sessionid"]["max-age"] == ""
    assert client.cookies["sessionid"]["expires"] == ""


def stale(client):
    session = client.session
    session[AUTH_TIME_SESSION_KEY] = int(time.time()) - 16 * 60
    session.save()


@pytest.mark.parametrize("url", ["/import/", "/admin/auth/user/",
                                 "/admin/auth/group/{admin}/change/"])
def test_sensitive_pages_ask_for_the_password_again(client, users, url):
    # The role's own id: a flush before this test (transactional tests) re-creates the roles.
    url = url.format(admin=Group.objects.get(name="admin").pk)
    client.force_login(users["admin"])
    assert client.get(url).status_code == 200  # just signed in
    stale(client)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("accounts:confirm") + "?next=" + url.replace("/", "%2F")
    wrong = client.post(reverse("accounts:confirm"), {"password": "nope", "next": url})
    assert wrong.status_code == 200
    right = client.post(reverse("accounts:confirm"), {"password": "pw", "next": url})
    assert right.status_code == 302 and right.url == url
    assert client.get(url).status_code == 200


def test_a_stale_import_confirmation_is_not_applied(client, users, seeded):
    client.force_login(users["office"])
    stale(client)
    response = client.post("/import/", {"confirm": "0" * 32, "name": "体系表.xlsx"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:confirm"))


# --- users with no role ---------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/nodes/1/", "/lifecycle/tasks/", "/standards/", "/audit/"])
def test_a_user_with_no_role_sees_only_whom_to_ask(client, users, seeded, url):
    users["admin"].first_name, users["admin"].email = "王", "wang@example.invalid"
    users["admin"].save()
    client.force_login(UserFactory(username="newcomer"))
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:no_role")
    page = response.content.decode()
    assert 'id="no-role"' in page and "wang@example.invalid" in page
    assert "mainnav" not in page


# --- role changes in the audit log ----------------------------------------------------------

def test_role_changes_are_logged_with_who_made_them(client, users):
    person = UserFactory(username="newcomer", role="viewer")
    entry = LogEntry.objects.filter(action=LogAction.ROLE_CHANGED, object_id=person.pk).get()
    assert "viewer" in entry.reason and entry.user is None
    client.force_login(users["admin"])
    organization = default_organization()
    url = reverse("organizations:members", args=[organization.pk])
    response = client.post(url, {"user": person.pk, "role": "office"})
    assert response.status_code == 302
    changes = LogEntry.objects.filter(action=LogAction.ROLE_CHANGED, object_id=person.pk)
    assert changes.filter(user=users["admin"], reason__contains="office").exists()
    membership = Membership.objects.get(user=person, role="office")
    response = client.post(url, {"membership": membership.pk, "reason": "调岗"})
    assert response.status_code == 302
    assert changes.filter(user=users["admin"], reason__contains="office").count() == 2
    assert not Membership.objects.filter(user=person, role="office").exists()


def test_the_audit_log_page_shows_security_events(client, users):
    client.force_login(users["office"])
    client.post("/accounts/password_change/", {
        "old_password": "pw", "new_password1": "Sh3nBao-Guifan-2026",
        "new_password2": "Sh3nBao-Guifan-2026"})
    client.force_login(users["admin"])
    page = client.get(reverse("audit:logentry_list"), {"action": LogAction.PASSWORD_CHANGED})
    assert page.status_code == 200
    assert "office" in page.content.decode()
