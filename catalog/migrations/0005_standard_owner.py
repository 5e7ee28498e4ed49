"""An organization standard (Q/…) belongs to the organization that publishes it; every other
standard stays shared. The Q/ standards there are now are the default organization's. The
history table's column is nullable and left empty on the rows written before, so their
digests stay valid (nulls are left out of a row's canonical form, audit/canonical.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    Standard = apps.get_model("catalog", "Standard")
    organization = (
        Organization.objects.filter(code=settings.REGISTRY_ORGANIZATION_CODE).first()
        or Organization.objects.filter(name=settings.REGISTRY_ORGANIZATION).first()
        or Organization.objects.order_by("pk").first())
    if organization is not None:
        # level is derived from the number on save: "organization" is Q/….
        Standard.objects.filter(level="organization", owner__isnull=True).update(
            owner=organization)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_default_organization"),
        ("catalog", "0004_amendments_printed_number"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalstandard",
            name="owner",
            field=models.ForeignKey(
                blank=True, db_constraint=False, editable=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                to="organizations.organization", verbose_name="organization"),
        ),
        migrations.AddField(
            model_name="standard",
            name="owner",
            field=models.ForeignKey(
                blank=True, editable=False, null=True,
                on_delete=django.db.models.deletion.PROTECT, related_name="own_standards",
                to="organizations.organization", verbose_name="organization"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
