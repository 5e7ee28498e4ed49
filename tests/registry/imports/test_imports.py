"""The system table in: every problem by row and column, all or nothing, round trip."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from audit.spreadsheets import xlsx_row
from catalog.models import Standard
from registry import tasks
from registry.actions.uploads import stored_upload
from registry.models import ImportJob, Node, Placement
from registry.rules.exports.formats import export
from registry.rules.import_files import ImportFileError, read_tables
from registry.rules.imports import plan_import
from registry.rules.tree.table_data import live_data
from tests.factories import give_role, take_roles


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
    call_command("import_system_table", str(saved(book, tmp_path)), "--dry-run",
                 "--lang", "en")
    # Counts agree with their nouns: one of a kind is singular.
    assert ("0 nodes, 1 new standard, 0 changed standards, 1 placement, 0 supersessions"
            in capsys.readouterr().out)
    assert not Standard.objects.filter(number="Q/CJSB 101—2026").exists()
    call_command("import_system_table", str(saved(book, tmp_path)), "--dry-run",
                 "--lang", "zh-hans")
    assert "0 个节点，1 项新标准，0 项修改，1 项纳入，0 项代替关系" in capsys.readouterr().out


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
    response = client.post(url, {"file": buffer}, follow=True)
    preview = response.context["preview"]
    assert preview["ok"] and [row[1] for row in preview["rows"]][:1] == ["Q/CJSB 101—2026"]
    assert not Standard.objects.filter(number="Q/CJSB 101—2026").exists()  # preview only
    response = client.post(url, {"confirm": response.context["token"], "name": "table.xlsx"})
    assert response.url == ImportJob.objects.get(kind=ImportJob.Kind.IMPORT).get_absolute_url()
    assert Standard.objects.get(number="Q/CJSB 101—2026").placements.exists()


def test_upload_with_problems_cannot_be_confirmed(seeded, client_for):
    client = client_for("office")
    book = workbook([(1, "999", "Q/CJSB 101-2026", "未知", None)])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "bad.xlsx"
    buffer.seek(0)
    response = client.post(reverse("registry:import"), {"file": buffer}, follow=True)
    assert not response.context["preview"]["ok"]
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


def test_formulas_round_trip_as_text(seeded, tmp_path):
    """A title that looks like a formula is text in the XLSX, neutralised in the CSV, and
    both read back to the exact original title."""
    book = workbook([])
    sheet = book.active
    for row in ((1, "303-01", "Q/CJSB 101-2026", "=SUM(A1)", None),
                (2, "303-01", "Q/CJSB 102-2026", "@机房 -管理", None)):
        sheet.append(xlsx_row(sheet, row))
    call_command("import_system_table", str(saved(book, tmp_path)))
    data = live_data(seeded)
    xlsx = load_workbook(io.BytesIO(export(data, "xlsx")))
    cells = [c for row in xlsx.worksheets[0].iter_rows() for c in row if c.value == "=SUM(A1)"]
    assert cells and all(c.data_type == "s" for c in cells)
    assert "'=SUM(A1)" in export(data, "csv").decode("utf-8-sig")
    for fmt in ("xlsx", "csv"):
        assert plan_import(read_tables(export(data, fmt), f"t.{fmt}")).empty
    Standard.objects.filter(number="Q/CJSB 101—2026").update(title="x")
    plan = plan_import(read_tables(export(data, "csv"), "t.csv"))
    assert plan.updates[0][1] == {"title": "=SUM(A1)"}


def test_form_checks_are_problems_in_the_preview(seeded, tmp_path, capsys):
    """Too long a title, a malformed node code, a standard replacing itself and a cycle of
    supersessions: each a problem with its row and column, nothing written, no 500."""
    header = ("序号", "标准体系表编号", "标准编号", "标准名称", "被代替标准号或作废")
    book = workbook([
        (1, "303-01", "Q/CJSB 201-2026", "长" * 256, None),
        (2, "303-01", "Q/CJSB 202-2026", "自我代替", "Q/CJSB 202-2026"),
        (3, "303-02", "Q/CJSB 203-2026", "甲", "Q/CJSB 204-2026"),
        (4, "303-02", "Q/CJSB 204-2026", "乙", "Q/CJSB 203-2026"),
    ], header=header)
    before = Standard.objects.count()
    with pytest.raises(SystemExit):
        call_command("import_system_table", str(saved(book, tmp_path)), "--lang", "en")
    report = capsys.readouterr().err
    assert "row 2, column Standard title: At most 255 characters" in report
    assert "row 3, column Replaced standard or withdrawn: A standard cannot replace itself" \
        in report
    assert "row 5, column Replaced standard or withdrawn" in report and "cycle" in report
    assert "3 problem(s); nothing was written." in report
    assert Standard.objects.count() == before


def test_titles_and_names_with_invisible_characters_are_problems(db, tmp_path, capsys):
    """A right-to-left override in a title or a node name is refused as the forms refuse it."""
    book = Workbook()
    sheet = book.active
    sheet.append(["体系编号", "名称", "上级体系编号"])
    sheet.append(["0", "体系", ""])
    sheet.append(["1", "基础\u202e标准", "0"])
    detail = book.create_sheet("明细表")
    detail.append(["标准体系表编号", "标准编号", "标准名称"])
    detail.append(["0", "GB/T 1.1-2020", "标准化工作导则\u200d第1部分"])
    with pytest.raises(SystemExit):
        call_command("import_system_table", str(saved(book, tmp_path)), "--lang", "en")
    report = capsys.readouterr().err
    assert "row 3, column Name" in report and "U+202E" in report, report
    assert "row 2, column Standard title" in report and "U+200D" in report, report
    assert not Node.objects.exists() and not Standard.objects.exists()


def test_structure_codes_are_checked_like_the_form(db, tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["体系编号", "名称", "上级体系编号"])
    sheet.append(["0", "体系", ""])
    sheet.append(["1 0 0", "子体系", "0"])
    book.create_sheet("明细表").append(["标准体系表编号", "标准编号", "标准名称"])
    with pytest.raises(SystemExit):
        call_command("import_system_table", str(saved(book, tmp_path)), "--lang", "en")
    assert "row 3, column System code" in capsys.readouterr().err


def test_a_zip_bomb_is_refused_before_it_is_expanded(db, tmp_path, settings):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    assert path.stat().st_size < 100 * 1024
    with translation.override("en"), pytest.raises(ImportFileError, match="zip bomb"):
        read_tables(path.read_bytes(), "bomb.xlsx")
    settings.REGISTRY_IMPORT_MAX_UPLOAD = 1024
    with translation.override("en"), pytest.raises(ImportFileError, match="larger than"):
        read_tables(path.read_bytes(), "bomb.xlsx")


def test_withdrawn_status_needs_its_date(seeded, tmp_path, capsys):
    header = ("标准体系表编号", "标准编号", "标准名称", "状态", "废止日期")
    book = workbook([("303-01", "Q/CJSB 301-2020", "已废止", "废止", None)], header=header)
    with pytest.raises(SystemExit):
        call_command("import_system_table", str(saved(book, tmp_path)), "--lang", "en")
    assert "withdrawal date" in capsys.readouterr().err
    book = workbook([("303-01", "Q/CJSB 301-2020", "已废止", "废止", "2024-01-01")],
                    header=header)
    call_command("import_system_table", str(saved(book, tmp_path, "ok.xlsx")))
    standard = Standard.objects.with_status().get(number="Q/CJSB 301—2020")
    assert standard.computed_status == "withdrawn"


def test_an_upload_is_previewed_by_a_job_then_confirmed(seeded, client_for):
    """The preview runs as an export job does (inline in tests): the page shows the job,
    then its preview; confirming imports."""
    client = client_for("office")
    book = workbook([(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01")])
    buffer = io.BytesIO(_bytes(book))
    buffer.name = "table.xlsx"
    response = client.post(reverse("registry:import"), {"file": buffer})
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
    assert response.url == reverse("registry:import_preview", args=[job.pk])
    assert job.state == ImportJob.State.DONE and job.result["ok"]
    page = client.get(response.url)
    assert b"import-confirm" in page.content and "Q/CJSB 101—2026" in page.content.decode()
    assert client_for("admin").get(response.url).status_code == 403  # someone else's job
    client = client_for("office")
    client.post(reverse("registry:import"), {"confirm": job.upload, "name": "table.xlsx"})
    assert Standard.objects.get(number="Q/CJSB 101—2026").placements.exists()


def test_unconfirmed_uploads_are_deleted_after_a_day(seeded, client_for, capsys):
    import os
    import time

    client = client_for("office")
    book = workbook([(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01")])
    buffer = io.BytesIO(_bytes(book))
    buffer.name = "table.xlsx"
    client.post(reverse("registry:import"), {"file": buffer})
    upload = stored_upload(ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW).upload)
    call_command("clean_import_previews", "--lang", "en")
    assert upload.exists()
    old = time.time() - 25 * 3600
    os.utime(default_storage.path(upload.key), (old, old))  # the default FileSystemStorage
    call_command("clean_import_previews", "--lang", "en")
    assert not upload.exists()
    assert "Deleted 1 unconfirmed upload(s)." in capsys.readouterr().out


@pytest.fixture
def queued_only():
    """Tasks wait for the commit, as in production (the test's transaction never commits);
    returns how many wait. The test runs the job itself, as a worker would."""
    from django.db import connection

    from registry.celery import app

    app.conf.task_always_eager = False
    try:
        yield lambda: len(connection.run_on_commit)
    finally:
        app.conf.task_always_eager = True


ROWS = [(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01"),
        (2, "303-02", "Q/CJSB 102-2026", "机房巡检规范", "2026-01-01"),
        (3, "303-03", "Q/CJSB 103-2026", "机房安全规范", "2026-01-01")]
NUMBERS = ["Q/CJSB 101—2026", "Q/CJSB 102—2026", "Q/CJSB 103—2026"]


def previewed(client, settings):
    """An upload, previewed: its token."""
    buffer = io.BytesIO(_bytes(workbook(ROWS)))
    buffer.name = "table.xlsx"
    client.post(reverse("registry:import"), {"file": buffer})
    preview = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
    tasks.run(preview.pk)  # as a worker would
    preview.refresh_from_db()
    assert preview.result["ok"], preview.message
    return preview.upload


def test_a_confirmed_import_is_written_by_a_job(seeded, users, client_for, settings,
                                                      queued_only):
    client = client_for("office")
    token = previewed(client, settings)
    confirm = {"confirm": token, "name": "table.xlsx"}
    waiting = queued_only()  # the preview's task
    response = client.post(reverse("registry:import"), confirm, HTTP_ACCEPT_LANGUAGE="en")
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT)
    assert response.url == job.get_absolute_url()
    # The request only queued it: nothing written yet.
    assert (job.state, job.upload, job.created_by) == ("queued", token, users["office"])
    assert queued_only() == waiting + 1
    assert not Standard.objects.filter(number__in=NUMBERS).exists()
    page = client.get(response.url)
    assert b"hx-trigger" in page.content and "table.xlsx" in page.content.decode()
    # Confirmed again (a double click) while it waits: the same job, not a second import.
    assert client.post(reverse("registry:import"), confirm).url == response.url
    assert queued_only() == waiting + 1
    assert client_for("viewer").get(response.url).status_code == 403  # import permissions
    # The worker writes it, as the user who confirmed it, if they still may.
    office = users["office"]
    take_roles(office)
    stale = ImportJob.objects.create(created_by=office, kind=ImportJob.Kind.IMPORT,
                                     upload=token, lang="en", result={"name": "table.xlsx"})
    tasks.run(stale.pk)
    stale.refresh_from_db()
    assert stale.state == "failed" and "may no longer import" in stale.message
    give_role(office, "office")
    tasks.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == ("done", 100, 1), job.message
    assert job.seconds > 0 and "3 new standards" in job.result["summary"]
    standards = Standard.objects.filter(number__in=NUMBERS)
    assert standards.count() == 3
    row = standards.get(number=NUMBERS[0]).history.get()
    assert (row.history_user.username, row.history_change_reason) == (
        "office", "Import of table.xlsx")
    assert stored_upload(token) is None  # deleted once imported
    page = client_for("office").get(job.get_absolute_url()).content.decode()
    assert 'id="import-done"' in page and "hx-trigger" not in page


def test_an_import_that_fails_while_writing_writes_nothing(
        seeded, client_for, settings, queued_only, monkeypatch):
    client = client_for("office")
    token = previewed(client, settings)
    client.post(reverse("registry:import"), {"confirm": token, "name": "table.xlsx"})
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT)
    nodes, placements = Node.objects.count(), Placement.objects.count()
    # The third placement cannot be written (a database that fails mid-import).
    real_save, saves = Placement.save, []

    def failing_save(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 3:
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Placement, "save", failing_save)
    with pytest.raises(RuntimeError):
        tasks.run(job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "disk full" in job.message
    # All or nothing: not the two standards and placements written before the failure.
    assert len(saves) == 3
    assert not Standard.objects.filter(number__in=NUMBERS).exists()
    assert (Node.objects.count(), Placement.objects.count()) == (nodes, placements)
    assert stored_upload(token) is not None  # kept: it can be confirmed again


def test_an_import_planned_again_with_problems_writes_nothing_and_says_why(
        seeded, client_for, settings, queued_only):
    from django.core.files.base import ContentFile

    client = client_for("office")
    token = previewed(client, settings)
    client.post(reverse("registry:import"), {"confirm": token, "name": "table.xlsx"},
                HTTP_ACCEPT_LANGUAGE="en")
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT)
    # By the time the worker plans it, a row has become invalid (an unknown node).
    key = stored_upload(token).key
    default_storage.delete(key)
    default_storage.save(key, ContentFile(_bytes(workbook(
        [*ROWS, (4, "999-99", "Q/CJSB 104-2026", "机房规范", "2026-01-01")]))))
    tasks.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.message) == ("failed",
                                        "The file has problems now; nothing was written.")
    assert job.result["problems"] and not Standard.objects.filter(number__in=NUMBERS).exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'id="job-failed"' in page and job.result["problems"][0] in page
