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
