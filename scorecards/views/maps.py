"""The strategy map (objectives and the causal links between them) and the focus map (how
much attention each objective gets in each quarter of a fiscal year)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecards import map_queries, maps, plans
from scorecards.forms import CausalLinkForm
from scorecards.models import CausalLink, FocusLevel, StrategicPlan
from strategyhub.caching import pages as pagecache
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def strategy_map(request: OrganizationRequest, org_slug: str, plan_id: int) -> HttpResponse:
    if request.method == "POST" and not request.perms.can(Action.EDIT_PLAN):
        raise PermissionDenied

    def build(form: CausalLinkForm | None = None) -> dict[str, Any]:
        plan = form.plan if form is not None else get_object_or_404(StrategicPlan, pk=plan_id)
        if form is None and request.perms.can(Action.EDIT_PLAN):
            form = CausalLinkForm(plan=plan, organization=request.organization)
        overview, links, statuses = map_queries.strategy_map_page(
            plan, request.organization, request.organization.today()
        )
        objective_url = reverse("scorecards:objective", args=[org_slug, 0])[:-2]
        svg = maps.strategy_map_svg(
            overview, links, url_for=lambda pk: f"{objective_url}{pk}/", statuses=statuses
        )
        return {
            "plan": plan,
            "svg": svg,
            "links": links,
            "form": form,
            "overview": overview,
            "statuses": statuses,
            "history": map_queries.link_history(plan),
        }

    if request.method == "POST":
        plan = get_object_or_404(StrategicPlan, pk=plan_id)
        form = CausalLinkForm(request.POST, plan=plan, organization=request.organization)
        if form.is_valid():
            link = plans.add_link(form)
            messages.success(
                request,
                gettext("Added: %(source)s drives %(target)s.")
                % {"source": link.source, "target": link.target},
            )
            return redirect("scorecards:strategy_map", org_slug, plan.pk)
        return render(request, "scorecards/strategy_map.html", build(form), status=400)
    # The plan is looked up only when the page is not already cached.
    return pagecache.render_cached(request, "scorecards/strategy_map.html", build)


@require(Action.EDIT_PLAN)
@require_POST
def link_delete(request: OrganizationRequest, org_slug: str, link_id: int) -> HttpResponse:
    link = get_object_or_404(CausalLink.objects.select_related("source", "target"), pk=link_id)
    plan_id = link.source.plan_id
    plans.delete_link(link)
    messages.success(
        request,
        gettext("Removed: %(source)s drives %(target)s.")
        % {"source": link.source, "target": link.target},
    )
    return redirect("scorecards:strategy_map", org_slug, plan_id)


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def focus_map(request: OrganizationRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    year = map_queries.focus_year(
        plan, request.organization, request.GET.get("year") or request.POST.get("year")
    )
    if request.method == "POST":
        if not request.perms.can(Action.EDIT_PLAN):
            raise PermissionDenied
        choices = [
            plans.FocusChoice(
                objective,
                [request.POST.get(f"focus-{objective.pk}-{q}", "") for q in plans.QUARTERS],
            )
            for objective in map_queries.focus_objectives(plan)
        ]
        try:
            plans.save_focus_map(plan, year, choices)
        except plans.FocusRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, gettext("The focus map of FY %(year)s was saved.") % {"year": year}
            )
        return redirect(reverse("scorecards:focus_map", args=[org_slug, plan.pk]) + f"?year={year}")
    page = map_queries.focus_map_page(plan, year, request.organization.fiscal_year_start_month)
    return render(
        request,
        "scorecards/focus_map.html",
        {
            "plan": plan,
            "rows": page.rows,
            "year": year,
            "quarters": page.quarters,
            "levels": FocusLevel.choices,
            "years": list(plan.fiscal_years),
            "can_edit": request.perms.can(Action.EDIT_PLAN),
        },
    )
