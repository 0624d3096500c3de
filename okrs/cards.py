"""Check-in cards (page reads): the key results a member owns in the running cycles, what
each card shows besides the result (its readings, its objective's live results), the latest
value of the measures the results feed, and the results' states. My check-ins, the home
page, a check-in's answer and the API read through here, in a fixed number of queries.

Apart from ``okrs.queries`` (the cycle, objective and key-result pages): the cards are read
on the check-in path, which has budgets of its own (issue 17)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from okrs import rollup
from okrs.checkins import CheckInOutcome
from okrs.keyresults import RESCORE_FIELDS, KRState, kr_state
from okrs.models import CheckIn, KeyResult
from scorecards import state
from scorecards.models import MeasureValue
from strategyhub import fiscal
from strategyhub.models import User

CARD_RELATED = ("objective", "objective__cycle", "measure")


def _card_prefetches() -> list[Prefetch]:
    return [
        Prefetch("checkins", queryset=CheckIn.objects.order_by("as_of", "created_at")),
        Prefetch(
            "objective__key_results",
            queryset=KeyResult.objects.filter(archived_at=None),
            to_attr="live_key_results",
        ),
    ]


def with_card_data(queryset: QuerySet[KeyResult]) -> QuerySet[KeyResult]:
    """What a check-in card shows, for any number of results in a fixed number of queries."""
    return queryset.select_related(*CARD_RELATED).prefetch_related(*_card_prefetches())


def load_card_data(key_results: Sequence[KeyResult], outcome: CheckInOutcome | None = None) -> None:
    """What the check-in cards of ``key_results`` (loaded with ``CARD_RELATED``) show
    besides the results themselves, read as rows in two queries (not the prefetches of
    ``with_card_data``: a card needs no check-in's texts, and the page and the check-in's
    answer are issue 17's budgets): each result's readings, oldest first, as
    ``kr.card_readings``, and its objective's live results (``RESCORE_FIELDS``) as
    ``kr.objective.live_key_results``. After a save (``outcome``, one result), what the save
    read is not read again (``CheckInOutcome.objective_results`` and ``readings``); the
    result's current value and score were updated in memory."""
    saved = outcome if outcome is not None and len(key_results) == 1 else None
    if saved is not None and saved.readings is not None:
        key_results[0].card_readings = saved.readings  # type: ignore[attr-defined]
    else:
        readings = rollup._readings(
            CheckIn.objects.filter(key_result__in=[kr.pk for kr in key_results])
        )
        for kr in key_results:
            kr.card_readings = readings.get(kr.pk, [])  # type: ignore[attr-defined]
    if saved is not None and saved.objective_results is not None:
        objective = key_results[0].objective
        objective.live_key_results = saved.objective_results  # type: ignore[attr-defined]
        return
    live: dict[int, list[KeyResult]] = defaultdict(list)
    for other in KeyResult.objects.filter(
        objective_id__in={kr.objective_id for kr in key_results}, archived_at=None
    ).only("objective", *RESCORE_FIELDS):
        live[other.objective_id].append(other)
    for kr in key_results:
        kr.objective.live_key_results = live[kr.objective_id]  # type: ignore[attr-defined]


def my_key_results(user: User, today: dt.date, *, prefetch: bool = True) -> QuerySet[KeyResult]:
    """Key results the member owns in the cycles running today, with their card data
    (``with_card_data``; ``prefetch`` False: only ``CARD_RELATED``, for ``load_card_data``)
    and their measure's latest value as stored (``latest_measure_values``)."""
    owned = KeyResult.objects.filter(
        owner=user,
        archived_at=None,
        objective__archived_at=None,
        objective__cycle__start__lte=today,
        objective__cycle__end__gte=today,
    )
    cards = with_card_data(owned) if prefetch else owned.select_related(*CARD_RELATED)
    # With each measure's stored state: its latest value (``latest_measure_values``), only.
    unread = [f"measure__state__{name}" for name in state.FIELDS if name not in LATEST]
    return (
        cards.select_related("measure__state")
        .defer(*unread)
        .order_by("objective__cycle__start", "objective__order", "objective_id", "order", "pk")
    )


LATEST = ("latest_period", "latest_value")  # what ``latest_measure_values`` reads of a state


def latest_measure_values(key_results: Iterable[KeyResult]) -> dict[int, MeasureValue]:
    """The latest value of each measure the results feed: from the measure's stored state
    (``scorecards.state``: its latest period and value, written with every value) when the
    results were loaded with it (``my_key_results``: ``measure__state``), as an unsaved
    ``MeasureValue`` of that period; else read, in one query."""
    found: dict[int, MeasureValue] = {}
    unread: set[int] = set()
    for kr in key_results:
        if not kr.measure_id or kr.measure_id in found:
            continue
        measure = kr.measure
        if measure is None or "state" not in measure._state.fields_cache:
            unread.add(kr.measure_id)
            continue
        stored = measure._state.fields_cache["state"]  # None: no state row stored
        if stored is None:
            unread.add(kr.measure_id)
        elif stored.latest_period is not None:
            found[kr.measure_id] = MeasureValue(
                organization_id=measure.organization_id,
                measure=measure,
                period=stored.latest_period,
                value=stored.latest_value,
            )
    unread -= found.keys()
    if not unread:
        return found
    newest = MeasureValue.objects.filter(measure_id=OuterRef("measure_id")).order_by("-period")
    found.update(
        (value.measure_id, value)
        for value in MeasureValue.objects.filter(
            measure_id__in=unread, period=Subquery(newest.values("period")[:1])
        )
    )
    return found


def measure_value_after(
    kr: KeyResult, outcome: CheckInOutcome, today: dt.date
) -> MeasureValue | None:
    """The latest value of the measure ``kr`` feeds (loaded with it), right after
    ``checkins.record``: the value its roll-up just stored when that is the value of the
    period running today (no later period can hold one: future periods are refused), else
    read."""
    stored = outcome.measure_value
    if stored is not None and kr.measure is not None:
        frequency = fiscal.Frequency(kr.measure.update_frequency)
        running = fiscal.period_start(today, frequency, kr.organization.fiscal_year_start_month)
        if stored.period == running:
            return stored
    if kr.measure_id is None:
        return None
    return latest_measure_values([kr]).get(kr.measure_id)


def states_of(key_results: Iterable[KeyResult], today: dt.date) -> list[KRState]:
    """The state of each result loaded with its check-ins (oldest first) and its cycle."""
    return [
        kr_state(kr, [c.reading() for c in kr.checkins.all()], kr.objective.cycle, today)
        for kr in key_results
    ]
