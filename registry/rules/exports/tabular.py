"""The detail and statistics tables as CSV (UTF-8 with BOM for Excel) and XLSX."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from audit.spreadsheets import csv_row, xlsx_row
from registry.rules.tree.table_data import (
    EXTRA_COLUMNS,
    GROUP_COLUMNS,
    columns,
    detail_rows,
    statistics,
)


def _columns():
    """The detail table's columns, then where each row sits (subsystem, category, aspect)
    and the number as printed."""
    return [*columns(), *GROUP_COLUMNS.items(), *EXTRA_COLUMNS.items()]


def to_csv(data, english=False):
    keys, labels = zip(*_columns(), strict=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(label) for label in labels])
    for row in detail_rows(data, english):
        writer.writerow(csv_row(row.values(keys)))
    # The BOM makes Excel read the file as UTF-8, so Chinese shows correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# The third sheet lists every node, so that an import can rebuild the tree itself.
STRUCTURE_COLUMNS = {
    "code": gettext_lazy("System code"), "name": gettext_lazy("Name"),
    "name_en": gettext_lazy("English name"), "clause": gettext_lazy("Seed clause"),
    "parent": gettext_lazy("Parent code"), "remarks": gettext_lazy("Remarks"),
    "organization": gettext_lazy("Organization"),
}

WIDTHS = {"seq": 6, "code": 10, "number": 22, "title": 48, "level": 8,
          "implemented_on": 12, "adoption": 22, "replaces": 22, "remarks": 24, "status": 10,
          "withdrawn_on": 12, "subsystem": 24, "category": 24, "aspect": 24,
          "printed_number": 22}


def to_xlsx(data, english=False):
    keys, labels = zip(*_columns(), strict=True)
    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF5")

    detail = workbook.create_sheet(_("Detail table")[:31])
    detail.freeze_panes = "A2"
    for index, key in enumerate(keys, start=1):
        detail.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 14)
    detail.append([_header(str(label), bold, fill, detail) for label in labels])
    count = 0
    for row in detail_rows(data, english):
        detail.append(xlsx_row(detail, row.values(keys)))
        count += 1
    detail.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{count + 1}"

    stats = statistics(data, english)
    sheet = workbook.create_sheet(_("Statistics table")[:31])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCD", (40, 12, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    header = [_("Grouping"), _("Expected"), _("Existing"), _("Existing / expected %")]
    sheet.append([_header(text, bold, fill, sheet) for text in header])
    for title, counts in ((_("By subsystem"), stats["subsystems"]),
                          (_("By level"), stats["levels"])):
        sheet.append([_header(title, bold, None, sheet)])
        for c in counts:
            sheet.append(xlsx_row(sheet, [c.label, c.expected, c.existing, c.percent]))
    total = stats["total"]
    sheet.append(xlsx_row(sheet, [total.label, total.expected, total.existing, total.percent]))
    sheet.append([])
    sheet.append([stats["note"]])
    structure = workbook.create_sheet(_("Structure")[:31])
    structure.freeze_panes = "A2"
    for column, width in zip("ABCDEFG", (12, 40, 40, 10, 12, 30, 30), strict=True):
        structure.column_dimensions[column].width = width
    structure.append([_header(str(label), bold, fill, structure)
                      for label in STRUCTURE_COLUMNS.values()])
    parents = {}
    for row in data.rows:
        node = row.node
        parents[node.path] = node.code
        structure.append(xlsx_row(structure, [
            node.code, node.name, node.name_en, node.clause,
            parents.get(node.path[:-node.steplen], ""), getattr(node, "remarks", None) or "",
            node.organization or ""]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(text, font, fill, sheet):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    if fill:
        cell.fill = fill
    return cell
