"""Clause 5.3: work rules and the yearly plan with its progress."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lifecycle.choices import Stage
from lifecycle.models import PlanItem, WorkRule, YearPlan
from lifecycle.models.work import RULES_NODE_NAME
from lifecycle.rules.work import (
    IN_PROGRESS,
    NOT_STARTED,
    PUBLISHED,
    STOPPED,
    item_row,
    plannable_projects,
    stage_progress,
    summary,
)
from registry.models import Node
from tests.lifecycle.conftest import PDF, pdf_upload


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, so the assertions below match the English texts."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def latest_history(record):
    return record.history.order_by("-history_date", "-history_id").first()


@pytest.fixture
def rules_node(seeded):
    return Node.objects.get(name=RULES_NODE_NAME)


@pytest.fixture
def rule(rules_node, users):
    return WorkRule.objects.create(title="标准化工作管理办法", node=rules_node,
                                   effective_on=date(2024, 1, 1), created_by=users["office"])


@pytest.fixture
def plan(db):
    return YearPlan.objects.create(year=timezone.localdate().year, title="年度标准化工作计划")


# --- permissions --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "expert", "lead"])
def test_read_only_roles_get_403_on_every_write_view(role, rule, plan, seeded, client_for):
    item = PlanItem.objects.create(plan=plan, title="待立项", target_on=date(plan.year, 6, 30),
                                   node=rule.node)
    urls = [reverse("lifecycle:workrule_add"), reverse("lifecycle:workrule_edit", args=[rule.pk]),
            reverse("lifecycle:yearplan_add"), reverse("lifecycle:yearplan_edit", args=[plan.year]),
            reverse("lifecycle:planitem_add", args=[plan.year]),
            reverse("lifecycle:planitem_edit", args=[item.pk])]
    client = client_for(role)
    data = {"title": "改", "node": rule.node.pk, "effective_on": "2024-01-01",
            "year": plan.year + 1, "target_on": f"{plan.year}-07-01", "reason": "x"}
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert WorkRule.objects.get().title == "标准化工作管理办法"
    assert YearPlan.objects.count() == 1 and PlanItem.objects.get().title == "待立项"
    for url in (reverse("lifecycle:workrule_list"),
                reverse("lifecycle:workrule_detail", args=[rule.pk]),
                reverse("lifecycle:yearplan_list"),
                reverse("lifecycle:yearplan_detail", args=[plan.year])):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "/edit/" not in page.content.decode() and "/add/" not in page.content.decode()


# --- work rules ---------------------------------------------------------------------------


def test_office_adds_a_rule_on_the_guidelines_node_with_its_file(rules_node, users,
                                                                client_for):
    client = client_for("office")
    form = client.get(reverse("lifecycle:workrule_add")).context["form"]
    assert form.fields["node"].initial == rules_node
    assert f"{rules_node.code} {rules_node.name}" in dict(
        (str(k), v) for k, v in form.fields["node"].choices)[str(rules_node.pk)]
    other = Node.objects.get(code="304-09")
    response = client.post(reverse("lifecycle:workrule_add"), {
        "title": "标准化工作管理办法", "reference": "昌社保〔2025〕1号", "node": other.pk,
        "effective_on": "2025-01-01", "summary": "职责与流程",
        "upload": pdf_upload("管理办法.pdf"),
    })
    rule = WorkRule.objects.get()
    assert response.url == rule.get_absolute_url()
    assert rule.node == other and rule.created_by == users["office"]
    assert rule.file_format == "pdf" and rule.original_name == "管理办法.pdf"
    row = latest_history(rule)
    assert row.history_user == users["office"] and row.history_change_reason == "Work rule added"
    page = client_for("viewer").get(rule.get_absolute_url()).content.decode()
    download = reverse("lifecycle:attachment_download", args=["rule", rule.pk])
    assert download in page and "2025-01-01" in page and "304-09" in page
    assert b"".join(client_for("viewer").get(download).streaming_content) == PDF


def test_rule_edit_needs_a_reason_keeps_the_file_and_checks_dates(rule, users, client_for):
    client = client_for("office")
    url = reverse("lifecycle:workrule_edit", args=[rule.pk])
    base = {"title": rule.title, "node": rule.node.pk, "effective_on": "2024-01-01"}
    response = client.post(url, {**base, "repealed_on": "2025-01-01"})
    assert "reason" in response.context["form"].errors
    response = client.post(url, {**base, "repealed_on": "2023-12-31", "reason": "废止"})
    assert "repealed_on" in response.context["form"].errors
    bad = SimpleUploadedFile("rule.pdf", b"MZ\x90\x00 not a document")
    response = client.post(url, {**base, "reason": "换文件", "upload": bad})
    assert "upload" in response.context["form"].errors
    rule.refresh_from_db()
    assert rule.repealed_on is None and not rule.file and rule.history.count() == 1
    client.post(url, {**base, "reason": "上传文本", "upload": pdf_upload("v1.pdf")})
    client.post(url, {**base, "repealed_on": "2025-06-30", "reason": "被新办法替代"})
    rule.refresh_from_db()
    assert rule.repealed_on == date(2025, 6, 30) and rule.original_name == "v1.pdf"
    row = latest_history(rule)
    assert row.history_user == users["office"]
    assert row.history_change_reason == "被新办法替代"


def test_rules_list_filters_current_and_repealed(rule, rules_node, users, client_for):
    today = timezone.localdate()
    WorkRule.objects.create(title="旧办法", node=rules_node, effective_on=date(2020, 1, 1),
                            repealed_on=today - timedelta(days=1), created_by=users["office"])
    WorkRule.objects.create(title="即将废止", node=rules_node, effective_on=date(2020, 1, 1),
                            repealed_on=today + timedelta(days=10), created_by=users["office"])
    client = client_for("viewer")

    def titles(**params):
        response = client.get(reverse("lifecycle:workrule_list"), params)
        return {r.title for r in response.context["object_list"]}

    assert titles() == {"标准化工作管理办法", "旧办法", "即将废止"}
    assert titles(status="current") == {"标准化工作管理办法", "即将废止"}
    assert titles(status="repealed") == {"旧办法"}
    assert titles(q="旧") == {"旧办法"}


def test_a_rule_taking_effect_later_is_upcoming_not_current(rule, rules_node, users,
                                                            client_for):
    today = timezone.localdate()
    WorkRule.objects.create(title="新办法", node=rules_node,
                            effective_on=today + timedelta(days=30), created_by=users["office"])
    WorkRule.objects.create(title="今日施行", node=rules_node, effective_on=today,
                            created_by=users["office"])
    WorkRule.objects.create(title="已废止", node=rules_node, effective_on=date(2020, 1, 1),
                            repealed_on=today, created_by=users["office"])
    client = client_for("viewer")

    def titles(**params):
        response = client.get(reverse("lifecycle:workrule_list"), params)
        return {r.title for r in response.context["object_list"]}

    assert titles(status="current") == {"标准化工作管理办法", "今日施行"}
    assert titles(status="upcoming") == {"新办法"}
    assert titles(status="repealed") == {"已废止"}
    page = client.get(reverse("lifecycle:workrule_list"), {"status": "upcoming"}).content.decode()
    assert 'value="upcoming" selected' in page


# --- plan progress ------------------------------------------------------------------------


def test_stage_progress_follows_the_iso_stage_code():
    expected = {
        Stage.PROPOSAL: 10, Stage.OFFICE_REVIEW: 10, Stage.PROPOSAL_DECISION: 10,
        Stage.DRAFTING: 25, Stage.COMMENT: 50, Stage.REVIEW: 75, Stage.APPROVAL: 75,
        Stage.PUBLIC_NOTICE: 75, Stage.AUTHORITY_APPROVAL: 75, Stage.APPROVED: 75,
        Stage.PUBLISHED: 100, Stage.REJECTED: None, Stage.TERMINATED: None,
    }
    assert {stage: stage_progress(stage) for stage in Stage} == expected


def test_item_rows_status_overdue_and_summary(make_project, plan):
    today = timezone.localdate()
    past, future = today - timedelta(days=1), today + timedelta(days=1)

    def item(project=None, target=future):
        return PlanItem(plan=plan, title="x", project=project, target_on=target)

    rows = [
        item_row(item(None, past), today),                                       # not started
        item_row(item(make_project(stage=Stage.DRAFTING), future), today),       # on time
        item_row(item(make_project(stage=Stage.COMMENT), past), today),          # late
        item_row(item(make_project(stage=Stage.PUBLISHED), past), today),        # done
        item_row(item(make_project(stage=Stage.TERMINATED), future), today),     # stopped
    ]
    assert [r.status for r in rows] == [NOT_STARTED, IN_PROGRESS, IN_PROGRESS, PUBLISHED,
                                        STOPPED]
    assert [r.progress for r in rows] == [0, 25, 50, 100, None]
    assert [r.overdue for r in rows] == [True, False, True, False, False]
    assert summary(rows) == {"items": 5, "published": 1, "in_progress": 2, "not_started": 1,
                             "stopped": 1, "overdue": 2}


def test_plan_page_shows_items_with_stage_progress_and_counts(make_project, plan, client_for):
    year = plan.year
    drafting = make_project(title="报表管理规范", stage=Stage.DRAFTING)
    published = make_project(title="窗口服务规范", stage=Stage.PUBLISHED)
    node = Node.objects.get(code="101")
    PlanItem.objects.create(plan=plan, title=drafting.title, project=drafting,
                            node=drafting.node, target_on=date(year, 12, 31))
    PlanItem.objects.create(plan=plan, title=published.title, project=published,
                            node=published.node, target_on=date(year, 1, 1))
    PlanItem.objects.create(plan=plan, title="档案管理规范", node=node,
                            target_on=date(year, 1, 1))
    response = client_for("viewer").get(reverse("lifecycle:yearplan_detail", args=[year]))
    page = response.content.decode()
    assert drafting.get_absolute_url() in page and "20.00" in page and "Drafting" in page
    assert "60.60" in page and 'value="100"' in page and 'value="25"' in page
    assert "to be proposed" in page
    counts = response.context["summary"]
    today = timezone.localdate()
    assert counts["published"] == 1 and counts["in_progress"] == 1
    assert counts["not_started"] == 1
    assert counts["overdue"] == (1 if date(year, 1, 1) < today else 0)
    listing = client_for("viewer").get(reverse("lifecycle:yearplan_list"))
    (listed, listed_counts), = listing.context["plans"]
    assert listed == plan and listed_counts == counts


def test_plan_page_and_list_run_a_constant_number_of_queries(make_project, plan, client_for,
                                                             django_assert_max_num_queries):
    client = client_for("office")
    url = reverse("lifecycle:yearplan_detail", args=[plan.year])
    client.get(url)
    stages = [Stage.DRAFTING, Stage.COMMENT, Stage.REVIEW, Stage.PUBLISHED, Stage.TERMINATED]
    for n in range(30):
        project = make_project(title=f"项目{n}", stage=stages[n % len(stages)])
        PlanItem.objects.create(plan=plan, title=project.title, project=project,
                                node=project.node, target_on=date(plan.year, 6, 30))
    for year in range(plan.year - 5, plan.year):
        other = YearPlan.objects.create(year=year, title=f"{year}年计划")
        PlanItem.objects.create(plan=other, title="旧项", target_on=date(year, 3, 1))
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert len(response.context["rows"]) == 30
    with django_assert_max_num_queries(8):
        response = client.get(reverse("lifecycle:yearplan_list"))
    assert len(response.context["plans"]) == 6


# --- plans and items ----------------------------------------------------------------------


def test_office_adds_a_plan_and_a_second_one_for_the_year_is_refused(users, client_for):
    client = client_for("office")
    year = timezone.localdate().year
    assert client.get(reverse("lifecycle:yearplan_add")).context["form"].initial["year"] == year
    response = client.post(reverse("lifecycle:yearplan_add"),
                           {"year": year, "title": f"{year}年度标准化工作计划"})
    plan = YearPlan.objects.get()
    assert response.url == reverse("lifecycle:yearplan_detail", args=[year])
    row = latest_history(plan)
    assert row.history_user == users["office"] and row.history_change_reason == "Yearly plan added"
    response = client.post(reverse("lifecycle:yearplan_add"), {"year": year, "title": "重复"})
    assert response.status_code == 200
    assert f"There is already a plan for {year}." in response.context["form"].errors["year"]
    assert YearPlan.objects.count() == 1
    assert client.get(reverse("lifecycle:yearplan_add")).context["form"].initial["year"] == year + 1
    response = client.post(reverse("lifecycle:yearplan_add"), {"year": 1999, "title": "太早"})
    assert "year" in response.context["form"].errors


def test_plan_edit_needs_a_reason_and_keeps_the_year(plan, users, client_for):
    client = client_for("office")
    url = reverse("lifecycle:yearplan_edit", args=[plan.year])
    response = client.post(url, {"title": "新标题"})
    assert "reason" in response.context["form"].errors
    assert "year" not in response.context["form"].fields
    client.post(url, {"title": "新标题", "notes": "补充说明", "year": 1990, "reason": "改名"})
    plan.refresh_from_db()
    assert plan.title == "新标题" and plan.year == timezone.localdate().year
    row = latest_history(plan)
    assert row.history_user == users["office"] and row.history_change_reason == "改名"


def test_plan_item_from_a_project_or_still_to_be_proposed(make_project, plan, users,
                                                          client_for):
    client = client_for("office")
    url = reverse("lifecycle:planitem_add", args=[plan.year])
    project = make_project(title="报表管理规范", stage=Stage.DRAFTING)
    response = client.post(url, {"project": project.pk, "target_on": f"{plan.year}-09-30"})
    assert response.url == plan.get_absolute_url()
    item = PlanItem.objects.get()
    assert (item.title, item.node, item.project) == ("报表管理规范", project.node, project)
    row = latest_history(item)
    assert row.history_user == users["office"] and row.history_change_reason == "Plan item added"
    # the same project twice, an item without project, title or node, a date in another year
    response = client.post(url, {"project": project.pk, "target_on": f"{plan.year}-10-31"})
    assert "project" in response.context["form"].errors
    response = client.post(url, {"target_on": f"{plan.year}-10-31"})
    assert {"title", "node"} <= set(response.context["form"].errors)
    node = Node.objects.get(code="101")
    response = client.post(url, {"title": "档案管理规范", "node": node.pk,
                                 "target_on": f"{plan.year + 1}-01-15"})
    assert "target_on" in response.context["form"].errors
    assert PlanItem.objects.count() == 1
    client.post(url, {"title": "档案管理规范", "node": node.pk,
                      "target_on": f"{plan.year}-12-31"})
    proposed = PlanItem.objects.get(project__isnull=True)
    assert proposed.node == node and proposed.target_on == date(plan.year, 12, 31)

    # Once proposed, the item is edited to point at its project (a reason is needed).
    later = make_project(title="档案管理规范")
    edit = reverse("lifecycle:planitem_edit", args=[proposed.pk])
    data = {"project": later.pk, "title": "档案管理规范", "node": node.pk,
            "target_on": f"{plan.year}-12-31"}
    assert "reason" in client.post(edit, data).context["form"].errors
    response = client.post(edit, {**data, "reason": "已立项"})
    assert response.url == plan.get_absolute_url()
    proposed.refresh_from_db()
    assert proposed.project == later
    row = latest_history(proposed)
    assert row.history_user == users["office"] and row.history_change_reason == "已立项"


def test_plannable_projects_are_open_or_recent(make_project, plan):
    from lifecycle.models import Project

    open_old = make_project(title="进行中")
    done_recent = make_project(title="刚发布", stage=Stage.PUBLISHED)
    done_old = make_project(title="早已发布", stage=Stage.PUBLISHED)
    Project.objects.filter(pk__in=[open_old.pk, done_old.pk]).update(
        created_at=timezone.now().replace(year=plan.year - 3))
    choices = set(plannable_projects(plan.year))
    assert open_old in choices and done_recent in choices and done_old not in choices
