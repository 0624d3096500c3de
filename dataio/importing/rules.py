"""The services' own rules for the rows of the sheets that have one, besides the model's
``clean()`` (which :mod:`dataio.importing.engine` runs for every sheet):

- "Measure values": ``scorecards.measures.check_value`` (a typed value never in a
  calculated measure — unless it is history from before the measure was calculated: its
  source says "entered", "import" or "api" —, within the measure's and its unit's bounds,
  inside the plan's window, not in a period that has not started, a note within its
  limit) — and the period is the first day of its period, as the value form stores it;
- "Yearly targets": ``scorecards.measures.check_target``;
- "Check-ins": ``okrs.checkins.validate``.

A restore is not a form entry made today: a check-in of a closed quarter, or of a result
archived since, is checked by ``validate`` as the entry it was when it was made (the
cycle open, the result live); every other rule holds (the date inside its cycle and not in
the future, what its kind needs, bounds, lengths).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from dataio import schema
from dataio.importing.context import Context
from dataio.importing.problems import report_error
from okrs import checkins
from okrs.models import Cycle, CycleStatus, KeyResult, OkrObjective
from scorecards import measures
from scorecards.models import Measure, StrategicPlan, ValueOrigin, ValueSource

Rows = list[tuple[int, models.Model]]


def check(ctx: Context, spec: schema.Sheet, rows: Rows, columns: dict[str, Any]) -> None:
    checker = CHECKS.get(spec.name)
    if checker is not None:
        header_of = {c.field: c.header for c in spec.columns}
        checker(ctx, spec, rows, header_of)


def _report(
    ctx: Context,
    spec: schema.Sheet,
    error: ValidationError,
    number: int,
    header_of: dict[str, str],
    row: models.Model,
) -> None:
    values = {header: getattr(row, name, None) for name, header in header_of.items()}
    report_error(ctx.problems, spec.name, error, number, header_of, values)


def _plan_of(measure: Measure, plans: dict[int, StrategicPlan]) -> StrategicPlan:
    plan_id = measure.objective.plan_id
    if plan_id not in plans:
        plans[plan_id] = StrategicPlan.objects.get(pk=plan_id)
    return plans[plan_id]


def _as_typed(measure: Measure, views: dict[int, Measure]) -> Measure:
    """``measure`` as it stood when a typed-in value of its history was entered: taking
    typed values (a measure switched to calculated later keeps its earlier series)."""
    if measure.pk not in views:
        view = Measure(
            **{f.attname: getattr(measure, f.attname) for f in Measure._meta.concrete_fields}
        )
        view.value_source = ValueSource.ENTERED
        views[measure.pk] = view
    return views[measure.pk]


def measure_values(ctx: Context, spec: schema.Sheet, rows: Rows, header_of: dict[str, str]) -> None:
    plans: dict[int, StrategicPlan] = {}
    views: dict[int, Measure] = {}
    for number, row in rows:
        measure = row.measure  # type: ignore[attr-defined]
        if measure.is_calculated and row.source != ValueOrigin.KEY_RESULTS:  # type: ignore[attr-defined]
            measure = _as_typed(measure, views)
        try:
            start = measures.check_value(
                measure,
                plan=_plan_of(measure, plans),
                organization=ctx.organization,
                period=row.period,  # type: ignore[attr-defined]
                value=row.value,  # type: ignore[attr-defined]
                note=row.note,  # type: ignore[attr-defined]
                source=row.source,  # type: ignore[attr-defined]
                today=ctx.today,
            )
        except measures.ValueRefused as refusal:
            _report(ctx, spec, refusal, number, header_of, row)
            continue
        if start != row.period:  # type: ignore[attr-defined]
            ctx.problems.add(
                f"A period is named by its first day: {start:%Y-%m-%d} for this measure's "
                f"{measure.get_update_frequency_display().lower()} values.",
                sheet=spec.name,
                row=number,
                column="Period",
                value=row.period,  # type: ignore[attr-defined]
            )


def yearly_targets(ctx: Context, spec: schema.Sheet, rows: Rows, header_of: dict[str, str]) -> None:
    for number, row in rows:
        try:
            measures.check_target(
                row.measure,  # type: ignore[attr-defined]
                row.floor,  # type: ignore[attr-defined]
                row.stretch,  # type: ignore[attr-defined]
                row.range_high,  # type: ignore[attr-defined]
            )
        except measures.ValueRefused as refusal:
            _report(ctx, spec, refusal, number, header_of, row)


def _as_entered(kr: KeyResult, views: dict[int, KeyResult]) -> KeyResult:
    """``kr`` as it stood when its check-ins were entered: live, in an open cycle (fresh
    instances: the stored ones are not touched)."""
    if kr.pk not in views:
        objective = kr.objective
        cycle = Cycle(
            **{f.attname: getattr(objective.cycle, f.attname) for f in Cycle._meta.concrete_fields}
        )
        if cycle.status == CycleStatus.CLOSED:
            cycle.status = CycleStatus.ACTIVE
        live_objective = OkrObjective(
            **{f.attname: getattr(objective, f.attname) for f in OkrObjective._meta.concrete_fields}
        )
        live_objective.archived_at = None
        live_objective.cycle = cycle
        view = KeyResult(
            **{f.attname: getattr(kr, f.attname) for f in KeyResult._meta.concrete_fields}
        )
        view.archived_at = None
        view.objective = live_objective
        views[kr.pk] = view
    return views[kr.pk]


def check_ins(ctx: Context, spec: schema.Sheet, rows: Rows, header_of: dict[str, str]) -> None:
    views: dict[int, KeyResult] = {}
    for number, row in rows:
        entry = checkins.CheckInEntry(
            as_of=row.as_of,  # type: ignore[attr-defined]
            value=row.value,  # type: ignore[attr-defined]
            done=row.done,  # type: ignore[attr-defined]
            rubric_score=row.rubric_score,  # type: ignore[attr-defined]
            confidence=row.confidence,  # type: ignore[attr-defined]
            moved=row.moved or "",  # type: ignore[attr-defined]
            blockers=row.blockers or "",  # type: ignore[attr-defined]
            next_step=row.next_step or "",  # type: ignore[attr-defined]
            evidence=row.evidence or "",  # type: ignore[attr-defined]
        )
        try:
            checkins.validate(_as_entered(row.key_result, views), entry, today=ctx.today)  # type: ignore[attr-defined]
        except checkins.CheckInRefused as refusal:
            _report(ctx, spec, refusal, number, header_of, row)


CHECKS = {
    "Measure values": measure_values,
    "Yearly targets": yearly_targets,
    "Check-ins": check_ins,
}
