"""Each measure's derived state, stored (``MeasureState``) and written with every write that
changes it, in the same transaction, so list pages read one row per measure instead of
recomputing every status from the values and targets (issue 17).

What is stored is what does not depend on today's date:

- the latest value and its period;
- how that value compares with the target due at the end of its period (on track, at risk,
  off track) and that target band;
- the progress from the baseline to the five-year target (full precision; rounded only at
  display);
- the trend (the latest value against the same period a year earlier, direction-aware) and
  the period it was compared with;
- the last ``SPARKLINE_PERIODS`` values, for the sparkline;
- whether the measure has explicit yearly targets (a discipline warning reads it).

What depends on today is derived at read time from these columns and the agency's date,
with the same functions on every page: staleness (``calc.is_stale`` of the latest period)
and the target due now (``calc.expected_at``, for the pages that show it).

The state depends on the measure's values, its settings (polarity, baseline, targets,
tolerance, frequency), its yearly targets, its plan's years and the agency's fiscal year.
Every service that writes one of them calls :func:`refresh` for the measures concerned
(``scorecards.measures``, ``scorecards.plans``, the roll-up of ``okrs.rollup``, the
generators, imports); ``recompute_rollups`` ends with :func:`refresh` of every measure and
a consistency test checks that, after each kind of write, it has nothing to change.

How writes reach it: ``scorecards.receivers`` calls :func:`touched` on every save and delete
of a value, a yearly target or a measure (forms, services, admin, factories alike); alone,
that refreshes the measure at once. A service that writes many rows wraps them in
:func:`batch`, which collects the measures and refreshes each once when the block ends,
still inside the caller's transaction (the check-in's roll-up, yearly targets, imports).
Bulk writes that send no model signals (``bulk_create``, ``QuerySet.update``: the
generators, the bulk roll-up) call :func:`refresh` themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # no type hints

from scorecards import calc
from scorecards.models import Measure, MeasureState, MeasureTarget, MeasureValue, StrategicPlan
from scorecards.specs import measure_spec
from strategyhub import fiscal

SPARKLINE_PERIODS = 12
PROGRESS_PLACES = Decimal(1).scaleb(-MeasureState.PROGRESS_DECIMALS)

# The stored columns, in the order ``compute`` fills them (besides the measure and agency).
FIELDS = (
    "latest_period",
    "latest_value",
    "comparison",
    "expected_low",
    "expected_high",
    "progress",
    "trend",
    "trend_since",
    "recent",
    "has_yearly_targets",
)


def compute(
    measure: Measure,
    plan: StrategicPlan,
    fiscal_start_month: int,
    floors: dict[int, calc.Band],
    values: list[tuple[dt.date, Decimal]],
) -> dict[str, Any]:
    """The stored state of ``measure`` from its yearly targets and its (period, value)
    pairs: a pure function of what it is given."""
    spec = measure_spec(measure, plan, fiscal_start_month, floors)
    ordered = sorted(values)
    state: dict[str, Any] = {
        "latest_period": None,
        "latest_value": None,
        "comparison": "",
        "expected_low": None,
        "expected_high": None,
        "progress": None,
        "trend": calc.Trend.UNKNOWN.value,
        "trend_since": None,
        "recent": [
            [period.isoformat(), str(value)] for period, value in ordered[-SPARKLINE_PERIODS:]
        ],
        "has_yearly_targets": bool(floors),
    }
    if not ordered:
        return state
    latest_period, latest_value = ordered[-1]
    expected = calc.expected_at(spec, fiscal.period_end(latest_period, spec.frequency))
    progress = calc.progress(spec, latest_value)
    reading = calc.trend(ordered, spec.polarity, spec.target)
    state.update(
        latest_period=latest_period,
        latest_value=latest_value,
        comparison=calc.compare(latest_value, expected, spec.polarity, spec.tolerance).value,
        expected_low=_stored_value(expected.low),
        expected_high=_stored_value(expected.high),
        progress=None if progress is None else _stored_progress(progress),
        trend=reading.direction.value,
        trend_since=reading.compared_with,
    )
    return state


def _stored_progress(progress: Decimal) -> Decimal:
    """Progress rounded to its column's places, in a context wide enough for any share a
    value's and a target's digits can make (a target a hair from its baseline makes huge
    ones: the column holds them, rather than refusing the value that made them)."""
    with localcontext() as context:
        context.prec = MeasureState.PROGRESS_DIGITS + 10
        return progress.quantize(PROGRESS_PLACES, rounding=ROUND_HALF_UP)


def _stored_value(value: Decimal) -> Decimal:
    """A value as its column keeps it (so comparing with the stored row finds no change)."""
    return value.quantize(Decimal(1).scaleb(-6), rounding=ROUND_HALF_UP)


@dataclass
class _Batch:
    """What a :func:`batch` collects: the measures touched, and those a writer locked and
    loaded with what the refresh reads (:func:`locked`), which it need not read again."""

    pending: set[int] = field(default_factory=set)
    loaded: dict[int, Measure] = field(default_factory=dict)
    # A locked measure's values as its writer left them (``values_known``), by measure id.
    values: dict[int, list[tuple[dt.date, Decimal]]] = field(default_factory=dict)
    # Each hand-over's marker, an ``on_commit`` callback of its own: a rollback of the
    # savepoint (or transaction) it was made in drops the callback, and so the values.
    markers: dict[int, Callable[[], None]] = field(default_factory=dict)

    def values_kept(self) -> dict[int, list[tuple[dt.date, Decimal]]]:
        """The handed-over values whose hand-over was not rolled back."""
        if not self.values:
            return self.values
        registered = {id(func) for _, func, _ in transaction.get_connection().run_on_commit}
        return {
            pk: values
            for pk, values in self.values.items()
            if id(self.markers.get(pk)) in registered
        }


_batch: ContextVar[_Batch | None] = ContextVar("measure_state_pending", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Refresh the measures touched inside the block once each, when it ends (nested blocks
    leave it to the outermost). Nothing is refreshed when the block raises: the caller's
    transaction is being rolled back."""
    if _batch.get() is not None:
        yield
        return
    collected = _Batch()
    token = _batch.set(collected)
    try:
        yield
    finally:
        _batch.reset(token)
    _refresh_batch(collected)


