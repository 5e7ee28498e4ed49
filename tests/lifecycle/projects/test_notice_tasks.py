"""E-mail notices leave the request: a worker sends them after the commit, a failing mail
server is tried again, and a broker that is down never fails the transition."""

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from lifecycle import tasks
from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import Stage


@pytest.fixture
def lead_with_mail(users):
    users["lead"].email = "lead@example.invalid"
    users["lead"].save()
    return users["lead"]


def test_the_notice_is_queued_only_after_the_commit(make_project, users, lead_with_mail,
                                                     django_capture_on_commit_callbacks):
    project = make_project(stage=Stage.OFFICE_REVIEW)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        TakeTransition(users["office"], project, "pass_office_review", "审核通过").execute()
    assert mail.outbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox if "lead@example.invalid" in m.to]


def test_a_failing_mail_server_is_tried_again(make_project, users, lead_with_mail,
                                              monkeypatch, django_capture_on_commit_callbacks):
    from django.core.mail.backends.locmem import EmailBackend

    calls = []
    send = EmailBackend.send_messages

    def flaky(self, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    project = make_project(stage=Stage.OFFICE_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        TakeTransition(users["office"], project, "pass_office_review", "审核通过").execute()
    assert len(calls) == 2
    assert any("lead@example.invalid" in m.to for m in mail.outbox)
    assert tasks.send_transition_notice.retry_backoff == 60  # then 2, 4 … minutes


def test_a_broker_that_is_down_does_not_fail_the_transition(
        make_project, users, lead_with_mail, monkeypatch, caplog,
        django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_transition_notice, "delay", down)
    project = make_project(stage=Stage.OFFICE_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        TakeTransition(users["office"], project, "pass_office_review", "审核通过").execute()
    project.refresh_from_db()
    assert project.stage != Stage.OFFICE_REVIEW and mail.outbox == []
    assert "Could not queue the notice lifecycle.tasks.send_transition_notice" in caplog.text


def test_a_notice_for_a_project_not_in_this_database_is_retried_then_logged(
        make_project, users, caplog, monkeypatch):
    """As when another installation on the same Redis queued it, or its row is not visible
    yet: tried again after 10, 20 and 40 s (inline here, eagerly), then an error in the log
    naming this installation's key prefix; never a silent loss."""
    from registry.tasks import MISSING_BACKOFF, MISSING_RETRIES

    project = make_project(stage=Stage.OFFICE_REVIEW)
    countdowns = []
    retry = tasks.send_transition_notice.retry

    def recorded(*args, **kwargs):
        countdowns.append(kwargs["countdown"])
        return retry(*args, **kwargs)

    monkeypatch.setattr(tasks.send_transition_notice, "retry", recorded)
    missing = project.pk + 1000
    result = tasks.send_transition_notice.apply(args=[missing, 1], kwargs={"lang": "en"})
    assert result.successful() and result.result is None
    assert countdowns == [MISSING_BACKOFF * 2 ** n for n in range(MISSING_RETRIES)] == [10, 20, 40]
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "registry.tasks"]
    assert [level for level, _message in lines] == ["WARNING"] * 3 + ["ERROR"]
    assert lines[-1][1].startswith(
        f"lifecycle.tasks.send_transition_notice: project {missing} or its event 1 not found "
        "in this database after 4 tries; given up.")
    prefix = tasks.send_transition_notice.app.conf.broker_transport_options["global_keyprefix"]
    assert repr(prefix) in lines[-1][1]
    assert mail.outbox == []
    # A period notice likewise.
    tasks.send_period_notice.apply(args=[missing, "comment"])
    assert caplog.records[-1].levelname == "ERROR"
