"""Standard texts (issue "Write the standard in the registry"): the editor's element save,
the editor page (the outline) of a 40-page standard and of one twice its size, and the DOCX
and PDF layouts.

Run: ``.venv/bin/python bench/texts.py`` (SQLite) or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench`` (a throw-away test
database is created and dropped). ``--runs N`` (default 30).

The document: 10 chapters after 1 范围, 2 规范性引用文件 (12 references) and 3 术语和定义
(24 entries), each chapter with 4 subclauses of 8 paragraphs, a list, a note, an example
and a table, two annexes with a figure, and 参考文献 — about 640 parts, the size of a
40-page standard. Times are the server's through Django's test client (no network); the
element save is one htmx POST as the editor sends it, with its history row.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from texts.rules.structure import (  # noqa: E402
    DASH,
    LETTER,
    Annex,
    Clause,
    Document,
    Example,
    Figure,
    ListItem,
    Note,
    Paragraph,
    Table,
    TermEntry,
)

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d7"
    "63f8ffff3f0005fe02fea7d6a4ea0000000049454e44ae426082")

REFERENCES = ["GB/T 1.1—2020 标准化工作导则　第1部分：标准化文件的结构和起草规则",
              "GB/T 13016—2018 标准体系构建原则和要求",
              "GB/T 13017—2018 企业标准体系表编制指南",
              "GB/T 15624—2011 服务标准化工作指南",
              "GB/T 19273—2017 企业标准化工作　评价与改进",
              "GB/T 20000.1—2014 标准化工作指南　第1部分：标准化和相关活动的通用术语",
              "GB/T 24421.1—2023 服务业组织标准化工作指南　第1部分：基本要求",
              "GB/T 24421.2—2023 服务业组织标准化工作指南　第2部分：标准体系构建",
              "GB/T 24421.3—2023 服务业组织标准化工作指南　第3部分：标准编制",
              "GB/T 24421.4—2023 服务业组织标准化工作指南　第4部分：标准实施及评价",
              "GB/T 32621—2016 社会保险服务标准体系",
              "GB/T 35274—2017 信息安全技术　大数据服务安全能力要求"]


def forty_pages(chapters=10) -> Document:
    paragraph = ("经办机构应按照本文件的规定，结合本地区社会保险经办服务的实际，建立并保持"
                 "服务提供、服务保障和服务评价的工作机制，明确岗位职责和办理时限。")
    clauses = [
        Clause("范围", [Paragraph("本文件规定了社会保险服务标准化工作的基本原则、管理要求、"
                                  "标准体系、标准编写、实施与评价。")]),
        Clause("规范性引用文件", [Paragraph("下列文件中的内容通过文中的规范性引用而构成本文件"
                                            "必不可少的条款。")]
               + [Paragraph(reference) for reference in REFERENCES]),
        Clause("术语和定义", [Paragraph("下列术语和定义适用于本文件。")] + [
            TermEntry(f"社会保险服务术语{n}", definition=paragraph[:40], english=f"term {n}",
                      notes=["本条的注。"], source="GB/T 32621—2016, 3.1")
            for n in range(1, 25)]),
    ]
    for chapter in range(chapters):
        subclauses = []
        for sub in range(4):
            elements = [Paragraph(paragraph) for _ in range(8)]
            elements += [ListItem("服务窗口设置应合理。", LETTER) for _ in range(3)]
            elements += [ListItem("办事指南。", DASH) for _ in range(2)]
            elements += [Note("服务时限按工作日计算。"), Example("参保登记、待遇核定。"),
                         Table("服务事项与时限", [["事项", "时限"]]
                               + [[f"事项{n}", f"{n}个工作日"] for n in range(8)])]
            subclauses.append(Clause(f"第{sub + 1}项要求", elements))
        clauses.append(Clause(f"服务要求{chapter + 1}", subclauses=subclauses))
    process = [Clause("受理", [Paragraph(paragraph)]), Clause("办结", [Paragraph(paragraph)])]
    annexes = [Annex("服务流程", True,
                     [Paragraph(paragraph), Figure("服务流程图", PNG, "f.png")], process),
               Annex("服务评价表", False,
                     [Table("评价指标", [["指标", "分值"], ["满意度", "40"]])])]
    return Document(number="DB6523/T 370—2023", title="社会保险服务标准化工作指南",
                    title_en="Guidance for social insurance services standardization",
                    ics="03.080", ccs="A 12", issued_on=None, implemented_on=None,
                    issuer="昌吉回族自治州市场监督管理局",
                    foreword=[Paragraph("本文件按照GB/T 1.1—2020的规定起草。")],
                    clauses=clauses, annexes=annexes,
                    bibliography=[Paragraph("[1] GB/T 32621—2016 社会保险服务标准体系")])


def timed(call, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(runs):
    from django.urls import reverse

    from registry.actions.seed import seed_system
    from tests.factories import UserFactory, default_organization
    from texts.actions import AddText
    from texts.models import Part
    from texts.rules.docx_export import write_docx
    from texts.rules.pdf_export import write_pdf
    from texts.storage import load

    seed_system()
    office = UserFactory(username="office", role="office")
    client = Client()
    client.force_login(office)
    print(f"database: {connection.vendor}; {runs} runs each; server time via the test client")

    for chapters, label in ((10, "40 pages"), (20, "80 pages")):
        start = time.perf_counter()
        text = AddText(office, default_organization(), document=forty_pages(chapters)).execute()
        created = time.perf_counter() - start
        count = text.parts.count()
        editor = reverse("texts:edit", args=[text.pk])
        chapter = text.parts.filter(kind=Part.Kind.CLAUSE, parent=None).order_by("position")[5]
        sub = chapter.children.order_by("position").first()
        url = f"{editor}?part={sub.pk}"
        client.get(url)
        p50, p95 = timed(lambda url=url: client.get(url), runs)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{label}: {count} parts (created with history in {created:.1f} s); editor page "
              f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, {len(queries)} queries")
        paragraph = sub.children.filter(kind=Part.Kind.PARAGRAPH).first()
        save = reverse("texts:part_save", args=[text.pk, paragraph.pk])
        counter = iter(range(10**6))

        def post(paragraph=paragraph, save=save, counter=counter):
            version = str(paragraph.history.order_by("-pk").values_list("pk", flat=True)[0])
            response = client.post(save, {
                f"p{paragraph.pk}-body": f"经办机构应建立标准体系（第{next(counter)}次保存）。",
                f"p{paragraph.pk}-loaded_version": version}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200 and b"edit-conflict" not in response.content

        post()
        p50, p95 = timed(post, runs)
        with CaptureQueriesContext(connection) as queries:
            post()
        print(f"{label}: element save p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
              f"{len(queries)} queries (the version lookup of the bench itself included)")
        if chapters == 10:
            document = load(text).document
            p50, _p95 = timed(lambda document=document: write_docx(document), 5)
            print(f"{label}: DOCX layout p50 {p50:.0f} ms")
            p50, _p95 = timed(lambda document=document: write_pdf(document), 3)
            print(f"{label}: PDF layout p50 {p50:.0f} ms")


if __name__ == "__main__":
    main()
