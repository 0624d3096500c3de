"""Cloning OKR objectives into a later quarter: an objective (or a unit's set) with the key
results chosen, their targets and settings copied, never their check-ins, scores or review.

Each clone names its original in ``cloned_from`` (the objective's and each key result's;
audited in the history, whose creation record also says "cloned from OKR objective 12").
That link, and the original's ``clones``, tell whether an objective or its parent already
has a clone in the target quarter, so an aligned parent is re-pointed to its own clone when
that is cloned too (before or after), else kept. Links made before the field existed were
recovered from those creation records (migration 0006).

Not carry-over: closing a quarter carries a missed result over through
``KeyResult.predecessor`` (the chain the "missed three quarters running" rule follows); a
clone is a fresh start and leaves that field alone. The two meet at closing: a result
marked "carry over" that already has a live clone in the next quarter is not carried over
a second time (``okrs.review.close_cycle``), and a result carried over already is not
cloned again (``clone_objective``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from okrs import keyresults
from okrs.models import Cycle, KeyResult, OkrObjective, OkrStatus
from strategyhub.models import Unit, User

REASON = "cloned from OKR objective {pk}"
KR_REASON = "cloned from key result {pk}"

# What a clone copies of its original: the targets and settings, not the state.
OBJECTIVE_FIELDS = (
    "organization_id",
    "level",
    "unit_id",
    "owner_id",
    "title",
    "description",
    "strategic_objective_id",
    "causal_link_id",
    "order",
)
KEY_RESULT_FIELDS = (
    "organization_id",
    "title",
    "owner_id",
    "kind",
    "unit_kind",
    "rate_per",
    "decimals",
    "start_value",
    "target_value",
    "floor_value",
    "hold_direction",
    "weight",
    "measure_id",
    "is_counterweight",
    "order",
)


class CloneRefused(Exception):
    """A clone the rules refuse; the message is shown."""


@dataclass
class Cloned:
    objective: OkrObjective
    notes: list[str] = field(default_factory=list)  # what was not copied as it was, and why


def cloned_from(objective: OkrObjective) -> OkrObjective | None:
    """The objective ``objective`` was cloned from (if it was, and it still exists)."""
    if objective.cloned_from_id is None:
        return None
    return OkrObjective.objects.filter(pk=objective.cloned_from_id).first()


def _clone_ids(original_ids: Iterable[int], cycle: Cycle) -> dict[int, int]:
    """original id → the id of its live clone in ``cycle`` (the latest when several)."""
    rows = (
        OkrObjective.objects.filter(
            cloned_from_id__in=list(original_ids), cycle_id=cycle.pk, archived_at=None
        )
        .order_by("pk")
        .values_list("cloned_from_id", "pk")
    )
    return dict(rows)  # the latest clone last, so it wins


def existing_clones(original_ids: Iterable[int], cycle: Cycle) -> dict[int, int]:
    """original id → the id of its live clone in ``cycle``, for those that have one."""
    return _clone_ids(original_ids, cycle)


def clone_of(objective: OkrObjective, cycle: Cycle) -> OkrObjective | None:
    """The live clone of ``objective`` in ``cycle``, if any."""
    pk = _clone_ids([objective.pk], cycle).get(objective.pk)
    return OkrObjective.objects.get(pk=pk) if pk else None


def refusal(objective: OkrObjective, into_cycle: Cycle) -> str | None:
    """Why ``objective`` may not be cloned into ``into_cycle``, or None."""
    if into_cycle.organization_id != objective.organization_id:
        return "Choose a cycle of this agency."
    if into_cycle.pk == objective.cycle_id:
        return "An objective cannot be cloned into its own cycle: choose a later quarter."
    if into_cycle.is_closed:
        return f"{into_cycle.label} is closed; reopen it to add objectives."
    if into_cycle.start <= objective.cycle.start:
        return "Choose a later quarter to clone into."
    return None


def _shifted(day: dt.date | None, source: Cycle, target: Cycle) -> dt.date | None:
    """A milestone's due date at the same place in the target quarter (within it)."""
    if day is None:
        return None
    return min(max(day + (target.start - source.start), target.start), target.end)


