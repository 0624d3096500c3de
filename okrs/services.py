"""Writes and page queries of the execution layer: cycles, check-ins and the roll-up of
key results into scorecard measures. The number rules live in ``okrs.calc``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.utils import timezone
from django_scopes import scope

from okrs import calc
from okrs.models import CheckIn, Cycle, CycleKind, CycleStatus, KeyResult, OkrObjective
from scorecards import calc as scalc
from scorecards.models import VALUE_DIGITS, Measure, MeasureValue, ValueOrigin, ValueSource
from scorecards.services import ValueRefused, store_value
from strategyhub import pagecache
from strategyhub.models import Organization, User

VALUE_PLACES = VALUE_DIGITS["decimal_places"]  # what a stored measure value keeps

# --- Cycles ---------------------------------------------------------------------------------


def cycle_bounds(fiscal_year: int, quarter: int | None, fy_month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(fiscal_year, fy_month, 1)
    if quarter is None:
        return start, scalc.fiscal_year_end(fiscal_year, fy_month)
    first = scalc.add_months(start, 3 * (quarter - 1))
    return first, scalc.period_end(first, scalc.Frequency.QUARTERLY)


@transaction.atomic
def ensure_cycles(organization: Organization, fiscal_year: int) -> list[Cycle]:
    """The fiscal year's annual cycle and four quarters, created once (idempotent)."""
    fy_month = organization.fiscal_year_start_month
    cycles = []
    for quarter in [None, 1, 2, 3, 4]:
        start, end = cycle_bounds(fiscal_year, quarter, fy_month)
        cycle, _ = Cycle.objects.get_or_create(
            organization=organization,
            kind=CycleKind.ANNUAL if quarter is None else CycleKind.QUARTER,
            fiscal_year=fiscal_year,
            quarter=quarter,
            defaults={"start": start, "end": end},
        )
        cycles.append(cycle)
    return cycles


@transaction.atomic
def ensure_current_and_next(organization: Organization, today: dt.date | None = None) -> None:
    """Make sure this quarter's and next quarter's cycles exist, and that the cycles
    containing today are active (planning ones only: review and closing are decisions)."""
    today = today or organization.today()
    fy_month = organization.fiscal_year_start_month
    this_year = scalc.fiscal_year_of(today, fy_month)
    next_quarter_start = scalc.add_months(
        scalc.period_start(today, scalc.Frequency.QUARTERLY, fy_month), 3
    )
    for year in sorted({this_year, scalc.fiscal_year_of(next_quarter_start, fy_month)}):
        ensure_cycles(organization, year)
    started = Cycle.objects.filter(
        status=CycleStatus.PLANNING, start__lte=today, end__gte=today
    ).update(status=CycleStatus.ACTIVE)
    if started:
        pagecache.changed(organization.pk)


@transaction.atomic
def rebuild_cycles(organization: Organization) -> None:
    """After the agency's fiscal year moved (only while no objective is laid out on it):
    the empty cycles of the old calendar go, this and next quarter's come on the new one."""
    with scope(organization=organization):
        Cycle.objects.filter(organization=organization).delete()
        ensure_current_and_next(organization)


def current_quarter(organization: Organization, today: dt.date | None = None) -> Cycle | None:
    today = today or organization.today()
    return Cycle.objects.filter(kind=CycleKind.QUARTER, start__lte=today, end__gte=today).first()


def current_quarter_or_create(organization: Organization, today: dt.date) -> Cycle:
    """The running quarter; created on demand when the daily job has not run yet."""
    cycle = current_quarter(organization, today)
    if cycle is None:
        ensure_current_and_next(organization, today)
        cycle = current_quarter(organization, today)
    return cycle


# --- Key-result states ----------------------------------------------------------------------


@dataclass
class KRState:
    key_result: KeyResult
    current: calc.Reading | None
    score: Decimal
    progress: Decimal | None
    status: calc.Status
    forecast: Decimal | None

    @property
    def status_label(self) -> str:
        return calc.STATUS_LABELS[self.status]

    @property
    def score_text(self) -> str:
        return scalc.format_number(self.score, 2)

    @property
    def progress_text(self) -> str:
        return scalc.format_percent_share(self.progress)


