"""Page reads of the strategic layer: the active plan, measure states read in bulk, the plan
overview (perspectives × objectives × measures) and what each staff page shows. No writes;
a fixed number of queries per page whatever the agency's size."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet

from scorecards import calc
from scorecards import state as stored_state
from scorecards.discipline import discipline_warnings
from scorecards.models import (
    CausalLink,
    FocusEntry,
    Measure,
    MeasureTarget,
    MeasureValue,
    Perspective,
    PlanStatus,
    StrategicObjective,
    StrategicPlan,
)
from scorecards.models import MeasureState as StoredMeasureState
from scorecards.specs import measure_spec
from scorecards.summary import PlanSummary, measure_rows, plan_summary
from strategyhub import fiscal
from strategyhub.models import Organization
from strategyhub.status import Status
from strategyhub.ui.formatting import format_percent_share

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

SPARKLINE_PERIODS = stored_state.SPARKLINE_PERIODS
# Above this many measures the plan overview lists objectives with their measures' statuses
# and leaves the measure rows to the perspective and objective pages (a 1,000-measure grid
# is over a megabyte of HTML that nobody reads on one screen).
OVERVIEW_MEASURE_LIMIT = 120


def active_plan(organization: Organization) -> StrategicPlan | None:
    return StrategicPlan.objects.filter(organization=organization, status=PlanStatus.ACTIVE).first()


def plans_by_year() -> list[StrategicPlan]:
    """The agency's plans, the latest first (the page shown when no plan is active)."""
    return list(StrategicPlan.objects.order_by("-first_fiscal_year"))


# --- Status of measures ---------------------------------------------------------------------


@dataclass
class MeasureState:
    """What a page shows of a measure: from its stored state (``scorecards.state``) on list
    pages, from its values on its own page; the same functions either way."""

    measure: Measure
    spec: calc.MeasureSpec
    assessment: calc.Assessment
    today: dt.date
    progress: Decimal | None
    trend: calc.Trend
    # The sparkline's values: given (the measure page), or parsed from the stored state's
    # ``recent`` on first use (most list rows never show one).
    recent_points: list[tuple[dt.date, Decimal]] | None = None
    stored: StoredMeasureState | None = None
    trend_since: dt.date | None = None  # the period the latest value is compared with
    has_yearly_targets: bool = False
    # Whether ``spec`` holds the yearly targets (pages that show statuses only skip them).
    targets_loaded: bool = True

    @property
    def recent(self) -> list[tuple[dt.date, Decimal]]:
        if self.recent_points is None:
            stored = self.stored.recent if self.stored is not None else []
            self.recent_points = [
                (dt.date.fromisoformat(period), Decimal(value)) for period, value in stored
            ]
        return self.recent_points

    @cached_property
    def due_now(self) -> calc.Band:
        """The target due today (depends on the date: never stored; worked out once per
        state, as a row shows it in three places)."""
        if not self.targets_loaded:
            raise ValueError("states_for(series=False) does not read the yearly targets")
        return calc.expected_at(self.spec, self.today)

    def trend_text(self) -> str:
        """The trend word with its window: "Improving (vs. November 2025)"."""
        word = self.trend.value.capitalize()
        if self.trend_since is None:
            return "Unknown (not enough values)" if self.trend == calc.Trend.UNKNOWN else word
        since = fiscal.period_label(
            self.trend_since,
            self.spec.frequency,
            self.spec.fiscal_start_month,
            self.spec.fiscal_label_style,
        )
        return f"{word} (vs. {since})"

    @property
    def status(self) -> Status:
        return self.assessment.status

    @property
    def status_label(self) -> str:
        return self.assessment.status.label

    def due_now_text(self) -> str:
        band = self.due_now
        if band.is_point:
            return self.measure.format(band.low)
        return f"{self.measure.format(band.low)} to {self.measure.format(band.high)}"

    def progress_text(self) -> str:
        return format_percent_share(self.progress)

    @property
    def due_now_progress(self) -> Decimal | None:
        """Where the target due today stands on the way from the baseline to the five-year
        target (the mark on the progress bar), by the same rule as ``progress``: for a range
        measure, the edge of today's band nearest the baseline (the one to cross)."""
        if not self.targets_loaded:
            return None
        band = self.due_now
        edge = band.low
        if not band.is_point:
            baseline = self.spec.baseline_value
            edge = band.high if abs(baseline - band.high) < abs(baseline - band.low) else band.low
        return calc.progress(self.spec, edge)


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
    reading = calc.trend(ordered, spec.polarity, spec.target)
    return MeasureState(
        measure=measure,
        spec=spec,
        assessment=assessment,
        today=today,
        progress=calc.progress(spec, assessment.latest_value),
        trend=reading.direction,
        recent_points=ordered[-SPARKLINE_PERIODS:],
        trend_since=reading.compared_with,
        has_yearly_targets=bool(spec.yearly_floors),
    )


