"""Key results get a creation time; check-ins are current by creation, not by edit.

``KeyResult.created_at`` is backfilled by ``backfill_created_at``: the date of the result's
"+" (created) row in its history, else (a result older than its history) the start of its
cycle, midnight in the agency's time zone, so nothing changes for it: check-ins stay
expected from the cycle's start. ``CheckIn.created_at`` already existed; the check-in index
follows the new tie-break (latest "as of", then created last)."""

import datetime as dt
import zoneinfo

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Min
from django_scopes import scopes_disabled


def backfill_created_at(apps, schema_editor) -> int:
    """Give every key result its creation time from its history (see the module docstring).
    Returns how many rows it wrote."""
    KeyResult = apps.get_model("okrs", "KeyResult")
    HistoricalKeyResult = apps.get_model("okrs", "HistoricalKeyResult")
    with scopes_disabled():
        created = dict(
            HistoricalKeyResult._base_manager.filter(history_type="+")
            .values_list("id")
            .annotate(first=Min("history_date"))
            .values_list("id", "first")
        )
        rows = list(
            KeyResult._base_manager.values_list(
                "pk", "objective__cycle__start", "organization__timezone"
            )
        )
        batch = []
        for pk, cycle_start, zone in rows:
            when = created.get(pk)
            if when is None:
                when = dt.datetime(
                    cycle_start.year,
                    cycle_start.month,
                    cycle_start.day,
                    tzinfo=zoneinfo.ZoneInfo(zone or "UTC"),
                )
            batch.append(KeyResult(pk=pk, created_at=when))
        KeyResult._base_manager.bulk_update(batch, ["created_at"], batch_size=2000)
    return len(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("okrs", "0003_full_precision_scores"),
    ]

    operations = [
        migrations.AddField(
            model_name="keyresult",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(backfill_created_at, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="checkin",
            options={"ordering": ["-as_of", "-created_at"]},
        ),
        migrations.RemoveIndex(
            model_name="checkin",
            name="okrs_checki_key_res_cc5c2c_idx",
        ),
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(
                fields=["key_result", "-as_of", "-created_at"],
                name="okrs_checki_key_res_37bbf5_idx",
            ),
        ),
    ]
