from django.db import migrations, models


class Migration(migrations.Migration):
    """Entries written before it keep a null organization (and so their digests)."""

    dependencies = [
        ("audit", "0004_account_log_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="logentry",
            name="organization_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True,
                                         verbose_name="organization"),
        ),
    ]
