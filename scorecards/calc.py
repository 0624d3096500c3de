"""The numbers of the strategic layer, as pure functions over plain values.

No Django, no database: everything here takes Decimals and dates and returns Decimals,
dates and small records, so the rules can be tested exhaustively. The rules are those of
DESIGN.md §3 ("Measure status"):

* The **expected value** at a date is the explicit target for the fiscal year containing that
  date when one is set, else the straight path from the baseline (at the baseline date) to
  the five-year target (at the end of the plan's last fiscal year), held flat before the
  baseline date and after the target date.
* **Status** compares the latest value with the expected value at the end of the latest
  value's period, direction-aware: higher is better (at or above → on track), lower is
  better (at or below → on track), or stay within a range (inside → on track). A value that
  misses by no more than the tolerance band is *at risk*; beyond it, *off track*. No value is
  *no data*. A latest value whose period ended more than one update interval ago is *stale*
  (the comparison status is still reported alongside).
* **Progress** toward the five-year target = (latest − baseline) / (target − baseline), not
  clamped (150% and −25% are shown as such); for a range target it is the share of the
  baseline's distance to the range that has been closed.
* **Trend**: the latest value against the value of the same period a year earlier when there
  is one (like with like: November against November, Q2 against Q2, a year against the year
  before), else against the first value of the twelve months before it; improving when the
  change moves the right way for the measure's direction (for a range: closer to the range),
  worsening the other way, flat when equal. The period compared with is named beside the word
  ("Improving (vs. November 2025)").

The fiscal calendar (periods of a frequency, fiscal years) is ``strategyhub.fiscal``;
rounding happens once, at display (``strategyhub.ui.formatting``); the statuses are the
one ``strategyhub.status.Status``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from strategyhub import fiscal
from strategyhub.fiscal import Frequency
from strategyhub.status import Status


class Polarity(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"


class Trend(enum.StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    FLAT = "flat"
    UNKNOWN = "unknown"


# --- Targets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A target at one date: a single value, or an inclusive range for range measures."""

    low: Decimal
    high: Decimal

    @classmethod
    def point(cls, value: Decimal) -> Band:
        return cls(value, value)

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def midpoint(self) -> Decimal:
        return (self.low + self.high) / 2


def straight_path(
    at: dt.date, start: dt.date, start_value: Decimal, end: dt.date, end_value: Decimal
) -> Decimal:
    """Linear interpolation by days, held flat outside [start, end]."""
    if at <= start or end <= start:
        return start_value if at <= start else end_value
    if at >= end:
        return end_value
    share = Decimal((at - start).days) / Decimal((end - start).days)
    return start_value + (end_value - start_value) * share


@dataclass(frozen=True)
class MeasureSpec:
    """What the status rules need to know about a measure."""

    polarity: Polarity
    baseline_value: Decimal
    baseline_date: dt.date
    target_date: dt.date  # when the five-year target is due (end of the plan)
    target: Band  # the five-year target (a range for range measures)
    tolerance: Decimal = Decimal(0)
    frequency: Frequency = Frequency.MONTHLY
    fiscal_start_month: int = 7
    fiscal_label_style: str = fiscal.LabelStyle.SPAN  # how its periods are named
    yearly_floors: Mapping[int, Band] | None = None  # explicit targets by fiscal year


def expected_at(spec: MeasureSpec, at: dt.date) -> Band:
    """The target due at ``at``: the fiscal year's explicit target, else the straight path."""
    if spec.yearly_floors:
        explicit = spec.yearly_floors.get(fiscal.fiscal_year_of(at, spec.fiscal_start_month))
        if explicit is not None:
            return explicit
    if spec.polarity == Polarity.RANGE:
        # The acceptable band always contains the final range and reaches out from it towards
        # the baseline, shrinking along the straight path: a +3.2% variance heading for ±2%
        # may be [−2%, +2.6%] half-way through, never "too good" on the other side.
        low_path = straight_path(
            at, spec.baseline_date, spec.baseline_value, spec.target_date, spec.target.low
        )
        high_path = straight_path(
            at, spec.baseline_date, spec.baseline_value, spec.target_date, spec.target.high
        )
        return Band(min(spec.target.low, low_path), max(spec.target.high, high_path))
    return Band.point(
        straight_path(
            at, spec.baseline_date, spec.baseline_value, spec.target_date, spec.target.low
        )
    )


def yearly_path(spec: MeasureSpec, first_year: int, last_year: int) -> dict[int, Decimal]:
    """The straight-path value at the end of each fiscal year (for seeding yearly targets)."""
    return {
        year: straight_path(
            fiscal.fiscal_year_end(year, spec.fiscal_start_month),
            spec.baseline_date,
            spec.baseline_value,
            spec.target_date,
            spec.target.low,
        )
        for year in range(first_year, last_year + 1)
    }


# --- Status ---------------------------------------------------------------------------------


def shortfall(value: Decimal, expected: Band, polarity: Polarity) -> Decimal:
    """How far ``value`` misses the expected band in the bad direction (0 = meets it)."""
    if polarity == Polarity.HIGHER:
        return max(Decimal(0), expected.low - value)
    if polarity == Polarity.LOWER:
        return max(Decimal(0), value - expected.high)
    if value < expected.low:
        return expected.low - value
    if value > expected.high:
        return value - expected.high
    return Decimal(0)


def compare(value: Decimal, expected: Band, polarity: Polarity, tolerance: Decimal) -> Status:
    miss = shortfall(value, expected, polarity)
    if miss == 0:
        return Status.ON_TRACK
    if miss <= tolerance:
        return Status.AT_RISK
    return Status.OFF_TRACK


@dataclass(frozen=True)
class Assessment:
    status: Status  # what to show: stale and no data win over the comparison
    comparison: Status | None  # on/at/off track of the latest value, even when stale
    expected: Band | None
    latest_value: Decimal | None
    latest_period: dt.date | None


