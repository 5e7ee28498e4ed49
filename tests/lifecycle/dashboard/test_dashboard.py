"""The leaders' dashboard (issue 6): its figures on the seeded system, the charts and their
links, the PDF, who may see it, and a query count that does not grow with the data."""

import html
import re
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Standard
from catalog.rules.numbers import parse_standard_number
from lifecycle.actions.supervision import CloseNonConformity
from lifecycle.choices import (
    FINAL_STAGES,
    CheckResult,
    InformationCategory,
    InformationStatus,
    Stage,
)
from lifecycle.models import (
    Evaluation,
    EvaluationTemplate,
    ImplementationCheck,
    InformationItem,
    NonConformity,
    Project,
)
from lifecycle.rules.charts import Bar, Segment, donut, percent_bars
from lifecycle.rules.dashboard import OPEN_STAGES, dashboard_figures
from lifecycle.rules.projects import DueReviews, add_years
from organizations.rules import acting_in
from registry import actions
from registry.models import Node, NodeKind, Placement
from registry.rules.tree.table_data import live_data, statistics
from tests.factories import default_organization

URL = "/lifecycle/dashboard/"
PDF_URL = "/lifecycle/dashboard/pdf/"
ROLES = ("admin", "office", "lead", "expert", "viewer")


# --- helpers ------------------------------------------------------------------------------

def today():
    return timezone.localdate()


def saved(instance, user, reason="test"):
    instance._history_user, instance._change_reason = user, reason
    instance.save()
    return instance


def current_standard(user, number, **fields):
    return saved(Standard(number=number, title=f"标准 {number}", **fields), user)


def category(figures, code):
    return next(c for c in figures.categories if c.node.code == code)


def make_check(users, standard=None):
    standard = standard or Standard.objects.order_by("pk").first()
    return saved(ImplementationCheck(
        standard=standard, location="政务服务大厅 3 号窗口", checked_on=today() - timedelta(30),
        inspector=users["office"], findings="未按标准公示办理时限。",
        result=CheckResult.NONCONFORMING, created_by=users["office"]), users["office"])


def make_nonconformity(check, owner, due_on, user):
    return saved(NonConformity(check_record=check, description="办理时限未公示",
                               action="在窗口公示办理时限", owner=owner, due_on=due_on), user)


def overdue(project, days=1):
    """Move the project's planned end ``days`` into the past."""
    project.planned_start = today() - timedelta(days=400)
    project.planned_end = today() - timedelta(days=days)
    project.save()
    return project


def svg_links(content):
    """Every href inside the page's inline SVG charts."""
    links = []
    for svg in re.findall(r"<svg\b.*?</svg>", content, flags=re.S):
        links += [html.unescape(href) for href in re.findall(r'<a href="([^"]+)"', svg)]
    return links


def pdf_text(content, tmp_path):
    path = tmp_path / "dashboard.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


# --- coverage -----------------------------------------------------------------------------

def test_seeded_system_shows_the_gaps_of_data_centre_management(seeded):
    figures = dashboard_figures()
    data_centre = category(figures, "303")
    assert data_centre.node.name == "数据中心管理"
    assert (data_centre.aspects, data_centre.covered, data_centre.gaps) == (5, 0, 5)
    assert data_centre.percent == 0.0
    assert data_centre.subsystem.code == "300"
    # The whole system: every aspect of Appendix A is still a gap; the 12 seed standards
    # sit on the categories of 基础通用标准, which have no aspects.
    aspects = Node.objects.filter(path__startswith=seeded.path, depth__gte=4).count()
    assert (figures.total.aspects, figures.total.gaps) == (aspects, aspects)
    basics = next(s for s in figures.subsystems if s.node.code == "100")
    assert (basics.aspects, basics.current, basics.percent) == (0, 12, None)
    assert [s.node.code for s in figures.subsystems] == ["100", "200", "300"]
    assert [c.node.code for c in figures.categories][:4] == ["101", "102", "103", "201"]


def test_expected_and_existing_agree_with_the_system_tables_statistics(seeded, users):
    placed = current_standard(users["office"], "Q/CJSB 900-2025")
    actions.PlaceStandard(users["office"], Node.objects.get(code="303-01"), placed,
                          "测试").execute()
    figures = dashboard_figures()
    stats = statistics(live_data(seeded))
    assert [(s.expected, s.existing, s.existing_percent) for s in figures.subsystems] == [
        (c.expected, c.existing, c.percent) for c in stats["subsystems"]]
    assert (figures.total.expected, figures.total.existing) == (
        stats["total"].expected, stats["total"].existing)


