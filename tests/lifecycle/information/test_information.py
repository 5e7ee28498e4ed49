"""Clause 5.4, the information library: collecting items with their tags, nodes and
standards, filtering the list on the server, the status, and opening a revision project."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalog.models import Standard
from lifecycle.choices import InformationStatus, ProjectKind, Stage
from lifecycle.models import InformationItem, InformationNode, InformationStandard, Project
from lifecycle.rules.information import normalize_tags, split_tags
from registry.models import Node, Placement
from tests.lifecycle.conftest import pdf_upload

WRITE_ROLES = ("viewer", "expert", "lead")


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, so the assertions can match the English messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def standard(number="Q/CJSB 901-2021", title="社会保险经办服务规范", *, place="304-09",
             **fields):
    made = Standard.objects.create(number=number, title=title, issued_on=date(2021, 1, 1),
                                   implemented_on=date(2021, 3, 1), **fields)
    if place:
        Placement.objects.create(node=Node.objects.get(code=place), standard=made)
    return made


def item(title="人社部关于社保卡的通知", *, nodes=(), standards=(), **fields):
    """An item as test data (the service is exercised through the pages below)."""
    values = {"category": "policy", "source": "人社部", "published_on": date(2025, 5, 1),
              "created_by": get_user_model().objects.get(username="office"), **fields}
    made = InformationItem.objects.create(title=title, **values)
    for node in nodes:
        InformationNode.objects.create(item=made, node=Node.objects.get(code=node))
    for concerned in standards:
        InformationStandard.objects.create(item=made, standard=concerned)
    return made


def form_data(**overrides):
    data = {"title": "GB/T 31597 修订发布", "category": "national", "source": "国家市场监管总局",
            "published_on": "2025-06-01", "summary": "社会保险服务总则修订。",
            "link": "https://std.samr.gov.cn/gb/", "tags": "", "node_codes": "",
            "standard_numbers": "", "reason": ""}
    data.update(overrides)
    return data


# --- tags ---------------------------------------------------------------------------------


def test_tags_are_split_on_all_commas_stripped_and_deduplicated():
    assert split_tags(" 社保卡 , 待遇核定；社保卡，养老、 ,, Pension;pension ") == [
        "社保卡", "待遇核定", "养老", "Pension"]
    assert normalize_tags("a ,  b c ；a") == "a,b c"
    assert normalize_tags("  ") == ""


# --- adding and editing -------------------------------------------------------------------


def test_office_adds_an_item_with_file_tags_nodes_and_standards(seeded, users, client_for):
    concerned = standard()
    response = client_for("office").post(reverse("lifecycle:informationitem_add"), form_data(
        tags="社保卡, 待遇核定；社保卡，养老、", node_codes="304-09, 201-01\n304-09",
        standard_numbers="q/cjsb 901－2021", file=pdf_upload("通知.pdf"),
    ))
    saved = InformationItem.objects.get()
    assert response.status_code == 302 and response.url == saved.get_absolute_url()
    assert saved.tags == "社保卡,待遇核定,养老"
    assert saved.status == InformationStatus.NEW and saved.created_by == users["office"]
    assert sorted(n.code for n in saved.nodes.all()) == ["201-01", "304-09"]
    assert list(saved.standards.all()) == [concerned]
    assert (saved.file_format, saved.original_name) == ("pdf", "通知.pdf")
    # One history row per written row, each with the user and the reason.
    rows = [*saved.history.all(), *InformationNode.history.all(),
            *InformationStandard.history.all()]
    assert len(rows) == 4
    assert {(r.history_type, r.history_user, r.history_change_reason) for r in rows} == {
        ("+", users["office"], "Information collected")}
    # The file is served to any reader, as a download.
    download = client_for("viewer").get(reverse("lifecycle:attachment_download",
                                                args=["information", saved.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_undated_number_means_the_latest_edition(seeded, client_for):
    standard("Q/CJSB 902-2015", place=None)
    latest = standard("Q/CJSB 902-2022", place=None)
    client_for("office").post(reverse("lifecycle:informationitem_add"),
                              form_data(standard_numbers="Q/CJSB 902"))
    assert list(InformationItem.objects.get().standards.all()) == [latest]


def test_unknown_or_malformed_number_is_named_and_nothing_is_written(seeded, client_for):
    standard()
    response = client_for("office").post(reverse("lifecycle:informationitem_add"), form_data(
        standard_numbers="Q/CJSB 901-2021\nGB/T 99999—2020，XYZ 12", node_codes="304-09",
        file=pdf_upload()))
    assert response.status_code == 200
    errors = response.context["form"].errors["standard_numbers"]
    assert "GB/T 99999—2020 is not in the catalog." in errors
    assert any(error.startswith("“XYZ 12”:") for error in errors)
    assert not InformationItem.objects.exists()
    assert not InformationNode.objects.exists() and not InformationStandard.objects.exists()
    assert not InformationItem.history.exists()


def test_unknown_node_code_is_named(seeded, client_for):
    response = client_for("office").post(reverse("lifecycle:informationitem_add"),
                                         form_data(node_codes="304-09, 999-99"))
    assert response.context["form"].errors["node_codes"] == [
        "No node has the system code “999-99”."]
    assert not InformationItem.objects.exists()


def test_date_in_the_future_is_refused(seeded, client_for):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for("office").post(reverse("lifecycle:informationitem_add"),
                                         form_data(published_on=tomorrow.isoformat()))
    assert response.context["form"].errors["published_on"] == [
        "The date cannot be in the future."]
    today = client_for("office").post(reverse("lifecycle:informationitem_add"),
                                      form_data(published_on=timezone.localdate().isoformat()))
    assert today.status_code == 302


def test_file_is_checked_by_its_content(seeded, client_for):
    fake = SimpleUploadedFile("通知.pdf", b"<html>not a pdf</html>",
                              content_type="application/pdf")
    response = client_for("office").post(reverse("lifecycle:informationitem_add"),
                                         form_data(file=fake))
    assert response.status_code == 200
    assert "content is none of them" in response.context["form"].errors["file"][0]
    assert not InformationItem.objects.exists()


def test_link_must_be_a_web_address(seeded, client_for):
    response = client_for("office").post(reverse("lifecycle:informationitem_add"),
                                         form_data(link="javascript:alert(1)"))
    assert "link" in response.context["form"].errors
    assert not InformationItem.objects.exists()


def test_edit_needs_a_reason_and_rewrites_links_one_by_one(seeded, users, client_for):
    first, second = standard(), standard("Q/CJSB 903-2020", place=None)
    existing = item(nodes=["304-09", "201-01"], standards=[first], tags="a,b")
    url = reverse("lifecycle:informationitem_edit", args=[existing.pk])
    client = client_for("office")
    page = client.get(url)
    assert page.context["form"]["node_codes"].value() == "201-01, 304-09"
    assert page.context["form"]["standard_numbers"].value() == "Q/CJSB 901—2021"
    assert page.context["form"]["tags"].value() == "a, b"
    assert "remove_file" not in page.context["form"].fields  # no file to remove

    refused = client.post(url, form_data(node_codes="304-09"))
    assert "reason" in refused.context["form"].errors

    response = client.post(url, form_data(
        title="改后的标题", tags="b；c", node_codes="304-09, 101",
        standard_numbers="Q/CJSB 903-2020", reason="补充关联"))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.title == "改后的标题" and existing.tags == "b,c"
    assert sorted(n.code for n in existing.nodes.all()) == ["101", "304-09"]
    assert list(existing.standards.all()) == [second]
    assert existing.history.latest().history_change_reason == "补充关联"
    removed = InformationNode.history.filter(history_type="-").get()
    assert (removed.node.code, removed.history_user, removed.history_change_reason) == (
        "201-01", users["office"], "补充关联")
    assert InformationStandard.history.filter(history_type="-", standard=first,
                                              history_change_reason="补充关联").exists()


def test_edit_replaces_or_removes_the_file(seeded, client_for):
    client = client_for("office")
    client.post(reverse("lifecycle:informationitem_add"), form_data(file=pdf_upload("旧.pdf")))
    saved = InformationItem.objects.get()
    url = reverse("lifecycle:informationitem_edit", args=[saved.pk])
    client.post(url, form_data(file=pdf_upload("新.pdf"), reason="换文件"))
    saved.refresh_from_db()
    assert saved.original_name == "新.pdf" and saved.file
    client.post(url, form_data(remove_file="on", reason="文件有误"))
    saved.refresh_from_db()
    assert (saved.file.name, saved.original_name, saved.file_format) == ("", "", "")
    assert [r.original_name for r in saved.history.order_by("history_id")] == [
        "旧.pdf", "新.pdf", ""]


@pytest.mark.parametrize("role", WRITE_ROLES)
def test_readers_cannot_use_any_write_view(seeded, client_for, role):
    existing = item(standards=[standard()])
    client = client_for(role)
    urls = [reverse("lifecycle:informationitem_add"),
            reverse("lifecycle:informationitem_edit", args=[existing.pk]),
            reverse("lifecycle:informationitem_status", args=[existing.pk]),
            reverse("lifecycle:informationitem_revision", args=[existing.pk])]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, form_data(status="needs_action", reason="x",
                                          standard=existing.standards.get().pk)
                           ).status_code == 403, url
    existing.refresh_from_db()
    assert existing.status == InformationStatus.NEW and existing.history.count() == 1  # made
    assert not Project.objects.exists()
    # They read everything, without the write buttons.
    page = client.get(existing.get_absolute_url())
    assert page.status_code == 200 and b"information-status-form" not in page.content
    assert client.get(reverse("lifecycle:informationitem_list")).status_code == 200


# --- the list -----------------------------------------------------------------------------


def listed(client, **params):
    response = client.get(reverse("lifecycle:informationitem_list"), params)
    assert response.status_code == 200
    return [i.title for i in response.context["object_list"]]


def test_each_filter(seeded, client_for):
    concerned = standard()
    item("社保卡新规", category="policy", source="人社部", tags="社保卡,便民",
         nodes=["304-09"], standards=[concerned], published_on=date(2025, 1, 10))
    item("地方养老经办实践", category="practice", source="乌鲁木齐市社保局",
         summary="窗口服务经验", tags="社保,养老", nodes=["304"],
         status=InformationStatus.NEEDS_ACTION, published_on=date(2025, 3, 1))
    item("国家标准发布公告", category="national", source="国家标准委", tags="标准",
         nodes=["201-01"], published_on=date(2024, 12, 1))
    client = client_for("viewer")

    assert listed(client) == ["地方养老经办实践", "社保卡新规", "国家标准发布公告"]
    assert listed(client, q="公告") == ["国家标准发布公告"]  # title
    assert listed(client, q="窗口服务") == ["地方养老经办实践"]  # summary
    assert listed(client, q="人社部") == ["社保卡新规"]  # source
    assert listed(client, q="便民") == ["社保卡新规"]  # tags
    assert listed(client, category="practice") == ["地方养老经办实践"]
    assert listed(client, status="needs_action") == ["地方养老经办实践"]
    assert listed(client, tag="社保") == ["地方养老经办实践"]  # exact: not 社保卡
    assert listed(client, tag="社保卡") == ["社保卡新规"]
    node_304 = Node.objects.get(code="304")
    assert listed(client, node=node_304.pk) == ["地方养老经办实践", "社保卡新规"]  # and below
    assert listed(client, node=Node.objects.get(code="304-09").pk) == ["社保卡新规"]
    assert listed(client, standard=concerned.pk) == ["社保卡新规"]
    assert listed(client, standard="Q/CJSB 901-2021") == ["社保卡新规"]
    assert listed(client, since="2025-01-10") == ["地方养老经办实践", "社保卡新规"]
    assert listed(client, until="2025-01-10") == ["社保卡新规", "国家标准发布公告"]
    assert listed(client, since="2025-01-01", until="2025-02-01", category="policy") == [
        "社保卡新规"]

    unknown = client.get(reverse("lifecycle:informationitem_list"), {"standard": "GB/T 99999"})
    assert list(unknown.context["object_list"]) == []
    assert "GB/T 99999 is not in the catalog." in unknown.content.decode()


def test_list_shows_needs_action_and_tag_links(seeded, client_for):
    item("一", tags="社保卡,养老", status=InformationStatus.NEEDS_ACTION)
    item("二", status=InformationStatus.NEEDS_ACTION)
    item("三")
    response = client_for("viewer").get(reverse("lifecycle:informationitem_list"))
    assert response.context["needs_action"] == 2
    html = response.content.decode()
    assert "2 items need action" in html and "?status=needs_action" in html
    assert "?tag=%E7%A4%BE%E4%BF%9D%E5%8D%A1" in html  # 社保卡


def test_list_paginates_in_constant_queries(seeded, client_for, django_assert_max_num_queries):
    standards = [standard(f"Q/CJSB {900 + n}-2021", place=None) for n in range(1, 4)]
    nodes = list(Node.objects.filter(code__in=["304-09", "201-01", "101"]))
    for n in range(60):
        made = item(f"信息 {n:02d}", tags=f"t{n},共同", published_on=date(2025, 1, 1)
                    + timedelta(days=n))
        for node in nodes[: 1 + n % 3]:
            InformationNode.objects.create(item=made, node=node)
        for concerned in standards[: n % 4]:
            InformationStandard.objects.create(item=made, standard=concerned)
    client = client_for("viewer")
    url = reverse("lifecycle:informationitem_list")
    with django_assert_max_num_queries(10):
        first = client.get(url)
    assert [i.title for i in first.context["object_list"]][:2] == ["信息 59", "信息 58"]
    assert len(first.context["object_list"]) == 25
    with django_assert_max_num_queries(10):
        last = client.get(url, {"page": 3, "tag": "共同"})
    assert len(last.context["object_list"]) == 10


# --- the item page ------------------------------------------------------------------------


def test_item_page_shows_everything(seeded, client_for):
    concerned = standard()
    existing = item(link="https://www.mohrss.gov.cn/", summary="摘要", tags="社保卡",
                    nodes=["304-09"], standards=[concerned])
    html = client_for("office").get(existing.get_absolute_url()).content.decode()
    assert 'href="https://www.mohrss.gov.cn/" target="_blank" rel="noopener noreferrer"' in html
    assert reverse("registry:node_detail", args=[Node.objects.get(code="304-09").pk]) in html
    assert reverse("registry:standard_detail", args=[concerned.pk]) in html
    assert reverse("audit:record_history", args=["lifecycle.informationitem",
                                                    existing.pk]) in html
    assert reverse("lifecycle:informationitem_status", args=[existing.pk]) in html
    assert reverse("lifecycle:informationitem_revision", args=[existing.pk]) in html


# --- status and revision ------------------------------------------------------------------


def test_status_change_with_reason(seeded, users, client_for):
    existing = item()
    url = reverse("lifecycle:informationitem_status", args=[existing.pk])
    client = client_for("office")
    assert client.get(url).status_code == 405  # POST only
    response = client.post(url, {"status": "needs_action", "reason": "涉及本单位标准"})
    assert response.status_code == 302 and response.url == existing.get_absolute_url()
    existing.refresh_from_db()
    assert existing.status == InformationStatus.NEEDS_ACTION
    row = existing.history.latest()
    assert (row.history_user, row.history_change_reason) == (users["office"], "涉及本单位标准")

    for bad in ({"status": "acted", "reason": "x"}, {"status": "no_action", "reason": ""},
                {"status": "needs_action", "reason": "again"}):
        client.post(url, bad)
        existing.refresh_from_db()
        assert existing.status == InformationStatus.NEEDS_ACTION
    assert existing.history.count() == 2  # created, then the one change
    client.post(url, {"status": "no_action", "reason": "与本单位无关"})
    existing.refresh_from_db()
    assert existing.status == InformationStatus.NO_ACTION


def test_revision_opens_a_project_and_marks_the_item_acted(seeded, users, department,
                                                           client_for):
    concerned = standard()
    withdrawn = standard("Q/CJSB 904-2019", withdrawn_on=date(2024, 1, 1))
    existing = item(standards=[concerned, withdrawn], status=InformationStatus.NEEDS_ACTION)
    url = reverse("lifecycle:informationitem_revision", args=[existing.pk])
    client = client_for("office")
    page = client.get(url)
    assert list(page.context["form"].fields["standard"].queryset) == [concerned]
    assert page.context["refusal"] is None

    refused = client.post(url, {"standard": concerned.pk, "reason": ""})
    assert "reason" in refused.context["form"].errors and not Project.objects.exists()

    response = client.post(url, {"standard": concerned.pk, "reason": "上位标准已修订"})
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert (project.kind, project.revises, project.stage) == (ProjectKind.REVISION, concerned,
                                                              Stage.PROPOSAL)
    assert project.node.code == "304-09"
    assert "上位标准已修订" in project.history.get().history_change_reason
    existing.refresh_from_db()
    assert existing.revision_project == project and existing.status == InformationStatus.ACTED
    row = existing.history.latest()
    assert (row.history_user, row.history_change_reason) == (users["office"], "上位标准已修订")

    # The item's revision is under way: no second one, no status change by hand.
    again = client.post(url, {"standard": concerned.pk, "reason": "再次"})
    assert "already under way" in again.context["form"].non_field_errors()[0]
    assert "is under way" in client.get(existing.get_absolute_url()).content.decode()
    client.post(reverse("lifecycle:informationitem_status", args=[existing.pk]),
                {"status": "new", "reason": "x"})
    existing.refresh_from_db()
    assert existing.status == InformationStatus.ACTED
    # Another item about the same standard: the reviews rule, one open revision a standard.
    other = item("另一条信息", standards=[concerned])
    other_response = client.post(
        reverse("lifecycle:informationitem_revision", args=[other.pk]),
        {"standard": concerned.pk, "reason": "同一标准"})
    assert other_response.status_code == 200
    assert "A revision of this standard is already under way" in (
        other_response.context["form"].non_field_errors()[0])
    other.refresh_from_db()
    assert other.revision_project is None and other.status == InformationStatus.NEW
    assert Project.objects.count() == 1


def test_revision_needs_a_current_standard(seeded, department, client_for):
    withdrawn = standard("Q/CJSB 904-2019", withdrawn_on=date(2024, 1, 1))
    existing = item(standards=[withdrawn])
    url = reverse("lifecycle:informationitem_revision", args=[existing.pk])
    client = client_for("office")
    page = client.get(url)
    assert "concerns no current standard" in page.content.decode()
    response = client.post(url, {"standard": withdrawn.pk, "reason": "修订"})
    assert response.status_code == 200 and "standard" in response.context["form"].errors
    assert not Project.objects.exists()
    existing.refresh_from_db()
    assert existing.status == InformationStatus.NEW and existing.revision_project is None
