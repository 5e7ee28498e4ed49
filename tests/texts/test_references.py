"""The references of a text against the catalog: replaced editions named with the standard
in force now, withdrawn ones, undated references to a standard of several editions.

The editions are real: GB/T 1.1—2000 was replaced by GB/T 1.1—2009, itself by GB/T
1.1—2020 (its foreword says so); GB/T 13016—2018 replaced GB/T 13016—2009; GB/T
28002—2011 was withdrawn on 2020-03-06 (as the service centre's system table records)."""

import datetime
import re

import pytest

from catalog.actions.standards import SaveStandard
from catalog.models import Standard
from catalog.rules.numbers import parse_standard_number
from tests.factories import default_organization
from tests.texts.conftest import fixture_lines
from texts.actions import AddText
from texts.references import IN_FORCE, REPLACED, WITHDRAWN, catalog_lookup, check_document
from texts.rules.checks import (
    REFERENCE_REPLACED,
    REFERENCE_WITHDRAWN,
    UNDATED_SEVERAL_EDITIONS,
)
from texts.rules.docx_import import read_docx
from texts.storage import load

pytestmark = pytest.mark.django_db


def add(user, number, title, replaces=(), **fields):
    return SaveStandard(user, Standard(number=number, title=title, **fields),
                        replaces=replaces).execute()


@pytest.fixture
def editions(seeded, office):
    """The older editions of the seed catalog's standards, and a withdrawn one."""
    gb11_2000 = add(office, "GB/T 1.1-2000", "标准化工作导则 第1部分：标准的结构和编写规则",
                    implemented_on=datetime.date(2001, 1, 1))
    gb11_2009 = add(office, "GB/T 1.1-2009", "标准化工作导则 第1部分：标准的结构和编写",
                    replaces=[gb11_2000], implemented_on=datetime.date(2010, 1, 1))
    current = Standard.objects.get(number="GB/T 1.1—2020")
    SaveStandard(office, current, "补录代替关系", replaces=[gb11_2009]).execute()
    gb13016_2009 = add(office, "GB/T 13016-2009", "标准体系表编制原则和要求")
    add(office, "GB/T 13016-2018", "标准体系构建原则和要求", replaces=[gb13016_2009],
        issued_on=datetime.date(2018, 12, 28), implemented_on=datetime.date(2019, 7, 1))
    add(office, "GB/T 28002-2011", "职业健康安全管理体系 实施指南",
        withdrawn_on=datetime.date(2020, 3, 6))


def lookup(text):
    return catalog_lookup(parse_standard_number(text))


def test_a_replaced_edition_names_the_one_in_force_now(editions):
    older = lookup("GB/T 1.1-2009")
    assert (older.status, older.replaced_by) == (REPLACED, "GB/T 1.1—2020")
    # Down the chain: 2000 → 2009 → 2020, the replacement is the end of it.
    assert lookup("GB/T 1.1—2000").replaced_by == "GB/T 1.1—2020"
    assert lookup("GB/T 1.1-2020").status == IN_FORCE


def test_an_undated_number_means_the_newest_edition_and_lists_them_all(editions):
    info = lookup("GB/T 1.1")
    assert info.status == IN_FORCE
    assert info.editions == ("GB/T 1.1—2000", "GB/T 1.1—2009", "GB/T 1.1—2020")
    # The seed's undated entry "GB/T 13016" is no edition of its own.
    assert lookup("GB/T 13016").editions == ("GB/T 13016—2009", "GB/T 13016—2018")


def test_withdrawn_and_unknown(editions):
    assert lookup("GB/T 28002-2011").status == WITHDRAWN
    assert lookup("GB/T 28002").status == WITHDRAWN
    assert lookup("GB/T 19001-2016") is None  # not in the catalog
    assert lookup("GB/T 13016-2002") is None  # an edition the catalog does not hold


def test_a_successor_not_yet_in_force_replaces_nothing(editions, office):
    # GB/T 13016—2018 as it stood between its issue and its implementation.
    newer = Standard.objects.get(number="GB/T 13016—2018")
    newer.implemented_on = datetime.date.today() + datetime.timedelta(days=30)
    newer.issued_on = None
    SaveStandard(office, newer, "实施日期待定",
                 replaces=[Standard.objects.get(number="GB/T 13016—2009")]).execute()
    assert lookup("GB/T 13016-2009").status == IN_FORCE


def db6523(make_docx, replace=None):
    """DB 6523/T 370—2023 as published, a line of clause 2 changed by ``replace``."""
    lines = fixture_lines("db6523_t_370_2023.txt")
    if replace:
        old, new = replace
        lines = [new if line == old else line for line in lines]
        assert new in lines
    document, _report = read_docx(make_docx(lines))
    return document


def edition_years(message):
    """The dated numbers a message names."""
    return set(re.findall(r"GB/T [0-9.]+—[0-9]{4}", message))


def test_db6523_s_undated_references_name_their_editions(editions, make_docx, office):
    text = AddText(office, default_organization(), document=db6523(make_docx)).execute()
    findings = check_document(load(text, images=False).document)
    undated = [f for f in findings if f.kind == UNDATED_SEVERAL_EDITIONS]
    assert [edition_years(f.message) for f in undated] == [
        {"GB/T 1.1—2000", "GB/T 1.1—2009", "GB/T 1.1—2020"},
        {"GB/T 13016—2009", "GB/T 13016—2018"}]
    assert all(f.place == "2" for f in undated)
    assert not [f for f in findings if f.kind in (REFERENCE_REPLACED, REFERENCE_WITHDRAWN)]


def test_a_dated_reference_to_a_replaced_edition_is_reported_with_the_replacement(
        editions, make_docx, office, django_assert_max_num_queries):
    document = db6523(make_docx, (
        "GB/T 1.1 标准化工作导则 第1部分:标准化文件的结构和起草规则",
        "GB/T 1.1—2009 标准化工作导则 第1部分:标准的结构和编写"))
    document.clauses[1].elements.append(type(document.clauses[1].elements[-1])(
        "GB/T 28002—2011 职业健康安全管理体系 实施指南"))
    text = AddText(office, default_organization(), document=document).execute()
    loaded = load(text, images=False)
    # Each of the 18 numbers of clause 2 is looked up once, in one query; a replaced or
    # withdrawn one costs one more per step of its chain.
    with django_assert_max_num_queries(22):
        findings = check_document(loaded.document)
    replaced = [f for f in findings if f.kind == REFERENCE_REPLACED]
    assert [(f.place, "GB/T 1.1—2009" in f.message, "GB/T 1.1—2020" in f.message)
            for f in replaced] == [("2", True, True)]
    withdrawn = [f for f in findings if f.kind == REFERENCE_WITHDRAWN]
    assert len(withdrawn) == 1 and "GB/T 28002—2011" in withdrawn[0].message
    # Dated, it is no undated reference: only GB/T 13016 is still one with editions.
    assert [edition_years(f.message) for f in findings
            if f.kind == UNDATED_SEVERAL_EDITIONS] == [{"GB/T 13016—2009", "GB/T 13016—2018"}]