def kr_state(kr: KeyResult, readings: list[calc.Reading], cycle: Cycle, today: dt.date) -> KRState:
    spec = kr.spec()
    now = calc.current(readings)
    frozen = kr.frozen_score if cycle.is_closed else None
    return KRState(
        key_result=kr,
        current=now,
        score=frozen if frozen is not None else calc.score(spec, now),
        progress=calc.progress(spec, now.value if now else None),
        status=calc.status(spec, now, cycle.start, cycle.end, min(today, cycle.end)),
        forecast=calc.forecast(spec, readings, cycle.start, cycle.end),
    )


def objective_score_of(key_results) -> Decimal | None:
    """From the denormalised scores (frozen ones once the cycle is closed)."""
    pairs = [
        (kr.frozen_score if kr.frozen_score is not None else kr.score, kr.weight)
        for kr in key_results
        if kr.archived_at is None
    ]
    return calc.objective_score(pairs)


# --- Check-ins ------------------------------------------------------------------------------


class CheckInRefused(ValidationError):
    """A check-in the rules refuse; carries field messages for the form."""


def validate_checkin(
    kr: KeyResult,
    cycle: Cycle,
    *,
    as_of: dt.date,
    value: Decimal | None,
    done: bool | None,
    rubric: Decimal | None,
    evidence: str,
    today: dt.date,
) -> None:
    errors: dict[str, str] = {}
    if kr.is_archived:
        errors[NON_FIELD_ERRORS] = (
            "This key result is archived (or its objective is); restore it to check in."
        )
    if cycle.is_closed:
        errors["as_of"] = f"{cycle.label} is closed; its check-ins are frozen."
    elif not cycle.contains(as_of):
        errors["as_of"] = (
            f"Choose a date in {cycle.label} ({cycle.start:%-d %B} to {cycle.end:%-d %B %Y})."
        )
    elif as_of > today:
        errors["as_of"] = "A check-in reports on the past: choose today or earlier."
    kind = calc.Kind(kr.kind)
    if kind in (calc.Kind.METRIC, calc.Kind.HOLD) and value is None:
        errors["value"] = "Enter the current value."
    if kind == calc.Kind.MILESTONE and done is None:
        errors["done"] = "Say whether the milestone is done."
    if kind == calc.Kind.QUALITATIVE:
        if rubric is None:
            errors["rubric_score"] = "Give a score from 0 to 1."
        if not evidence.strip():
            errors["evidence"] = "A qualitative score needs written evidence."
    if errors:
        raise CheckInRefused(errors)


@transaction.atomic
def record_checkin(
    kr: KeyResult,
    *,
    author: User,
    as_of: dt.date,
    value: Decimal | None = None,
    done: bool | None = None,
    rubric: Decimal | None = None,
    confidence: int | None = None,
    moved: str = "",
    blockers: str = "",
    next_step: str = "",
    evidence: str = "",
    checkin: CheckIn | None = None,
    today: dt.date | None = None,
) -> CheckIn:
    """Save a check-in (a new one, or an edit of ``checkin``, whose earlier version stays in
    history), refresh the key result's current value and score, and recompute the measure it
    feeds in the same transaction. The check-in comes back with ``measure_value``: the value
    the roll-up stored for the check-in's period (None when none was stored)."""
    organization = kr.organization
    cycle = kr.objective.cycle
    today = today or organization.today()
    validate_checkin(
        kr, cycle, as_of=as_of, value=value, done=done, rubric=rubric, evidence=evidence,
        today=today,
    )  # fmt: skip
    if checkin is None:
        checkin = CheckIn(organization=organization, key_result=kr)
    previous_as_of = checkin.as_of
    checkin.as_of = as_of
    checkin.value = value
    checkin.done = done
    checkin.rubric_score = rubric
    checkin.confidence = confidence
    checkin.moved, checkin.blockers, checkin.next_step = moved, blockers, next_step
    checkin.evidence = evidence
    checkin.author = author
    is_new = checkin.pk is None
    checkin.save()
    if is_new:
        advance_key_result(kr, checkin)
    else:
        refresh_key_result(kr)  # an edit may move its date back: read them all again
    checkin.measure_value = None
    if kr.measure_id:
        # The result's reading carries into the later periods of its cycle: recompute from
        # the earliest period the check-in touched (its old date, for a correction) on.
        first = min(as_of, previous_as_of or as_of)
        frequency = kr.measure.update_frequency
        stored = _recompute_span({kr.measure_id: frequency}, first, cycle.end, organization)
        period = scalc.period_start(
            as_of, scalc.Frequency(frequency), organization.fiscal_year_start_month
        )
        checkin.measure_value = stored.get((kr.measure_id, period))
    return checkin


