"""The plan overview of a large scorecard (page reads): each perspective's objectives with
how many of their measures are on track, at risk, off track, stale or without data — the
worst first, a bounded number per perspective — read from the stored measure states as plain
rows, never as model instances, so the page costs the same for 100 measures or 5,000.

A measure's status here is the one every page shows (``scorecards.state``): the stored
comparison of its latest value, stale once a further period has ended without a value
(``calc.stale_before``, the same rule as ``calc.is_stale``), no data without a value.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from scorecards import calc, state
from scorecards.discipline import MEASURE_WARNING_LIMIT
from scorecards.models import Measure, Perspective, StrategicObjective, StrategicPlan
from strategyhub import fiscal
from strategyhub.models import Organization
from strategyhub.status import Status

logger = logging.getLogger(__name__)

OBJECTIVES_SHOWN = 12
"""Objectives listed per perspective, the worst first; the perspective's page lists all."""

NAMES_SHOWN = 5
"""Measures named per kind of warning; the count and a link cover the rest."""


@dataclass
class ObjectiveSummary:
    pk: int
    title: str
    owner_name: str  # empty without an owner
    status: Status
    counts: list[tuple[str, str, int]]  # (status, label, count) of its measures, non-zero


@dataclass
class PerspectiveSummary:
    perspective: Perspective
    objectives: list[ObjectiveSummary]  # the worst first, at most ``OBJECTIVES_SHOWN``
    objective_count: int
    status_counts: dict[str, int]  # of its objectives, by status

    @property
    def hidden(self) -> int:
        return self.objective_count - len(self.objectives)


@dataclass
class Warnings:
    """The scorecard's discipline warnings, summarised: counts, and a few names each."""

    measure_count: int
    without_measures: list[str] = field(default_factory=list)
    without_measures_count: int = 0
    unowned: list[str] = field(default_factory=list)
    unowned_count: int = 0
    untargeted: list[str] = field(default_factory=list)
    untargeted_count: int = 0

    @property
    def without_measures_more(self) -> int:
        return self.without_measures_count - len(self.without_measures)

    @property
    def unowned_more(self) -> int:
        return self.unowned_count - len(self.unowned)

    @property
    def untargeted_more(self) -> int:
        return self.untargeted_count - len(self.untargeted)

    @property
    def too_many(self) -> bool:
        return self.measure_count > MEASURE_WARNING_LIMIT

    def __bool__(self) -> bool:
        return bool(
            self.too_many
            or self.without_measures_count
            or self.unowned_count
            or self.untargeted_count
        )


@dataclass
class PlanSummary:
    perspectives: list[PerspectiveSummary]
    status_counts: dict[str, int]  # of its measures, by status
    warnings: Warnings


_BY_VALUE = {status.value: status for status in Status}


def measure_status(latest_period: dt.date | None, comparison: str, stale_before: dt.date) -> Status:
    if latest_period is None or not comparison:
        return Status.NO_DATA
    if latest_period < stale_before:
        return Status.STALE
    return _BY_VALUE[comparison]


class MeasureRow(NamedTuple):
    """A live measure of the plan as the summary pages read it."""

    pk: int
    objective_id: int
    name: str
    org_unit_id: int | None
    owner_id: int | None
    has_target: bool
    update_frequency: str
    latest_period: dt.date | None
    status: Status


def measure_rows(
    plan: StrategicPlan, today: dt.date, *, objective_ids: Collection[int] | None = None
) -> list[MeasureRow]:
    """The plan's live measures with their status from the stored state, in one query (a
    measure whose state is missing, written outside the model, is computed and logged);
    with ``objective_ids``, only those objectives' measures (a perspective's page counts its
    own, not the plan's thousand)."""
    return list(map(MeasureRow._make, _state_rows(plan, today, objective_ids)))


def measure_row_tuples(plan: StrategicPlan, today: dt.date) -> list[tuple]:
    """``measure_rows`` as plain tuples in ``MeasureRow``'s order, without ``has_target``
    (None), for a caller that unpacks each row at once and needs no targets (the ownership
    page reads a thousand: no named tuple per row, three columns fewer)."""
    return _state_rows(plan, today, targets=False)


# The columns ``_state_rows`` reads, in its rows' order; ``_TARGET_COLUMNS`` only for
# ``has_target``.
_STATE_COLUMNS = (
    "pk",
    "state__measure",
    "objective_id",
    "name",
    "org_unit_id",
    "owner_id",
    "update_frequency",
    "state__latest_period",
    "state__comparison",
)
_TARGET_COLUMNS = ("target_value", "range_low", "state__has_yearly_targets")


