"""Workbooks that are small to upload and huge to read, written as zip archives directly
(as an attacker would): the split bomb, many sheets each just under the 1 MiB where the
compression-ratio check starts, and the wide rows, each row with one cell in the last
column (XFD), which openpyxl fills in to 16,384 cells."""

import io
import zipfile
from functools import cache

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def workbook(sheets):
    """The bytes of an XLSX holding ``sheets`` (the bytes of each worksheet's XML)."""
    names = [f"xl/worksheets/sheet{n}.xml" for n in range(1, len(sheets) + 1)]
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicat'
            'ion/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Conte'
            f'ntType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            f'{BOOK_TYPE}"/>'
            + "".join(f'<Override PartName="/{name}" ContentType="{SHEET_TYPE}"/>'
                      for name in names) + "</Types>"),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            "<sheets>" + "".join(f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>'
                                 for n in range(1, len(sheets) + 1))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
            + "</Relationships>"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        for name, xml in zip(names, sheets, strict=True):
            archive.writestr(name, xml)
    return buffer.getvalue()


def _sheet(rows):
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
            .encode() + b"".join(rows) + b"</sheetData></worksheet>")


@cache  # bytes: the same bomb for every test that asks
def split_bomb(sheets=60, size=1024 * 1024 - 1024):
    """``sheets`` sheets of numbers, each sheet's XML just under ``size`` bytes."""
    rows, length, number = [], 0, 0
    while True:
        number += 1
        row = (b"<row>"
               + b"".join(b"<c><v>%d</v></c>" % (number % 10) for _ in range(100)) + b"</row>")
        if length + len(row) + 200 > size:
            break
        rows.append(row)
        length += len(row)
    sheet = _sheet(rows)
    return workbook([sheet] * sheets)


def wide_rows(rows=20_000, header=()):
    """One sheet of ``rows`` rows, each with a number in column A and one in column XFD,
    under a first row of ``header`` texts if given."""
    first = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in header)
    return workbook([_sheet(([f"<row r=\"1\">{first}</row>".encode()] if header else [])
                           + [f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="XFD{n}"><v>{n}'
                              f"</v></c></row>".encode()
                              for n in range(1 + bool(header), rows + 1 + bool(header))])])