def advance_key_result(kr: KeyResult, checkin: CheckIn) -> None:
    """A new check-in becomes the result's current reading unless a later one exists (its
    ``as_of`` is earlier than the stored current one; ties go to the latest saved, which
    it is). One conditional UPDATE, so two check-ins at once cannot leave the older one
    current."""
    reading = checkin.reading()
    score = calc.score(kr.spec(), reading)
    moved = (
        KeyResult.objects.filter(pk=kr.pk)
        .filter(Q(current_as_of__isnull=True) | Q(current_as_of__lte=reading.as_of))
        .update(current_value=reading.value, current_as_of=reading.as_of, score=score)
    )
    if moved:
        kr.current_value, kr.current_as_of, kr.score = reading.value, reading.as_of, score
        pagecache.changed(kr.organization_id)
    else:
        refresh_key_result(kr)  # a later reading stays current; load it


def refresh_key_result(kr: KeyResult) -> None:
    # The current reading (``calc.current``: latest as-of, ties to the latest saved), read
    # as one row.
    row = (
        CheckIn.objects.filter(key_result=kr)
        .order_by("-as_of", "-updated_at")
        .values_list("as_of", "updated_at", "value", "done", "rubric_score")
        .first()
    )
    now = calc.Reading(*row) if row else None
    kr.current_value = now.value if now else None
    kr.current_as_of = now.as_of if now else None
    kr.score = calc.score(kr.spec(), now)
    KeyResult.objects.filter(pk=kr.pk).update(
        current_value=kr.current_value, current_as_of=kr.current_as_of, score=kr.score
    )
    pagecache.changed(kr.organization_id)


# What a key result's score depends on besides its check-ins (``KeyResult.spec``), and what
# else decides its share of a measure's roll-up: an edit of any of these, or an archive or
# restore, must be carried through.
SPEC_FIELDS = ("kind", "start_value", "target_value", "hold_direction", "due_date")
ROLLUP_INPUTS = (*SPEC_FIELDS, "weight", "measure_id", "archived_at")
# What lists read of a key result to show its status and its objective's score (from the
# stored score): loading only these keeps a thousand-result page's rows small.
STATUS_FIELDS = (
    *SPEC_FIELDS, "organization_id", "objective_id", "title", "owner_id", "archived_at",
    "current_as_of", "score", "frozen_score", "weight", "measure_id", "is_counterweight",
)  # fmt: skip


def rollup_inputs(kr: KeyResult) -> tuple:
    return tuple(getattr(kr, name) for name in ROLLUP_INPUTS)


@transaction.atomic
def key_result_changed(kr: KeyResult, before: tuple | None) -> None:
    """Carry a new result, or an edit, archive or restore of ``kr`` through (``before``: its
    ``rollup_inputs`` before the change; None for a new result): re-score it from its
    check-ins, and recompute every period of its cycle of the measure it feeds and of the
    one it fed before. Every period of the cycle, not only those its check-ins fall in: its
    reading carries into the later ones, and in a score mean a result without check-ins
    counts as 0."""
    if before is None:
        measure_ids = {kr.measure_id} - {None}
    elif before == rollup_inputs(kr):
        return
    else:
        refresh_key_result(kr)
        measure_ids = {before[ROLLUP_INPUTS.index("measure_id")], kr.measure_id} - {None}
    _recompute_cycle(measure_ids, kr.objective.cycle, kr.organization)


