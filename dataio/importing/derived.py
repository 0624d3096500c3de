"""Derived state after an import, once for the whole agency (not per row): every key
result's current reading and score and every OKR objective's score (frozen scores stay as
they were closed), every measure calculated from key results, every measure's stored state
— what ``manage.py recompute_rollups`` runs. Then the pages' caches are told."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

from dataio.importing.context import Context
from okrs.keyresults import recompute_scores
from okrs.rollup import recompute_rollups
from scorecards import state
from scorecards.models import Measure
from strategyhub import signals


def analyze(ctx: Context) -> None:
    """Fresh planner statistics for the tables the import wrote, inside its transaction
    (PostgreSQL's ANALYZE counts the transaction's own new rows). Without them the
    roll-up's queries are planned from statistics that have never seen the agency's rows
    (an empty agency's id matches nothing in them) and a join over 150,000 new check-ins
    runs as nested loops for many minutes."""
    if connection.vendor != "postgresql":
        return
    tables = {apps.get_model(label)._meta.db_table for label in ctx.written}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def recompute(ctx: Context) -> None:
    organization = ctx.organization
    analyze(ctx)
    recompute_scores(organization)
    recompute_rollups(organization)
    state.refresh_all(Measure.objects.filter(organization=organization))


def announce(ctx: Context) -> None:
    for label in sorted(ctx.written | {"scorecards.Measure", "okrs.KeyResult"}):
        signals.changed(ctx.organization.pk, label)
