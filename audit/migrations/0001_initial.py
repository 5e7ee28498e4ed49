"""The chain heads and the audit log move here from ``catalog``: state only, the tables
keep their names and every row stays where it is (so every hash still verifies)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    # Keep the permissions (and the groups holding them) that pointed at catalog's models.
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("chainhead", "logentry"):
        if not ContentType.objects.filter(app_label="audit", model=model).exists():
            ContentType.objects.filter(app_label="catalog", model=model).update(
                app_label="audit")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("catalog", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChainHead",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("table", models.CharField(max_length=128, unique=True)),
                        ("last_id", models.BigIntegerField(null=True)),
                        ("last_hash", models.CharField(blank=True, default="", max_length=64)),
                        ("length", models.BigIntegerField(default=0)),
                    ],
                    options={"db_table": "catalog_chainhead"},
                ),
                migrations.CreateModel(
                    name="LogEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("timestamp", models.DateTimeField(db_index=True, verbose_name="time")),
                        ("action", models.CharField(choices=[("created", "created"), ("changed", "changed"), ("moved", "moved"), ("reordered", "reordered"), ("deleted", "deleted"), ("transition", "transition")], max_length=16, verbose_name="action")),
                        ("object_id", models.BigIntegerField(verbose_name="record id")),
                        ("object_repr", models.CharField(max_length=255, verbose_name="record")),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        ("history_id", models.BigIntegerField()),
                        ("scope_id", models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ("scope_path", models.CharField(blank=True, db_index=True, max_length=255)),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype", verbose_name="kind of record")),
                        ("user", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "db_table": "catalog_logentry",
                        "verbose_name": "audit log entry",
                        "verbose_name_plural": "audit log",
                        "ordering": ["-timestamp", "-id"],
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="catalog_log_content_29d749_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
