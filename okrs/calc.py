"""The numbers of the execution layer, as pure functions over plain values (DESIGN.md §3).

* **Progress** of a metric key result = (current − start) / (target − start). The sign of
  the range gives the direction, so "reduce from 9.2 to 8.0" works like "raise 35 to 100".
  Progress is shown raw (150%, −25%); the **score** is progress clamped to 0–1, clamped
  per key result *before* any roll-up, so one overshoot cannot make up for another miss.
* A key result whose start equals its target is only valid as **hold the line**: it scores
  1 while the latest value holds (at least / at most the threshold), else 0.
* **Milestones** score 0 or 1; **qualitative** results carry an owner-given 0–1 score.
* **No check-in yet** = no data: the score counts as 0, the status says "no data".
* **Objective score** = weighted mean of its key results' scores; an objective without key
  results has no score (None) and is left out of roll-ups. 0.7 is success.
* **Pace**: the expected share is the elapsed share of the cycle (0–1, "as of the end of"
  the given day). The pace line is 0.7 (success) × elapsed share. A result is on track when
  its score is at most 0.1 below the pace line (about two weeks of a quarter's slack), at
  risk when at most 0.3 below, else off track.
  Hold-the-line results are on or off track; a milestone is on track until its due date
  passes undone.
* **Forecast**: a least-squares straight line through the check-ins (with the start value
  at the cycle start when there is only one check-in), read at the cycle's last day.

The statuses are the one ``strategyhub.status.Status`` (its labels and icons live there).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from strategyhub.status import Status

ZERO, ONE = Decimal(0), Decimal(1)
# Scores are stored at this precision (``okrs.models.SCORE_DIGITS``), and every score this
# module returns is already at it, so a score computed on a page equals the stored one and a
# recompute that changes nothing writes nothing. Far below any display rounding (two places,
# ``strategyhub.ui.formatting.format_score``) or status threshold: not a rounding for people.
SCORE_PLACES = 16
SCORE_STEP = Decimal(1).scaleb(-SCORE_PLACES)


def stored_score(value: Decimal) -> Decimal:
    """``value`` at the stored score precision (half up)."""
    return value.quantize(SCORE_STEP, rounding=ROUND_HALF_UP)


SUCCESS = Decimal("0.7")
ON_TRACK_SLACK = Decimal("0.1")
AT_RISK_BAND = Decimal("0.3")


class Kind(enum.StrEnum):
    METRIC = "metric"  # increase or decrease from start to target
    HOLD = "hold"  # hold the line at a threshold
    MILESTONE = "milestone"
    QUALITATIVE = "qualitative"


class HoldDirection(enum.StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


# The statuses a key result or an OKR objective can have (the one ``Status``; never STALE,
# which only a measure can be), in the order summaries list them.
STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA)


def clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = ONE) -> Decimal:
    return max(low, min(high, value))


@dataclass(frozen=True)
class KRSpec:
    kind: Kind
    start: Decimal | None = None
    target: Decimal | None = None  # the stretch target; the threshold for hold-the-line
    hold_direction: HoldDirection | None = None
    due: dt.date | None = None  # milestones


def kr_spec(
    kind: str,
    start_value: Decimal | None,
    target_value: Decimal | None,
    hold_direction: str | None,
    due_date: dt.date | None,
) -> KRSpec:
    """The rules' view of a key result from its stored fields (``KeyResult.spec`` and the
    lists that read results as rows): a hold-the-line result starts at its threshold."""
    return KRSpec(
        kind=Kind(kind),
        start=target_value if kind == Kind.HOLD else start_value,
        target=target_value,
        hold_direction=HoldDirection(hold_direction) if hold_direction else None,
        due=due_date,
    )


@dataclass(frozen=True)
class Reading:
    """One check-in, as the rules need it."""

    as_of: dt.date
    created_at: dt.datetime | None  # when the check-in was first saved (edits leave it)
    value: Decimal | None = None  # metric and hold
    done: bool | None = None  # milestone
    rubric: Decimal | None = None  # qualitative, 0–1


# Sorts a reading of unknown creation before every known one.
_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def current(readings: Sequence[Reading]) -> Reading | None:
    """The check-in with the latest "as of" date; ties go to the one CREATED last, not the
    one edited last: correcting a typo in an older check-in of the same date does not make
    it the current reading (README, "Number rules")."""
    if not readings:
        return None
    return max(readings, key=_latest_key)


def _latest_key(reading: Reading) -> tuple[dt.date, dt.datetime]:
    """Order of readings: by "as of" date, then by creation (unknown creation first)."""
    return (reading.as_of, reading.created_at or _EARLIEST)


def progress(spec: KRSpec, value: Decimal | None) -> Decimal | None:
    """Raw progress of a metric result (unclamped), or None without data or range."""
    if spec.kind != Kind.METRIC or value is None or spec.start is None or spec.target is None:
        return None
    span = spec.target - spec.start
    if span == 0:
        return None
    return (value - spec.start) / span


def holds(spec: KRSpec, value: Decimal) -> bool:
    """Whether ``value`` holds the line; a hold without a threshold never holds."""
    if spec.target is None:
        return False
    if spec.hold_direction == HoldDirection.AT_MOST:
        return value <= spec.target
    return value >= spec.target


def score(spec: KRSpec, reading: Reading | None) -> Decimal:
    """0–1. No data scores 0 (the status tells "no data" apart from a real 0)."""
    if reading is None:
        return ZERO
    if spec.kind == Kind.METRIC:
        raw = progress(spec, reading.value)
        return ZERO if raw is None else stored_score(clamp(raw))
    if spec.kind == Kind.HOLD:
        return ONE if reading.value is not None and holds(spec, reading.value) else ZERO
    if spec.kind == Kind.MILESTONE:
        return ONE if reading.done else ZERO
    return ZERO if reading.rubric is None else stored_score(clamp(reading.rubric))


def objective_score(scored: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Weighted mean of (score, weight) pairs; None for an objective without key results."""
    total_weight = sum((weight for _, weight in scored), ZERO)
    if not scored or total_weight <= 0:
        return None
    return stored_score(sum((s * w for s, w in scored), ZERO) / total_weight)


