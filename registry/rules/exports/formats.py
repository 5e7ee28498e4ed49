"""The export formats: ``export(data, fmt, lang)`` returns the file's bytes in one of
``FORMATS``."""

import json

from django.utils import translation

from registry.rules.tree.system_table import system_table

from . import pdf_workers
from .pdf import to_pdf
from .tabular import to_csv, to_xlsx

FORMATS = ("pdf", "xlsx", "csv", "json")


def prepare(fmt):
    """Call before loading the data: a PDF export forks its layout processes now, so their
    start-up overlaps the queries."""
    if fmt == "pdf":
        pdf_workers.start()


def unprepare():
    """The export failed before it ran: stop what ``prepare`` started."""
    pdf_workers.cancel()


def export(data, fmt, lang="zh-hans", progress=None):
    """``progress(fraction)`` is called as a PDF's parts are laid out."""
    english = lang == "en"
    with translation.override(lang):
        if fmt == "csv":
            return to_csv(data, english)
        if fmt == "xlsx":
            return to_xlsx(data, english)
        if fmt == "pdf":
            return to_pdf(data, english, progress)
        if fmt == "json":
            return (json.dumps(system_table(data), ensure_ascii=False, indent=2) + "\n").encode()
    raise ValueError(fmt)