@transaction.atomic
def objective_archive_changed(objective: OkrObjective) -> None:
    """Carry an archive or restore of an OKR objective through: its live results leave (or
    rejoin) the roll-up, so every period of its cycle of the measures they feed is
    recomputed."""
    measure_ids = set(
        objective.key_results.filter(archived_at=None, measure__isnull=False).values_list(
            "measure_id", flat=True
        )
    )
    _recompute_cycle(measure_ids, objective.cycle, objective.organization)


def _recompute_cycle(measure_ids: set[int], cycle: Cycle, organization: Organization) -> None:
    frequencies = dict(
        Measure.objects.filter(pk__in=measure_ids).values_list("pk", "update_frequency")
    )
    _recompute_span(frequencies, cycle.start, cycle.end, organization)


def _recompute_span(
    frequencies: dict[int, str], start: dt.date, end: dt.date, organization: Organization
) -> dict[tuple[int, dt.date], MeasureValue | None]:
    """Recompute each period of the measures (id → update frequency) that overlaps
    ``start``–``end``, up to today; what each stored, by (measure id, period start)."""
    fy_month = organization.fiscal_year_start_month
    end = min(end, organization.today())
    stored = {}
    for measure_id in sorted(frequencies):
        frequency = scalc.Frequency(frequencies[measure_id])
        period = scalc.period_start(start, frequency, fy_month)
        while period <= end:
            stored[measure_id, period] = recompute_measure_for_day(measure_id, period, organization)
            period = scalc.period_end(period, frequency) + dt.timedelta(days=1)
    return stored


# --- Roll-up into measures ------------------------------------------------------------------


def _readings(checkins) -> dict[int, list[calc.Reading]]:
    """Check-ins as plain readings per key result, oldest first."""
    readings: dict[int, list[calc.Reading]] = defaultdict(list)
    for kr_id, as_of, saved_at, value, done, rubric in checkins.order_by(
        "as_of", "updated_at"
    ).values_list("key_result_id", "as_of", "updated_at", "value", "done", "rubric_score"):
        readings[kr_id].append(calc.Reading(as_of, saved_at, value, done, rubric))
    return readings


def period_feeds(
    key_results: list[KeyResult], readings: dict[int, list[calc.Reading]], period_end: dt.date
) -> list[calc.Feed]:
    """What each key result contributes to a measure's period: its current value and score
    as of the period's end. Only results whose cycle overlaps the period feed it: last
    quarter's result says nothing about this month (its successor does)."""
    feeds = []
    for kr in key_results:
        now = calc.current([r for r in readings.get(kr.pk, []) if r.as_of <= period_end])
        feeds.append(
            calc.Feed(
                value=now.value if now else None,
                as_of=now.as_of if now else None,
                saved_at=now.saved_at if now else None,
                score=calc.score(kr.spec(), now),
                weight=kr.weight,
                has_data=now is not None,
            )
        )
    return feeds


def period_value(measure: Measure, feeds: list[calc.Feed]) -> Decimal | None:
    """A calculated measure's value for one period from its feeds: the roll-up method's
    result (a score mean on a percent measure shown as a percentage), rounded half up to
    the places a measure value keeps, so a recompute that changes nothing compares equal to
    the stored value and writes nothing."""
    result = calc.rollup(calc.Rollup(measure.rollup_method), feeds)
    if result is None:
        return None
    if measure.rollup_method == calc.Rollup.SCORE_MEAN and measure.unit_kind == "percent":
        result = result * 100
    return scalc.quantize(result, VALUE_PLACES)


def feeding_key_results(**filters):
    """Key results that feed measures: live ones of live objectives (archiving an objective
    takes its results out of the roll-up, as archiving a result does)."""
    return KeyResult.objects.filter(archived_at=None, objective__archived_at=None, **filters)


# What the roll-up reads of a measure and of its feeding results: a check-in waits for the
# measure's lock, so the locked read stays small.
ROLLUP_MEASURE_FIELDS = (
    "organization_id", "objective_id", "value_source", "update_frequency", "rollup_method",
    "unit_kind", "decimals", "unit_label",
    "objective__plan_id", "objective__plan__first_fiscal_year",
    "objective__plan__last_fiscal_year",
)  # fmt: skip
FEED_FIELDS = (*SPEC_FIELDS, "weight", "measure_id", "organization_id")


