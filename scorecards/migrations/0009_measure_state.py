"""Each measure's stored derived state (``scorecards.state``, issue 17).

The table is filled after ``migrate`` by ``scorecards.state.fill_missing`` (a
``post_migrate`` receiver, ``ScorecardsConfig.ready``): it runs the application's rules with
the live models once every migration is applied, which a data step here could not do
safely (a later column on any model it reads would break it on every fresh database).
"""

import django.db.models.deletion
from django.db import migrations, models


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
                ('progress', models.DecimalField(decimal_places=16, max_digits=40, null=True)),
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
    ]
