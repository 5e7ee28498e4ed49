"""The builders of a text's Word and PDF files, run by a worker as registry jobs
(``registry.rules.documents``; declared on ``TextsConfig.job_documents``, queued by the
text's page and the API with ``params={"text": pk}``).

The worker acts in the organization the job was asked in, and the page that queued it has
checked that the text is readable there; the text is read with the base manager, as a
worker reads a job's records."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from registry.rules.documents import Built
from texts.actions import AddDraftFile
from texts.models import Draft, DraftFile, Text
from texts.rules.docx_export import write_docx
from texts.rules.proof import name_draft_in_docx
from texts.rules.structure import document_from_dict
from texts.storage import load


def _text(params):
    return Text._base_manager.get(pk=params["text"])


def _subject(text):
    return " ".join(part for part in (text.number, text.title) if part)


def docx_document(params, progress):
    """The job's builder: the text ``params["text"]`` as a Word file (GB/T 1.1-2020
    layout)."""
    text = _text(params)
    document = load(text).document
    progress(0.3)
    content = write_docx(document)
    return Built(content, subject=_subject(text))


def pdf_document(params, progress):
    """The job's builder: the text ``params["text"]`` as a PDF."""
    # WeasyPrint is slow to import and needs Pango: only the PDF worker imports it.
    from texts.rules.pdf_export import write_pdf

    text = _text(params)
    document = load(text).document
    progress(0.2)
    content = write_pdf(document)
    return Built(content, subject=_subject(text))


def _draft_file(params, progress, file_format, write):
    """The file of a frozen draft: generated the first time and kept with its digest
    (``AddDraftFile``), the kept bytes every time after."""
    draft = Draft._base_manager.select_related("text").get(pk=params["draft"])
    kept = DraftFile._base_manager.filter(draft=draft, format=file_format).first()
    if kept is None:
        content = write(document_from_dict(draft.content))
        if file_format == DraftFile.Format.DOCX:
            # The file names its draft: a copy changed later still says what it claims to be.
            content = name_draft_in_docx(content, draft.sha256)
        progress(0.8)
        by = get_user_model()._base_manager.get(pk=params["by"])
        kept = AddDraftFile(by, draft, file_format, content).execute()
    with kept.file.open("rb") as stream:
        content = stream.read()
    return Built(content, subject=f"{_subject(draft.text)} {draft.get_stage_display()}",
                 day=timezone.localdate(draft.frozen_at))


def draft_docx_document(params, progress):
    """The job's builder: the frozen draft ``params["draft"]`` as a Word file, asked by
    the user ``params["by"]`` (who generated it, if it is the first time)."""
    return _draft_file(params, progress, DraftFile.Format.DOCX, write_docx)


def draft_pdf_document(params, progress):
    """The job's builder: the frozen draft ``params["draft"]`` as a PDF."""
    from texts.rules.pdf_export import write_pdf

    return _draft_file(params, progress, DraftFile.Format.PDF, write_pdf)
