"""Downloads: the comment resolution table."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from lifecycle.exports import comment_table_pdf, comment_table_xlsx
from lifecycle.models import Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def comment_table(request, pk, fmt):
    if not request.user.has_perm("lifecycle.view_comment"):
        raise PermissionDenied
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    project = get_object_or_404(Project, pk=pk)
    if fmt == "xlsx":
        response = HttpResponse(comment_table_xlsx(project), content_type=XLSX)
    else:
        response = HttpResponse(comment_table_pdf(project), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="comment-table-{pk}.{fmt}"'
    return response
