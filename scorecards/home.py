"""The scorecard's section of the agency overview ("what needs me?", docs/ui.md): the active
plan's measures by status, what is off track, what has no owner or has gone stale, and the
signed-in person's own measures at risk or off track. One read of the plan's measure rows
(``summary.measure_rows``, from the stored states): a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from scorecards import queries
from scorecards.summary import measure_rows
from strategyhub.http import OrganizationRequest
from strategyhub.status import Status

LISTED = 8  # names shown per list; the count links to the rest


def overview_section(request: OrganizationRequest, today: dt.date) -> SafeString | None:
    plan = queries.active_plan(request.organization)
    if plan is None:
        return None
    rows = measure_rows(plan, today)
    counts = Counter(row.status for row in rows)
    off_track = [row for row in rows if row.status == Status.OFF_TRACK]
    unowned = [row for row in rows if row.owner_id is None]
    stale = [row for row in rows if row.status == Status.STALE]
    mine = [
        row
        for row in rows
        if row.owner_id == request.user.pk and row.status in (Status.OFF_TRACK, Status.AT_RISK)
    ]
    return render_to_string(
        "scorecards/_home.html",
        {
            "plan": plan,
            "measure_count": len(rows),
            "status_summary": queries.status_summary(counts),
            "off_track": off_track[:LISTED],
            "off_track_count": len(off_track),
            "unowned_count": len(unowned),
            "stale_count": len(stale),
            "mine": mine[:LISTED],
            "mine_count": len(mine),
            "organization": request.organization,
        },
        request=request,
    )