def test_a_current_standard_on_an_aspect_raises_the_covered_count(seeded, users):
    office = users["office"]
    aspect = Node.objects.get(code="303-01")
    assert aspect.kind == NodeKind.ASPECT and Node.objects.get_parent(aspect).name == "数据中心管理"
    actions.PlaceStandard(office, aspect, current_standard(office, "Q/CJSB 901-2025"),
                          "数据中心标准").execute()
    # An upcoming standard does not close its aspect's gap.
    upcoming = current_standard(office, "Q/CJSB 902-2025",
                                implemented_on=today() + timedelta(days=60))
    actions.PlaceStandard(office, Node.objects.get(code="303-02"), upcoming, "即将实施").execute()

    data_centre = category(dashboard_figures(), "303")
    assert (data_centre.aspects, data_centre.covered, data_centre.gaps) == (5, 1, 4)
    assert (data_centre.standards, data_centre.current) == (2, 1)
    assert data_centre.percent == 20.0


def test_most_gaps_ranks_categories_worst_first(seeded):
    figures = dashboard_figures()
    ranked = figures.most_gaps
    assert len(ranked) == 5
    assert [c.gaps for c in ranked] == sorted((c.gaps for c in ranked), reverse=True)
    assert ranked[0].gaps == max(c.gaps for c in figures.categories)


# --- projects -----------------------------------------------------------------------------

def test_projects_by_stage_in_workflow_order_with_overdue_and_ended_periods(make_project):
    long_ago = today() - timedelta(days=400)
    make_project(stage=Stage.DRAFTING)
    overdue(make_project(stage=Stage.DRAFTING))
    make_project(stage=Stage.COMMENT, comment_starts_on=today() - timedelta(40),
                 comment_ends_on=today() - timedelta(10))
    make_project(stage=Stage.COMMENT, comment_starts_on=today(),
                 comment_ends_on=today() + timedelta(30))
    make_project(level="local", stage=Stage.PUBLIC_NOTICE, notice_starts_on=long_ago,
                 notice_ends_on=today() - timedelta(1))
    overdue(make_project(stage=Stage.PUBLISHED), days=300)

    figures = dashboard_figures()
    assert [s.stage for s in figures.stages] == OPEN_STAGES
    assert not set(OPEN_STAGES) & set(FINAL_STAGES)
    assert OPEN_STAGES.index(Stage.DRAFTING) < OPEN_STAGES.index(Stage.COMMENT) \
        < OPEN_STAGES.index(Stage.PUBLIC_NOTICE)
    by_stage = {s.stage: s for s in figures.stages}
    assert (by_stage[Stage.DRAFTING].total, by_stage[Stage.DRAFTING].overdue) == (2, 1)
    assert (by_stage[Stage.COMMENT].total, by_stage[Stage.COMMENT].period_ended) == (2, 1)
    assert by_stage[Stage.PUBLIC_NOTICE].period_ended == 1
    assert (figures.projects_open, figures.projects_overdue) == (5, 1)  # published left out
    assert {p.stage for p in figures.steps_overdue} == {Stage.COMMENT, Stage.PUBLIC_NOTICE}


# --- reviews, supervision, information, evaluation ----------------------------------------

def test_reviews_due_this_year(seeded, users):
    office = users["office"]
    year_end = today().replace(month=12, day=31)
    before = dashboard_figures()
    assert before.reviews_due == len(DueReviews(until=year_end))
    # Due five years after implementation: one already overdue, one later this year at the
    # latest (today), one next year.
    current_standard(office, "Q/CJSB 910-2020",
                     implemented_on=add_years(today(), -5) - timedelta(days=1))
    current_standard(office, "Q/CJSB 911-2020", implemented_on=add_years(today(), -5))
    current_standard(office, "Q/CJSB 912-2022",
                     implemented_on=add_years(year_end, -5) + timedelta(days=1))
    after = dashboard_figures()
    assert after.reviews_due == before.reviews_due + 2
    assert after.reviews_overdue == before.reviews_overdue + 1


def test_open_nonconformities_drop_when_one_is_closed(seeded, users):
    check = make_check(users)
    late = make_nonconformity(check, users["lead"], today() - timedelta(days=3), users["office"])
    make_nonconformity(check, users["lead"], today() + timedelta(days=10), users["office"])
    figures = dashboard_figures()
    assert (figures.nonconformities_open, figures.nonconformities_overdue) == (2, 1)

    CloseNonConformity(users["lead"], late, "已在窗口张贴办理时限公示，见照片。").execute()
    figures = dashboard_figures()
    assert (figures.nonconformities_open, figures.nonconformities_overdue) == (1, 0)
    assert NonConformity.objects.get(pk=late.pk).history.first().history_user == users["lead"]


