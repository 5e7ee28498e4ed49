"""Files go through Django's storage API only: with an in-memory storage as the default
(no local disk at all, as with an object store), import previews, export results and
project documents are kept, read and downloaded — each download still permission-checked."""

import io

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.urls import reverse

from catalog.models import Standard
from registry.models import ExportJob, ImportJob
from tests.registry.imports.test_imports import _bytes, workbook


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    assert isinstance(default_storage, InMemoryStorage)


def test_import_preview_and_export_through_the_storage_api(seeded, client_for, settings,
                                                          memory_storage):
    client = client_for("office")
    buffer = io.BytesIO(_bytes(workbook(
        [(1, "303-01", "Q/CJSB 101-2026", "机房管理规范", "2026-01-01")])))
    buffer.name = "table.xlsx"
    client.post(reverse("registry:import"), {"file": buffer})
    job = ImportJob.objects.get(kind=ImportJob.Kind.IMPORT_PREVIEW)
    assert job.state == "done" and job.result["ok"], job.message
    assert default_storage.listdir("imports")[1] == [f"{job.upload}.xlsx"]
    client.post(reverse("registry:import"), {"confirm": job.upload, "name": "table.xlsx"})
    assert Standard.objects.get(number="Q/CJSB 101—2026").placements.exists()
    assert default_storage.listdir("imports")[1] == []  # deleted once imported

    admin = client_for("admin")
    admin.post(reverse("registry:exportjob_add"), {"fmt": "csv", "lang": "en"})
    export = ExportJob.objects.get(kind=ExportJob.Kind.EXPORT)
    assert export.state == "done" and default_storage.exists(export.file.name)
    download = admin.get(reverse("registry:exportjob_download", args=[export.pk]))
    assert b"".join(download.streaming_content).startswith("\ufeff".encode())
    # Another user may not fetch it, wherever it is stored.
    other = client_for("viewer").get(reverse("registry:exportjob_download", args=[export.pk]))
    assert other.status_code == 403
