"""After publication: reviews fall due; a review confirms, revises or withdraws; plans."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from catalog.models import Standard
from lifecycle.choices import ProjectKind, Stage
from lifecycle.models import ImplementationPlan, PeriodicReview, Project
from lifecycle.rules.projects import (
    DueReviews,
    add_years,
    due_periodic_reviews_first,
    periodic_review_due_on,
)
from registry.models import Node, Placement


def published(number="Q/CJSB 001-2020", implemented=date(2020, 3, 1)):
    standard = Standard.objects.create(number=number, title="社会保险报表管理规范",
                                       issued_on=implemented, implemented_on=implemented)
    Placement.objects.create(node=Node.objects.get(code="304-09"), standard=standard)
    return standard


def test_review_falls_due_five_years_after_implementation(seeded):
    standard = published()
    assert periodic_review_due_on(standard) == date(2025, 3, 1)
    due = {d.standard for d in DueReviews(until=timezone.localdate())}
    assert standard in due
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)


def test_confirm_restarts_the_interval(seeded, department, client_for):
    standard = published()
    client = client_for("office")
    response = client.post(reverse("lifecycle:periodicreview_add", args=[standard.pk]),
                           {"conclusion": "confirm", "reason": "仍然适用"})
    assert response.status_code == 302
    review = PeriodicReview.objects.get()
    assert review.reviewed_by.username == "office"
    assert periodic_review_due_on(standard) == add_years(timezone.localdate(), 5)


def test_revise_opens_a_revision_project(seeded, department, client_for):
    standard = published()
    response = client_for("office").post(
        reverse("lifecycle:periodicreview_add", args=[standard.pk]),
        {"conclusion": "revise", "reason": "业务流程已变化"})
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    assert (project.kind, project.revises, project.stage) == (ProjectKind.REVISION, standard,
                                                              Stage.PROPOSAL)
    assert project.node.code == "304-09"


def test_withdraw_withdraws_the_standard(seeded, department, client_for):
    standard = published()
    client_for("office").post(reverse("lifecycle:periodicreview_add", args=[standard.pk]),
                              {"conclusion": "withdraw", "reason": "业务已取消"})
    standard = Standard.objects.with_status().get(pk=standard.pk)
    assert standard.computed_status == "withdrawn"
    assert standard.history.latest().history_change_reason == "业务已取消"


def test_only_office_records_reviews_and_plans(seeded, client_for):
    standard = published()
    for url in (reverse("lifecycle:periodicreview_add", args=[standard.pk]),
                reverse("lifecycle:implementationplan_add", args=[standard.pk])):
        assert client_for("viewer").get(url).status_code == 403
        assert client_for("lead").post(url, {}).status_code == 403


def test_implementation_plan(seeded, client_for):
    standard = published()
    response = client_for("office").post(
        reverse("lifecycle:implementationplan_add", args=[standard.pk]),
        {"scope": "全州各社保经办窗口", "people": "业务科全体人员",
         "schedule": "一季度培训，二季度实施", "starts_on": "2026-01-01"})
    assert response.status_code == 302
    plan = ImplementationPlan.objects.get()
    assert plan.created_by.username == "office" and plan.history.count() == 1


def test_my_tasks_lists_the_soonest_reviews_and_links_to_the_rest(seeded, users, client_for,
                                                                   settings):
    """A catalog with thousands of reviews due does not make My tasks a page of thousands:
    the soonest are listed, one line counts the others and opens the periodic-review page."""
    from lifecycle.rules.tasks import PERIODIC_REVIEWS_LISTED

    already_due = len(DueReviews(until=timezone.localdate()))
    for serial in range(PERIODIC_REVIEWS_LISTED + 5):
        published(f"Q/CJSB {300 + serial}-2019", implemented=date(2019, 1, 1 + serial))
    client = client_for("office")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("lifecycle:task_list")).content.decode()
    assert page.count("Periodic review of") == PERIODIC_REVIEWS_LISTED
    assert "Periodic review of Q/CJSB 300—2019" in page  # the soonest first
    more = already_due + 5
    assert f"{more} more periodic reviews are due" in page
    assert reverse("lifecycle:periodicreview_list") + "?scope=all" in page
    # The same reviews, in the same order, as the periodic-review page's rule gives.
    until = timezone.localdate()
    listed, rest = due_periodic_reviews_first(until, PERIODIC_REVIEWS_LISTED)
    every = DueReviews(until=until)
    assert [(d.standard, d.due_on) for d in listed] == [
        (d.standard, d.due_on) for d in every[:PERIODIC_REVIEWS_LISTED]]
    assert rest == [d.due_on for d in every[PERIODIC_REVIEWS_LISTED:]]


def test_the_periodic_review_page_is_paged_and_keeps_its_scope(seeded, client_for, settings):
    """Thousands of reviews due are shown 50 a page, soonest first, each page reading only
    its own standards; the page links keep "all" or "this year"."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for serial in range(70):
        published(f"Q/CJSB {400 + serial}-2018", implemented=date(2018, 1, 1 + serial % 28))
    client = client_for("viewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("lifecycle:periodicreview_list")
    every = DueReviews(until=None)
    assert len(every) > 70
    first = client.get(url, {"scope": "all"})
    listed = list(first.context["object_list"])
    assert len(listed) == 50 and first.context["paginator"].count == len(every)
    assert [d.standard.pk for d in listed] == [d.standard.pk for d in every[:50]]
    page = first.content.decode()
    assert f"{len(every)} reviews due" in page
    assert "?scope=all&amp;page=2" in page
    second = client.get(url, {"scope": "all", "page": "2"})
    assert [d.standard.pk for d in second.context["object_list"]] == [
        d.standard.pk for d in every[50:100]]
    # This year's reviews: the same rule, paged with its own scope.
    year = client.get(url)
    this_year = DueReviews(until=timezone.localdate().replace(month=12, day=31))
    assert year.context["paginator"].count == len(this_year)
    # The query count does not grow with the reviews due.
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"scope": "all", "page": "2"})
    for serial in range(70, 140):
        published(f"Q/CJSB {400 + serial}-2018", implemented=date(2018, 2, 1 + serial % 28))
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"scope": "all", "page": "2"})
    assert len(more) == len(few)