def recompute_measure_for_day(
    measure_id: int, day: dt.date, organization: Organization | None = None
) -> MeasureValue | None:
    """Recompute the value of a calculated measure for the period containing ``day``
    (``organization``: the measure's agency, when the caller has it loaded).

    The measure row is locked first, so two check-ins on results feeding the same measure
    recompute one after the other and the second sees the first (both count)."""
    measure = (
        Measure.objects.select_for_update(of=("self",))
        .select_related("objective__plan")
        .only(*ROLLUP_MEASURE_FIELDS)
        .get(pk=measure_id)
    )
    if measure.value_source != ValueSource.CALCULATED:
        return None
    if organization is None or organization.pk != measure.organization_id:
        organization = Organization.objects.get(pk=measure.organization_id)
    measure.organization = organization
    frequency = scalc.Frequency(measure.update_frequency)
    period = scalc.period_start(day, frequency, organization.fiscal_year_start_month)
    period_end = scalc.period_end(period, frequency)
    key_results = list(
        feeding_key_results(measure=measure)
        .filter(objective__cycle__start__lte=period_end, objective__cycle__end__gte=period)
        .only(*FEED_FIELDS)
    )
    readings = _readings(CheckIn.objects.filter(key_result__in=key_results, as_of__lte=period_end))
    checked_in = any(r.as_of >= period for rs in readings.values() for r in rs)
    result = period_value(measure, period_feeds(key_results, readings, period_end))
    if not checked_in:
        result = None  # a period has a calculated value when a result checked in during it
    if result is None:
        existing = MeasureValue.objects.filter(measure=measure, period=period).first()
        if existing is not None and existing.source == ValueOrigin.KEY_RESULTS:
            existing.delete()
        return None
    try:
        return store_value(
            measure,
            plan=measure.objective.plan,
            organization=organization,
            period=period,
            value=result,
            user=None,
            note=f"Calculated from {len(key_results)} key result(s).",
            source=ValueOrigin.KEY_RESULTS,
            correction=True,
            today=max(day, organization.today()),
        )
    except ValueRefused:
        return None  # a check-in outside the plan's window does not reach the scorecard


def recompute_measure(measure: Measure) -> None:
    """Recompute a calculated measure for every period its live results checked in (after
    its roll-up method, frequency or unit kind changed, or it became calculated)."""
    recompute_rollups(measure.organization, measure_ids=[measure.pk])


