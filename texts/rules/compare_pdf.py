"""A comparison of two drafts (``texts.rules.compare``) as an A4 PDF report, with
WeasyPrint: the same report as the DOCX one, words inserted underlined and words deleted
struck through, each in its colour.

The fonts and the lean user-agent stylesheet are the standard's PDF ones
(``pdf_export``): Noto Serif CJK SC for 宋体, Noto Sans CJK SC for 黑体, both regular,
loaded once per process. The template autoescapes everything: it is all user text.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from texts.rules.compare import (
    ADDED,
    LABELS,
    REMOVED,
    Comparison,
    clause_line,
    counts_line,
    element_marks,
)
from texts.rules.pdf_export import render_pdf

TEMPLATE = "texts/pdf/comparison.html"


def comparison_context(comparison: Comparison, old_title: str, new_title: str,
                       heading: str = "", labels: dict | None = None) -> dict:
    """What comparison.html prints, the lines made as the DOCX report makes them."""
    labels = {**LABELS, **(labels or {})}
    clauses = []
    for clause in comparison.changed():
        retitled = clause.status not in (ADDED, REMOVED) and clause.old_title != clause.new_title
        clauses.append({
            "line": clause_line(clause, labels),
            "depth": min(clause.depth, 3),
            "status": clause.status,
            "title_diff": clause.title_diff if retitled else None,
            "elements": [{"status": element.status,
                          "prefix": element.label + element_marks(element, labels, clause),
                          "diff": element.diff}
                         for element in clause.changed_elements()],
        })
    cover = [{"label": labels.get(change.field, change.field), "diff": change.diff}
             for change in comparison.cover]
    return {"heading": heading or labels["heading"], "old_title": old_title,
            "new_title": new_title, "counts": counts_line(comparison, labels),
            "labels": labels, "cover": cover, "clauses": clauses}


def comparison_html(comparison: Comparison, old_title: str, new_title: str,
                    heading: str = "", labels: dict | None = None) -> str:
    """The HTML (with its stylesheet) that :func:`write_comparison_pdf` lays out."""
    return render_to_string(TEMPLATE, comparison_context(comparison, old_title, new_title,
                                                         heading, labels))


def write_comparison_pdf(comparison: Comparison, old_title: str, new_title: str,
                         heading: str = "", labels: dict | None = None) -> bytes:
    """The comparison as an A4 PDF report."""
    # WeasyPrint itself is imported at the first PDF (pdf_export's loader).
    return render_pdf(comparison_html(comparison, old_title, new_title, heading, labels))
