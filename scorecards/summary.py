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


def measure_rows(plan: StrategicPlan, today: dt.date) -> list[MeasureRow]:
    """The plan's live measures with their status from the stored state, in one query (a
    measure whose state is missing, written outside the model, is computed and logged)."""
    cutoffs = {
        frequency.value: calc.stale_before(frequency, today) for frequency in fiscal.Frequency
    }
    rows = list(
        Measure.objects.filter(objective__plan=plan, archived_at=None).values_list(
            "pk",
            "state__measure",
            "objective_id",
            "name",
            "org_unit_id",
            "owner_id",
            "target_value",
            "range_low",
            "update_frequency",
            "state__latest_period",
            "state__comparison",
            "state__has_yearly_targets",
        )
    )
    missing = state.unsaved([row[0] for row in rows if row[1] is None])
    if missing:
        logger.warning("%d measure(s) without a stored state: computed on read", len(missing))
    measures = []
    for (
        pk,
        _,
        objective_id,
        name,
        org_unit_id,
        owner_id,
        target,
        low,
        frequency,
        period,
        comparison,
        yearly,
    ) in rows:
        if pk in missing:
            computed = missing[pk]
            period, comparison = computed.latest_period, computed.comparison
            yearly = computed.has_yearly_targets
        measures.append(
            MeasureRow(
                pk=pk,
                objective_id=objective_id,
                name=name,
                org_unit_id=org_unit_id,
                owner_id=owner_id,
                has_target=bool(yearly) or target is not None or low is not None,
                update_frequency=frequency,
                latest_period=period,
                status=measure_status(period, comparison or "", cutoffs[frequency]),
            )
        )
    return measures


def objective_statuses(plan: StrategicPlan, today: dt.date) -> dict[int, Status]:
    """Each live objective's status (as well as its worst measure), from ``measure_rows``:
    the strategy map's colours, without a model instance per measure."""
    by_objective: dict[int, list[Status]] = defaultdict(list)
    for row in measure_rows(plan, today):
        by_objective[row.objective_id].append(row.status)
    return {
        pk: calc.objective_status(by_objective.get(pk, []))
        for pk in StrategicObjective.objects.filter(plan=plan, archived_at=None).values_list(
            "pk", flat=True
        )
    }


def plan_summary(plan: StrategicPlan, organization: Organization, today: dt.date) -> PlanSummary:
    """Three queries: perspectives, objectives (with their owners' names) and the measures
    as rows with their stored state (``measure_rows``)."""
    by_objective: dict[int, Counter[Status]] = defaultdict(Counter)
    totals: Counter[Status] = Counter()
    warnings = Warnings(measure_count=0)
    for row in measure_rows(plan, today):
        objective_id, name, owner_id, status = row.objective_id, row.name, row.owner_id, row.status
        by_objective[objective_id][status] += 1
        totals[status] += 1
        warnings.measure_count += 1
        if owner_id is None:
            warnings.unowned_count += 1
            if len(warnings.unowned) < NAMES_SHOWN:
                warnings.unowned.append(name)
        if not row.has_target:
            warnings.untargeted_count += 1
            if len(warnings.untargeted) < NAMES_SHOWN:
                warnings.untargeted.append(name)
    objectives: dict[int, list[ObjectiveSummary]] = defaultdict(list)
    words = [(s, s.value, s.label) for s in Status]  # looked up once, not once per objective
    for pk, title, perspective_id, owner_name, owner_email in (
        StrategicObjective.objects.filter(plan=plan, archived_at=None)
        .order_by("order", "title")
        .values_list("pk", "title", "perspective_id", "owner__full_name", "owner__email")
    ):
        counts = by_objective.get(pk, Counter())
        if not counts:
            warnings.without_measures_count += 1
            if len(warnings.without_measures) < NAMES_SHOWN:
                warnings.without_measures.append(title)
        objectives[perspective_id].append(
            ObjectiveSummary(
                pk=pk,
                title=title,
                owner_name=owner_name or owner_email or "",  # as ``User.display_name``
                # The distinct statuses decide (as well as the worst measure).
                status=calc.objective_status(list(counts)),
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
