"""Derived state after an import, once for the whole agency (not per row): every key
result's current reading and score and every OKR objective's score (frozen scores stay as
they were closed), every measure calculated from key results, every measure's stored state
— what ``manage.py recompute_rollups`` runs. Then the pages' caches are told."""

from __future__ import annotations

from dataio.importing.context import Context
from okrs.keyresults import recompute_scores
from okrs.rollup import recompute_rollups
from scorecards import state
from scorecards.models import Measure
from strategyhub import signals


def recompute(ctx: Context) -> None:
    organization = ctx.organization
    recompute_scores(organization)
    recompute_rollups(organization)
    state.refresh_all(Measure.objects.filter(organization=organization))


def announce(ctx: Context) -> None:
    for label in sorted(ctx.written | {"scorecards.Measure", "okrs.KeyResult"}):
        signals.changed(ctx.organization.pk, label)
