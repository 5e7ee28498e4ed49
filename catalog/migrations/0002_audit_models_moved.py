"""The chain heads and the audit log now belong to ``audit`` (its 0001): state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ChainHead"),
                migrations.DeleteModel(name="LogEntry"),
            ],
            database_operations=[],
        ),
    ]
