"""Writes and page queries of the strategic layer. Views call these; the number rules
themselves live in ``scorecards.calc``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

from scorecards import calc
from scorecards.models import (
    Measure,
    MeasureTarget,
    MeasureValue,
    Perspective,
    PlanStatus,
    StrategicObjective,
    StrategicPlan,
    ValueOrigin,
)
from strategyhub.models import Organization, PerspectivePreset, User

PRESET_PERSPECTIVES = {
    PerspectivePreset.CLASSIC_4: [
        ("Financial", "How do we look to those who fund us?"),
        ("Customer", "How do those we serve see us?"),
        ("Internal Process", "What must we excel at?"),
        ("Learning & Growth", "How do we keep improving and changing?"),
    ],
    PerspectivePreset.GOVERNMENT_5: [
        ("Mission / Citizen Value", "The outcomes residents get from us."),
        ("Stakeholder / Partner", "What partners, council and community need from us."),
        ("Financial Stewardship", "Using public money well."),
        ("Internal Process", "What we must do well to deliver."),
        ("Learning Growth & Workforce", "The people, skills and tools the rest stands on."),
    ],
}

SPARKLINE_PERIODS = 12
# Above this many measures the plan overview lists objectives with their measures' statuses
# and leaves the measure rows to the perspective and objective pages (a 1,000-measure grid
# is over a megabyte of HTML that nobody reads on one screen).
OVERVIEW_MEASURE_LIMIT = 120
MEASURE_WARNING_LIMIT = 25


@transaction.atomic
def create_plan(
    organization: Organization,
    *,
    title: str,
    mission: str,
    vision: str,
    first_fiscal_year: int,
    last_fiscal_year: int | None = None,
    values: str = "",
    status: str = PlanStatus.DRAFT,
) -> StrategicPlan:
    """A plan (five fiscal years by default) with the agency's preset perspectives."""
    plan = StrategicPlan(
        organization=organization,
        title=title,
        mission=mission,
        vision=vision,
        values=values,
        first_fiscal_year=first_fiscal_year,
        last_fiscal_year=last_fiscal_year or first_fiscal_year + 4,
        status=status,
    )
    plan.full_clean()
    plan.save()
    for order, (name, description) in enumerate(
        PRESET_PERSPECTIVES[PerspectivePreset(organization.perspective_preset)], start=1
    ):
        Perspective.objects.create(
            organization=organization, plan=plan, name=name, description=description, order=order
        )
    return plan


def active_plan(organization: Organization) -> StrategicPlan | None:
    return StrategicPlan.objects.filter(organization=organization, status=PlanStatus.ACTIVE).first()


# --- Status of measures ---------------------------------------------------------------------


def measure_spec(
    measure: Measure,
    plan: StrategicPlan,
    fiscal_start_month: int,
    yearly_floors: dict[int, calc.Band] | None = None,
) -> calc.MeasureSpec:
    """The calc view of a measure; reads ``measure.targets`` unless ``yearly_floors`` is
    given (lists pass them, read in bulk)."""
    if yearly_floors is None:
        yearly_floors = {t.fiscal_year: t.band for t in measure.targets.all()}
    return calc.MeasureSpec(
        polarity=calc.Polarity(measure.polarity),
        baseline_value=measure.baseline_value,
        baseline_date=measure.baseline_date,
        target_date=plan.end_date(fiscal_start_month),
        target=measure.target_band,
        tolerance=measure.tolerance,
        frequency=calc.Frequency(measure.update_frequency),
        fiscal_start_month=fiscal_start_month,
        yearly_floors=yearly_floors,
    )


@dataclass
class MeasureState:
    measure: Measure
    spec: calc.MeasureSpec
    assessment: calc.Assessment
    due_now: calc.Band
    progress: Decimal | None
    trend: calc.Trend
    recent: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    @property
    def status(self) -> calc.Status:
        return self.assessment.status

    @property
    def status_label(self) -> str:
        return calc.STATUS_LABELS[self.assessment.status]

    def due_now_text(self) -> str:
        band = self.due_now
        if band.is_point:
            return self.measure.format(band.low)
        return f"{self.measure.format(band.low)} to {self.measure.format(band.high)}"

    def progress_text(self) -> str:
        return calc.format_percent_share(self.progress)


def measure_state(
    measure: Measure,
    values: list[tuple[dt.date, Decimal]],
    plan: StrategicPlan,
    organization: Organization,
    today: dt.date,
    yearly_floors: dict[int, calc.Band] | None = None,
) -> MeasureState:
    spec = measure_spec(measure, plan, organization.fiscal_year_start_month, yearly_floors)
    assessment = calc.assess(spec, values, today)
    ordered = sorted(values)
    return MeasureState(
        measure=measure,
        spec=spec,
        assessment=assessment,
        due_now=calc.expected_at(spec, today),
        progress=calc.progress(spec, assessment.latest_value),
        trend=calc.trend(ordered, spec.polarity, spec.target),
        recent=ordered[-SPARKLINE_PERIODS:],
    )


