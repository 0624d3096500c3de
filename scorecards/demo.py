"""Demo data of the strategic layer: the Riverton plan of DESIGN.md §2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.dispatch import receiver

from scorecards import calc
from scorecards.measures import out_of_bounds, record_value, value_window
from scorecards.models import (
    CausalLink,
    FocusEntry,
    Measure,
    MeasureTarget,
    PlanStatus,
    StrategicObjective,
    StrategicPlan,
    Theme,
)
from scorecards.plans import create_plan
from scorecards.specs import measure_spec
from strategyhub import fiscal, signals
from strategyhub.models import Organization, Unit, User

FIRST_YEAR = 2026
BASELINE_DATE = dt.date(2026, 6, 30)

# perspective (government-5 preset), objective, measure fields, how its values behave today
# (``_series``: on track, at risk, off track, stale; "fed": calculated from the police OKRs
# from the quarter before today's, see ``okrs/demo.py``)
OBJECTIVES = [
    (
        "Mission / Citizen Value",
        "Reduce violent crime",
        {
            "name": "Violent crime rate per 100,000",
            "unit_kind": "rate",
            "rate_per": 100000,
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
            "unit_kind": "minutes",
            "decimals": 1,
            "polarity": "lower",
            "baseline_value": D("9.2"),
            "target_value": D("7.0"),
            "tolerance": D("0.3"),
            "data_source": "Computer-aided dispatch (CAD)",
            "definition": "Minutes from call received to first unit on scene, priority 1 calls.",
        },
        "fed",
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
            # A change in percent (−2 % is fine), not a share of a whole.
            "unit_kind": "percent_change",
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
        "fed",
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


# Periods of history before today's: a year back from the last complete period, so that
# period has the same one a year earlier to compare with (the trend), and the baseline's
# period when it lies further back.
HISTORY_PERIODS = {
    fiscal.Frequency.MONTHLY: 13,
    fiscal.Frequency.QUARTERLY: 5,
    fiscal.Frequency.ANNUAL: 2,
}


def okrs_start(today: dt.date, fiscal_start_month: int) -> dt.date:
    """The first day of the quarter before today's: the police OKRs (``okrs/demo.py``) start
    then, and from then on a "fed" measure's values come from their roll-up."""
    running = fiscal.fiscal_quarter_containing(today, fiscal_start_month)
    return fiscal.fiscal_quarter_containing(
        running.start - dt.timedelta(days=1), fiscal_start_month
    ).start


def _end_value(spec: calc.MeasureSpec, behaviour: str, last: dt.date) -> D:
    """The value of the last period that gives the measure its ``behaviour`` against the
    target due at that period's end."""
    expected = calc.expected_at(spec, fiscal.period_end(last, spec.frequency))
    if spec.polarity == calc.Polarity.RANGE:
        return expected.high - spec.tolerance / 2  # inside the band, near its edge
    better = -1 if spec.polarity == calc.Polarity.LOWER else 1
    if behaviour == "at_risk":
        return expected.low - better * spec.tolerance * D("0.6")
    if behaviour == "off_track":
        return expected.low - better * spec.tolerance * D("2.5")
    return expected.low + better * spec.tolerance / 2  # on track (or stale)


def _series(
    measure: Measure,
    spec: calc.MeasureSpec,
    behaviour: str,
    today: dt.date,
    window_start: dt.date,
) -> list[tuple[dt.date, D]]:
    """The entered history of ``measure`` (period start, value), deterministic for the seed
    day: from a year before the last complete period (or the baseline's period, when
    earlier; never before the plan's ``window_start``) to that period, ending on
    ``behaviour`` (on track, at risk, off track; stale: ending two periods early).

    The baseline is the value of the baseline's period. Before it, the values slide towards
    the baseline from slightly better (the slip the plan answers: crime and response times
    rising, certified and trained shares falling back to it); after it they move along a
    line to the last period's value, with a small wiggle. A "fed" measure (calculated from
    the police OKRs from the quarter before today's, ``okrs_start``) has entered values
    only for the periods that end before the OKRs start, held at its baseline after the
    baseline's period: its later values are the roll-up of its key results, which start
    from the baseline. No value leaves the measure's bounds (``out_of_bounds``)."""
    frequency, fy_month = spec.frequency, spec.fiscal_start_month
    months = fiscal.MONTHS_PER_PERIOD[frequency]
    current = fiscal.period_start(today, frequency, fy_month)
    last = fiscal.add_months(current, -months * (3 if behaviour == "stale" else 1))
    anchor = fiscal.period_start(spec.baseline_date, frequency, fy_month)
    year_back = fiscal.add_months(last, -months * (HISTORY_PERIODS[frequency] - 1))
    first = max(window_start, min(anchor, year_back))
    fed = behaviour == "fed"
    if fed:
        last = fiscal.period_start(
            okrs_start(today, fy_month) - dt.timedelta(days=1), frequency, fy_month
        )
    periods = []
    period = first
    while period <= last:
        periods.append(period)
        period = fiscal.add_months(period, months)
    if not periods:
        return []
    base, tolerance = spec.baseline_value, spec.tolerance
    end = base if fed else _end_value(spec, behaviour, periods[-1])
    if spec.polarity == calc.Polarity.RANGE:  # better is towards the range
        better = -1 if base > spec.target.high else 1 if base < spec.target.low else 0
    else:
        better = -1 if spec.polarity == calc.Polarity.LOWER else 1
    # The baseline's place in the series (the first or last period when it lies outside).
    at = min(len(periods) - 1, max(0, sum(1 for p in periods if p < anchor)))
    series = []
    for i, period in enumerate(periods):
        if i <= at:
            share = D(at - i) / at if at else D(0)  # 1 at the first period, 0 at the baseline
            plain = base
            value = base + better * tolerance * share * (D("0.5") + D((i * 3) % 4) / 10)
        else:
            plain = base + (end - base) * D(i - at) / (len(periods) - 1 - at)
            wiggle = D((i * 7) % 5 - 2) / 10 * tolerance
            value = plain if fed or i == len(periods) - 1 else plain + wiggle
        if out_of_bounds(measure, value):
            value = plain
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
        vision="A city where every neighborhood is safe and trusts its public services.",
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
        window_start = value_window(plan, organization.fiscal_year_start_month)[0]
        for period, value in _series(measure, spec, behaviour, today, window_start):
            # The value form's own action: its rules (bounds, the plan's window, no future
            # period) hold for the demo's history too.
            record_value(
                measure,
                plan=plan,
                organization=organization,
                period=period,
                value=value,
                user=owner,
                today=today,
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
