"""Accessibility (GB/T 37668-2019, WCAG 2.1 AA): every page type in both languages passes
axe-core with no serious or critical violation, and the tree and the project page work
with the keyboard alone.

axe-core is a test asset (tests/browser/vendor/axe-core/, its README says which version):
it is injected into the page by Selenium, never served by the application, so the CSP of
the pages is untouched. ``PAGES`` lists one URL per page type; a plain test (no browser)
fails when a named URL of the site is neither in it nor in ``NOT_PAGES`` with the reason it
is not a page, so a new page cannot escape the check.
"""

import io
import json
import os
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from test_lifecycle_in_browser import logout
from test_tree_in_browser import _replaced, click_to_new_page, css, login, path_of, wait_for

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
LANGUAGES = ("zh-hans", "en")


# --- the pages ------------------------------------------------------------------------------
# name → (role, URL from the records). The role is the one that sees the most of the page
# (the administrator sees every button), or the one the page is for.

def _r(name, *args):
    return lambda rec: reverse(name, args=[a(rec) if callable(a) else a for a in args])


def _pk(key):
    return lambda rec: rec[key].pk


PAGES = {
    # anonymous
    "login": (None, _r("login")),
    "password_reset": (None, _r("password_reset")),
    "password_reset_done": (None, _r("password_reset_done")),
    "password_reset_confirm": (None, lambda rec: rec["reset"]),
    "password_reset_complete": (None, _r("password_reset_complete")),
    # the standard system
    "registry:tree": ("admin", _r("registry:tree")),
    "registry:node_detail": ("admin", _r("registry:node_detail", _pk("node"))),
    "registry:node_add": ("admin", _r("registry:node_add", _pk("node"))),
    "registry:node_edit": ("admin", _r("registry:node_edit", _pk("node"))),
    "registry:node_move": ("admin", _r("registry:node_move", _pk("node"))),
    "registry:node_reorder": ("admin", _r("registry:node_reorder", _pk("node"))),
    "registry:node_delete": ("admin", _r("registry:node_delete", _pk("node"))),
    "registry:tailoring": ("admin", _r("registry:tailoring")),
    "registry:editions": ("admin", _r("registry:editions")),
    "registry:comparison": ("admin", _r("registry:comparison")),
    "registry:templates": ("admin", _r("registry:templates")),
    "organizations:list": ("admin", _r("organizations:list")),
    "organizations:add": ("admin", _r("organizations:add")),
    "organizations:edit": ("admin", lambda rec: reverse("organizations:edit",
                                                        args=[rec["node"].owner_id])),
    "organizations:members": ("admin", lambda rec: reverse("organizations:members",
                                                           args=[rec["node"].owner_id])),
    "registry:node_place": ("admin", _r("registry:node_place", _pk("node"))),
    "registry:node_order": ("admin", _r("registry:node_order", _pk("held_node"))),
    "registry:placement_delete": ("admin", _r("registry:placement_delete", _pk("placement"))),
    "registry:node_changelog": ("admin", _r("registry:node_changelog", _pk("node"))),
    "registry:as_of": ("admin", _r("registry:as_of")),
    "registry:as_of_compare": ("admin", _r("registry:as_of_compare")),
    "registry:exportjob_add": ("admin", _r("registry:exportjob_add")),
    "registry:exportjob_detail": ("admin", _r("registry:exportjob_detail", _pk("export"))),
    "registry:compilationnotes_edit": ("admin", _r("registry:compilationnotes_edit")),
    "registry:system_edit": ("admin", _r("registry:system_edit")),
    "registry:import": ("admin", _r("registry:import")),
    "registry:import_preview": ("admin", _r("registry:import_preview", _pk("import_preview"))),
    "registry:reviewflag_list": ("admin", _r("registry:reviewflag_list")),
    "registry:reviewflag_decide": ("admin", _r("registry:reviewflag_decide", _pk("flag"))),
    # the catalog
    "registry:standard_list": ("admin", _r("registry:standard_list")),
    "registry:standard_add": ("admin", _r("registry:standard_add")),
    "registry:standard_detail": ("admin", _r("registry:standard_detail", _pk("standard"))),
    "registry:standard_edit": ("admin", _r("registry:standard_edit", _pk("standard"))),
    "catalog:term_list": ("admin", _r("catalog:term_list")),
    "catalog:term_add": ("admin", _r("catalog:term_add")),
    "catalog:term_detail": ("admin", _r("catalog:term_detail", _pk("term"))),
    "catalog:term_edit": ("admin", _r("catalog:term_edit", _pk("term"))),
    "catalog:amendment_add": ("admin", _r("catalog:amendment_add", _pk("standard"))),
    "catalog:amendment_edit": ("admin", _r("catalog:amendment_edit", _pk("amendment"))),
    "catalog:validity_check": ("viewer", _r("catalog:validity_check")),
    "catalog:validity_list": ("viewer", _r("catalog:validity_list")),
    "catalog:validity_detail": ("viewer", _r("catalog:validity_detail", _pk("validity"))),
    # history and audit
    "audit:record_history": ("admin", lambda rec: reverse(
        "audit:record_history", args=["catalog.standard", rec["standard"].pk])),
    "audit:record_compare": ("admin", lambda rec: reverse(
        "audit:record_compare", args=["catalog.standard", rec["standard"].pk])),
    "audit:logentry_list": ("admin", _r("audit:logentry_list")),
    # projects
    "lifecycle:project_list": ("admin", _r("lifecycle:project_list")),
    "lifecycle:project_add": ("admin", _r("lifecycle:project_add")),
    "lifecycle:project_detail": ("admin", _r("lifecycle:project_detail", _pk("project"))),
    "lifecycle:project_edit": ("admin", _r("lifecycle:project_edit", _pk("project"))),
    "lifecycle:document_add": ("admin", _r("lifecycle:document_add", _pk("project"))),
    "lifecycle:comment_add": ("admin", _r("lifecycle:comment_add", _pk("comment_project"))),
    "lifecycle:comment_edit": ("admin", lambda rec: reverse(
        "lifecycle:comment_edit", args=[rec["comment_project"].pk, rec["comment"].pk])),
    "lifecycle:objection_add": ("admin", _r("lifecycle:objection_add", _pk("notice_project"))),
    "lifecycle:objection_edit": ("admin", lambda rec: reverse(
        "lifecycle:objection_edit", args=[rec["notice_project"].pk, rec["objection"].pk])),
    "lifecycle:reviewassignment_edit": ("admin", _r("lifecycle:reviewassignment_edit",
                                                    _pk("review_project"))),
    "lifecycle:periodicreview_list": ("admin", _r("lifecycle:periodicreview_list")),
    "lifecycle:periodicreview_add": ("admin", _r("lifecycle:periodicreview_add",
                                                 _pk("standard"))),
    "lifecycle:implementationplan_add": ("admin", _r("lifecycle:implementationplan_add",
                                                     _pk("standard"))),
    # a standard's text
    "texts:list": ("admin", _r("texts:list")),
    "texts:text": ("admin", _r("texts:text", _pk("text"))),
    # The clause holding an element of each kind, each with its form.
    "texts:edit": ("admin", lambda rec: reverse("texts:edit", args=[rec["text"].pk])
                   + f"?part={rec['text_clause'].pk}"),
    "texts:cover": ("admin", _r("texts:cover", _pk("text"))),
    "texts:import": ("admin", _r("texts:import", _pk("text"))),
    "texts:standard_text": ("admin", _r("texts:standard_text", _pk("standard"))),
    "lifecycle:text_import": ("admin", _r("lifecycle:text_import", _pk("text_project"))),
    # The 征求意见稿 with a comment beside an element and the form open under another.
    "lifecycle:project_draft": ("admin", lambda rec: reverse(
        "lifecycle:project_draft",
        args=[rec["comment_draft"].text.project.pk, rec["comment_draft"].pk])
        + f"?comment={rec['comment_draft_key']}"),
    # The 征求意见稿 against the text as it stands (the first pair the page offers).
    "lifecycle:draft_compare": ("admin", lambda rec: reverse(
        "lifecycle:draft_compare", args=[rec["comment_draft"].text.project.pk])),
    # organization, people, work
    "lifecycle:department_list": ("admin", _r("lifecycle:department_list")),
    "lifecycle:department_add": ("admin", _r("lifecycle:department_add")),
    "lifecycle:department_detail": ("admin", _r("lifecycle:department_detail",
                                                _pk("department"))),
    "lifecycle:department_edit": ("admin", _r("lifecycle:department_edit", _pk("department"))),
    "lifecycle:staffprofile_list": ("admin", _r("lifecycle:staffprofile_list")),
    "lifecycle:trainingrecord_due": ("admin", _r("lifecycle:trainingrecord_due")),
    "lifecycle:staffprofile_detail": ("admin", _r("lifecycle:staffprofile_detail",
                                                  _pk("expert"))),
    "lifecycle:staffprofile_edit": ("admin", _r("lifecycle:staffprofile_edit", _pk("expert"))),
    "lifecycle:trainingrecord_add": ("admin", _r("lifecycle:trainingrecord_add",
                                                 _pk("expert"))),
    "lifecycle:trainingrecord_edit": ("admin", _r("lifecycle:trainingrecord_edit",
                                                  _pk("training"))),
    "lifecycle:trainingrecord_delete": ("admin", _r("lifecycle:trainingrecord_delete",
                                                    _pk("training"))),
    "lifecycle:workrule_list": ("admin", _r("lifecycle:workrule_list")),
    "lifecycle:workrule_add": ("admin", _r("lifecycle:workrule_add")),
    "lifecycle:workrule_detail": ("admin", _r("lifecycle:workrule_detail", _pk("rule"))),
    "lifecycle:workrule_edit": ("admin", _r("lifecycle:workrule_edit", _pk("rule"))),
    "lifecycle:yearplan_list": ("admin", _r("lifecycle:yearplan_list")),
    "lifecycle:yearplan_add": ("admin", _r("lifecycle:yearplan_add")),
    "lifecycle:yearplan_detail": ("admin", lambda rec: reverse(
        "lifecycle:yearplan_detail", args=[rec["plan"].year])),
    "lifecycle:yearplan_edit": ("admin", lambda rec: reverse(
        "lifecycle:yearplan_edit", args=[rec["plan"].year])),
    "lifecycle:planitem_add": ("admin", lambda rec: reverse(
        "lifecycle:planitem_add", args=[rec["plan"].year])),
    "lifecycle:planitem_edit": ("admin", _r("lifecycle:planitem_edit", _pk("plan_item"))),
    # the information library
    "lifecycle:informationitem_list": ("admin", _r("lifecycle:informationitem_list")),
    "lifecycle:informationitem_add": ("admin", _r("lifecycle:informationitem_add")),
    "lifecycle:informationitem_detail": ("admin", _r("lifecycle:informationitem_detail",
                                                     _pk("information"))),
    "lifecycle:informationitem_edit": ("admin", _r("lifecycle:informationitem_edit",
                                                   _pk("information"))),
    "lifecycle:informationitem_revision": ("admin", _r("lifecycle:informationitem_revision",
                                                       _pk("information"))),
    # supervision and evaluation
    "lifecycle:implementationcheck_list": ("admin", _r("lifecycle:implementationcheck_list")),
    "lifecycle:implementationcheck_add": ("admin", _r("lifecycle:implementationcheck_add")),
    "lifecycle:implementationcheck_detail": ("admin", _r("lifecycle:implementationcheck_detail",
                                                         _pk("check"))),
    "lifecycle:implementationcheck_edit": ("admin", _r("lifecycle:implementationcheck_edit",
                                                       _pk("check"))),
    "lifecycle:nonconformity_add": ("admin", _r("lifecycle:nonconformity_add", _pk("check"))),
    "lifecycle:nonconformity_list": ("admin", _r("lifecycle:nonconformity_list")),
    "lifecycle:nonconformity_detail": ("admin", _r("lifecycle:nonconformity_detail",
                                                   _pk("nonconformity"))),
    "lifecycle:nonconformity_edit": ("admin", _r("lifecycle:nonconformity_edit",
                                                 _pk("nonconformity"))),
    "lifecycle:nonconformity_close": ("lead", _r("lifecycle:nonconformity_close",
                                                 _pk("nonconformity"))),
    "lifecycle:evaluation_list": ("admin", _r("lifecycle:evaluation_list")),
    "lifecycle:evaluation_detail": ("admin", _r("lifecycle:evaluation_detail",
                                                _pk("evaluation"))),
    "lifecycle:evaluation_delete": ("admin", _r("lifecycle:evaluation_delete",
                                                _pk("evaluation"))),
    "lifecycle:evaluation_add": ("admin", _r("lifecycle:evaluation_add", _pk("standard"))),
    "lifecycle:evaluation_improvement": ("admin", _r("lifecycle:evaluation_improvement")),
    # the people's own pages
    "lifecycle:task_list": ("office", _r("lifecycle:task_list")),
    "lifecycle:dashboard": ("lead", _r("lifecycle:dashboard")),
    "lifecycle:identify_document": ("office", _r("lifecycle:identify_document")),
    "accounts:account": ("admin", _r("accounts:account")),
    "accounts:confirm": ("admin", _r("accounts:confirm")),
    "accounts:no_role": ("norole", _r("accounts:no_role")),
    "accounts:security_log": ("admin", _r("accounts:security_log")),
    "password_change": ("admin", _r("password_change")),
    "password_change_done": ("admin", _r("password_change_done")),
}

