from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from registry.rules.documents import JobDocument
from registry.rules.links import Link


class TextsConfig(AppConfig):
    """A standard's text in the GB/T 1.1-2020 structure: the document, its numbering, the
    DOCX import and the drafting checks (clause 7.3.2: the drafts are written here).

    Above ``catalog`` (references point at catalog standards, found with its number parser)
    and beneath ``lifecycle`` (which links a project to its text). ``rules`` are pure
    (structure, numbering, DOCX in and out, PDF, checks); ``storage`` turns the rows into a
    structure and back; every write is an action (``texts.actions``)."""

    name = "texts"
    verbose_name = _("Standard texts")

    # What the office may add, change and delete (registry.rules.roles reads it).
    office_editable = ("text", "part")
    # Whose record each tracked model's audit log lines are (audit/log.py).
    log_organizations = {"text": "organization_id", "part": "text.organization_id",
                         "draft": "text.organization_id",
                         "draftfile": "draft.text.organization_id"}
    # Every tracked model of the app has a history page (/history/texts.<model>/<pk>/).
    history_models = "__all__"
    # A text's history page shows the changes of its parts too (audit.views).
    history_links = {"texts.text": (("texts.part", ("text_id",)),
                                    ("texts.draft", ("text_id",)))}
    # A published standard's page offers its text (read, or imported from DOCX).
    object_links = {
        "catalog.standard": (
            Link("records", "texts:standard_text", _("Text of the standard"),
                 "texts.view_text", html_id="standard-text"),
        ),
    }
    # The text as Word and PDF files, laid out by a worker (registry.rules.documents): Word
    # on the default queue, PDF on the PDF queue with its bounded concurrency.
    job_documents = (
        JobDocument("texts.docx", _("Standard text (Word)"), "texts.view_text",
                    "texts.jobs.docx_document", extension="docx", pdf=False),
        JobDocument("texts.pdf", _("Standard text (PDF)"), "texts.view_text",
                    "texts.jobs.pdf_document"),
        # A frozen draft's files (clause 7.3.2): generated once, kept with their digest.
        JobDocument("texts.draft_docx", _("Frozen draft (Word)"), "texts.view_text",
                    "texts.jobs.draft_docx_document", extension="docx", pdf=False),
        JobDocument("texts.draft_pdf", _("Frozen draft (PDF)"), "texts.view_text",
                    "texts.jobs.draft_pdf_document"),
    )
