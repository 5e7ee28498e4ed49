"""Every node belongs to an organization (``owner``): the trees there are now are the
default organization's. Added nullable, filled in, then required; the history table's
column stays nullable, so history rows written before keep their digests."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    Node = apps.get_model("registry", "Node")
    organization = (
        Organization.objects.filter(code=settings.REGISTRY_ORGANIZATION_CODE).first()
        or Organization.objects.filter(name=settings.REGISTRY_ORGANIZATION).first()
        or Organization.objects.order_by("pk").first())
    if organization is not None:
        Node.objects.filter(owner__isnull=True).update(owner=organization)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_default_organization"),
        ("registry", "0010_job_exportjob_importjob"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalnode",
            name="owner",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                to="organizations.organization", verbose_name="organization"),
        ),
        migrations.AddField(
            model_name="node",
            name="owner",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="nodes",
                to="organizations.organization", verbose_name="organization"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
