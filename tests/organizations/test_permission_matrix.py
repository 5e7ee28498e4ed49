"""The permission matrix of the pages and the API across organizations (clause 6.2.4): every
URL that takes a record's number is tried on a record of 昌吉市 (652301) by its sibling
阜康市 (652302, office and administrator) and by the prefecture's administrator and lead
acting in the prefecture — reads, forged posts and API writes: none answers with the record
or writes anything. After switching into 昌吉市 the prefecture reads its pages and still
writes nothing there. A new URL must be classified below (``TABLE`` or ``NOT_SCOPED``)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from audit.log import _declared
from audit.models import ApiToken, LogEntry
from audit.tokens import AddApiToken
from catalog.models import Amendment, Standard, ValidityCheck
from lifecycle.choices import DocumentKind, PeriodicConclusion, Stage
from lifecycle.models import (
    Comment,
    Document,
    NonConformity,
    Objection,
    PeriodicReview,
    PlanItem,
    StaffProfile,
    TrainingRecord,
    WorkRule,
    YearPlan,
)
from organizations.rules import acting_in
from registry.models import (
    EditionProposal,
    ExportJob,
    ImportJob,
    Job,
    Node,
    Placement,
    ReviewFlag,
    Tailoring,
    Template,
    TemplateNode,
)
from tests.factories import UserFactory, give_role
from tests.organizations.test_lifecycle_scope import bearer, login, records_of

pytestmark = [pytest.mark.django_db, pytest.mark.strict_organization]

Q_NUMBER = "Q/CJSB 001—2026"
PLAN_YEAR = 2031  # only 昌吉市 has a plan for it
# Text only 昌吉市's records carry: no outsider's page or answer may contain any of it.
MARKERS = ("项目652301", "经办科652301", "信息652301", "检查652301", "结论652301", Q_NUMBER,
           "规则652301", "培训652301", "计划652301", "意见652301", "异议652301",
           "不符合652301", "删减652301", "提醒652301")
FORGED = {"reason": "伪造", "name": "篡改", "title": "篡改", "content": "篡改",
          "findings": "篡改", "status": "archived", "why": "not_applicable",
          "accept": "1", "position": "last-child", "role": "admin", "code": "652399"}


def build(counties, people, prefecture):
    """One record of every kind 昌吉市 keeps, each carrying one of ``MARKERS``."""
    county, office = counties["652301"], people["office-652301"]
    admin = give_role(UserFactory(username="cjadmin"), "admin", county).user
    today = timezone.localdate()
    with acting_in(county):
        own = Standard.unscoped.create(number=Q_NUMBER, title="昌吉市窗口服务规范",
                                       owner=county)
        r = records_of(county, office, own)
        node = Node.objects.get(owner=county, code="304-09")
        project = r["project"]
        template_node = TemplateNode.objects.filter(depth__gt=1).first()
        r.update(
            admin=admin, office=office, standard=own, node=node,
            placement=Placement.objects.create(node=node, standard=own),
            amendment=Amendment.objects.create(standard=own, sequence=1),
            validity=ValidityCheck.objects.create(
                organization=county, created_by=admin, checked_on=today, source="file",
                file_name="检查652301.docx", lines=[], counts={"total": 0}),
            export=ExportJob.objects.create(fmt="csv", state="done", progress=100,
                                            created_by=admin, organization=county),
            preview=ImportJob.objects.create(
                kind=Job.Kind.IMPORT_PREVIEW, fmt="xlsx", state="done", progress=100,
                result={"name": "t.xlsx", "ok": True, "empty": True, "problems": [],
                        "rows": []}, created_by=admin, organization=county),
            flag=ReviewFlag.objects.create(cause=own, node=node, event="提醒652301"),
            tailoring=Tailoring.objects.create(
                organization=county, kind="removed", template_node=template_node,
                code=template_node.code, name="删减652301", why="not_applicable",
                reason="不适用", created_by=admin),
            proposal=EditionProposal.objects.create(
                organization=county, template=Template.objects.get(organization=None),
                kind="added", new_node=template_node),
            document=Document.objects.create(
                project=project, kind=DocumentKind.PROPOSAL, stage=Stage.PROPOSAL, version=1,
                file=ContentFile(b"%PDF-1.4 652301", name="p.pdf"), original_name="p.pdf",
                file_format="pdf", size=16, uploaded_by=office),
            comment=Comment.objects.create(project=project, unit="意见652301",
                                           content="意见652301"),
            objection=Objection.objects.create(project=project, raised_by="异议652301",
                                               content="异议652301"),
            profile=StaffProfile.objects.create(user=office, organization=county,
                                                duties="职责"),
            training=TrainingRecord.objects.create(
                user=office, course="培训652301", attended_on=today, hours=Decimal("8"),
                provider="州局", created_by=office, organization=county),
            rule=WorkRule.objects.create(
                title="规则652301", node=node, effective_on=today, created_by=office,
                organization=county, file=ContentFile(b"%PDF-1.4 rule", name="r.pdf"),
                original_name="r.pdf", file_format="pdf"),
            plan=YearPlan.objects.create(year=PLAN_YEAR, title="计划652301",
                                         organization=county),
            review=PeriodicReview.objects.create(
                standard=own, conclusion=PeriodicConclusion.CONFIRM, reason="结论652301",
                reviewed_on=today, reviewed_by=office, organization=county),
            nonconformity=NonConformity.objects.create(
                check_record=r["check"], description="不符合652301", action="整改",
                owner=office, due_on=today + timedelta(days=30)),
        )
        r["item_of_plan"] = PlanItem.objects.create(plan=r["plan"], title="计划652301条目",
                                                    target_on=today)
    r["export"].file.save("t.csv", ContentFile(b"652301"))
    r["token"] = AddApiToken(office, "昌吉同步").execute()[0]
    r["county"] = county
    return r


def pk(key):
    return lambda r: {"pk": r[key].pk}


def county_text(r):
    """昌吉市's draft text, its clause with a term entry, and a figure, made on first use."""
    if "text" not in r:
        text = apps.get_model("texts", "Text").objects.create(
            organization=r["county"], created_by=r["office"], number=Q_NUMBER,
            title="项目652301的标准文本")
        part = apps.get_model("texts", "Part")
        clause = part.objects.create(text=text, kind="clause", title="术语和定义")
        r["text_part"] = part.objects.create(text=text, parent=clause, kind="term",
                                             title="窗口服务652301", body="项目652301")
        r["text_figure"] = part.objects.create(text=text, parent=clause, kind="figure",
                                               position=1, title="流程652301")
        r["text_figure"].image.save("f", ContentFile(b"\x89PNG\r\n\x1a\n652301"))
        r["text"] = text
    return r["text"]


