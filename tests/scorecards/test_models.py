"""Measure.org_unit: the organisational unit owning a measure (its unit of measure is
unit_kind, with rate_per for a rate), renamed from ``unit`` by a migration that keeps stored
values."""

import importlib

from django.db import migrations
from django_scopes import scopes_disabled

from scorecards.models import Measure


@scopes_disabled()
def test_a_measure_keeps_its_org_unit_and_its_history_records_it(org_a, measure_a):
    assert Measure.objects.get(pk=measure_a.pk).org_unit == org_a.team
    assert Measure.objects.filter(org_unit=org_a.team).get() == measure_a
    measure_a.org_unit = org_a.unit
    measure_a.save()
    stored = Measure.objects.select_related("org_unit").get(pk=measure_a.pk)
    assert stored.org_unit_id == org_a.unit.pk and stored.unit_kind == "rate"
    assert [h.org_unit_id for h in stored.history.order_by("history_date")] == [
        org_a.team.pk,
        org_a.unit.pk,
    ]


def test_the_org_unit_migration_renames_the_columns_in_place() -> None:
    """A rename, not a drop and an add: the stored units of measures and of their history
    stay where they are."""
    migration = importlib.import_module("scorecards.migrations.0006_measure_org_unit").Migration
    assert [(type(op), op.model_name, op.old_name, op.new_name) for op in migration.operations] == [
        (migrations.RenameField, "historicalmeasure", "unit", "org_unit"),
        (migrations.RenameField, "measure", "unit", "org_unit"),
    ]
