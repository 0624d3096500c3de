"""Generated strategic layer: one plan, 200 objectives, 1,000 measures with four to five
years of monthly values (large scale: every month the plan's value window holds up to last
month), owners missing on a realistic share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.dispatch import receiver

from scorecards import state
from scorecards.measures import value_window
from scorecards.models import (
    Measure,
    MeasureTarget,
    MeasureValue,
    PlanStatus,
    StrategicObjective,
    Theme,
)
from scorecards.plans import create_plan
from strategyhub import fiscal, signals

SIZES = {"small": (6, 18), "large": (200, 1000)}
# Monthly values per entered measure, at most; the plan starts this many fiscal years before
# the current one, so its value window (from one fiscal year before it) holds 48–59 months of
# history at large scale and the current year stays inside the five-year plan.
HISTORY_MONTHS = {"small": 12, "large": 60}
PLAN_YEARS_BEHIND = {"small": 2, "large": 3}


# The units of generated measures, in turn (``strategyhub.units``): their values (20–500,
# drifting a few percent a month) suit each; a share (0–100 %) they would not.
GENERATED_UNITS = ("number", "count", "minutes", "currency")


def generate(organization, scale, rng, context) -> None:
    objectives_n, measures_n = SIZES[scale]
    today = organization.today()
    first_year = (
        fiscal.fiscal_year_of(today, organization.fiscal_year_start_month)
        - (PLAN_YEARS_BEHIND[scale])
    )
    plan = create_plan(
        organization,
        title=f"Strategic Plan {first_year}–{first_year + 4}",
        mission="Serve well.",
        vision="A thriving community.",
        first_fiscal_year=first_year,
        status=PlanStatus.ACTIVE,
    )
    perspectives = list(plan.perspectives.all())
    themes = Theme.objects.bulk_create(
        Theme(organization=organization, plan=plan, name=f"Theme {i + 1}", order=i)
        for i in range(5)
    )
    owners, units = context["owners"], context["units"]

    def owner():
        return None if rng.random() < 0.3 else rng.choice(owners)  # ~30% unowned

    objectives = StrategicObjective.objects.bulk_create(
        StrategicObjective(
            organization=organization,
            plan=plan,
            perspective=perspectives[i % len(perspectives)],
            theme=themes[i % len(themes)],
            unit=rng.choice(units),
            owner=owner(),
            title=f"Objective {i + 1}",
            order=i,
        )
        for i in range(objectives_n)
    )
    baseline_date = dt.date(first_year, organization.fiscal_year_start_month, 1) - dt.timedelta(
        days=1
    )
    measures = []
    for i in range(measures_n):
        polarity = rng.choice(["higher", "higher", "lower", "range"])
        base = Decimal(rng.randint(20, 500))
        fields = {
            "target_value": base * Decimal("1.3") if polarity == "higher" else base * Decimal("0.7")
        }
        if polarity == "range":
            fields = {"range_low": base * Decimal("0.9"), "range_high": base * Decimal("1.1")}
        measures.append(
            Measure(
                organization=organization,
                objective=objectives[i % objectives_n],
                name=f"Measure {i + 1}",
                polarity=polarity,
                baseline_value=base,
                baseline_date=baseline_date,
                tolerance=base * Decimal("0.02"),
                owner=owner(),
                org_unit=rng.choice(units),
                unit_kind=GENERATED_UNITS[i % len(GENERATED_UNITS)],
                visibility="public" if i % 4 else "internal",
                order=i,
                value_source="calculated" if i % 10 == 0 else "entered",
                rollup_method=rng.choice(["latest", "mean", "sum", "score_mean"]),
                **fields,
            )
        )
    measures = Measure.objects.bulk_create(measures)
    context["measures"] = measures
    context["plan"] = plan
    # Monthly values ending with the last complete month, up to HISTORY_MONTHS of them but
    # never before the plan's value window (``measures.value_window``: one fiscal year before
    # the plan), the rule every stored value obeys.
    first_allowed, _ = value_window(plan, organization.fiscal_year_start_month)
    last_month = fiscal.add_months(dt.date(today.year, today.month, 1), -1)
    months = [
        month
        for month in (
            fiscal.add_months(last_month, -i) for i in reversed(range(HISTORY_MONTHS[scale]))
        )
        if month >= first_allowed
    ]
    targets, values = [], []
    for measure in measures:
        for step, year in enumerate(plan.fiscal_years, start=1):
            if measure.target_value is not None:  # the straight path, year by year
                share = Decimal(step) / Decimal(len(plan.fiscal_years))
                floor = (
                    measure.baseline_value + (measure.target_value - measure.baseline_value) * share
                )
                high = None
            else:
                floor, high = measure.range_low, measure.range_high
            targets.append(
                MeasureTarget(
                    organization=organization,
                    measure=measure,
                    fiscal_year=year,
                    floor=floor.quantize(Decimal("0.01")),
                    range_high=high,
                )
            )
        if measure.value_source == "calculated":
            continue
        level = measure.baseline_value
        for month in months:
            level = level * Decimal(1 + rng.uniform(-0.03, 0.035))
            values.append(
                MeasureValue(
                    organization=organization,
                    measure=measure,
                    period=month,
                    value=level.quantize(Decimal("0.01")),
                )
            )
    MeasureTarget.objects.bulk_create(targets, batch_size=5000)
    MeasureValue.objects.bulk_create(values, batch_size=5000)
    # Bulk inserts send no model signals: the stored states, once for every measure.
    state.refresh_all(Measure.objects.filter(organization=organization))


@receiver(signals.generate_organization, dispatch_uid="scorecards-generate")
def _on_generate_organization(sender, organization, scale, rng, context, **kwargs) -> None:
    generate(organization, scale, rng, context)
