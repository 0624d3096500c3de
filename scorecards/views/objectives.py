"""A strategic objective's page; creating, editing, archiving and deleting objectives."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecards import plans, queries
from scorecards.forms import ObjectiveForm
from scorecards.models import StrategicObjective, StrategicPlan
from scorecards.permissions import can_edit_item
from scorecards.views._helpers import check_item, plan_url
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.pages import form_page


@require(Action.VIEW)
def objective_view(request: OrganizationRequest, org_slug: str, objective_id: int) -> HttpResponse:
    objective = get_object_or_404(queries.objectives_for_page(), pk=objective_id)
    page = queries.objective_page(objective, request.organization, request.organization.today())
    unit_id = objective.unit_id
    editable = request.perms.editable_among({unit_id} if unit_id else set())
    return render(
        request,
        "scorecards/objective.html",
        {
            "plan": objective.plan,
            "objective": objective,
            "row": page.row,
            "links_in": page.links_in,
            "links_out": page.links_out,
            "focus": page.focus,
            "history": page.history,
            "can_edit": can_edit_item(request.perms, unit_id, editable, objective.owner_id),
        },
    )


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def objective_edit(
    request: OrganizationRequest, org_slug: str, plan_id: int, objective_id: int | None = None
) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    objective = (
        get_object_or_404(StrategicObjective, pk=objective_id, plan=plan) if objective_id else None
    )
    if objective is None and not request.perms.can(Action.EDIT_PLAN):
        raise PermissionDenied
    if objective is not None:
        check_item(request, objective.unit_id, objective.owner_id)
    form = ObjectiveForm(
        request.POST or None,
        instance=objective,
        plan=plan,
        organization=request.organization,
        arrange=request.perms.can(Action.EDIT_PLAN),
    )
    if request.method == "POST" and form.is_valid():
        saved = plans.save_objective(form)
        messages.success(
            request, gettext("The objective “%(title)s” was saved.") % {"title": saved.title}
        )
        return redirect("scorecards:objective", org_slug, saved.pk)
    back = (
        reverse("scorecards:objective", args=[org_slug, objective.pk])
        if objective
        else plan_url(request, plan)
    )
    return form_page(
        request,
        form,
        title=(
            gettext("Edit “%(name)s”") % {"name": objective.title}
            if objective
            else gettext("New strategic objective")
        ),
        back_url=back,
    )


@require(Action.EDIT_PLAN)
@require_POST
def objective_archive(
    request: OrganizationRequest, org_slug: str, objective_id: int
) -> HttpResponse:
    """Archive (hide from the scorecard, keep everything) or, with restore=1, restore."""
    objective = get_object_or_404(StrategicObjective, pk=objective_id)
    restore = request.POST.get("restore") == "1"
    plans.archive_objective(objective, restore=restore)
    messages.success(
        request,
        gettext("“%(title)s” was %(value)s.")
        % {"title": objective.title, "value": "restored" if restore else "archived"},
    )
    return redirect("scorecards:objective", org_slug, objective.pk)


@require(Action.EDIT_PLAN)
@require_POST
def objective_delete(
    request: OrganizationRequest, org_slug: str, objective_id: int
) -> HttpResponse:
    objective = get_object_or_404(StrategicObjective, pk=objective_id)
    try:
        plans.delete_objective(objective)
    except plans.ObjectiveInUse as exc:
        messages.error(request, exc.message)
        return redirect("scorecards:objective", org_slug, objective.pk)
    messages.success(request, gettext("“%(title)s” was deleted.") % {"title": objective.title})
    return redirect(plan_url(request, objective.plan))
