"""``manage.py check_standards FILE|-``: one tab-separated line per number, JSON, --keep."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from catalog.models import ValidityCheck
from tests.catalog.validity.test_validity_rules import catalog  # noqa: F401  (fixture)
from tests.factories import UserFactory

TEXT = "依据 GB/T 1.1-2009、GB/T 13016 和 DB65/T 3456—2012。"


def run(*args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("check_standards", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = saved
    return out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("catalog")
def test_one_line_per_number_from_stdin():
    out, _err = run("-", stdin=TEXT)
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[0] for line in lines] == ["GB/T 1.1-2009", "GB/T 13016", "DB65/T 3456—2012"]
    assert lines[0][1:3] == ["GB/T 1.1—2009", "superseded"]
    assert lines[0][4] == "GB/T 1.1—2020"
    assert lines[1][5].startswith("several editions: GB/T 13016—2018")
    assert lines[2][2] == "not_in_catalog" and lines[2][5] == "not in the catalog"
    assert not ValidityCheck.objects.exists()


@pytest.mark.usefixtures("catalog")
def test_json_from_a_docx_file_kept(tmp_path):
    from tests.catalog.validity.test_validity_pages import docx_bytes

    path = tmp_path / "引用.docx"
    path.write_bytes(docx_bytes(TEXT))
    user = UserFactory(username="checker", role="viewer")
    out, err = run(str(path), "--format", "json", "--keep", "checker")
    found = json.loads(out)
    assert found[0]["replacement"] == "GB/T 1.1—2020"
    check = ValidityCheck.objects.get()
    assert check.created_by == user and check.file_name == "引用.docx"
    assert f"{check.pk}" in err


def test_a_missing_file_fails(db, tmp_path):
    with pytest.raises(CommandError):
        run(str(tmp_path / "none.docx"))
