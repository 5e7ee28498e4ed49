"""Real published standard numbers, as documents print them (tests/catalog/corpus/).

Every printed spelling parses to the hand-written canonical number, spellings of one
standard meet in one number, normalising twice changes nothing, and each misprint is
refused for the reason it has. Needs neither a database nor the project settings.
"""

import csv
import sys
from pathlib import Path

import django
import pytest
from django.conf import settings

PROJECT_ROOT = str(Path(__file__).resolve().parents[3])
if PROJECT_ROOT not in sys.path:
    sys.path.append(PROJECT_ROOT)

if not settings.configured:
    settings.configure(USE_I18N=False)
    django.setup()

from django.utils import translation  # noqa: E402

from catalog.rules.numbers import (  # noqa: E402
    EM_DASH,
    MAX_LENGTH,
    REASONS,
    TOO_LONG,
    StandardNumberError,
    normalize_standard_number,
    parse_standard_number,
)

CORPUS = Path(__file__).parents[1] / "corpus"


def read(name):
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


STANDARDS = read("standard_numbers.csv")
REFUSED = read("refused_numbers.csv")
SPELLINGS = [
    pytest.param(spelling, row["canonical"], row["display"] or row["canonical"],
                 id=f"{row['canonical']}|{spelling}")
    for row in STANDARDS for spelling in row["spellings"].split(";")
]


@pytest.fixture(autouse=True, scope="module")
def english_messages():
    with translation.override("en"):
        yield


def test_the_corpus_is_large_and_varied():
    numbers = {row["canonical"] for row in STANDARDS}
    codes = {parse_standard_number(number).code for number in numbers}
    levels = {parse_standard_number(number).level for number in numbers}
    assert len(numbers) >= 300
    assert len(codes) >= 25, sorted(codes)
    assert levels == {"national", "industry", "local", "group", "organization",
                      "international", "foreign"}
    assert sum(len(row["spellings"].split(";")) > 1 for row in STANDARDS) >= 80


@pytest.mark.parametrize(("printed", "canonical", "display"), SPELLINGS)
def test_every_printed_spelling_reads_as_its_standard(printed, canonical, display):
    number = parse_standard_number(printed)
    assert number.canonical == canonical
    assert number.display == display
    assert normalize_standard_number(printed) == canonical


@pytest.mark.parametrize(("printed", "canonical", "display"), SPELLINGS)
def test_normalising_is_idempotent(printed, canonical, display):
    once = normalize_standard_number(printed)
    assert normalize_standard_number(once) == once
    assert parse_standard_number(display).display == display
    assert parse_standard_number(display).canonical == canonical


def look_alikes(text):
    """How the same number arrives from PDFs, Word and web pages."""
    yield text.replace(EM_DASH, "\u2013")  # en dash
    yield text.replace(EM_DASH, "--")
    yield text.replace("/", "\u2215")  # DIVISION SLASH
    yield text.replace("/", "\u2044")  # FRACTION SLASH
    yield text.replace(" ", "\u3000")  # ideographic space
    yield text.replace(" ", "\u200b ")  # zero-width space
    yield text.lower()
    yield "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("row", STANDARDS, ids=lambda row: row["canonical"])
def test_look_alike_characters_do_not_change_the_number(row):
    canonical = row["canonical"]
    for text in look_alikes(canonical):
        assert normalize_standard_number(text) == canonical, text


@pytest.mark.parametrize(
    "row", REFUSED, ids=lambda row: row["printed"] or "(empty)")
def test_each_misprint_is_refused_for_its_reason(row):
    assert row["reason"] in REASONS
    with pytest.raises(StandardNumberError) as excinfo:
        parse_standard_number(row["printed"])
    assert excinfo.value.code == row["reason"]
    assert excinfo.value.suggestion == row["suggestion"]
    if row["suggestion"]:
        assert row["suggestion"] in str(excinfo.value)


def test_text_over_the_limit_is_refused_before_parsing():
    with pytest.raises(StandardNumberError) as excinfo:
        parse_standard_number("GB/T " + "1" * MAX_LENGTH)
    assert excinfo.value.code == TOO_LONG
    # Every corpus number fits well within the limit.
    assert max(len(s) for row in STANDARDS for s in row["spellings"].split(";")) < 50
