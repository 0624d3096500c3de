"""Key results and OKR objectives: a result's state (current reading, score, status,
forecast), its denormalised current value and score, an objective's score, and the writes
that change what a result feeds (saving its form, archiving, restoring or deleting a result
or an objective), carried through to the roll-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from okrs import calc, rollup
from okrs.models import CheckIn, Cycle, KeyResult, OkrObjective, OkrStatus
from strategyhub import signals
from strategyhub.status import Status
from strategyhub.ui.formatting import format_percent_share, format_score

if TYPE_CHECKING:
    from django.forms import ModelForm

    from strategyhub.models import Organization

# What a key result's score depends on besides its check-ins (``KeyResult.spec``), and what
# else decides its share of a measure's roll-up (its unit and rate base: its values are
# converted into the measure's): an edit of any of these, or an archive or restore, must be
# carried through.
SPEC_FIELDS = KeyResult.SPEC_FIELDS
ROLLUP_INPUTS = (
    *SPEC_FIELDS,
    "weight",
    "measure_id",
    "archived_at",
    "unit_kind",
    "rate_per",
)
# What lists read of a key result to show its status and its objective's score (from the
# stored score): loading only these keeps a thousand-result page's rows small.
STATUS_FIELDS = (
    *SPEC_FIELDS,
    "organization_id",
    "objective_id",
    "title",
    "owner_id",
    "archived_at",
    "current_as_of",
    "score",
    "frozen_score",
    "weight",
    "measure_id",
    "is_counterweight",
)


class ArchiveRefused(Exception):
    """An archive, restore or delete the rules refuse; the message is shown."""


class DeleteRefused(ArchiveRefused):
    """A delete the rules refuse (check-ins recorded, objectives aligned to it): archive
    instead; the message says so."""


@dataclass
class KRState:
    """What a page shows of one key result in its cycle."""

    key_result: KeyResult
    current: calc.Reading | None
    score: Decimal
    progress: Decimal | None
    status: Status
    forecast: Decimal | None

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def score_text(self) -> str:
        return format_score(self.score)

    @property
    def progress_text(self) -> str:
        return format_percent_share(self.progress)


def kr_state(kr: KeyResult, readings: list[calc.Reading], cycle: Cycle, today: dt.date) -> KRState:
    """The state of ``kr`` from its readings (oldest first); its frozen score once the
    cycle is closed."""
    spec = kr.spec()
    now = calc.current(readings)
    frozen = kr.frozen_score if cycle.is_closed else None
    return KRState(
        key_result=kr,
        current=now,
        score=frozen if frozen is not None else calc.score(spec, now),
        progress=calc.progress(spec, now.value if now else None),
        status=calc.status(spec, now, cycle.start, cycle.end, min(today, cycle.end)),
        forecast=calc.forecast(spec, readings, cycle.start, cycle.end),
    )


def objective_score_of(key_results: Iterable[KeyResult]) -> Decimal | None:
    """The one rule of an objective's score: the weighted mean of its live results' stored
    full-precision scores (frozen ones once the cycle is closed). What ``rescore_objective``
    stores as ``OkrObjective.score``; pages that have the results loaded compute the same."""
    return calc.objective_score(
        [
            (_final(kr.score, kr.frozen_score), kr.weight)
            for kr in key_results
            if kr.archived_at is None
        ]
    )


def score_of_record(
    computed: Decimal | None, *, status: str, final_score: Decimal | None
) -> Decimal | None:
    """The one rule of the objective score a page shows: once the objective is reviewed
    (``status`` "reviewed") with a final score, the reviewer's final score; else
    ``computed`` (``objective_score_of``, or the stored ``OkrObjective.score``). The stored
    score stays the computed one (``rescore_objective``), which the review's page and the
    objective page show next to it ("computed 0.36"). Statuses are not affected: an
    objective's status still comes from its results' scores and pace."""
    if status == OkrStatus.REVIEWED and final_score is not None:
        return final_score
    return computed


def _final(score: Decimal, frozen: Decimal | None) -> Decimal:
    return frozen if frozen is not None else score


# What ``rescore_objective`` reads of an objective's live results: what its score is made of,
# and the owner, so a check-in's answer shows the new score on the owner's other cards of
# the objective from this read (``CheckInOutcome.objective_results``), not a second one.
RESCORE_FIELDS = ("score", "frozen_score", "weight", "archived_at", "owner")


def rescore_objective(objective_id: int) -> list[KeyResult]:
    """Store the objective's score (``objective_score_of``) from its results as stored now:
    called in the transaction of every write that changes a result's score, weight or
    archived state, or the objective's. Returns the live results it read (in their page
    order, with ``RESCORE_FIELDS``)."""
    key_results = list(
        KeyResult.objects.filter(objective_id=objective_id, archived_at=None).only(*RESCORE_FIELDS)
    )
    OkrObjective.objects.filter(pk=objective_id).update(score=objective_score_of(key_results))
    return key_results


# --- The denormalised current value and score -----------------------------------------------


def advance_key_result(kr: KeyResult, checkin: CheckIn) -> list[KeyResult]:
    """A new check-in becomes the result's current reading unless a later one exists (its
    ``as_of`` is earlier than the stored current one; ties go to the one created last,
    which it is). One conditional UPDATE, so two check-ins at once cannot leave the older one
    current. Returns the objective's live results as re-scored (``rescore_objective``)."""
    reading = checkin.reading()
    score = calc.score(kr.spec(), reading)
    moved = (
        KeyResult.objects.filter(pk=kr.pk)
        .filter(Q(current_as_of__isnull=True) | Q(current_as_of__lte=reading.as_of))
        .update(current_value=reading.value, current_as_of=reading.as_of, score=score)
    )
    if moved:
        kr.current_value, kr.current_as_of, kr.score = reading.value, reading.as_of, score
        live = rescore_objective(kr.objective_id)
        signals.changed(kr.organization_id, "okrs.KeyResult", (kr.pk,))
        return live
    return refresh_key_result(kr)  # a later reading stays current; load it


