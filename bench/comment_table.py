"""Time to lay out the comment resolution table as PDF for one comment of growing length.

    python bench/comment_table.py 200 5000 20000

Before the table's layout was fixed, 5,000 characters took 144 s here (2 cores); with
``table-layout: fixed`` 1.4 s, and 20,000 characters 2.4 s (the PDF cuts cells at 3,000
characters anyway, lifecycle/rules/exports.py ``PDF_CELL_LIMIT``).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.test")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import HTML  # noqa: E402

from lifecycle.rules.exports import columns  # noqa: E402

SENTENCE = "第4.2条规定的办理时限应明确为工作日，并在服务窗口和网上经办平台同步公示。"


class Project:
    title = "社会保险报表管理规范"


for length in [int(arg) for arg in sys.argv[1:]] or [200, 5000]:
    text = (SENTENCE * (length // len(SENTENCE) + 1))[:length]
    row = [1, "4.2", text, "建议修改", "昌吉州社会保险管理局", "采纳：同意", ""]
    html = render_to_string("lifecycle/projects/comment_table_pdf.html", {
        "project": Project(), "columns": columns(), "rows": [row],
        "exported": timezone.localtime()})
    start = time.perf_counter()
    HTML(string=html).write_pdf()
    print(f"{length:>6} characters: {time.perf_counter() - start:.2f} s")
