"""Writes through the API run the pages' actions: the same permissions, a reason, the
same history rows with the API user, the token's name in the audit log, and optimistic
concurrency (ETag / If-Match, 412 when stale)."""

import pytest
from django.urls import reverse

from audit.models import LogEntry
from catalog.models import Standard
from lifecycle.models import Comment, Document, Project
from registry.models import Node, Placement

ROLES = ("admin", "office", "lead", "expert", "viewer")
EDITORS = ("admin", "office")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def aspect(code="304-09"):
    return Node.objects.get(code=code)


@pytest.mark.parametrize("role", ROLES)
def test_tree_writes_need_the_page_s_permissions(role, seeded, api_for):
    api = api_for(role)
    category = Node.objects.get(code="304")
    before = Node.objects.count()
    added = api.post(f"/api/nodes/{category.pk}/children/",
                     {"name": "社会保险数据共享", "reason": "体系补充"}, format="json")
    if role not in EDITORS:
        assert added.status_code == 403
        assert api.patch(f"/api/nodes/{category.pk}/", {"name": "x", "reason": "y"},
                         format="json").status_code == 403
        assert api.post(f"/api/nodes/{aspect().pk}/reorder/",
                        {"direction": "up", "reason": "y"}, format="json").status_code == 403
        assert api.delete(f"/api/nodes/{aspect().pk}/?reason=y").status_code == 403
        assert Node.objects.count() == before
        return
    assert added.status_code == 201, added.content
    node = added.json()
    assert node["parent"] == category.pk and node["code"].startswith("304-")
    edited = api.patch(f"/api/nodes/{node['id']}/", {"name_en": "Data sharing",
                                                     "reason": "英文名"}, format="json")
    assert edited.status_code == 200 and edited.json()["name_en"] == "Data sharing"
    moved = api.post(f"/api/nodes/{node['id']}/move/",
                     {"target": Node.objects.get(code="303").pk, "reason": "归入303"},
                     format="json")
    assert moved.status_code == 200 and moved.json()["code"].startswith("303-")
    assert api.post(f"/api/nodes/{node['id']}/reorder/", {"direction": "up",
                    "reason": "排序"}, format="json").status_code == 200
    assert api.delete(f"/api/nodes/{node['id']}/", {"reason": "重复"},
                      format="json").status_code == 204
    assert Node.objects.count() == before


def test_a_change_needs_a_reason_and_a_refusal_says_why(seeded, api_for):
    api = api_for("office")
    node = aspect()
    response = api.patch(f"/api/nodes/{node.pk}/", {"name": "新名称"}, format="json",
                         HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "reason" in response.json()["error"]["message"]
    root = Node.objects.get(depth=1)
    refused = api.delete(f"/api/nodes/{root.pk}/?reason=x", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "The root of a system cannot be deleted."
    node.refresh_from_db()
    assert node.name != "新名称"


def test_an_api_write_leaves_the_same_history_row_as_the_page(seeded, users, client_for,
                                                               token_for):
    node = aspect()
    page = client_for("office")
    data = {"name": "社会保险报表管理", "name_en": "Social insurance reports", "code": node.code,
            "clause": node.clause, "description": node.description, "reason": "英文名补充"}
    assert page.post(reverse("registry:node_edit", args=[node.pk]), data).status_code == 302
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for('office')}")
    response = api.patch(f"/api/nodes/{node.pk}/", {"name_en": "Social insurance reporting",
                                                    "reason": "英文名补充"}, format="json")
    assert response.status_code == 200
    by_page, by_api = node.history.order_by("-pk")[1], node.history.order_by("-pk")[0]
    for row in (by_page, by_api):
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "~", users["office"], "英文名补充")
        assert (row.parent_node_id, row.position, row.code) == (
            by_page.parent_node_id, by_page.position, node.code)
    assert by_api.name_en == "Social insurance reporting"
    entries = {e.history_id: e for e in LogEntry.objects.filter(
        history_id__in=[by_page.pk, by_api.pk], content_type__model="node")}
    page_entry, api_entry = entries[by_page.pk], entries[by_api.pk]
    assert (page_entry.action, page_entry.user, page_entry.scope_path) == (
        api_entry.action, api_entry.user, api_entry.scope_path)
    assert page_entry.api_token is None and api_entry.api_token == "office sync"