# Named URLs that are not pages of their own, and why.
NOT_PAGES = {
    "logout": "POST only: the log-out button",
    "organizations:switch": "POST only: the organization menu in the header",
    "registry:tailoring_restore": "POST only: the Restore buttons of the tailoring report",
    "registry:edition_decide": "POST only: the Accept and Decline buttons of the new "
                               "template editions page",
    "registry:derive": "shown only to an organization without a system (the tree page "
                       "sends its administrators there); the generic form page, checked "
                       "on every other form page",
    "set_language": "POST only: the language menu",
    "healthz": "plain text for load balancers",
    "registry:exportjob_download": "a file download",
    "lifecycle:document_download": "a file download",
    "catalog:validity_xlsx": "a file download",
    "lifecycle:attachment_download": "a file download",
    "lifecycle:comment_table": "a file download (XLSX; the PDF one is queued by POST)",
    "accounts:two_factor_qr": "an SVG image, shown on the two-factor set-up page",
    "lifecycle:dashboard_pdf": "POST only: queues the dashboard's PDF",
    "lifecycle:project_transition": "POST only: the forms on the project page",
    "lifecycle:informationitem_status": "POST only: the form on the information item's page",
    "accounts:two_factor_codes": "POST only; its page (the recovery codes) is checked in "
                                 "the set-up steps (STEPS)",
    "accounts:two_factor_disable": "POST only: the button on the account page",
    "api:docs": "Swagger UI as it comes (English, for developers): its markup is Swagger's",
    "texts:export": "POST only: the Download Word and Download PDF buttons (to the job page)",
    "lifecycle:draft_download": "POST only: the Word and PDF buttons of a frozen draft (to "
                                "the job page)",
    "lifecycle:draft_compare_download": "POST only: the download buttons of the differences "
                                        "page (to the job page)",
    "texts:part_add": "POST only: the Add forms of the text editor",
    "texts:part_save": "POST only: the Save button of each element in the text editor",
    "texts:part_move": "POST only: the move buttons of the text editor",
    "texts:part_delete": "POST only: the Delete buttons of the text editor",
    "texts:offer_term": "POST only: the button of a term entry in the text editor",
    "texts:figure_image": "an image, shown in a figure of the text",
    "texts:checks": "a fragment: the editor's checks column, asked again after a save",
    "lifecycle:text_start": "POST only: the button in the project page's text section",
}
# Namespaces outside the application's own pages: Django's admin (its own templates, for
# the administrators' rare errands) and the REST API (JSON; its documentation page is listed
# above).
OTHER_NAMESPACES = ("admin:", "api:")


