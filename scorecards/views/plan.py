"""The plan page (the active plan or another one), a new plan, editing a plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from scorecards import plans, queries
from scorecards.forms import PlanForm
from scorecards.models import PlanStatus, StrategicPlan
from scorecards.views._helpers import plan_url
from strategyhub.caching import pages as pagecache
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.pages import form_page


@require(Action.VIEW)
def plan_view(
    request: OrganizationRequest, org_slug: str, plan_id: int | None = None
) -> HttpResponse:
    return pagecache.render_cached(
        request, "scorecards/plan.html", lambda: _plan_context(request, plan_id)
    )


def _plan_context(
    request: OrganizationRequest, plan_id: int | None
) -> dict[str, Any] | HttpResponse:
    if plan_id is not None:
        plan = get_object_or_404(StrategicPlan, pk=plan_id)
    else:
        plan = queries.active_plan(request.organization)
    if plan is None:
        return render(request, "scorecards/no_plan.html", {"plans": queries.plans_by_year()})
    today = request.organization.today()
    # Above OVERVIEW_MEASURE_LIMIT measures the overview is a summary read from the stored
    # states as rows (``scorecards.summary``): its cost does not grow with the scorecard.
    compact = queries.live_measures(plan).count() > queries.OVERVIEW_MEASURE_LIMIT
    page = queries.plan_page(plan, request.organization, today, summary=compact)
    counts = page.summary.status_counts if page.summary else page.overview.status_counts
    return {
        "measure_count": sum(counts.values()),
        "compact": compact,
        "plan": plan,
        "overview": page.overview,
        "summary": page.summary,
        "themes": page.themes,
        "values_list": [v for v in plan.values.splitlines() if v.strip()],
        "status_summary": queries.status_summary(counts),
        "today": today,
        "other_plans": page.other_plans,
        "history": page.history,
    }


@require(Action.EDIT_PLAN)
@require_http_methods(["GET", "POST"])
def plan_new(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    first_year = request.organization.current_fiscal_year().start.year
    form = PlanForm(
        request.POST or None,
        organization=request.organization,
        initial={
            "first_fiscal_year": first_year,
            "last_fiscal_year": first_year + 4,
            "status": PlanStatus.DRAFT,
        },
    )
    if request.method == "POST" and form.is_valid():
        plan = plans.create_plan_from_form(form)
        messages.success(
            request,
            gettext("The plan “%(title)s” was created with the agency's perspectives.")
            % {"title": plan.title},
        )
        return redirect(plan_url(request, plan))
    return form_page(
        request,
        form,
        title=gettext("New strategic plan"),
        back_url=reverse("scorecards:plan", args=[org_slug]),
    )


@require(Action.EDIT_PLAN)
@require_http_methods(["GET", "POST"])
def plan_edit(request: OrganizationRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=plan_id)
    form = PlanForm(request.POST or None, instance=plan, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        plan = plans.save_plan(form)
        messages.success(request, gettext("The plan was saved."))
        return redirect(plan_url(request, plan))
    return form_page(
        request,
        form,
        title=gettext("Edit “%(name)s”") % {"name": plan.title},
        back_url=plan_url(request, plan),
    )
