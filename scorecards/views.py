"""Staff pages of the strategic layer, under /o/<org_slug>/plan/. The tenant middleware
has resolved the agency, checked membership and opened its scope."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from scorecards import calc, charts
from scorecards.forms import ValueForm
from scorecards.models import (
    Measure,
    MeasureTarget,
    MeasureValue,
    StrategicObjective,
    StrategicPlan,
)
from scorecards.permissions import can_edit_item, can_enter_values
from scorecards.services import (
    OVERVIEW_MEASURE_LIMIT,
    ValueRefused,
    active_plan,
    measure_state,
    plan_overview,
    record_value,
)
from scorecards.signals import measure_page_sections
from strategyhub import pagecache
from strategyhub.permissions import Action, require


@require(Action.VIEW)
def plan_view(request, org_slug: str, plan_id: int | None = None):
    return pagecache.render_cached(
        request, "scorecards/plan.html", lambda: _plan_context(request, plan_id)
    )


def _plan_context(request, plan_id: int | None):
    if plan_id is not None:
        plan = get_object_or_404(StrategicPlan, pk=plan_id)
    else:
        plan = active_plan(request.organization)
    if plan is None:
        return render(
            request,
            "scorecards/no_plan.html",
            {"plans": list(StrategicPlan.objects.order_by("-first_fiscal_year"))},
        )
    today = request.organization.today()
    overview = plan_overview(plan, request.organization, today)
    measure_count = sum(overview.status_counts.values())
    return {
        "measure_count": measure_count,
        "compact": measure_count > OVERVIEW_MEASURE_LIMIT,
        "plan": plan,
        "overview": overview,
        "themes": list(plan.themes.all()),
        "values_list": [v for v in plan.values.splitlines() if v.strip()],
        "status_summary": _status_summary(overview.status_counts),
        "today": today,
        "other_plans": list(StrategicPlan.objects.exclude(pk=plan.pk)),
        "history": list(plan.history.select_related("history_user")[:10]),
    }


def _status_summary(counts: dict) -> list[tuple[str, str, int]]:
    return [(s.value, calc.STATUS_LABELS[s], counts.get(s, 0)) for s in calc.Status]


@require(Action.VIEW)
def perspective_view(request, org_slug: str, perspective_id: int):
    return pagecache.render_cached(
        request,
        "scorecards/perspective.html",
        lambda: _perspective_context(request, perspective_id),
    )


def _perspective_context(request, perspective_id: int):
    plan = get_object_or_404(StrategicPlan, perspectives=perspective_id)
    perspectives = list(plan.perspectives.all())
    perspective = next((p for p in perspectives if p.pk == perspective_id), None)
    if perspective is None:
        raise Http404("No such perspective in this plan.")
    today = request.organization.today()
    overview = plan_overview(plan, request.organization, today, perspective=perspective)
    return {
        "plan": plan,
        "perspective": perspective,
        "perspective_block": overview.perspectives[0],
        "status_summary": _status_summary(overview.status_counts),
        "perspectives": perspectives,
    }


@require(Action.VIEW)
def objective_view(request, org_slug: str, objective_id: int):
    objective = get_object_or_404(
        StrategicObjective.objects.select_related("plan", "perspective", "theme", "owner", "unit"),
        pk=objective_id,
    )
    plan = objective.plan
    today = request.organization.today()
    overview = plan_overview(plan, request.organization, today, perspective=objective.perspective)
    row = next(r for r in overview.perspectives[0].objectives if r.objective.pk == objective.pk)
    return render(
        request,
        "scorecards/objective.html",
        {
            "plan": plan,
            "objective": objective,
            "row": row,
            "links_in": list(objective.links_in.select_related("source")),
            "links_out": list(objective.links_out.select_related("target")),
            "focus": list(objective.focus.order_by("fiscal_year", "quarter")),
            "history": list(objective.history.select_related("history_user")[:20]),
            "can_edit": can_edit_item(
                request.perms,
                objective.unit_id,
                request.perms.editable_among({objective.unit_id} if objective.unit_id else set()),
            ),
        },
    )


def _measure_context(request, plan, measure, form=None):
    organization = request.organization
    today = organization.today()
    values = list(measure.values.select_related("entered_by").order_by("period"))
    state = measure_state(measure, [(v.period, v.value) for v in values], plan, organization, today)
    targets = list(measure.targets.all())
    fy_month = organization.fiscal_year_start_month
    yearly = [
        charts.YearTarget(
            start=dt.date(t.fiscal_year, fy_month, 1),
            end=calc.fiscal_year_end(t.fiscal_year, fy_month),
            floor=t.band,
            stretch=t.stretch,
        )
        for t in targets
    ]
    chart = charts.trend_chart(
        title=f"{measure.name}: actual values and targets",
        actuals=[(v.period, v.value) for v in values],
        spec=state.spec,
        plan_start=plan.start_date(fy_month),
        yearly=yearly,
        fmt=measure.format,
    )
    editable_units = request.perms.editable_unit_ids([measure.unit] if measure.unit_id else [])
    rows = []
    for v in reversed(values):
        expected = calc.expected_at(state.spec, calc.period_end(v.period, state.spec.frequency))
        rows.append(
            {
                "value": v,
                "expected": expected,
                "status": calc.compare(
                    v.value, expected, state.spec.polarity, state.spec.tolerance
                ),
            }
        )
    return {
        "plan": plan,
        "measure": measure,
        "state": state,
        "chart": chart,
        "legend": charts.LEGEND,
        "rows": rows,
        "targets": targets,
        "can_enter": can_enter_values(request.perms, measure, editable_units),
        "can_edit": can_edit_item(request.perms, measure.unit_id, editable_units),
        "extra_sections": [
            html
            for _receiver, html in measure_page_sections.send(
                sender=Measure, request=request, measure=measure
            )
            if html
        ],
        "form": form or ValueForm(today=today),
        "history": list(
            MeasureValue.history.filter(measure_id=measure.pk)
            .select_related("history_user")
            .order_by("-history_date")[:30]
        ),
        "measure_history": list(measure.history.select_related("history_user")[:20]),
        "target_history": list(
            MeasureTarget.history.filter(measure_id=measure.pk)
            .select_related("history_user")
            .order_by("-history_date")[:20]
        ),
    }


def _get_measure(measure_id) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related(
            "objective", "objective__plan", "objective__perspective", "owner", "unit"
        ).prefetch_related("targets"),
        pk=measure_id,
    )


@require(Action.VIEW)
def measure_view(request, org_slug: str, measure_id: int):
    def build():
        measure = _get_measure(measure_id)
        return _measure_context(request, measure.objective.plan, measure)

    # Per person: the owner of a measure may enter values where another contributor may not.
    return pagecache.render_cached(request, "scorecards/measure.html", build, per_user=True)


@require(Action.VIEW)
@require_http_methods(["POST"])
def measure_value(request, org_slug: str, measure_id: int):
    measure = _get_measure(measure_id)
    plan = measure.objective.plan
    editable_units = request.perms.editable_unit_ids([measure.unit] if measure.unit_id else [])
    if not can_enter_values(request.perms, measure, editable_units):
        raise PermissionDenied
    form = ValueForm(request.POST)
    saved = None
    if form.is_valid():
        try:
            saved = record_value(
                measure,
                plan=plan,
                organization=request.organization,
                period=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                user=request.user,
                correction=form.cleaned_data["correction"],
            )
        except ValueRefused as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
    context = _measure_context(request, plan, measure, form=None if saved else form)
    context["saved"] = saved
    template = "scorecards/measure.html#measure-live" if request.htmx else "scorecards/measure.html"
    return render(request, template, context, status=200 if saved else 400)