def test_information_items_needing_action(seeded, users):
    for status in (InformationStatus.NEEDS_ACTION, InformationStatus.NEEDS_ACTION,
                   InformationStatus.NEW, InformationStatus.ACTED):
        saved(InformationItem(title=f"国家标准发布 {status}", category=InformationCategory.NATIONAL,
                              source="国家标准化管理委员会", published_on=today(),
                              status=status, created_by=users["office"]), users["office"])
    assert dashboard_figures().information_needs_action == 2


def test_standards_below_the_threshold_by_their_latest_evaluation(seeded, users):
    admin = users["admin"]
    template = saved(EvaluationTemplate(name="默认评价模板", is_default=True,
                                        threshold=Decimal("80")), admin)
    strict = saved(EvaluationTemplate(name="严格模板", threshold=Decimal("90")), admin)
    first, second, third = Standard.objects.order_by("pk")[:3]

    def evaluate(standard, days_ago, total, used=template):
        saved(Evaluation(standard=standard, template=used, evaluated_by=admin,
                         evaluated_on=today() - timedelta(days=days_ago),
                         total=Decimal(total), conclusion="评价结论"), admin)

    evaluate(first, 200, "95")
    evaluate(first, 10, "70")      # latest below 80: counted
    evaluate(second, 200, "60")
    evaluate(second, 10, "85")     # improved: not counted
    evaluate(third, 10, "85", strict)  # below its own template's 90: counted
    assert dashboard_figures().below_threshold == 2


# --- charts -------------------------------------------------------------------------------

def test_percent_bars_draw_labels_titles_and_links():
    svg = percent_bars("c1", "覆盖率", [
        Bar("303 数据中心管理", 1, 5, url="/nodes/1/", title="数据中心管理: 1/5", group="300"),
        Bar("101 标准化导则", 0, 0, url="/nodes/2/", note="no aspects"),
    ])
    assert svg.startswith("<svg") and 'aria-labelledby="c1-title"' in svg
    assert '<title id="c1-title">覆盖率</title>' in svg
    assert svg.count('<a href="') == 2 and "<title>数据中心管理: 1/5</title>" in svg
    assert "303 数据中心管理" in svg and "1 / 5 · 20%" in svg and "no aspects" in svg
    assert "Noto Sans CJK SC" in svg
    printed = percent_bars("c1", "覆盖率", [Bar("303 数据中心管理", 1, 5, url="/nodes/1/")],
                           links=False)
    assert "<a " not in printed and "<rect" in printed and "303 数据中心管理" in printed


def test_donut_escapes_text_and_draws_a_full_ring():
    svg = donut("c2", "<open>", [Segment(3, "全部", url="/x/?a=1&b=2"), Segment(0, "none")],
                centre=3)
    assert "&lt;open&gt;" in svg and 'href="/x/?a=1&amp;b=2"' in svg
    assert svg.count("<path") == 1  # the empty segment draws nothing but its legend entry
    assert "全部: 3" in svg and "none: 0" in svg


# --- the page -----------------------------------------------------------------------------

