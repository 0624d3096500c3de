"""Creating, editing, reordering, archiving and deleting the parts of a plan; the
strategy map and the focus map. Thin views over forms; the rules live in the forms and
models (validation) and in ``scorecards.services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from scorecards import calc, maps, signals
from scorecards.forms import (
    CausalLinkForm,
    MeasureForm,
    ObjectiveForm,
    PerspectiveForm,
    PlanForm,
    TargetForm,
    ThemeForm,
)
from scorecards.models import (
    CausalLink,
    FocusEntry,
    FocusLevel,
    Measure,
    MeasureTarget,
    Perspective,
    PlanStatus,
    StrategicObjective,
    StrategicPlan,
    Theme,
)
from scorecards.permissions import can_edit_item
from scorecards.services import create_plan, plan_overview
from strategyhub import pagecache
from strategyhub.permissions import Action, require


def _form_page(request, form, *, title: str, back_url: str, status: int = 200, extra=None):
    context = {"form": form, "title": title, "back_url": back_url, **(extra or {})}
    return render(request, "scorecards/edit.html", context, status=400 if form.errors else status)


def _plan_url(request, plan: StrategicPlan) -> str:
    if plan.status == PlanStatus.ACTIVE:
        return reverse("scorecards:plan", args=[request.organization.slug])
    return reverse("scorecards:plan_detail", args=[request.organization.slug, plan.pk])


# --- Plans ----------------------------------------------------------------------------------


@require(Action.EDIT_PLAN)
@require_http_methods(["GET", "POST"])
def plan_new(request, org_slug: str):
    form = PlanForm(
        request.POST or None,
        organization=request.organization,
        initial={
            "first_fiscal_year": request.organization.current_fiscal_year().start.year,
            "last_fiscal_year": request.organization.current_fiscal_year().start.year + 4,
            "status": PlanStatus.DRAFT,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = create_plan(
            request.organization,
            title=data["title"], mission=data["mission"], vision=data["vision"],
            values=data["values"], first_fiscal_year=data["first_fiscal_year"],
            last_fiscal_year=data["last_fiscal_year"], status=data["status"],
        )  # fmt: skip
        messages.success(
            request, f"The plan “{plan.title}” was created with the agency's perspectives."
        )
        return redirect(_plan_url(request, plan))
    return _form_page(
        request, form, title="New strategic plan",
        back_url=reverse("scorecards:plan", args=[org_slug]),
    )  # fmt: skip


@require(Action.EDIT_PLAN)
@require_http_methods(["GET", "POST"])
def plan_edit(request, org_slug: str, plan_id: int):
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    form = PlanForm(request.POST or None, instance=plan, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, "The plan was saved.")
        return redirect(_plan_url(request, plan))
    return _form_page(
        request, form, title=f"Edit “{plan.title}”", back_url=_plan_url(request, plan)
    )


# --- Perspectives and themes ----------------------------------------------------------------


def _simple_part(request, plan_id, model, form_class, part_id, noun):
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    instance = get_object_or_404(model, pk=part_id, plan=plan) if part_id else None
    form = form_class(request.POST or None, instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"The {noun} “{saved.name}” was saved.")
        return redirect(_plan_url(request, plan))
    title = f"Edit the {noun} “{instance.name}”" if instance else f"New {noun}"
    delete_url = None
    if instance:
        delete_url = reverse(
            f"scorecards:{noun}_delete", args=[request.organization.slug, plan.pk, instance.pk]
        )
    return _form_page(
        request, form, title=title, back_url=_plan_url(request, plan),
        extra={"delete_url": delete_url},
    )  # fmt: skip


def _delete_part(request, plan_id, model, part_id, noun):
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    instance = get_object_or_404(model, pk=part_id, plan=plan)
    try:
        instance.delete()
    except ProtectedError:
        messages.error(
            request,
            f"The {noun} “{instance.name}” still has objectives; move or archive them first.",
        )
    else:
        messages.success(request, f"The {noun} “{instance.name}” was deleted.")
    return redirect(_plan_url(request, plan))


@require(Action.EDIT_PLAN)
@require_http_methods(["GET", "POST"])
def perspective_edit(request, org_slug: str, plan_id: int, perspective_id: int | None = None):
    return _simple_part(
        request, plan_id, Perspective, PerspectiveForm, perspective_id, "perspective"
    )


@require(Action.EDIT_PLAN)
@require_POST
def perspective_delete(request, org_slug: str, plan_id: int, perspective_id: int):
    return _delete_part(request, plan_id, Perspective, perspective_id, "perspective")


@require(Action.EDIT_PLAN)
@require_http_methods(["GET", "POST"])
def theme_edit(request, org_slug: str, plan_id: int, theme_id: int | None = None):
    return _simple_part(request, plan_id, Theme, ThemeForm, theme_id, "theme")


@require(Action.EDIT_PLAN)
@require_POST
def theme_delete(request, org_slug: str, plan_id: int, theme_id: int):
    return _delete_part(request, plan_id, Theme, theme_id, "theme")


# --- Objectives -----------------------------------------------------------------------------


def _check_item(request, unit_id):
    editable = request.perms.editable_among({unit_id} if unit_id else set())
    if not can_edit_item(request.perms, unit_id, editable):
        raise PermissionDenied


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def objective_edit(request, org_slug: str, plan_id: int, objective_id: int | None = None):
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    objective = (
        get_object_or_404(StrategicObjective, pk=objective_id, plan=plan) if objective_id else None
    )
    if objective is None and not request.perms.can(Action.EDIT_PLAN):
        raise PermissionDenied
    if objective is not None:
        _check_item(request, objective.unit_id)
    form = ObjectiveForm(
        request.POST or None, instance=objective, plan=plan, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"The objective “{saved.title}” was saved.")
        return redirect("scorecards:objective", org_slug, saved.pk)
    back = (
        reverse("scorecards:objective", args=[org_slug, objective.pk])
        if objective
        else _plan_url(request, plan)
    )
    return _form_page(
        request, form,
        title=f"Edit “{objective.title}”" if objective else "New strategic objective",
        back_url=back,
    )  # fmt: skip


@require(Action.EDIT_PLAN)
@require_POST
def objective_archive(request, org_slug: str, objective_id: int):
    objective = get_object_or_404(StrategicObjective, pk=objective_id)
    _toggle_archive(request, objective, objective.title)
    return redirect("scorecards:objective", org_slug, objective.pk)


def _toggle_archive(request, item, label: str) -> None:
    """Archive (hide from the scorecard, keep everything) or, with restore=1, restore."""
    restore = request.POST.get("restore") == "1"
    item.archived_at = None if restore else timezone.now()
    item.save(update_fields=["archived_at"])
    messages.success(request, f"“{label}” was {'restored' if restore else 'archived'}.")


@require(Action.EDIT_PLAN)
@require_POST
def objective_delete(request, org_slug: str, objective_id: int):
    objective = get_object_or_404(StrategicObjective, pk=objective_id)
    reasons = []
    if objective.measures.exists():
        reasons.append("it has measures")
    if (
        CausalLink.objects.filter(source=objective).exists()
        or CausalLink.objects.filter(target=objective).exists()
    ):
        reasons.append("it is linked on the strategy map")
    if reasons:
        messages.error(
            request,
            f"“{objective.title}” cannot be deleted because {' and '.join(reasons)}; "
            "archive it instead (its history stays).",
        )
        return redirect("scorecards:objective", org_slug, objective.pk)
    plan = objective.plan
    objective.delete()
    messages.success(request, f"“{objective.title}” was deleted.")
    return redirect(_plan_url(request, plan))


# --- Measures -------------------------------------------------------------------------------


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def measure_edit(request, org_slug: str, plan_id: int, measure_id: int | None = None):
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    measure = (
        get_object_or_404(Measure, pk=measure_id, objective__plan=plan) if measure_id else None
    )
    if measure is None and not request.perms.can(Action.EDIT_PLAN):
        raise PermissionDenied
    if measure is not None:
        _check_item(request, measure.unit_id)
    initial = {}
    if measure is None and request.GET.get("objective"):
        initial["objective"] = request.GET["objective"]
    before = measure.rollup_settings() if measure else None
    form = MeasureForm(
        request.POST or None, instance=measure, initial=initial, plan=plan,
        organization=request.organization,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            if before is not None and before != saved.rollup_settings() and saved.is_calculated:
                signals.measure_rollup_changed.send(sender=Measure, measure=saved)
        messages.success(request, f"The measure “{saved.name}” was saved.")
        return redirect("scorecards:measure", org_slug, saved.pk)
    back = (
        reverse("scorecards:measure", args=[org_slug, measure.pk])
        if measure
        else _plan_url(request, plan)
    )
    return _form_page(
        request, form, title=f"Edit “{measure.name}”" if measure else "New measure",
        back_url=back,
    )  # fmt: skip


@require(Action.EDIT_PLAN)
@require_POST
def measure_archive(request, org_slug: str, measure_id: int):
    measure = get_object_or_404(Measure, pk=measure_id)
    _toggle_archive(request, measure, measure.name)
    return redirect("scorecards:measure", org_slug, measure.pk)


@require(Action.EDIT_PLAN)
@require_POST
def measure_delete(request, org_slug: str, measure_id: int):
    measure = get_object_or_404(Measure.objects.select_related("objective__plan"), pk=measure_id)
    if measure.values.exists():
        messages.error(
            request,
            f"“{measure.name}” has values and cannot be deleted; archive it instead "
            "(its series and history stay).",
        )
        return redirect("scorecards:measure", org_slug, measure.pk)
    plan = measure.objective.plan
    measure.delete()
    messages.success(request, f"“{measure.name}” was deleted.")
    return redirect(_plan_url(request, plan))


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def measure_targets(request, org_slug: str, measure_id: int):
    measure = get_object_or_404(Measure.objects.select_related("objective__plan"), pk=measure_id)
    _check_item(request, measure.unit_id)
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
        with transaction.atomic():
            for year, form in forms:
                if form.cleaned_data.get("floor") is None:
                    if year in existing:
                        # Delete the stored row, not the form's instance (already blanked).
                        MeasureTarget.objects.filter(pk=existing[year].pk).delete()
                    continue
                form.save()
        messages.success(request, "The yearly targets were saved.")
        return redirect("scorecards:measure", org_slug, measure.pk)
    return render(
        request,
        "scorecards/targets.html",
        {"measure": measure, "plan": plan, "forms": forms},
        status=400 if request.method == "POST" else 200,
    )


# --- Strategy map ---------------------------------------------------------------------------


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def strategy_map(request, org_slug: str, plan_id: int):
    if request.method == "POST" and not request.perms.can(Action.EDIT_PLAN):
        raise PermissionDenied

    def build(form=None) -> dict:
        plan = form.plan if form is not None else get_object_or_404(StrategicPlan, pk=plan_id)
        if form is None and request.perms.can(Action.EDIT_PLAN):
            form = CausalLinkForm(plan=plan, organization=request.organization)
        overview = plan_overview(
            plan, request.organization, request.organization.today(), series=False
        )  # the map shows statuses only
        links = list(
            CausalLink.objects.filter(source__plan=plan).select_related("source", "target")
        )
        svg = maps.strategy_map_svg(
            overview, links, url_for=lambda pk: reverse("scorecards:objective", args=[org_slug, pk])
        )
        return {
            "plan": plan,
            "svg": svg,
            "links": links,
            "form": form,
            "overview": overview,
            "statuses": maps.objective_statuses(overview),
        }

    if request.method == "POST":
        plan = get_object_or_404(StrategicPlan, pk=plan_id)
        form = CausalLinkForm(request.POST, plan=plan, organization=request.organization)
        if form.is_valid():
            link = form.save()
            messages.success(request, f"Added: {link.source} drives {link.target}.")
            return redirect("scorecards:strategy_map", org_slug, plan.pk)
        return render(request, "scorecards/strategy_map.html", build(form), status=400)
    # The plan is looked up only when the page is not already cached.
    return pagecache.render_cached(request, "scorecards/strategy_map.html", build)


@require(Action.EDIT_PLAN)
@require_POST
def link_delete(request, org_slug: str, link_id: int):
    link = get_object_or_404(CausalLink.objects.select_related("source", "target"), pk=link_id)
    plan_id = link.source.plan_id
    link.delete()
    messages.success(request, f"Removed: {link.source} drives {link.target}.")
    return redirect("scorecards:strategy_map", org_slug, plan_id)


# --- Focus map ------------------------------------------------------------------------------


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def focus_map(request, org_slug: str, plan_id: int):
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    fy_month = request.organization.fiscal_year_start_month
    current = calc.fiscal_year_of(request.organization.today(), fy_month)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or current)
    except ValueError:
        year = current
    if year not in plan.fiscal_years:
        year = min(max(current, plan.first_fiscal_year), plan.last_fiscal_year)
    objectives = list(
        StrategicObjective.objects.filter(plan=plan, archived_at=None)
        .select_related("perspective")
        .order_by("perspective__order", "order", "title")
    )
    entries = {
        (e.objective_id, e.quarter): e
        for e in FocusEntry.objects.filter(objective__plan=plan, fiscal_year=year)
    }
    levels = {value for value, _ in FocusLevel.choices}
    if request.method == "POST":
        if not request.perms.can(Action.EDIT_PLAN):
            raise PermissionDenied
        errors = []
        with transaction.atomic():
            for objective in objectives:
                for quarter in range(1, 5):
                    level = request.POST.get(f"focus-{objective.pk}-{quarter}", "")
                    if level and level not in levels:
                        errors.append(objective.title)
                        continue
                    entry = entries.get((objective.pk, quarter))
                    if not level:
                        if entry:
                            entry.delete()
                    elif entry is None:
                        FocusEntry.objects.create(
                            organization=request.organization, objective=objective,
                            fiscal_year=year, quarter=quarter, level=level,
                        )  # fmt: skip
                    elif entry.level != level:
                        entry.level = level
                        entry.save(update_fields=["level"])
            if errors:
                transaction.set_rollback(True)
        if errors:
            messages.error(request, "Choose High, Medium, Low or blank for every quarter.")
        else:
            messages.success(request, f"The focus map of FY {year} was saved.")
        return redirect(reverse("scorecards:focus_map", args=[org_slug, plan.pk]) + f"?year={year}")
    rows = [
        (objective, [entries.get((objective.pk, q)) for q in range(1, 5)])
        for objective in objectives
    ]
    start = dt.date(year, fy_month, 1)
    quarters = []
    for quarter in range(1, 5):
        first = calc.add_months(start, 3 * (quarter - 1))
        quarters.append((quarter, first, calc.period_end(first, calc.Frequency.QUARTERLY)))
    return render(
        request,
        "scorecards/focus_map.html",
        {
            "plan": plan, "rows": rows, "year": year, "quarters": quarters,
            "levels": FocusLevel.choices, "years": list(plan.fiscal_years),
            "can_edit": request.perms.can(Action.EDIT_PLAN),
        },
    )  # fmt: skip
