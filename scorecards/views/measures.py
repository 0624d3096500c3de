"""A measure's page and its values; creating, editing, archiving and deleting measures;
their yearly targets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecards import charts, measures, queries
from scorecards.forms import MeasureForm, TargetForm, ValueForm
from scorecards.models import Measure, MeasureTarget, StrategicPlan
from scorecards.permissions import can_edit_item, can_enter_values
from scorecards.signals import measure_page_sections
from scorecards.views._helpers import check_item, plan_url
from strategyhub import fiscal
from strategyhub.caching import pages as pagecache
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.pages import form_page


def _measure_context(
    request: OrganizationRequest,
    plan: StrategicPlan,
    measure: Measure,
    form: ValueForm | None = None,
) -> dict[str, Any]:
    organization = request.organization
    today = organization.today()
    page = queries.measure_page(measure, plan, organization, today)
    fy_month = organization.fiscal_year_start_month
    yearly = [
        charts.YearTarget(
            start=fiscal.fiscal_year(t.fiscal_year, fy_month).start,
            end=fiscal.fiscal_year_end(t.fiscal_year, fy_month),
            floor=t.band,
            stretch=t.stretch,
        )
        for t in page.targets
    ]
    chart = charts.trend_chart(
        title=gettext("%(name)s: actual values and targets") % {"name": measure.name},
        actuals=[(v.period, v.value) for v in page.values],
        spec=page.state.spec,
        plan_start=plan.start_date(fy_month),
        yearly=yearly,
        fmt=measure.format,
    )
    editable_units = request.perms.editable_unit_ids(
        [measure.org_unit] if measure.org_unit_id else []
    )
    return {
        "plan": plan,
        "measure": measure,
        "state": page.state,
        "chart": chart,
        "legend": charts.legend(yearly),
        "rows": page.rows,
        "targets": page.targets,
        "can_enter": can_enter_values(request.perms, measure, editable_units),
        "can_edit": can_edit_item(
            request.perms, measure.org_unit_id, editable_units, measure.owner_id
        ),
        "extra_sections": [
            html
            for _receiver, html in measure_page_sections.send(
                sender=Measure, request=request, measure=measure
            )
            if html
        ],
        "form": form or ValueForm(today=today),
        "history": page.history,
        "measure_history": page.measure_history,
        "target_history": page.target_history,
    }


@require(Action.VIEW)
def measure_view(request: OrganizationRequest, org_slug: str, measure_id: int) -> HttpResponse:
    def build() -> dict[str, Any]:
        measure = get_object_or_404(queries.measures_for_page(), pk=measure_id)
        return _measure_context(request, measure.objective.plan, measure)

    # Per person: the owner of a measure may enter values where another contributor may not.
    return pagecache.render_cached(request, "scorecards/measure.html", build, per_user=True)


@require(Action.VIEW)
@require_http_methods(["POST"])
def measure_value(request: OrganizationRequest, org_slug: str, measure_id: int) -> HttpResponse:
    measure = get_object_or_404(queries.measures_for_page(), pk=measure_id)
    plan = measure.objective.plan
    editable_units = request.perms.editable_unit_ids(
        [measure.org_unit] if measure.org_unit_id else []
    )
    if not can_enter_values(request.perms, measure, editable_units):
        raise PermissionDenied
    form = ValueForm(request.POST, measure=measure, plan=plan, organization=request.organization)
    saved = None
    if form.is_valid():
        try:
            saved = measures.record_value(
                measure,
                plan=plan,
                organization=request.organization,
                period=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                user=request.user,
                correction=form.cleaned_data["correction"],
            )
        except measures.ValueRefused as exc:  # a second value for the period
            form.add_refusal(exc)
    context = _measure_context(request, plan, measure, form=None if saved else form)
    context["saved"] = saved
    template = "scorecards/measure.html#measure-live" if request.htmx else "scorecards/measure.html"
    return render(request, template, context, status=200 if saved else 400)


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def measure_edit(
    request: OrganizationRequest, org_slug: str, plan_id: int, measure_id: int | None = None
) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    measure = (
        get_object_or_404(Measure, pk=measure_id, objective__plan=plan) if measure_id else None
    )
    if measure is None and not request.perms.can(Action.EDIT_PLAN):
        raise PermissionDenied
    if measure is not None:
        check_item(request, measure.org_unit_id, measure.owner_id)
    initial = {}
    if measure is None and request.GET.get("objective"):
        initial["objective"] = request.GET["objective"]
    before = measure.rollup_settings() if measure else None
    form = MeasureForm(
        request.POST or None,
        instance=measure,
        initial=initial,
        plan=plan,
        organization=request.organization,
        arrange=request.perms.can(Action.EDIT_PLAN),
    )
    if request.method == "POST" and form.is_valid():
        saved = measures.save_measure(form, before)
        messages.success(
            request, gettext("The measure “%(name)s” was saved.") % {"name": saved.name}
        )
        return redirect("scorecards:measure", org_slug, saved.pk)
    back = (
        reverse("scorecards:measure", args=[org_slug, measure.pk])
        if measure
        else plan_url(request, plan)
    )
    return form_page(
        request,
        form,
        title=gettext("Edit “%(name)s”") % {"name": measure.name}
        if measure
        else gettext("New measure"),
        back_url=back,
    )


@require(Action.EDIT_PLAN)
@require_POST
def measure_archive(request: OrganizationRequest, org_slug: str, measure_id: int) -> HttpResponse:
    """Archive (hide from the scorecard, keep everything) or, with restore=1, restore."""
    measure = get_object_or_404(Measure, pk=measure_id)
    restore = request.POST.get("restore") == "1"
    measures.archive_measure(measure, restore=restore)
    messages.success(
        request,
        gettext("“%(name)s” was %(value)s.")
        % {"name": measure.name, "value": "restored" if restore else "archived"},
    )
    return redirect("scorecards:measure", org_slug, measure.pk)


@require(Action.EDIT_PLAN)
@require_POST
def measure_delete(request: OrganizationRequest, org_slug: str, measure_id: int) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.select_related("objective__plan"), pk=measure_id)
    try:
        measures.delete_measure(measure)
    except measures.MeasureInUse as exc:
        messages.error(request, exc.message)
        return redirect("scorecards:measure", org_slug, measure.pk)
    messages.success(request, gettext("“%(name)s” was deleted.") % {"name": measure.name})
    return redirect(plan_url(request, measure.objective.plan))


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def measure_targets(request: OrganizationRequest, org_slug: str, measure_id: int) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.select_related("objective__plan"), pk=measure_id)
    check_item(request, measure.org_unit_id, measure.owner_id)
    plan = measure.objective.plan
    existing = {t.fiscal_year: t for t in measure.targets.all()}
    forms = [
        (
            year,
            TargetForm(
                request.POST or None,
                prefix=f"fy{year}",
                instance=existing.get(year)
                or MeasureTarget(
                    organization=request.organization, measure=measure, fiscal_year=year
                ),
                measure=measure,
            ),
        )
        for year in plan.fiscal_years
    ]
    if request.method == "POST" and all(form.is_valid() for _, form in forms):
        measures.save_yearly_targets(form for _, form in forms)
        messages.success(request, gettext("The yearly targets were saved."))
        return redirect("scorecards:measure", org_slug, measure.pk)
    return render(
        request,
        "scorecards/targets.html",
        {"measure": measure, "plan": plan, "forms": forms},
        status=400 if request.method == "POST" else 200,
    )
