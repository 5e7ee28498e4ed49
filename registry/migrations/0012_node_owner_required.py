"""``Node.owner`` required, once 0011 has filled it in (its own transaction: PostgreSQL
does not alter a table with the fill's constraint checks still pending)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_node_owner")]

    operations = [
        migrations.AlterField(
            model_name="node",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="nodes",
                to="organizations.organization", verbose_name="organization"),
        ),
    ]
