"""Each measure's stored derived state (``scorecards.state``, issue 17), filled for the
measures that exist.

The fill calls ``scorecards.state.refresh_all`` with the live models: the rules that make the
state are the application's (``scorecards.calc``), not something to copy into a migration.
Should a later change make this step fail on a database migrated from before it, replace
``fill`` by a no-op: ``manage.py recompute_rollups`` fills the table just the same.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from scorecards import state

    state.refresh_all()


class Migration(migrations.Migration):

    dependencies = [
        ('scorecards', '0008_unit_vocabulary'),
        ('strategyhub', '0004_organization_fiscal_year_label_style'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeasureState',
            fields=[
                ('measure', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='state', serialize=False, to='scorecards.measure')),
                ('latest_period', models.DateField(null=True)),
                ('latest_value', models.DecimalField(decimal_places=6, max_digits=20, null=True)),
                ('comparison', models.CharField(blank=True, max_length=10)),
                ('expected_low', models.DecimalField(decimal_places=6, max_digits=20, null=True)),
                ('expected_high', models.DecimalField(decimal_places=6, max_digits=20, null=True)),
                ('progress', models.DecimalField(decimal_places=16, max_digits=32, null=True)),
                ('trend', models.CharField(default='unknown', max_length=10)),
                ('trend_since', models.DateField(null=True)),
                ('recent', models.JSONField(default=list)),
                ('has_yearly_targets', models.BooleanField(default=False)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_set', to='strategyhub.organization')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
