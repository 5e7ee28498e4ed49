"""The system table out: CSV, XLSX, PDF (read back as text) and JSON, whole or subtree,
live or as of a date; the export page runs jobs; the compilation notes are kept."""

import csv
import io
import json
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from catalog.models import Standard
from registry.models import CompilationNotes, ExportJob, Node, NodeKind
from registry.rules.exports.formats import export
from registry.rules.exports.pdf import cover_title
from registry.rules.tree.system_table import find_root
from registry.rules.tree.table_data import (
    COLUMNS,
    EXTRA_COLUMNS,
    GROUP_COLUMNS,
    detail_rows,
    live_data,
    statistics,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_detail_rows_cover_every_standard_and_open_aspect(seeded):
    rows = detail_rows(live_data(seeded))
    assert len(rows) == 12 + 116
    assert [r.seq for r in rows] == list(range(1, 129))
    gaps = [r for r in rows if r.gap]
    assert {r.title for r in gaps} == set(
        Node.objects.filter(depth=4).values_list("name", flat=True))
    first = rows[0]
    assert (first.code, first.number, first.subsystem.split()[0]) == ("101", "GB/T 1.1—2020",
                                                                      "100")


def test_statistics_match_the_tree(seeded):
    stats = statistics(live_data(seeded))
    by_code = {c.label.split()[0]: c for c in stats["subsystems"]}
    assert (by_code["100"].expected, by_code["100"].existing) == (12, 12)
    assert (by_code["200"].expected, by_code["200"].existing) == (95, 0)
    assert (by_code["300"].expected, by_code["300"].existing) == (21, 0)
    total = stats["total"]
    assert (total.expected, total.existing, total.percent) == (128, 12, 9.4)
    # Levels and the open aspects add up to the total.
    assert [(c.expected, c.existing) for c in stats["levels"]] == [(12, 12), (116, 0)]
    assert sum(c.expected for c in stats["levels"]) == total.expected


def test_csv_is_utf8_with_bom(seeded):
    content = export(live_data(seeded), "csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    # The GB/T 13016-2018 detail table's columns, then status, withdrawal date and where
    # the row sits (translated labels: the Chinese ones come with the catalogue).
    with translation.override("zh-hans"):
        labels = [str(label) for label in (*COLUMNS.values(), *GROUP_COLUMNS.values(),
                                           *EXTRA_COLUMNS.values())]
    assert rows[0] == labels and rows[0][0] == "序号"
    assert len(rows) == 129
    assert any(row[3] == "工伤医疗费用申报受理" for row in rows)


def test_xlsx_has_both_sheets_with_frozen_headers_and_filters(seeded):
    book = load_workbook(io.BytesIO(export(live_data(seeded), "xlsx")))
    detail, stats, structure = book.worksheets
    assert structure.max_row == 137  # a header and every node, for imports
    assert detail.freeze_panes == "A2" and detail.auto_filter.ref.startswith("A1:")
    assert detail.max_row == 129
    assert detail.column_dimensions["D"].width >= 40
    assert stats.freeze_panes == "A2"
    assert any(row[0].value == "合计" for row in stats.iter_rows())


def pdf_text(content, tmp_path):
    path = tmp_path / "table.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_pdf_reads_back_with_every_name_and_number(seeded, tmp_path):
    CompilationNotes.objects.create(root=seeded, text="本体系表依据 DB 6523/T 370-2023 编制。")
    text = pdf_text(export(live_data(seeded), "pdf"), tmp_path)
    compact = "".join(text.split())
    # The cover is titled after the system's own name: 社会保险服务标准体系表 (translated).
    with translation.override("zh-hans"):
        assert "".join(cover_title(seeded.name).split()) in compact
    for node in Node.objects.exclude(depth=1):
        assert "".join(node.name.split()) in compact, node.name
    for number in Standard.objects.filter(placements__isnull=False).values_list("number",
                                                                               flat=True):
        assert number.replace(" ", "") in compact, number
    assert "本体系表依据" in compact
    assert "128" in compact and "9.4" in compact  # the statistics


def test_pdf_in_english(seeded, tmp_path):
    text = pdf_text(export(live_data(seeded), "pdf", "en"), tmp_path)
    assert "Structure diagram" in text and "Statistics table" in text


def test_command_exports_every_format_for_a_subtree(seeded, tmp_path):
    for fmt in ("json", "csv", "xlsx", "pdf"):
        output = tmp_path / f"t.{fmt}"
        call_command("export_system_table", "--format", fmt, "--output", str(output),
                     "--node", "303")
        assert output.stat().st_size > 0
    data = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert data["system"]["code"] == "303" and len(data["system"]["children"]) == 5


def test_command_as_of_a_date_before_the_system_existed(seeded):
    with pytest.raises(CommandError, match="existed"):
        call_command("export_system_table", "--as-of", "2000-01-01", "--lang", "en")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_system_table", "--as-of", "yesterday", "--lang", "en")


def test_as_of_export_shows_the_past(seeded, office, tmp_path):
    from django.utils import timezone

    from registry.actions import ChangeNode
    from registry.rules.tree.table_data import as_of_data

    before = timezone.now()
    ChangeNode(office, Node.objects.get(code="303-04"), "改名", name="网络运维管理").execute()
    past = json.loads(export(as_of_data(before), "json"))
    names = json.dumps(past, ensure_ascii=False)
    assert "网络管理" in names and "网络运维管理" not in names
    assert past["as_of"]


def test_export_page_runs_a_job_for_those_allowed(seeded, client_for):
    assert client_for("office").get(reverse("registry:exportjob_add")).status_code == 403
    client = client_for("admin")
    response = client.post(reverse("registry:exportjob_add"), {"fmt": "csv", "lang": "zh-hans"})
    job = ExportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.state == "done" and job.progress == 100
    download = client.get(reverse("registry:exportjob_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith("\ufeff".encode())
    status = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert b'id="job-status"' in status.content and b"hx-trigger" not in status.content


def test_compilation_notes_are_versioned(seeded, client_for):
    client = client_for("office")
    url = reverse("registry:compilationnotes_edit")
    assert client.post(url, {"text": "第一版"}).status_code == 200  # a reason is required
    client.post(url, {"text": "第一版", "reason": "起草"})
    client.post(url, {"text": "第二版", "reason": "修改"})
    notes = CompilationNotes.objects.get()
    assert notes.text == "第二版"
    assert list(notes.history.order_by("history_date").values_list("text", flat=True)) == [
        "第一版", "第二版"]
    assert find_root().kind == NodeKind.ROOT
