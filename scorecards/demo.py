"""Demo data of the strategic layer: the Riverton plan of DESIGN.md §2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.dispatch import receiver

from scorecards import calc
from scorecards.measures import measure_spec, out_of_bounds
from scorecards.models import (
    CausalLink,
    FocusEntry,
    Measure,
    MeasureTarget,
    MeasureValue,
    PlanStatus,
    StrategicObjective,
    StrategicPlan,
    Theme,
    ValueOrigin,
)
from scorecards.plans import create_plan
from strategyhub import fiscal, signals
from strategyhub.models import Organization, Unit, User

FIRST_YEAR = 2026
BASELINE_DATE = dt.date(2026, 6, 30)

# perspective (government-5 preset), objective, measure fields, how its values behave
OBJECTIVES = [
    (
        "Mission / Citizen Value",
        "Reduce violent crime",
        {
            "name": "Violent crime rate per 100,000",
            "unit_kind": "rate",
            "rate_per": 100000,
            "unit_label": "per 100,000",
            "decimals": 0,
            "polarity": "lower",
            "baseline_value": D(485),
            "target_value": D(364),
            "tolerance": D(8),
            "data_source": "Police records management system (UCR Part I)",
            "definition": "Homicide, rape, robbery and aggravated assault per 100,000 residents, "
            "rolling twelve months.",
        },
        "on_track",
    ),
    (
        "Mission / Citizen Value",
        "Improve emergency response",
        {
            "name": "Average response time to serious incidents",
            "unit_kind": "duration",
            "unit_label": "min",
            "decimals": 1,
            "polarity": "lower",
            "baseline_value": D("9.2"),
            "target_value": D("7.0"),
            "tolerance": D("0.3"),
            "data_source": "Computer-aided dispatch (CAD)",
            "definition": "Minutes from call received to first unit on scene, priority 1 calls.",
        },
        "at_risk",
    ),
    (
        "Internal Process",
        "Increase community policing",
        {
            "name": "Officers trained in community policing",
            "unit_kind": "percent",
            "decimals": 0,
            "polarity": "higher",
            "baseline_value": D(35),
            "target_value": D(100),
            "tolerance": D(3),
            "data_source": "Training academy records",
            "definition": "Sworn officers who completed the 40-hour community policing course.",
        },
        "off_track",
    ),
    (
        "Financial Stewardship",
        "Sustain operations within budget",
        {
            "name": "Police budget variance",
            # A change in percent (−2 % is fine), not a share of a whole: a number labelled
            # "%" until the unit vocabulary has a percent change (issue 16).
            "unit_kind": "number",
            "unit_label": "%",
            "decimals": 1,
            "polarity": "range",
            "baseline_value": D("3.2"),
            "range_low": D(-2),
            "range_high": D(2),
            "tolerance": D("0.5"),
            "update_frequency": "quarterly",
            "data_source": "Finance department general ledger",
            "definition": "Actual spending against the adopted budget, year to date.",
        },
        "on_track",
    ),
    (
        "Learning Growth & Workforce",
        "Build crisis-intervention capability",
        {
            "name": "Officers with CIT certification",
            "unit_kind": "percent",
            "decimals": 0,
            "polarity": "higher",
            "baseline_value": D(40),
            "target_value": D(85),
            "tolerance": D(3),
            "update_frequency": "quarterly",
            "data_source": "Training academy records",
            "definition": "Sworn officers holding a current Crisis Intervention Team "
            "certification.",
        },
        "stale",
    ),
]

LINKS = [
    (
        "Build crisis-intervention capability",
        "Improve emergency response",
        "Trained officers resolve crisis calls faster and more safely.",
    ),
    (
        "Increase community policing",
        "Reduce violent crime",
        "Trust brings tips and early warnings that prevent violence.",
    ),
    (
        "Sustain operations within budget",
        "Increase community policing",
        "A balanced budget keeps training funded.",
    ),
    (
        "Improve emergency response",
        "Reduce violent crime",
        "Fast response interrupts escalating incidents.",
    ),
]

FOCUS = {
    "Reduce violent crime": ["high", "high", "high", "high"],
    "Improve emergency response": ["medium", "medium", "high", "high"],
    "Increase community policing": ["medium", "low", "high", "high"],
}


def _series(spec: calc.MeasureSpec, behaviour: str, today: dt.date) -> list[tuple[dt.date, D]]:
    """Twelve periods of values ending with the last complete period, shaped to land on
    ``behaviour`` (on track, at risk, off track, or stale: ending two periods early)."""
    months = fiscal.MONTHS_PER_PERIOD[spec.frequency]
    current = fiscal.period_start(today, spec.frequency, spec.fiscal_start_month)
    last = fiscal.add_months(current, -months * (3 if behaviour == "stale" else 1))
    count = 12 if spec.frequency == fiscal.Frequency.MONTHLY else 5
    periods = [fiscal.add_months(last, -months * i) for i in reversed(range(count))]
    better = -1 if spec.polarity == calc.Polarity.LOWER else 1
    series = []
    for i, period in enumerate(periods):
        expected = calc.expected_at(spec, fiscal.period_end(period, spec.frequency))
        wiggle = D((i * 7) % 5 - 2) / 10 * spec.tolerance
        if spec.polarity == calc.Polarity.RANGE:
            value = expected.high - spec.tolerance / 2 + wiggle / 4
        elif behaviour in ("on_track", "stale"):
            value = expected.low + better * (spec.tolerance / 2 + abs(wiggle))
        elif behaviour == "at_risk":
            value = expected.low - better * spec.tolerance * D("0.6")
        else:
            value = expected.low - better * spec.tolerance * (D(2) + D(i) / 4)
        series.append((period, value.quantize(D("0.01"))))
    return series


def seed(organization: Organization, users: dict[str, User], units: dict[str, Unit]) -> None:
    """Idempotent: an agency that already has the demo plan is left as it is."""
    title = f"{organization.name} Strategic Plan {FIRST_YEAR}–{FIRST_YEAR + 4}"
    if StrategicPlan.objects.filter(organization=organization, title=title).exists():
        return
    plan = create_plan(
        organization,
        title=title,
        mission="Keep every resident safe and served with fairness, speed and respect.",
        vision="A city where every neighbourhood is safe and trusts its public services.",
        values="Integrity\nTransparency\nService\nEquity",
        first_fiscal_year=FIRST_YEAR,
        status=PlanStatus.ACTIVE,
    )
    theme = Theme.objects.create(
        organization=organization,
        plan=plan,
        name="Safe Communities",
        description="Fewer victims, faster help, more trust.",
    )
    perspectives = {p.name: p for p in plan.perspectives.all()}
    police = units["Police Department"]
    objectives = {}
    today = organization.today()
    owners = [users["editor"], users["contributor"], None, users["admin"], None]
    for order, ((perspective, title_, fields, behaviour), owner) in enumerate(
        zip(OBJECTIVES, owners, strict=True), start=1
    ):
        objective = StrategicObjective.objects.create(
            organization=organization,
            plan=plan,
            perspective=perspectives[perspective],
            theme=theme,
            unit=police,
            owner=owner,
            title=title_,
            order=order,
        )
        objectives[title_] = objective
        measure = Measure.objects.create(
            organization=organization,
            objective=objective,
            baseline_date=BASELINE_DATE,
            owner=owner,
            org_unit=police,
            **fields,
        )
        spec = measure_spec(measure, plan, organization.fiscal_year_start_month)
        for year, value in calc.yearly_path(
            spec, plan.first_fiscal_year, plan.last_fiscal_year
        ).items():
            if measure.polarity == "range":
                high = calc.straight_path(
                    fiscal.fiscal_year_end(year, organization.fiscal_year_start_month),
                    spec.baseline_date,
                    spec.baseline_value,
                    spec.target_date,
                    spec.target.high,
                )
                MeasureTarget.objects.create(
                    organization=organization,
                    measure=measure,
                    fiscal_year=year,
                    floor=measure.range_low,
                    range_high=high.quantize(D("0.1")),
                )
                continue
            step = (measure.target_value - measure.baseline_value) / 10
            stretch: D | None = (value + step).quantize(D("0.1"))
            if out_of_bounds(measure, stretch):
                # A floor already at the edge (100 % of officers trained in the last year)
                # has no stretch beyond it.
                stretch = None
            MeasureTarget.objects.create(
                organization=organization,
                measure=measure,
                fiscal_year=year,
                floor=value.quantize(D("0.1")),
                stretch=stretch,
            )
        spec = measure_spec(measure, plan, organization.fiscal_year_start_month)
        MeasureValue.objects.bulk_create(
            MeasureValue(
                organization=organization,
                measure=measure,
                period=period,
                value=value,
                source=ValueOrigin.ENTERED,
                entered_by=owner,
            )
            for period, value in _series(spec, behaviour, today)
        )
    for source, target, pathway in LINKS:
        CausalLink.objects.create(
            organization=organization,
            source=objectives[source],
            target=objectives[target],
            pathway=pathway,
        )
    fiscal_year = fiscal.fiscal_year_of(today, organization.fiscal_year_start_month)
    for title_, levels in FOCUS.items():
        for quarter, level in enumerate(levels, start=1):
            FocusEntry.objects.create(
                organization=organization,
                objective=objectives[title_],
                fiscal_year=fiscal_year,
                quarter=quarter,
                level=level,
            )


@receiver(signals.seed_demo, dispatch_uid="scorecards-demo")
def _on_seed_demo(sender, organization, users, units, **kwargs) -> None:
    seed(organization, users, units)