def refresh_key_result(kr: KeyResult) -> list[KeyResult]:
    """Read the result's current reading again (``calc.current``: latest as-of, ties to the
    one created last, as one row) and store its value and score. Returns the objective's
    live results as re-scored (``rescore_objective``)."""
    row = (
        CheckIn.objects.filter(key_result=kr)
        .order_by("-as_of", "-created_at")
        .values_list("as_of", "created_at", "value", "done", "rubric_score")
        .first()
    )
    now = calc.Reading(*row) if row else None
    kr.current_value = now.value if now else None
    kr.current_as_of = now.as_of if now else None
    kr.score = calc.score(kr.spec(), now)
    KeyResult.objects.filter(pk=kr.pk).update(
        current_value=kr.current_value, current_as_of=kr.current_as_of, score=kr.score
    )
    live = rescore_objective(kr.objective_id)
    signals.changed(kr.organization_id, "okrs.KeyResult", (kr.pk,))
    return live


# --- Changes carried through to the roll-up -------------------------------------------------


def rollup_inputs(kr: KeyResult) -> tuple:
    """What of ``kr`` the roll-up depends on (``ROLLUP_INPUTS``), to compare after a change."""
    return tuple(getattr(kr, name) for name in ROLLUP_INPUTS)


@transaction.atomic
def key_result_changed(kr: KeyResult, before: tuple | None) -> None:
    """Carry a new result, or an edit, archive or restore of ``kr`` through (``before``: its
    ``rollup_inputs`` before the change; None for a new result): re-score it from its
    check-ins, and recompute every period of its cycle of the measure it feeds and of the
    one it fed before. Every period of the cycle, not only those its check-ins fall in: its
    reading carries into the later ones, and in a score mean a result without check-ins
    counts as 0."""
    if before is None:
        rescore_objective(kr.objective_id)
        fed = [kr.measure_id]
    elif before == rollup_inputs(kr):
        return
    else:
        refresh_key_result(kr)
        fed = [before[ROLLUP_INPUTS.index("measure_id")], kr.measure_id]
    measure_ids = {measure_id for measure_id in fed if measure_id is not None}
    rollup.recompute_cycle(measure_ids, kr.objective.cycle, kr.organization)


@transaction.atomic
def objective_archive_changed(objective: OkrObjective) -> None:
    """Carry an archive or restore of an OKR objective through: its live results leave (or
    rejoin) the roll-up, so every period of its cycle of the measures they feed is
    recomputed."""
    rescore_objective(objective.pk)
    measure_ids = set(
        objective.key_results.filter(archived_at=None, measure__isnull=False).values_list(
            "measure_id", flat=True
        )
    )
    rollup.recompute_cycle(measure_ids, objective.cycle, objective.organization)


@transaction.atomic
def save_key_result(form: ModelForm, before: tuple | None) -> KeyResult:
    """Save a new or edited key result from its valid form and carry the change through
    (``before``: the result's ``rollup_inputs`` before the form was bound; None when new)."""
    saved = form.save()
    key_result_changed(saved, before)
    return saved


def _refuse_when_frozen(objective: OkrObjective) -> None:
    if Cycle.objects.get(pk=objective.cycle_id).is_closed:
        raise ArchiveRefused(gettext("The cycle is closed; its OKRs are frozen."))


@transaction.atomic
def archive_key_result(kr: KeyResult, *, restore: bool = False) -> None:
    """Archive (or restore) a key result: it leaves (or rejoins) its measure's roll-up.
    Refused once its cycle is closed."""
    _refuse_when_frozen(kr.objective)
    before = rollup_inputs(kr)
    kr.archived_at = None if restore else timezone.now()
    kr.save(update_fields=["archived_at"])
    key_result_changed(kr, before)


