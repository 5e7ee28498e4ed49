"""PDFs laid out by a worker (tests/lifecycle/test_pdf_jobs.py) have bounded input: a long
comment neither takes minutes (the table's layout is fixed) nor is laid out beyond a limit
(the XLSX has the full text)."""

import io

from django.urls import reverse
from pypdf import PdfReader

from lifecycle.models import Comment
from lifecycle.rules.exports import PDF_CELL_LIMIT
from registry.models import ExportJob
from tests.security.conftest import make_records

# A real comment's sentence, repeated to the length that took 156 s before.
SENTENCE = "第4.2条规定的办理时限应明确为工作日，并在服务窗口和网上经办平台同步公示。"


def test_a_very_long_comment_is_cut_in_the_pdf_with_a_note(seeded, users, client_for):
    project = make_records(users)
    long_text = (SENTENCE * 300)[:8000]
    Comment.objects.create(project=project, unit="昌吉州社会保险管理局", content=long_text)
    response = client_for("viewer").post(
        reverse("lifecycle:comment_table", args=[project.pk, "pdf"]))
    assert response.status_code == 302  # to the job, run eagerly here
    with ExportJob.objects.get().file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert f"{8000 - PDF_CELL_LIMIT}" in text
    xlsx = client_for("viewer").get(reverse("lifecycle:comment_table", args=[project.pk, "xlsx"]))
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()
             for c in row]
    assert long_text in cells
