"""Standards in the catalog: normalised numbers, derived level and status, relations."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.forms.standards import StandardForm
from catalog.models import Citation, Standard, Supersession
from catalog.models.choices import Status


def form(**data):
    return StandardForm(data={"title": "标题", **data})


@pytest.mark.parametrize("written", ["GB/T 1.1—2020", "GB/T 1.1-2020", "gb/t1.1-2020"])
def test_number_forms_are_one_number(db, written):
    f = form(number=written)
    assert f.is_valid(), f.errors
    standard = f.save()
    assert standard.number == "GB/T 1.1—2020"
    assert standard.level == "national"
    assert (standard.code, standard.serial, standard.year) == ("GB/T", "1.1", 2020)


def test_duplicate_numbers_are_refused_in_any_spelling(db):
    Standard.objects.create(number="GB/T 1.1-2020", title="导则")
    f = form(number="gb/t 1.1 – 2020")
    assert not f.is_valid()
    assert "number" in f.errors


def test_a_malformed_number_is_refused_with_a_reason(db):
    f = form(number="XYZ 12")
    assert not f.is_valid()
    assert "XYZ" in f.errors["number"][0]


def test_local_number_level(db):
    standard = Standard.objects.create(number="DB 6523/T 370-2023", title="指南")
    assert standard.number == "DB6523/T 370—2023"
    assert standard.level == "local"
    assert standard.parsed_number.region_code == "6523"


def test_implementation_before_issue_is_refused(db):
    f = form(number="GB/T 2-2020", issued_on="2020-05-01", implemented_on="2020-01-01")
    assert not f.is_valid()


def status_of(standard):
    return Standard.objects.with_status().get(pk=standard.pk).computed_status


def test_status_follows_from_dates_and_supersession(db):
    today = timezone.localdate()
    current = Standard.objects.create(number="GB/T 100-2010", title="旧版",
                                      implemented_on=date(2010, 1, 1))
    assert status_of(current) == Status.CURRENT
    upcoming = Standard.objects.create(number="GB/T 100-2026", title="新版",
                                       issued_on=today, implemented_on=today + timedelta(30))
    assert status_of(upcoming) == Status.UPCOMING
    Supersession.objects.create(new=upcoming, old=current)
    # Not superseded until the successor is in force.
    assert status_of(current) == Status.CURRENT
    upcoming.implemented_on = today
    upcoming.save()
    assert status_of(current) == Status.SUPERSEDED
    assert status_of(upcoming) == Status.CURRENT
    upcoming.withdrawn_on = today
    upcoming.save()
    assert status_of(upcoming) == Status.WITHDRAWN
    draft = Standard.objects.create(number="Q/CJSB 001", title="草案", is_draft=True)
    assert status_of(draft) == Status.IN_DEVELOPMENT
    assert draft.status == Status.IN_DEVELOPMENT


def test_undated_number_resolves_to_latest_edition(db):
    Standard.objects.create(number="GB/T 13016-2009", title="旧")
    newest = Standard.objects.create(number="GB/T 13016-2018", title="新")
    assert Standard.objects.resolve("GB/T 13016") == newest
    assert Standard.objects.resolve("GB/T 13016-2009").year == 2009
    assert Standard.objects.resolve("GB/T 99999") is None


def test_office_adds_a_standard_with_relations_and_history(db, client_for):
    old = Standard.objects.create(number="GB/T 5-2000", title="旧")
    cited = Standard.objects.create(number="GB/T 6", title="引用")
    client = client_for("office")
    response = client.post(reverse("registry:standard_add"), {
        "number": "gb/t5-2020", "title": "新", "replaces": [old.pk], "cites": [cited.pk],
        "reason": "代替旧版",
    })
    assert response.status_code == 302
    new = Standard.objects.get(number="GB/T 5—2020")
    assert list(new.replaces.all()) == [old]
    assert list(new.cites.all()) == [cited]
    assert Supersession.history.count() == 1 and Citation.history.count() == 1
    assert new.history.get().history_user.username == "office"


def test_editing_a_standard_asks_for_a_reason(db, client_for):
    standard = Standard.objects.create(number="GB/T 7-2020", title="原名")
    client = client_for("office")
    url = reverse("registry:standard_edit", args=[standard.pk])
    response = client.post(url, {"number": "GB/T 7-2020", "title": "新名"})
    assert response.status_code == 200
    assert Standard.objects.get(pk=standard.pk).title == "原名"
    response = client.post(url, {"number": "GB/T 7-2020", "title": "新名", "reason": "更正"})
    assert response.status_code == 302
    assert standard.history.latest().history_change_reason == "更正"


def test_catalog_list_filters(seeded, client_for):
    client = client_for("viewer")
    url = reverse("registry:standard_list")
    assert client.get(url).context["paginator"].count == 21
    assert client.get(url, {"level": "local"}).context["paginator"].count == 1
    from registry.models import Node

    terms_node = Node.objects.get(code="102")
    response = client.get(url, {"node": terms_node.pk})
    assert [s.number for s in response.context["object_list"]] == ["GB/T 31596.1—2015"]
    assert client.get(url, {"q": "GB/T1.1"}).context["paginator"].count == 1
    assert client.get(url, {"status": "current"}).context["paginator"].count == 21
    response = client.get(url, {"ordering": "-number"})
    assert response.status_code == 200


def test_standard_page_shows_relations_and_placements(seeded, client_for):
    client = client_for("viewer")
    standard = Standard.objects.get(number="GB/T 1.1—2020")
    response = client.get(reverse("registry:standard_detail", args=[standard.pk]))
    content = response.content.decode()
    assert "DB6523/T 370—2023" in content  # cited by the seed
    assert "标准化导则" in content  # placed on
    assert "标准化文件" in content  # a term whose definition comes from it


def test_superseding_or_withdrawing_needs_a_reason(db):
    old = Standard.objects.create(number="GB/T 8-2000", title="旧")
    f = form(number="GB/T 8-2020", replaces=[old.pk])
    assert not f.is_valid() and "reason" in f.errors
    f = form(number="GB/T 9-2020", withdrawn_on="2024-01-01")
    assert not f.is_valid() and "reason" in f.errors
    f = form(number="GB/T 8-2020", replaces=[old.pk], reason="新版代替旧版")
    assert f.is_valid(), f.errors