@transaction.atomic
def archive_objective(objective: OkrObjective, *, restore: bool = False) -> None:
    """Archive (or restore) an OKR objective with its results' share of the roll-up.
    Refused once its cycle is closed."""
    _refuse_when_frozen(objective)
    objective.archived_at = None if restore else timezone.now()
    objective.save(update_fields=["archived_at"])
    objective_archive_changed(objective)


def deletable(kr_or_objective: KeyResult | OkrObjective) -> str | None:
    """Why the item may not be deleted (only archived), or None when it may: a key result
    with check-ins, an objective one of whose key results has one or that other objectives
    align to. A closed cycle refuses both (``_refuse_when_frozen``)."""
    if isinstance(kr_or_objective, KeyResult):
        if CheckIn.objects.filter(key_result=kr_or_objective).exists():
            return (
                f"“{kr_or_objective.title}” has check-ins, so it cannot be deleted: "
                "archive it instead (its check-ins and history stay)."
            )
        return None
    if CheckIn.objects.filter(key_result__objective=kr_or_objective).exists():
        return (
            f"A key result of “{kr_or_objective.title}” has check-ins, so the objective cannot "
            "be deleted: archive it instead (its check-ins and history stay)."
        )
    if OkrObjective.objects.filter(parent=kr_or_objective).exists():
        return (
            f"Other objectives contribute to “{kr_or_objective.title}”: align them elsewhere "
            "first, or archive it instead."
        )
    return None


@transaction.atomic
def delete_key_result(kr: KeyResult) -> None:
    """Delete a key result that has no check-ins (a mistaken one): its historical record
    stays (simple_history records the deletion), its objective is re-scored and every
    period of its cycle of the measure it fed is recomputed. Refused (``DeleteRefused``)
    with check-ins, and once its cycle is closed."""
    objective = kr.objective
    _refuse_when_frozen(objective)
    reason = deletable(kr)
    if reason:
        raise DeleteRefused(reason)
    measure_id, pk = kr.measure_id, kr.pk
    kr.delete()
    rescore_objective(objective.pk)
    if measure_id is not None:
        rollup.recompute_cycle({measure_id}, objective.cycle, objective.organization)
    signals.changed(objective.organization_id, "okrs.KeyResult", (pk,))


@transaction.atomic
def delete_objective(objective: OkrObjective) -> None:
    """Delete an OKR objective none of whose key results has a check-in, with its key
    results (each keeps its historical record, as the objective does); the measures they
    fed are recomputed for every period of its cycle. Refused (``DeleteRefused``) otherwise,
    and once its cycle is closed."""
    _refuse_when_frozen(objective)
    reason = deletable(objective)
    if reason:
        raise DeleteRefused(reason)
    measure_ids = set(
        objective.key_results.filter(measure__isnull=False).values_list("measure_id", flat=True)
    )
    cycle, organization = objective.cycle, objective.organization
    for kr in objective.key_results.all():
        kr.delete()  # one by one: each records its deletion in the history
    objective.delete()
    rollup.recompute_cycle(measure_ids, cycle, organization)
    signals.changed(organization.pk, "okrs.KeyResult")


# --- Nightly --------------------------------------------------------------------------------


@transaction.atomic
def recompute_scores(organization: Organization) -> int:
    """Recompute every key result's current reading and score from its check-ins (frozen
    scores stay as they were closed) and every OKR objective's stored score; how many rows
    it changed. After any write through this module, ``checkins`` or ``review``, nothing."""
    # Oldest first, by result: the roll-up's own read.
    readings = rollup._readings(CheckIn.objects.filter(organization=organization))
    key_results = list(
        KeyResult.objects.filter(organization=organization).only(
            *SPEC_FIELDS,
            "objective_id",
            "archived_at",
            "weight",
            "score",
            "frozen_score",
            "current_value",
            "current_as_of",
        )
    )
    changed_krs = []
    by_objective: dict[int, list[KeyResult]] = {}
    for kr in key_results:
        now = calc.current(readings.get(kr.pk, []))
        fresh = (now.value if now else None, now.as_of if now else None, calc.score(kr.spec(), now))
        if fresh != (kr.current_value, kr.current_as_of, kr.score):
            kr.current_value, kr.current_as_of, kr.score = fresh
            changed_krs.append(kr)
        by_objective.setdefault(kr.objective_id, []).append(kr)
    changed_objectives = []
    for objective in OkrObjective.objects.filter(organization=organization).only("score"):
        score = objective_score_of(by_objective.get(objective.pk, []))
        if score != objective.score:
            objective.score = score
            changed_objectives.append(objective)
    KeyResult.objects.bulk_update(
        changed_krs, ["current_value", "current_as_of", "score"], batch_size=2000
    )
    OkrObjective.objects.bulk_update(changed_objectives, ["score"], batch_size=2000)
    if changed_krs or changed_objectives:
        signals.changed(organization.pk, "okrs.KeyResult")
    return len(changed_krs) + len(changed_objectives)