def url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    names = {prefix + name for name in resolver.reverse_dict if isinstance(name, str)}
    for namespace, (_route, sub) in resolver.namespace_dict.items():
        names |= url_names(sub, prefix + namespace + ":")
    return names


def test_every_named_url_is_checked_or_is_not_a_page():
    names = {name for name in url_names()
             if not name.startswith(OTHER_NAMESPACES)} | {"api:docs"}
    assert not set(PAGES) & set(NOT_PAGES)
    unknown = set(PAGES) | STEP_PAGES | set(NOT_PAGES)
    assert not unknown - names, f"no longer URLs: {sorted(unknown - names)}"
    assert names <= unknown, f"pages not checked for accessibility: {sorted(names - unknown)}"
    assert len(PAGES) + len(STEP_PAGES) >= 100


# --- the records behind the pages ------------------------------------------------------------

def text_document():
    """A draft in the GB/T 1.1-2020 structure with an element of each kind, a
    cross-reference and a footnote, and a finding for the checks to list (4 has a single
    subclause)."""
    from texts.actions import skeleton
    from texts.rules.structure import (
        LETTER,
        Annex,
        Clause,
        Example,
        Figure,
        Formula,
        ListItem,
        Note,
        Paragraph,
        Table,
        TermEntry,
    )

    document = skeleton(number="Q/CJSB 002—2026", title="社会保险报表报送规范", stage="征求意见稿")
    document.clauses[1].elements.append(Paragraph("GB/T 1.1—2020 标准化工作导则　第1部分：标准化"
                                                  "文件的结构和起草规则"))
    document.clauses[2].elements.append(TermEntry(
        "社会保险报表", "反映社会保险参保、缴费和待遇支付情况的统计报表。",
        english="social insurance statistical report", notes=["包括月报和年报。"],
        source="GB/T 31596.1—2015, 2.1", key="term-report"))
    document.clauses.append(Clause("报表报送", [
        Paragraph("报表⟦ref:term-report⟧应按 GB/T 1.1 的格式编制⟦fn:格式见附录A。⟧，"
                  "并满足下列要求："),
        ListItem("每月5日前报送月报；", style=LETTER),
        ListItem("每年1月31日前报送年报。", style=LETTER),
        Note("报送时限遇法定节假日顺延。"),
        Example("2026年1月的月报于2026年2月5日前报送。"),
        Table("报表报送时限", [["报表", "报送时限"], ["月报", "次月5日前"],
                               ["年报", "次年1月31日前"]]),
        Figure("报表报送流程"),
        Formula("N = n₁ + n₂"),
    ], [Clause("逾期报送", [Paragraph("逾期报送的，应说明原因。")])]))
    document.annexes.append(Annex("报表样式", normative=False,
                                  elements=[Paragraph("月报样式见表A.1。")]))
    return document