@transaction.atomic
def recompute_rollups(organization: Organization, measure_ids: list[int] | None = None) -> int:
    """Recompute every calculated measure (or those of ``measure_ids``, locked first) for
    every period its results checked in, and remove the calculated values of periods none
    of its live results checked in (any more).

    Bulk: a handful of queries for the whole agency (measures, key results, check-ins,
    existing values, then batched writes with history), the same rules as the per-check-in
    path (``recompute_measure_for_day``)."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from scorecards.services import value_window

    today = organization.today()
    fy_month = organization.fiscal_year_start_month
    calculated = Measure.objects.filter(value_source=ValueSource.CALCULATED)
    if measure_ids is not None:
        calculated = calculated.filter(pk__in=measure_ids).select_for_update(of=("self",))
    measures = {m.pk: m for m in calculated.select_related("objective__plan")}
    key_results = list(
        feeding_key_results(measure_id__in=measures).annotate(
            cycle_start=F("objective__cycle__start"), cycle_end=F("objective__cycle__end")
        )
    )
    # A subquery, not the list of ids: one statement stays far below PostgreSQL's 65,535
    # bound parameters (server-side binding) whatever the agency's size.
    readings = _readings(
        CheckIn.objects.filter(key_result__in=feeding_key_results(measure_id__in=measures))
    )
    by_measure: dict[int, list[KeyResult]] = defaultdict(list)
    for kr in key_results:
        by_measure[kr.measure_id].append(kr)
    existing = {
        (v.measure_id, v.period): v for v in MeasureValue.objects.filter(measure_id__in=measures)
    }
    now = timezone.now()
    to_create, to_update, to_delete = [], [], []
    computed: set[tuple[int, dt.date]] = set()
    for measure_id, krs in by_measure.items():
        measure = measures[measure_id]
        frequency = scalc.Frequency(measure.update_frequency)
        first, last = value_window(measure.objective.plan, fy_month)
        periods = sorted(
            {
                scalc.period_start(r.as_of, frequency, fy_month)
                for kr in krs
                for r in readings[kr.pk]
            }
        )
        for period in periods:
            if period < first or period > last or period > today:
                continue  # the same window as entered values
            computed.add((measure_id, period))
            period_end = scalc.period_end(period, frequency)
            in_period = [
                kr for kr in krs if kr.cycle_start <= period_end and kr.cycle_end >= period
            ]
            result = period_value(measure, period_feeds(in_period, readings, period_end))
            row = existing.get((measure_id, period))
            if result is None:
                if row is not None and row.source == ValueOrigin.KEY_RESULTS:
                    to_delete.append(row.pk)
                continue
            note = f"Calculated from {len(in_period)} key result(s)."
            if row is None:
                to_create.append(
                    MeasureValue(
                        organization=organization,
                        measure_id=measure_id,
                        period=period,
                        value=result,
                        note=note,
                        source=ValueOrigin.KEY_RESULTS,
                        entered_at=now,
                    )
                )
            elif (row.value, row.note, row.source) != (result, note, ValueOrigin.KEY_RESULTS):
                row.value, row.note, row.source, row.entered_at = (
                    result,
                    note,
                    ValueOrigin.KEY_RESULTS,
                    now,
                )
                to_update.append(row)
    # Values the results gave periods in which none of them checked in (any more): a
    # check-in moved out, its result archived or moved to another measure.
    to_delete += [
        row.pk
        for key, row in existing.items()
        if row.source == ValueOrigin.KEY_RESULTS and key not in computed
    ]
    if to_create:
        bulk_create_with_history(to_create, MeasureValue, batch_size=2000)
    if to_update:
        bulk_update_with_history(
            to_update, MeasureValue, ["value", "note", "source", "entered_at"], batch_size=2000
        )
    if to_delete:
        MeasureValue.objects.filter(pk__in=to_delete).delete()
    written = len(to_create) + len(to_update) + len(to_delete)
    if written:
        pagecache.changed(organization.pk)
    return written


# --- Pages ----------------------------------------------------------------------------------


CARD_RELATED = ("objective", "objective__cycle", "measure")


def _card_prefetches() -> list[Prefetch]:
    return [
        Prefetch("checkins", queryset=CheckIn.objects.order_by("as_of", "updated_at")),
        Prefetch(
            "objective__key_results",
            queryset=KeyResult.objects.filter(archived_at=None),
            to_attr="live_key_results",
        ),
    ]


def with_card_data(queryset):
    """What a check-in card shows, for any number of results in a fixed number of queries."""
    return queryset.select_related(*CARD_RELATED).prefetch_related(*_card_prefetches())


def load_card_data(kr: KeyResult) -> KeyResult:
    """The same for one result already loaded with ``CARD_RELATED`` (two queries)."""
    prefetch_related_objects([kr], *_card_prefetches())
    return kr


def my_key_results(user: User, today: dt.date):
    """Key results the member owns in the cycles running today."""
    return with_card_data(
        KeyResult.objects.filter(
            owner=user,
            archived_at=None,
            objective__archived_at=None,
            objective__cycle__start__lte=today,
            objective__cycle__end__gte=today,
        )
    ).order_by("objective__cycle__start", "objective__order", "objective_id", "order", "pk")


def measure_value_after(kr: KeyResult, checkin: CheckIn, today: dt.date) -> MeasureValue | None:
    """The latest value of the measure ``kr`` feeds (loaded with it), right after
    ``record_checkin``: the value its roll-up just stored when that is the value of the period
    running today (no later period can hold one: future periods are refused), else read."""
    stored = getattr(checkin, "measure_value", None)
    if stored is not None and kr.measure is not None:
        frequency = scalc.Frequency(kr.measure.update_frequency)
        running = scalc.period_start(today, frequency, kr.organization.fiscal_year_start_month)
        if stored.period == running:
            return stored
    return latest_measure_values([kr]).get(kr.measure_id)


def latest_measure_values(key_results) -> dict[int, MeasureValue]:
    """The latest value of each measure the results feed, in one query."""
    measure_ids = {kr.measure_id for kr in key_results if kr.measure_id}
    if not measure_ids:
        return {}
    newest = MeasureValue.objects.filter(measure_id=OuterRef("measure_id")).order_by("-period")
    return {
        value.measure_id: value
        for value in MeasureValue.objects.filter(
            measure_id__in=measure_ids, period=Subquery(newest.values("period")[:1])
        )
    }


# --- Discipline -----------------------------------------------------------------------------

MAX_OBJECTIVES_PER_UNIT = 5
KEY_RESULTS_RANGE = (3, 5)


def discipline_warnings(objectives) -> list[str]:
    """The product warns, it does not forbid (DESIGN.md §1). ``objectives`` carry their
    key results (prefetched)."""
    warnings: list[str] = []
    per_unit: dict[str, int] = defaultdict(int)
    for objective in objectives:
        per_unit[objective.unit.name if objective.unit_id else "no unit"] += 1
        live = [kr for kr in objective.key_results.all() if kr.archived_at is None]
        low, high = KEY_RESULTS_RANGE
        if len(live) < low or len(live) > high:
            warnings.append(
                f"“{objective.title}” has {len(live)} key result{'s' if len(live) != 1 else ''}; "
                f"{low} to {high} keep an objective focused."
            )
        if not objective.strategic_objective_id:
            warnings.append(f"“{objective.title}” is not linked to a strategic objective.")
        for kr in live:
            if not kr.measure_id and not kr.is_counterweight and kr.kind in ("metric", "hold"):
                warnings.append(f"“{kr.title}” feeds no scorecard measure.")
    for unit, count in sorted(per_unit.items()):
        if count > MAX_OBJECTIVES_PER_UNIT:
            warnings.append(
                f"{unit} has {count} objectives this cycle; more than "
                f"{MAX_OBJECTIVES_PER_UNIT} spreads attention thin."
            )
    return warnings


# --- Review, close, reopen, carry over -------------------------------------------------------

MISSED_QUARTERS_FOR_FLAG = 3


class CycleActionRefused(Exception):
    """A cycle transition the rules refuse; the message is shown."""


def next_quarter(cycle: Cycle) -> Cycle:
    organization = cycle.organization
    day = cycle.end + dt.timedelta(days=1)
    fiscal_year = scalc.fiscal_year_of(day, organization.fiscal_year_start_month)
    ensure_cycles(organization, fiscal_year)
    return Cycle.objects.get(kind=CycleKind.QUARTER, start=day, fiscal_year=fiscal_year)


@transaction.atomic
def review_objective(
    objective: OkrObjective,
    *,
    final_score: Decimal | None,
    what_worked: str,
    lessons: str,
    decisions: dict[int, str],
) -> None:
    if Cycle.objects.get(pk=objective.cycle_id).is_closed:
        raise CycleActionRefused("The cycle is closed; reopen it to change the review.")
    objective.final_score = final_score
    objective.what_worked = what_worked
    objective.lessons = lessons
    objective.status = "reviewed"
    objective.save(update_fields=["final_score", "what_worked", "lessons", "status"])
    for kr in objective.key_results.filter(archived_at=None):
        decision = decisions.get(kr.pk, "")
        if decision != kr.review_decision:
            kr.review_decision = decision
            kr.save(update_fields=["review_decision"])


def _missed_streak(kr: KeyResult) -> int:
    """How many quarters running this result (through its carry-over predecessors) missed."""
    streak = 0
    node: KeyResult | None = kr
    while node is not None:
        final = node.frozen_score if node.frozen_score is not None else node.score
        if final >= calc.SUCCESS:
            break
        streak += 1
        node = (
            KeyResult.objects.select_related("predecessor").get(pk=node.predecessor_id)
            if node.predecessor_id
            else None
        )
    return streak


@transaction.atomic
def close_cycle(cycle: Cycle, by: User) -> dict[str, int]:
    """Freeze every score of the cycle, create the carried-over results in the next
    quarter, and flag strategic objectives whose results missed three quarters running."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_closed:
        raise CycleActionRefused(f"{cycle.label} is already closed.")
    key_results = list(
        KeyResult.objects.filter(objective__cycle=cycle, archived_at=None).select_related(
            "objective", "objective__strategic_objective"
        )
    )
    for kr in key_results:
        kr.frozen_score = kr.score
        kr.save(update_fields=["frozen_score"])
    carried = flagged = 0
    following = None
    copies: dict[int, OkrObjective] = {}
    carried_measures: set[int] = set()
    for kr in key_results:
        streak = _missed_streak(kr)
        strategic = kr.objective.strategic_objective
        if streak >= MISSED_QUARTERS_FOR_FLAG and strategic is not None:
            strategic.review_flag = (
                f"“{kr.title}” missed {streak} quarters running (last: {cycle.label})."
            )
            strategic.save(update_fields=["review_flag"])
            flagged += 1
        if kr.review_decision != "carry_over" or hasattr(kr, "successor"):
            continue
        following = following or next_quarter(cycle)
        copy = copies.get(kr.objective_id)
        if copy is None:
            source = kr.objective
            copy = OkrObjective.objects.filter(cycle=following, title=source.title).first()
            if copy is None:
                copy = OkrObjective.objects.create(
                    organization=cycle.organization, cycle=following, level=source.level,
                    unit=source.unit, owner=source.owner, title=source.title,
                    description=source.description, strategic_objective=source.strategic_objective,
                    causal_link=source.causal_link, order=source.order,
                )  # fmt: skip
            copies[kr.objective_id] = copy
        KeyResult.objects.create(
            organization=cycle.organization, objective=copy, title=kr.title, owner=kr.owner,
            kind=kr.kind, unit_kind=kr.unit_kind, unit_label=kr.unit_label, decimals=kr.decimals,
            start_value=kr.current_value if kr.kind == "metric" and kr.current_value is not None
            else kr.start_value,
            target_value=kr.target_value, floor_value=kr.floor_value,
            hold_direction=kr.hold_direction, due_date=None if kr.kind != "milestone" else
            following.end, weight=kr.weight, measure=kr.measure,
            is_counterweight=kr.is_counterweight, order=kr.order, predecessor=kr,
        )  # fmt: skip
        carried += 1
        if kr.measure_id:
            carried_measures.add(kr.measure_id)
    if carried_measures:  # a new result counts in the score means of its quarter's periods
        _recompute_cycle(carried_measures, following, cycle.organization)
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = timezone.now()
    cycle.closed_by = by
    cycle.save()
    return {"frozen": len(key_results), "carried": carried, "flagged": flagged}


