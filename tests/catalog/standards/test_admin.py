"""The admin asks for a reason too, and keeps users (and their history) undeletable."""

from django.urls import reverse

from catalog.models import Standard


def test_admin_edit_records_user_and_reason(seeded, client_for):
    client = client_for("admin")
    standard = Standard.objects.get(number="GB/T 13016")
    url = reverse("admin:catalog_standard_change", args=[standard.pk])
    data = {
        "number": standard.number, "title": "新名称", "title_en": "", "remarks": "",
        "supersedes_links-TOTAL_FORMS": 0, "supersedes_links-INITIAL_FORMS": 0,
        "citation_links-TOTAL_FORMS": 0, "citation_links-INITIAL_FORMS": 0,
        "amendments-TOTAL_FORMS": 0, "amendments-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200  # no reason: the form is shown again
    assert Standard.objects.get(pk=standard.pk).title != "新名称"
    response = client.post(url, {**data, "change_reason": "后台更正"})
    assert response.status_code == 302
    record = standard.history.latest()
    assert record.history_change_reason == "后台更正"
    assert record.history_user.username == "admin"


def test_users_cannot_be_deleted_in_the_admin(seeded, users, client_for):
    client = client_for("admin")
    url = reverse("admin:auth_user_delete", args=[users["viewer"].pk])
    assert client.get(url).status_code == 403


def test_admin_inlines_and_deletions_record_user_and_reason(seeded, users, client_for):
    """The admin saves through the actions: an inline row and a deletion carry the admin
    and the reason, and the flags a new supersession raises are in the admin's name."""
    from django.utils import translation

    from catalog.models import Supersession, Term
    from registry.models import ReviewFlag

    client = client_for("admin")
    new = Standard.objects.create(number="GB/T 1.1-2026", title="标准化工作导则 第1部分（新版）")
    old = Standard.objects.get(number="GB/T 1.1—2020")
    response = client.post(reverse("admin:catalog_standard_change", args=[new.pk]), {
        "number": new.number, "title": new.title, "title_en": "", "remarks": "",
        "supersedes_links-TOTAL_FORMS": 1, "supersedes_links-INITIAL_FORMS": 0,
        "supersedes_links-0-old": old.pk, "supersedes_links-0-new": new.pk,
        "citation_links-TOTAL_FORMS": 0, "citation_links-INITIAL_FORMS": 0,
        "amendments-TOTAL_FORMS": 0, "amendments-INITIAL_FORMS": 0,
        "change_reason": "补录代替关系",
    })
    assert response.status_code == 302
    row = Supersession.history.get(new=new, old=old)
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+", users["admin"], "补录代替关系")
    flags = ReviewFlag.history.filter(cause=old)
    assert flags.count() == 2
    assert {(r.history_user, r.history_change_reason) for r in flags} == {
        (users["admin"], "GB/T 1.1—2020 被 GB/T 1.1—2026 代替")}

    term = Term.objects.get(term="失业保险")
    response = client.post(reverse("admin:catalog_term_delete", args=[term.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Term.objects.filter(pk=term.pk).exists()
    row = Term.history.filter(id=term.pk).latest()
    with translation.override("zh-hans"):
        reason = translation.gettext("Deleted in the administration")
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "-", users["admin"], reason)


def test_delete_selected_in_the_admin_deletes_through_the_action(seeded, users, client_for):
    """The list's bulk "delete selected" deletes each record through the action: every
    history row names the admin and the reason; the history still verifies."""
    from django.core.management import call_command

    from catalog.models import Term

    first = Term.objects.create(term="参保登记测试甲", definition="甲")
    second = Term.objects.create(term="参保登记测试乙", definition="乙")
    response = client_for("admin").post(reverse("admin:catalog_term_changelist"), {
        "action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"})
    assert response.status_code == 302
    assert not Term.objects.filter(pk__in=[first.pk, second.pk]).exists()
    rows = Term.history.filter(id__in=[first.pk, second.pk], history_type="-")
    assert {(r.history_user, r.history_change_reason) for r in rows} == {
        (users["admin"], "在后台管理中删除")}
    assert rows.count() == 2
    call_command("verify_history")


def test_a_q_standard_added_in_the_admin_is_the_organization_s_own(seeded, client_for):
    """As on the pages: the organization acted in publishes its Q/ standards; a published
    standard added there stays shared."""
    from tests.factories import default_organization

    client = client_for("admin")
    url = reverse("admin:catalog_standard_add")
    blank = {"title_en": "", "remarks": "", "change_reason": "后台补录",
             "supersedes_links-TOTAL_FORMS": 0, "supersedes_links-INITIAL_FORMS": 0,
             "citation_links-TOTAL_FORMS": 0, "citation_links-INITIAL_FORMS": 0,
             "amendments-TOTAL_FORMS": 0, "amendments-INITIAL_FORMS": 0}
    assert client.post(url, {**blank, "number": "Q/CJSB 003-2026",
                             "title": "窗口服务规范"}).status_code == 302
    assert client.post(url, {**blank, "number": "GB/T 34414-2017",
                             "title": "社会保险经办绩效评价"}).status_code == 302
    owners = dict(Standard.unscoped.filter(
        number__in=["Q/CJSB 003—2026", "GB/T 34414—2017"]).values_list("number", "owner"))
    assert owners == {"Q/CJSB 003—2026": default_organization().pk, "GB/T 34414—2017": None}
