"""Import denial of service: a workbook small to upload and huge to read is refused by the
upload request within seconds, in little memory, before openpyxl touches it; reading (in a
worker) never trusts a sheet's declared size, reads only the sheets the import needs, and a
job past its time or memory limit ends failed, saying why."""

import io
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from catalog.models import Standard
from registry.models import ImportJob
from registry.rules.import_files import ImportFileError, check_upload, read_tables
from registry.rules.imports import wanted_sheets
from tests.registry.imports.test_imports import _bytes, workbook
from tests.security.bombs import split_bomb, wide_rows

SECONDS = 5           # from the upload to the refusal
MEMORY = 50 * 2**20   # Python memory the request may take at its peak (the web process's
                      # limit is 300 MB; reading the wide rows took 2.6 GB)
SHEET = "xl/worksheets/sheet1.xml"  # the first sheet of a workbook openpyxl wrote


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, content, name="体系表.xlsx", lang="zh-hans"):
    buffer = io.BytesIO(content)
    buffer.name = name
    return client.post(reverse("registry:import"), {"file": buffer},
                       HTTP_ACCEPT_LANGUAGE=lang)


def refused_quickly_and_small(client, content, message, lang="en", name="体系表.xlsx"):
    """POST ``content`` through the upload page: refused with ``message`` within SECONDS,
    the request's memory peak under MEMORY, no job queued and nothing kept."""
    started = time.perf_counter()
    response = upload(client, content, name, lang)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response  # the form again, with the reason
    assert message in response.content.decode()
    assert elapsed < SECONDS, elapsed
    tracemalloc.start()
    try:
        upload(client, content, name, lang)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY, peak
    assert not ImportJob.objects.exists()
    assert not default_storage.exists("imports") or default_storage.listdir("imports")[1] == []
    return elapsed, peak


def test_the_split_bomb_is_refused_by_the_upload_request(seeded, client_for):
    bomb = split_bomb()
    assert len(bomb) < 250 * 1024  # 60 sheets of 1 MiB less 1 KiB each, as reported
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        sizes = [m.file_size for m in archive.infolist() if "worksheets" in m.filename]
    assert len(sizes) == 60 and max(sizes) < 2**20
    refused_quickly_and_small(client_for("office"), bomb, "would expand to more than 50 MB; it is "
                              "refused as a possible zip bomb")
    refused_quickly_and_small(client_for("office"), bomb, "疑为压缩炸弹，已拒绝", lang="zh-hans")


def test_the_split_bomb_is_refused_by_each_guard_alone(seeded, client_for, settings):
    client = client_for("office")
    settings.REGISTRY_IMPORT_MAX_UNCOMPRESSED = 2**30
    refused_quickly_and_small(client, split_bomb(), "The workbook has more than 20 sheets")
    # Within the sheet limit, the cells of all the sheets together: counted by reading the
    # XML as a stream, stopped at the limit (in time proportional to it: about 2 s for the
    # default million on a busy machine; half that here).
    settings.REGISTRY_IMPORT_MAX_SHEETS = 100
    settings.REGISTRY_IMPORT_MAX_CELLS = 500_000
    refused_quickly_and_small(client, split_bomb(), "The file has more than 500,000 cells")
    refused_quickly_and_small(client, split_bomb(), "该文件超过 500,000 个单元格",
                              lang="zh-hans")


def test_the_wide_rows_are_refused_by_the_upload_request(seeded, client_for):
    """20,000 rows with a cell in column XFD: 0.2 MB uploaded, 327 million cells for
    openpyxl (16,384 per row), which took 2.6 GB."""
    bomb = wide_rows()
    assert len(bomb) < 250 * 1024
    refused_quickly_and_small(client_for("office"), bomb, "The file has more than 1,000,000")


def test_a_csv_is_bounded_too(seeded, client_for, settings):
    client = client_for("office")
    wide = ("体系编号," * 5000 + "\n").encode()
    refused_quickly_and_small(client, wide, "Row 1 has 5001 columns, more than 200",
                              name="体系表.csv")
    settings.REGISTRY_IMPORT_MAX_CELLS = 10_000
    long = "".join(f"303-01,Q/CJSB {n}-2026,机房管理规范\n" for n in range(5000)).encode()
    refused_quickly_and_small(client, long, "The file has more than 10,000 cells",
                              name="体系表.csv")


