"""The roll-up of key results into calculated scorecard measures.

One period computation (:func:`compute_period`: the plan's window, "no value when no live
result checked in during the period", the value and its note) serves both paths: the
per-change recompute of the periods a check-in, an edit or an archive touched
(:func:`recompute_measure_for_day`, :func:`recompute_span`, :func:`recompute_cycle`) and
the nightly bulk recompute of a whole agency (:func:`recompute_rollups`). Each result's
value is converted into the measure's unit before the values combine (:func:`period_feeds`,
``strategyhub.units.convert``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from simple_history.utils import (  # type: ignore[import-untyped]  # ships no type hints
    bulk_create_with_history,
    bulk_update_with_history,
)

from okrs import calc
from okrs.models import CheckIn, Cycle, KeyResult
from scorecards import state
from scorecards.measures import ValueRefused, store_value, value_window
from scorecards.models import VALUE_DIGITS, Measure, MeasureValue, ValueOrigin, ValueSource
from strategyhub import fiscal, signals, units
from strategyhub.models import Organization

VALUE_PLACES = VALUE_DIGITS["decimal_places"]  # what a stored measure value keeps
# Stored precision, not display rounding (that is ``strategyhub.ui.formatting``'s alone).
VALUE_STEP = Decimal(1).scaleb(-VALUE_PLACES)

# What the roll-up reads of a measure (with what its stored state's refresh reads,
# ``state.LOCKED_FIELDS``: it reuses the row) and of its feeding results: a check-in waits
# for the measure's lock, so the locked read stays small.
ROLLUP_MEASURE_FIELDS = (
    "organization_id",
    "objective_id",
    "value_source",
    "update_frequency",
    "rollup_method",
    "unit_kind",
    "rate_per",
    "min_value",
    "max_value",
    "decimals",
    "objective__plan_id",
    "objective__plan__first_fiscal_year",
    "objective__plan__last_fiscal_year",
)
FEED_FIELDS = (
    *KeyResult.SPEC_FIELDS,
    "weight",
    "measure_id",
    "organization_id",
    "unit_kind",
    "rate_per",
)

Readings = dict[int, list[calc.Reading]]

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _CycleBounds(TypedDict):
        cycle_start: dt.date
        cycle_end: dt.date

    # A key result annotated with its cycle's dates (``_with_cycle_bounds``).
    BoundedKeyResult: TypeAlias = WithAnnotations[KeyResult, _CycleBounds]


def _readings(checkins: QuerySet[CheckIn]) -> Readings:
    """Check-ins as plain readings per key result, oldest first."""
    readings: Readings = defaultdict(list)
    for kr_id, as_of, created_at, value, done, rubric in checkins.order_by(
        "as_of", "created_at"
    ).values_list("key_result_id", "as_of", "created_at", "value", "done", "rubric_score"):
        readings[kr_id].append(calc.Reading(as_of, created_at, value, done, rubric))
    return readings


def feeding_key_results(**filters: object) -> QuerySet[KeyResult]:
    """Key results that feed measures: live ones of live objectives (archiving an objective
    takes its results out of the roll-up, as archiving a result does)."""
    return KeyResult.objects.filter(archived_at=None, objective__archived_at=None, **filters)


def _with_cycle_bounds(key_results: QuerySet[KeyResult]) -> QuerySet[BoundedKeyResult]:
    """Each result with its cycle's ``cycle_start`` and ``cycle_end`` (``compute_period``)."""
    return key_results.annotate(
        cycle_start=F("objective__cycle__start"), cycle_end=F("objective__cycle__end")
    )


def period_feeds(
    measure: Measure, key_results: Sequence[KeyResult], readings: Readings, period_end: dt.date
) -> list[calc.Feed]:
    """What each key result contributes to a measure's period: its current value as of the
    period's end, converted into the measure's unit (``strategyhub.units.convert``: exact,
    unrounded; hours feed a minutes measure × 60, a rate per 1,000 one per 100,000 × 100),
    and its score. A value whose unit does not convert to the measure's (the measure's unit
    changed after the feed was set) is left out of the value methods; its score still
    counts in a score mean."""
    feeds = []
    for kr in key_results:
        now = calc.current([r for r in readings.get(kr.pk, []) if r.as_of <= period_end])
        value = None
        if now is not None and now.value is not None:
            value = units.convert(
                now.value,
                source=kr.unit_kind,
                target=measure.unit_kind,
                source_base=kr.rate_per,
                target_base=measure.rate_per,
            )
        feeds.append(
            calc.Feed(
                value=value,
                as_of=now.as_of if now else None,
                created_at=now.created_at if now else None,
                score=calc.score(kr.spec(), now),
                weight=kr.weight,
                has_data=now is not None,
            )
        )
    return feeds