def draft_with_a_comment(project, office):
    """The project's text frozen as its 征求意见稿, the period open, a comment on its first
    element; the draft and the key of the element after it."""
    from lifecycle.actions.texts import LinkText, freeze_text
    from lifecycle.models import Comment, Project
    from texts.rules.places import places
    from texts.rules.structure import document_from_dict

    Project.objects.filter(pk=project.pk).update(
        comment_starts_on=timezone.localdate(),
        comment_ends_on=timezone.localdate() + timedelta(days=30))
    project = LinkText(office, project, text_document()).execute()
    draft = freeze_text(office, project, "comment", "征求意见")
    (first, place), (second, _place) = list(
        places(document_from_dict(draft.content)).items())[:2]
    Comment.objects.create(project=project, unit="昌吉州医疗保障局", content="表述不清",
                           suggestion="改为“应当”", draft=draft, part_key=first,
                           clause=place.cited)
    return draft, second


@pytest.fixture
def records(transactional_db, site, browser_users, settings, tmp_path):
    """One record of each kind behind the detail and edit pages, as people would leave them."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.management import call_command
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from openpyxl import Workbook

    from catalog.actions.validity import AddValidityCheck, check_text
    from catalog.models import Amendment, Standard, Term
    from lifecycle.choices import Stage
    from lifecycle.models import (
        Comment,
        Department,
        Evaluation,
        ImplementationCheck,
        InformationItem,
        NonConformity,
        Objection,
        PlanItem,
        Project,
        ReviewAssignment,
        StaffProfile,
        TrainingRecord,
        WorkRule,
        YearPlan,
    )
    from registry.actions import StartExport, StartImportPreview
    from registry.actions.uploads import store_upload
    from registry.models import CompilationNotes, Node, Placement, ReviewFlag
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    users = browser_users
    from lifecycle.actions.texts import LinkText
    UserFactory(username="norole")
    call_command("create_demo_records", stdout=io.StringIO())
    node = Node.objects.get(code="304-09")
    department = Department.objects.get()
    standard = Standard.objects.get(number="GB/T 1.1—2020")
    placement = Placement.objects.filter(standard=standard).select_related("node").first()

    def project(stage, level="organization", title="社会保险报表管理规范"):
        return Project.objects.create(
            title=f"{title}（{Stage(stage).label}）", level=level, node=node,
            department=department, leader=users["office"], stage=stage,
            planned_start=date(2026, 3, 2), planned_end=date(2026, 12, 30),
            created_by=users["office"])

    comment_project = project(Stage.COMMENT)
    Project.objects.filter(pk=comment_project.pk).update(
        comment_starts_on=timezone.localdate(),
        comment_ends_on=timezone.localdate() + timedelta(days=30))
    notice_project = project(Stage.PUBLIC_NOTICE, "local")
    Project.objects.filter(pk=notice_project.pk).update(
        notice_starts_on=timezone.localdate(),
        notice_ends_on=timezone.localdate() + timedelta(days=30))
    review_project = project(Stage.REVIEW)
    ReviewAssignment.objects.create(project=review_project, expert=users["expert"])
    plan = YearPlan.objects.create(year=2026, title="2026年标准化工作计划")
    StaffProfile.objects.create(user=users["expert"], duties="标准审查")
    CompilationNotes.objects.create(root=Node.objects.get_root_nodes().get(),
                                    text="依据GB/T 13016-2018编制。")
    book = Workbook()
    book.active.append(["序号", "体系编号", "标准号", "标准名称", "实施日期"])
    book.active.append([1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01"])
    upload = io.BytesIO()
    book.save(upload)
    admin = users["admin"]
    text_project = project(Stage.DRAFTING, title="社会保险报表报送规范")
    text_project = LinkText(users["office"], text_project, text_document()).execute()
    text = text_project.text
    comment_draft, comment_draft_key = draft_with_a_comment(
        project(Stage.COMMENT, title="社会保险报表报送规范"), users["office"])
    # Someone who does not sign in meanwhile (a sign-in voids the link).
    forgetful = UserFactory(username="forgetful", role="viewer")
    uid = urlsafe_base64_encode(force_bytes(forgetful.pk))
    token = default_token_generator.make_token(forgetful)
    return {
        "node": node,
        "held_node": placement.node,
        "placement": placement,
        "standard": standard,
        "department": department,
        "expert": users["expert"],
        "project": project(Stage.OFFICE_REVIEW),
        "comment_project": comment_project,
        "comment": Comment.objects.create(project=comment_project, unit="昌吉州医疗保障局",
                                          content="第5章流程图不清"),
        "notice_project": notice_project,
        "objection": Objection.objects.create(project=notice_project, raised_by="昌吉市社保中心",
                                              content="办理时限过短"),
        "review_project": review_project,
        "text_project": text_project,
        "text": text,
        "text_clause": text.parts.get(kind="clause", title="报表报送"),
        "comment_draft": comment_draft,
        "comment_draft_key": comment_draft_key,
        "term": Term.objects.create(term="社会保险经办服务标准",
                                    definition="经办机构提供服务所依据的标准。"),
        "amendment": Amendment.objects.create(standard=standard, sequence=1, year=2024),
        "validity": AddValidityCheck(
            users["office"], check_text("GB/T 1.1—2020、GB/T 1.1-2009、DB65/T 3456—2012"),
            source="text").execute(),
        "plan": plan,
        "plan_item": PlanItem.objects.create(plan=plan, title="制定社会保险报表管理规范",
                                             node=node, target_on=date(2026, 12, 31)),
        "training": TrainingRecord.objects.create(
            user=users["expert"], course="GB/T 1.1-2020 标准化工作导则",
            attended_on=date(2026, 5, 8), hours=4, provider="市场监管局",
            created_by=users["office"]),
        "rule": WorkRule.objects.create(title="标准化工作管理办法", effective_on=date(2025, 1, 1),
                                        node=node, created_by=users["office"]),
        "information": InformationItem.objects.create(
            title="国家标准化发展纲要", category="policy", source="中共中央 国务院",
            published_on=date(2021, 10, 10), created_by=users["office"],
            link="https://www.gov.cn/zhengce/2021-10/10/content_5641727.htm"),
        "check": ImplementationCheck.objects.order_by("pk").first(),
        "nonconformity": NonConformity.objects.get(),
        "evaluation": Evaluation.objects.get(),
        "flag": ReviewFlag.objects.create(cause=standard, node=node, event="标准已被代替"),
        "export": StartExport(admin, "csv", "zh-hans").execute(),
        "import_preview": StartImportPreview(admin, store_upload(upload.getvalue()),
                                             "体系表.xlsx", "zh-hans").execute(),
        # Django puts the token in the session and goes on to the form without it.
        "reset": (reverse("password_reset_confirm", args=[uid, token]),
                  reverse("password_reset_confirm", args=[uid, "set-password"])),
        "enrolling": [UserFactory(username=f"enrol-{n}", role="expert").username
                      for n in range(len(LANGUAGES))],
        "locking": [f"locked-{n}" for n in range(len(LANGUAGES))],
    }


# --- axe ----------------------------------------------------------------------------------

class Axe:
    """Runs axe-core on the browser's current page and keeps what fails."""

    def __init__(self, driver):
        self.driver = driver
        self.source = AXE.read_text(encoding="utf-8")
        self.failures = []
        self.checked = 0

    def check(self, what):
        driver = self.driver
        driver.execute_script(self.source)
        driver.set_script_timeout(60)
        result = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
            " resultTypes: ['violations']})"
            ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify("
            "{error: String(e)})));", TAGS)
        violations = json.loads(result)
        assert isinstance(violations, list), f"axe failed on {what}: {violations}"
        self.checked += 1
        for violation in violations:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            self.failures.append(f"{what}: {violation['id']} ({violation['impact']}) "
                                 f"{violation['help']} — {targets}")


