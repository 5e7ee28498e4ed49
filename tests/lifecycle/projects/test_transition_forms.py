"""Transition forms keep what was typed after an error and say which field is wrong; the
publication number's year is checked against the issue date; a forged stage is refused."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Standard
from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import DocumentKind as K
from lifecycle.choices import Stage
from tests.lifecycle.conftest import attach


def post(client, project, name, **fields):
    data = {f"{name}-{key}": value for key, value in fields.items()}
    data.setdefault(f"{name}-expected_stage", project.stage)
    return client.post(reverse("lifecycle:project_transition", args=[project.pk, name]), data,
                       HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def drafting(make_project, users):
    project = make_project(stage=Stage.DRAFTING)
    attach(project, K.COMMENT_DRAFT, K.EXPLANATORY_NOTES)
    return project


@pytest.fixture
def approved(make_project):
    return make_project(stage=Stage.APPROVED)


def test_comment_period_form_keeps_input_and_names_the_field(drafting, client_for):
    page = post(client_for("office"), drafting, "open_comment_period",
                reason="征求意见稿已定稿，开始征求意见", starts_on="2026-12-07", days="0")
    assert page.status_code == 200
    html = page.content.decode()
    assert "征求意见稿已定稿，开始征求意见" in html  # the reason typed
    assert 'value="2026-12-07"' in html and 'name="open_comment_period-days" value="0"' in html
    assert "Length in days: Ensure this value is greater than or equal to 1." in html
    drafting.refresh_from_db()
    assert drafting.stage == Stage.DRAFTING


def test_publish_refused_keeps_number_and_dates(approved, client_for):
    page = post(client_for("office"), approved, "publish", reason="批准发布",
                number="Q/CJSB 001-2027", issued_on="2026-12-01", implemented_on="2027-01-01")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Q/CJSB 001-2027"' in html
    assert 'value="2026-12-01"' in html and 'value="2027-01-01"' in html and "批准发布" in html
    assert "is after the issue date&#x27;s year (2026)" in html
    assert not Standard.objects.filter(number="Q/CJSB 001—2027").exists()


def test_a_number_dated_later_than_its_issue_is_refused(approved, users):
    with pytest.raises(ValidationError, match="after the issue date's year"):
        TakeTransition(users["office"], approved, "publish", "发布", number="Q/CJSB 001-2025",
                       issued_on=date(2024, 12, 1), implemented_on=date(2025, 1, 1)).execute()


def test_a_number_dated_earlier_than_its_issue_is_published_with_a_warning(approved,
                                                                          client_for):
    client = client_for("office")
    response = post(client, approved, "publish", reason="批准发布", number="Q/CJSB 001-2025",
                    issued_on="2026-12-01", implemented_on="2027-01-01")
    assert response.status_code == 302
    html = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is before the issue date&#x27;s year (2026)" in html
    assert Standard.objects.filter(number="Q/CJSB 001—2025").exists()


def test_a_made_up_expected_stage_is_refused_not_already_decided(drafting, client_for):
    page = post(client_for("office"), drafting, "open_comment_period", reason="开始",
                starts_on="2026-12-07", days="30", expected_stage="somewhere_else")
    html = page.content.decode()
    assert "never been at" in html and "Already decided" not in html
    drafting.refresh_from_db()
    assert drafting.stage == Stage.DRAFTING


def test_a_real_earlier_stage_still_says_who_decided(drafting, client_for, users):
    TakeTransition(users["office"], drafting, "open_comment_period", "开始",
                   expected_stage=Stage.DRAFTING, starts_on=date(2026, 12, 7),
                   days=30).execute()
    drafting.refresh_from_db()
    client = client_for("office")
    response = post(client, drafting, "open_comment_period", reason="开始",
                    starts_on="2026-12-07", days="30", expected_stage=Stage.DRAFTING)
    assert response.status_code == 302  # the step is no longer offered: said as a message
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Already decided by office" in page.content.decode()


def test_the_year_rule_refuses_a_later_year_and_warns_of_an_earlier_one():
    from catalog.rules.numbers import parse_standard_number
    from lifecycle.rules.projects import publication_year

    number = parse_standard_number("DB6523/T 370-2023")
    with pytest.raises(ValidationError, match="after the issue date's year"):
        publication_year(number, date(2022, 12, 28))
    assert "before the issue date's year (2024)" in publication_year(number, date(2024, 1, 3))
    assert publication_year(number, date(2023, 1, 1)) == ""
    assert publication_year(parse_standard_number("GB/T 1.1"), date(2024, 1, 1)) == ""


def test_a_later_year_is_refused_before_anything_is_written(approved, users):
    from lifecycle.models import ProjectEvent

    with pytest.raises(ValidationError, match="after the issue date's year"):
        TakeTransition(users["office"], approved, "publish", "发布", number="Q/CJSB 001-2027",
                       issued_on=date(2026, 12, 1), implemented_on=date(2027, 1, 1)).execute()
    approved.refresh_from_db()
    assert approved.stage == Stage.APPROVED
    assert not Standard.objects.filter(number__startswith="Q/CJSB 001").exists()
    assert not ProjectEvent.objects.filter(project=approved, transition="publish").exists()


def test_an_earlier_year_is_warned_of_by_the_publication_itself(approved, users):
    """The warning comes from the action that publishes (the year rule, run before its
    writes), not from a second look at the form afterwards."""
    project = TakeTransition(users["office"], approved, "publish", "发布",
                             number="Q/CJSB 001-2025", issued_on=date(2026, 12, 1),
                             implemented_on=date(2027, 1, 1)).execute()
    assert "Q/CJSB 001—2025 (2025) is before the issue date's year (2026)" in \
        project.publication_warning
    assert project.stage == Stage.PUBLISHED


def test_the_publication_number_is_parsed_once_on_its_way(approved, client_for, monkeypatch):
    """The publish form parses it; the action, the year rule and the timeline's payload use
    that parse."""
    from catalog.rules import numbers
    from lifecycle.actions import projects as actions
    from lifecycle.forms import projects as forms
    from lifecycle.models import ProjectEvent

    calls = []
    real = numbers.parse_standard_number

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(forms, "parse_standard_number", counting)
    monkeypatch.setattr(actions, "parse_standard_number", counting)
    monkeypatch.setattr(numbers, "parse_standard_number", counting)
    response = post(client_for("office"), approved, "publish", reason="批准发布",
                    number="Q/CJSB 001-2026", issued_on="2026-12-01",
                    implemented_on="2027-01-01")
    assert response.status_code == 302
    assert calls == ["Q/CJSB 001-2026"]
    event = ProjectEvent.objects.get(project=approved, transition="publish")
    assert event.payload["number"] == "Q/CJSB 001—2026"
    assert Standard.objects.filter(number="Q/CJSB 001—2026").exists()