def test_a_dtd_is_refused(db):
    """Entity expansion would happen inside openpyxl's parser: a workbook never has a DTD."""
    content = with_sheet(_bytes(workbook([("303-01", "Q/CJSB 101-2026")])),
                         lambda xml: b'<!DOCTYPE w [<!ENTITY a "aaaaaaaa">]>' + xml)
    with translation.override("en"), pytest.raises(ImportFileError, match="cannot be read"):
        check_upload(content, "t.xlsx")


def with_sheet(content, change):
    """The workbook ``content`` with its first sheet's XML rewritten by ``change``."""
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member.filename, change(data) if member.filename == SHEET else data)
    return result.getvalue()



def rewritten(content, change):
    """The workbook ``content`` with ``change(data, local, central, start)`` applied to its
    bytes: the offsets of its first sheet's local header, its central directory entry and
    its compressed data."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        member = archive.getinfo(SHEET)
    name = member.filename.encode()
    local = member.header_offset
    start = local + 30 + len(name) + int.from_bytes(data[local + 28:local + 30], "little")
    central = data.index(b"PK\x01\x02", start)
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    change(data, local, central, start)
    return bytes(data)


def test_a_part_zipfile_cannot_read_is_refused_by_name(seeded, client_for):
    """A method other than store and deflate, or an encrypted part: refused before any part is
    expanded, naming the part, in both languages."""
    import struct

    content = _bytes(workbook([("303-01", "Q/CJSB 101-2026")]))

    def method(data, local, central, start):  # 99: AES, which zipfile cannot expand
        struct.pack_into("<H", data, local + 8, 99)
        struct.pack_into("<H", data, central + 10, 99)

    def encrypted(data, local, central, start):  # flag bit 0
        data[local + 6] |= 1
        data[central + 8] |= 1

    client = client_for("office")
    for change in (method, encrypted):
        bad = rewritten(content, change)
        with zipfile.ZipFile(io.BytesIO(bad)) as archive:  # what the change did
            member = archive.getinfo(SHEET)
            assert member.compress_type == 99 or member.flag_bits & 1
        refused_quickly_and_small(client, bad, f"The part {SHEET} of the workbook is "
                                  "encrypted or compressed in a way an XLSX file never is")
        refused_quickly_and_small(client, bad, f"工作簿的部件 {SHEET} 经过加密",
                                  lang="zh-hans")


def test_a_damaged_deflate_stream_is_refused(seeded, client_for):
    """A byte 0xFF where a deflate block starts (block type 3, which does not exist): zlib
    fails before any checksum is compared; the upload is refused, not an error page."""
    content = _bytes(workbook([("303-01", "Q/CJSB 101-2026")]))

    def damaged(data, local, central, start):
        data[start] = 0xFF

    bad = rewritten(content, damaged)
    with zipfile.ZipFile(io.BytesIO(bad)) as archive, pytest.raises(zlib.error):
        archive.read(SHEET)
    refused_quickly_and_small(client_for("office"), bad,
                              "This file cannot be read as an XLSX workbook.")
    refused_quickly_and_small(client_for("office"), bad, "无法将此文件读取为 XLSX 工作簿。",
                              lang="zh-hans")



def test_a_sheet_cut_short_ends_its_preview_failed_saying_why(seeded, client_for):
    """Its XML well-formed up to where it stops: past the upload's checks, openpyxl fails in
    the job, which ends failed with the reason, not with the parser's error."""
    content = with_sheet(_bytes(workbook([("303-01", "Q/CJSB 101-2026")])),
                         lambda xml: xml[:len(xml) // 2])
    for language, message in (("en", "This file cannot be read as an XLSX workbook."),
                              ("zh-hans", "无法将此文件读取为 XLSX 工作簿。")):
        ImportJob.objects.all().delete()
        upload(client_for("office"), content, lang=language)
        job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
        assert (job.state, job.message) == ("failed", message)

def declaring(content, ref):
    """The workbook ``content`` with its first sheet declaring the dimension ``ref``."""
    import re

    return with_sheet(content, lambda xml: re.sub(rb'<dimension ref="[^"]*"',
                                                  b'<dimension ref="%s"' % ref, xml))


def test_a_declared_dimension_is_never_trusted(seeded, client_for):
    """A sheet declaring A1:XFD1048576 made openpyxl fill every row to 16,384 cells and add
    a million empty rows; its rows are read as they are, and the import works."""
    book = workbook([(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01")])
    content = declaring(_bytes(book), b"A1:XFD1048576")
    assert [len(row) for _title, rows in read_tables(content, "t.xlsx") for row in rows] == [5, 5]
    client = client_for("office")
    response = upload(client, content, lang="en")
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
    assert response.url == job.get_absolute_url()
    assert job.state == "done" and job.result["ok"], job.message
    client.post(reverse("registry:import"), {"confirm": job.upload, "name": "t.xlsx"})
    assert Standard.objects.get(number="Q/CJSB 101—2026").placements.exists()


def test_only_the_sheets_the_import_needs_are_read(db):
    book = workbook([(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01")])
    notes = book.create_sheet("说明")
    for n in range(3000):
        notes.append([f"第 {n} 行说明"])
    tables = read_tables(_bytes(book), "t.xlsx", wanted=wanted_sheets)
    assert [(title, len(rows)) for title, rows in tables] == [("Sheet", 2), ("说明", 1)]
    assert len(read_tables(_bytes(book), "t.xlsx")[1][1]) == 3000  # without ``wanted``


def test_a_preview_job_past_its_memory_ends_failed_saying_why(seeded, client_for, settings):
    """Past the request's checks (their limits raised here), reading in the job meets the
    job's own memory limit: the job ends failed with the reason, and the worker goes on."""
    import resource

    settings.REGISTRY_IMPORT_MAX_CELLS = 10**9
    settings.REGISTRY_IMPORT_JOB_MEMORY_MB = 64
    before = resource.getrlimit(resource.RLIMIT_AS)
    # Under the detail table's header (the sheet is read), 2,000 × 16,384 cells: 250 MB.
    upload(client_for("office"), wide_rows(2000, header=("体系编号", "标准号", "标准名称")),
           lang="en")
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
    assert job.state == "failed" and job.progress == 100
    assert job.message == ("Reading this file needed more than 64 MB of memory; it was "
                           "stopped. A system table needs far less: please check the file.")
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # restored for the next job
    page = client_for("office").get(job.get_absolute_url()).content.decode()
    assert "needed more than 64 MB" in page and "hx-trigger" not in page


def test_a_job_past_its_time_ends_failed_saying_why(seeded, client_for, settings):
    settings.REGISTRY_IMPORT_JOB_SECONDS = 0
    rows = [(n, "303-01", f"Q/CJSB {1000 + n}-2026", "机房管理规范", "2026-01-01")
            for n in range(1500)]
    upload(client_for("office"), _bytes(workbook(rows)), lang="en")
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
    assert (job.state, job.message) == ("failed", (
        "Checking this file took more than 0 seconds; it was stopped. A system table is read "
        "far faster: please check the file."))
    assert not Standard.objects.filter(number="Q/CJSB 1000—2026").exists()


def test_import_jobs_are_queued_with_celerys_time_limits(seeded, client_for, settings,
                                                        monkeypatch,
                                                        django_capture_on_commit_callbacks):
    """Past the job's own deadline, Celery's soft then hard limit stop the task."""
    from registry import tasks
    from registry.celery import app

    settings.REGISTRY_IMPORT_JOB_SECONDS = 120
    queued = []
    monkeypatch.setattr(tasks.run_job, "apply_async",
                        lambda args, **options: queued.append((args, options)))
    app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            upload(client_for("office"), _bytes(workbook([(1, "303-01", "Q/CJSB 101-2026")])))
    finally:
        app.conf.task_always_eager = True
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
    assert queued == [([job.pk], {"soft_time_limit": 150, "time_limit": 180,
                                       "priority": tasks.PRIORITIES["bulk"]})]


def test_a_job_killed_at_the_hard_time_limit_ends_failed(seeded, users):
    """Celery kills the task's process and reports the failure in the worker's main process:
    the job is marked failed there, not left running until the reaper."""
    from billiard.exceptions import TimeLimitExceeded
    from celery import signals

    from registry import tasks

    job = ImportJob.objects.create(created_by=users["office"], lang="en", upload="0" * 32,
                                   kind=ImportJob.Kind.IMPORT_PREVIEW,
                                   state=ImportJob.State.RUNNING)
    signals.task_failure.send(sender=tasks.run_job, task_id="t", exception=TimeLimitExceeded(),
                              args=[job.pk], kwargs={}, traceback=None, einfo=None)
    job.refresh_from_db()
    assert job.state == "failed" and job.message.startswith("Checking this file took more than")