def _state_rows(
    plan: StrategicPlan,
    today: dt.date,
    objective_ids: Collection[int] | None = None,
    *,
    targets: bool = True,
) -> list[tuple]:
    """``measure_rows`` as plain tuples in ``MeasureRow``'s order: the summary reads a
    thousand of them per view, and a named tuple built by keyword per row, with a call per
    status, was a fifth of its Python (issue 17). ``measure_status``'s rule, inlined.
    ``targets=False``: ``has_target`` is None and its three columns are not read (a
    thousand rows' worth of decimals, a millisecond of the ownership page and the map)."""
    cutoffs = {
        frequency.value: calc.stale_before(frequency, today) for frequency in fiscal.Frequency
    }
    live = Measure.objects.filter(objective__plan=plan, archived_at=None)
    if objective_ids is not None:
        live = live.filter(objective_id__in=objective_ids)
    columns = _STATE_COLUMNS + _TARGET_COLUMNS if targets else _STATE_COLUMNS
    rows = list(live.values_list(*columns))
    missing = state.unsaved([row[0] for row in rows if row[1] is None])
    if missing:
        logger.warning("%d measure(s) without a stored state: computed on read", len(missing))
    no_data, stale, by_value = Status.NO_DATA, Status.STALE, _BY_VALUE
    measures: list[tuple] = []
    append = measures.append
    has_target = None
    for row in rows:
        pk, stored, objective_id, name, org_unit_id, owner_id, frequency, period, comparison = (
            row[:9] if targets else row
        )
        yearly = row[11] if targets else None
        if stored is None and pk in missing:
            computed = missing[pk]
            period, comparison = computed.latest_period, computed.comparison
            yearly = computed.has_yearly_targets
        if period is None or not comparison:
            status = no_data
        elif period < cutoffs[frequency]:
            status = stale
        else:
            status = by_value[comparison]
        if targets:
            has_target = bool(yearly) or row[9] is not None or row[10] is not None
        append(
            (
                pk,
                objective_id,
                name,
                org_unit_id,
                owner_id,
                has_target,
                frequency,
                period,
                status,
            )
        )
    return measures


def objective_statuses(
    plan: StrategicPlan, today: dt.date, objective_ids: Iterable[int] | None = None
) -> dict[int, Status]:
    """Each live objective's status (as well as its worst measure), from the measures' rows
    (``_state_rows``): the strategy map's colours, without a model instance or a named row
    per measure. ``objective_ids``: the plan's live objectives when the caller has read
    them (else read here)."""
    by_objective: dict[int, list[Status]] = defaultdict(list)
    objective_at, status_at = (
        MeasureRow._fields.index("objective_id"),
        MeasureRow._fields.index("status"),
    )
    for row in _state_rows(plan, today, targets=False):
        by_objective[row[objective_at]].append(row[status_at])
    if objective_ids is None:
        objective_ids = StrategicObjective.objects.filter(plan=plan, archived_at=None).values_list(
            "pk", flat=True
        )
    worst = calc.objective_status
    return {pk: worst(by_objective.get(pk, [])) for pk in objective_ids}


def plan_summary(plan: StrategicPlan, organization: Organization, today: dt.date) -> PlanSummary:
    """Three queries: perspectives, objectives (with their owners' names) and the measures
    as rows with their stored state (``measure_rows``). Counted in plain dicts over the
    rows' tuples, each status's words looked up once: a thousand measures a view."""
    by_objective: dict[int, dict[Status, int]] = {}
    totals: dict[Status, int] = {}
    warnings = Warnings(measure_count=0)
    unowned, untargeted = warnings.unowned, warnings.untargeted
    unowned_count = untargeted_count = measure_count = 0
    for _, objective_id, name, _, owner_id, has_target, _, _, status in _state_rows(plan, today):
        counts = by_objective.get(objective_id)
        if counts is None:
            counts = by_objective[objective_id] = {}
        counts[status] = counts.get(status, 0) + 1
        totals[status] = totals.get(status, 0) + 1
        measure_count += 1
        if owner_id is None:
            unowned_count += 1
            if len(unowned) < NAMES_SHOWN:
                unowned.append(name)
        if not has_target:
            untargeted_count += 1
            if len(untargeted) < NAMES_SHOWN:
                untargeted.append(name)
    warnings.measure_count = measure_count
    warnings.unowned_count, warnings.untargeted_count = unowned_count, untargeted_count
    objectives: dict[int, list[ObjectiveSummary]] = defaultdict(list)
    words = [(s, s.value, s.label) for s in Status]  # looked up once, not once per objective
    # The distinct statuses decide an objective's (as well as its worst measure): memoised
    # per set of statuses present, a handful for hundreds of objectives.
    statuses: dict[frozenset[Status], Status] = {}
    empty: dict[Status, int] = {}
    for pk, title, perspective_id, owner_name, owner_email in (
        StrategicObjective.objects.filter(plan=plan, archived_at=None)
        .order_by("order", "title")
        .values_list("pk", "title", "perspective_id", "owner__full_name", "owner__email")
    ):
        counts = by_objective.get(pk, empty)
        if not counts:
            warnings.without_measures_count += 1
            if len(warnings.without_measures) < NAMES_SHOWN:
                warnings.without_measures.append(title)
        present = frozenset(counts)
        status = statuses.get(present)
        if status is None:
            status = statuses[present] = calc.objective_status(list(present))
        objectives[perspective_id].append(
            ObjectiveSummary(
                pk=pk,
                title=title,
                owner_name=owner_name or owner_email or "",  # as ``User.display_name``
                status=status,
                counts=[(value, label, counts[s]) for s, value, label in words if s in counts],
            )
        )
    severity = {status: index for index, status in enumerate(calc.SEVERITY)}
    perspectives = []
    for perspective in plan.perspectives.all():
        listed = objectives.get(perspective.pk, [])
        worst_first = sorted(listed, key=lambda o: severity[o.status])  # stable: plan order
        perspectives.append(
            PerspectiveSummary(
                perspective=perspective,
                objectives=worst_first[:OBJECTIVES_SHOWN],
                objective_count=len(listed),
                status_counts=dict(Counter(o.status.value for o in listed)),
            )
        )
    return PlanSummary(
        perspectives=perspectives,
        status_counts={status.value: count for status, count in totals.items()},
        warnings=warnings,
    )
