"""Terms of clause 3: browsable with sources; office staff keep them."""

import pytest
from django.urls import reverse

from audit.actions import ActionError
from catalog.actions.terms import SaveTerm
from catalog.models import Term


def test_term_pages_show_the_eight_terms_with_sources(seeded, client_for):
    client = client_for("viewer")
    content = client.get(reverse("catalog:term_list")).content.decode()
    for term in Term.objects.all():
        assert term.term in content
    assert "GB/T 1.1-2020, 5.2" in content
    assert "GB/T 31596.1-2015, 2.5" in content
    term = Term.objects.get(term="标准化")
    page = client.get(reverse("catalog:term_detail", args=[term.pk])).content.decode()
    assert "GB/T 20000.1-2020, 3.1" in page and "standardization" in page


def test_office_adds_a_term_whose_source_resolves(seeded, client_for):
    client = client_for("office")
    response = client.post(reverse("catalog:term_add"), {
        "clause": "3.9", "term": "生育保险", "definition": "……",
        "source_reference": "GB/T 31596.1-2015", "source_clause": "2.6",
    })
    assert response.status_code == 302
    term = Term.objects.get(term="生育保险")
    assert term.source.number == "GB/T 31596.1—2015"
    assert term.history.get().history_user.username == "office"


def test_a_duplicate_term_or_bad_source_is_refused(seeded, client_for):
    client = client_for("office")
    response = client.post(reverse("catalog:term_add"), {
        "term": "标准", "definition": "重复", "source_reference": "",
    })
    assert response.status_code == 200 and "term" in response.context["form"].errors
    response = client.post(reverse("catalog:term_add"), {
        "term": "新术语", "definition": "x", "source_reference": "XYZ 12",
    })
    assert "source_reference" in response.context["form"].errors
    assert not Term.objects.filter(term="新术语").exists()


def test_terms_are_added_and_edited_through_actions(seeded, office):
    term = SaveTerm(office, Term(clause="3.9", term="生育保险", definition="……")).execute()
    term.definition = "新定义"
    with pytest.raises(ActionError):
        SaveTerm(office, term).execute()
    SaveTerm(office, term, "补充定义").execute()
    assert [row.history_change_reason or "" for row in term.history.order_by("history_id")] == [
        "", "补充定义"]