@transaction.atomic
def clone_objective(
    objective: OkrObjective,
    into_cycle: Cycle,
    key_result_ids: Iterable[int],
    by: User | None,
) -> Cloned:
    """Clone ``objective`` into ``into_cycle`` with the live key results of
    ``key_result_ids`` (targets, weights, feeds and settings copied; a milestone's due date
    moved to the same place in the new quarter; no check-ins, scores or review). Its parent
    is re-pointed to the parent's clone in ``into_cycle`` when there is one, and the clones
    there of objectives aligned to ``objective`` are re-pointed to the new clone. Refused
    (``CloneRefused``) into a closed cycle, the same cycle or an earlier one, or with a key
    result that is not one of the objective's live ones. A chosen result already carried
    over into ``into_cycle`` (its live successor is there) is left out, with a note."""
    reason = refusal(objective, into_cycle)
    if reason:
        raise CloneRefused(reason)
    wanted = {int(pk) for pk in key_result_ids}
    chosen = list(
        KeyResult.objects.filter(objective=objective, archived_at=None, pk__in=wanted)
        .select_related("measure")
        .prefetch_related("collaborators")
    )
    if len(chosen) != len(wanted):
        raise CloneRefused(gettext("Choose only live key results of this objective."))
    notes: list[str] = []
    # A result carried over into ``into_cycle`` at closing is there already: not cloned twice.
    carried = set(
        KeyResult.objects.filter(
            predecessor__in=chosen,
            objective__cycle=into_cycle,
            archived_at=None,
            objective__archived_at=None,
        ).values_list("predecessor_id", flat=True)
    )
    clone = OkrObjective(
        cycle=into_cycle,
        status=OkrStatus.ACTIVE,
        cloned_from=objective,
        **{name: getattr(objective, name) for name in OBJECTIVE_FIELDS},
    )
    if objective.parent_id:
        clone.parent_id = _clone_ids([objective.parent_id], into_cycle).get(
            objective.parent_id, objective.parent_id
        )
    _save(clone, REASON.format(pk=objective.pk), by)
    clone.collaborators.set(objective.collaborators.all())
    for kr in chosen:
        if kr.pk in carried:
            notes.append(
                f"“{kr.title}” was not cloned: it was carried over into {into_cycle.label} "
                f"when {objective.cycle.label} closed."
            )
            continue
        new = KeyResult(
            objective=clone,
            cloned_from=kr,
            due_date=_shifted(kr.due_date, objective.cycle, into_cycle),
            **{name: getattr(kr, name) for name in KEY_RESULT_FIELDS},
        )
        if kr.measure is not None and not kr.measure.is_calculated:
            new.measure_id = None
            notes.append(
                f"“{kr.title}” no longer feeds “{kr.measure.name}”: that measure now takes "
                "values typed in by its owner."
            )
        _save(new, KR_REASON.format(pk=kr.pk), by)
        new.collaborators.set(kr.collaborators.all())
        keyresults.key_result_changed(new, None)
    keyresults.rescore_objective(clone.pk)
    # Clones already made of objectives aligned to this one now align to its clone.
    children = OkrObjective.objects.filter(parent=objective).values_list("pk", flat=True)
    for child_clone in OkrObjective.objects.filter(
        pk__in=list(_clone_ids(children, into_cycle).values()), parent=objective
    ):
        child_clone.parent = clone
        _save(child_clone, f"aligned to the clone of OKR objective {objective.pk}", by)
    clone.refresh_from_db()
    return Cloned(clone, notes)


def _save(item: OkrObjective | KeyResult, reason: str, by: User | None) -> None:
    try:
        item.full_clean()
    except ValidationError as error:
        raise CloneRefused(
            gettext("“%(title)s” cannot be cloned: %(join)s")
            % {"title": item.title, "join": " ".join(error.messages)}
        ) from error
    item._change_reason = reason  # type: ignore[union-attr]
    if by is not None:
        item._history_user = by  # type: ignore[union-attr]
    item.save()


def unit_objectives(cycle: Cycle, unit: Unit | None) -> list[OkrObjective]:
    """The live objectives of ``unit`` in ``cycle`` (agency-level ones for None), parents
    first so that a clone of the set re-points each parent to its clone."""
    objectives = list(
        OkrObjective.objects.filter(cycle=cycle, unit=unit, archived_at=None).order_by(
            "order", "pk"
        )
    )
    ids = {o.pk for o in objectives}
    by_id = {o.pk: o for o in objectives}

    def depth(o: OkrObjective) -> int:
        seen: set[int] = set()
        n = 0
        while o.parent_id in ids and o.pk not in seen:
            seen.add(o.pk)
            o, n = by_id[o.parent_id], n + 1
        return n

    return sorted(objectives, key=depth)


@transaction.atomic
def clone_unit_objectives(
    cycle: Cycle, unit: Unit | None, into_cycle: Cycle, by: User | None
) -> list[Cloned]:
    """Clone every live objective of ``unit`` in ``cycle`` (with all its live key results)
    into ``into_cycle``, parents first; those already cloned there are skipped."""
    objectives = unit_objectives(cycle, unit)
    done = _clone_ids([o.pk for o in objectives], into_cycle)
    return [
        clone_objective(
            objective,
            into_cycle,
            objective.key_results.filter(archived_at=None).values_list("pk", flat=True),
            by,
        )
        for objective in objectives
        if objective.pk not in done
    ]
