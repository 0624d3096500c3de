"""The ownership coverage report (page reads): every owned item with its owner state and
status, the tallies by kind and unit, the gaps, and the on-track rates of owned and unowned
items beside the published reference figures.

Items are strategic objectives and measures of the active plan, and OKR objectives and key
results of the running quarter. Everything is gathered in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext

from okrs import calc as okr_calc
from okrs.models import Cycle, CycleKind, KeyResult, OkrObjective
from ownership.owners import MODELS, active_member_ids, settings_for
from ownership.rules import STATE_LABELS, Cadence, OwnerState, owner_state
from ownership.rules import key_result_state as kr_owner_state
from ownership.rules import measure_state as measure_owner_state
from scorecards import calc as scorecard_calc
from scorecards.models import StrategicObjective, StrategicPlan
from scorecards.queries import active_plan
from scorecards.summary import measure_rows
from strategyhub import fiscal
from strategyhub.models import Organization, Unit, User
from strategyhub.status import Status
from strategyhub.ui import dates

if TYPE_CHECKING:
    pass

__all__ = [
    "ITEM_URL_NAMES",
    "MODELS",
    "REFERENCE_OWNED_ON_TRACK",
    "REFERENCE_UNOWNED_ON_TRACK",
    "TYPE_LABELS",
    "OwnedItem",
    "Report",
    "collect_items",
    "ownership_report",
]

TYPE_LABELS = {
    "strategic_objective": "Strategic objectives",
    "measure": "Measures",
    "okr_objective": "OKR objectives",
    "key_result": "Key results",
}
# Published reference figures (DESIGN.md §1): owned objectives on track vs unowned ones.
REFERENCE_OWNED_ON_TRACK = Decimal("0.236")
REFERENCE_UNOWNED_ON_TRACK = Decimal("0.097")


# The page of each kind of item (reversed when shown: a large agency has thousands of items
# and the ownership page shows 25).
ITEM_URL_NAMES = {
    "measure": "scorecards:measure",
    "strategic_objective": "scorecards:objective",
    "key_result": "okrs:key_result",
    "okr_objective": "okrs:objective",
}


@dataclass
class OwnedItem:
    type: str
    id: int
    label: str
    slug: str  # the agency's, for the item's URL
    unit_name: str
    owner_id: int | None
    state: OwnerState
    status: str | None  # on_track / at_risk / off_track / stale; None without data
    status_label: str = ""
    detail: str = ""  # e.g. "no check-in since 2 Nov"
    unit_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    owner: User | None = None  # loaded with the others by ``collect_items``

    @property
    def url(self) -> str:
        return reverse(ITEM_URL_NAMES[self.type], args=[self.slug, self.id])

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type][:-1]


def collect_items(
    organization: Organization, today: dt.date, *, with_owners: bool = True
) -> list[OwnedItem]:
    """Every owned item with its owner state and status. Owners and units are read once
    each (a few hundred members own thousands of items), key results in one flat query.
    ``with_owners=False`` leaves ``owner`` unset (the report loads the owners of the gaps it
    shows only: :func:`attach_owners`)."""
    cadence_row = settings_for(organization)
    cadence = Cadence(cadence_row.checkin_stale_days, cadence_row.measure_grace_days)
    members = active_member_ids(organization)
    # Keyed by unit id; an item without a unit (None) finds no name.
    units: dict[int | None, str] = dict(Unit.objects.values_list("pk", "name"))
    slug = organization.slug
    items: list[OwnedItem] = []
    # Words looked up once per page, not once per item (thousands of items share a handful
    # of statuses and check-in days).
    labels = {status: status.label for status in Status}
    checked_in: dict[dt.date, str] = {}

    def last_check_in(day: dt.date) -> str:
        text = checked_in.get(day)
        if text is None:
            text = gettext("last check-in %(day)s") % {"day": dates.brief_month_day(day)}
            checked_in[day] = text
        return text

    plan = active_plan(organization)
    fy_month = organization.fiscal_year_start_month
    if plan is not None:
        # Rows, not model instances: a large agency has a thousand measures, each with its
        # status from the stored state (``scorecards.summary.measure_rows``).
        by_objective: dict[int, list[Status]] = defaultdict(list)
        overdue_since = _OverdueSince(plan, fy_month, today)
        for row in measure_rows(plan, today):
            status = row.status
            by_objective[row.objective_id].append(status)
            overdue = overdue_since(row.update_frequency, row.latest_period)
            items.append(
                OwnedItem(
                    type="measure",
                    id=row.pk,
                    label=row.name,
                    slug=slug,
                    unit_name=units.get(row.org_unit_id, ""),
                    unit_id=row.org_unit_id,
                    owner_id=row.owner_id,
                    state=measure_owner_state(row.owner_id, members, overdue, today, cadence),
                    status=None if status == Status.NO_DATA else status,
                    status_label=labels[status],
                    detail=f"no value since {overdue:%B %Y}" if overdue else "",
                )
            )
        for pk, title, unit_id, owner_id, review_flag in StrategicObjective.objects.filter(
            plan=plan, archived_at=None
        ).values_list("pk", "title", "unit_id", "owner_id", "review_flag"):
            status = scorecard_calc.objective_status(by_objective.get(pk, []))
            items.append(
                OwnedItem(
                    type="strategic_objective",
                    id=pk,
                    label=title,
                    slug=slug,
                    unit_name=units.get(unit_id, ""),
                    unit_id=unit_id,
                    owner_id=owner_id,
                    state=owner_state(owner_id, members),
                    status=None if status == Status.NO_DATA else status,
                    status_label=labels[status],
                    extra={"review_flag": review_flag},
                )
            )
    # The running quarter's objectives and results as rows (a large agency has a thousand
    # results a quarter): statuses from the stored scores, the pace by today's date.
    objectives = list(
        OkrObjective.objects.filter(
            archived_at=None,
            cycle__kind=CycleKind.QUARTER,
            cycle__start__lte=today,
            cycle__end__gte=today,
        ).values_list("pk", "title", "unit_id", "owner_id", "cycle_id", "score")
    )
    cycles = Cycle.objects.in_bulk({row[4] for row in objectives})
    results: dict[int, list[tuple]] = defaultdict(list)
    for result in (
        KeyResult.objects.filter(archived_at=None, objective__in=[o[0] for o in objectives])
        .order_by("objective_id", "order", "pk")
        # As ``KeyResult.checkins_expected_from``: the day the result was created, in the
        # agency's time zone (a date from the database, not a timestamp per row).
        .annotate(created_day=TruncDate("created_at", tzinfo=organization.tz))
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
        results[result[0]].append(result[1:])
    for objective_id, title, unit_id, objective_owner, cycle_id, objective_score in objectives:
        cycle = cycles[cycle_id]
        kr_statuses = []
        for (
            pk,
            kr_title,
            owner_id,
            kind,
            due,
            score,
            as_of,
            created_day,
        ) in results[objective_id]:
            has_data = as_of is not None
            status = (
                okr_calc.status_of_stored_score(kind, due, score, cycle.start, cycle.end, today)
                if has_data
                else Status.NO_DATA
            )
            kr_statuses.append(status)
            state = kr_owner_state(
                owner_id,
                members,
                as_of,
                cycle.start,
                cycle.end,
                today,
                cadence,
                # As ``KeyResult.checkins_expected_from``: from the later of the quarter's
                # start and the day the result was created.
                expected_from=max(cycle.start, created_day),
            )
            items.append(
                OwnedItem(
                    type="key_result",
                    id=pk,
                    label=kr_title,
                    slug=slug,
                    unit_name=units.get(unit_id, ""),
                    unit_id=unit_id,
                    owner_id=owner_id,
                    state=state,
                    status=status if has_data else None,
                    status_label=labels[status],
                    detail=last_check_in(as_of) if has_data else gettext("no check-in yet"),
                    extra={"cycle": cycle, "score": score},
                )
            )
        status = okr_calc.objective_status(kr_statuses)
        items.append(
            OwnedItem(
                type="okr_objective",
                id=objective_id,
                label=title,
                slug=slug,
                unit_name=units.get(unit_id, ""),
                unit_id=unit_id,
                owner_id=objective_owner,
                state=owner_state(objective_owner, members),
                status=None if status == Status.NO_DATA else status,
                status_label=labels[status],
                # The stored objective score (``keyresults.rescore_objective``).
                extra={"cycle": cycle, "score": objective_score},
            )
        )
    if with_owners:
        attach_owners(items)
    return items


def attach_owners(items: Iterable[OwnedItem]) -> None:
    """Load the owners of ``items`` (one query) into ``item.owner``."""
    items = list(items)
    owners = User.objects.in_bulk({item.owner_id for item in items} - {None})
    for item in items:
        item.owner = owners.get(item.owner_id)


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
        if found is None:
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
        frequency, last_due, first_missing = self._bounds(update_frequency)
        if latest is not None and latest >= last_due:
            return None
        if latest is None:
            missing = first_missing
        else:
            missing = fiscal.add_months(latest, fiscal.MONTHS_PER_PERIOD[frequency])
        return fiscal.period_end(missing, frequency) if missing else None


@dataclass
class Report:
    items: list[OwnedItem]
    by_type: list[tuple[str, dict[str, int], int]]
    by_unit: list[tuple[str, dict[str, int], int]]
    gaps: list[OwnedItem]
    owned_rate: Decimal | None
    unowned_rate: Decimal | None
    ratio: Decimal | None
    owned_count: int
    unowned_count: int


def _on_track_rate(items: list[OwnedItem]) -> Decimal | None:
    judged = [i for i in items if i.status is not None]
    if not judged:
        return None
    return Decimal(sum(1 for i in judged if i.status == "on_track")) / Decimal(len(judged))


def ownership_report(organization: Organization, today: dt.date) -> Report:
    """The page's figures. Items carry their owner ids only: the page loads the owners of
    the gaps it shows (:func:`attach_owners`)."""
    items = collect_items(organization, today, with_owners=False)

    def tally(key: Callable[[OwnedItem], str]) -> list[tuple[str, dict[str, int], int]]:
        groups: dict[str, Counter] = defaultdict(Counter)
        for item in items:
            groups[key(item)][item.state] += 1
        return [
            (
                name,
                {state.value: counts.get(state, 0) for state in OwnerState},
                sum(counts.values()),
            )
            for name, counts in sorted(groups.items())
        ]

    owned = [i for i in items if i.state == OwnerState.ACTIVE]
    not_owned = [i for i in items if i.state in (OwnerState.UNOWNED, OwnerState.OWNER_INACTIVE)]
    owned_rate, unowned_rate = _on_track_rate(owned), _on_track_rate(not_owned)
    ratio = owned_rate / unowned_rate if owned_rate is not None and unowned_rate else None
    order = {"unowned": 0, "owner_inactive": 1, "stale": 2}
    gaps = sorted(
        (i for i in items if i.state != OwnerState.ACTIVE),
        key=lambda i: (order[i.state], list(TYPE_LABELS).index(i.type), i.label),
    )
    return Report(
        items=items,
        by_type=[
            (TYPE_LABELS[name], counts, total)
            for name, counts, total in sorted(
                tally(lambda i: i.type), key=lambda row: list(TYPE_LABELS).index(row[0])
            )
        ],
        by_unit=tally(lambda i: i.unit_name or "No unit"),
        gaps=gaps,
        owned_rate=owned_rate,
        unowned_rate=unowned_rate,
        ratio=ratio,
        owned_count=len(owned),
        unowned_count=len(not_owned),
    )
