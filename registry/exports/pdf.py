"""The system table as PDF in the GB/T 13016 shape: cover, structure diagram, detail table,
statistics table, compilation notes; page "N / M" and export date in the footer."""

from django.template.loader import render_to_string
from django.utils import timezone

from registry.models import CompilationNotes, NodeKind
from registry.table_data import columns, detail_rows, statistics

from .diagram import structure_svg

WIDTHS = {"seq": 5, "code": 8, "number": 17, "title": 27, "level": 7, "implemented_on": 10,
          "replaces": 10, "status": 8, "remarks": 8}


def render_html(data, english=False):
    keys = [key for key, _label in columns()]
    rows = detail_rows(data, english)
    for row in rows:
        row.cells = row.values(keys)
    top = data.rows[0].node if data.rows else data.root
    notes = CompilationNotes.objects.filter(root__path=top.path[:top.steplen]).first()
    return render_to_string("registry/exports/system_table.html", {
        "organization": data.organization,
        "subtree": "" if top.kind == NodeKind.ROOT else f"{top.code} {top.name}",
        "moment": data.moment, "exported": timezone.localtime(), "english": english,
        "columns": columns(), "widths": [(k, WIDTHS.get(k, 10)) for k in keys],
        "rows": rows, "stats": statistics(data, english),
        "diagram": structure_svg(data, english), "notes": notes.text if notes else "",
    })


def to_pdf(data, english=False):
    from weasyprint import HTML

    return HTML(string=render_html(data, english)).write_pdf()
