"""The cycle overview (the quarter's objectives as a tree) and its cascade coverage."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from okrs import queries
from okrs.cycles import current_quarter_or_create
from okrs.models import Cycle
from strategyhub.caching import pages as pagecache
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require


@require(Action.VIEW)
def cycle_overview(
    request: OrganizationRequest, org_slug: str, cycle_id: int | None = None
) -> HttpResponse:
    return pagecache.render_cached(
        request, "okrs/cycle.html", lambda: _cycle_context(request, cycle_id)
    )


def _cycle_context(request: OrganizationRequest, cycle_id: int | None) -> dict:
    organization = request.organization
    today = organization.today()
    current = current_quarter_or_create(organization, today)
    cycles = queries.quarters()
    wanted = current.pk if cycle_id is None else cycle_id
    cycle = next((c for c in cycles if c.pk == wanted), None)
    if cycle is None:
        raise Http404("No such cycle.")
    unit_filter = request.GET.get("unit", "")
    owner_filter = request.GET.get("owner", "")
    return {
        "cycle": cycle,
        "cycles": cycles,
        **queries.cycle_overview(cycle, today, unit_filter=unit_filter, owner_filter=owner_filter),
        "units": queries.unit_choices(),
        "owners": queries.owner_choices(),
        "unit_filter": unit_filter,
        "owner_filter": owner_filter,
        "can_create": request.perms.can(Action.EDIT_ALL_OKRS) and not cycle.is_closed,
    }


@require(Action.VIEW)
def coverage(request: OrganizationRequest, org_slug: str, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    return render(
        request, "okrs/coverage.html", {"cycle": cycle, **queries.cascade_coverage(cycle)}
    )
