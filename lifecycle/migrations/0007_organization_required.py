"""The lifecycle records' organization required, once 0006 has filled it in (its own
transaction: PostgreSQL does not alter a table with the fill's constraint checks still
pending)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lifecycle', '0006_organization'),
        ('organizations', '0002_default_organization'),
    ]

    operations = [
        migrations.AlterField(
            model_name='department',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='evaluation',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='evaluationtemplate',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='implementationcheck',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='implementationplan',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='informationitem',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='periodicreview',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='project',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='staffprofile',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='trainingrecord',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='workrule',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='yearplan',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='organization'),
        ),
    ]