def open_page(driver, site, url, landing=None):
    """Load a page; what went wrong, if it did not arrive where it was asked to."""
    driver.get(site + url)
    try:
        css(driver, "main.content")
    except TimeoutException:
        return f"{url} did not load: {driver.title!r} {driver.page_source[:200]!r}"
    expected = landing or url.split("?")[0]
    if path_of(driver) != expected:
        return f"{url} went to {path_of(driver)}"
    if driver.find_elements(By.CSS_SELECTOR, "[data-error-page]"):
        return f"{url} answered {css(driver, 'h1').text}"
    return None


def error_page(code, url):
    def step(driver, site, records):
        driver.get(site + url(records))
        pages = driver.find_elements(By.CSS_SELECTOR, "main.content [data-error-page]")
        if not pages or pages[0].get_attribute("data-error-page") != code:
            return f"expected a {code} page: {driver.title!r} at {path_of(driver)}"
        return None

    return step


def server_error(driver, site, records, check):
    """The page of an unexpected error (Django renders it without a request, so no URL of
    the site shows it): rendered here, in the language of the page the browser is on, and
    written into that page."""
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error as handler

    with translation.override(driver.execute_script("return document.documentElement.lang")):
        page = handler(RequestFactory().get("/")).content.decode()
    driver.execute_script("document.open(); document.write(arguments[0]); document.close();",
                          page)
    css(driver, "main.content [data-error-page='500']")
    check("server error (500)")


