"""The timeline events' ``detail`` text moves into their typed ``payload``, and the payload
enters the chained history.

Older events wrote their data as one line of text: first ``key: value; …`` (the transition's
data as given), then ``Label: value; …`` (the form's labels and the choices' labels, in the
language of the page). A line that reads back entirely into the fields the transition had
then becomes those typed fields; any other text is kept whole as the payload's note.

The history rows are not touched: rows written before keep their ``detail`` and a null
payload, which is not hashed, so they verify as they were; rows written from now on hash the
payload (docs/architecture.md, "What a history row holds").
"""

import datetime

from django.db import migrations, models

# The typed fields of the events that had data, as the older releases wrote them: field →
# (kind, the names the text used for it: the key, the English and the Chinese label).
WRITTEN = {
    "open_comment_period": {
        "starts_on": ("date", {"starts_on", "Comment period starts", "征求意见开始日期"}),
        "days": ("int", {"days", "Length in days", "期限（天）"}),
    },
    "pass_review": {"conclusion": ("conclusion", {"conclusion", "Conclusion", "结论"})},
    "start_public_notice": {
        "starts_on": ("date", {"starts_on", "Public notice starts", "公告开始日期"}),
    },
    "publish": {
        "number": ("text", {"number", "Standard number", "标准号"}),
        "issued_on": ("date", {"issued_on", "Issue date", "发布日期"}),
        "implemented_on": ("date", {"implemented_on", "Implementation date", "实施日期"}),
    },
}
# A review's conclusion as a value or as its label, in English or Chinese.
CONCLUSIONS = {
    "passed": "passed", "Passed": "passed", "通过": "passed",
    "passed_with_changes": "passed_with_changes", "Passed after changes": "passed_with_changes",
    "修改后通过": "passed_with_changes",
    "failed": "failed", "Not passed": "failed", "不通过": "failed",
}


def _value(kind, text):
    if kind == "date":
        return datetime.date.fromisoformat(text).isoformat()
    if kind == "int":
        return int(text)
    if kind == "conclusion":
        return CONCLUSIONS[text]
    return text


def read_detail(transition, detail):
    """The typed payload ``detail`` was written from, or None when it is not such a line."""
    fields = WRITTEN.get(transition)
    if not fields:
        return None
    payload = {}
    for part in detail.split("; "):
        name, separator, text = part.partition(": ")
        found = [field for field, (_kind, names) in fields.items() if name.strip() in names]
        if not separator or len(found) != 1 or found[0] in payload or not text.strip():
            return None
        try:
            payload[found[0]] = _value(fields[found[0]][0], text.strip())
        except (KeyError, ValueError):
            return None
    return payload


def payload_from_detail(transition, detail, payload):
    if payload is not None:
        return {**payload, "note": detail} if detail else payload
    if not detail:
        return {}
    return read_detail(transition, detail) or {"note": detail}


def detail_into_payload(apps, schema_editor):
    ProjectEvent = apps.get_model("lifecycle", "ProjectEvent")
    events = ProjectEvent.objects.filter(models.Q(payload__isnull=True) | ~models.Q(detail=""))
    for event in events.only("pk", "transition", "detail", "payload").iterator():
        # No save(): the live row changes form, nothing happened to the event, and the
        # history keeps the text it recorded.
        ProjectEvent.objects.filter(pk=event.pk).update(
            payload=payload_from_detail(event.transition, event.detail, event.payload))


def payload_into_detail(apps, schema_editor):
    ProjectEvent = apps.get_model("lifecycle", "ProjectEvent")
    for event in ProjectEvent.objects.filter(payload__has_key="note").iterator():
        ProjectEvent.objects.filter(pk=event.pk).update(detail=event.payload["note"])


class Migration(migrations.Migration):

    dependencies = [
        ("lifecycle", "0004_comment_commenter"),
    ]

    operations = [
        # No default: it would fill the rows written before and change their digests.
        migrations.AddField(
            model_name="historicalprojectevent",
            name="payload",
            field=models.JSONField(blank=True, null=True, verbose_name="data"),
        ),
        migrations.AlterField(
            model_name="historicalprojectevent",
            name="detail",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.RunPython(detail_into_payload, payload_into_detail),
        migrations.RemoveField(
            model_name="projectevent",
            name="detail",
        ),
    ]
