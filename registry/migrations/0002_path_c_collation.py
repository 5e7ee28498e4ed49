"""Give ``registry_node.path`` the C collation on PostgreSQL (as Wagtail does for pages).

treebeard's materialised paths compare byte by byte; a locale collation would sort and
compare them differently. SQLite has no "C" collation and already compares bytes.
"""

from django.db import migrations


def set_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'ALTER TABLE registry_node ALTER COLUMN path TYPE varchar(255) COLLATE "C"'
    )


def unset_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE registry_node ALTER COLUMN path TYPE varchar(255)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(set_c_collation, unset_c_collation)]
