"""The end of a quarter: the review of each objective, the cycle's transitions (into
review, closed with its scores frozen and its carried-over results created in the next
quarter, reopened by an admin), and the flag on strategic objectives that keep missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from okrs import calc, keyresults, rollup
from okrs.cycles import next_quarter
from okrs.models import Cycle, CycleKind, CycleStatus, KeyResult, OkrObjective, OkrStatus
from strategyhub import signals
from strategyhub.models import User
from strategyhub.ui import dates
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


# The review of a quarter starts in its last two weeks: before that, starting it asks to
# confirm (``review_start``), since the quarter still has weeks of check-ins to come.
REVIEW_WEEKS_DAYS = 14


def review_refusal(cycle: Cycle) -> str | None:
    """Why ``cycle`` cannot go into review, or None: an active cycle can, and a planning
    one that has live objectives (one with none has nothing to review)."""
    if cycle.status == CycleStatus.ACTIVE:
        return None
    if cycle.status == CycleStatus.PLANNING:
        if OkrObjective.objects.filter(cycle=cycle, archived_at=None).exists():
            return None
        return f"{cycle.label} is being planned and has no objectives: there is nothing to review."
    return f"{cycle.label} is already {cycle.get_status_display()}."


def review_weeks_start(cycle: Cycle) -> dt.date:
    """The first day of the cycle's last two weeks, when its review usually starts."""
    return cycle.end - dt.timedelta(days=REVIEW_WEEKS_DAYS - 1)


def _day(day: dt.date) -> str:
    return dates.month_day(day)


@dataclass
class ReviewStart:
    """What starting the review of a cycle does (for its confirmation page and its button):
    ``refusal`` when it cannot; ``early`` (a warning) when it is before the cycle's last two
    weeks, and only then is the start confirmed first."""

    refusal: str | None
    consequences: list[str]
    early: str | None

    @property
    def needs_confirmation(self) -> bool:
        return self.early is not None


def review_start(cycle: Cycle, today: dt.date) -> ReviewStart:
    opens = review_weeks_start(cycle)
    early = None
    if today < opens:
        days = (cycle.end - today).days
        early = ngettext(
            "%(cycle)s runs until %(end)s: its review usually starts in its last two weeks, "
            "from %(opens)s. Starting it now, %(days)d day before the end, is possible.",
            "%(cycle)s runs until %(end)s: its review usually starts in its last two weeks, "
            "from %(opens)s. Starting it now, %(days)d days before the end, is possible.",
            days,
        ) % {"cycle": cycle.label, "end": _day(cycle.end), "opens": _day(opens), "days": days}
    return ReviewStart(
        refusal=review_refusal(cycle),
        consequences=[
            f"{cycle.label} goes “In review”: each objective's owner records its final "
            "score, what worked, the lessons and a decision for each key result (complete, "
            "carry over or drop).",
            "Check-ins can still be recorded until the quarter is closed; nothing is frozen yet.",
        ],
        early=early,
    )


@transaction.atomic
def start_review(cycle: Cycle) -> None:
    """Put an active cycle, or a planning one with objectives, into review
    (``review_refusal``). Before its last two weeks the page asks to confirm first
    (``review_start``); the rule here does not depend on the date."""
    refusal = review_refusal(cycle)
    if refusal:
        raise CycleActionRefused(refusal)
    cycle.status = CycleStatus.IN_REVIEW
    cycle.save(update_fields=["status"])


@dataclass
class ClosePreview:
    """What closing a cycle will do, and what to know before (``close_preview``): said on
    the confirmation page. The warnings do not stop the close (the product warns, it does
    not forbid)."""

    refusal: str | None
    consequences: list[str]
    warnings: list[str] = field(default_factory=list)