def period_value(measure: Measure, feeds: list[calc.Feed]) -> Decimal | None:
    """A calculated measure's value for one period from its feeds: the roll-up method's
    result (a score mean on a share measure shown as a percentage), rounded half up to
    the places a measure value keeps, so a recompute that changes nothing compares equal to
    the stored value and writes nothing."""
    result = calc.rollup(calc.Rollup(measure.rollup_method), feeds)
    if result is None:
        return None
    if measure.rollup_method == calc.Rollup.SCORE_MEAN and units.is_share(measure.unit_kind):
        result = result * 100
    return result.quantize(VALUE_STEP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PeriodRollup:
    """The value the key results give one period of a calculated measure, and its note."""

    value: Decimal
    note: str


def compute_period(
    measure: Measure,
    period: dt.date,
    key_results: Iterable[BoundedKeyResult],
    readings: Readings,
    *,
    window: tuple[dt.date, dt.date],
    today: dt.date,
) -> PeriodRollup | None:
    """The roll-up of one period (its start) of ``measure``, or None when the period gets
    no calculated value (any stored one goes): outside the plan's ``window`` or not started
    by ``today`` (the same window as entered values), no live result checked in during it,
    or the roll-up method gives none.

    ``key_results``: the measure's feeding results (``feeding_key_results``); only those
    whose cycle overlaps the period feed it (last quarter's result says nothing about this
    month: its successor does). ``readings``: theirs, at least up to the period's end."""
    first, last = window
    if period < first or period > last or period > today:
        return None
    period_end = fiscal.period_end(period, fiscal.Frequency(measure.update_frequency))
    in_period = [
        kr for kr in key_results if kr.cycle_start <= period_end and kr.cycle_end >= period
    ]
    checked_in = any(
        period <= r.as_of <= period_end for kr in in_period for r in readings.get(kr.pk, [])
    )
    if not checked_in:
        return None
    value = period_value(measure, period_feeds(measure, in_period, readings, period_end))
    if value is None:
        return None
    return PeriodRollup(value=value, note=f"Calculated from {len(in_period)} key result(s).")


# --- Per change -----------------------------------------------------------------------------


def recompute_measure_for_day(
    measure_id: int,
    day: dt.date,
    organization: Organization | None = None,
    *,
    read: Readings | None = None,
) -> MeasureValue | None:
    """Recompute the value of a calculated measure for the period containing ``day``
    (``organization``: the measure's agency, when the caller has it loaded); what it stored.

    ``read``: given, it receives the readings read, by result: then every check-in of the
    results feeding the period, not only those up to its end (``compute_period`` takes what
    it needs), so a check-in's answer draws its result's card from them (``checkins.record``)
    instead of reading them again.

    The measure row is locked first, so two check-ins on results feeding the same measure
    recompute one after the other and the second sees the first (both count). It is read
    under that lock with what the refresh of its stored state reads too (its plan's years,
    its state row: ``state.LOCKED_FIELDS``): inside a ``state.batch`` (as in
    ``recompute_span``) that refresh uses this row (``state.locked``) instead of locking and
    reading it a second time."""
    measure = (
        Measure.objects.select_for_update(of=("self",))
        .select_related(*state.LOCKED_RELATED)
        .only(*ROLLUP_MEASURE_FIELDS, *state.LOCKED_FIELDS)
        .get(pk=measure_id)
    )
    if measure.value_source != ValueSource.CALCULATED:
        return None
    if organization is None or organization.pk != measure.organization_id:
        organization = Organization.objects.get(pk=measure.organization_id)
    measure.organization = organization
    state.locked(measure)
    fy_month = organization.fiscal_year_start_month
    frequency = fiscal.Frequency(measure.update_frequency)
    period = fiscal.period_start(day, frequency, fy_month)
    period_end = fiscal.period_end(period, frequency)
    key_results = list(
        _with_cycle_bounds(feeding_key_results(measure=measure))
        .filter(objective__cycle__start__lte=period_end, objective__cycle__end__gte=period)
        .only(*FEED_FIELDS)
    )
    feeding = CheckIn.objects.filter(key_result__in=key_results)
    readings = _readings(feeding if read is not None else feeding.filter(as_of__lte=period_end))
    if read is not None:
        read.update(readings)
    today = max(day, organization.today())
    result = compute_period(
        measure,
        period,
        key_results,
        readings,
        window=value_window(measure.objective.plan, fy_month),
        today=today,
    )
    # Every value of the measure, locked: the period's row to correct, and the rest, which
    # the refresh of its stored state reads too (``state.values_known``: not read again).
    known, existing = _locked_values(measure, period)
    if result is None:
        if existing is not None and existing.source == ValueOrigin.KEY_RESULTS:
            existing.delete()
        elif existing is not None:
            known[period] = existing.value
        state.values_known(measure.pk, known.items())  # after the delete's ``touched``
        return None
    try:
        stored = store_value(
            measure,
            plan=measure.objective.plan,
            organization=organization,
            period=period,
            value=result.value,
            user=None,
            note=result.note,
            source=ValueOrigin.KEY_RESULTS,
            correction=True,
            today=today,
            existing=existing,
        )
    except ValueRefused:  # the measure's own guard; the window above is the same
        return None
    # As the column keeps it: the roll-up's value is already rounded to its places.
    known[period] = stored.value
    state.values_known(measure.pk, known.items())  # after the save's ``touched``
    return stored


def _locked_values(
    measure: Measure, period: dt.date
) -> tuple[dict[dt.date, Decimal], MeasureValue | None]:
    """The measure's other values by period, and the row of ``period`` (or None), read
    locked in one query as rows (a monthly measure has sixty in a five-year plan): a model
    instance is made of the one row the roll-up corrects."""
    names = [field.attname for field in MeasureValue._meta.concrete_fields]
    at_period, at_value = names.index("period"), names.index("value")
    rows = (
        MeasureValue.objects.filter(measure=measure)
        .order_by()  # the model's ordering joins the measure
        .select_for_update()
        .values_list(*names)
    )
    others: dict[dt.date, Decimal] = {}
    existing = None
    for row in rows:
        if row[at_period] == period:
            existing = MeasureValue.from_db(rows.db, names, row)
            existing.measure = measure  # known already: the tenant check needs no query
        else:
            others[row[at_period]] = row[at_value]
    return others, existing


def recompute_span(
    frequencies: dict[int, str],
    start: dt.date,
    end: dt.date,
    organization: Organization,
    *,
    read: Readings | None = None,
) -> dict[tuple[int, dt.date], MeasureValue | None]:
    """Recompute each period of the measures (id → update frequency) that overlaps
    ``start``–``end``, up to today; what each stored, by (measure id, period start).
    ``read``: see ``recompute_measure_for_day``."""
    fy_month = organization.fiscal_year_start_month
    end = min(end, organization.today())
    stored = {}
    with state.batch():  # each measure's stored state refreshed once, at the end
        for measure_id in sorted(frequencies):
            frequency = fiscal.Frequency(frequencies[measure_id])
            period = fiscal.period_start(start, frequency, fy_month)
            while period <= end:
                stored[measure_id, period] = recompute_measure_for_day(
                    measure_id, period, organization, read=read
                )
                period = fiscal.period_end(period, frequency) + dt.timedelta(days=1)
    return stored


def recompute_cycle(measure_ids: set[int], cycle: Cycle, organization: Organization) -> None:
    """Recompute every period of ``cycle`` (up to today) of the measures."""
    frequencies = dict(
        Measure.objects.filter(pk__in=measure_ids).values_list("pk", "update_frequency")
    )
    recompute_span(frequencies, cycle.start, cycle.end, organization)


# --- Nightly --------------------------------------------------------------------------------


def recompute_measure(measure: Measure) -> None:
    """Recompute a calculated measure for every period its live results checked in (after
    its roll-up method, frequency, unit or rate base changed, or it became calculated)."""
    recompute_rollups(measure.organization, measure_ids=[measure.pk])


@transaction.atomic
def recompute_rollups(organization: Organization, measure_ids: list[int] | None = None) -> int:
    """Recompute every calculated measure (or those of ``measure_ids``, locked first) for
    every period its results checked in, and remove the calculated values of periods none
    of its live results checked in (any more); how many values it wrote or removed.

    Bulk: a handful of queries for the whole agency (measures, key results, check-ins,
    existing values, then batched writes with history), the period computation of the
    per-check-in path (``compute_period``)."""
    today = organization.today()
    fy_month = organization.fiscal_year_start_month
    calculated = Measure.objects.filter(value_source=ValueSource.CALCULATED)
    if measure_ids is not None:
        calculated = calculated.filter(pk__in=measure_ids)
    # Locked first, in id order, like every writer of a measure's values and stored state
    # (a check-in's roll-up locks its measure, then the value rows): the same order
    # everywhere, so a check-in during the nightly run waits instead of deadlocking.
    measures = {
        m.pk: m
        for m in calculated.select_related("objective__plan")
        .select_for_update(of=("self",))
        .order_by("pk")
    }
    key_results = list(_with_cycle_bounds(feeding_key_results(measure_id__in=measures)))
    # A subquery, not the list of ids: one statement stays far below PostgreSQL's 65,535
    # bound parameters (server-side binding) whatever the agency's size.
    readings = _readings(
        CheckIn.objects.filter(key_result__in=feeding_key_results(measure_id__in=measures))
    )
    by_measure: dict[int, list[BoundedKeyResult]] = defaultdict(list)
    for kr in key_results:
        if kr.measure_id is not None:  # always: they feed one of ``measures``
            by_measure[kr.measure_id].append(kr)
    existing = {
        (v.measure_id, v.period): v for v in MeasureValue.objects.filter(measure_id__in=measures)
    }
    results: dict[tuple[int, dt.date], PeriodRollup] = {}
    for measure_id, krs in by_measure.items():
        measure = measures[measure_id]
        frequency = fiscal.Frequency(measure.update_frequency)
        window = value_window(measure.objective.plan, fy_month)
        periods = {
            fiscal.period_start(r.as_of, frequency, fy_month) for kr in krs for r in readings[kr.pk]
        }
        for period in sorted(periods):
            result = compute_period(measure, period, krs, readings, window=window, today=today)
            if result is not None:
                results[measure_id, period] = result
    with state.batch():
        written = _write_bulk(organization, existing, results)
        if written:
            # Bulk writes send no model signals: the stored states of these measures.
            state.refresh(measures)
    if written:
        signals.changed(organization.pk, "scorecards.MeasureValue")
    return written


def _write_bulk(
    organization: Organization,
    existing: dict[tuple[int, dt.date], MeasureValue],
    results: dict[tuple[int, dt.date], PeriodRollup],
) -> int:
    """Store the computed periods (with history, only what changed) and remove the
    calculated values of every other period; how many rows were written or removed."""
    now = timezone.now()
    to_create, to_update = [], []
    for (measure_id, period), result in results.items():
        row = existing.get((measure_id, period))
        if row is None:
            to_create.append(
                MeasureValue(
                    organization=organization,
                    measure_id=measure_id,
                    period=period,
                    value=result.value,
                    note=result.note,
                    source=ValueOrigin.KEY_RESULTS,
                    entered_at=now,
                )
            )
        elif (row.value, row.note, row.source) != (
            result.value,
            result.note,
            ValueOrigin.KEY_RESULTS,
        ):
            row.value, row.note, row.source, row.entered_at = (
                result.value,
                result.note,
                ValueOrigin.KEY_RESULTS,
                now,
            )
            to_update.append(row)
    # Values the results gave periods in which none of them checked in (any more): a
    # check-in moved out, its result archived or moved to another measure.
    to_delete = [
        row.pk
        for key, row in existing.items()
        if row.source == ValueOrigin.KEY_RESULTS and key not in results
    ]
    if to_create:
        bulk_create_with_history(to_create, MeasureValue, batch_size=2000)
    if to_update:
        bulk_update_with_history(
            to_update, MeasureValue, ["value", "note", "source", "entered_at"], batch_size=2000
        )
    if to_delete:
        MeasureValue.objects.filter(pk__in=to_delete).delete()
    return len(to_create) + len(to_update) + len(to_delete)