@functools.lru_cache(maxsize=512)
def elapsed_share(start: dt.date, end: dt.date, as_of: dt.date) -> Decimal:
    """Share of the cycle behind us at the end of ``as_of`` (0 before, 1 after)."""
    total = (end - start).days + 1
    if total <= 0:
        return ONE
    return clamp(Decimal((as_of - start).days + 1) / Decimal(total))


def status(
    spec: KRSpec,
    reading: Reading | None,
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date,
) -> Status:
    if reading is None:
        return Status.NO_DATA
    return status_from_score(spec, score(spec, reading), cycle_start, cycle_end, today)


def status_from_score(
    spec: KRSpec, result: Decimal, cycle_start: dt.date, cycle_end: dt.date, today: dt.date
) -> Status:
    """Status of a result that has data, from its score (lists use the stored score)."""
    return status_of_stored_score(spec.kind, spec.due, result, cycle_start, cycle_end, today)


def status_of_stored_score(
    kind: str,
    due: dt.date | None,
    result: Decimal,
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date,
) -> Status:
    """:func:`status_from_score` from the stored fields it reads (``kind``: a :class:`Kind`
    value), for lists that read results as rows without building a :class:`KRSpec` each."""
    return stored_status_judge(cycle_start, cycle_end, today)(kind, due, result)


@functools.lru_cache(maxsize=512)
def stored_status_judge(
    cycle_start: dt.date, cycle_end: dt.date, today: dt.date
) -> Callable[[str, dt.date | None, Decimal], Status]:
    """:func:`status_of_stored_score` for the results of one cycle on one day, as a function
    of (kind, due date, stored score): the pace bounds and the cycle's end are worked out
    once (a list judges a thousand results of one quarter), the rule is the same."""
    on_track_from, at_risk_from = _pace_bounds(cycle_start, cycle_end, today)
    hold, milestone = Kind.HOLD.value, Kind.MILESTONE.value
    on_track, at_risk, off_track = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK

    def judge(kind: str, due: dt.date | None, result: Decimal) -> Status:
        if kind == hold:
            return on_track if result == ONE else off_track
        if kind == milestone:
            if result == ONE:
                return on_track
            return off_track if today > (due or cycle_end) else on_track
        if result >= on_track_from:
            return on_track
        if result >= at_risk_from:
            return at_risk
        return off_track

    return judge


