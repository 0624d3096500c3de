import secrets

from django.db import migrations, models

import scorecards.models


def fill(apps, schema_editor):
    for name in ("StrategicObjective", "Measure"):
        model = apps.get_model("scorecards", name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            model.objects.filter(pk=row.pk).update(public_id=secrets.token_hex(5))


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0004_measure_collaborators_and_more")]

    operations = [
        migrations.AddField(
            model_name="strategicobjective",
            name="public_id",
            field=models.CharField(editable=False, max_length=12, null=True),
        ),
        migrations.AddField(
            model_name="measure",
            name="public_id",
            field=models.CharField(editable=False, max_length=12, null=True),
        ),
        migrations.AddField(
            model_name="historicalstrategicobjective",
            name="public_id",
            field=models.CharField(
                db_index=True, default=scorecards.models.new_public_id, editable=False,
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="historicalmeasure",
            name="public_id",
            field=models.CharField(
                db_index=True, default=scorecards.models.new_public_id, editable=False,
                max_length=12,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="strategicobjective",
            name="public_id",
            field=models.CharField(
                default=scorecards.models.new_public_id, editable=False, max_length=12,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="measure",
            name="public_id",
            field=models.CharField(
                default=scorecards.models.new_public_id, editable=False, max_length=12,
                unique=True,
            ),
        ),
    ]