@transaction.atomic
def reopen_cycle(cycle: Cycle, by: User, reason: str) -> None:
    """An admin action, audited in the cycle's history with who and why."""
    if not reason.strip():
        raise CycleActionRefused("Say why the cycle is reopened; it is recorded.")
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_closed:
        raise CycleActionRefused(f"{cycle.label} is not closed.")
    cycle.status = CycleStatus.IN_REVIEW
    cycle.closed_at = None
    cycle._change_reason = f"Reopened: {reason.strip()}"
    cycle.save()
    KeyResult.objects.filter(objective__cycle=cycle).update(frozen_score=None)
    pagecache.changed(cycle.organization_id)


def cascade_coverage(cycle: Cycle) -> dict:
    objectives = list(
        OkrObjective.objects.filter(cycle=cycle, archived_at=None).select_related(
            "unit", "owner", "strategic_objective"
        )
    )
    children_levels: dict[int, set[str]] = defaultdict(set)
    for objective in objectives:
        if objective.parent_id:
            children_levels[objective.parent_id].add(objective.level)
    agency_without_units = [
        o for o in objectives if o.level == "agency" and "unit" not in children_levels[o.pk]
    ]
    unit_unlinked = [o for o in objectives if o.level == "unit" and not o.strategic_objective_id]
    linked = sum(1 for o in objectives if o.strategic_objective_id)
    return {
        "objectives": len(objectives),
        "linked": linked,
        "linked_share": scalc.format_percent_share(
            Decimal(linked) / Decimal(len(objectives)) if objectives else None
        ),
        "agency_without_units": agency_without_units,
        "unit_unlinked": unit_unlinked,
    }