class RecentValue(TypedDict):
    """What ``measures_with_recent_values`` adds to each measure: its latest value (even an
    old one) and that value's period, None when it has none."""

    latest_period: dt.date | None
    latest_value: Decimal | None


if TYPE_CHECKING:
    MeasureWithRecentValue = WithAnnotations[Measure, RecentValue]


def measures_with_recent_values(
    queryset: QuerySet[Measure], *, related: bool = True
) -> QuerySet[MeasureWithRecentValue]:
    """Measures with their stored state (``scorecards.state``) and, as ``latest_period`` and
    ``latest_value``, their latest value (even an old one), and their owner and org unit
    unless ``related`` is off (pages that show statuses only, which leave the sparkline's
    points unread), in one query."""
    if related:
        queryset = queryset.select_related("owner", "org_unit")
    else:  # statuses only: no sparkline, so its points stay unread (and undecoded)
        queryset = queryset.defer("state__recent")
    return queryset.select_related("state").annotate(
        latest_period=F("state__latest_period"), latest_value=F("state__latest_value")
    )


def states_for(
    measures: Iterable[MeasureWithRecentValue],
    plan: StrategicPlan,
    organization: Organization,
    today: dt.date,
    *,
    series: bool = True,
) -> dict[int, MeasureState]:
    """The state of each measure (from ``measures_with_recent_values``), from the stored
    states: no values are read. Staleness is derived here from today's date.

    ``series=False`` is for pages that show statuses only (the compact overview, the
    strategy map, the ownership page): the yearly targets, needed only for the target due
    now, are not read (one query fewer, 5,000 rows fewer in a large agency)."""
    measures = list(measures)
    fy_month = organization.fiscal_year_start_month
    floors: dict[int, dict[int, calc.Band]] = defaultdict(dict)
    if series:
        for measure_id, year, floor, high in MeasureTarget.objects.filter(
            measure_id__in=[measure.pk for measure in measures]
        ).values_list("measure_id", "fiscal_year", "floor", "range_high"):
            floors[measure_id][year] = (
                calc.Band(floor, high) if high is not None else calc.Band.point(floor)
            )
    rows: dict[int, StoredMeasureState] = {}
    missing = []
    for measure in measures:
        row = _stored(measure)
        if row is None:
            missing.append(measure.pk)
        else:
            rows[measure.pk] = row
    if missing:  # none while every write goes through the model (logged if not)
        logger.warning("%d measure(s) without a stored state: computed on read", len(missing))
        rows.update(stored_state.unsaved(missing))
    return {
        measure.pk: _from_stored(
            measure, rows[measure.pk], plan, fy_month, floors[measure.pk], today, series
        )
        for measure in measures
    }


def _stored(measure: Measure) -> StoredMeasureState | None:
    try:
        return measure.state
    except StoredMeasureState.DoesNotExist:
        return None


def _from_stored(
    measure: Measure,
    row: StoredMeasureState,
    plan: StrategicPlan,
    fy_month: int,
    floors: dict[int, calc.Band],
    today: dt.date,
    targets_loaded: bool,
) -> MeasureState:
    spec = measure_spec(measure, plan, fy_month, floors)
    if (
        row.latest_period is None
        or row.latest_value is None
        or row.expected_low is None
        or row.expected_high is None
    ):  # no value yet (the four are stored together)
        assessment = calc.Assessment(Status.NO_DATA, None, None, None, None)
    else:
        comparison = Status(row.comparison)
        expected = calc.Band(row.expected_low, row.expected_high)
        stale = calc.is_stale(row.latest_period, spec.frequency, today)
        assessment = calc.Assessment(
            Status.STALE if stale else comparison,
            comparison,
            expected,
            row.latest_value,
            row.latest_period,
        )
    return MeasureState(
        measure=measure,
        spec=spec,
        assessment=assessment,
        today=today,
        progress=row.progress,
        trend=calc.Trend(row.trend),
        stored=row,
        trend_since=row.trend_since,
        has_yearly_targets=row.has_yearly_targets,
        targets_loaded=targets_loaded,
    )


