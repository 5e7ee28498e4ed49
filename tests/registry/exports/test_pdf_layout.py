"""The PDF's detail table as a reader sees it, checked from the text positions poppler reads
(``pdftotext -bbox``): every row whole on one page, every standard number, date and system
code on one line, no header broken but a long Chinese one (onto at most three lines) — for
the seeded system, another organization's system (fixtures/other_system: adopted, replaced,
withdrawn and twice-placed standards, remarks) and a system of 1,000 rows."""

import html
import re
import subprocess
from collections import defaultdict

import pytest

from registry.rules.exports import pdf
from registry.rules.exports.formats import export
from registry.rules.exports.pdf_widths import HEADER_LINES, ONE_PIECE, header_atoms, whole_header
from registry.rules.tree.table_data import columns, detail_rows, live_data
from tests.big_system import build_big_system
from tests.registry.tree.test_other_system import other_system  # noqa: F401 - a fixture

pytestmark = pytest.mark.slow

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
SAME_LINE = 1.0  # pt: words whose tops differ less are on one line
FOOTER = 16 * 72 / 25.4  # the bottom margin, where the stamps print the footer


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def compact(text):
    return "".join(text.split())


def pages_words(content, tmp_path):
    """Per page, its words as (x0, y0, x1, text), the footer left out."""
    path = tmp_path / "table.pdf"
    path.write_bytes(content)
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for _width, height, body in PAGE.findall(xml):
        bottom = float(height) - FOOTER
        pages.append([(float(x0), float(y0), float(x1), html.unescape(text))
                      for x0, y0, x1, y1, text in WORD.findall(body) if float(y1) < bottom])
    return pages


def lines(words):
    """Words grouped by line, top to bottom."""
    grouped = defaultdict(list)
    for word in sorted(words, key=lambda w: (w[1], w[0])):
        top = next((y for y in grouped if abs(y - word[1]) < SAME_LINE), word[1])
        grouped[top].append(word)
    return sorted(grouped.items())


def find_header(words, labels):
    """The left edge of each column and the header's top, from the header's first words
    (headers are top-aligned and left-aligned), or None on a page without the table."""
    firsts = [header_atoms(label)[0] for label in labels]
    for top, line in lines(words):
        lefts, x = [], -1
        for first in firsts:
            match = next((w for w in line if w[3].startswith(first) and w[0] > x), None)
            if match is None:
                break
            lefts.append(match[0])
            x = match[0]
        else:
            return top, lefts
    return None


def check_detail_table(content, rows, keys, labels, tmp_path):
    """Every detail row found once, whole, on one page, its one-piece cells on one line;
    every header on one line (Chinese) or unbroken words (English). Returns the number of
    pages the table runs over."""
    expected = iter(rows)
    row = next(expected)
    found, table_pages = [], 0
    for words in pages_words(content, tmp_path):
        header = find_header(words, labels)
        if header is None:
            continue
        table_pages += 1
        top, lefts = header
        edges = [left - 2 for left in lefts] + [float("inf")]

        def column(word, edges=edges):
            return next(i for i in range(len(keys)) if word[0] < edges[i + 1])

        below = [(y, line) for y, line in lines(words) if y >= top - SAME_LINE]
        # A table row starts on each line with a word in the first column.
        starts = [i for i, (_y, line) in enumerate(below) if any(column(w) == 0 for w in line)]
        head = [w for _y, line in below[:starts[1]] for w in line]
        for index, label in enumerate(labels):
            cell = [w for w in head if column(w) == index]
            tops = {round(w[1]) for w in cell}
            if label.isascii():  # English: breaks only between words
                assert set(label.split()) <= {w[3] for w in cell}, label
            else:  # Chinese: a short header on one line, a long one on at most three
                assert compact(label) == "".join(w[3] for w in cell), label
                assert len(tops) == 1 if whole_header(label) else len(tops) <= HEADER_LINES, \
                    label
        for n, start in enumerate(starts[1:], start=1):
            end = starts[n + 1] if n + 1 < len(starts) else len(below)
            first = below[start][1]
            band = [w for _y, line in below[start:end] for w in line]
            if row is None or not any(column(w) == 0 and w[3] == str(row.seq) for w in first):
                continue  # a subsystem's or category's heading row
            if row.code and not any(column(w) == 1 and w[3] == row.code for w in first):
                continue
            for index, (key, value) in enumerate(zip(keys, row.cells, strict=True)):
                cell = sorted((w for w in band if column(w) == index),
                              key=lambda w: (w[1], w[0]))
                # The whole cell is here: the row was not cut at the page's end.
                assert compact(value) == "".join(w[3] for w in cell), (row.seq, key, cell)
                if key in ONE_PIECE and cell:
                    assert max(w[1] for w in cell) - min(w[1] for w in cell) < SAME_LINE, \
                        (row.seq, key, cell)
            found.append(row.seq)
            row = next(expected, None)
    assert row is None, f"row {row.seq} was not found whole"
    assert found == [r.seq for r in rows]
    return table_pages


def table(root, lang):
    data = live_data(root)
    english = lang == "en"
    keys_labels = [(k, label) for k, label in columns() if k in pdf.PDF_COLUMNS]
    from django.utils import translation

    with translation.override(lang):
        labels = [str(label) for _k, label in keys_labels]
        rows = detail_rows(data, english)
    keys = [k for k, _label in keys_labels]
    for row in rows:
        row.cells = ["" if v is None else str(v) for v in row.values(keys)]
    return export(data, "pdf", lang), rows, keys, labels


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_seeded_system_rows_are_whole_and_numbers_on_one_line(seeded, tmp_path, lang):
    content, rows, keys, labels = table(seeded, lang)
    assert check_detail_table(content, rows, keys, labels, tmp_path) >= 5


def test_another_organizations_rows_are_whole_and_numbers_on_one_line(other_system,  # noqa: F811
                                                                      tmp_path):
    content, rows, keys, labels = table(other_system, "zh-hans")
    assert any(r.adoption for r in rows) and any(r.replaces for r in rows)
    assert check_detail_table(content, rows, keys, labels, tmp_path) >= 2


def test_a_thousand_rows_are_whole_and_numbers_on_one_line(db, tmp_path):
    root = build_big_system(1000)
    content, rows, keys, labels = table(root, "zh-hans")
    assert len(rows) >= 1000
    # The big system has long titles and remarks, adopted and replaced numbers: rows of
    # several lines fall at page ends, which is where a row would be cut.
    assert any(len(r.remarks) > 40 for r in rows) and any(r.adoption for r in rows)
    assert check_detail_table(content, rows, keys, labels, tmp_path) > 30