def two_factor_enrolment(driver, site, records, check):
    """Set up the second factor (its page), enter the app's first code (the recovery codes
    page), sign in again (the code page)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    username = records["enrolling"].pop()
    login(driver, site, username)
    problem = open_page(driver, site, reverse("accounts:two_factor_setup"))
    if problem:
        return problem
    check("accounts:two_factor_setup")
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    css(driver, "#id_token").send_keys(f"{totp.token():06d}")
    click_to_new_page(driver, css(driver, "#two-factor-confirm"))
    if not driver.find_elements(By.ID, "recovery-codes"):
        return f"the code was refused: {css(driver, 'main.content').text[:300]}"
    check("recovery codes")
    logout(driver)
    login(driver, site, username)
    if path_of(driver) != reverse("accounts:two_factor_verify"):
        return f"signing in again went to {path_of(driver)}"
    check("accounts:two_factor_verify")
    return None


def refused_form(driver, site, records, check):
    """A form sent empty: its errors, each tied to its field."""
    problem = open_page(driver, site, reverse("lifecycle:project_add"))
    if problem:
        return problem
    click_to_new_page(driver, css(driver, "#project-submit"))
    invalid = driver.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]")
    if not invalid:
        return "the empty project form was not refused"
    unexplained = [field.get_attribute("name") for field in invalid if not all(
        driver.find_elements(By.ID, ref)
        for ref in (field.get_attribute("aria-describedby") or "-").split())]
    check("refused form")
    return f"errors not tied to their fields: {unexplained}" if unexplained else None


def locked_out(driver, site, records, check):
    """Sign-in refused after too many wrong passwords."""
    from axes.utils import reset
    from django.conf import settings

    username = records["locking"].pop()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        driver.get(site + reverse("login"))
        css(driver, "#id_username").send_keys(username)
        css(driver, "#id_password").send_keys("wrong")
        click_to_new_page(driver, css(driver, "#login-submit"))
    locked = driver.find_elements(By.ID, "locked-out")
    if locked:
        check("locked out")
    reset()  # as an administrator unlocks: the address is locked too, for the next sign-ins
    return None if locked else "no lock-out page after too many wrong passwords"


def single(name, step):
    """A step that checks one page, once it is there."""
    def run(driver, site, records, check):
        problem = step(driver, site, records)
        if not problem:
            check(name)
        return problem

    return run


# Pages a request reaches only by a step: name → (role, step). A step loads its pages and
# calls ``check`` on each; it returns what went wrong, if anything. The URL names it covers
# count as checked.
STEPS = {
    "not found (404)": ("admin", single("not found (404)", error_page(
        "404", lambda rec: "/standards/999999/"))),
    "permission denied (403)": ("viewer", single("permission denied (403)", error_page(
        "403", lambda rec: reverse("registry:standard_add")))),
    "server error (500)": ("admin", server_error),
    "refused form": ("admin", refused_form),
    "two-factor enrolment": ("", two_factor_enrolment),
    "locked out": (None, locked_out),
}
STEP_PAGES = {"accounts:two_factor_setup", "accounts:two_factor_verify"}


def page_step(name):
    role, url = PAGES[name]

    def run(driver, site, records, check):
        target = url(records)
        target, landing = target if isinstance(target, tuple) else (target, None)
        problem = open_page(driver, site, target, landing)
        if not problem:
            check(name)
        return problem

    return role, run


def sign_in_as(driver, site, role, current):
    """Sign out ``current`` and in as ``role`` (None: nobody), unless they are the same."""
    if role != current:
        if current is not None:
            driver.get(site + reverse("accounts:account"))
            logout(driver)
        if role:
            login(driver, site, role)


@pytest.mark.browser
def test_every_page_type_passes_axe_in_both_languages(driver, site, records):
    axe = Axe(driver)
    started = time.monotonic()
    # AXE_PAGES="texts:,lifecycle:text_import" walks only the pages whose names begin so
    # (no steps): a quick run while fixing a page. Unset, everything is walked.
    only = tuple(p for p in os.environ.get("AXE_PAGES", "").split(",") if p)
    names = [name for name in PAGES if not only or name.startswith(only)]
    walk = [(name, *page_step(name)) for name in names]
    walk += [(name, *step) for name, step in STEPS.items() if not only]
    # Each role's pages together; the steps that sign in by themselves ("") last.
    walk.sort(key=lambda entry: (entry[1] == "", entry[1] or "", entry[0]))
    driver.get(site + reverse("login"))
    for language in LANGUAGES:
        driver.add_cookie({"name": "django_language", "value": language})

        def check(name, language=language):
            lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
            if lang != language:
                axe.failures.append(f"{name} [{language}]: lang={lang!r}")
            headings = len(driver.find_elements(By.CSS_SELECTOR, "main h1"))
            if headings != 1:
                axe.failures.append(f"{name} [{language}]: {headings} <h1> in <main>")
            axe.check(f"{name} [{language}]")

        current = None
        for name, role, step in walk:
            if role == "":  # signs in by itself, from nobody
                sign_in_as(driver, site, None, current)
                problem = step(driver, site, records, check)
                if driver.find_elements(By.ID, "logout"):
                    logout(driver)
                current = None
            else:
                sign_in_as(driver, site, role, current)
                current = role
                problem = step(driver, site, records, check)
            if problem:
                axe.failures.append(f"{name} [{language}]: {problem}")
        sign_in_as(driver, site, None, current)
    elapsed = time.monotonic() - started
    assert not axe.failures, f"{len(axe.failures)} problems:\n" + "\n".join(axe.failures)
    assert axe.checked >= 2 * len(names)
    print(f"axe: {axe.checked} pages in {elapsed:.0f} s")


# --- the keyboard alone --------------------------------------------------------------------

def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def press_for_new_page(driver, key):
    """Press a key that loads a new page, and wait until the old page is gone."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    press(driver, key)
    wait_for(driver, _replaced(old_page))
    css(driver, "main.content")


