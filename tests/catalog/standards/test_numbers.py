"""Parsing and normalising standard numbers (``catalog.rules.numbers``).

Needs neither a database nor the project settings: runs with ``-p no:django`` too.
"""

import datetime
import sys
from dataclasses import replace
from pathlib import Path

import django
import pytest
from django.conf import settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

# pytest-django puts the project root (where manage.py is) on sys.path; with
# ``-p no:django`` nothing does, so do it here for ``import catalog``.
PROJECT_ROOT = str(Path(__file__).resolve().parents[3])
if PROJECT_ROOT not in sys.path:
    sys.path.append(PROJECT_ROOT)

if not settings.configured:
    # Without pytest-django, gettext still needs settings; no i18n means msgids come back.
    settings.configure(USE_I18N=False)
    django.setup()

from django.utils import translation  # noqa: E402

from catalog.rules.numbers import (  # noqa: E402
    EM_DASH,
    GROUP,
    GUIDANCE,
    INDUSTRY,
    INDUSTRY_CODES,
    LOCAL,
    MANDATORY,
    NATIONAL,
    ORGANIZATION,
    RECOMMENDED,
    REGION_NAMES,
    VOLUNTARY,
    StandardNumber,
    StandardNumberError,
    normalize_standard_number,
    parse_standard_number,
    region_name,
    split_replaced,
)

NEXT_YEAR = datetime.date.today().year + 1


@pytest.fixture(autouse=True, scope="module")
def english_messages():
    # Under pytest-django the project may translate messages; the fragments below are msgids.
    with translation.override("en"):
        yield


# --- valid forms ----------------------------------------------------------------------

CANONICAL_CASES = [
    ("GB/T 1.1—2020", "GB/T 1.1—2020"),
    ("GB/T 1.1-2020", "GB/T 1.1—2020"),
    ("gb/t1.1-2020", "GB/T 1.1—2020"),
    ("GB/T 1.1 – 2020", "GB/T 1.1—2020"),
    ("ＧＢ／Ｔ　１．１－２０２０", "GB/T 1.1—2020"),
    ("GB / T  1.1 ‐2020", "GB/T 1.1—2020"),
    ("GB/T 1.1−2020", "GB/T 1.1—2020"),
    ("  GB/T 1.1-2020\n", "GB/T 1.1—2020"),
    ("GB/T\u200b 1.1-2020", "GB/T 1.1—2020"),
    ("DB6523/T 370-2023", "DB6523/T 370—2023"),
    ("DB 6523/T 370-2023", "DB6523/T 370—2023"),
    ("db6523/t370—2023", "DB6523/T 370—2023"),
    ("GB 2894", "GB 2894"),
    ("GB/T 10001", "GB/T 10001"),
    ("GB/T 13016", "GB/T 13016"),
    ("LD/T 1-2020", "LD/T 1—2020"),
    ("T/CAS 115-2005", "T/CAS 115—2005"),
    ("T/CAS115-2005", "T/CAS 115—2005"),
    ("T/CAS115 -2005", "T/CAS 115—2005"),
    ("T/CAS2 115-2005", "T/CAS2 115—2005"),
    ("Q/CJSB 001-2026", "Q/CJSB 001—2026"),
    ("GB/Z 20000.11-2008", "GB/Z 20000.11—2008"),
    ("GB/T 24421.2-2009", "GB/T 24421.2—2009"),
    ("DB/T 19-2020", "DB/T 19—2020"),
    ("DB65 1-2020", "DB65/ 1—2020"),
    ("DB65/ 1-2020", "DB65/ 1—2020"),
]


@pytest.mark.parametrize(("text", "canonical"), CANONICAL_CASES)
def test_valid_forms_normalise_to_canonical(text, canonical):
    assert normalize_standard_number(text) == canonical
    assert str(parse_standard_number(text)) == canonical


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GB/T 1.1—2020", StandardNumber("GB/T", "1.1", 2020, NATIONAL, RECOMMENDED, "")),
        ("GB 2894", StandardNumber("GB", "2894", None, NATIONAL, MANDATORY, "")),
        ("GB/T 10001", StandardNumber("GB/T", "10001", None, NATIONAL, RECOMMENDED, "")),
        (
            "GB/Z 20000.11-2008",
            StandardNumber("GB/Z", "20000.11", 2008, NATIONAL, GUIDANCE, ""),
        ),
        ("LD/T 1-2020", StandardNumber("LD/T", "1", 2020, INDUSTRY, RECOMMENDED, "")),
        ("AQ 3013-2008", StandardNumber("AQ", "3013", 2008, INDUSTRY, MANDATORY, "")),
        ("DB/T 19-2020", StandardNumber("DB/T", "19", 2020, INDUSTRY, RECOMMENDED, "")),
        (
            "DB 6523/T 370-2023",
            StandardNumber("DB6523/T", "370", 2023, LOCAL, RECOMMENDED, "6523"),
        ),
        ("DB65 1-2020", StandardNumber("DB65", "1", 2020, LOCAL, MANDATORY, "65")),
        ("T/CAS 115-2005", StandardNumber("T/CAS", "115", 2005, GROUP, VOLUNTARY, "")),
        (
            "Q/CJSB 001-2026",
            StandardNumber("Q/CJSB", "001", 2026, ORGANIZATION, VOLUNTARY, ""),
        ),
    ],
)
def test_parsed_components(text, expected):
    assert parse_standard_number(text) == expected


