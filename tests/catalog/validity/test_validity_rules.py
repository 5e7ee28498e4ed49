"""The validity check (标准有效性查新): numbers found in text, their status from the catalog,
the supersession chain, undated numbers with several editions, numbers not in the catalog."""

from datetime import date

import pytest

from audit.chain import verify_all
from catalog.actions.validity import AddValidityCheck, check_text
from catalog.models import Standard, Supersession, ValidityCheck
from catalog.rules.finding import find_written
from tests.factories import UserFactory, default_organization


@pytest.fixture
def catalog(db):
    """Real standards with their real dates: GB/T 1.1—2020 replaced GB/T 1.1—2009 (which
    replaced GB/T 1.1—2000); GB/T 13016—2018 replaced GB/T 13016—2009."""
    made = {}
    for number, title, issued, implemented in [
        ("GB/T 1.1—2000", "标准化工作导则 第1部分：标准的结构和编写规则",
         date(2000, 10, 17), date(2001, 1, 1)),
        ("GB/T 1.1—2009", "标准化工作导则 第1部分：标准的结构和编写",
         date(2009, 6, 17), date(2010, 1, 1)),
        ("GB/T 1.1—2020", "标准化工作导则 第1部分：标准化文件的结构和起草规则",
         date(2020, 3, 31), date(2020, 10, 1)),
        ("GB/T 20000.1—2014", "标准化工作指南 第1部分：标准化和相关活动的通用术语",
         date(2014, 12, 31), date(2015, 6, 1)),
        ("GB/T 13016—2009", "标准体系构建原则和要求", date(2009, 6, 17), date(2010, 1, 1)),
        ("GB/T 13016—2018", "标准体系构建原则和要求", date(2018, 2, 6), date(2018, 9, 1)),
        ("GB/T 24421.2—2009", "服务业组织标准化工作指南 第2部分：标准体系",
         date(2009, 9, 30), date(2009, 12, 1)),
    ]:
        made[number] = Standard.objects.create(number=number, title=title, issued_on=issued,
                                               implemented_on=implemented)
    Supersession.objects.create(new=made["GB/T 1.1—2009"], old=made["GB/T 1.1—2000"])
    Supersession.objects.create(new=made["GB/T 1.1—2020"], old=made["GB/T 1.1—2009"])
    Supersession.objects.create(new=made["GB/T 13016—2018"], old=made["GB/T 13016—2009"])
    return made


TEXT = ("本文件按照 GB/T 1.1—2020 起草，代替 GB/T 1.1-2009。引用 GB／T 20000.1－2014、"
        "GB/T 13016、GB/T 24421.2—2009、GB/T 1.1—2000 和 DB65/T 3456—2012。")


def by_normalised(lines):
    return {line.normalised: line for line in lines}


def test_printed_spellings_are_found_as_written():
    written = [w for w, _n in find_written("依据ＧＢ／Ｔ 1.1－2020与GB/T 1.1-2009。")]
    assert written == ["ＧＢ／Ｔ 1.1－2020", "GB/T 1.1-2009"]


def test_each_number_gets_its_status_and_replacement(catalog):
    lines = check_text(TEXT, today=date(2026, 1, 1))
    assert [line.written for line in lines] == [
        "GB/T 1.1—2020", "GB/T 1.1-2009", "GB／T 20000.1－2014", "GB/T 13016",
        "GB/T 24421.2—2009", "GB/T 1.1—2000", "DB65/T 3456—2012"]
    found = by_normalised(lines)
    assert found["GB/T 1.1—2020"].status == "current"
    assert found["GB/T 1.1—2020"].title.startswith("标准化工作导则")
    replaced = found["GB/T 1.1—2009"]
    assert replaced.status == "superseded"
    assert replaced.replacement == "GB/T 1.1—2020"
    # Followed to the end of the chain, each step kept.
    oldest = found["GB/T 1.1—2000"]
    assert oldest.chain == ["GB/T 1.1—2009", "GB/T 1.1—2020"]
    assert oldest.replacement == "GB/T 1.1—2020" and oldest.replacement_status == "current"
    assert found["GB/T 20000.1—2014"].status == "current"
    assert found["GB/T 24421.2—2009"].status == "current"
    missing = found["DB65/T 3456—2012"]
    assert missing.not_in_catalog and missing.title == "" and missing.standard_id is None


def test_an_undated_number_with_two_editions_means_the_newest(catalog):
    line = by_normalised(check_text("见 GB/T 13016。", today=date(2026, 1, 1)))["GB/T 13016"]
    assert line.several_editions
    assert line.editions == ["GB/T 13016—2018", "GB/T 13016—2009"]
    assert line.number == "GB/T 13016—2018" and line.status == "current"


def test_upcoming_has_its_implementation_date(catalog):
    # Between the issue (2020-03-31) and the implementation (2020-10-01) of GB/T 1.1—2020.
    found = by_normalised(check_text("GB/T 1.1—2020, GB/T 1.1—2009", today=date(2020, 5, 1)))
    assert found["GB/T 1.1—2020"].status == "upcoming"
    assert found["GB/T 1.1—2020"].date == "2020-10-01"
    # The old one stays current until then, and names what will replace it.
    assert found["GB/T 1.1—2009"].status == "current"
    assert found["GB/T 1.1—2009"].replacement == "GB/T 1.1—2020"


def test_withdrawn_has_its_withdrawal_date(catalog):
    standard = catalog["GB/T 24421.2—2009"]
    standard.withdrawn_on = date(2024, 1, 1)
    standard.save()
    line = check_text("GB/T 24421.2—2009", today=date(2026, 1, 1))[0]
    assert line.status == "withdrawn" and line.date == "2024-01-01"


def test_a_kept_check_has_its_history_row(catalog):
    user = UserFactory(role="viewer")
    lines = check_text(TEXT)
    check = AddValidityCheck(user, lines, source="text").execute()
    check = ValidityCheck.objects.get(pk=check.pk)
    assert check.organization == default_organization()
    assert check.created_by == user
    assert check.counts["total"] == 7 and check.counts["not_in_catalog"] == 1
    assert check.lines[1]["replacement"] == "GB/T 1.1—2020"
    row = check.history.get()
    assert row.history_user == user and row.history_type == "+"
    assert verify_all().problems == []


def test_without_a_role_nothing_is_kept(catalog):
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        AddValidityCheck(UserFactory(), [], source="text").execute()
    assert not ValidityCheck.objects.exists()