def close_preview(cycle: Cycle, today: dt.date) -> ClosePreview:
    """The close's consequences (scores frozen, results marked "carry over" created in the
    next quarter) and its warnings: objectives without a review, results without a
    decision, a cycle that has not ended yet. Reads only: the next quarter is not created
    here (``close_cycle`` does)."""
    if cycle.is_closed:
        return ClosePreview(f"{cycle.label} is already closed.", [])
    objectives = list(
        OkrObjective.objects.filter(cycle=cycle, archived_at=None).order_by("order", "title")
    )
    key_results = list(
        KeyResult.objects.filter(objective__cycle=cycle, archived_at=None).select_related(
            "successor"
        )
    )
    live = {o.pk for o in objectives}
    following = Cycle.objects.filter(
        kind=CycleKind.QUARTER, start=cycle.end + dt.timedelta(days=1)
    ).first()
    next_label = following.label if following else "the next quarter"
    marked = [
        kr
        for kr in key_results
        if kr.review_decision == "carry_over" and not hasattr(kr, "successor")
    ]
    cloned = _cloned_into(marked, following) if following and marked else {}
    carried = [kr for kr in marked if kr.pk not in cloned]
    consequences = [
        f"The scores of its {len(key_results)} key result{_s(len(key_results))} are frozen "
        "as they stand: later check-ins are refused, and the scores do not move again until "
        "an admin reopens the quarter.",
        (
            f"{len(carried)} key result{_s(len(carried))} marked “carry over” "
            f"{'move' if len(carried) != 1 else 'moves'} into {next_label}, "
            f"{'each ' if len(carried) != 1 else ''}starting from where it stands: "
            + ", ".join(f"“{kr.title}”" for kr in carried)
            + "."
            if carried
            else f"No key result is marked “carry over”: nothing moves into {next_label}."
        ),
        "Strategic objectives whose results missed three quarters running are flagged for "
        "the annual review.",
    ]
    if cloned:
        consequences.append(
            f"{len(cloned)} result{_s(len(cloned))} marked “carry over” "
            f"{'were' if len(cloned) != 1 else 'was'} cloned into {next_label} already and "
            f"{'are' if len(cloned) != 1 else 'is'} not carried over a second time."
        )
    warnings = []
    unreviewed = [o for o in objectives if o.status != OkrStatus.REVIEWED]
    if unreviewed:
        warnings.append(
            f"{len(unreviewed)} of {len(objectives)} objective{_s(len(objectives))} "
            f"{'have' if len(unreviewed) != 1 else 'has'} no review (final score, what "
            "worked, lessons): "
            + ", ".join(f"“{o.title}”" for o in unreviewed[:10])
            + (f" and {len(unreviewed) - 10} more" if len(unreviewed) > 10 else "")
            + "."
        )
    undecided = [kr for kr in key_results if kr.objective_id in live and not kr.review_decision]
    if undecided:
        warnings.append(
            f"{len(undecided)} key result{_s(len(undecided))} "
            f"{'have' if len(undecided) != 1 else 'has'} no decision (complete, carry over "
            "or drop): "
            + (
                "none of them is carried over."
                if len(undecided) != 1
                else "it is not carried over."
            )
        )
    if today < cycle.end:
        days = (cycle.end - today).days
        warnings.append(
            ngettext(
                "%(cycle)s runs until %(end)s: closing now freezes scores %(days)d day early.",
                "%(cycle)s runs until %(end)s: closing now freezes scores %(days)d days early.",
                days,
            )
            % {"cycle": cycle.label, "end": _day(cycle.end), "days": days}
        )
    elif today == cycle.end:
        warnings.append(
            gettext(
                "%(cycle)s runs until today, %(end)s: closing now freezes scores before its "
                "last day is over."
            )
            % {"cycle": cycle.label, "end": _day(cycle.end)}
        )
    return ClosePreview(None, consequences, warnings)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


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
        raise CycleActionRefused(gettext("The cycle is closed; reopen it to change the review."))
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
        raise CycleActionRefused(gettext("%(label)s is already closed.") % {"label": cycle.label})
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
        raise CycleActionRefused(gettext("Say why the cycle is reopened; it is recorded."))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_closed:
        raise CycleActionRefused(gettext("%(label)s is not closed.") % {"label": cycle.label})
    cycle.status = CycleStatus.IN_REVIEW
    cycle.closed_at = None
    # django-simple-history reads this on save (the history row's reason).
    cycle._change_reason = f"Reopened: {reason.strip()}"  # type: ignore[attr-defined]
    cycle.save()
    KeyResult.objects.filter(objective__cycle=cycle).update(frozen_score=None)
    for objective_id in OkrObjective.objects.filter(cycle=cycle).values_list("pk", flat=True):
        keyresults.rescore_objective(objective_id)
    signals.changed(cycle.organization_id, "okrs.KeyResult")  # frozen scores, one UPDATE
