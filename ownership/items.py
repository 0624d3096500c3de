"""The owned items of an agency as plain rows (page reads): every measure and strategic
objective of the active plan, every OKR objective and key result of the running quarter,
each with its owner state and status, in a fixed number of queries.

One tuple per item, not an object: a large agency has about 2,500 items and the ownership
page only tallies them and shows 25 of its gaps, so an object built per item (with its
words looked up) was most of the page's first build (issue 17). ``ownership.report`` makes
:class:`~ownership.report.OwnedItem` objects from these rows for the items it hands out
(``collect_items``: the alerts and digests; the shown page of gaps).

A row's fields, by position (the constants below):

``TYPE``      the kind of item (``ownership.owners.MODELS``'s key);
``ID``        its primary key;
``LABEL``     its name (a measure) or title;
``UNIT``      its unit's id, or None;
``OWNER``     its owner's id, or None;
``STATE``     its :class:`~ownership.rules.OwnerState`;
``STATUS``    its :class:`~strategyhub.status.Status` (``NO_DATA`` without data);
``SINCE``     a measure's ``overdue_since`` (the end of the first period missing a value)
              or a key result's last check-in day, else None;
``CYCLE``     an OKR item's :class:`~okrs.models.Cycle`, else None;
``EXTRA``     a strategic objective's review flag, an OKR item's stored score, else None.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models.functions import TruncDate

from okrs import calc as okr_calc
from okrs.models import Cycle, CycleKind, KeyResult, OkrObjective
from ownership.owners import active_owners, settings_for
from ownership.rules import Cadence, OwnerState, key_result_judge, measure_judge, owner_state
from scorecards import calc as scorecard_calc
from scorecards.models import StrategicObjective, StrategicPlan
from scorecards.queries import active_plan
from scorecards.summary import measure_row_tuples
from strategyhub import fiscal
from strategyhub.models import Organization, Unit
from strategyhub.status import Status

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "CYCLE",
    "EXTRA",
    "ID",
    "LABEL",
    "OWNER",
    "SINCE",
    "STATE",
    "STATUS",
    "TYPE",
    "UNIT",
    "ItemRows",
    "item_rows",
]

TYPE, ID, LABEL, UNIT, OWNER, STATE, STATUS, SINCE, CYCLE, EXTRA = range(10)

MEASURE = "measure"
STRATEGIC_OBJECTIVE = "strategic_objective"
OKR_OBJECTIVE = "okr_objective"
KEY_RESULT = "key_result"


@dataclass
class ItemRows:
    """The items' rows in the order ``collect_items`` lists them (the plan's measures, its
    objectives, then each OKR objective after its key results), with the unit names they
    refer to (by unit id; an item without a unit, None, finds no name)."""

    rows: list[tuple]
    units: dict[int | None, str]
    # How many people may be named owner (``owners.active_owners``): the page offers inline
    # pickers up to a limit.
    owner_candidates: int = 0


def item_rows(organization: Organization, today: dt.date) -> ItemRows:
    """Every owned item as a row (see the module's docstring). Nine queries: the ownership
    settings, the active members (with how many may own items), the units, the active
    plan, its measures (with their stored states) and objectives, the quarter's objectives,
    their cycles and their key results. Members and units are read once each (a few hundred
    members own thousands of items), key results in one flat query."""
    cadence_row = settings_for(organization)
    cadence = Cadence(cadence_row.checkin_stale_days, cadence_row.measure_grace_days)
    members, candidates = active_owners(organization)
    # A lookup by id: the units' order is not needed.
    units: dict[int | None, str] = dict(Unit.objects.order_by().values_list("pk", "name"))
    rows: list[tuple] = []
    append = rows.append

    plan = active_plan(organization)
    if plan is not None:
        # Rows, not model instances: a large agency has a thousand measures, each with its
        # status from the stored state (``scorecards.summary.measure_rows``).
        by_objective: dict[int, list[Status]] = defaultdict(list)
        overdue_since = _OverdueSince(plan, organization.fiscal_year_start_month, today)
        judge = measure_judge(members, today, cadence)
        for (
            pk,
            objective_id,
            name,
            unit_id,
            owner_id,
            _,
            frequency,
            latest,
            status,
        ) in measure_row_tuples(plan, today):
            by_objective[objective_id].append(status)
            overdue = overdue_since(frequency, latest)
            state = judge(owner_id, overdue)
            append((MEASURE, pk, name, unit_id, owner_id, state, status, overdue, None, None))
        # The distinct statuses of its measures decide an objective's (as well as its
        # worst): worked out once per set of statuses, a handful for hundreds of objectives.
        statuses: dict[frozenset[Status], Status] = {}
        for pk, title, unit_id, owner_id, review_flag in StrategicObjective.objects.filter(
            plan=plan, archived_at=None
        ).values_list("pk", "title", "unit_id", "owner_id", "review_flag"):
            present = frozenset(by_objective.get(pk, ()))
            worst = statuses.get(present)
            if worst is None:
                worst = statuses[present] = scorecard_calc.objective_status(list(present))
            state = owner_state(owner_id, members)
            append(
                (
                    STRATEGIC_OBJECTIVE,
                    pk,
                    title,
                    unit_id,
                    owner_id,
                    state,
                    worst,
                    None,
                    None,
                    review_flag,
                )
            )
    _add_okr_rows(rows, organization, today, members, cadence)
    return ItemRows(rows=rows, units=units, owner_candidates=candidates)


def _add_okr_rows(
    rows: list[tuple],
    organization: Organization,
    today: dt.date,
    members: set[int],
    cadence: Cadence,
) -> None:
    """The running quarter's objectives and results as rows (a large agency has a thousand
    results a quarter): statuses from the stored scores, the pace by today's date."""
    append = rows.append
    running = {
        "archived_at": None,
        "cycle__kind": CycleKind.QUARTER,
        "cycle__start__lte": today,
        "cycle__end__gte": today,
    }
    objectives = list(
        OkrObjective.objects.filter(**running).values_list(
            "pk", "title", "unit_id", "owner_id", "cycle_id", "score"
        )
    )
    if not objectives:
        return
    cycles = Cycle.objects.in_bulk({row[4] for row in objectives})
    results: dict[int, list[tuple]] = defaultdict(list)
    for result in (
        # The same objectives' results, by a join rather than a list of a few hundred ids.
        KeyResult.objects.filter(
            archived_at=None, **{f"objective__{name}": value for name, value in running.items()}
        )
        .order_by("objective_id", "order", "pk")
        # As ``KeyResult.checkins_expected_from``: the day the result was created, in the
        # agency's time zone (a date from the database, not a timestamp per row).
        .annotate(created_day=_LocalDate("created_at", tzinfo=organization.tz))
        .values_list(
            "objective_id",
            "pk",
            "title",
            "owner_id",
            "kind",
            "due_date",
            "score",
            "current_as_of",
            "created_day",
        )
    ):
        results[result[0]].append(result)
    no_data = Status.NO_DATA
    # Per cycle (a quarter has a thousand results): the owner-state rule and the status rule
    # with what depends on the cycle and the day worked out once.
    judges: dict[int, tuple[Callable[..., OwnerState], Callable[..., Status]]] = {}
    # An objective is as well as its worst result: worked out once per set of statuses.
    worst: dict[frozenset[Status], Status] = {}
    for objective_id, title, unit_id, objective_owner, cycle_id, objective_score in objectives:
        cycle = cycles[cycle_id]
        found = judges.get(cycle_id)
        if found is None:
            start, end = cycle.start, cycle.end
            found = judges[cycle_id] = (
                key_result_judge(members, start, end, today, cadence),
                okr_calc.stored_status_judge(start, end, today),
            )
        judge, stored_status = found
        kr_statuses = set()
        for _, pk, kr_title, owner_id, kind, due, score, as_of, created_day in results[
            objective_id
        ]:
            status = no_data if as_of is None else stored_status(kind, due, score)
            kr_statuses.add(status)
            # As ``KeyResult.checkins_expected_from``: from the later of the quarter's
            # start and the day the result was created (the rule takes the later).
            state = judge(owner_id, as_of, created_day)
            append(
                (KEY_RESULT, pk, kr_title, unit_id, owner_id, state, status, as_of, cycle, score)
            )
        present = frozenset(kr_statuses)
        objective_status = worst.get(present)
        if objective_status is None:
            objective_status = worst[present] = okr_calc.objective_status(list(present))
        append(
            (
                OKR_OBJECTIVE,
                objective_id,
                title,
                unit_id,
                objective_owner,
                owner_state(objective_owner, members),
                objective_status,
                None,
                cycle,
                objective_score,  # the stored score (``keyresults.rescore_objective``)
            )
        )


