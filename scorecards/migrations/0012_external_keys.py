"""Each plan item's stable key in the agency's workbooks (``strategyhub.external_keys``):
added nullable, filled for every existing row (and its history rows), then required and
unique per agency."""

from django.db import migrations

from strategyhub.external_keys import migration_operations


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0011_measure_state_updated_at")]

    operations = migration_operations(
        "scorecards",
        {
            "strategicplan": "PLN",
            "perspective": "PER",
            "theme": "THM",
            "strategicobjective": "OBJ",
            "causallink": "LNK",
            "measure": "MEA",
        },
        historical={"strategicplan", "strategicobjective", "causallink", "measure"},
    )
