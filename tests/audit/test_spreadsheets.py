"""Cells a spreadsheet program never runs as formulas: CSV escaping and its exact inverse."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from audit.spreadsheets import csv_escape, csv_unescape, xlsx_row

VALUES = ["=SUM(A1)", "+86 991 1234567", "-1", "@cmd", "\tTab", "\rCR", "'quoted", "'=x",
          "''", "GB/T 1.1—2020", "", 12]


@pytest.mark.parametrize("value", VALUES)
def test_csv_escape_is_inverted_exactly(value):
    escaped = csv_escape(value)
    assert csv_unescape(escaped) == value
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        assert escaped == "'" + value


def test_xlsx_cells_are_strings_never_formulas():
    book = Workbook()
    sheet = book.active
    sheet.append(xlsx_row(sheet, ["=SUM(A1)", "@x", "+1", "text", 3]))
    buffer = io.BytesIO()
    book.save(buffer)
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())[0]
    assert [(c.value, c.data_type) for c in cells] == [
        ("=SUM(A1)", "s"), ("@x", "s"), ("+1", "s"), ("text", "s"), (3, "n")]
