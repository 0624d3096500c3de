"""The end of a quarter: the review of each objective, the cycle's transitions (into
review, closed with its scores frozen and its carried-over results created in the next
quarter, reopened by an admin), and the flag on strategic objectives that keep missing."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.utils import timezone

from okrs import calc, keyresults, rollup
from okrs.cycles import next_quarter
from okrs.models import Cycle, CycleStatus, KeyResult, OkrObjective
from strategyhub import signals
from strategyhub.models import User
from strategyhub.ui.formatting import format_score

MISSED_QUARTERS_FOR_FLAG = 3


class CycleActionRefused(Exception):
    """A cycle transition the rules refuse; the message is shown."""


class Closed(TypedDict):
    """What closing a quarter did (``close_cycle``)."""

    frozen: int  # scores frozen
    carried: int  # results carried over into the next quarter
    flagged: int  # strategic objectives flagged for the annual review
    notes: list[str]  # results marked "carry over" that were not, and why


@transaction.atomic
def start_review(cycle: Cycle) -> None:
    """Put a planning or active cycle into review."""
    if cycle.status not in (CycleStatus.ACTIVE, CycleStatus.PLANNING):
        raise CycleActionRefused(f"{cycle.label} is already {cycle.get_status_display()}.")
    cycle.status = CycleStatus.IN_REVIEW
    cycle.save(update_fields=["status"])


@transaction.atomic
def review_objective(
    objective: OkrObjective,
    *,
    final_score: Decimal | None,
    what_worked: str,
    lessons: str,
    decisions: dict[int, str],
) -> None:
    """Save an objective's quarterly review: its final score (``final_score_from``: the
    entered one, or the exact computed score when the reviewer kept the proposal), what
    worked, the lessons, and the decision (complete, carry over, drop) for each of its live
    results."""
    if Cycle.objects.get(pk=objective.cycle_id).is_closed:
        raise CycleActionRefused("The cycle is closed; reopen it to change the review.")
    objective.final_score = final_score_from(final_score, proposed_score(objective))
    objective.what_worked = what_worked
    objective.lessons = lessons
    objective.status = "reviewed"
    objective.save(update_fields=["final_score", "what_worked", "lessons", "status"])
    for kr in objective.key_results.filter(archived_at=None):
        decision = decisions.get(kr.pk, "")
        if decision != kr.review_decision:
            kr.review_decision = decision
            kr.save(update_fields=["review_decision"])


def proposed_score(objective: OkrObjective) -> Decimal | None:
    """The review's proposal: the objective's computed score, at full precision."""
    return keyresults.objective_score_of(objective.key_results.filter(archived_at=None))


def proposal_shown(objective: OkrObjective, proposed: Decimal | None) -> str | None:
    """What the review form is pre-filled with: a final score already entered as stored
    (at most four decimals when typed), else the proposal rounded for display."""
    if objective.final_score is not None and objective.final_score != proposed:
        return format(objective.final_score.normalize(), "f")
    return format_score(proposed)


def final_score_from(entered: Decimal | None, proposed: Decimal | None) -> Decimal | None:
    """The final score to store: the exact proposal when ``entered`` is the proposal as
    shown (two places), else what the reviewer entered."""
    if entered is not None and proposed is not None and entered == Decimal(format_score(proposed)):
        return proposed
    return entered


def _missed_streak(kr: KeyResult) -> int:
    """How many quarters running this result (through its carry-over predecessors) missed."""
    streak = 0
    node: KeyResult | None = kr
    while node is not None:
        final = node.frozen_score if node.frozen_score is not None else node.score
        if final >= calc.SUCCESS:
            break
        streak += 1
        node = (
            KeyResult.objects.select_related("predecessor").get(pk=node.predecessor_id)
            if node.predecessor_id
            else None
        )
    return streak


def _cloned_into(key_results: list[KeyResult], following: Cycle) -> dict[int, KeyResult]:
    """result id → its live clone in ``following`` (one query), for those that have one."""
    clones = (
        KeyResult.objects.filter(
            cloned_from__in=key_results,
            objective__cycle=following,
            archived_at=None,
            objective__archived_at=None,
        )
        .select_related("objective")
        .order_by("pk")
    )
    return {clone.cloned_from_id: clone for clone in clones if clone.cloned_from_id}


@transaction.atomic
def close_cycle(cycle: Cycle, by: User) -> Closed:
    """Freeze every score of the cycle, create the carried-over results in the next
    quarter, and flag strategic objectives whose results missed three quarters running.
    A result marked "carry over" that was cloned into the next quarter already (a live
    clone there, ``okrs.cloning``) is not carried over a second time: a note says so."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_closed:
        raise CycleActionRefused(f"{cycle.label} is already closed.")
    key_results = list(
        KeyResult.objects.filter(objective__cycle=cycle, archived_at=None).select_related(
            "objective", "objective__strategic_objective"
        )
    )
    for kr in key_results:
        kr.frozen_score = kr.score
        kr.save(update_fields=["frozen_score"])
    carried = flagged = 0
    following = None
    notes: list[str] = []
    cloned: dict[int, KeyResult] = {}
    copies: dict[int, OkrObjective] = {}
    carried_measures: set[int] = set()
    for kr in key_results:
        streak = _missed_streak(kr)
        strategic = kr.objective.strategic_objective
        if streak >= MISSED_QUARTERS_FOR_FLAG and strategic is not None:
            strategic.review_flag = (
                f"“{kr.title}” missed {streak} quarters running (last: {cycle.label})."
            )
            strategic.save(update_fields=["review_flag"])
            flagged += 1
        if kr.review_decision != "carry_over" or hasattr(kr, "successor"):
            continue
        if following is None:
            following = next_quarter(cycle)
            cloned = _cloned_into(
                [k for k in key_results if k.review_decision == "carry_over"], following
            )
        if kr.pk in cloned:
            notes.append(
                f"“{kr.title}” was not carried over: it was already cloned into "
                f"{following.label}, in “{cloned[kr.pk].objective.title}”."
            )
            continue
        copy = copies.get(kr.objective_id)
        if copy is None:
            source = kr.objective
            copy = OkrObjective.objects.filter(cycle=following, title=source.title).first()
            if copy is None:
                copy = OkrObjective.objects.create(
                    organization=cycle.organization,
                    cycle=following,
                    level=source.level,
                    unit=source.unit,
                    owner=source.owner,
                    title=source.title,
                    description=source.description,
                    strategic_objective=source.strategic_objective,
                    causal_link=source.causal_link,
                    order=source.order,
                )
            copies[kr.objective_id] = copy
        KeyResult.objects.create(
            organization=cycle.organization,
            objective=copy,
            title=kr.title,
            owner=kr.owner,
            kind=kr.kind,
            unit_kind=kr.unit_kind,
            rate_per=kr.rate_per,
            decimals=kr.decimals,
            start_value=kr.current_value
            if kr.kind == "metric" and kr.current_value is not None
            else kr.start_value,
            target_value=kr.target_value,
            floor_value=kr.floor_value,
            hold_direction=kr.hold_direction,
            due_date=None if kr.kind != "milestone" else following.end,
            weight=kr.weight,
            measure=kr.measure,
            is_counterweight=kr.is_counterweight,
            order=kr.order,
            predecessor=kr,
        )
        carried += 1
        if kr.measure_id:
            carried_measures.add(kr.measure_id)
    # A new result counts in the score means of its quarter's periods (``following`` is set
    # whenever a result was carried).
    if carried_measures and following is not None:
        rollup.recompute_cycle(carried_measures, following, cycle.organization)
    for objective_id in {kr.objective_id for kr in key_results} | {
        copy.pk for copy in copies.values()
    }:
        keyresults.rescore_objective(objective_id)  # frozen as stored; the copies' new results
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = timezone.now()
    cycle.closed_by = by
    cycle.save()
    return {
        "frozen": len(key_results),
        "carried": carried,
        "flagged": flagged,
        "notes": notes,
    }


@transaction.atomic
def reopen_cycle(cycle: Cycle, by: User, reason: str) -> None:
    """An admin action, audited in the cycle's history with who and why."""
    if not reason.strip():
        raise CycleActionRefused("Say why the cycle is reopened; it is recorded.")
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_closed:
        raise CycleActionRefused(f"{cycle.label} is not closed.")
    cycle.status = CycleStatus.IN_REVIEW
    cycle.closed_at = None
    # django-simple-history reads this on save (the history row's reason).
    cycle._change_reason = f"Reopened: {reason.strip()}"  # type: ignore[attr-defined]
    cycle.save()
    KeyResult.objects.filter(objective__cycle=cycle).update(frozen_score=None)
    for objective_id in OkrObjective.objects.filter(cycle=cycle).values_list("pk", flat=True):
        keyresults.rescore_objective(objective_id)
    signals.changed(cycle.organization_id, "okrs.KeyResult")  # frozen scores, one UPDATE