def test_local_standard_of_changji():
    number = parse_standard_number("DB 6523/T 370-2023")
    assert number.level == LOCAL
    assert number.region_code == "6523"
    assert region_name(number.region_code) == "昌吉回族自治州"


def test_undated_number_means_latest_edition():
    number = parse_standard_number("GB/T 13016")
    assert number.year is None
    assert not number.is_dated
    assert number.canonical == number.undated == "GB/T 13016"


def test_dated_number_and_its_undated_form():
    number = parse_standard_number("GB/T 1.1-2020")
    assert number.is_dated
    assert number.undated == "GB/T 1.1"
    assert number.canonical == "GB/T 1.1" + EM_DASH + "2020"


def test_serial_keeps_leading_zeros():
    assert parse_standard_number("Q/CJSB 001-2026").serial == "001"


@pytest.mark.parametrize("year", [1949, NEXT_YEAR])
def test_year_bounds_are_inclusive(year):
    assert parse_standard_number(f"GB/T 1-{year}").year == year


def test_parsed_number_is_immutable():
    number = parse_standard_number("GB 2894")
    with pytest.raises(AttributeError):
        number.year = 2008


def test_industry_codes_include_the_common_ones():
    assert {"LD", "AQ", "JR", "WS", "MZ", "SF"} <= INDUSTRY_CODES
    assert "GB" not in INDUSTRY_CODES


# --- invalid forms --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Enter a standard number"),
        ("   ", "Enter a standard number"),
        ("\u3000", "Enter a standard number"),
        ("XYZ 12", "“XYZ” is not a known standard code"),
        ("xyz 12-2020", "“xyz” is not a known standard code"),
        ("GB/X 1-2020", "“GB/X” is not a known standard code"),
        ("GBT 1.1-2020", "A slash is missing between “GB” and “T”. Did you mean GB/T 1.1—2020?"),
        ("DB65/Z 1-2020", "“DB65/Z” is not a known standard code"),
        ("标准 12", "“标准” is not a known standard code"),
        ("1.1-2020", "does not start with a standard code"),
        ("T/115-2005", "must be followed by the code of the group or organization"),
        ("Q/ 001", "must be followed by the code of the group or organization"),
        ("GB/T", "serial number is missing after “GB/T”"),
        ("GB/T -2020", "serial number is missing after “GB/T”"),
        ("T/CAS", "serial number is missing after “T/CAS”"),
        ("GB/T 1..1-2020", "“1..1” is not a valid serial number"),
        ("GB/T 1.-2020", "“1.” is not a valid serial number"),
        ("GB/T .1", "“.1” is not a valid serial number"),
        ("GB/T 1.1-20", "The year 1920 is out of range"),
        ("GB/T 1.1-020", "must have four digits"),
        ("GB/T 1.1-20201", "must have four digits"),
        ("GB/T 1.1-1948", "out of range"),
        (f"GB/T 1.1-{NEXT_YEAR + 1}", "out of range"),
        ("GB/T 1.1-", "year after the dash is missing"),
        ("DB651/T 1-2020", "“DB651/T” is not a valid local standard code"),
        ("DB1234567/T 1-2020", "2, 4 or 6-digit administrative division code"),
        ("DB-1", "2, 4 or 6-digit administrative division code"),
        ("GB/T 1.1-2020 abc", "Unexpected text “abc” after the standard number"),
        ("GB/T 1.1-2020.", "Unexpected text “.”"),
        ("GB/T 1.1 2020", "A dash is missing before the year “2020”"),
        ("GB/T 1.1a", "Unexpected text “a”"),
    ],
)
def test_invalid_forms_say_what_is_wrong(text, fragment):
    with pytest.raises(StandardNumberError) as excinfo:
        parse_standard_number(text)
    assert fragment in str(excinfo.value)
    with pytest.raises(StandardNumberError):
        normalize_standard_number(text)


def test_error_is_a_value_error():
    assert issubclass(StandardNumberError, ValueError)


def test_long_garbage_is_shortened_in_the_message():
    with pytest.raises(StandardNumberError) as excinfo:
        parse_standard_number("GB/T 1-2020 " + "x" * 500)
    assert len(str(excinfo.value)) < 200