def focused(driver):
    return driver.switch_to.active_element


def focus_shows(driver, element):
    """Whether the focused element is drawn with a visible outline (WCAG 2.4.7)."""
    return driver.execute_script(
        "const s = getComputedStyle(arguments[0]);"
        "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;", element)


def tab_to(driver, wanted, most=150):
    """Press Tab until ``wanted(element)`` holds for the focused element; every element
    reached on the way shows where the focus is."""
    for _press in range(most):
        press(driver, Keys.TAB)
        element = focused(driver)
        assert focus_shows(driver, element), \
            f"no visible focus on {element.tag_name} {element.get_attribute('outerHTML')[:120]}"
        if wanted(element):
            return element
    raise AssertionError(f"not reached with {most} presses of Tab")


def node_code(element):
    return element.find_element(By.XPATH, "ancestor::li[@data-node][1]").get_attribute(
        "data-code")


def visible_codes(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('#tree a.nodename')]"
        ".filter(a => !a.closest('details:not([open])')).map(a => a.closest('li').dataset.code)")


@pytest.mark.browser
def test_the_tree_works_with_the_keyboard_alone(driver, site):
    login(driver, site, "viewer")
    css(driver, "#tree", visible=True)
    codes = visible_codes(driver)
    link = tab_to(driver, lambda e: "nodename" in (e.get_attribute("class") or ""))
    assert node_code(link) == codes[0]  # the root: the first node Tab reaches

    # Down moves through the visible nodes in order, to the data centre category (303).
    for expected in codes[1:codes.index("303") + 1]:
        press(driver, Keys.ARROW_DOWN)
        assert node_code(focused(driver)) == expected
    data_centre = css(driver, 'li[data-code="303"] > details')
    aspect = css(driver, 'li[data-code="303"] li a.nodename')
    assert data_centre.get_attribute("open") is None and not aspect.is_displayed()

    press(driver, Keys.ARROW_RIGHT)  # opens the branch, stays on it
    wait_for(driver, lambda d: aspect.is_displayed())
    assert node_code(focused(driver)) == "303"
    press(driver, Keys.ARROW_RIGHT)  # to its first node
    assert focused(driver) == aspect
    press(driver, Keys.ARROW_LEFT)  # from a leaf: up to its branch
    assert node_code(focused(driver)) == "303"
    press(driver, Keys.ARROW_LEFT)  # closes the branch
    wait_for(driver, lambda d: not aspect.is_displayed())
    assert data_centre.get_attribute("open") is None

    # Tab reaches the branch's own control, which Space and Enter open and close.
    toggle = tab_to(driver, lambda e: e.tag_name == "summary", most=1)
    assert toggle == css(driver, 'li[data-code="303"] > details > summary')
    assert "303" in toggle.get_attribute("textContent")  # its name says whose nodes
    press(driver, Keys.SPACE)
    wait_for(driver, lambda d: aspect.is_displayed())
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: not aspect.is_displayed())

    # Back to the node's link, and Enter opens its page.
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert node_code(focused(driver)) == "303"
    press_for_new_page(driver, Keys.ENTER)
    assert css(driver, "h1 .code").text.strip() == "303"


