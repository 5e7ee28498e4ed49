"""Every background job was an "export job": the table's model becomes ``Job`` (same table,
same rows), with the proxies ``ExportJob`` (exports and documents) and ``ImportJob`` (import
previews and imports).

Renaming the model renames its content type (Django's ``RenameContentType``, run after
``RenameModel``), so the permissions on it keep their rows and grants but still carry the old
codenames: they become ``*_job``. The proxies get their own content types and ``*_exportjob``
and ``*_importjob`` permissions after the migration, as any new model does. The job table
keeps no history, so there is no historical model to rename."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(apps, schema_editor, old="exportjob", new="job", name="job"):
    """The permissions of the renamed content type (``job``) take the model's new name."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type = ContentType.objects.filter(app_label="registry", model="job").first()
    if content_type is None:  # a new database: the permissions are created after migrating
        return
    for action in ACTIONS:
        Permission.objects.filter(content_type=content_type, codename=f"{action}_{old}").update(
            codename=f"{action}_{new}", name=f"Can {action} {name}")


def restore_permissions(apps, schema_editor):
    # Backwards this runs before the content type is renamed back to exportjob.
    rename_permissions(apps, schema_editor, old="job", new="exportjob", name="export job")


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0009_exportjob_documents"),
    ]

    operations = [
        # The table keeps its name: set first, so the rename below leaves the table alone.
        migrations.AlterModelTable(name="exportjob", table="registry_exportjob"),
        migrations.RenameModel(old_name="ExportJob", new_name="Job"),
        migrations.AlterModelOptions(
            name="job",
            options={"ordering": ["-created_at"], "verbose_name": "job",
                     "verbose_name_plural": "jobs"},
        ),
        migrations.RunPython(rename_permissions, restore_permissions),
        migrations.CreateModel(
            name="ExportJob",
            fields=[],
            options={"verbose_name": "export job", "verbose_name_plural": "export jobs",
                     "proxy": True, "indexes": [], "constraints": []},
            bases=("registry.job",),
        ),
        migrations.CreateModel(
            name="ImportJob",
            fields=[],
            options={"verbose_name": "import job", "verbose_name_plural": "import jobs",
                     "proxy": True, "indexes": [], "constraints": []},
            bases=("registry.job",),
        ),
    ]
