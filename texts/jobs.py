"""The builders of a text's Word and PDF files, run by a worker as registry jobs
(``registry.rules.documents``; declared on ``TextsConfig.job_documents``, queued by the
text's page and the API with ``params={"text": pk}``).

The worker acts in the organization the job was asked in, and the page that queued it has
checked that the text is readable there; the text is read with the base manager, as a
worker reads a job's records."""

from registry.rules.documents import Built
from texts.models import Text
from texts.rules.docx_export import write_docx
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