def county_draft(r):
    """昌吉市's project with its text (``county_text``) frozen as the 征求意见稿, made on
    first use."""
    if "draft" not in r:
        from texts.rules.proof import content_digest
        from texts.rules.structure import Document

        text = county_text(r)
        type(r["project"])._base_manager.filter(pk=r["project"].pk).update(text=text)
        content = Document(number=Q_NUMBER, title=text.title, stage="征求意见稿").as_dict()
        r["draft"] = apps.get_model("texts", "Draft").objects.create(
            text=text, stage="comment", content=content, sha256=content_digest(content),
            frozen_by=r["office"])
    return r["draft"]


# URL name → the kwargs that point at 昌吉市's record.
TABLE = {
    "audit:record_history": lambda r: {"model": "lifecycle.project", "pk": r["project"].pk},
    "audit:record_compare": lambda r: {"model": "registry.node", "pk": r["node"].pk},
    **{f"registry:{name}": pk("node") for name in (
        "node_detail", "node_add", "node_edit", "node_move", "node_reorder", "node_delete",
        "node_place", "node_order", "node_changelog")},
    "registry:placement_delete": pk("placement"),
    "registry:edition_decide": pk("proposal"),
    "registry:standard_detail": pk("standard"),
    "registry:standard_edit": pk("standard"),
    "registry:exportjob_detail": pk("export"),
    "registry:exportjob_download": pk("export"),
    "registry:import_preview": pk("preview"),
    "registry:reviewflag_decide": pk("flag"),
    "catalog:amendment_add": lambda r: {"standard": r["standard"].pk},
    "catalog:amendment_edit": pk("amendment"),
    "catalog:validity_detail": pk("validity"),
    "catalog:validity_xlsx": pk("validity"),
    **{f"lifecycle:{name}": pk("project") for name in (
        "project_detail", "project_edit", "document_add", "comment_add", "objection_add",
        "reviewassignment_edit")},
    "lifecycle:project_transition": lambda r: {"pk": r["project"].pk, "name": "terminate"},
    "lifecycle:comment_table": lambda r: {"pk": r["project"].pk, "fmt": "xlsx"},
    "lifecycle:comment_edit": lambda r: {"pk": r["project"].pk, "comment": r["comment"].pk},
    "lifecycle:objection_edit": lambda r: {"pk": r["project"].pk,
                                           "objection": r["objection"].pk},
    "lifecycle:document_download": pk("document"),
    "lifecycle:periodicreview_add": pk("standard"),
    "lifecycle:implementationplan_add": pk("standard"),
    "lifecycle:evaluation_add": lambda r: {"standard_pk": r["standard"].pk},
    "lifecycle:department_detail": pk("department"),
    "lifecycle:department_edit": pk("department"),
    **{f"lifecycle:{name}": (lambda r: {"user_pk": r["office"].pk}) for name in (
        "staffprofile_detail", "staffprofile_edit", "trainingrecord_add")},
    "lifecycle:trainingrecord_edit": pk("training"),
    "lifecycle:trainingrecord_delete": pk("training"),
    "lifecycle:workrule_detail": pk("rule"),
    "lifecycle:workrule_edit": pk("rule"),
    **{f"lifecycle:{name}": (lambda r: {"year": PLAN_YEAR}) for name in (
        "yearplan_detail", "yearplan_edit", "planitem_add")},
    "lifecycle:planitem_edit": pk("item_of_plan"),
    **{f"lifecycle:informationitem_{name}": pk("item") for name in (
        "detail", "edit", "status", "revision")},
    "lifecycle:implementationcheck_detail": pk("check"),
    "lifecycle:implementationcheck_edit": pk("check"),
    "lifecycle:nonconformity_add": lambda r: {"check_pk": r["check"].pk},
    **{f"lifecycle:nonconformity_{name}": pk("nonconformity") for name in (
        "detail", "edit", "close")},
    "lifecycle:evaluation_detail": pk("evaluation"),
    "lifecycle:evaluation_delete": pk("evaluation"),
    "lifecycle:attachment_download": lambda r: {"kind": "rule", "pk": r["rule"].pk},
    "organizations:edit": pk("county"),
    "organizations:members": pk("county"),
    **{f"api:node-{name}": pk("node") for name in ("detail", "children", "move", "reorder")},
    "api:placement-detail": pk("placement"),
    "api:standard-detail": pk("standard"),
    "api:validitycheck-detail": pk("validity"),
    "api:exportjob-detail": pk("export"),
    "api:exportjob-download": pk("export"),
    "api:token_revoke": pk("token"),
    "api:record_history": lambda r: {"model": "lifecycle.project", "pk": r["project"].pk},
    "api:record_compare": lambda r: {"model": "registry.node", "pk": r["node"].pk},
    **{f"api:project-{name}": pk("project") for name in (
        "detail", "comments", "documents", "transition")},
    "api:project-comment": lambda r: {"pk": r["project"].pk, "comment_id": r["comment"].pk},
    "api:project-drafts": pk("project"),
    "api:project-compare-drafts": pk("project"),
    "api:project-draft": lambda r: {"pk": r["project"].pk, "draft_id": county_draft(r).pk},
    "api:periodicreview-detail": pk("review"),
    "api:implementationcheck-detail": pk("check"),
    "api:nonconformity-detail": pk("nonconformity"),
    "api:evaluation-detail": pk("evaluation"),
    # A draft text of 昌吉市 with one clause, a term entry and a figure (made on first use).
    **{f"api:text-{name}": lambda r: {"pk": county_text(r).pk}
       for name in ("detail", "checks", "exports")},
    **{f"texts:{name}": lambda r: {"pk": county_text(r).pk}
       for name in ("text", "edit", "cover", "import", "part_add", "checks")},
    "texts:export": lambda r: {"pk": county_text(r).pk, "fmt": "pdf"},
    **{f"texts:{name}": lambda r: {"pk": county_text(r).pk, "part_pk": r["text_part"].pk}
       for name in ("part_save", "part_delete", "offer_term")},
    "texts:figure_image": lambda r: {"pk": county_text(r).pk, "part_pk": r["text_figure"].pk},
    "texts:part_move": lambda r: {"pk": county_text(r).pk, "part_pk": r["text_part"].pk,
                                  "direction": "down"},
    "texts:standard_text": pk("standard"),
    "lifecycle:text_start": pk("project"),
    "lifecycle:project_draft": lambda r: {"pk": r["project"].pk, "draft": county_draft(r).pk},
    "lifecycle:draft_download": lambda r: {"pk": r["project"].pk, "draft": county_draft(r).pk,
                                           "fmt": "pdf"},
    "lifecycle:draft_compare": lambda r: {"pk": (county_draft(r), r["project"])[1].pk},
    "lifecycle:draft_compare_download": lambda r: {"pk": (county_draft(r), r["project"])[1].pk,
                                                   "fmt": "pdf"},
    "lifecycle:text_import": pk("project"),
}

