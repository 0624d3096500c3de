"""Check-ins: what a member reports on a key result, the rules an entry must meet (the one
place they live: the form's ``clean`` and every caller of ``record`` use ``validate``), and
recording it with everything it moves (the result's current value and score, the measure
it feeds) in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from okrs import calc, keyresults, rollup
from okrs.models import CheckIn, KeyResult
from scorecards.measures import TEXT_LIMIT, text_too_long
from scorecards.models import MeasureValue
from strategyhub import fiscal, units
from strategyhub.models import User
from strategyhub.ui import dates


@dataclass(frozen=True)
class CheckInEntry:
    """What a check-in reports (what the check-in form collects)."""

    as_of: dt.date
    value: Decimal | None = None
    done: bool | None = None
    rubric_score: Decimal | None = None
    confidence: int | None = None
    moved: str = ""
    blockers: str = ""
    next_step: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class CheckInOutcome:
    """A recorded check-in, and the value the roll-up stored for its period in the measure
    its result feeds (None when it feeds none or none was stored).

    What the save read, which the answer's card is drawn from instead of reading it again
    (None when not known, e.g. a replayed submit): ``objective_results``, the live results
    of the result's objective as the save re-scored them (``keyresults.rescore_objective``:
    score, frozen score, weight, owner); ``readings``, all of the result's check-ins
    (oldest first) when its measure's roll-up read them."""

    checkin: CheckIn
    measure_value: MeasureValue | None
    objective_results: list[KeyResult] | None = None
    readings: list[calc.Reading] | None = None


TEXT_FIELDS = ("moved", "blockers", "next_step", "evidence")
"""A check-in's free-text fields, each limited to ``TEXT_LIMIT`` characters."""


class CheckInRefused(ValidationError):
    """A check-in the rules refuse; carries field messages for the form."""


def validate(key_result: KeyResult, entry: CheckInEntry, *, today: dt.date) -> None:
    """Every rule an entry must meet: the result takes check-ins (not archived, its cycle
    not closed), the date lies in its cycle and not after ``today``, the fields its kind
    needs are given, a rubric score lies in 0–1 and a confidence in 0–10, the value lies
    within its unit's bounds (``strategyhub.units.out_of_bounds``: a share in 0–100 %, a
    count or a duration at least 0; a change in percent is unbounded) and each text field
    keeps to ``TEXT_LIMIT`` characters. Raises ``CheckInRefused`` with a message per field."""
    cycle = key_result.objective.cycle
    errors: dict[str, str] = {}
    if key_result.is_archived:
        errors[NON_FIELD_ERRORS] = gettext(
            "This key result is archived (or its objective is); restore it to check in."
        )
    if cycle.is_closed:
        errors["as_of"] = gettext("%(label)s is closed; its check-ins are frozen.") % {
            "label": cycle.label
        }
    elif not cycle.contains(entry.as_of):
        errors["as_of"] = gettext("Choose a date in %(cycle)s (%(start)s to %(end)s).") % {
            "cycle": cycle.label,
            "start": dates.month_day(cycle.start),
            "end": dates.full_date(cycle.end),
        }
    elif entry.as_of > today:
        errors["as_of"] = gettext("A check-in reports on the past: choose today or earlier.")
    kind = calc.Kind(key_result.kind)
    if kind in (calc.Kind.METRIC, calc.Kind.HOLD) and entry.value is None:
        errors["value"] = gettext("Enter the current value.")
    if kind == calc.Kind.MILESTONE and entry.done is None:
        errors["done"] = gettext("Say whether the milestone is done.")
    if kind == calc.Kind.QUALITATIVE:
        if entry.rubric_score is None:
            errors["rubric_score"] = gettext("Give a score from 0 to 1.")
        if not entry.evidence.strip():
            errors["evidence"] = gettext("A qualitative score needs written evidence.")
    if entry.rubric_score is not None and not 0 <= entry.rubric_score <= 1:
        errors["rubric_score"] = gettext("Give a score from 0 to 1.")
    if entry.confidence is not None and not 0 <= entry.confidence <= 10:
        errors["confidence"] = gettext("Give a confidence from 0 to 10.")
    out_of_bounds = units.out_of_bounds(key_result.unit_kind, entry.value)
    if out_of_bounds and "value" not in errors:
        errors["value"] = out_of_bounds
    for field in TEXT_FIELDS:
        if too_long := text_too_long(getattr(entry, field), TEXT_LIMIT):
            errors[field] = too_long
    if errors:
        raise CheckInRefused(errors)


@transaction.atomic
def record(
    key_result: KeyResult,
    by: User,
    entry: CheckInEntry,
    *,
    checkin: CheckIn | None = None,
    today: dt.date | None = None,
) -> CheckInOutcome:
    """Save a check-in (a new one, or an edit of ``checkin``, whose earlier version stays in
    history) after ``validate``, refresh the key result's current value and score, and
    recompute the measure it feeds in the same transaction."""
    organization = key_result.organization
    cycle = key_result.objective.cycle
    today = today or organization.today()
    validate(key_result, entry, today=today)
    if checkin is None:
        checkin = CheckIn(organization=organization, key_result=key_result)
    previous_as_of = checkin.as_of
    checkin.as_of = entry.as_of
    checkin.value = entry.value
    checkin.done = entry.done
    checkin.rubric_score = entry.rubric_score
    checkin.confidence = entry.confidence
    checkin.moved, checkin.blockers = entry.moved, entry.blockers
    checkin.next_step, checkin.evidence = entry.next_step, entry.evidence
    checkin.author = by
    is_new = checkin.pk is None
    checkin.save()
    if is_new:
        live = keyresults.advance_key_result(key_result, checkin)
    else:
        live = keyresults.refresh_key_result(key_result)  # an edit may move its date back
    measure = key_result.measure if key_result.measure_id else None
    if measure is None:
        return CheckInOutcome(checkin=checkin, measure_value=None, objective_results=live)
    # The result's reading carries into the later periods of its cycle: recompute from the
    # earliest period the check-in touched (its old date, for a correction) on.
    first = min(entry.as_of, previous_as_of or entry.as_of)
    frequency = measure.update_frequency
    read: rollup.Readings = {}
    stored = rollup.recompute_span(
        {measure.pk: frequency}, first, cycle.end, organization, read=read
    )
    period = fiscal.period_start(
        entry.as_of, fiscal.Frequency(frequency), organization.fiscal_year_start_month
    )
    return CheckInOutcome(
        checkin=checkin,
        measure_value=stored.get((measure.pk, period)),
        objective_results=live,
        readings=read.get(key_result.pk),  # None: it fed none of the periods recomputed
    )
