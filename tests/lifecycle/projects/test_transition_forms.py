"""Transition forms keep what was typed after an error and say which field is wrong; the
publication number's year is checked against the issue date; a forged stage is refused."""

from datetime import date

import pytest
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
    with pytest.raises(Exception, match="after the issue date's year"):
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
