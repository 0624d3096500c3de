"""Read endpoints: the plan, its perspectives, themes, objectives and measures (with the
status, latest value and target due now the scorecard pages show: ``scorecards.queries``'
``states_for``, the one rule), a measure's values, cycles, OKR objectives, key results
(score and status as the OKR pages compute them: ``okrs.cards.states_of``), check-ins,
units and owners. Every list is cursor-paginated with a bounded number of queries per page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Schema
from ninja.errors import HttpError
from pydantic import Field

from api.models import Tombstone, TombstoneKind
from api.v1 import schemas as s
from api.v1.core import caller_of, v1_router
from api.v1.paging import DEFAULT_LIMIT, MAX_LIMIT, page, result
from okrs.cards import states_of, with_card_data
from okrs.models import CheckIn, Cycle, KeyResult, OkrObjective
from scorecards.models import (
    Measure,
    MeasureTarget,
    MeasureValue,
    Perspective,
    StrategicObjective,
    StrategicPlan,
    Theme,
)
from scorecards.queries import active_plan, measures_with_recent_values, states_for
from strategyhub.models import Membership, Unit
from strategyhub.permissions import Action

router = v1_router  # one router: a path read and written is one URL

ERRORS: dict[int, type[Schema]] = {400: s.Error, 401: s.Error, 404: s.Error, 429: s.Error}


class Paging(Schema):
    cursor: str | None = Field(None, description="From the previous page's `next_cursor`.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class Since(Paging):
    updated_since: dt.datetime | None = Field(
        None,
        description="Only rows written at or after this time (ISO 8601 with a zone); "
        "deleted and archived rows: `/tombstones`.",
    )


class PlanFilter(Since):
    plan: int | None = Field(None, description="A plan's id; default: the active plan.")


class ObjectiveFilter(PlanFilter):
    perspective: int | None = None
    unit: int | None = None
    owner: int | None = None


class MeasureFilter(ObjectiveFilter):
    objective: int | None = None


class OkrFilter(Since):
    cycle: int | None = None
    unit: int | None = None
    owner: int | None = None


class KeyResultFilter(OkrFilter):
    objective: int | None = None


class CheckInFilter(Since):
    key_result: int | None = None
    cycle: int | None = None


class TombstoneFilter(Paging):
    since: dt.datetime | None = Field(None, description="Deleted at or after this time.")
    kind: str | None = Field(
        None, description="One of: " + ", ".join(f"`{kind}`" for kind in TombstoneKind.values)
    )


def _since(queryset: QuerySet[Any], q: Since, *lookups: str) -> QuerySet[Any]:
    """Only the rows written at or after ``q.updated_since`` (by any of ``lookups``: the
    row's own ``updated_at`` unless given)."""
    if q.updated_since is None:
        return queryset
    condition = Q()
    for lookup in lookups or ("updated_at",):
        condition |= Q(**{f"{lookup}__gte": q.updated_since})
    return queryset.filter(condition)


def _plan(request: HttpRequest, plan_id: int | None) -> StrategicPlan:
    if plan_id is not None:
        return get_object_or_404(StrategicPlan, pk=plan_id)
    plan = active_plan(caller_of(request).organization)
    if plan is None:
        raise HttpError(404, "This agency has no active plan; pass `plan`.")
    return plan


# --- The strategic layer --------------------------------------------------------------------


def _plan_out(plan: StrategicPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "mission": plan.mission,
        "vision": plan.vision,
        "status": plan.status,
        "first_fiscal_year": plan.first_fiscal_year,
        "last_fiscal_year": plan.last_fiscal_year,
        "updated_at": plan.updated_at,
    }


@router.get(
    "/plans", response={200: s.PlanPage, **ERRORS}, tags=["read"], summary="Strategic plans"
)
def plans(request: HttpRequest, q: Query[Since]) -> dict[str, Any]:
    rows, cursor = page(_since(StrategicPlan.objects.all(), q), q.cursor, q.limit)
    return result([_plan_out(plan) for plan in rows], cursor)


@router.get(
    "/plans/{plan_id}", response={200: s.PlanOut, **ERRORS}, tags=["read"], summary="A plan"
)
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan_out(get_object_or_404(StrategicPlan, pk=plan_id))


@router.get(
    "/perspectives",
    response={200: s.PerspectivePage, **ERRORS},
    tags=["read"],
    summary="Perspectives",
)
def perspectives(request: HttpRequest, q: Query[PlanFilter]) -> dict[str, Any]:
    plan = _plan(request, q.plan)
    rows, cursor = page(_since(Perspective.objects.filter(plan=plan), q), q.cursor, q.limit)
    return result(
        [
            {
                "id": p.pk,
                "plan_id": p.plan_id,
                "name": p.name,
                "description": p.description,
                "order": p.order,
                "updated_at": p.updated_at,
            }
            for p in rows
        ],
        cursor,
    )


@router.get(
    "/themes", response={200: s.ThemePage, **ERRORS}, tags=["read"], summary="Strategic themes"
)
def themes(request: HttpRequest, q: Query[PlanFilter]) -> dict[str, Any]:
    plan = _plan(request, q.plan)
    rows, cursor = page(_since(Theme.objects.filter(plan=plan), q), q.cursor, q.limit)
    return result(
        [
            {
                "id": t.pk,
                "plan_id": t.plan_id,
                "name": t.name,
                "description": t.description,
                "order": t.order,
                "updated_at": t.updated_at,
            }
            for t in rows
        ],
        cursor,
    )


def _filtered(queryset: QuerySet[Any], q: Any, **fields: str) -> QuerySet[Any]:
    """Apply the filters of ``q`` named in ``fields`` (parameter → model lookup)."""
    for name, lookup in fields.items():
        value = getattr(q, name, None)
        if value is not None:
            queryset = queryset.filter(**{lookup: value})
    return queryset


@router.get(
    "/objectives",
    response={200: s.ObjectivePage, **ERRORS},
    tags=["read"],
    summary="Strategic objectives",
)
def objectives(request: HttpRequest, q: Query[ObjectiveFilter]) -> dict[str, Any]:
    plan = _plan(request, q.plan)
    queryset = _filtered(
        _since(StrategicObjective.objects.filter(plan=plan), q),
        q,
        perspective="perspective_id",
        unit="unit_id",
        owner="owner_id",
    )
    rows, cursor = page(queryset, q.cursor, q.limit)
    return result(
        [
            {
                "id": o.pk,
                "plan_id": o.plan_id,
                "perspective_id": o.perspective_id,
                "theme_id": o.theme_id,
                "unit_id": o.unit_id,
                "owner_id": o.owner_id,
                "title": o.title,
                "description": o.description,
                "archived": o.archived_at is not None,
                "updated_at": o.updated_at,
            }
            for o in rows
        ],
        cursor,
    )


def measure_items(
    request: HttpRequest, plan: StrategicPlan, measures: list[Measure]
) -> list[dict[str, Any]]:
    """The measures as the API shows them: status, latest value and target due now from
    ``scorecards.queries.states_for`` (the scorecard pages' numbers), in two queries."""
    organization = caller_of(request).organization
    today = organization.today()
    # Loaded by ``_measures_of`` (``measures_with_recent_values``).
    states = states_for(cast("list[Any]", measures), plan, organization, today)
    targets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    written = {measure.pk: _measure_written(measure) for measure in measures}
    for target in MeasureTarget.objects.filter(measure__in=measures).order_by("fiscal_year"):
        written[target.measure_id] = max(written[target.measure_id], target.updated_at)
        targets[target.measure_id].append(
            {
                "fiscal_year": target.fiscal_year,
                "floor": target.floor,
                "stretch": target.stretch,
                "range_high": target.range_high,
            }
        )
    items = []
    for measure in measures:
        state = states[measure.pk]
        due = state.due_now
        items.append(
            {
                "id": measure.pk,
                "objective_id": measure.objective_id,
                "perspective_id": measure.objective.perspective_id,
                "name": measure.name,
                "unit_kind": measure.unit_kind,
                "polarity": measure.polarity,
                "update_frequency": measure.update_frequency,
                "value_source": measure.value_source,
                "owner_id": measure.owner_id,
                "unit_id": measure.org_unit_id,
                "baseline_value": measure.baseline_value,
                "target_value": measure.target_value,
                "status": state.status.value,
                "status_label": state.status_label,
                "latest_period": state.assessment.latest_period,
                "latest_value": state.assessment.latest_value,
                "due_now_low": due.low if due is not None else None,
                "due_now_high": due.high if due is not None else None,
                "yearly_targets": targets[measure.pk],
                "archived": measure.archived_at is not None,
                "updated_at": written[measure.pk],
            }
        )
    return items


def _measure_written(measure: Measure) -> dt.datetime:
    """The later of the measure's own update time and its stored state's."""
    stored = getattr(measure, "state", None)  # loaded by ``measures_with_recent_values``
    return max(measure.updated_at, stored.updated_at) if stored else measure.updated_at


def _measures_since(queryset: QuerySet[Any], q: Since) -> QuerySet[Any]:
    """A measure as the API shows it changes with its settings, its stored state (a value
    entered, corrected or removed: latest value, status against its period's target) and its
    yearly targets (a removed one moves the measure itself: ``scorecards.receivers``)."""
    if q.updated_since is None:
        return queryset
    since = q.updated_since
    target_written = MeasureTarget.objects.filter(measure=OuterRef("pk"), updated_at__gte=since)
    return queryset.filter(
        Q(updated_at__gte=since) | Q(state__updated_at__gte=since) | Exists(target_written)
    )


def _measures_of(plan: StrategicPlan) -> QuerySet[Measure]:
    return measures_with_recent_values(
        Measure.objects.filter(objective__plan=plan).select_related("objective"), related=False
    )


@router.get("/measures", response={200: s.MeasurePage, **ERRORS}, tags=["read"], summary="Measures")
def measures(request: HttpRequest, q: Query[MeasureFilter]) -> dict[str, Any]:
    plan = _plan(request, q.plan)
    queryset = _filtered(
        _measures_since(_measures_of(plan), q),
        q,
        perspective="objective__perspective_id",
        objective="objective_id",
        unit="org_unit_id",
        owner="owner_id",
    )
    rows, cursor = page(queryset, q.cursor, q.limit)
    return result(measure_items(request, plan, rows), cursor)


@router.get(
    "/measures/{measure_id}",
    response={200: s.MeasureOut, **ERRORS},
    tags=["read"],
    summary="A measure",
)
def measure_detail(request: HttpRequest, measure_id: int) -> dict[str, Any]:
    measure: Measure = get_object_or_404(
        Measure.objects.select_related("objective__plan"), pk=measure_id
    )
    plan = measure.objective.plan
    found = list(_measures_of(plan).filter(pk=measure.pk))
    return measure_items(request, plan, found)[0]


def value_out(value: MeasureValue) -> dict[str, Any]:
    return {
        "id": value.pk,
        "measure_id": value.measure_id,
        "period": value.period,
        "value": value.value,
        "note": value.note,
        "source": value.source,
        "entered_by_id": value.entered_by_id,
        "updated_at": value.entered_at,
    }


@router.get(
    "/measures/{measure_id}/values",
    response={200: s.ValuePage, **ERRORS},
    tags=["read"],
    summary="A measure's values",
)
def measure_values(request: HttpRequest, measure_id: int, q: Query[Since]) -> dict[str, Any]:
    measure: Measure = get_object_or_404(Measure, pk=measure_id)
    queryset = MeasureValue.objects.filter(measure=measure)
    if q.updated_since is not None:
        queryset = queryset.filter(entered_at__gte=q.updated_since)
    rows, cursor = page(queryset, q.cursor, q.limit)
    return result([value_out(v) for v in rows], cursor)


# --- The execution layer --------------------------------------------------------------------


@router.get("/cycles", response={200: s.CyclePage, **ERRORS}, tags=["read"], summary="OKR cycles")
def cycles(request: HttpRequest, q: Query[Since]) -> dict[str, Any]:
    rows, cursor = page(_since(Cycle.objects.all(), q), q.cursor, q.limit)
    return result(
        [
            {
                "id": c.pk,
                "kind": c.kind,
                "label": c.label,
                "fiscal_year": c.fiscal_year,
                "quarter": c.quarter,
                "start": c.start,
                "end": c.end,
                "status": c.status,
                "updated_at": c.updated_at,
            }
            for c in rows
        ],
        cursor,
    )


@router.get(
    "/okr-objectives",
    response={200: s.OkrObjectivePage, **ERRORS},
    tags=["read"],
    summary="OKR objectives",
)
def okr_objectives(request: HttpRequest, q: Query[OkrFilter]) -> dict[str, Any]:
    queryset = _filtered(
        _since(OkrObjective.objects.all(), q), q, cycle="cycle_id", unit="unit_id", owner="owner_id"
    )
    rows, cursor = page(queryset, q.cursor, q.limit)
    return result(
        [
            {
                "id": o.pk,
                "cycle_id": o.cycle_id,
                "level": o.level,
                "unit_id": o.unit_id,
                "owner_id": o.owner_id,
                "strategic_objective_id": o.strategic_objective_id,
                "parent_id": o.parent_id,
                "title": o.title,
                "status": o.status,
                "score": o.score,
                "archived": o.archived_at is not None,
                "updated_at": o.updated_at,
            }
            for o in rows
        ],
        cursor,
    )


def key_result_items(key_results: list[KeyResult], today: dt.date) -> list[dict[str, Any]]:
    """Key results with their score and status as the OKR pages compute them (loaded with
    ``okrs.cards.with_card_data``)."""
    return [
        {
            "id": kr.pk,
            "objective_id": kr.objective_id,
            "cycle_id": kr.objective.cycle_id,
            "title": kr.title,
            "kind": kr.kind,
            "owner_id": kr.owner_id,
            "measure_id": kr.measure_id,
            "start_value": kr.start_value,
            "target_value": kr.target_value,
            "current_value": kr.current_value,
            "current_as_of": kr.current_as_of,
            "score": state.score,
            "status": state.status.value,
            "status_label": state.status_label,
            "archived": kr.archived_at is not None,
            "updated_at": kr.updated_at,
        }
        for kr, state in zip(key_results, states_of(key_results, today), strict=True)
    ]


@router.get(
    "/key-results", response={200: s.KeyResultPage, **ERRORS}, tags=["read"], summary="Key results"
)
def key_results(request: HttpRequest, q: Query[KeyResultFilter]) -> dict[str, Any]:
    queryset = _filtered(
        _since(with_card_data(KeyResult.objects.all()), q),
        q,
        cycle="objective__cycle_id",
        unit="objective__unit_id",
        owner="owner_id",
        objective="objective_id",
    )
    rows, cursor = page(queryset, q.cursor, q.limit)
    return result(key_result_items(rows, caller_of(request).organization.today()), cursor)


@router.get(
    "/key-results/{key_result_id}",
    response={200: s.KeyResultOut, **ERRORS},
    tags=["read"],
    summary="A key result",
)
def key_result_detail(request: HttpRequest, key_result_id: int) -> dict[str, Any]:
    kr = get_object_or_404(with_card_data(KeyResult.objects.all()), pk=key_result_id)
    return key_result_items([kr], caller_of(request).organization.today())[0]


def checkin_out(c: CheckIn) -> dict[str, Any]:
    return {
        "id": c.pk,
        "key_result_id": c.key_result_id,
        "as_of": c.as_of,
        "value": c.value,
        "done": c.done,
        "rubric_score": c.rubric_score,
        "confidence": c.confidence,
        "moved": c.moved,
        "blockers": c.blockers,
        "next_step": c.next_step,
        "evidence": c.evidence,
        "author_id": c.author_id,
        "updated_at": c.updated_at,
    }


@router.get(
    "/check-ins", response={200: s.CheckInPage, **ERRORS}, tags=["read"], summary="Check-ins"
)
def check_ins(request: HttpRequest, q: Query[CheckInFilter]) -> dict[str, Any]:
    queryset = _filtered(
        CheckIn.objects.all(),
        q,
        key_result="key_result_id",
        cycle="key_result__objective__cycle_id",
    )
    if q.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=q.updated_since)
    rows, cursor = page(queryset, q.cursor, q.limit)
    return result([checkin_out(c) for c in rows], cursor)


