"""Two drafts of a standard's text compared (issue 26): ``compare()`` of a 40-page
standard (bench/texts.py's) with a later draft in which about a tenth of the elements were
edited, three clauses moved, two added and two removed; and the comparison written as a
DOCX with tracked revisions and as a PDF.

Then the differences page itself, end to end through Django's test client: the two drafts
frozen in a project (the 征求意见稿 and the 送审稿, each read back from its JSON), compared
and rendered, with its query count. A throw-away test database is created and dropped
(SQLite, or PostgreSQL with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/x``).

Run: ``.venv/bin/python bench/drafts.py``. ``--runs N`` (default 30) for the comparison and
the page; the DOCX takes 5 runs, the PDF 3 (after one to load the fonts).
"""

import argparse
import copy
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.test")

import django  # noqa: E402

django.setup()  # the PDF's template; the comparison itself needs no Django

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.texts import forty_pages  # noqa: E402
from texts.rules.compare import compare  # noqa: E402
from texts.rules.compare_docx import write_comparison_docx  # noqa: E402
from texts.rules.compare_pdf import write_comparison_pdf  # noqa: E402
from texts.rules.structure import (  # noqa: E402
    Clause,
    ListItem,
    Note,
    Paragraph,
    Table,
    TermEntry,
    all_elements,
    walk,
)

WORDS = ["社会保险", "经办", "应当", "及时", "GB/T 32621—2016", "3个工作日", "办理", "服务"]


def keyed(document):
    """Keys on every part, as the database gives them (a revision copies them)."""
    for index, place in enumerate(walk(document)):
        place.clause.key = f"c{index}"
    for index, element in enumerate(all_elements(document)):
        element.key = f"e{index}"
    return document


def edit(text: str, chance: random.Random) -> str:
    """A few words deleted, replaced or inserted at random places."""
    for _ in range(chance.randint(1, 3)):
        at = chance.randrange(len(text) + 1)
        cut = chance.randint(0, 4)
        text = text[:at] + chance.choice(WORDS) + text[at + cut:]
    return text


def next_draft(old, chance: random.Random):
    new = copy.deepcopy(old)
    elements = list(all_elements(new))
    for element in chance.sample(elements, len(elements) // 10):
        if isinstance(element, Table):
            row = chance.randrange(len(element.rows))
            element.rows[row][-1] = edit(element.rows[row][-1], chance)
        elif isinstance(element, TermEntry):
            element.definition = edit(element.definition, chance)
        elif hasattr(element, "text"):
            element.text = edit(element.text, chance)
        else:
            element.title = edit(element.title, chance)
    chapters = new.clauses
    # Three clauses moved: a 条 to another 章, a 条 to the end of its 章, a 章 down.
    chapters[6].subclauses.append(chapters[4].subclauses.pop(1))
    chapters[7].subclauses.append(chapters[7].subclauses.pop(0))
    chapters.insert(10, chapters.pop(5))
    # Two added, two removed.
    chapters[8].subclauses.insert(2, Clause("新增要求", [
        Paragraph("经办机构应建立服务质量回访制度。", key="new-1"),
        ListItem("回访记录应存档。", key="new-2"), Note("回访可采用电话方式。", key="new-3")],
        key="new-c1"))
    chapters.insert(3, Clause("服务原则", [Paragraph("以参保人为中心。", key="new-4")],
                              key="new-c2"))
    del chapters[9].subclauses[3]
    del chapters[11].subclauses[0]
    return new


def timed(call, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    old = keyed(forty_pages())
    new = next_draft(old, random.Random(26))
    parts = sum(1 for _ in walk(old)) + sum(1 for _ in all_elements(old))
    comparison = compare(old, new)
    counts, elements = comparison.counts(), comparison.element_counts()
    print(f"40 pages: {parts} parts; clauses {counts}; elements {elements}")
    p50, p95 = timed(lambda: compare(old, new), args.runs)
    print(f"compare(): p50 {p50:.1f} ms, p95 {p95:.1f} ms ({args.runs} runs)")
    p50, _p95 = timed(lambda: write_comparison_docx(comparison, "征求意见稿", "送审稿"), 5)
    print(f"DOCX of the comparison: p50 {p50:.0f} ms")
    write_comparison_pdf(comparison, "征求意见稿", "送审稿")  # loads the fonts
    p50, _p95 = timed(lambda: write_comparison_pdf(comparison, "征求意见稿", "送审稿"), 3)
    print(f"PDF of the comparison: p50 {p50:.0f} ms")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        page(old, new, args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def page(old, new, runs):
    """The differences page of a project whose 征求意见稿 is ``old`` and 送审稿 ``new``."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from lifecycle.actions.texts import LinkText
    from lifecycle.models import Department, Project
    from registry.actions.seed import seed_system
    from registry.models import Node
    from tests.factories import UserFactory, default_organization
    from texts.actions import FreezeDraft, ReplaceText

    seed_system()
    office = UserFactory(username="office", role="office")
    organization = default_organization()
    department = Department.objects.create(name="社会保险经办科", lead=office,
                                           organization=organization)
    today = timezone.localdate()
    project = Project.objects.create(
        title=old.title, node=Node.objects.get(code="304-09"), department=department,
        leader=office, planned_start=today, planned_end=today + timedelta(days=180),
        created_by=office, organization=organization)
    project = LinkText(office, project, old).execute()
    FreezeDraft(office, project.text, "comment").execute()
    ReplaceText(office, project.text, new, "送审稿").execute()
    FreezeDraft(office, project.text, "review").execute()
    client = Client()
    client.force_login(office)
    url = reverse("lifecycle:draft_compare", args=[project.pk])
    assert client.get(url).status_code == 200
    p50, p95 = timed(lambda: client.get(url), runs)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"differences page ({connection.vendor}): p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
          f"{len(queries)} queries ({runs} runs)")


if __name__ == "__main__":
    main()