# URL name → why its number points at nothing an organization owns.
NOT_SCOPED = {
    "registry:tailoring_restore": "the number is a template aspect (a shared template's "
                                  "node), restored into the organization acted in",
    "catalog:term_detail": "terms (GB/T 20000.1 definitions) are one shared glossary",
    "catalog:term_edit": "terms are one shared glossary",
    "api:term-detail": "terms are one shared glossary",
}

# Allowed by design, (URL name, who) → methods: the administrators of an organization
# administer those beneath it (can_administer), and whoever may act in an organization —
# the prefecture's lead in its counties — reads who holds which role there.
BY_DESIGN = {("organizations:edit", "prefecture-admin"): {"get", "post"},
             ("organizations:members", "prefecture-admin"): {"get", "post"},
             ("organizations:members", "prefecture-lead"): {"get"}}
# Downloads asked for by a POST (a job lays the file out): after switching, the prefecture
# reads the county's text, and reading it as Word or PDF queues a job, not a change.
DOWNLOADS_BY_POST = {"texts:export", "lifecycle:draft_download",
                     "lifecycle:draft_compare_download"}
# A page, not an endpoint, though under /api/: revoking one's own token.
API_PAGES = {"api:token_revoke"}

# GET pages the prefecture reads in 昌吉市 after switching (a viewer's permissions there).
PARENT_READS = (
    "registry:node_detail", "registry:node_changelog", "registry:standard_detail",
    "audit:record_history", "audit:record_compare", "lifecycle:project_detail",
    "lifecycle:department_detail", "lifecycle:staffprofile_detail",
    "lifecycle:workrule_detail", "lifecycle:yearplan_detail",
    "lifecycle:informationitem_detail", "lifecycle:implementationcheck_detail",
    "lifecycle:nonconformity_detail", "lifecycle:evaluation_detail",
)

