"""Writers of the system table: one module per format, all reading ``SystemData``.

``export(data, fmt, english)`` returns the bytes and the file extension."""

from django.utils import translation

FORMATS = ("pdf", "xlsx", "csv", "json")


def prepare(fmt):
    """Call before loading the data: a PDF export forks its layout processes now, so their
    start-up overlaps the queries."""
    if fmt == "pdf":
        from .pdf_workers import start

        start()


def unprepare():
    """The export failed before it ran: stop what ``prepare`` started."""
    from .pdf_workers import cancel

    cancel()


def export(data, fmt, lang="zh-hans", progress=None):
    """``progress(fraction)`` is called as a PDF's parts are laid out."""
    english = lang == "en"
    with translation.override(lang):
        if fmt == "csv":
            from .tabular import to_csv

            return to_csv(data, english)
        if fmt == "xlsx":
            from .tabular import to_xlsx

            return to_xlsx(data, english)
        if fmt == "pdf":
            from .pdf import to_pdf

            return to_pdf(data, english, progress)
        if fmt == "json":
            import json

            from registry.rules.tree.system_table import system_table

            return (json.dumps(system_table(data), ensure_ascii=False, indent=2) + "\n").encode()
    raise ValueError(fmt)