# --- region names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("11", "北京市"),
        ("65", "新疆维吾尔自治区"),
        ("6523", "昌吉回族自治州"),
        ("6501", "乌鲁木齐市"),
        ("6599", "新疆维吾尔自治区"),  # unknown prefecture: its province
        ("652301", "新疆维吾尔自治区"),
        ("3201", "江苏省"),
        ("99", ""),
        ("9901", ""),
        ("", ""),
        ("6", ""),
        ("652", ""),
        ("ab", ""),
        ("６５", ""),  # region codes come from the parser, always ASCII
    ],
)
def test_region_name(code, name):
    assert region_name(code) == name


def test_region_table_has_the_31_provinces():
    provinces = {code for code in REGION_NAMES if len(code) == 2}
    assert len(provinces) == 31
    assert all(code.isdigit() and "11" <= code <= "65" for code in provinces)


# --- properties -----------------------------------------------------------------------

SAMPLE_CODES = """
    GB GB/T GB/Z LD/T LD AQ AQ/T JR/T WS/T MZ/T TB/T QB/T DB/T
    DB65 DB65/T DB6523/T DB652301/T T/CAS T/CECS Q/CJSB Q/CJ2SB
""".split()
DASHES = ["-", "—", "–", "－", "‐", "−", "―"]
SPACES = ["", " ", "  ", "\u3000", "\t", "\u00a0"]
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"}

serials = st.lists(st.from_regex(r"[0-9]{1,5}", fullmatch=True), min_size=1, max_size=3).map(
    ".".join
)
years = st.none() | st.integers(1949, min(2026, NEXT_YEAR))


@st.composite
def written_numbers(draw):
    """A valid number as someone might type it, with the canonical form it stands for."""
    code = draw(st.sampled_from(SAMPLE_CODES))
    serial = draw(serials)
    year = draw(years)
    mandatory_local = code.startswith("DB") and code[2:].isdigit()
    expected = f"{code}{'/' if mandatory_local else ''} {serial}" + (
        "" if year is None else f"—{year}")

    def space():
        return draw(st.sampled_from(SPACES))

    written_code = code.replace("/", space() + "/" + space())
    if code.startswith("DB") and code[2:3].isdigit():
        written_code = "DB" + space() + written_code[2:]
    # A bare local code glued to its serial would read as a longer region code (DB651).
    needs_space = code[-1].isdigit()
    gap = draw(st.sampled_from([s for s in SPACES if s])) if needs_space else space()
    text = written_code + gap + serial
    if year is not None:
        text += space() + draw(st.sampled_from(DASHES)) + space() + str(year)
    text = space() + text + space()

    text = "".join(c.lower() if draw(st.booleans()) else c for c in text)
    if draw(st.booleans()):
        text = "".join(FULL_WIDTH.get(c, c) for c in text)
    return text, expected


# Drawing a written number takes many small draws: on a busy machine generation alone can
# trip the too_slow health check, which says nothing about the parser.
@hypothesis_settings(suppress_health_check=[HealthCheck.too_slow])
@given(written_numbers())
@example(("ＧＢ／Ｔ　１．１－２０２０", "GB/T 1.1—2020"))
@example(("db 6523 / t370 –2023", "DB6523/T 370—2023"))
def test_written_forms_round_trip_to_canonical(case):
    text, expected = case
    with translation.override("en"):
        number = parse_standard_number(text)
        assert number.canonical == expected
        assert parse_standard_number(number.canonical) == number
        assert normalize_standard_number(expected) == expected


NUMBERISH = "GBTZDQLSAJRWXC/0123456789.- —–－ 　\t"


@given(st.text() | st.text(alphabet=NUMBERISH, max_size=25))
@example("T/CAS2 115")
@example("DB65 1-2020")
@example("GB/T 1.1-20")
@example("٣")
@example("ß")
def test_normalisation_is_idempotent_and_fails_only_with_standard_number_error(text):
    with translation.override("en"):
        try:
            number = parse_standard_number(text)
        except StandardNumberError as exc:
            assert str(exc)
            return
        canonical = number.canonical
        assert canonical.replace(EM_DASH, "").isascii()
        assert normalize_standard_number(text) == canonical
        assert parse_standard_number(canonical) == number
        assert normalize_standard_number(canonical) == canonical


# --- bounded work ----------------------------------------------------------------------
# Speed itself is measured by bench/standard_numbers.py; these check the structure that
# keeps parsing linear: a length cap before any work, and one regular expression that
# cannot backtrack.

import re  # noqa: E402
import re._constants as sre_constants  # noqa: E402
import re._parser as sre_parse  # noqa: E402

from catalog.rules import numbers  # noqa: E402

REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
           sre_constants.POSSESSIVE_REPEAT}


def repeats(parsed):
    """Every (op, body) repetition in a parsed pattern, nested ones included."""
    for op, av in parsed:
        if op in REPEATS:
            yield op, av[2]
            yield from repeats(av[2])
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                yield from repeats(branch)
        elif op == sre_constants.SUBPATTERN:
            yield from repeats(av[3])


def test_the_module_has_one_regular_expression_and_it_cannot_backtrack():
    patterns = [value for value in vars(numbers).values() if isinstance(value, re.Pattern)]
    assert patterns == [numbers._TOKEN]
    found = list(repeats(sre_parse.parse(numbers._TOKEN.pattern)))
    assert found
    for op, body in found:
        # Possessive, over one character class: nothing to try again on failure.
        assert op == sre_constants.POSSESSIVE_REPEAT
        assert len(body) == 1 and body[0][0] in (sre_constants.IN, sre_constants.LITERAL)


@given(st.builds(
    lambda head, unit, count: head + unit * count,
    st.text(alphabet=NUMBERISH, max_size=10),
    st.text(alphabet="GBTZQ/0123456789.-—－年", min_size=1, max_size=3),
    st.integers(numbers.MAX_LENGTH + 1, 50 * numbers.MAX_LENGTH)))
@example("T/" + "A" * 16_000)
@example("GB/T 1" + "." * 16_000)
def test_long_text_is_refused_before_parsing(text):
    with translation.override("en"):
        with pytest.raises(StandardNumberError) as excinfo:
            parse_standard_number(text)
    assert excinfo.value.code == numbers.TOO_LONG


NUMBERISH_MORE = NUMBERISH + "ISOECN:+()XG年版∕⁄,"


@given(st.text(alphabet=NUMBERISH_MORE, max_size=numbers.MAX_LENGTH))
@example("GB/T 19001-2016/ISO 9001:2015, IDT")
@example("GB 50016-2014(2018年版)/XG1-2019")
@example("EN 1090-1:2009+A1:2011")
def test_any_short_text_parses_or_says_why(text):
    with translation.override("en"):
        try:
            number = parse_standard_number(text)
        except StandardNumberError as exc:
            assert exc.code in numbers.REASONS
            assert str(exc)
            return
        # The degree (IDT…) is stored apart, not written into the number.
        assert parse_standard_number(number.display) == replace(number, adoption_degree="")
        assert normalize_standard_number(number.canonical) == number.canonical


@pytest.mark.parametrize(("text", "number", "replaced"), [
    # Issue 22: a table cell with the number and, after 代替, the editions it replaces.
    ("WS 216-2008\u3000代替\u3000WS 216-2001", "WS 216-2008", ["WS 216-2001"]),
    ("GB 5749-2022（代替GB 5749-2006）", "GB 5749-2022", ["GB 5749-2006"]),
    ("GB/T 1.1-2020 代替：GB/T 1.1-2009、GB/T 1.2-2002", "GB/T 1.1-2020",
     ["GB/T 1.1-2009", "GB/T 1.2-2002"]),
    ("GB/T 19001-2016 替代 GB/T 19001-2008", "GB/T 19001-2016", ["GB/T 19001-2008"]),
    ("GB/T 13016-2018", "GB/T 13016-2018", []),
])
def test_replaced_editions_written_after_the_number_are_split_off(text, number, replaced):
    assert split_replaced(text) == (number, replaced)
    assert parse_standard_number(split_replaced(text)[0]).is_dated


@pytest.mark.parametrize(("text", "canonical", "level"), [
    ("RFC 5905", "RFC 5905", "foreign"),                       # never dated
    ("ASME B1.20.2M：2006", "ASME B1.20.2M-2006", "foreign"),  # ASME's own dash
    ("ANSI/ASME B1.20.1-2013", "ANSI/ASME B1.20.1-2013", "foreign"),
    ("ISA/IEC 62443", "ISA/IEC 62443", "foreign"),             # IEC's number: its colon
    ("ISA/IEC 62443-3-3：2013", "ISA/IEC 62443-3-3:2013", "foreign"),
    ("IS/ISO 9001:2015", "IS/ISO 9001:2015", "foreign"),
    ("JIS Z8301:2019", "JIS Z 8301:2019", "foreign"),
    ("ISO 3508： 1976", "ISO 3508:1976", "international"),
])
def test_foreign_numbers_keep_their_bodys_year_separator(text, canonical, level):
    number = parse_standard_number(text)
    assert (number.canonical, number.level) == (canonical, level)
    assert normalize_standard_number(canonical) == canonical


def test_a_missing_international_year_speaks_of_the_colon():
    with pytest.raises(StandardNumberError, match="year after the colon is missing"):
        parse_standard_number("ISO 3508:")
