"""The PDF is laid out in parts by worker processes and joined: page numbers run on across
parts, the cover carries the total, every row appears exactly once."""

import re
import subprocess
from types import SimpleNamespace

import pytest

from catalog.models import Standard
from registry.rules.exports import pdf
from registry.rules.exports.formats import export
from registry.rules.tree.table_data import live_data

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pages_text(content, tmp_path):
    path = tmp_path / "table.pdf"
    path.write_bytes(content)
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout)[1])
    return [subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


def test_split_keeps_every_row_once_and_cuts_at_category_changes(monkeypatch):
    # 20 categories, each a heading and 6 rows: every cut can move to a category's heading.
    items = []
    for category in range(20):
        items.append(pdf.Heading(f"c{category}", "subgroup"))
        items += [SimpleNamespace(seq=category * 6 + n) for n in range(6)]
    monkeypatch.setattr(pdf, "PART_ROWS", 40)
    parts = pdf.split(items)
    assert len(parts) == 4
    assert [item for part in parts for item in part] == items
    assert all(isinstance(part[0], pdf.Heading) for part in parts)
    # The first part also carries the cover and the diagram, so it is the shortest.
    assert len(parts[0]) < min(len(part) for part in parts[1:])
    assert pdf.split(items[:10]) == [items[:10]]
    # A heavy diagram leaves the first part no rows.
    assert pdf.split(items, head=200)[0] == []


def test_a_cut_never_leaves_a_heading_at_a_parts_end(monkeypatch):
    # Aspect headings only (no category to move the cut to), one row each.
    items = []
    for aspect in range(70):
        items += [pdf.Heading(f"a{aspect}", "aspect"), SimpleNamespace(seq=aspect)]
    monkeypatch.setattr(pdf, "PART_ROWS", 45)
    parts = pdf.split(items, head=0)
    assert len(parts) > 2 and [item for part in parts for item in part] == items
    assert not any(isinstance(part[-1], pdf.Heading) for part in parts)


@pytest.mark.parametrize("part_rows", [300, 30])
def test_pages_are_numbered_across_parts(seeded, tmp_path, monkeypatch, part_rows):
    monkeypatch.setattr(pdf, "PART_ROWS", part_rows)
    pages = pages_text(export(live_data(seeded), "pdf", "en"), tmp_path)
    total = len(pages)
    assert f"Total pages: {total}" in pages[0]
    assert "Page 1 of" not in pages[0]  # the cover has no footer
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text, number
    compact = "".join("".join(pages).split())
    for number in Standard.objects.filter(placements__isnull=False).values_list("number",
                                                                               flat=True):
        assert compact.count(number.replace(" ", "")) >= 1, number
    # The heading of the detail table appears once however many parts it was cut into.
    assert compact.count("2Detailtable") == 1


def test_a_failing_layout_is_reported(seeded, monkeypatch):
    pool = pdf.pdf_workers.Pool(size=1)
    try:
        with pytest.raises(RuntimeError, match="PDF layout failed"):
            pool.render([12345])  # not a document: the layout raises
    finally:
        pool.close()


def test_a_failed_export_stops_the_workers_it_started(seeded):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_system_table", "--format", "pdf", "--node", "999")
    assert pdf.pdf_workers._started is None
