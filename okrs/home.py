"""The OKRs' section of the agency overview ("what needs me?", docs/ui.md): the running
quarter's objectives by status (each count links to the overview filtered by it), and for
the signed-in person their key results still to check in this week and those at risk or off
track. The quarter's read is the cycle overview's own (bounded queries at any size); the
person's is My check-ins' (``cards.my_key_results``)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from okrs import cards, queries
from okrs.cycles import current_quarter
from strategyhub.http import OrganizationRequest
from strategyhub.status import Status

LISTED = 8


def overview_section(request: OrganizationRequest, today: dt.date) -> SafeString | None:
    cycle = current_quarter(request.organization, today)
    if cycle is None:
        return None
    overview = queries.cycle_overview(cycle, today, unit_filter="", owner_filter="")
    week_start = today - dt.timedelta(days=today.weekday())
    due, at_risk = [], []
    # A viewer owns nothing (viewers cannot own items): the read finds no result.
    key_results = list(cards.my_key_results(request.user, today))
    for kr, state in zip(key_results, cards.states_of(key_results, today), strict=True):
        if kr.objective.cycle_id != cycle.pk:
            continue
        if state.current is None or state.current.as_of < week_start:
            due.append((kr, state))
        if state.status in (Status.AT_RISK, Status.OFF_TRACK):
            at_risk.append((kr, state))
    return render_to_string(
        "okrs/_home.html",
        {
            "cycle": cycle,
            "total": overview["total"],
            "status_summary": overview["status_summary"],
            "due": due[:LISTED],
            "due_count": len(due),
            "at_risk": at_risk[:LISTED],
            "at_risk_count": len(at_risk),
            "week_start": week_start,
            "organization": request.organization,
        },
        request=request,
    )