# --- The plan overview ----------------------------------------------------------------------


@dataclass
class ObjectiveRow:
    objective: StrategicObjective
    measures: list[MeasureState]

    @property
    def status(self) -> Status:
        return calc.objective_status([state.status for state in self.measures])

    def measure_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for each status its measures have, in the summary's order."""
        counts: dict[str, int] = defaultdict(int)
        for state in self.measures:
            counts[state.status] += 1
        return [(s.value, s.label, counts[s]) for s in Status if counts[s]]


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
    objective_ids: list[int] | None = None,
) -> PlanOverview:
    """Perspectives × objectives × measures with their states: a fixed number of queries.

    ``series`` (recent values for sparklines and trends, see ``states_for``) defaults to
    whether the measures are listed: for one perspective, or for a whole plan of at most
    ``OVERVIEW_MEASURE_LIMIT`` measures (above it the overview shows statuses only)."""
    objectives_qs = (
        StrategicObjective.objects.filter(plan=plan)
        .select_related("owner", "unit", "theme", "perspective")
        .order_by("perspective__order", "order", "title")
    )
    if objective_ids is None:
        # The scorecard lists live objectives; ids given explicitly are shown as they are
        # (an archived objective's own page, from which it is restored).
        objectives_qs = objectives_qs.filter(archived_at=None)
    measures = Measure.objects.filter(objective__plan=plan, archived_at=None)
    if perspective is None:
        perspectives = list(plan.perspectives.all())
    else:
        perspectives = [perspective]
        objectives_qs = objectives_qs.filter(perspective=perspective)
        measures = measures.filter(objective__perspective=perspective)
    if objective_ids is not None:  # one page of the perspective's objectives
        objectives_qs = objectives_qs.filter(pk__in=objective_ids)
        measures = measures.filter(objective_id__in=objective_ids)
    objectives = list(objectives_qs)
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
            {pk for pk, state in states.items() if state.has_yearly_targets},
        )
        if perspective is None
        else [],
        status_counts=dict(counts),
    )