@router.get(
    "/tombstones",
    response={200: s.TombstonePage, **ERRORS},
    tags=["read"],
    summary="Deleted rows (for incremental feeds)",
)
def tombstones(request: HttpRequest, q: Query[TombstoneFilter]) -> dict[str, Any]:
    queryset = Tombstone.objects.all()
    if q.since is not None:
        queryset = queryset.filter(deleted_at__gte=q.since)
    if q.kind:
        queryset = queryset.filter(kind=q.kind)
    rows, cursor = page(queryset, q.cursor, q.limit)
    return result(
        [
            {
                "kind": t.kind,
                "object_id": t.object_id,
                "deleted_at": t.deleted_at,
                "reason": t.reason,
            }
            for t in rows
        ],
        cursor,
    )


# --- The agency -----------------------------------------------------------------------------


@router.get(
    "/units", response={200: s.UnitPage, **ERRORS}, tags=["read"], summary="Organizational units"
)
def units(request: HttpRequest, q: Query[Since]) -> dict[str, Any]:
    rows, cursor = page(_since(Unit.objects.all(), q), q.cursor, q.limit)
    return result(
        [
            {
                "id": u.pk,
                "parent_id": u.parent_id,
                "name": u.name,
                "kind": u.kind,
                "updated_at": u.updated_at,
            }
            for u in rows
        ],
        cursor,
    )


@router.get(
    "/owners", response={200: s.OwnerPage, **ERRORS}, tags=["read"], summary="People (owners)"
)
def owners(request: HttpRequest, q: Query[Since]) -> dict[str, Any]:
    """The agency's active members by person id; emails only for an admin's token."""
    with_email = request.perms.can(Action.MANAGE_MEMBERS)  # type: ignore[attr-defined]
    queryset = _since(Membership.objects.active().select_related("user"), q)
    rows, cursor = page(queryset, q.cursor, q.limit, key="user_id")
    return result(
        [
            {
                "id": m.user_id,
                "name": m.user.display_name,
                "role": m.role,
                "email": m.user.email if with_email else None,
                "updated_at": m.updated_at,
            }
            for m in rows
        ],
        cursor,
    )
