"""Every page, every role: the server decides, whatever the interface shows."""

import pytest
from django.urls import reverse

from registry.models import Node, Placement

ALL = {"admin", "office", "lead", "expert", "viewer"}
EDITORS = {"admin", "office"}


def import_preview_job():
    from django.contrib.auth import get_user_model

    from registry.models import ImportJob

    return ImportJob.objects.create(
        kind=ImportJob.Kind.IMPORT_PREVIEW, fmt="xlsx", state="done", progress=100,
        result={"name": "t.xlsx", "ok": True, "empty": True, "problems": [], "rows": []},
        created_by=get_user_model().objects.get(username="admin"))


def export_job():
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from registry.models import ExportJob

    job = ExportJob.objects.create(fmt="csv", state="done", progress=100,
                                   created_by=get_user_model().objects.get(username="admin"))
    job.file.save("t.csv", ContentFile(b"x"))
    return job


def review_flag():
    from catalog.models import Standard
    from registry.models import ReviewFlag

    cause = Standard.objects.get(number="GB 2894")
    return ReviewFlag.objects.create(cause=cause, node=Node.objects.get(code="103"),
                                     event="测试")


def amendment_of(standard_pk):
    from catalog.models import Amendment

    return Amendment.objects.get_or_create(standard_id=standard_pk, sequence=1)[0]


def draft_text():
    """A draft text of the default organization, as the office starts it, with a figure and
    its image."""
    from django.contrib.auth import get_user_model

    from tests.factories import default_organization
    from tests.texts.conftest import png
    from texts.actions import AddText, skeleton
    from texts.rules.structure import Figure

    document = skeleton(number="Q/CJSB 002—2026", title="社会保险报表报送规范")
    document.clauses[0].elements.append(Figure("报表报送流程", image=png(),
                                               image_name="流程.png"))
    office = get_user_model().objects.get(username="office")
    return AddText(office, default_organization(), document=document).execute()


def validity_check():
    """A kept 标准有效性查新 of the default organization, as the office ran it."""
    from django.contrib.auth import get_user_model

    from catalog.actions.validity import AddValidityCheck, check_numbers
    from catalog.rules.finding import find_written

    office = get_user_model().objects.get(username="office")
    lines = check_numbers(find_written("本文件引用 GB/T 1.1—2020 和 GB/T 13016—2018。"))
    return AddValidityCheck(office, lines, source="text").execute()


def urls(seeded):
    node = Node.objects.get(code="303")
    job = export_job()
    preview = import_preview_job()
    flag = review_flag()
    placement = Placement.objects.first()
    standard_pk = placement.standard_id
    amendment = amendment_of(standard_pk)
    text = draft_text()
    clause = text.parts.get(kind="clause", title="范围")
    figure = text.parts.get(kind="figure")
    check = validity_check()
    return [
        # (url name, args, roles allowed to GET)
        ("registry:tree", [], ALL),
        ("registry:node_detail", [node.pk], ALL),
        ("registry:node_add", [node.pk], EDITORS),
        ("registry:node_edit", [node.pk], EDITORS),
        ("registry:node_move", [node.pk], EDITORS),
        ("registry:node_reorder", [node.pk], EDITORS),
        ("registry:node_delete", [node.pk], EDITORS),
        ("registry:node_place", [node.pk], EDITORS),
        ("registry:node_order", [node.pk], EDITORS),
        ("registry:placement_delete", [placement.pk], EDITORS),
        ("registry:exportjob_add", [], {"admin"}),
        ("registry:exportjob_detail", [job.pk], {"admin"}),
        ("registry:exportjob_download", [job.pk], {"admin"}),
        ("registry:compilationnotes_edit", [], EDITORS),
        ("registry:system_edit", [], EDITORS),
        ("registry:import", [], EDITORS),
        # Only who uploaded the file sees its preview (here the admin).
        ("registry:import_preview", [preview.pk], {"admin"}),
        ("registry:reviewflag_list", [], ALL),
        ("registry:reviewflag_decide", [flag.pk], EDITORS),
        ("registry:standard_list", [], ALL),
        ("registry:standard_detail", [standard_pk], ALL),
        ("registry:standard_add", [], EDITORS),
        ("registry:standard_edit", [standard_pk], EDITORS),
        ("registry:node_changelog", [node.pk], ALL),
        ("audit:record_history", ["registry.node", node.pk], ALL),
        ("audit:record_compare", ["registry.node", node.pk], ALL),
        ("audit:logentry_list", [], ALL),
        ("registry:as_of", [], ALL),
        ("registry:tailoring", [], ALL),
        ("registry:tailoring_restore", [1], EDITORS),
        ("registry:derive", [], {"admin"}),
        ("registry:editions", [], {"admin"}),
        ("registry:edition_decide", [1], {"admin"}),
        ("registry:templates", [], ALL),
        ("registry:comparison", [], ALL),
        ("registry:as_of_compare", [], ALL),
        ("catalog:term_list", [], ALL),
        ("catalog:term_detail", [1], ALL),
        ("catalog:term_add", [], EDITORS),
        ("catalog:term_edit", [1], EDITORS),
        ("catalog:amendment_add", [standard_pk], EDITORS),
        ("catalog:amendment_edit", [amendment.pk], EDITORS),
        ("texts:list", [], ALL),
        ("texts:text", [text.pk], ALL),
        ("texts:edit", [text.pk], EDITORS),
        ("texts:cover", [text.pk], EDITORS),
        ("texts:import", [text.pk], EDITORS),
        ("texts:figure_image", [text.pk, figure.pk], ALL),
        ("texts:checks", [text.pk], ALL),
        # A standard without its text: its import form (offered to the editors only).
        ("texts:standard_text", [standard_pk], ALL),
        # POST only: a GET is refused before anything is read (405 to every role); who may
        # post is tested below.
        ("texts:export", [text.pk, "docx"], ALL),
        ("texts:part_add", [text.pk], ALL),
        ("texts:part_save", [text.pk, clause.pk], ALL),
        ("texts:part_move", [text.pk, clause.pk, "down"], ALL),
        ("texts:part_delete", [text.pk, clause.pk], ALL),
        ("texts:offer_term", [text.pk, clause.pk], ALL),
        # 标准有效性查新: whoever reads the catalog checks against it; a check is the
        # organization's.
        ("catalog:validity_check", [], ALL),
        ("catalog:validity_list", [], ALL),
        ("catalog:validity_detail", [check.pk], ALL),
        ("catalog:validity_xlsx", [check.pk], ALL),
    ]


