"""The import keeps what a table prints with the number (issue 22): the adopted standard,
the edition note, the printed spelling and the editions written after 代替 in the same
cell; it never changes a status without saying so, and a second import of the same file
has nothing to do."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from audit.chain import verify_all
from catalog.models import Standard, Supersession
from registry.models import Node, Placement
from registry.rules.exports.formats import export
from registry.rules.import_files import read_tables
from registry.rules.imports import plan_import, preview
from registry.rules.tree.table_data import live_data

HEADER = ("序号", "标准体系表编号", "标准编号", "标准名称", "实施日期",
          "国际国外标准号及采用关系", "被代替标准号或作废", "状态", "废止日期")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def table(tmp_path, rows, name="table.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    for seq, row in enumerate(rows, start=1):
        sheet.append([seq, *row, *[None] * (len(HEADER) - 1 - len(row))])
    path = tmp_path / name
    book.save(path)
    return path


def imported(path, *options):
    call_command("import_system_table", str(path), "--lang", "en", *options)


def exported_rows(root):
    with translation.override("zh-hans"):
        content = export(live_data(root), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    return {row["标准号"]: row for row in rows}


def test_the_adoption_printed_with_the_number_is_kept_and_exported(seeded, tmp_path):
    path = table(tmp_path, [
        ("303-01", "GB/T 19001-2016/ISO 9001:2015", "质量管理体系 要求", "2017-07-01"),
        # The degree in the adoption column, the adopted number in the number cell.
        ("303-01", "GB/T 22080-2016/ISO/IEC 27001:2013",
         "信息技术 安全技术 信息安全管理体系 要求", "2017-03-01", "IDT"),
        # As Chinese tables write the column.
        ("303-02", "GB/T 24353-2022", "风险管理 指南", "2022-10-01", "等同采用 ISO 31000：2018"),
    ])
    imported(path)
    quality = Standard.objects.get(number="GB/T 19001—2016")
    # A double number is an identical adoption (GB/T 20000.2).
    assert (quality.adopted_number, quality.adoption_degree) == ("ISO 9001:2015", "IDT")
    assert quality.printed_number == "GB/T 19001-2016/ISO 9001:2015"
    security = Standard.objects.get(number="GB/T 22080—2016")
    assert (security.adopted_number, security.adoption_degree) == ("ISO/IEC 27001:2013",
                                                                   "IDT")
    risk = Standard.objects.get(number="GB/T 24353—2022")
    assert (risk.adopted_number, risk.adoption_degree) == ("ISO 31000:2018", "IDT")
    rows = exported_rows(seeded)
    assert rows["GB/T 19001—2016"]["国际国外标准号及采用关系"] == "ISO 9001:2015, IDT"
    assert rows["GB/T 22080—2016"]["国际国外标准号及采用关系"] == "ISO/IEC 27001:2013, IDT"
    assert rows["GB/T 24353—2022"]["国际国外标准号及采用关系"] == "ISO 31000:2018, IDT"


def test_an_adoption_the_number_and_its_column_disagree_on_is_a_problem(seeded, tmp_path,
                                                                        capsys):
    path = table(tmp_path, [("303-01", "GB/T 19001-2016/ISO 9001:2015", "质量管理体系 要求",
                             None, "ISO 9001:2008, IDT")])
    with pytest.raises(SystemExit):
        imported(path)
    err = capsys.readouterr().err
    assert "The number adopts ISO 9001:2015, this column ISO 9001:2008" in err
    assert not Standard.objects.filter(number="GB/T 19001—2016").exists()


def test_the_edition_note_and_the_printed_form_are_kept_shown_found_and_exported(
        seeded, tmp_path, client_for):
    path = table(tmp_path, [
        ("303-01", "GB 50016-2014（2018年版）", "建筑设计防火规范", "2015-05-01"),
        ("303-02", "GB 3100-93", "国际单位制及其应用", "1994-07-01"),
        ("303-03", "EN ISO 20471:2013/A1:2016", "高可视性警示服", None),
    ])
    imported(path)
    fire = Standard.objects.get(number="GB 50016—2014")
    assert (fire.edition_year, fire.printed_number) == (2018, "GB 50016-2014（2018年版）")
    units = Standard.objects.get(number="GB 3100—1993")
    assert units.printed_number == "GB 3100-93"
    clothing = Standard.objects.get(number="EN ISO 20471:2013")
    assert (clothing.level, clothing.printed_number) == ("foreign",
                                                         "EN ISO 20471:2013/A1:2016")
    client = client_for("viewer")
    page = client.get(units.get_absolute_url()).content.decode()
    assert 'id="standard-printed">GB 3100-93<' in page
    found = client.get(reverse("registry:standard_list"), {"q": "GB 3100-93"})
    assert [s.number for s in found.context["object_list"]] == ["GB 3100—1993"]
    rows = exported_rows(seeded)
    assert rows["GB 50016—2014（2018年版）"]["原印标准号"] == "GB 50016-2014（2018年版）"
    assert rows["GB 3100—1993"]["原印标准号"] == "GB 3100-93"


def test_an_exported_table_imported_into_an_empty_catalog_keeps_them(seeded, tmp_path):
    imported(table(tmp_path, [
        ("303-01", "GB 50016-2014(2018)", "建筑设计防火规范", "2015-05-01"),
        ("303-02", "GB/T 19001-2016/ISO 9001:2015", "质量管理体系 要求", "2017-07-01"),
    ]))
    content = export(live_data(seeded), "xlsx")
    numbers = ["GB 50016—2014", "GB/T 19001—2016"]
    Placement.objects.filter(standard__number__in=numbers).delete()
    Standard.objects.filter(number__in=numbers).delete()
    path = tmp_path / "exported.xlsx"
    path.write_bytes(content)
    imported(path)
    fire = Standard.objects.get(number="GB 50016—2014")
    assert (fire.edition_year, fire.printed_number) == (2018, "GB 50016-2014(2018)")
    quality = Standard.objects.get(number="GB/T 19001—2016")
    assert (quality.adopted_number, quality.adoption_degree, quality.printed_number) == (
        "ISO 9001:2015", "IDT", "GB/T 19001-2016/ISO 9001:2015")
    assert plan_import(read_tables(content, "t.xlsx")).empty


def test_replaced_editions_in_the_number_cell_are_supersessions(seeded, tmp_path):
    imported(table(tmp_path, [
        ("303-01", "WS 216-2008\u3000代替\u3000WS 216-2001", "登革热诊断标准", "2009-03-01"),
        ("303-02", "GB 5749-2022（代替GB 5749-2006）", "生活饮用水卫生标准", "2023-04-01"),
    ]))
    dengue = Standard.objects.get(number="WS 216—2008")
    assert [s.number for s in dengue.replaces.all()] == ["WS 216—2001"]
    water = Standard.objects.get(number="GB 5749—2022")
    assert [s.number for s in water.replaces.all()] == ["GB 5749—2006"]
    old = Standard.objects.with_status().get(number="WS 216—2001")
    assert old.computed_status == "superseded" and not old.placements.exists()
    assert Placement.objects.get(standard=dengue).node.code == "303-01"


def test_a_second_import_of_the_same_file_has_nothing_to_do(seeded, tmp_path, capsys):
    path = table(tmp_path, [
        ("303-01", "WS 216-2008 代替 WS 216-2001", "登革热诊断标准", "2009-03-01"),
        ("303-02", "GB/T 19001-2016/ISO 9001:2015", "质量管理体系 要求", "2017-07-01", None,
         "GB/T 19001-2008"),
        ("303-03", "GB 3100-93", "国际单位制及其应用", "1994-07-01", None, None, "现行"),
    ])
    imported(path)
    assert "2 supersessions" in capsys.readouterr().out
    links = Supersession.objects.count()
    imported(path, "--dry-run")
    out = capsys.readouterr().out
    assert "Nothing to do" in out and "supersessions" not in out
    imported(path)
    assert "Nothing to do" in capsys.readouterr().out
    assert Supersession.objects.count() == links
    assert verify_all().intact
    assert plan_import(read_tables(path.read_bytes(), path.name)).empty


def test_a_status_the_data_will_not_give_is_warned_with_the_reason(seeded, tmp_path, capsys):
    path = table(tmp_path, [
        # 被代替 with no successor anywhere.
        ("303-01", "GB/T 19001-2008", "质量管理体系 要求", "2009-03-01", None, None, "被代替"),
        # 现行 past its withdrawal date.
        ("303-02", "GB/T 12345-1990", "旧标准", "1990-12-01", None, None, "现行",
         "2020-06-01"),
        # As the data give it: no warning.
        ("303-03", "WS 216-2008 代替 WS 216-2001", "登革热诊断标准", "2009-03-01", None,
         None, "现行"),
        ("303-03", "WS 216-2001", "登革热诊断标准", "2001-12-01", None, None, "被代替"),
        # 现行, but its successor in the same file is in force.
        ("303-04", "GB/T 19000-2008", "质量管理体系 基础和术语", "2009-05-01", None, None,
         "现行"),
        ("303-04", "GB/T 19000-2016", "质量管理体系 基础和术语", "2017-07-01",
         None, "GB/T 19000-2008", "现行"),
    ])
    imported(path)
    err = capsys.readouterr().err
    assert ("row 6, column Status: The table says “现行”, but GB/T 19000—2008 will be "
            "“Superseded”: GB/T 19000—2016, which replaces it, is in force.") in err
    assert "row 7" not in err
    assert ("row 2, column Status: The table says “被代替”, but GB/T 19001—2008 will be "
            "“Current”: no standard in this file or in the catalog replaces it.") in err
    assert ("row 3, column Status: The table says “现行”, but GB/T 12345—1990 will be "
            "“Withdrawn”: its withdrawal date 2020-06-01 has passed.") in err
    assert "WS 216" not in err
    statuses = dict(Standard.objects.with_status().filter(
        number__in=["GB/T 19001—2008", "GB/T 12345—1990", "WS 216—2001"]).values_list(
        "number", "computed_status"))
    assert statuses == {"GB/T 19001—2008": "current", "GB/T 12345—1990": "withdrawn",
                        "WS 216—2001": "superseded"}


def test_the_preview_shows_the_warnings_and_still_may_be_confirmed(seeded, client_for,
                                                                   tmp_path):
    path = table(tmp_path, [("303-01", "GB/T 19001-2008", "质量管理体系 要求", None, None,
                             None, "被代替")])
    with path.open("rb") as handle:
        # The preview is a worker's job (inline in tests): follow to its page.
        response = client_for("office").post(reverse("registry:import"), {"file": handle},
                                             HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    page = response.content.decode()
    assert 'id="import-warnings"' in page and 'id="import-confirm"' in page
    assert "表中写为“被代替”，但 GB/T 19001—2008 将为“现行”" in page, page
    # A new catalog record, not the project type 制定 ("New standard" of the lifecycle).
    assert "<td>新增标准</td>" in page and "<td>制定</td>" not in page
    assert response.context["preview"]["warnings"]


def test_the_preview_shows_the_adoption_and_edition_kept(seeded, tmp_path):
    path = table(tmp_path, [
        ("303-01", "GB/T 19001-2016/ISO 9001:2015", "质量管理体系 要求", "2017-07-01"),
        ("303-02", "GB 50016-2014(2018)", "建筑设计防火规范", "2015-05-01"),
    ])
    shown = preview(plan_import(read_tables(path.read_bytes(), path.name)))
    assert [row[1] for row in shown["rows"][:2]] == [
        "GB/T 19001—2016/ISO 9001:2015", "GB 50016—2014（2018年版）"]


@pytest.mark.parametrize(("printed", "canonical"), [
    ("RFC 5905", "RFC 5905"),
    ("ASME B1.20.2M：2006", "ASME B1.20.2M-2006"),
    ("ISA/IEC 62443", "ISA/IEC 62443"),
    ("IS/ISO 9001:2015", "IS/ISO 9001:2015"),
    ("ISO 3508： 1976", "ISO 3508:1976"),
])
def test_foreign_standards_a_bureau_lists_are_imported(seeded, tmp_path, printed, canonical):
    imported(table(tmp_path, [("303-01", printed, "国外标准", None)]))
    standard = Standard.objects.get(number=canonical)
    assert standard.level in ("foreign", "international")
    assert standard.placements.get().node.code == "303-01"


def test_a_file_that_cannot_be_read_says_why_in_the_users_language(db, tmp_path):
    from django.core.management.base import CommandError

    missing = tmp_path / "无此文件.xlsx"
    with pytest.raises(CommandError) as excinfo:
        call_command("import_system_table", str(missing), "--lang", "zh-hans")
    assert str(excinfo.value) == f"无法读取 {missing}：没有这个文件"
    with pytest.raises(CommandError) as excinfo:
        call_command("import_system_table", str(tmp_path), "--lang", "en")
    assert str(excinfo.value) == f"Cannot read {tmp_path}: it is a directory"
    assert not Node.objects.exists()


def test_the_preview_lists_no_supersession_already_recorded(seeded, tmp_path):
    path = table(tmp_path, [("303-01", "GB/T 19001-2016", "质量管理体系 要求", None, None,
                             "GB/T 19001-2008")])
    imported(path)
    shown = preview(plan_import(read_tables(path.read_bytes(), path.name)))
    assert shown["empty"] and not shown["rows"] and not shown["warnings"]


def test_an_amendment_mark_in_the_number_cell_is_recorded_once(seeded, tmp_path, capsys):
    path = table(tmp_path, [("303-01", "GB 7258-2017/XG1-2019", "机动车运行安全技术条件",
                             "2018-01-01")])
    imported(path)
    assert "1 amendment." in capsys.readouterr().out
    standard = Standard.objects.get(number="GB 7258—2017")
    amendment = standard.amendments.get()
    assert (amendment.display, amendment.history.get().history_type) == (
        "GB 7258—2017/XG1—2019", "+")
    imported(path, "--dry-run")
    assert "Nothing to do" in capsys.readouterr().out
    assert verify_all().intact


def test_a_status_on_a_row_with_a_problem_is_not_checked_as_well(seeded, tmp_path, capsys):
    path = table(tmp_path, [("303-01", "GB/T 19001-2008", "", None, None, None, "被代替")])
    with pytest.raises(SystemExit):
        imported(path)
    err = capsys.readouterr().err
    assert "A new standard needs its title." in err and "The table says" not in err


def test_an_invisible_character_in_the_printed_number_is_named_by_its_column(seeded):
    """The export's 原印标准号 column, read back with a zero-width space typed into it: the
    problem names the column as the table does, in the user's language."""
    rows = [["序号", "标准体系表编号", "标准编号", "标准名称", "原印标准号"],
            [1, "303-01", "GB 3100-1993", "国际单位制及其应用", "GB 3100\u200b-93"]]
    for language, column in (("zh-hans", "原印标准号"), ("en", "Number as printed")):
        with translation.override(language):
            plan = plan_import([("体系表", rows)])
            assert [(p.row, p.column) for p in plan.problems] == [(2, column)]
            assert "U+200B" in plan.problems[0].message