def measures_with_recent_values(queryset, *, related: bool = True):
    """Measures with their latest value (even an old one), and their owner and unit unless
    ``related`` is off (pages that show statuses only), in one query; ``states_for`` then
    reads recent values and yearly targets in bulk (plain tuples: building 30,000 model
    instances was most of the large overview's time)."""
    latest = MeasureValue.objects.filter(measure=OuterRef("pk")).order_by("-period")
    if related:
        queryset = queryset.select_related("owner", "unit")
    return queryset.annotate(
        latest_period=Subquery(latest.values("period")[:1]),
        latest_value=Subquery(latest.values("value")[:1]),
    )


def states_for(
    measures,
    plan: StrategicPlan,
    organization: Organization,
    today: dt.date,
    *,
    series: bool = True,
) -> dict[int, MeasureState]:
    """The state of each measure (from ``measures_with_recent_values``), in two queries.

    ``series=False`` is for pages that show statuses only (the compact overview, the
    strategy map, the ownership page): the status, progress and pace need the latest value
    alone, so the recent values (the sparkline and trend, 24,000 rows in a large agency) are
    not read, and the trend is left unknown."""
    ids = [measure.pk for measure in measures]
    recent: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    if series:
        for measure_id, period, value in (
            MeasureValue.objects.filter(measure_id__in=ids, period__gte=recent_since(today))
            .order_by("period")
            .values_list("measure_id", "period", "value")
        ):
            recent[measure_id].append((period, value))
    floors: dict[int, dict[int, calc.Band]] = defaultdict(dict)
    for measure_id, year, floor, high in MeasureTarget.objects.filter(
        measure_id__in=ids
    ).values_list("measure_id", "fiscal_year", "floor", "range_high"):
        floors[measure_id][year] = (
            calc.Band(floor, high) if high is not None else calc.Band.point(floor)
        )
    states = {}
    for measure in measures:
        series_of = recent[measure.pk]
        if measure.latest_period is not None and not any(
            period == measure.latest_period for period, _ in series_of
        ):
            series_of.append((measure.latest_period, measure.latest_value))
        states[measure.pk] = measure_state(
            measure, series_of, plan, organization, today, floors[measure.pk]
        )
    return states


def recent_since(today: dt.date) -> dt.date:
    return calc.add_months(today, -(SPARKLINE_PERIODS + 12))


@dataclass
class ObjectiveRow:
    objective: StrategicObjective
    measures: list[MeasureState]

    @property
    def status(self) -> calc.Status:
        return calc.objective_status([state.status for state in self.measures])

    def measure_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for each status its measures have, in the summary's order."""
        counts: dict[str, int] = defaultdict(int)
        for state in self.measures:
            counts[state.status] += 1
        return [(s.value, calc.STATUS_LABELS[s], counts[s]) for s in calc.Status if counts[s]]


@dataclass
class PerspectiveBlock:
    perspective: Perspective
    objectives: list[ObjectiveRow]


@dataclass
class PlanOverview:
    plan: StrategicPlan
    perspectives: list[PerspectiveBlock]
    warnings: list[str]
    status_counts: dict[str, int]


def plan_overview(
    plan: StrategicPlan,
    organization: Organization,
    today: dt.date,
    perspective: Perspective | None = None,
    *,
    series: bool | None = None,
) -> PlanOverview:
    """Perspectives × objectives × measures with their states: a fixed number of queries.

    ``series`` (recent values for sparklines and trends, see ``states_for``) defaults to
    whether the measures are listed: for one perspective, or for a whole plan of at most
    ``OVERVIEW_MEASURE_LIMIT`` measures (above it the overview shows statuses only)."""
    objectives = (
        StrategicObjective.objects.filter(plan=plan, archived_at=None)
        .select_related("owner", "unit", "theme", "perspective")
        .order_by("perspective__order", "order", "title")
    )
    measures = Measure.objects.filter(objective__plan=plan, archived_at=None)
    if perspective is None:
        perspectives = list(plan.perspectives.all())
    else:
        perspectives = [perspective]
        objectives = objectives.filter(perspective=perspective)
        measures = measures.filter(objective__perspective=perspective)
    objectives = list(objectives)
    if series is None:
        series = perspective is not None or measures.count() <= OVERVIEW_MEASURE_LIMIT
    # Listed measures show their owner and unit; a statuses-only overview needs neither.
    measure_list = list(measures_with_recent_values(measures, related=series))
    states = states_for(measure_list, plan, organization, today, series=series)
    by_objective: dict[int, list[MeasureState]] = defaultdict(list)
    for measure in measure_list:
        by_objective[measure.objective_id].append(states[measure.pk])
    by_perspective: dict[int, list[ObjectiveRow]] = defaultdict(list)
    for objective in objectives:
        by_perspective[objective.perspective_id].append(
            ObjectiveRow(objective, by_objective.get(objective.pk, []))
        )
    counts: dict[str, int] = defaultdict(int)
    for state in states.values():
        counts[state.status] += 1
    return PlanOverview(
        plan=plan,
        perspectives=[PerspectiveBlock(p, by_perspective.get(p.pk, [])) for p in perspectives],
        warnings=discipline_warnings(
            objectives,
            measure_list,
            {pk for pk, state in states.items() if state.spec.yearly_floors},
        )
        if perspective is None
        else [],
        status_counts=dict(counts),
    )


