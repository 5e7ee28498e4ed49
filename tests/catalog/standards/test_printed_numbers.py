"""What real documents print with a standard number reaches the catalog: the printed form
(searchable), the edition note, the adopted international standard and amendments."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.forms.standards import StandardForm
from catalog.models import Amendment, Standard


@pytest.fixture(autouse=True)
def english(settings):
    """The messages asserted below are the English ones."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def form(instance=None, **data):
    return StandardForm(data={"title": "标题", **data}, instance=instance)


def test_two_digit_year_is_stored_in_four_digits_and_the_printed_form_kept(db):
    f = form(number="GB 3100-93")
    assert f.is_valid(), f.errors
    standard = f.save()
    assert (standard.number, standard.year) == ("GB 3100—1993", 1993)
    assert standard.printed_number == "GB 3100-93"


def test_canonical_input_keeps_no_printed_form(db):
    standard = Standard.objects.create(number="GB/T 13016—2018", title="标准体系构建原则和要求")
    assert standard.printed_number is None


@pytest.mark.parametrize("query", ["GB 3100-93", "GB 3100—1993", "GB3100", "3100-93"])
def test_catalog_search_finds_the_printed_form(db, client_for, query):
    Standard.objects.create(number="GB 3100-93", title="国际单位制及其应用")
    Standard.objects.create(number="GB 3101-93", title="有关量、单位和符号的一般原则")
    response = client_for("viewer").get(reverse("registry:standard_list"), {"q": query})
    assert [s.number for s in response.context["object_list"]] == ["GB 3100—1993"]


def test_adoption_printed_with_the_number_fills_the_adoption_fields(db):
    f = form(number="GB/T 19001-2016/ISO 9001:2015", adoption_degree="IDT")
    assert f.is_valid(), f.errors
    standard = f.save()
    assert standard.number == "GB/T 19001—2016"
    assert (standard.adopted_number, standard.adoption_degree) == ("ISO 9001:2015", "IDT")
    assert standard.full_number == "GB/T 19001—2016/ISO 9001:2015"


def test_the_degree_of_adoption_is_chosen_by_the_user(db):
    f = form(number="GB/T 19001-2016/ISO 9001:2015")
    assert not f.is_valid()
    assert "IDT" in f.errors["adoption_degree"][0]


def test_a_degree_printed_with_the_number_is_taken(db):
    f = form(number="GB/T 22080-2016/ISO/IEC 27001:2013, IDT")
    assert f.is_valid(), f.errors
    assert f.save().adoption_degree == "IDT"


@pytest.mark.parametrize(("adopted", "error"), [
    ("GB/T 1.1-2020", "is not an international or foreign standard"),
    ("ISO 9001-2015", "follows a colon"),
])
def test_the_adopted_number_must_be_an_international_one(db, adopted, error):
    f = form(number="GB/T 19001-2016", adopted_number=adopted, adoption_degree="IDT")
    assert not f.is_valid()
    assert error in f.errors["adopted_number"][0]


def test_adopted_number_is_normalised(db):
    f = form(number="GB/T 24001-2016", adopted_number="iso 14001：2015", adoption_degree="IDT")
    assert f.is_valid(), f.errors
    assert f.save().adopted_number == "ISO 14001:2015"


def test_edition_note_is_stored_as_the_edition_year(db):
    f = form(number="GB 50016-2014（2018年版）")
    assert f.is_valid(), f.errors
    standard = f.save()
    assert (standard.number, standard.edition_year) == ("GB 50016—2014", 2018)
    assert standard.full_number == "GB 50016—2014（2018年版）"


@pytest.mark.parametrize(("number", "level"), [
    ("ISO 9001:2015", "international"), ("ISO/IEC 27001:2022", "international"),
    ("IEC 60364-1:2005", "international"), ("EN 1090-2:2018", "foreign"),
])
def test_international_and_foreign_standards_are_catalog_entries(db, number, level):
    standard = Standard.objects.create(number=number, title="国际标准")
    assert (standard.number, standard.level) == (number, level)


def test_adding_a_number_with_an_amendment_mark_records_the_amendment(db, client_for):
    client = client_for("office")
    response = client.post(reverse("registry:standard_add"), {
        "number": "GB 7258-2017/XG1-2019", "title": "机动车运行安全技术条件"})
    assert response.status_code == 302
    standard = Standard.objects.get(number="GB 7258—2017")
    amendment = standard.amendments.get()
    assert (amendment.sequence, amendment.year) == (1, 2019)
    assert amendment.history.get().history_user.username == "office"
    page = client.get(standard.get_absolute_url()).content.decode()
    assert "GB 7258—2017/XG1—2019" in page


def test_an_amendment_to_a_standard_in_the_catalog_says_where_to_add_it(db):
    Standard.objects.create(number="GB 7258-2017", title="机动车运行安全技术条件")
    f = form(number="GB 7258-2017/XG1-2019")
    assert not f.is_valid()
    message = f.errors["number"][0]
    assert "GB 7258—2017 is already in the catalog" in message
    assert "Add the amendment on the page of GB 7258—2017" in message
    assert not Amendment.objects.exists()


def test_editing_with_an_amendment_mark_attaches_it(db, client_for):
    standard = Standard.objects.create(number="GB 7258-2017", title="机动车运行安全技术条件")
    response = client_for("office").post(
        reverse("registry:standard_edit", args=[standard.pk]),
        {"number": "GB 7258-2017/XG1-2019", "title": standard.title, "reason": "第1号修改单"})
    assert response.status_code == 302
    assert [a.display for a in standard.amendments.all()] == ["GB 7258—2017/XG1—2019"]
    assert Standard.objects.get(pk=standard.pk).number == "GB 7258—2017"


def test_amendment_form_adds_and_edits_with_history(db, client_for):
    standard = Standard.objects.create(number="GB 7258-2017", title="机动车运行安全技术条件")
    client = client_for("office")
    add = reverse("catalog:amendment_add", args=[standard.pk])
    response = client.post(add, {"sequence": "1", "year": "2019",
                                 "implemented_on": "2020-01-01"})
    assert response.status_code == 302
    amendment = standard.amendments.get()
    response = client.post(add, {"sequence": "1", "year": "2019"})
    assert "already recorded" in response.content.decode()
    edit = reverse("catalog:amendment_edit", args=[amendment.pk])
    assert client.post(edit, {"sequence": "1", "year": "2019"}).status_code == 200  # no reason
    response = client.post(edit, {"sequence": "1", "year": "2019", "remarks": "更正",
                                  "reason": "补充备注"})
    assert response.status_code == 302
    assert amendment.history.latest().history_change_reason == "补充备注"


def test_viewers_cannot_add_amendments(db, client_for):
    standard = Standard.objects.create(number="GB 7258-2017", title="机动车运行安全技术条件")
    client = client_for("viewer")
    url = reverse("catalog:amendment_add", args=[standard.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"sequence": "1"}).status_code == 403
    assert not Amendment.objects.exists()