def is_stale(latest_period: dt.date, frequency: Frequency, today: dt.date) -> bool:
    """Stale once a whole further period has ended with no newer value."""
    next_start = fiscal.add_months(latest_period, fiscal.MONTHS_PER_PERIOD[frequency])
    return today > fiscal.period_end(next_start, frequency)


def stale_before(frequency: Frequency, today: dt.date) -> dt.date:
    """The first month start that is not stale today: a latest value of an earlier period
    is (``is_stale``, exactly, for any period that starts on a month's first day, as every
    value's does, aligned to the measure's frequency or not: a measure whose frequency was
    changed keeps its older values), so a list can tell staleness with one comparison per
    row, or in SQL. Stale means ``today`` is past the end of the period after the latest,
    i.e. on or after the month two periods after it."""
    months = fiscal.MONTHS_PER_PERIOD[frequency]
    return fiscal.add_months(dt.date(today.year, today.month, 1), 1 - 2 * months)


def assess(
    spec: MeasureSpec, values: Sequence[tuple[dt.date, Decimal]], today: dt.date
) -> Assessment:
    """Status of a measure from its (period start, value) series."""
    if not values:
        return Assessment(Status.NO_DATA, None, None, None, None)
    latest_period, latest_value = max(values, key=lambda pair: pair[0])
    due = fiscal.period_end(latest_period, spec.frequency)
    expected = expected_at(spec, due)
    comparison = compare(latest_value, expected, spec.polarity, spec.tolerance)
    status = Status.STALE if is_stale(latest_period, spec.frequency, today) else comparison
    return Assessment(status, comparison, expected, latest_value, latest_period)


# --- Progress and trend ---------------------------------------------------------------------


def distance_to(value: Decimal, band: Band) -> Decimal:
    if value < band.low:
        return band.low - value
    if value > band.high:
        return value - band.high
    return Decimal(0)


def progress(spec: MeasureSpec, latest: Decimal | None) -> Decimal | None:
    """Share of the way from the baseline to the five-year target (unclamped), or None.

    None when there is no value, or when the target equals the baseline (no distance to
    travel: a point measure must not have that, and a range measure whose baseline is already
    inside the range reports 1 while inside and 0 once outside).
    """
    if latest is None:
        return None
    if spec.polarity == Polarity.RANGE:
        start = distance_to(spec.baseline_value, spec.target)
        now = distance_to(latest, spec.target)
        if start == 0:
            return Decimal(1) if now == 0 else Decimal(0)
        return (start - now) / start
    span = spec.target.low - spec.baseline_value
    if span == 0:
        return None
    return (latest - spec.baseline_value) / span


TREND_WINDOW_MONTHS = 12
"""The trend compares the latest value with the same period this many months earlier, or,
without a value there, with the first value inside that window."""


@dataclass(frozen=True)
class TrendReading:
    direction: Trend
    compared_with: dt.date | None  # the start of the period the latest value is compared with


def trend(
    values: Sequence[tuple[dt.date, Decimal]], polarity: Polarity, target: Band
) -> TrendReading:
    """The latest value against the same period a year earlier (``TREND_WINDOW_MONTHS``) or,
    without one, the first value after it; direction-aware. Keyed by period start."""
    if not values:
        return TrendReading(Trend.UNKNOWN, None)
    by_period = dict(values)
    latest_period = max(by_period)
    year_before = fiscal.add_months(latest_period, -TREND_WINDOW_MONTHS)
    if year_before in by_period:
        since = year_before
    else:
        window = [p for p in by_period if year_before < p < latest_period]
        if not window:
            return TrendReading(Trend.UNKNOWN, None)
        since = min(window)
    return TrendReading(
        direction(by_period[since], by_period[latest_period], polarity, target), since
    )


def direction(first: Decimal, last: Decimal, polarity: Polarity, target: Band) -> Trend:
    """Whether moving from ``first`` to ``last`` is better for a measure of ``polarity``
    (for a range: closer to ``target``)."""
    if polarity == Polarity.RANGE:
        change = distance_to(first, target) - distance_to(last, target)
    elif polarity == Polarity.HIGHER:
        change = last - first
    else:
        change = first - last
    if change > 0:
        return Trend.IMPROVING
    if change < 0:
        return Trend.WORSENING
    return Trend.FLAT


# --- Objectives and the strategy map --------------------------------------------------------


SEVERITY = [Status.OFF_TRACK, Status.AT_RISK, Status.STALE, Status.ON_TRACK, Status.NO_DATA]
"""Statuses from the worst to the best (an objective is as well as its worst measure)."""


def objective_status(statuses: Sequence[Status]) -> Status:
    """An objective is as well as its worst measure: off track > at risk > stale > on track.
    Measures without data do not pull it down, but an objective where no measure has data
    (or that has no measure) has no data."""
    present = [s for s in statuses if s != Status.NO_DATA]
    if not present:
        return Status.NO_DATA
    return min(present, key=SEVERITY.index)


def creates_cycle(edges: Sequence[tuple[int, int]], source: int, target: int) -> list[int] | None:
    """The path that adding ``source → target`` would close into a loop, or None.

    Strategy maps read cause → effect upwards; a loop makes "what drives what" circular,
    so such links are refused (see the form's message)."""
    if source == target:
        return [source, target]
    following: dict[int, list[int]] = {}
    for a, b in edges:
        following.setdefault(a, []).append(b)
    stack: list[tuple[int, list[int]]] = [(target, [target])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node == source:
            return [source, *path]
        if node in seen:
            continue
        seen.add(node)
        for nxt in following.get(node, []):
            stack.append((nxt, [*path, nxt]))
    return None