REFUSED = {403, 404, 405}
INTEGER = re.compile(r"\(\?P<\w+>(\[0-9\]|\\d)")


def integer_urls():
    """Every URL name whose pattern takes an integer, namespaces included, admin left out."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = namespace + [pattern.namespace] if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                converters = getattr(pattern.pattern, "converters", {})
                takes_int = any(type(c).__name__ == "IntConverter"
                                for c in converters.values())
                if takes_int or INTEGER.search(str(pattern.pattern)):
                    found.add(":".join([*namespace, pattern.name]))

    walk(get_resolver().url_patterns, [])
    return found


def test_every_url_taking_a_number_is_classified():
    collected = integer_urls()
    assert not set(TABLE) & set(NOT_SCOPED)
    assert collected == set(TABLE) | set(NOT_SCOPED), (
        f"unclassified: {sorted(collected - set(TABLE) - set(NOT_SCOPED))}; "
        f"gone: {sorted(set(TABLE) | set(NOT_SCOPED) - collected)}")


def _counted_models():
    declared = [apps.get_model(label) for label in _declared()]
    return [*declared, LogEntry, Job, ApiToken, Standard, Tailoring, EditionProposal]


def footprint():
    """How many rows each scoped table holds, the audit log's included: every tracked write
    adds a log line, every insert or delete changes a count."""
    return {model._meta.label: model._base_manager.count() for model in _counted_models()}


@pytest.fixture
def matrix(counties, people, prefecture, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    records = build(counties, people, prefecture)
    people = dict(people)
    people["admin-652302"] = give_role(UserFactory(username="fkadmin"), "admin",
                                       counties["652302"]).user
    return records, people


OUTSIDERS = ("office-652302", "admin-652302", "prefecture-admin", "prefecture-lead")
GROUPS = ("audit", "registry", "catalog", "texts", "lifecycle", "organizations", "api")


def _leaks(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    return [marker for marker in MARKERS if marker in text]


@pytest.mark.parametrize("group", GROUPS)
def test_outsiders_neither_read_nor_write_another_organization_s_records(matrix, group):
    records, people = matrix
    names = sorted(name for name in TABLE if name.split(":")[0] == group)
    assert names
    pages = {who: login(Client(), people[who]) for who in OUTSIDERS}
    endpoints = {who: bearer(people[who]) for who in OUTSIDERS} if group == "api" else {}
    problems = []
    for name in names:
        url = reverse(name, kwargs=TABLE[name](records))
        api = group == "api" and name not in API_PAGES
        before = footprint()
        for who in OUTSIDERS:
            client = endpoints[who] if api else pages[who]
            tries = [("get", {}), ("post", FORGED)]
            if api:
                tries += [("patch", FORGED), ("delete", {})]
            for method, data in tries:
                if method in BY_DESIGN.get((name, who), ()):
                    continue
                kwargs = {"format": "json"} if api and method != "get" else {}
                response = getattr(client, method)(url, data, **kwargs)
                if response.status_code not in REFUSED:
                    problems.append((name, who, method, response.status_code))
                elif leaked := _leaks(response):
                    problems.append((name, who, method, leaked))
        if footprint() != before:
            after = footprint()
            problems.append((name, "wrote", {k: (before[k], after[k]) for k in after
                                             if before[k] != after[k]}))
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("group", GROUPS)
def test_the_organization_s_own_administrator_reaches_every_record(matrix, group):
    """The matrix's numbers point at real records: acted in 昌吉市, its administrator is not
    answered 404 (else the outsiders' 404s above would prove nothing)."""
    records, people = matrix
    admin, county = records["admin"], records["county"]
    pages, api = login(Client(), admin, county), bearer(admin)
    missing = []
    for name in sorted(n for n in TABLE if n.split(":")[0] == group):
        client = api if group == "api" and name not in API_PAGES else pages
        response = client.get(reverse(name, kwargs=TABLE[name](records)))
        if response.status_code == 404:
            missing.append(name)
    assert missing == []


def test_the_prefecture_reads_a_county_after_switching_and_writes_nothing(matrix, counties):
    records, people = matrix
    county = counties["652301"]
    problems = []
    for who in ("prefecture-admin", "prefecture-lead"):
        client, api = login(Client(), people[who], county), bearer(people[who])
        for name in PARENT_READS:
            response = client.get(reverse(name, kwargs=TABLE[name](records)))
            if response.status_code != 200:
                problems.append((who, name, "GET", response.status_code))
        for name in sorted(TABLE):
            if "post" in BY_DESIGN.get((name, who), ()) or name in DOWNLOADS_BY_POST:
                continue
            url = reverse(name, kwargs=TABLE[name](records))
            before = footprint()
            if name.startswith("api:") and name not in API_PAGES:
                url += "?organization=652301"
                for method in ("post", "patch", "delete"):
                    getattr(api, method)(url, FORGED, format="json")
            else:
                client.post(url, FORGED)
            if footprint() != before:
                problems.append((who, name, "wrote"))
    assert problems == []


def test_forged_valid_posts_on_the_sibling_s_flag_and_people_write_nothing(matrix):
    """Found by the matrix: a flag of the reference watch and a person were looked up in
    every organization, so the sibling decided 昌吉市's flag, and gave 昌吉市's people a
    profile and training records in its own organization."""
    records, people = matrix
    office = records["office"]
    client = login(Client(), people["office-652302"])
    today = timezone.localdate().isoformat()
    before = footprint()
    for name, kwargs, data in (
            ("registry:reviewflag_decide", {"pk": records["flag"].pk},
             {"decision": "confirm", "note": "伪造"}),
            ("lifecycle:staffprofile_edit", {"user_pk": office.pk},
             {"role": "full_time", "duties": "篡改", "reason": "伪造"}),
            ("lifecycle:trainingrecord_add", {"user_pk": office.pk},
             {"course": "伪造培训", "attended_on": today, "hours": "2", "provider": "伪造"})):
        assert client.post(reverse(name, kwargs=kwargs), data).status_code == 404, name
    assert footprint() == before
    assert ReviewFlag.objects.get(pk=records["flag"].pk).decision == ""
    assert list(StaffProfile._base_manager.filter(user=office).values_list(
        "organization__code", flat=True)) == ["652301"]
    # The person is not listed there either; in 昌吉市 the flag is still to be decided.
    assert "office652301" not in client.get(reverse("lifecycle:staffprofile_list")).content.decode()
    own = login(Client(), records["admin"], records["county"])
    assert "提醒652301" in own.get(reverse("registry:reviewflag_list")).content.decode()


def test_another_organization_s_history_is_not_readable(matrix):
    records, people = matrix
    client = login(Client(), people["office-652302"])
    for model, key in (("registry.node", "node"), ("registry.placement", "placement"),
                       ("catalog.standard", "standard"), ("lifecycle.comment", "comment"),
                       ("lifecycle.nonconformity", "nonconformity"),
                       ("registry.tailoring", "tailoring"),
                       ("registry.editionproposal", "proposal")):
        for name in ("audit:record_history", "audit:record_compare"):
            url = reverse(name, kwargs={"model": model, "pk": records[key].pk})
            assert client.get(url).status_code == 404, (name, model)


# The lists and reports of the kinds scoped by organization (the lifecycle's main lists,
# the tree and the standards list are checked in the neighbouring files).
LISTS = ("registry:tailoring", "registry:templates", "registry:editions",
         "registry:reviewflag_list", "registry:standard_list", "registry:exportjob_add",
         "audit:logentry_list", "lifecycle:workrule_list", "lifecycle:yearplan_list",
         "lifecycle:staffprofile_list", "lifecycle:trainingrecord_due",
         "lifecycle:nonconformity_list", "lifecycle:periodicreview_list",
         "lifecycle:task_list", "lifecycle:dashboard", "lifecycle:evaluation_improvement",
         "catalog:validity_list")
API_LISTS = ("/api/projects/", "/api/checks/", "/api/non-conformities/",
             "/api/evaluations/", "/api/periodic-reviews/", "/api/log/",
             "/api/standards/?q=Q/", "/api/exports/", "/api/tailoring/")


def test_the_sibling_s_records_are_listed_nowhere(matrix):
    # Refused (403) is fine: some lists are the administrators' only.
    records, people = matrix
    problems = []
    for who in ("office-652302", "prefecture-lead"):
        client, api = login(Client(), people[who]), bearer(people[who])
        for name in LISTS:
            response = client.get(reverse(name))
            if response.status_code not in (200, 403) or _leaks(response):
                problems.append((who, name, response.status_code, _leaks(response)))
        for url in API_LISTS:
            response = api.get(url)
            if response.status_code not in (200, 403) or _leaks(response):
                problems.append((who, url, response.status_code, _leaks(response)))
    # The control: in 昌吉市 its own records are listed.
    own = login(Client(), records["admin"], records["county"])
    assert "规则652301" in own.get(reverse("lifecycle:workrule_list")).content.decode()
    assert problems == []