def touched(measure_id: int) -> None:
    """A value, target or setting of this measure was written: refresh its state now, or
    at the end of the enclosing :func:`batch`."""
    collected = _batch.get()
    if collected is None:
        refresh([measure_id])
    else:
        collected.pending.add(measure_id)
        collected.values.pop(measure_id, None)  # any values a writer handed over are old now


def locked(measure: Measure) -> None:
    """Inside a :func:`batch`: the caller holds ``measure``'s row lock (``select_for_update``,
    taken in id order like every writer's) and loaded it with ``LOCKED_RELATED`` (at least
    ``LOCKED_FIELDS``) and its agency, and writes only its values (not its settings, its
    yearly targets or its state) before the batch ends. The
    batch's refresh of it then uses this row instead of locking and reading it again (the
    roll-up of a check-in, issue 17); its targets and values are still read at the end.
    Outside a batch, nothing to do: each write refreshes at once."""
    collected = _batch.get()
    if collected is not None:
        collected.loaded[measure.pk] = measure


def values_known(measure_id: int, values: Iterable[tuple[dt.date, Decimal]]) -> None:
    """Inside a :func:`batch`, for a measure the caller holds :func:`locked`: every value of
    the measure, (period, value), as the caller's writes just left them (it read them under
    the lock). The batch's refresh computes the state from these instead of reading them
    again (a check-in's roll-up read them anyway, for the row it corrects). A later write
    to the measure inside the batch (``touched``) drops them, and so does a rollback of the
    savepoint or transaction they were handed over in (the writes they describe are
    undone); outside a batch or a transaction, nothing to do.

    The caller's promise: no write to the measure's values that sends no model signal
    (``QuerySet.update``, ``bulk_create``) follows inside the batch; such a write calls
    :func:`refresh` itself, after the batch, or the stored state misses it."""
    collected = _batch.get()
    if collected is None or measure_id not in collected.loaded:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # no lock held: the batch's refresh reads them

    def handed_over() -> None:
        """The hand-over's marker (see ``_Batch.markers``); nothing to do on commit."""

    connection.on_commit(handed_over)
    collected.values[measure_id] = list(values)
    collected.markers[measure_id] = handed_over


# What ``locked`` measures are loaded with (besides their agency): what ``compute`` reads
# of the measure (``measure_spec``), its plan and its stored state.
LOCKED_RELATED = ("objective__plan", "state")
LOCKED_FIELDS = (
    "organization_id",
    "polarity",
    "baseline_value",
    "baseline_date",
    "target_value",
    "range_low",
    "range_high",
    "tolerance",
    "update_frequency",
    "objective__plan__last_fiscal_year",
    "state__organization_id",
    *(f"state__{name}" for name in FIELDS),
)


def _refresh_batch(collected: _Batch) -> int:
    loaded = [m for pk, m in collected.loaded.items() if pk in collected.pending]
    rest = collected.pending - collected.loaded.keys()
    if not loaded:
        return refresh(rest)
    with scopes_disabled(), transaction.atomic(savepoint=False):
        measures = loaded + (_locked_rows(Measure.objects.filter(pk__in=rest)) if rest else [])
        return _store(sorted(measures, key=lambda m: m.pk), known=collected.values_kept())


