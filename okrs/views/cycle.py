"""The cycle overview (a quarter's or a fiscal year's objectives as a tree) and its cascade
coverage."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from okrs import annual, queries
from okrs import review as reviews
from okrs.cycles import current_quarter_or_create
from okrs.models import Cycle, CycleKind, CycleStatus
from strategyhub.caching import pages as pagecache
from strategyhub.http import OrganizationRequest
from strategyhub.models import Organization
from strategyhub.permissions import Action, require
from strategyhub.status import Status


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
    current, cycles = _current_and_cycles(organization, today)
    wanted = current.pk if cycle_id is None else cycle_id
    cycle = next((c for c in cycles if c.pk == wanted), None)
    if cycle is None:
        raise Http404("No such cycle.")
    # A closed quarter's next step: the next quarter (where its results were carried over).
    following = (
        next(
            (
                c
                for c in cycles
                if c.kind == CycleKind.QUARTER and c.start == cycle.end + dt.timedelta(days=1)
            ),
            None,
        )
        if cycle.is_closed and cycle.kind == CycleKind.QUARTER
        else None
    )
    unit_filter = request.GET.get("unit", "")
    owner_filter = request.GET.get("owner", "")
    status_filter = request.GET.get("status", "")
    if status_filter not in {s.value for s in Status}:
        status_filter = ""
    filters = {"unit": unit_filter, "owner": owner_filter, "status": status_filter}
    return {
        "cycle": cycle,
        "cycles": cycles,
        "next_quarter": following,
        **queries.cycle_overview(
            cycle,
            today,
            unit_filter=unit_filter,
            owner_filter=owner_filter,
            status_filter=status_filter,
            page=request.GET.get("page"),
        ),
        "status_filter": status_filter,
        # The filters as a query string, for the status counts' and the pages' links.
        "filter_query": urlencode({k: v for k, v in filters.items() if v and k != "status"}),
        "page_query": urlencode({k: v for k, v in filters.items() if v}),
        "units": queries.unit_choices(),
        "owners": queries.owner_choices(),
        "unit_filter": unit_filter,
        "owner_filter": owner_filter,
        "can_create": request.perms.can(Action.EDIT_ALL_OKRS) and not cycle.is_closed,
        "is_annual": cycle.kind == CycleKind.ANNUAL,
        # Cloning a unit's set reads from any quarter, closed or not, into the next one.
        "can_clone_unit": request.perms.can(Action.EDIT_ALL_OKRS)
        and cycle.kind == CycleKind.QUARTER,
        # "Start the review": offered when the cycle can go into review; before its last two
        # weeks the button leads to a confirmation page, in them it posts at once.
        "review_start": _review_start(request, cycle, today),
    }


def _current_and_cycles(organization: Organization, today: dt.date) -> tuple[Cycle, list[Cycle]]:
    """The running quarter and the agency's cycles for the switcher (an annual cycle has its
    overview like a quarter). The quarter is found among the cycles read for the switcher,
    not by a query of its own; only when it is missing is it created
    (``current_quarter_or_create``, as the daily job would) and the cycles read again."""
    cycles = queries.cycles_by_year()
    running = [c for c in cycles if c.kind == CycleKind.QUARTER and c.start <= today <= c.end]
    if running:  # as ``current_quarter``: the first by start (one a day, by construction)
        return min(running, key=lambda c: c.start), cycles
    current = current_quarter_or_create(organization, today)
    return current, queries.cycles_by_year()


def _review_start(
    request: OrganizationRequest, cycle: Cycle, today: dt.date
) -> reviews.ReviewStart | None:
    if not request.perms.can(Action.MANAGE_SETTINGS) or cycle.status not in (
        CycleStatus.ACTIVE,
        CycleStatus.PLANNING,
    ):
        return None
    start = reviews.review_start(cycle, today)
    return None if start.refusal else start


@require(Action.EDIT_ALL_OKRS)
@require_POST
def start_year(request: OrganizationRequest, org_slug: str, cycle_id: int) -> HttpResponse:
    """ "Start the year's OKRs" on an annual cycle (``okrs.annual.start_year``)."""
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    try:
        created = annual.start_year(cycle)
    except annual.StartRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if created:
            messages.success(
                request,
                gettext(
                    "%(len)s draft objective%(value)s for %(label)s, one per strategic "
                    "objective in focus: keep, edit or archive each."
                )
                % {
                    "len": len(created),
                    "value": "s" if len(created) != 1 else "",
                    "label": cycle.label,
                },
            )
        else:
            messages.info(request, gettext("Every strategic objective in focus has its objective."))
    return redirect("okrs:cycle_detail", org_slug, cycle.pk)


@require(Action.VIEW)
def coverage(request: OrganizationRequest, org_slug: str, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    return render(
        request, "okrs/coverage.html", {"cycle": cycle, **queries.cascade_coverage(cycle)}
    )
