"""Clauses 8.2–8.3: the evaluation template, scoring, totals and standards to improve."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from catalog.models import Standard, Supersession
from lifecycle.actions.evaluation import AddEvaluation, default_template
from lifecycle.admin import CriterionInline
from lifecycle.models import Criterion, Evaluation, EvaluationTemplate, Score
from lifecycle.rules.evaluation import DEFAULT_TEMPLATE_NAME, below_threshold, weighted_total
from tests.factories import StandardFactory

TODAY = timezone.localdate
D = Decimal


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, so the assertions can match the English messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def evaluate(standard, user, values, *, days_ago=0, template=None, conclusion="结论"):
    """An evaluation through the service: ``values`` are the scores in criterion order."""
    template = template or default_template()
    scores = {c: (D(v), "") for c, v in zip(template.criteria.all(), values, strict=True)}
    return AddEvaluation(user, standard, template, scores,
                            TODAY() - timedelta(days=days_ago), conclusion).execute()


def form_data(template, values, **fields):
    data = {"template": template.pk, "evaluated_on": TODAY().isoformat(),
            "conclusion": "实施总体良好。"}
    for criterion, value in zip(template.criteria.all(), values, strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"note_{criterion.pk}"] = f"说明{criterion.position}"
    data.update(fields)
    return data


# --- the arithmetic ---------------------------------------------------------------------------

def test_weighted_total_is_the_weighted_mean_rounded_to_a_tenth():
    default = [(30, 80), (30, 90), (25, 70), (15, 100)]
    assert weighted_total(default) == D("83.5")  # (2400 + 2700 + 1750 + 1500) / 100
    assert weighted_total([(1, 80), (2, 85)]) == D("83.3")  # 250 / 3
    assert weighted_total([(1, D("80.1")), (1, D("80.0"))]) == D("80.1")  # 80.05, half up
    assert weighted_total([(D("0.5"), 100)]) == D("100.0")  # weights need not sum to 100
    assert weighted_total([(3, 0), (1, 0)]) == D("0.0")
    with pytest.raises(ValueError):
        weighted_total([])


# --- the default template ------------------------------------------------------------------

def test_the_default_template_is_created_once_with_history(db, users):
    template = default_template(users["admin"])
    assert (template.name, template.is_default, template.threshold) == (
        DEFAULT_TEMPLATE_NAME, True, D("80"))
    assert [(c.name, c.weight) for c in template.criteria.all()] == [
        ("标准实施覆盖率", D("30")), ("监督检查符合情况", D("30")),
        ("服务对象满意度", D("25")), ("改进措施落实", D("15"))]
    assert all(c.guidance for c in template.criteria.all())
    row = template.history.get()
    assert (row.history_user, row.history_change_reason) == (
        users["admin"], "Default evaluation template created")
    assert {r.history_user for r in Criterion.history.all()} == {users["admin"]}
    assert default_template(users["office"]) == template
    assert EvaluationTemplate.objects.count() == 1 and Criterion.objects.count() == 4
    assert template.history.count() == 1 and Criterion.history.count() == 4


def test_without_a_user_the_system_account_creates_it(db):
    template = default_template()
    assert template.history.get().history_user.username == "system"


# --- recording an evaluation -------------------------------------------------------------------

def test_office_records_an_evaluation_and_sees_its_total(seeded, users, client_for):
    standard = Standard.objects.order_by("number").first()
    client = client_for("office")
    url = reverse("lifecycle:evaluation_add", args=[standard.pk])
    page = client.get(url)
    template = EvaluationTemplate.objects.get(is_default=True)  # created on first use
    assert template.history.get().history_user == users["office"]
    assert "标准实施覆盖率" in page.content.decode()
    response = client.post(url, form_data(template, ["80", "90", "70", "100"]))
    evaluation = Evaluation.objects.get()
    assert response.url == evaluation.get_absolute_url()
    assert (evaluation.total, evaluation.template, evaluation.evaluated_by) == (
        D("83.5"), template, users["office"])
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [f"Evaluation of {standard.number} recorded: total 83.5."]
    assert [(s.criterion.name, s.score, s.note) for s in evaluation.scores.all()] == [
        ("标准实施覆盖率", D("80"), "说明1"), ("监督检查符合情况", D("90"), "说明2"),
        ("服务对象满意度", D("70"), "说明3"), ("改进措施落实", D("100"), "说明4")]
    for row in [evaluation.history.get(), *Score.history.all()]:
        assert (row.history_user, row.history_change_reason) == (users["office"],
                                                                 "Evaluation recorded")
    page = client_for("viewer").get(evaluation.get_absolute_url()).content.decode()
    assert 'id="evaluation-total">83.5<' in page and "实施总体良好" in page
    assert DEFAULT_TEMPLATE_NAME in page and "below threshold" not in page


@pytest.mark.parametrize("field, value, message", [
    ("score", "100.5", "Ensure this value is less than or equal to 100."),
    ("score", "-1", "Ensure this value is greater than or equal to 0."),
    ("score", "", "Score this criterion."),
    ("evaluated_on", "future", "The evaluation date cannot be in the future."),
    ("conclusion", "  ", "Write the conclusion of the evaluation."),
])
def test_bad_scores_dates_and_conclusions_are_refused(seeded, users, client_for, field, value,
                                                      message):
    standard = Standard.objects.order_by("number").first()
    template = default_template()
    data = form_data(template, ["80", "80", "80", "80"])
    first = template.criteria.first()
    if field == "score":
        field = f"score_{first.pk}"
    elif value == "future":
        value = (TODAY() + timedelta(days=1)).isoformat()
    data[field] = value
    response = client_for("office").post(
        reverse("lifecycle:evaluation_add", args=[standard.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Evaluation.objects.exists() and not Score.objects.exists()


def test_the_service_refuses_what_the_form_would(seeded, users):
    standard = Standard.objects.order_by("number").first()
    template = default_template()
    criteria = list(template.criteria.all())
    with pytest.raises(ValidationError) as refused:
        AddEvaluation(users["office"], standard, template,
                         {c: (D(101), "") for c in criteria},
                         TODAY() + timedelta(days=1), "").execute()
    assert set(refused.value.message_dict) == {
        "evaluated_on", "conclusion", *(f"score_{c.pk}" for c in criteria)}
    with pytest.raises(ValidationError):  # a criterion left out
        AddEvaluation(users["office"], standard, template, {criteria[0]: (D(90), "")},
                         TODAY(), "结论").execute()
    with pytest.raises(PermissionDenied):
        evaluate(standard, users["lead"], [90, 90, 90, 90])
    assert not Evaluation.objects.exists() and not Score.objects.exists()


def test_a_template_change_while_scoring_is_caught(seeded, users, client_for):
    standard = Standard.objects.order_by("number").first()
    old = default_template()
    data = form_data(old, ["80", "80", "80", "80"])
    data["template"] = old.pk + 1000
    response = client_for("office").post(
        reverse("lifecycle:evaluation_add", args=[standard.pk]), data)
    assert "template changed" in response.context["form"].non_field_errors()[0]
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_only_the_office_records_evaluations(seeded, users, client_for, role):
    standard = Standard.objects.order_by("number").first()
    template = default_template()
    evaluation = evaluate(standard, users["office"], [50, 50, 50, 50])
    client = client_for(role)
    url = reverse("lifecycle:evaluation_add", args=[standard.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(template, ["90"] * 4)).status_code == 403
    assert Evaluation.objects.count() == 1
    for page in (reverse("lifecycle:evaluation_list"), evaluation.get_absolute_url(),
                 reverse("lifecycle:evaluation_improvement"),
                 reverse("lifecycle:evaluation_list") + f"?standard={standard.pk}"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert url not in response.content.decode()  # no "evaluate" link offered


# --- below the threshold ---------------------------------------------------------------------

def test_below_threshold_looks_at_the_latest_evaluation_only(seeded, users,
                                                             django_assert_num_queries):
    office = users["office"]
    improved, worsened, good, lenient, never = StandardFactory.create_batch(5)
    evaluate(improved, office, [60] * 4, days_ago=30)
    evaluate(improved, office, [90] * 4, days_ago=1)
    evaluate(worsened, office, [90] * 4, days_ago=30)
    latest = evaluate(worsened, office, [70] * 4, days_ago=1)
    evaluate(worsened, office, [95] * 4, days_ago=60)  # entered later, but older
    evaluate(good, office, [85] * 4)
    lax = EvaluationTemplate.objects.create(name="宽松模板", threshold=D("50"))
    Criterion.objects.create(template=lax, name="总体", weight=D("1"))
    evaluate(lenient, office, [60], template=lax)  # 60 is below 80 but not below 50
    with django_assert_num_queries(1):
        found = list(below_threshold())
    assert [s.pk for s in found] == [worsened.pk]
    assert (found[0].latest_evaluation_id, found[0].latest_total,
            found[0].latest_threshold) == (latest.pk, D("70.0"), D("80.0"))
    assert never not in found


def test_the_improvement_page_links_to_evaluate_again(seeded, users, client_for):
    standard = StandardFactory()
    evaluation = evaluate(standard, users["office"], [60, 60, 60, 60])
    page = client_for("office").get(reverse("lifecycle:evaluation_improvement")).content.decode()
    assert standard.number in page and "60.0" in page
    assert reverse("lifecycle:evaluation_add", args=[standard.pk]) in page
    assert reverse("lifecycle:evaluation_detail", args=[evaluation.pk]) in page
    evaluate(standard, users["office"], [90, 90, 90, 90])
    page = client_for("office").get(reverse("lifecycle:evaluation_improvement")).content.decode()
    assert standard.number not in page


# --- the list and the chart -----------------------------------------------------------------

def test_results_over_time_for_one_standard_with_a_chart(seeded, users, client_for):
    standard, other = StandardFactory.create_batch(2)
    for days_ago, value in ((300, 60), (200, 75), (100, 85)):
        evaluate(standard, users["office"], [value] * 4, days_ago=days_ago)
    evaluate(other, users["office"], [99] * 4)
    response = client_for("viewer").get(reverse("lifecycle:evaluation_list"),
                                        {"standard": standard.pk})
    assert [e.total for e in response.context["object_list"]] == [D(85), D(75), D(60)]
    chart = response.context["chart"]
    assert [d["total"] for d in chart["dots"]] == [D(60), D(75), D(85)]  # oldest first
    xs = [d["x"] for d in chart["dots"]]
    ys = [d["y"] for d in chart["dots"]]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)  # rising line
    assert [d["below"] for d in chart["dots"]] == [True, True, False]
    page = response.content.decode()
    assert '<svg class="score-chart"' in page and f'points="{chart["points"]}"' in page
    assert "<script" not in page.split('id="score-chart"')[1].split("</svg>")[0]
    unfiltered = client_for("viewer").get(reverse("lifecycle:evaluation_list"))
    assert "chart" not in unfiltered.context and len(unfiltered.context["object_list"]) == 4


def test_the_evaluation_list_paginates_in_constant_queries(
        seeded, users, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    standard = StandardFactory()
    client = client_for("office")
    url = reverse("lifecycle:evaluation_list")
    evaluate(standard, users["office"], [70] * 4)
    pages = (url, url + f"?standard={standard.pk}", reverse("lifecycle:evaluation_improvement"))
    few = {}
    for page in pages:
        with CaptureQueriesContext(connection) as captured:
            client.get(page)
        few[page] = len(captured)
    for index in range(30):
        evaluate(StandardFactory() if index % 2 else standard, users["office"],
                 [60 + index] * 4, days_ago=index)
    for page in pages:
        with django_assert_max_num_queries(few[page]):
            response = client.get(page)
        assert response.status_code == 200
    assert client.get(url).context["is_paginated"]  # 31 evaluations, 25 a page


# --- configuring templates in the administration --------------------------------------------

def test_admin_makes_a_new_default_template_and_old_evaluations_keep_theirs(
        seeded, users, client_for):
    standard = StandardFactory()
    old_template = default_template()
    old = evaluate(standard, users["office"], [80, 80, 80, 80])
    client = client_for("admin")
    for page in (reverse("admin:lifecycle_evaluationtemplate_add"),
                 reverse("admin:lifecycle_evaluationtemplate_change", args=[old_template.pk])):
        assert client.get(page).status_code == 200
    response = client.post(reverse("admin:lifecycle_evaluationtemplate_add"), {
        "name": "2027年评价模板", "threshold": "85", "make_default": "on",
        "change_reason": "按新版评价指南调整",
        "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-position": "1", "criteria-0-name": "覆盖率", "criteria-0-weight": "60",
        "criteria-0-guidance": "",
        "criteria-1-position": "2", "criteria-1-name": "满意度", "criteria-1-weight": "40",
        "criteria-1-guidance": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    new = EvaluationTemplate.objects.get(name="2027年评价模板")
    old_template.refresh_from_db()
    assert new.is_default and not old_template.is_default
    assert default_template() == new
    for record in (new, old_template, *new.criteria.all()):
        row = record.history.order_by("-history_id").first()
        assert (row.history_user, row.history_change_reason) == (users["admin"],
                                                                 "按新版评价指南调整")
    # New evaluations use the new template's criteria...
    page = client_for("office").get(reverse("lifecycle:evaluation_add", args=[standard.pk]))
    assert [c.name for c in page.context["form"].criteria] == ["覆盖率", "满意度"]
    latest = evaluate(standard, users["office"], [90, 80])
    assert (latest.template, latest.total) == (new, D("86.0"))
    # ...and the old evaluation keeps its template, scores and total.
    old.refresh_from_db()
    assert (old.template, old.total, old.scores.count()) == (old_template, D("80.0"), 4)


def test_criteria_of_a_template_in_use_are_read_only(seeded, users, rf):
    template = default_template()
    inline = CriterionInline(EvaluationTemplate, admin.site)
    request = rf.get("/")
    request.user = users["admin"]
    assert inline.has_change_permission(request, template)
    evaluate(StandardFactory(), users["office"], [80, 80, 80, 80])
    for check in (inline.has_add_permission, inline.has_change_permission,
                  inline.has_delete_permission):
        assert not check(request, template)


def test_office_staff_cannot_change_templates(seeded, users, client_for):
    default_template()
    assert client_for("office").get(
        reverse("admin:lifecycle_evaluationtemplate_changelist")).status_code == 302


def test_admin_copies_a_template_in_use_to_change_its_criteria(seeded, users, client_for):
    template = default_template()
    evaluate(StandardFactory(), users["office"], [80, 80, 80, 80])
    response = client_for("admin").post(
        reverse("admin:lifecycle_evaluationtemplate_changelist"),
        {"action": "copy_templates", "_selected_action": [template.pk]})
    assert response.status_code == 302
    copy = EvaluationTemplate.objects.get(name=f"{DEFAULT_TEMPLATE_NAME} (copy)")
    assert not copy.is_default and copy.threshold == template.threshold
    assert [(c.name, c.weight) for c in copy.criteria.all()] == [
        (c.name, c.weight) for c in template.criteria.all()]
    row = copy.history.get()
    assert row.history_user == users["admin"]
    assert row.history_change_reason == f"Copied in the administration from " \
                                        f"{DEFAULT_TEMPLATE_NAME}"
    assert default_template() == template  # copying does not change the default


# --- QA fixes: the threshold of a template in use, standards not in force, deleting -------

def admin_change_data(template, **fields):
    """The change form of the administration as the browser posts it."""
    criteria = list(template.criteria.all())
    data = {"name": template.name, "threshold": str(template.threshold),
            "change_reason": "调整阈值",
            "criteria-TOTAL_FORMS": str(len(criteria)),
            "criteria-INITIAL_FORMS": str(len(criteria)),
            "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "1000"}
    for index, criterion in enumerate(criteria):
        data.update({f"criteria-{index}-id": criterion.pk,
                     f"criteria-{index}-template": template.pk,
                     f"criteria-{index}-position": criterion.position,
                     f"criteria-{index}-name": criterion.name,
                     f"criteria-{index}-weight": str(criterion.weight),
                     f"criteria-{index}-guidance": criterion.guidance})
    data.update(fields)
    return data


def test_the_threshold_of_a_template_in_use_is_read_only(seeded, users, client_for):
    template = default_template()
    client = client_for("admin")
    url = reverse("admin:lifecycle_evaluationtemplate_change", args=[template.pk])
    # Not in use yet: the threshold can still be changed.
    response = client.post(url, admin_change_data(template, threshold="75"))
    assert response.status_code == 302, response.content.decode()[:3000]
    template.refresh_from_db()
    assert template.threshold == D("75")
    evaluation = evaluate(StandardFactory(), users["office"], [72, 72, 72, 72])
    page = client.get(url)
    assert "threshold" not in page.context["adminform"].form.fields
    assert "threshold" in page.context["adminform"].readonly_fields
    response = client.post(url, admin_change_data(template, threshold="70"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.threshold == D("75")  # unchanged: the 72 stays below it
    assert Criterion.history.count() == 4  # the read-only criteria were not saved again
    response = client_for("viewer").get(evaluation.get_absolute_url())
    assert response.context["below"]


def not_current_standards():
    today = TODAY()
    withdrawn = StandardFactory(withdrawn_on=today - timedelta(days=1))
    old, new = StandardFactory(), StandardFactory()
    Supersession.objects.create(new=new, old=old)
    upcoming = StandardFactory(implemented_on=today + timedelta(days=30),
                               issued_on=today - timedelta(days=30))
    draft = StandardFactory(is_draft=True)
    return {"withdrawn": withdrawn, "superseded": old, "upcoming": upcoming,
            "in development": draft}


def test_a_standard_not_in_force_is_not_evaluated(seeded, users, client_for):
    client = client_for("office")
    template = default_template()
    for status, standard in not_current_standards().items():
        url = reverse("lifecycle:evaluation_add", args=[standard.pk])
        for response in (client.get(url),
                         client.post(url, form_data(template, ["90"] * 4))):
            assert response.status_code == 302, status
            assert response.url == standard.get_absolute_url()
            messages = {str(m) for m in get_messages(response.wsgi_request)}
            assert messages == {f"{standard.number} is not in force ({status.capitalize()}): "
                                f"only current standards are evaluated."}, messages
        with pytest.raises(ValidationError, match="not in force"):
            evaluate(standard, users["office"], [90, 90, 90, 90])
        for page in (standard.get_absolute_url(),
                     reverse("lifecycle:evaluation_list") + f"?standard={standard.pk}"):
            assert url not in client.get(page).content.decode(), page  # no "Evaluate" button
    assert not Evaluation.objects.exists() and not Score.objects.exists()


def test_standards_to_improve_are_only_current_ones(seeded, users, client_for):
    still, withdrawn = StandardFactory.create_batch(2)
    evaluate(still, users["office"], [60] * 4)
    evaluate(withdrawn, users["office"], [50] * 4)
    assert {s.pk for s in below_threshold()} == {still.pk, withdrawn.pk}
    withdrawn.withdrawn_on = TODAY()
    withdrawn.save()
    assert [s.pk for s in below_threshold()] == [still.pk]
    page = client_for("viewer").get(reverse("lifecycle:evaluation_improvement")).content.decode()
    assert still.number in page and withdrawn.number not in page


def test_office_deletes_an_evaluation_after_confirming_with_a_reason(seeded, users,
                                                                     client_for):
    standard = StandardFactory()
    kept = evaluate(standard, users["office"], [90] * 4, days_ago=10)
    wrong = evaluate(standard, users["office"], [20] * 4)
    score_ids = list(wrong.scores.values_list("pk", flat=True))
    client = client_for("office")
    url = reverse("lifecycle:evaluation_delete", args=[wrong.pk])
    assert f'href="{url}"' in client.get(wrong.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "20.0" in page.content.decode()
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Give a short reason for this change."]
    assert Evaluation.objects.filter(pk=wrong.pk).exists()
    response = client.post(url, {"reason": "录入了其他标准的分数"})
    assert response.url == reverse("lifecycle:evaluation_list") + f"?standard={standard.pk}"
    assert list(Evaluation.objects.all()) == [kept]
    assert not Score.objects.filter(pk__in=score_ids).exists()
    rows = [Evaluation.history.filter(id=wrong.pk).latest("history_id"),
            *Score.history.filter(id__in=score_ids, history_type="-")]
    assert len(rows) == 5
    for row in rows:
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "-", users["office"], "录入了其他标准的分数")
    assert [s.pk for s in below_threshold()] == []  # the latest is the 90 again


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_only_the_office_deletes_evaluations(seeded, users, client_for, role):
    from lifecycle.actions.evaluation import DeleteEvaluation

    evaluation = evaluate(StandardFactory(), users["office"], [50] * 4)
    client = client_for(role)
    url = reverse("lifecycle:evaluation_delete", args=[evaluation.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert url not in client.get(evaluation.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        DeleteEvaluation(users[role], evaluation, "x").execute()
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()
    assert evaluation.scores.count() == 4
