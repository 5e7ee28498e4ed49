from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lifecycle.choices import DocumentKind
from lifecycle.models import Department, Document, Project
from registry.models import Node

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="doc.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def department(users):
    return Department.objects.create(name="社会保险经办科", lead=users["lead"])


@pytest.fixture
def make_project(seeded, users, department):
    def make(level="organization", code="304-09", **fields):
        return Project.objects.create(
            title=fields.pop("title", "社会保险报表管理规范"), level=level,
            node=Node.objects.get(code=code), department=department, leader=users["office"],
            planned_start=timezone.localdate(),
            planned_end=timezone.localdate() + timedelta(days=180),
            created_by=users["office"], **fields,
        )

    return make


def attach(project, *kinds, user=None):
    """Documents as the upload page stores them (test shortcut)."""
    for kind in kinds:
        version = project.documents.filter(kind=kind).count() + 1
        document = Document(project=project, kind=kind, stage=project.stage, version=version,
                            original_name=f"{kind}.pdf", file_format="pdf", size=len(PDF),
                            uploaded_by=user or project.leader)
        document.file.save("upload", ContentFile(PDF), save=False)
        document.save()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


__all__ = ["DocumentKind", "attach", "pdf_upload"]


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions below match the English msgids of the state machine's messages."""
    from django.utils import translation

    with translation.override("en"):
        yield
