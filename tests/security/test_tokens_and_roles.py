"""API tokens follow their user's password and roles: a password change, however it is
made, revokes the user's tokens (the forms say so); a user left with no role is refused by
the API, in its error shape, as the pages refuse them."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import LogAction, LogEntry
from audit.tokens import AddApiToken, RevokeApiToken
from tests.factories import UserFactory, give_role, take_roles

NEW_PASSWORD = "Sh3nBao-Guifan-2026"
OWN_NOTE = "设置新密码会吊销您的全部接口令牌，之后请在“接口令牌”页重新生成。"


def bearer(secret):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def own_form(client, users, person):
    client.force_login(person)
    form = client.get("/accounts/password_change/")
    assert OWN_NOTE in form.context["form"]["new_password2"].help_text
    assert OWN_NOTE in form.content.decode()
    response = client.post("/accounts/password_change/", {
        "old_password": "pw", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True)
    return response, person


def reset_link(client, users, person):
    person.email = "office@example.invalid"
    person.save()
    client.post("/accounts/password_reset/", {"email": person.email})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True)
    assert OWN_NOTE in form.content.decode()
    response = client.post(form.redirect_chain[-1][0], {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    return response, users["office"]


def administrator(client, users, person):
    client.force_login(users["admin"])
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    form = client.get(url)
    assert "保存新密码会吊销该用户的全部接口令牌。" in form.content.decode()
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                 "usable_password": "true", "set_usable_password": "true"},
                           follow=True)
    return response, users["admin"]


def command(client, users, person, monkeypatch=None):
    answers = iter([NEW_PASSWORD, NEW_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("changepassword", person.username)
    return None, person


@pytest.mark.parametrize("change", [own_form, reset_link, administrator, command])
def test_a_password_change_revokes_the_user_s_tokens(client, users, change, monkeypatch):
    person = users["office"]
    first, first_secret = AddApiToken(person, "OA 系统").execute()
    _second, second_secret = AddApiToken(person, "报表同步", read_only=True).execute()
    old, _old_secret = AddApiToken(person, "旧令牌").execute()
    RevokeApiToken(person, old).execute()
    _other, other_secret = AddApiToken(users["viewer"], "查询").execute()
    for secret in (first_secret, second_secret):
        assert bearer(secret).get("/api/nodes/").status_code == 200
    extra = {"monkeypatch": monkeypatch} if change is command else {}
    response, actor = change(client, users, person, **extra)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    for secret in (first_secret, second_secret):
        refused = bearer(secret).get("/api/nodes/")
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "authentication_failed"
    assert bearer(other_secret).get("/api/nodes/").status_code == 200
    # Each revocation is a change of the token, in its history, by whoever changed the
    # password; the token revoked before keeps its own revocation.
    first.refresh_from_db()
    newest = first.history.latest("history_date", "history_id")
    assert newest.revoked_at is not None and newest.history_user == actor
    assert newest.history_change_reason == "已吊销接口令牌：密码已更改"
    assert old.history.count() == 2
    revocations = LogEntry.objects.filter(action=LogAction.CHANGED,
                                          reason="已吊销接口令牌：密码已更改")
    assert revocations.count() == 2
    assert LogEntry.objects.filter(action=LogAction.PASSWORD_CHANGED,
                                   object_id=person.pk).count() == 1
    # Whoever changed it is told.
    if response is not None:
        assert "已吊销 2 个接口令牌" in response.content.decode()


def test_a_password_re_hashed_at_sign_in_is_no_change(client, users, settings):
    """Django re-hashes a password with a stronger hasher when its user signs in: the
    password is the same, the tokens stay."""
    person = users["expert"]
    _token, secret = AddApiToken(person, "OA 系统").execute()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 *settings.PASSWORD_HASHERS]
    before = person.password
    assert client.post("/accounts/login/", {"username": "expert", "password": "pw"}
                       ).status_code == 302
    person.refresh_from_db()
    assert person.password != before and person.password.startswith("pbkdf2_sha256$")
    assert bearer(secret).get("/api/nodes/").status_code == 200
    assert not LogEntry.objects.filter(action=LogAction.PASSWORD_CHANGED).exists()


def test_a_user_whose_roles_are_all_removed_is_refused_by_the_api(seeded, users, client):
    person = UserFactory(username="jingban", role="viewer")
    token, secret = AddApiToken(person, "OA 系统").execute()
    api = bearer(secret)
    assert api.get("/api/tree/").status_code == 200
    take_roles(person)
    assert api.get("/api/schema/").status_code == 403
    for url in ("/api/tree/", "/api/nodes/", "/api/log/"):
        refused = api.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert refused.status_code == 403, url
        assert refused.json() == {"error": {
            "status": 403, "code": "permission_denied",
            "message": "您的账号尚未分配角色，请向管理员申请。"}}
    english = api.get("/api/tree/", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert english == "Your account has no role yet. Ask an administrator for one."
    # The token itself is still valid: a role given back makes it work again.
    token.refresh_from_db()
    assert token.is_active()
    # Signed in in a browser, the same answer (the pages show whom to ask).
    client.force_login(person)
    assert client.get("/api/tree/").status_code == 403
    assert client.get("/").url == reverse("accounts:no_role")
    give_role(person, "expert")
    assert api.get("/api/tree/").status_code == 200
    assert client.get("/api/tree/").status_code == 200
