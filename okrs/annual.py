"""The fiscal year's OKRs: "Start the year's OKRs" drafts one agency-level annual objective
per strategic objective in focus that fiscal year (the focus map), each linked to it; the
editor then keeps, edits or drops (archives) each draft. Quarterly objectives align to
them (``OkrObjective.parent``; the model refuses a parent of another fiscal year)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from okrs.models import Cycle, CycleKind, OkrLevel, OkrObjective, OkrStatus
from scorecards.models import FocusEntry, FocusLevel, StrategicObjective

# "In focus": High or Medium in at least one quarter of the year (Low is background).
IN_FOCUS = (FocusLevel.HIGH, FocusLevel.MEDIUM)


class StartRefused(Exception):
    """The year's OKRs cannot be started on this cycle (not annual, or closed)."""


def in_focus(fiscal_year: int) -> list[StrategicObjective]:
    """The agency's live strategic objectives in focus in ``fiscal_year``, scorecard order."""
    ids = FocusEntry.objects.filter(fiscal_year=fiscal_year, level__in=IN_FOCUS).values(
        "objective_id"
    )
    return list(
        StrategicObjective.objects.filter(pk__in=ids, archived_at=None).select_related(
            "perspective"
        )
    )


@transaction.atomic
def start_year(cycle: Cycle) -> list[OkrObjective]:
    """Draft one agency-level objective in the annual ``cycle`` per strategic objective in
    focus that year, named and owned like it. Idempotent: a strategic objective that already
    has an agency-level objective in the cycle (kept, edited or archived) gets none, so
    running it twice creates nothing more and a dropped draft does not come back. Returns the
    objectives created."""
    if cycle.kind != CycleKind.ANNUAL:
        raise StartRefused(gettext("The year's OKRs start on the fiscal year's annual cycle."))
    if cycle.is_closed:
        raise StartRefused(
            gettext("%(label)s is closed; reopen it first.") % {"label": cycle.label}
        )
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()  # one start at a time
    covered = set(
        OkrObjective.objects.filter(cycle=cycle, level=OkrLevel.AGENCY).values_list(
            "strategic_objective_id", flat=True
        )
    )
    created = []
    for order, strategic in enumerate(in_focus(cycle.fiscal_year)):
        if strategic.pk in covered:
            continue
        created.append(
            OkrObjective.objects.create(
                organization_id=cycle.organization_id,
                cycle=cycle,
                level=OkrLevel.AGENCY,
                unit_id=strategic.unit_id,
                owner_id=strategic.owner_id,
                title=strategic.title[:200],
                strategic_objective=strategic,
                status=OkrStatus.DRAFT,
                order=order,
            )
        )
    return created
