"""Cloning an OKR objective, with the key results chosen, into the next quarter."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from okrs import cloning, cycles
from okrs.models import OkrObjective
from strategyhub.http import OrganizationRequest
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
            messages.success(request, f"“{objective.title}” was cloned into {into_cycle.label}.")
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