@functools.lru_cache(maxsize=512)
def _pace_bounds(
    cycle_start: dt.date, cycle_end: dt.date, today: dt.date
) -> tuple[Decimal, Decimal]:
    """The lowest scores on track and at risk on ``today``: the expected score (the pace,
    ``SUCCESS`` by the cycle's end) less each band. The same for every result of a cycle on
    a day, so worked out once (a list judges a thousand results of one cycle)."""
    expected = SUCCESS * elapsed_share(cycle_start, cycle_end, today)
    return expected - ON_TRACK_SLACK, expected - AT_RISK_BAND


_SEVERITY = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.NO_DATA]


def objective_status(statuses: Sequence[Status]) -> Status:
    """As well as its worst result with data; no data when none has any."""
    present = [s for s in statuses if s != Status.NO_DATA]
    if not present:
        return Status.NO_DATA
    return min(present, key=_SEVERITY.index)


def forecast(
    spec: KRSpec, readings: Sequence[Reading], cycle_start: dt.date, cycle_end: dt.date
) -> Decimal | None:
    """Where a metric result lands at the cycle's end on a straight line through its
    check-ins (one value per "as of" date: the one created last, as in ``current``)."""
    if spec.kind not in (Kind.METRIC, Kind.HOLD):
        return None
    by_day: dict[dt.date, Reading] = {}
    for reading in readings:
        if reading.value is None:
            continue
        kept = by_day.get(reading.as_of)
        if kept is None or _latest_key(reading) >= _latest_key(kept):
            by_day[reading.as_of] = reading
    points = [(day, r.value) for day, r in sorted(by_day.items()) if r.value is not None]
    if not points:
        return None
    if len(points) == 1:
        if spec.start is None or points[0][0] <= cycle_start:
            return points[0][1]
        points = [(cycle_start, spec.start), *points]
    xs = [Decimal((day - cycle_start).days) for day, _ in points]
    ys = [value for _, value in points]
    n = Decimal(len(points))
    mean_x, mean_y = sum(xs, ZERO) / n, sum(ys, ZERO) / n
    spread = sum(((x - mean_x) ** 2 for x in xs), ZERO)
    if spread == 0:
        return ys[-1]
    slope = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), ZERO) / spread
    end_x = Decimal((cycle_end - cycle_start).days)
    return mean_y + slope * (end_x - mean_x)


# --- Roll-up of key results into a measure ------------------------------------------------


class Rollup(enum.StrEnum):
    LATEST = "latest"
    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"
    SCORE_MEAN = "score_mean"


@dataclass(frozen=True)
class Feed:
    """A feeding key result's state at the end of a period."""

    value: Decimal | None  # current value (metric and hold results)
    as_of: dt.date | None
    created_at: dt.datetime | None  # of the check-in read (ties on ``as_of``)
    score: Decimal
    weight: Decimal
    has_data: bool


def _feed_key(feed: Feed) -> tuple[dt.date, dt.datetime]:
    """ "Latest" among feeds: by "as of" date, then by the check-in's creation."""
    return (feed.as_of or dt.date.min, feed.created_at or _EARLIEST)


def rollup(method: Rollup, feeds: Sequence[Feed]) -> Decimal | None:
    """The measure's value from its feeding key results; None when none has data.

    Value methods use only results that have a value; the score mean weighs every
    result's score (no data counts as 0, as for objective scores) as long as one has data.
    """
    if not any(f.has_data for f in feeds):
        return None
    if method == Rollup.SCORE_MEAN:
        return objective_score([(f.score, f.weight) for f in feeds])
    valued = [f for f in feeds if f.has_data and f.value is not None]
    if not valued:
        return None
    values = [f.value for f in valued if f.value is not None]
    if method == Rollup.LATEST:
        return max(valued, key=_feed_key).value
    if method == Rollup.SUM:
        return sum(values, ZERO)
    if method == Rollup.MEAN:
        return sum(values, ZERO) / Decimal(len(values))
    if method == Rollup.MIN:
        return min(values)
    return max(values)