def refresh(measure_ids: Iterable[int]) -> int:
    """Recompute and store the state of these measures (any agency); returns how many rows
    changed. Reads the measures, their targets and values in three queries."""
    ids = set(measure_ids)
    if not ids:
        return 0
    with scopes_disabled():
        return _refresh(Measure.objects.filter(pk__in=ids))


def refresh_all(queryset: QuerySet[Measure] | None = None) -> int:
    """Every measure (or those of ``queryset``), e.g. after the fiscal year moved."""
    with scopes_disabled():
        return _refresh(queryset if queryset is not None else Measure.objects.all())


def _computed(
    measures: list[Measure], known: dict[int, list[tuple[dt.date, Decimal]]] | None = None
) -> dict[int, dict[str, Any]]:
    """The state of each measure (loaded with its plan and agency), from their targets and
    values read in two queries (the values of the measures in ``known`` as given there:
    ``values_known``)."""
    ids = [m.pk for m in measures]
    known = known or {}
    floors: dict[int, dict[int, calc.Band]] = defaultdict(dict)
    for measure_id, year, floor, high in (
        MeasureTarget.objects.filter(measure_id__in=ids)
        .order_by()
        .values_list("measure_id", "fiscal_year", "floor", "range_high")
    ):
        floors[measure_id][year] = (
            calc.Band(floor, high) if high is not None else calc.Band.point(floor)
        )
    values: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    values.update((pk, known[pk]) for pk in ids if pk in known)
    unknown = [pk for pk in ids if pk not in known]
    # Unordered: ``compute`` sorts them (no ORDER BY for the database to do).
    for measure_id, period, value in (
        MeasureValue.objects.filter(measure_id__in=unknown)
        .order_by()
        .values_list("measure_id", "period", "value")
        if unknown
        else ()
    ):
        values[measure_id].append((period, value))
    return {
        measure.pk: compute(
            measure,
            measure.objective.plan,
            measure.organization.fiscal_year_start_month,
            floors[measure.pk],
            values[measure.pk],
        )
        for measure in measures
    }


def unsaved(measure_ids: Iterable[int]) -> dict[int, MeasureState]:
    """The states of these measures computed now and not stored: what a page falls back on
    for a measure whose state is missing (a row written outside the services)."""
    ids = set(measure_ids)
    if not ids:
        return {}
    with scopes_disabled():
        measures = list(
            Measure.objects.filter(pk__in=ids).select_related("objective__plan", "organization")
        )
        computed = _computed(measures)
    return {
        measure.pk: MeasureState(
            measure_id=measure.pk, organization_id=measure.organization_id, **computed[measure.pk]
        )
        for measure in measures
    }


def _refresh(queryset: QuerySet[Measure]) -> int:
    # No savepoint of its own inside the caller's transaction (two statements a write): a
    # failure here rolls the whole write back, which is what it must do anyway.
    with transaction.atomic(savepoint=False):
        # The measure rows locked as they are read (in id order, so writers never deadlock):
        # a second writer of the same measure waits here, and its reads of values and
        # targets below then see the first one's committed rows (else the later commit
        # would store a state missing the other's value).
        measures = _locked_rows(queryset)
        return _store(measures) if measures else 0


def _locked_rows(queryset: QuerySet[Measure]) -> list[Measure]:
    """The measures of ``queryset`` with what ``compute`` reads, locked, in id order."""
    return list(
        queryset.select_related(*LOCKED_RELATED, "organization")
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def _store(
    measures: list[Measure], known: dict[int, list[tuple[dt.date, Decimal]]] | None = None
) -> int:
    computed = _computed(measures, known)
    create, update = [], []
    for measure in measures:
        state = computed[measure.pk]
        try:
            row = measure.state
        except MeasureState.DoesNotExist:
            create.append(
                MeasureState(
                    measure_id=measure.pk, organization_id=measure.organization_id, **state
                )
            )
            continue
        changed = {name: value for name, value in state.items() if getattr(row, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(row, name, value)
            update.append((row, changed))
    MeasureState.objects.bulk_create(create, batch_size=500)
    if len(update) <= _SINGLE_UPDATES:
        # A check-in or a typed value changes one measure (and the measures it feeds): one
        # plain UPDATE of the changed columns each is cheaper than a CASE per column.
        for row, changed in update:
            MeasureState.objects.filter(pk=row.pk).update(**changed)
    else:
        MeasureState.objects.bulk_update([row for row, _ in update], FIELDS, batch_size=500)
    return len(create) + len(update)


# Up to this many changed states are written one UPDATE each, more in one bulk_update.
_SINGLE_UPDATES = 3


def fill_missing() -> int:
    """Store the state of every measure that has none (after ``migrate``: the measures that
    existed before states were stored). Run by ``post_migrate`` with the live models, once
    every migration is applied, so it never meets a schema older than the code."""
    with scopes_disabled():
        return _refresh(Measure.objects.filter(state__isnull=True))
