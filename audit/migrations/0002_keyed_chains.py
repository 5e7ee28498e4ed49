"""Keyed chains: heads get a scheme and a signature; the audit log is chained.

Chains that exist already are marked as the unkeyed SHA-256 scheme they were written with
(and an existing audit log as not chained at all) until ``manage.py sign_history`` verifies
and signs them; new chains are signed from their first row."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def head_for_existing_log(apps, schema_editor):
    LogEntry = apps.get_model("audit", "LogEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    count = LogEntry.objects.count()
    if count:
        last = LogEntry.objects.order_by("-pk").first()
        ChainHead.objects.update_or_create(
            table=LogEntry._meta.db_table,
            defaults={"last_id": last.pk, "last_hash": "", "length": count, "scheme": "none"},
        )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SigningRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(verbose_name='time')),
                ('operator', models.CharField(max_length=150, verbose_name='operator')),
                ('reason', models.TextField(verbose_name='reason')),
                ('key_id', models.CharField(max_length=16, verbose_name='key fingerprint')),
                ('tables', models.JSONField(default=list, verbose_name='tables signed')),
                ('rows', models.BigIntegerField(default=0, verbose_name='rows signed')),
                ('accepted_problems', models.JSONField(blank=True, default=list, verbose_name='problems accepted')),
            ],
            options={
                'verbose_name': 'history signing',
                'verbose_name_plural': 'history signings',
            },
        ),
        migrations.AddField(
            model_name='chainhead',
            name='scheme',
            field=models.CharField(choices=[('hmac-sha256', 'HMAC-SHA256'), ('sha256', 'SHA-256 (unsigned)'), ('none', 'none (unsigned)')], default='sha256', max_length=16),
        ),
        migrations.AlterField(
            model_name='chainhead',
            name='scheme',
            field=models.CharField(choices=[('hmac-sha256', 'HMAC-SHA256'), ('sha256', 'SHA-256 (unsigned)'), ('none', 'none (unsigned)')], default='hmac-sha256', max_length=16),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='signature',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='logentry',
            name='prev_hash',
            field=models.CharField(default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='logentry',
            name='row_hash',
            field=models.CharField(default='', editable=False, max_length=64),
        ),
        migrations.CreateModel(
            name='HistoricalSigningRun',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('prev_hash', models.CharField(default='', editable=False, max_length=64)),
                ('row_hash', models.CharField(default='', editable=False, max_length=64)),
                ('started_at', models.DateTimeField(verbose_name='time')),
                ('operator', models.CharField(max_length=150, verbose_name='operator')),
                ('reason', models.TextField(verbose_name='reason')),
                ('key_id', models.CharField(max_length=16, verbose_name='key fingerprint')),
                ('tables', models.JSONField(default=list, verbose_name='tables signed')),
                ('rows', models.BigIntegerField(default=0, verbose_name='rows signed')),
                ('accepted_problems', models.JSONField(blank=True, default=list, verbose_name='problems accepted')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField()),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical history signing',
                'verbose_name_plural': 'historical history signings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
                'indexes': [models.Index(fields=['history_date', 'id'], name='audit_histo_history_aec410_idx')],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(head_for_existing_log, migrations.RunPython.noop),
    ]
