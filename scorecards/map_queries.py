"""Page reads of the two map pages: the strategy map (objectives by perspective with their
statuses, read as rows from the stored measure states, and the causal links with their
history) and the focus map (which objectives are in focus in which quarter)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scorecards.models import CausalLink, FocusEntry, StrategicObjective, StrategicPlan
from scorecards.queries import ObjectiveRow, PerspectiveBlock, PlanOverview
from scorecards.summary import objective_statuses
from strategyhub import fiscal
from strategyhub.models import Organization
from strategyhub.status import Status


def strategy_map_page(
    plan: StrategicPlan, organization: Organization, today: dt.date
) -> tuple[PlanOverview, list[CausalLink], dict[int, Status]]:
    """The plan's objectives by perspective (no measures: the map shows each objective's
    status, read as rows from the stored measure states, ``summary.objective_statuses``),
    its causal links and those statuses."""
    # What the drawing uses of each objective (a plan may have hundreds): its id, title
    # and perspective.
    objectives = list(
        StrategicObjective.objects.filter(plan=plan, archived_at=None)
        .only("pk", "title", "perspective_id")
        .order_by("order", "title", "pk")
    )
    blocks = [
        PerspectiveBlock(p, [ObjectiveRow(o, []) for o in objectives if o.perspective_id == p.pk])
        for p in plan.perspectives.all()
    ]
    overview = PlanOverview(plan=plan, perspectives=blocks, warnings=[], status_counts={})
    # The map shows live objectives: a link from or to an archived one waits (kept) until
    # that objective is restored.
    links = list(
        CausalLink.objects.filter(
            source__plan=plan, source__archived_at=None, target__archived_at=None
        )
        .select_related("source", "target")
        .order_by("pk")  # the text list's order; the drawing does not depend on it
    )
    return overview, links, objective_statuses(plan, today, [o.pk for o in objectives])


def link_history(plan: StrategicPlan, limit: int = 30) -> list[Any]:
    """The recorded changes to the plan's causal links, newest first: additions, edits and
    removals (a removed link keeps its history rows, read here from the history table)."""
    return list(
        CausalLink.history.filter(source__plan=plan)
        .select_related("history_user", "source", "target")
        .order_by("-history_date", "-history_id")[:limit]
    )


# --- The focus map --------------------------------------------------------------------------


def focus_year(plan: StrategicPlan, organization: Organization, requested: str | None) -> int:
    """The fiscal year the focus map shows: the one asked for if it is in the plan, else the
    current one (or the plan's nearest)."""
    current = fiscal.fiscal_year_of(organization.today(), organization.fiscal_year_start_month)
    try:
        year = int(requested or current)
    except ValueError:
        year = current
    if year not in plan.fiscal_years:
        year = min(max(current, plan.first_fiscal_year), plan.last_fiscal_year)
    return year


def focus_objectives(plan: StrategicPlan) -> list[StrategicObjective]:
    """The plan's live objectives in the order of the scorecard (the focus map's rows)."""
    return list(
        StrategicObjective.objects.filter(plan=plan, archived_at=None)
        .select_related("perspective")
        .order_by("perspective__order", "order", "title")
    )


@dataclass
class FocusMapPage:
    rows: list[tuple[StrategicObjective, list[FocusEntry | None]]]
    quarters: list[tuple[int, dt.date, dt.date]]  # (quarter, first day, last day)


def focus_map_page(plan: StrategicPlan, fiscal_year: int, fiscal_start_month: int) -> FocusMapPage:
    entries = {
        (e.objective_id, e.quarter): e
        for e in FocusEntry.objects.filter(objective__plan=plan, fiscal_year=fiscal_year)
    }
    rows = [
        (objective, [entries.get((objective.pk, q)) for q in range(1, 5)])
        for objective in focus_objectives(plan)
    ]
    year = fiscal.fiscal_year(fiscal_year, fiscal_start_month)
    quarters = [(q.number, q.start, q.end) for q in year.quarters]
    return FocusMapPage(rows, quarters)