class _LocalDate(TruncDate):
    """``TruncDate`` without its conversion of every value on PostgreSQL, which gives the
    date itself (the conversion only turns a timestamp into its date: a thousand calls a
    quarter for nothing); other databases keep it."""

    def get_db_converters(self, connection: BaseDatabaseWrapper) -> list[Callable[..., Any]]:
        if connection.vendor == "postgresql":
            # ``Field.get_db_converters`` (django-stubs leave it out of the field classes).
            return self.output_field.get_db_converters(connection)  # type: ignore[attr-defined]
        return super().get_db_converters(connection)


class _OverdueSince:
    """End of the first period of a measure that should have a value and has none, or None
    (called with the measure's update frequency and the period of its latest value). What
    depends on the frequency and today only is worked out once per frequency, not per
    measure (a large agency has a thousand measures)."""

    def __init__(self, plan: StrategicPlan, fy_month: int, today: dt.date) -> None:
        self.plan, self.fy_month, self.today = plan, fy_month, today
        self.by_frequency: dict[str, tuple[fiscal.Frequency, dt.date, dt.date | None]] = {}

    def _bounds(self, update_frequency: str) -> tuple[fiscal.Frequency, dt.date, dt.date | None]:
        found = self.by_frequency.get(update_frequency)
        if found is None:  # the first measure of this frequency
            frequency = fiscal.Frequency(update_frequency)
            current = fiscal.period_start(self.today, frequency, self.fy_month)
            last_due = fiscal.add_months(current, -fiscal.MONTHS_PER_PERIOD[frequency])
            first = fiscal.period_start(
                self.plan.start_date(self.fy_month), frequency, self.fy_month
            )
            found = (frequency, last_due, first if first <= last_due else None)
            self.by_frequency[update_frequency] = found
        return found

    def __call__(self, update_frequency: str, latest: dt.date | None) -> dt.date | None:
        # Looked up here, not by a call per measure: ``_bounds`` runs once per frequency.
        found = self.by_frequency.get(update_frequency) or self._bounds(update_frequency)
        frequency, last_due, first_missing = found
        if latest is not None and latest >= last_due:
            return None
        if latest is None:
            missing = first_missing
        else:
            missing = fiscal.add_months(latest, fiscal.MONTHS_PER_PERIOD[frequency])
        return fiscal.period_end(missing, frequency) if missing else None
