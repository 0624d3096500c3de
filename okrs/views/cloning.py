"""Cloning an OKR objective, with the key results chosen, into the next quarter."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from okrs import cloning, cycles, queries
from okrs.models import Cycle, CycleKind, OkrObjective
from strategyhub.http import OrganizationRequest
from strategyhub.models import Unit
from strategyhub.permissions import Action, require


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def clone(request: OrganizationRequest, org_slug: str, objective_id: int) -> HttpResponse:
    """GET: the objective's live key results with checkboxes (all checked); POST: clone it
    with those checked into the next quarter. Creating an objective is an editor's right,
    so cloning one is too."""
    objective = get_object_or_404(OkrObjective.objects.select_related("cycle"), pk=objective_id)
    if not request.perms.can(Action.EDIT_ALL_OKRS):
        raise PermissionDenied
    into_cycle = cycles.next_quarter(objective.cycle)
    key_results = list(objective.key_results.filter(archived_at=None).order_by("order", "pk"))
    if request.method == "POST":
        try:
            chosen = [int(v) for v in request.POST.getlist("key_results") if v.isdigit()]
            cloned = cloning.clone_objective(objective, into_cycle, chosen, request.user)
        except cloning.CloneRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                gettext("“%(title)s” was cloned into %(label)s.")
                % {"title": objective.title, "label": into_cycle.label},
            )
            for note in cloned.notes:
                messages.warning(request, note)
            return redirect("okrs:objective", org_slug, cloned.objective.pk)
    return render(
        request,
        "okrs/clone.html",
        {
            "objective": objective,
            "into_cycle": into_cycle,
            "key_results": key_results,
            "refusal": cloning.refusal(objective, into_cycle),
            "existing": cloning.clone_of(objective, into_cycle),
        },
    )


AGENCY_LEVEL = "agency"  # the unit choice for the agency-level objectives (no unit)


@require(Action.EDIT_ALL_OKRS)
@require_http_methods(["GET", "POST"])
def clone_unit(request: OrganizationRequest, org_slug: str, cycle_id: int) -> HttpResponse:
    """Clone a unit's objectives of a quarter into the next quarter
    (``cloning.clone_unit_objectives``). GET ``?unit=``: the unit picked and what would be
    cloned; POST: clone it. Creating objectives is an editor's right."""
    cycle = get_object_or_404(Cycle, pk=cycle_id, kind=CycleKind.QUARTER)
    choice = request.POST.get("unit") if request.method == "POST" else request.GET.get("unit")
    choice = choice or ""
    unit: Unit | None = None
    if choice and choice != AGENCY_LEVEL:
        if not choice.isdigit():
            raise Http404("No such unit.")
        unit = get_object_or_404(Unit, pk=int(choice))
    into_cycle = cycles.next_quarter(cycle)
    if request.method == "POST":
        if not choice:
            messages.error(request, gettext("Choose a unit to clone."))
            return redirect("okrs:cycle_clone_unit", org_slug, cycle.pk)
        try:
            done = cloning.clone_unit_objectives(cycle, unit, into_cycle, request.user)
        except cloning.CloneRefused as refusal:
            messages.error(request, str(refusal))
        else:
            if done:
                messages.success(
                    request,
                    gettext("%(len)s objective%(value)s cloned into %(label)s.")
                    % {
                        "len": len(done),
                        "value": "s" if len(done) != 1 else "",
                        "label": into_cycle.label,
                    },
                )
                for cloned in done:
                    for note in cloned.notes:
                        messages.warning(request, note)
                return redirect("okrs:cycle_detail", org_slug, into_cycle.pk)
            messages.info(
                request,
                gettext("Nothing to clone: %(nothing)s") % {"nothing": _nothing(cycle, into_cycle)},
            )
        return redirect(
            reverse("okrs:cycle_clone_unit", args=[org_slug, cycle.pk]) + f"?unit={choice}"
        )
    preview = queries.unit_clone_preview(cycle, unit, into_cycle) if choice else []
    to_clone = [row for row in preview if row["existing"] is None]
    refusal = None
    if choice:
        if to_clone:
            refusal = cloning.refusal(to_clone[0]["objective"], into_cycle)
        else:
            refusal = f"Nothing to clone: {_nothing(cycle, into_cycle)}"
        if refusal:
            messages.info(request, refusal)
    return render(
        request,
        "okrs/clone_unit.html",
        {
            "cycle": cycle,
            "into_cycle": into_cycle,
            "units": queries.unit_choices(),
            "choice": choice,
            "agency_level": AGENCY_LEVEL,
            "unit": unit,
            "preview": preview,
            "can_clone": bool(choice) and refusal is None,
        },
    )


def _nothing(cycle: Cycle, into_cycle: Cycle) -> str:
    return (
        f"this unit has no live objectives in {cycle.label} that are not already cloned "
        f"into {into_cycle.label}."
    )
