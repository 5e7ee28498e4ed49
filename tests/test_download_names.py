"""Downloaded files are named for what they hold, the record and the day, in the user's
language, with the RFC 5987 form browsers read Chinese names from."""

from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from audit.downloads import download_name
from lifecycle.models import Department, Project
from registry.models import Node


def test_a_name_has_no_character_a_file_system_refuses():
    day = timezone.localdate()
    assert download_name("意见汇总处理表", "报表/统计: 规范?", extension="xlsx", day=day) == (
        f"意见汇总处理表-报表_统计_ 规范_-{day.isoformat()}.xlsx")


def test_the_comment_table_is_named_for_its_project(seeded, users, client_for):
    project = Project.objects.create(
        title="社会保险报表管理规范", level="organization", node=Node.objects.get(code="304-09"),
        department=Department.objects.create(name="社会保险经办科", lead=users["lead"]),
        leader=users["office"], planned_start=timezone.localdate(),
        planned_end=timezone.localdate(), created_by=users["office"])
    client = client_for("office")
    url = reverse("lifecycle:comment_table", args=[project.pk, "xlsx"])
    header = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")["Content-Disposition"]
    name = f"意见汇总处理表-社会保险报表管理规范-{timezone.localdate().isoformat()}.xlsx"
    assert header.startswith("attachment; ")
    assert f"filename*=utf-8''{quote(name)}" in header
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")["Content-Disposition"]
    assert "Comment%20resolution%20table-" in english


def test_the_audit_log_export_is_named_with_the_day(seeded, client_for):
    client = client_for("admin")
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("audit:logentry_list") + f"?export={fmt}",
                              HTTP_ACCEPT_LANGUAGE="zh-hans")
        name = f"审计日志-{timezone.localdate().isoformat()}.{fmt}"
        assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_the_system_table_download_is_named_for_the_system(seeded, client_for):
    from registry.models import ExportJob

    client = client_for("admin")
    client.post(reverse("registry:exportjob_add"), {"fmt": "csv", "lang": "zh-hans"})
    job = ExportJob.objects.get()
    response = client.get(reverse("registry:exportjob_download", args=[job.pk]),
                          HTTP_ACCEPT_LANGUAGE="en")
    name = (f"Standard system table-社会保险服务标准体系-"
            f"{timezone.localdate(job.created_at).isoformat()}.csv")
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