@pytest.fixture
def proposal_under_review(transactional_db, site, browser_users):
    """An organization-level proposal the office is reviewing."""
    from lifecycle.choices import Stage
    from lifecycle.models import Department, Project
    from registry.models import Node

    department = Department.objects.create(name="社会保险经办科", lead=browser_users["lead"])
    return Project.objects.create(
        title="社会保险报表管理规范", level="organization", node=Node.objects.get(code="304-09"),
        department=department, leader=browser_users["office"], stage=Stage.OFFICE_REVIEW,
        planned_start=date(2026, 3, 2), planned_end=date(2026, 12, 30),
        created_by=browser_users["office"])


@pytest.mark.browser
def test_the_project_page_works_with_the_keyboard_alone(driver, site, proposal_under_review):
    project = proposal_under_review
    login(driver, site, "office")
    driver.get(site + project.get_absolute_url())
    stage = css(driver, "#project-stage-code").text
    form = css(driver, "#transition-return_proposal")
    tab_to(driver, lambda e: e.get_attribute("name") == "return_proposal-reason")
    reason = "立项建议书缺少经费测算，请补充后重新提交。"
    press(driver, reason)
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    tab_to(driver, lambda e: e == button, most=5)
    press_for_new_page(driver, Keys.ENTER)
    assert css(driver, "#project-stage-code").text != stage
    assert reason in css(driver, "#timeline").text
    project.refresh_from_db()
    assert project.stage == "proposal"
