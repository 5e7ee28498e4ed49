"""The comment resolution table (XLSX in the request, PDF in a worker) and the dashboard's
PDF. The PDFs are documents declared on ``LifecycleConfig.job_documents``
(``registry.rules.documents``): the request queues a job, a worker on the PDF queue calls the
``*_document`` builders below with the job's parameters, and the job's page offers the file."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from audit.spreadsheets import xlsx_row
from lifecycle.models import Project
from lifecycle.rules.charts import dashboard_charts, overdue_projects_url
from lifecycle.rules.dashboard import dashboard_figures, default_root
from lifecycle.rules.draft_comments import sittings
from registry.rules.documents import Built


def columns():
    return [_("No."), _("Clause"), _("Comment"), _("Proposed change"), _("Submitted by"),
            _("Disposition"), _("Remarks")]


def rows(project):
    # A comment on the 征求意见稿 prints the number it sits on, and what became of it in
    # the 送审稿 once that is frozen (lifecycle.rules.draft_comments).
    for number, comment in enumerate(sittings(project, project.comments.all()), start=1):
        disposition = comment.get_disposition_display()
        if comment.disposition_reason:
            disposition = f"{disposition}: {comment.disposition_reason}"
        yield [number, str(comment.sitting), comment.content, comment.suggestion,
               comment.unit, disposition, comment.note]


def comment_table_xlsx(project):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Comment resolution table")[:31]
    sheet.append(xlsx_row(sheet, [f"{_('Comment resolution table')}: {project.title}"]))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(columns())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(project):
        sheet.append(xlsx_row(sheet, row))
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


# A cell of the PDF holds at most this much text (the XLSX export has it all), so no comment
# can keep a PDF worker for minutes.
PDF_CELL_LIMIT = 3000


def bounded(cell, limit=PDF_CELL_LIMIT):
    text = str(cell)
    if len(text) <= limit:
        return cell
    return text[:limit] + "… " + _("[%(count)d more characters: see the XLSX export]") % {
        "count": len(text) - limit}


def comment_table_pdf(project):
    # WeasyPrint needs Pango and is slow to import: only the PDF worker imports it.
    from weasyprint import HTML

    html = render_to_string("lifecycle/projects/comment_table_pdf.html", {
        "project": project, "columns": columns(),
        "rows": [[bounded(cell) for cell in row] for row in rows(project)],
        "exported": timezone.localtime(),
    })
    return HTML(string=html).write_pdf()


def comment_table_document(params, progress):
    """The job's builder: the comment resolution table of project ``params["project"]``."""
    project = Project.objects.get(pk=params["project"])
    progress(0.1)
    return Built(comment_table_pdf(project), subject=project.title)


def dashboard_context(root_id=None, links=True):
    figures = dashboard_figures(default_root(root_id))
    return {
        "figures": figures,
        "charts": dashboard_charts(figures, links=links),
        "organization": figures.root.organization,
        "overdue_projects_url": overdue_projects_url(),
        "root_query": f"?root={figures.root.pk}" if root_id else "",
        "generated": timezone.localtime(),
    }


def dashboard_document(params, progress):
    """The job's builder: the dashboard as an A4 landscape PDF. Links in its tables are made
    absolute against ``params["base_url"]`` (the site the request came to), so they still
    lead somewhere from the file."""
    # WeasyPrint needs Pango and is slow to import: only the PDF worker imports it.
    from weasyprint import HTML

    context = dashboard_context(params.get("root"), links=False)
    progress(0.2)
    html = render_to_string("lifecycle/dashboard/dashboard_pdf.html", context)
    progress(0.4)
    pdf = HTML(string=html, base_url=params.get("base_url") or None).write_pdf()
    return Built(pdf, day=context["figures"].today)