def discipline_warnings(
    objectives: list[StrategicObjective], measures: list[Measure], with_yearly_targets: set[int]
) -> list[str]:
    """The product warns, it does not forbid (DESIGN.md §1)."""
    warnings = []
    if len(measures) > MEASURE_WARNING_LIMIT:
        warnings.append(
            f"The scorecard has {len(measures)} measures; 20–25 is the recommended most. "
            "A scorecard of 100 numbers steers nothing."
        )
    with_measures = {m.objective_id for m in measures}
    for objective in objectives:
        if objective.pk not in with_measures:
            warnings.append(f"“{objective.title}” has no measure: how will you know it moves?")
    for measure in measures:
        if measure.owner_id is None:
            warnings.append(f"“{measure.name}” has no owner.")
        if measure.pk not in with_yearly_targets and (
            measure.target_value is None and measure.range_low is None
        ):
            warnings.append(f"“{measure.name}” has no target.")
    return warnings


# --- Values ---------------------------------------------------------------------------------


class ValueRefused(ValidationError):
    """A value the rules do not accept; carries field messages for the form."""


def value_window(plan: StrategicPlan, fiscal_start_month: int) -> tuple[dt.date, dt.date]:
    """Periods a plan accepts values for: one fiscal year of history before the plan (for
    the trend) through the plan's last fiscal year."""
    first = dt.date(plan.first_fiscal_year - 1, fiscal_start_month, 1)
    return first, plan.end_date(fiscal_start_month)


def record_value(measure: Measure, **details) -> MeasureValue:
    """Store the value of ``measure`` for the period containing ``period`` (the arguments of
    :func:`store_value`), in a transaction of its own.

    Refused: a value typed into a calculated measure, a period outside the plan or in the
    future, and a second value for a period unless ``correction`` is set (the old value then
    stays in the row's history).
    """
    with transaction.atomic():
        return store_value(measure, **details)


def store_value(
    measure: Measure,
    *,
    plan: StrategicPlan,
    organization: Organization,
    period: dt.date,
    value: Decimal,
    user: User | None,
    note: str = "",
    source: str = ValueOrigin.ENTERED,
    today: dt.date | None = None,
    correction: bool = False,
) -> MeasureValue:
    """``record_value`` for a caller already inside a transaction (the check-in's roll-up):
    no savepoint of its own. Every refusal is raised before anything is written; a
    ``correction`` replaces an existing value (kept in history), otherwise a second value for
    a period is refused."""
    today = today or organization.today()
    if measure.is_calculated and source != ValueOrigin.KEY_RESULTS:
        raise ValueRefused(
            {"value": "This measure is calculated from its key results; it cannot be typed in."}
        )
    frequency = calc.Frequency(measure.update_frequency)
    start = calc.period_start(period, frequency, organization.fiscal_year_start_month)
    first, last = value_window(plan, organization.fiscal_year_start_month)
    if start < first or start > last:
        raise ValueRefused(
            {"period": f"Choose a period between {first:%B %Y} and {last:%B %Y} (the plan)."}
        )
    if start > today:
        raise ValueRefused({"period": "That period has not started yet."})
    existing = (
        MeasureValue.objects.select_for_update().filter(measure=measure, period=start).first()
    )
    if existing is not None and not correction:
        raise ValueRefused(
            {
                "period": (
                    f"{start:%B %Y} already has a value ({measure.format(existing.value)}); "
                    "use “Correct” on that row to change it."
                )
            }
        )
    if existing is None:
        existing = MeasureValue(organization=organization, measure=measure, period=start)
    elif (existing.value, existing.note, existing.source) == (value, note, source):
        return existing  # a correction that changes nothing writes nothing (no history row)
    else:
        existing.measure = measure  # known already: the tenant check needs no query
    existing.value = value
    existing.note = note
    existing.source = source
    existing.entered_by = user
    existing.save()
    return existing