def status_summary(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the summary's order."""
    return [(s.value, s.label, counts.get(s, 0)) for s in Status]


# --- What each page shows -------------------------------------------------------------------


@dataclass
class PlanPage:
    overview: PlanOverview | None  # the full overview (None when summarised)
    summary: PlanSummary | None  # the summary of a large scorecard (``scorecards.summary``)
    themes: list[Any]
    other_plans: list[StrategicPlan]
    history: list[Any]


def live_measures(plan: StrategicPlan) -> QuerySet[Measure]:
    return Measure.objects.filter(objective__plan=plan, archived_at=None)


def plan_page(
    plan: StrategicPlan, organization: Organization, today: dt.date, *, summary: bool = False
) -> PlanPage:
    return PlanPage(
        overview=None if summary else plan_overview(plan, organization, today),
        summary=plan_summary(plan, organization, today) if summary else None,
        themes=list(plan.themes.all()),
        other_plans=list(StrategicPlan.objects.exclude(pk=plan.pk)),
        history=list(plan.history.select_related("history_user")[:10]),
    )


@dataclass
class PerspectivePage:
    perspective: Perspective
    perspectives: list[Perspective]
    overview: PlanOverview  # the objectives of this page, with their measures
    objectives_page: Page  # of the perspective's objective ids
    status_counts: dict[str, int]  # of all the perspective's measures, by status


# Five objectives (about 25 measure rows, each with its sparkline and progress bar) a page:
# what a reader scans at once, the 25 rows a page of the ownership gaps and the lists, and
# a first build that does not grow with the plan (issue 17: eight objectives, about forty
# rows, cost 21 ms of CPU on the large agency, against a budget of about 15 ms; the status
# counts above the table cover the whole perspective and link to the lists behind them).
OBJECTIVES_PER_PERSPECTIVE_PAGE = 5


def perspective_page(
    plan: StrategicPlan,
    perspective_id: int,
    organization: Organization,
    today: dt.date,
    page: str | int | None = None,
) -> PerspectivePage | None:
    """The perspective's dashboard, ``OBJECTIVES_PER_PERSPECTIVE_PAGE`` objectives (with
    their measures, sparklines and targets due now) a page, and the status counts of all
    its measures (rows from the stored states); None when the plan has no such perspective."""
    perspectives = list(plan.perspectives.all())
    perspective = next((p for p in perspectives if p.pk == perspective_id), None)
    if perspective is None:
        return None
    ids = list(
        StrategicObjective.objects.filter(perspective=perspective, archived_at=None)
        .order_by("order", "title")
        .values_list("pk", flat=True)
    )
    objectives_page = Paginator(ids, OBJECTIVES_PER_PERSPECTIVE_PAGE).get_page(page)
    overview = plan_overview(
        plan,
        organization,
        today,
        perspective=perspective,
        objective_ids=list(objectives_page.object_list),
    )
    counts: dict[str, int] = defaultdict(int)
    for row in measure_rows(plan, today, objective_ids=list(ids)):
        counts[row.status] += 1
    return PerspectivePage(perspective, perspectives, overview, objectives_page, dict(counts))


def objectives_for_page() -> QuerySet[StrategicObjective]:
    return StrategicObjective.objects.select_related(
        "plan", "perspective", "theme", "owner", "unit"
    )


@dataclass
class ObjectivePage:
    row: ObjectiveRow
    links_in: list[CausalLink]
    links_out: list[CausalLink]
    focus: list[FocusEntry]
    history: list[Any]


def objective_page(
    objective: StrategicObjective, organization: Organization, today: dt.date
) -> ObjectivePage:
    overview = plan_overview(
        objective.plan,
        organization,
        today,
        perspective=objective.perspective,
        objective_ids=[objective.pk],
    )
    row = next(r for r in overview.perspectives[0].objectives if r.objective.pk == objective.pk)
    return ObjectivePage(
        row=row,
        links_in=list(objective.links_in.select_related("source")),
        links_out=list(objective.links_out.select_related("target")),
        focus=list(objective.focus.order_by("fiscal_year", "quarter")),
        history=list(objective.history.select_related("history_user")[:20]),
    )


def measures_for_page() -> QuerySet[Measure]:
    return Measure.objects.select_related(
        "objective", "objective__plan", "objective__perspective", "owner", "org_unit"
    ).prefetch_related("targets")


@dataclass
class ValueRow:
    value: MeasureValue
    expected: calc.Band
    status: Status


@dataclass
class MeasurePage:
    values: list[MeasureValue]
    state: MeasureState
    targets: list[MeasureTarget]
    rows: list[ValueRow]  # the values, the latest first, each against its period's target
    history: list[Any]
    measure_history: list[Any]
    target_history: list[Any]


def measure_page(
    measure: Measure, plan: StrategicPlan, organization: Organization, today: dt.date
) -> MeasurePage:
    values = list(measure.values.select_related("entered_by").order_by("period"))
    state = measure_state(measure, [(v.period, v.value) for v in values], plan, organization, today)
    spec = state.spec
    rows = []
    for v in reversed(values):
        expected = calc.expected_at(spec, fiscal.period_end(v.period, spec.frequency))
        rows.append(
            ValueRow(v, expected, calc.compare(v.value, expected, spec.polarity, spec.tolerance))
        )
    return MeasurePage(
        values=values,
        state=state,
        targets=list(measure.targets.all()),
        rows=rows,
        history=list(
            MeasureValue.history.filter(measure_id=measure.pk)
            .select_related("history_user")
            .order_by("-history_date")[:30]
        ),
        measure_history=list(measure.history.select_related("history_user")[:20]),
        target_history=list(
            MeasureTarget.history.filter(measure_id=measure.pk)
            .select_related("history_user")
            .order_by("-history_date")[:20]
        ),
    )
