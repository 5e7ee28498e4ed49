"""Cells that a spreadsheet program never runs as formulas (CSV/formula injection, OWASP).

A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by
Excel or LibreOffice as a formula (``=HYPERLINK(...)``, ``=cmd|...``). Every export of the
project writes its cells through these helpers:

- XLSX: such a text is written as a string cell (``data_type`` ``"s"``), never a formula,
  so it shows and reads back exactly as typed;
- CSV: it gets a leading apostrophe, as OWASP recommends; ``csv_unescape`` takes it off
  again, so an import reads back the original text (``=SUM(A1)`` round-trips). A text that
  already begins with an apostrophe gets one more, so the mapping has an exact inverse.

Both write any stored text safely: a character the inputs refuse (``audit.text``), stored
before they did, is written as U+FFFD — a vertical tab would otherwise make openpyxl refuse
the whole workbook.
"""

from openpyxl.cell import WriteOnlyCell

from audit.text import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_STARTS = (*FORMULA_STARTS, "'")


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_escape(value):
    """The CSV text of ``value``: ``'`` before a text a spreadsheet would run."""
    value = visible(value)
    if isinstance(value, str) and value.startswith(_ESCAPED_STARTS):
        return "'" + value
    return value


def csv_unescape(text):
    """The original text of a cell written by ``csv_escape``."""
    if isinstance(text, str) and text.startswith("'") and text[1:].startswith(_ESCAPED_STARTS):
        return text[1:]
    return text


def csv_row(values):
    return [csv_escape(value) for value in values]


def xlsx_cell(sheet, value):
    """``value`` for ``sheet.append``: a formula-like text becomes a string cell (works for
    write-only and normal worksheets)."""
    value = visible(value)
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_row(sheet, values):
    return [xlsx_cell(sheet, value) for value in values]