def test_every_url_is_covered(seeded, users):
    """A new registry, catalog or audit URL must be added to the table above."""
    from audit.urls import urlpatterns as audit_patterns
    from catalog.urls import urlpatterns as catalog_patterns
    from registry.urls import registry_patterns
    from texts.urls import urlpatterns as texts_patterns

    names = {f"registry:{p.name}" for p in registry_patterns}
    names |= {f"texts:{p.name}" for p in texts_patterns}
    names |= {f"catalog:{p.name}" for p in catalog_patterns}
    names |= {f"audit:{p.name}" for p in audit_patterns}
    assert names == {name for name, _args, _roles in urls(seeded)}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Pages that answer an allowed GET otherwise than with 200: restoring is a POST (the report's
# buttons); the derive page sends an organization that has its system to the tree.
ALLOWED_STATUS = {"registry:tailoring_restore": 405, "registry:derive": 302,
                  "registry:edition_decide": 405,
                  **{f"texts:{name}": 405 for name in (
                      "export", "part_add", "part_save", "part_move", "part_delete",
                      "offer_term")}}


@pytest.mark.parametrize("role", sorted(ALL))
def test_get_permissions_per_role(seeded, client_for, role):
    from catalog.models import Term

    client = client_for(role)
    for name, args, allowed in urls(seeded):
        if name in ("catalog:term_detail", "catalog:term_edit"):
            args = [Term.objects.first().pk]
        response = client.get(reverse(name, args=args))
        expected = ALLOWED_STATUS.get(name, 200) if role in allowed else 403
        assert response.status_code == expected, (name, role, response.status_code)


@pytest.mark.parametrize("role", ["lead", "expert", "viewer"])
def test_posting_directly_is_refused_and_changes_nothing(seeded, client_for, role):
    client = client_for(role)
    node = Node.objects.get(code="303")
    before = Node.objects.count()
    for name in ("registry:node_add", "registry:node_delete", "registry:node_move",
                 "registry:node_edit"):
        response = client.post(reverse(name, args=[node.pk]), {
            "name": "x", "code": "999", "reason": "x", "target": seeded.pk,
            "position": "last-child",
        })
        assert response.status_code == 403, name
    assert Node.objects.count() == before
    assert Node.objects.get(pk=node.pk).name == "数据中心管理"


@pytest.mark.parametrize("role", ["lead", "expert", "viewer"])
def test_a_text_is_changed_by_the_office_only(seeded, users, client_for, role):
    """Those who read a text may not change it, however they post: every part, the cover
    and the whole text stay as they were."""
    from texts.models import Part

    text = draft_text()
    clause = text.parts.get(kind="clause", title="范围")
    paragraph = clause.children.get(kind="paragraph")
    before = sorted(Part.history.values_list("history_id", flat=True))
    client = client_for(role)
    posts = [
        (reverse("texts:part_add", args=[text.pk]),
         {"selected": clause.pk, "outline-kind": "clause", "outline-title": "x"}),
        (reverse("texts:part_save", args=[text.pk, paragraph.pk]),
         {f"p{paragraph.pk}-body": "x"}),
        (reverse("texts:part_move", args=[text.pk, clause.pk, "down"]), {}),
        (reverse("texts:part_delete", args=[text.pk, clause.pk]), {}),
        (reverse("texts:cover", args=[text.pk]), {"number": "x", "title": "x"}),
        (reverse("texts:import", args=[text.pk]), {"reason": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert sorted(Part.history.values_list("history_id", flat=True)) == before
    text.refresh_from_db()
    assert (text.number, text.title) == ("Q/CJSB 002—2026", "社会保险报表报送规范")


def test_anonymous_users_are_sent_to_login(seeded, users, client):
    for name, args, _roles in urls(seeded):
        if name in ("catalog:term_detail", "catalog:term_edit"):
            continue
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login"))