def test_anonymous_users_are_sent_to_log_in(client, seeded):
    for url in (URL, PDF_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_dashboard(seeded, client_for, role):
    response = client_for(role).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert reverse("lifecycle:dashboard") == URL
    content = response.content.decode()
    assert "303 数据中心管理" in content and 'id="dashboard-pdf"' in content
    assert f'action="{PDF_URL}"' in content  # a form: queuing the PDF is a POST


def test_a_user_without_the_view_permission_is_refused(seeded, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    # A user with no role at all only sees whom to ask for one (issue 13).
    for url in (URL, PDF_URL):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/accounts/no-role/"


def test_every_chart_link_leads_to_its_list(seeded, users, client_for, make_project):
    overdue(make_project(stage=Stage.DRAFTING))
    make_project(stage=Stage.DRAFTING)
    make_nonconformity(make_check(users), users["lead"], today() - timedelta(days=1),
                       users["office"])
    client = client_for("office")
    content = client.get(URL).content.decode()
    links = svg_links(content)
    data_centre = Node.objects.get(code="303")
    expected = {
        reverse("registry:node_detail", args=[data_centre.pk]),
        reverse("lifecycle:project_list") + "?stage=drafting",
        reverse("lifecycle:project_list") + "?stage=comment",   # a stage without projects
        reverse("lifecycle:project_list") + "?stage=drafting&overdue=no",
        reverse("lifecycle:project_list") + "?stage=drafting&overdue=yes",
        reverse("lifecycle:nonconformity_list") + "?status=open&overdue=0",
        reverse("lifecycle:nonconformity_list") + "?status=open&overdue=1",
    }
    assert expected <= set(links)
    tiles = {html.unescape(h) for h in re.findall(r'<li class="kpi[^"]*"><a id="[^"]+" '
                                                 r'href="([^"#]+)"', content)}
    assert {reverse("lifecycle:periodicreview_list"),
            reverse("lifecycle:informationitem_list") + "?status=needs_action",
            reverse("lifecycle:evaluation_improvement"),
            reverse("lifecycle:project_list") + "?overdue=yes"} <= tiles
    for link in sorted(set(links) | tiles):
        assert client.get(link).status_code == 200, link


def test_the_overdue_links_list_only_overdue_records(seeded, users, client_for, make_project):
    late = overdue(make_project(title="逾期项目", stage=Stage.DRAFTING))
    make_project(title="按期项目", stage=Stage.DRAFTING)
    check = make_check(users)
    make_nonconformity(check, users["lead"], today() - timedelta(days=1), users["office"])
    saved(NonConformity(check_record=check, description="按期整改项", action="整改",
                        owner=users["lead"], due_on=today() + timedelta(days=5)), users["office"])
    client = client_for("office")
    projects = client.get(reverse("lifecycle:project_list") + "?overdue=yes").content.decode()
    assert late.title in projects and "按期项目" not in projects
    on_time = client.get(reverse("lifecycle:project_list")
                         + "?stage=drafting&overdue=no").content.decode()
    assert late.title not in on_time and "按期项目" in on_time
    actions_page = client.get(reverse("lifecycle:nonconformity_list")
                              + "?status=open&overdue=1").content.decode()
    assert "办理时限未公示" in actions_page and "按期整改项" not in actions_page


def test_the_not_yet_due_legend_lists_only_actions_not_yet_due(seeded, users, client_for):
    check = make_check(users)
    make_nonconformity(check, users["lead"], today() - timedelta(days=1), users["office"])
    saved(NonConformity(check_record=check, description="按期整改项", action="整改",
                        owner=users["lead"], due_on=today() + timedelta(days=5)), users["office"])
    saved(NonConformity(check_record=check, description="今天到期项", action="整改",
                        owner=users["lead"], due_on=today()), users["office"])
    client = client_for("lead")
    links = svg_links(client.get(URL).content.decode())
    not_yet_due = [link for link in links
                   if link.startswith(reverse("lifecycle:nonconformity_list"))
                   and "overdue=1" not in link]
    assert not_yet_due  # the blue segment and its legend entry
    for link in set(not_yet_due):
        listed = {item.description for item in client.get(link).context["object_list"]}
        assert listed == {"按期整改项", "今天到期项"}, link


def test_the_dashboard_updates_when_a_corrective_action_is_closed(seeded, users, client_for):
    """The issue's scenario: the lead sees the gaps of 数据中心管理 and an overdue corrective
    action, closes it with evidence, and the dashboard shows it closed."""
    late = make_nonconformity(make_check(users), users["lead"], today() - timedelta(days=2),
                              users["office"])
    client = client_for("lead")
    first = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert first.context["figures"].nonconformities_overdue == 1
    assert category(first.context["figures"], "303").gaps == 5
    assert "303 数据中心管理: 0 of 5 aspects have a current standard, 5 gaps" in \
        first.content.decode()
    CloseNonConformity(users["lead"], late, "整改完成，附公示照片。").execute()
    second = client.get(URL)
    assert (second.context["figures"].nonconformities_open,
            second.context["figures"].nonconformities_overdue) == (0, 0)


# --- the PDF ------------------------------------------------------------------------------

def test_the_pdf_is_a_landscape_attachment_with_the_figures(seeded, client_for, tmp_path):
    # A job (run eagerly here; tests/lifecycle/test_pdf_jobs.py queues it), then its file.
    client = client_for("viewer")
    job_page = client.post(PDF_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert job_page.status_code == 302
    job = client.get(job_page.url).context["job"]
    response = client.get(reverse("registry:exportjob_download", args=[job.pk]),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="Dashboard-{today().isoformat()}.pdf"')
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    compact = "".join(text.split())
    assert "Standardizationdashboard" in compact
    assert "数据中心管理" in compact and "昌吉回族自治州社会保险管理局" in compact
    assert today().isoformat() in compact
    info = subprocess.run(["pdfinfo", str(tmp_path / "dashboard.pdf")], capture_output=True,
                          text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # A4 landscape: 842 x 595 pt
    assert round(width) == 842 and round(height) == 595


# --- query count --------------------------------------------------------------------------

def test_the_figures_take_ten_queries(seeded, django_assert_num_queries):
    """The root, the tree's three (nodes, placements, statuses), projects by stage, the
    ended periods, the reviews due, non-conformities, information items, evaluations."""
    # Acting in the default organization, found first, as a request's middleware finds it.
    with acting_in(default_organization()), django_assert_num_queries(10):
        dashboard_figures()


def _bulk_standards(count, offset=0):
    """``count`` current standards (bulk-inserted: history is not what this test is about)."""
    standards = []
    for i in range(offset, offset + count):
        number = parse_standard_number(f"Q/BULK {i + 1}-2021")
        standards.append(Standard(
            number=number.canonical, code=number.code, serial=number.serial, year=number.year,
            level=number.level, title=f"批量标准 {i}",
            implemented_on=today() - timedelta(days=(i * 7) % 2500)))
    Standard.objects.bulk_create(standards, batch_size=500)
    return list(Standard.objects.filter(code="Q/BULK").order_by("pk")[offset:offset + count])


def _other_records(users, department, copies):
    node = Node.objects.get(code="303-01")
    check = make_check(users)
    for i in range(copies):
        Project.objects.bulk_create([Project(
            # bulk_create sends no pre_save: the organization given here.
            organization=department.organization,
            title=f"项目 {i}", node=node, department=department, leader=users["office"],
            planned_start=today() - timedelta(days=400),
            planned_end=today() - timedelta(days=i % 3), created_by=users["office"],
            stage=OPEN_STAGES[i % len(OPEN_STAGES)])])
    NonConformity.objects.bulk_create([
        NonConformity(check_record=check, description=f"不符合 {i}", action="整改",
                      owner=users["lead"], due_on=today() + timedelta(days=i % 5 - 2))
        for i in range(copies)])
    InformationItem.objects.bulk_create([
        InformationItem(organization=department.organization,
                        title=f"信息 {i}", category=InformationCategory.POLICY, source="人社部",
                        published_on=today(), created_by=users["office"],
                        status=InformationStatus.NEEDS_ACTION if i % 2 else
                        InformationStatus.NEW)
        for i in range(copies)])
    template, _created = EvaluationTemplate.objects.get_or_create(name="默认", is_default=True)
    Evaluation.objects.bulk_create([
        Evaluation(organization=department.organization,
                   standard=standard, template=template, evaluated_on=today(),
                   evaluated_by=users["admin"], total=Decimal(60 + i % 40), conclusion="结论")
        for i, standard in enumerate(Standard.objects.order_by("pk")[:copies])])


def _count(client):
    """Queries of a warm request (a session's first one also reads its permissions)."""
    assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), response.context["figures"]


def test_query_count_does_not_grow_with_5000_standards(seeded, users, client_for, department):
    _other_records(users, department, copies=2)
    client = client_for("lead")
    small, small_figures = _count(client)

    aspects = list(Node.objects.filter(path__startswith=seeded.path, depth__gte=4)
                   .order_by("path"))
    categories = list(Node.objects.filter(path__startswith=seeded.path, depth=3))
    standards = _bulk_standards(5000)
    Placement.objects.bulk_create([
        # 4,500 on 60 of the aspects, 500 on the categories themselves
        Placement(node=aspects[i % 60] if i < 4500 else categories[i % len(categories)],
                  standard=standard)
        for i, standard in enumerate(standards)], batch_size=500)
    _other_records(users, department, copies=200)
    assert Standard.objects.count() >= 5000

    large, large_figures = _count(client)
    assert large == small, f"{small} queries with the seed, {large} with 5,000 standards"
    # The same queries saw the new data.
    assert large_figures.total.covered == 60 > small_figures.total.covered
    assert large_figures.total.standards >= 5000 + small_figures.total.standards
    assert large_figures.projects_open > small_figures.projects_open
    assert large_figures.nonconformities_open == small_figures.nonconformities_open + 200
    assert large_figures.reviews_due > small_figures.reviews_due
    assert large_figures.information_needs_action == 100 + 1
    assert large_figures.below_threshold > small_figures.below_threshold

