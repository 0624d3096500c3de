"""Generated execution layer: the last 12 quarters of OKRs (250 objectives × 4 key results
a quarter at large scale) with weekly check-ins, some feeding calculated measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.dispatch import receiver

from okrs import calc
from okrs.cycles import ensure_cycles
from okrs.keyresults import objective_score_of
from okrs.models import (
    LEVELS_NEEDING_STRATEGY,
    CheckIn,
    Cycle,
    CycleStatus,
    KeyResult,
    OkrLevel,
    OkrObjective,
)
from okrs.rollup import recompute_rollups
from scorecards import state
from scorecards.models import Measure
from strategyhub import fiscal, signals

SIZES = {"small": (2, 3), "large": (12, 250)}  # quarters, objectives per quarter
KRS_PER_OBJECTIVE = 4


def aligned_objective(organization, cycle, i, rng, units, strategic, owner) -> OkrObjective:
    """One generated objective that obeys ``OkrObjective.clean``: a unit-level objective
    always names the strategic objective it serves (``LEVELS_NEEDING_STRATEGY``); a team's
    does on most (85 %). Without a plan every objective is team-level."""
    level = rng.choice(["unit", "team", "team"]) if strategic else OkrLevel.TEAM
    unit, who = rng.choice(units), owner()
    aligned = strategic and (level in LEVELS_NEEDING_STRATEGY or rng.random() < 0.85)
    return OkrObjective(
        organization=organization,
        cycle=cycle,
        level=level,
        unit=unit,
        owner=who,
        title=f"{cycle.label} objective {i + 1}",
        strategic_objective=rng.choice(strategic) if aligned else None,
        order=i,
    )


def generate(organization, scale, rng, context) -> None:
    quarters_n, objectives_n = SIZES[scale]
    today = organization.today()
    fy_month = organization.fiscal_year_start_month
    current = fiscal.period_start(today, fiscal.Frequency.QUARTERLY, fy_month)
    starts = [fiscal.add_months(current, -3 * i) for i in reversed(range(quarters_n))]
    for year in sorted({fiscal.fiscal_year_of(s, fy_month) for s in starts}):
        ensure_cycles(organization, year)
    cycles = [Cycle.objects.get(organization=organization, kind="quarter", start=s) for s in starts]
    for cycle in cycles:
        cycle.status = CycleStatus.ACTIVE if cycle.start == current else CycleStatus.CLOSED
        cycle.save(update_fields=["status"])
    owners, units = context["owners"], context["units"]
    strategic = list(context.get("plan").objectives.all()) if context.get("plan") else []
    feeding = [m for m in context.get("measures", []) if m.value_source == "calculated"]

    def owner():
        return None if rng.random() < 0.2 else rng.choice(owners)

    for cycle in cycles:
        objectives = OkrObjective.objects.bulk_create(
            aligned_objective(organization, cycle, i, rng, units, strategic, owner)
            for i in range(objectives_n)
        )
        key_results = []
        for objective in objectives:
            for k in range(KRS_PER_OBJECTIVE):
                start = Decimal(rng.randint(10, 200))
                who = owner()  # drawn before the feed, as always: the same seed, the same data
                fed = rng.choice(feeding) if feeding and rng.random() < 0.1 else None
                key_results.append(
                    KeyResult(
                        organization=organization,
                        objective=objective,
                        title=f"{objective.title} result {k + 1}",
                        owner=who,
                        kind="metric",
                        # A feed is in its measure's unit (``strategyhub.units``).
                        unit_kind=fed.unit_kind if fed else "number",
                        rate_per=fed.rate_per if fed else None,
                        start_value=start,
                        target_value=start * Decimal("1.4"),
                        order=k,
                        measure=fed,
                    )
                )
        key_results = KeyResult.objects.bulk_create(key_results)
        checkins = []
        weeks = [
            cycle.start + dt.timedelta(days=7 * w + 3)
            for w in range(13)
            if cycle.start + dt.timedelta(days=7 * w + 3) <= min(today, cycle.end)
        ]
        for kr in key_results:
            pace = rng.uniform(0.2, 1.3)
            last = None
            for week in weeks:
                if rng.random() < 0.04:
                    continue  # a missed week now and then
                share = calc.elapsed_share(cycle.start, cycle.end, week)
                value = kr.start_value + (kr.target_value - kr.start_value) * Decimal(
                    str(round(float(share) * pace, 4))
                )
                checkins.append(
                    CheckIn(
                        organization=organization,
                        key_result=kr,
                        as_of=week,
                        value=value.quantize(Decimal("0.1")),
                        confidence=rng.randint(3, 9),
                    )
                )
                last = (week, value)
            if last:
                kr.current_as_of, kr.current_value = last[0], last[1].quantize(Decimal("0.1"))
                kr.score = calc.score(kr.spec(), calc.Reading(last[0], None, kr.current_value))
                if cycle.status == CycleStatus.CLOSED:
                    kr.frozen_score = kr.score
        CheckIn.objects.bulk_create(checkins, batch_size=5000)
        KeyResult.objects.bulk_update(
            key_results,
            ["current_value", "current_as_of", "score", "frozen_score"],
            batch_size=2000,
        )
        # The stored objective scores, by the one rule (``keyresults.objective_score_of``).
        by_objective: dict[int, list[KeyResult]] = {}
        for kr in key_results:
            by_objective.setdefault(kr.objective_id, []).append(kr)
        for objective in objectives:
            objective.score = objective_score_of(by_objective.get(objective.pk, []))
        OkrObjective.objects.bulk_update(objectives, ["score"], batch_size=2000)
    # The calculated measures' values from the check-ins just written (bulk inserts send no
    # signals), then their stored states: the nightly ``recompute_rollups`` finds nothing
    # left to change.
    recompute_rollups(organization)
    state.refresh_all(Measure.objects.filter(pk__in=[m.pk for m in feeding]))


@receiver(signals.generate_organization, dispatch_uid="okrs-generate")
def _on_generate_organization(sender, organization, scale, rng, context, **kwargs) -> None:
    generate(organization, scale, rng, context)
