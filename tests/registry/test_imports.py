"""The system table in: every problem by row and column, all or nothing, round trip."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from catalog.models import Standard
from registry.exports import export
from registry.import_files import read_tables
from registry.imports import plan_import
from registry.models import Node, Placement
from registry.table_data import live_data


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def workbook(rows, header=("序号", "体系编号", "标准号", "标准名称", "实施日期")):
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    return book


def saved(book, tmp_path, name="table.xlsx"):
    path = tmp_path / name
    book.save(path)
    return path


def test_every_bad_row_is_listed_and_nothing_is_written(seeded, tmp_path, capsys):
    book = workbook([
        (1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01"),   # fine
        (2, "999", "Q/CJSB 102-2026", "未知节点", None),                   # unknown node
        (3, "303-02", "XYZ 12", "号码错误", None),                         # malformed number
        (4, "303-01", "q/cjsb101-2026", "重复", None),                     # duplicate
        (5, "", "Q/CJSB 103-2026", "缺体系编号", None),                    # missing code
        (6, "303-03", "Q/CJSB 104-2026", "", None),                        # missing title
        (7, "303-04", "Q/CJSB 105-2026", "日期错误", "明年"),              # bad date
    ])
    before = (Standard.objects.count(), Placement.objects.count())
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_system_table", str(saved(book, tmp_path)))
    assert exit_info.value.code == 1
    report = capsys.readouterr().err
    for row in (3, 4, 5, 6, 7, 8):
        assert f"row {row}," in report or f"第 {row} 行" in report, report
    assert "XYZ" in report and "999" in report
    assert (Standard.objects.count(), Placement.objects.count()) == before


def test_dry_run_writes_nothing(seeded, tmp_path, capsys):
    book = workbook([(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01")])
    call_command("import_system_table", str(saved(book, tmp_path)), "--dry-run")
    assert "1 new standards" in capsys.readouterr().out
    assert not Standard.objects.filter(number="Q/CJSB 101—2026").exists()


def test_import_places_standards_with_history(seeded, tmp_path, users):
    book = workbook([(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01")])
    call_command("import_system_table", str(saved(book, tmp_path)), "--user", "office")
    standard = Standard.objects.get(number="Q/CJSB 101—2026")
    assert standard.placements.get().node.code == "303-01"
    assert standard.history.get().history_user.username == "office"


def test_round_trip_into_an_empty_system(seeded, tmp_path):
    exported = export(live_data(seeded), "xlsx")
    before = export(live_data(seeded), "csv")
    # Empty the system (bypassing the actions, which keep a tree's root).
    Placement.objects.all().delete()
    Standard.objects.filter(terms__isnull=True, sourced_terms__isnull=True,
                            cited_by__isnull=True, citation_links__isnull=True).delete()
    Node.objects.all().delete()
    path = tmp_path / "exported.xlsx"
    path.write_bytes(exported)
    call_command("import_system_table", str(path))
    root = Node.objects.get_root_nodes().get()
    assert export(live_data(root), "csv") == before


def test_upload_preview_then_confirm(seeded, client_for, tmp_path):
    client = client_for("office")
    url = reverse("registry:import")
    book = workbook([(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01")])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "table.xlsx"
    buffer.seek(0)
    response = client.post(url, {"file": buffer})
    plan = response.context["plan"]
    assert plan.ok and len(plan.standards) == 1
    assert not Standard.objects.filter(number="Q/CJSB 101—2026").exists()  # preview only
    response = client.post(url, {"confirm": response.context["token"], "name": "table.xlsx"})
    assert response.status_code == 302
    assert Standard.objects.get(number="Q/CJSB 101—2026").placements.exists()


def test_upload_with_problems_cannot_be_confirmed(seeded, client_for):
    client = client_for("office")
    book = workbook([(1, "999", "Q/CJSB 101-2026", "未知", None)])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "bad.xlsx"
    buffer.seek(0)
    response = client.post(reverse("registry:import"), {"file": buffer})
    assert not response.context["plan"].ok
    assert b"import-confirm" not in response.content
    assert client_for("viewer").get(reverse("registry:import")).status_code == 403


def test_plan_reads_english_headers(seeded):
    book = workbook([(1, "303-01", "Q/CJSB 101-2026", "Machine room", "2026-01-01")],
                    header=("No.", "System code", "Standard number", "Standard title",
                            "Implementation date"))
    assert len(plan_import(read_tables(_bytes(book))).standards) == 1


def _bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
