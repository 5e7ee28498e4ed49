"""The comment resolution table (意见汇总处理表) as XLSX and PDF."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _


def columns():
    return [_("No."), _("Clause"), _("Comment"), _("Proposed change"), _("Submitted by"),
            _("Disposition"), _("Remarks")]


def rows(project):
    for number, comment in enumerate(project.comments.all(), start=1):
        disposition = comment.get_disposition_display()
        if comment.disposition_reason:
            disposition = f"{disposition}: {comment.disposition_reason}"
        yield [number, comment.clause, comment.content, comment.suggestion, comment.unit,
               disposition, comment.note]


def comment_table_xlsx(project):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Comment resolution table")[:31]
    sheet.append([f"{_('Comment resolution table')}: {project.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(columns())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(project):
        sheet.append(row)
    for column, width in zip("ABCDEFG", (6, 12, 40, 30, 18, 30, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:G{sheet.max_row}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def comment_table_pdf(project):
    from weasyprint import HTML

    html = render_to_string("lifecycle/comment_table_pdf.html", {
        "project": project, "columns": columns(), "rows": list(rows(project)),
        "exported": timezone.localtime(),
    })
    return HTML(string=html).write_pdf()