def test_a_stale_write_is_refused_with_412_and_the_current_version(seeded, api_for):
    api = api_for("office")
    node = aspect()
    read = api.get(f"/api/nodes/{node.pk}/")
    etag = read["ETag"]
    first = api.patch(f"/api/nodes/{node.pk}/", {"name_en": "Reports", "reason": "a"},
                      format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag
    stale = api.patch(f"/api/nodes/{node.pk}/", {"name_en": "Statements", "reason": "b"},
                      format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    error = stale.json()["error"]
    assert error["code"] == "stale" and f'"{error["current_version"]}"' == first["ETag"]
    assert stale["ETag"] == first["ETag"]
    node.refresh_from_db()
    assert node.name_en == "Reports"
    again = api.patch(f"/api/nodes/{node.pk}/", {"name_en": "Statements", "reason": "b"},
                      format="json", HTTP_IF_MATCH=stale["ETag"])
    assert again.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_standards_are_added_and_edited_through_the_catalog_actions(role, seeded, api_for):
    api = api_for(role)
    added = api.post("/api/standards/", {
        "number": "GB/T 1.1-2009", "title": "标准化工作导则 第1部分：标准的结构和编写",
        "implemented_on": "2010-01-01", "issued_on": "2009-06-17"}, format="json")
    if role not in EDITORS:
        assert added.status_code == 403 and not Standard.objects.filter(year=2009).exists()
        return
    assert added.status_code == 201, added.content
    old = added.json()
    assert old["number"] == "GB/T 1.1—2009"
    current = Standard.objects.get(number="GB/T 1.1—2020")
    missing_reason = api.patch(f"/api/standards/{current.pk}/", {"replaces": [old["id"]]},
                               format="json")
    assert missing_reason.status_code == 400
    assert "reason" in missing_reason.json()["error"]["fields"]
    edited = api.patch(f"/api/standards/{current.pk}/",
                       {"replaces": [old["id"]], "reason": "补录代替关系"}, format="json")
    assert edited.status_code == 200, edited.content
    assert [s["number"] for s in edited.json()["replaces"]] == ["GB/T 1.1—2009"]
    assert api.get(f"/api/standards/{old['id']}/").json()["status"] == "superseded"
    row = current.history.order_by("-pk").first()
    assert row.history_change_reason == "补录代替关系"
    duplicate = api.post("/api/standards/", {"number": "GB/T 1.1—2009", "title": "x"},
                         format="json")
    assert duplicate.status_code == 400 and "number" in duplicate.json()["error"]["fields"]


@pytest.mark.parametrize("role", ROLES)
def test_placing_and_unplacing(role, seeded, api_for):
    api = api_for(role)
    standard = Standard.objects.get(number="GB/T 1.1—2020")
    node = aspect()
    placed = api.post("/api/placements/", {"node": node.pk, "standard": standard.pk,
                                           "reason": "适用"}, format="json")
    if role not in EDITORS:
        assert placed.status_code == 403
        return
    assert placed.status_code == 201
    again = api.post("/api/placements/", {"node": node.pk, "standard": standard.pk,
                                          "reason": "适用"}, format="json")
    assert again.status_code == 400
    pk = placed.json()["id"]
    assert api.delete(f"/api/placements/{pk}/").status_code == 400  # no reason
    assert api.delete(f"/api/placements/{pk}/?reason=误放").status_code == 204
    assert not Placement.objects.filter(pk=pk).exists()
    row = Placement.history.filter(id=pk).order_by("-pk").first()
    assert row.history_type == "-" and row.history_change_reason == "误放"


def test_a_document_is_uploaded_and_the_project_submitted(project, api_for, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office = api_for("office")
    upload = SimpleUploadedFile("项目建议书.pdf", PDF, content_type="application/pdf")
    response = office.post(f"/api/projects/{project.pk}/documents/",
                           {"kind": "proposal", "file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1 and response.json()["file_format"] == "pdf"
    assert Document.objects.get().uploaded_by == users["office"]
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    refused = office.post(f"/api/projects/{project.pk}/documents/",
                          {"kind": "proposal", "file": fake}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["error"]["fields"]
    # The state machine decides who may: a lead may not submit a proposal.
    lead = api_for("lead")
    denied = lead.post(f"/api/projects/{project.pk}/transition/",
                       {"name": "submit_proposal", "reason": "提交"}, format="json")
    assert denied.status_code == 403
    etag = office.get(f"/api/projects/{project.pk}/")["ETag"]
    no_reason = office.post(f"/api/projects/{project.pk}/transition/",
                            {"name": "submit_proposal"}, format="json")
    assert no_reason.status_code == 400
    done = office.post(f"/api/projects/{project.pk}/transition/",
                       {"name": "submit_proposal", "reason": "提交立项"}, format="json",
                       HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["stage"] == "office_review"
    assert body["timeline"][-1]["transition"] == "submit_proposal"
    assert body["timeline"][-1]["user"] == "office"
    project.refresh_from_db()
    assert project.history.order_by("-pk").first().history_change_reason == "提交立项"
    stale = office.post(f"/api/projects/{project.pk}/transition/",
                        {"name": "pass_office_review", "reason": "通过"}, format="json",
                        HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    unknown = office.post(f"/api/projects/{project.pk}/transition/",
                          {"name": "fly", "reason": "x"}, format="json")
    assert unknown.status_code == 400


def test_comments_and_their_disposition(project, api_for):
    # Test shortcut: put the project in its comment period (the stage is protected).
    Project.objects.filter(pk=project.pk).update(stage="comment")
    office = api_for("office")
    url = f"/api/projects/{project.pk}/comments/"
    added = office.post(url, {"unit": "乌鲁木齐市社会保险管理局", "clause": "5.2",
                              "content": "建议补充报表报送时限"}, format="json")
    assert added.status_code == 201, added.content
    comment = added.json()
    assert api_for("viewer").post(url, {"unit": "x", "content": "y"},
                                  format="json").status_code == 403
    no_reason = office.patch(f"{url}{comment['id']}/", {"disposition": "accepted"},
                             format="json")
    assert no_reason.status_code == 400
    assert "disposition_reason" in no_reason.json()["error"]["fields"]
    disposed = office.patch(f"{url}{comment['id']}/", {
        "disposition": "accepted", "disposition_reason": "已在5.2补充"}, format="json")
    assert disposed.status_code == 200, disposed.content
    assert disposed.json()["disposition"] == "accepted"
    assert disposed.json()["content"] == "建议补充报表报送时限"
    row = Comment.objects.get().history.order_by("-pk").first()
    from django.utils.translation import gettext, override

    with override("zh-hans"):  # the caller's language (none asked: the default)
        assert row.history_change_reason == gettext("Disposition recorded")
    assert LogEntry.objects.filter(history_id=row.pk, api_token="office sync").exists()


def test_a_project_s_standard_is_published(project, api_for):
    # Test shortcut: the project has been approved (the workflow's steps are tested in
    # tests/lifecycle); publishing is the step docs/api.md shows.
    Project.objects.filter(pk=project.pk).update(stage="approved")
    office = api_for("office")
    url = f"/api/projects/{project.pk}/transition/"
    bad = office.post(url, {"name": "publish", "reason": "发布", "number": "GB/T 99999-2026",
                            "issued_on": "2026-11-01", "implemented_on": "2026-12-01"},
                      format="json")
    assert bad.status_code == 400 and "number" in bad.json()["error"]["fields"]
    assert api_for("viewer").post(url, {"name": "publish", "reason": "发布"},
                                  format="json").status_code == 403
    done = office.post(url, {"name": "publish", "reason": "批准发布",
                             "number": "Q/CJSB 001-2026", "issued_on": "2026-11-01",
                             "implemented_on": "2026-12-01"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["stage"] == "published"
    assert done.json()["standard"] == "Q/CJSB 001—2026"
    standard = Standard.objects.get(number="Q/CJSB 001—2026")
    assert standard.placements.get().node == project.node
    row = standard.history.get()
    assert row.history_change_reason == "批准发布" and row.history_user.username == "office"


def test_adoption_of_an_international_standard_is_recorded(seeded, api_for):
    api = api_for("office")
    # GB/T 19001—2016 is identical to ISO 9001:2015.
    added = api.post("/api/standards/", {
        "number": "GB/T 19001-2016", "title": "质量管理体系 要求",
        "adopted_number": "ISO 9001:2015", "adoption_degree": "IDT"}, format="json")
    assert added.status_code == 201, added.content
    assert (added.json()["adopted_number"], added.json()["adoption_degree"]) == (
        "ISO 9001:2015", "IDT")
    refused = api.patch(f"/api/standards/{added.json()['id']}/", {
        "adopted_number": "", "reason": "更正"}, format="json")
    assert refused.status_code == 400 and "adopted_number" in refused.json()["error"]["fields"]


@pytest.mark.parametrize("role", ROLES)
def test_document_upload_needs_the_page_s_permission(role, project, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("项目建议书.pdf", PDF, content_type="application/pdf")
    response = api_for(role).post(f"/api/projects/{project.pk}/documents/",
                                  {"kind": "proposal", "file": upload}, format="multipart")
    assert response.status_code == (201 if role in EDITORS else 403)
    assert Document.objects.count() == (1 if role in EDITORS else 0)
