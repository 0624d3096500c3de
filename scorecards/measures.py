"""Writes of measures: their values (the rules a measure value obeys, checked in one place
for the value form, the staff page and the check-in's roll-up), saving a measure's edit (and
telling the apps built on the scorecard when its roll-up settings changed), archiving,
deleting, and its yearly targets. The number rules themselves live in ``scorecards.calc``."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from scorecards import calc, signals, state
from scorecards.models import (
    Measure,
    MeasureTarget,
    MeasureValue,
    StrategicPlan,
    ValueOrigin,
)
from strategyhub import fiscal
from strategyhub.models import Organization, User

if TYPE_CHECKING:
    from django.forms import ModelForm

ROLLUP_FIELDS = Measure.ROLLUP_FIELDS
"""The fields that say how a calculated measure's values are made (``measure_rollup_changed``)."""


class ValueRefused(ValidationError):
    """A value the rules do not accept; carries field messages for the form."""


# --- Input bounds ---------------------------------------------------------------------------

TEXT_LIMIT = 2000
"""The longest note (of a measure value) or check-in text the forms accept; checked here and
in ``okrs.checkins.validate`` (not by the database) so imports and the API meet it too."""


def text_too_long(text: str, limit: int = TEXT_LIMIT) -> str | None:
    """The message for a text over ``limit`` characters, or None when it fits."""
    if len(text) <= limit:
        return None
    return f"Keep this to {limit:,} characters (it has {len(text):,})."


def out_of_bounds(measure: Measure, value: Decimal | None) -> str | None:
    """The message for a value or target of ``measure`` outside the bounds its unit allows
    (``strategyhub.units.out_of_bounds``: a share within 0–100 %, a count or a duration at
    least 0; a change in percent is unbounded) or its own (``Measure.min_value``/
    ``max_value``), else None: ``Measure.out_of_bounds``, the one rule."""
    return measure.out_of_bounds(value)


class MeasureInUse(ValidationError):
    """A measure that cannot be deleted (it has values); the message says what to do."""


# --- Values ---------------------------------------------------------------------------------


def value_window(plan: StrategicPlan, fiscal_start_month: int) -> tuple[dt.date, dt.date]:
    """Periods a plan accepts values for: one fiscal year of history before the plan (for
    the trend) through the plan's last fiscal year."""
    first = fiscal.fiscal_year(plan.first_fiscal_year - 1, fiscal_start_month).start
    return first, plan.end_date(fiscal_start_month)


def check_value(
    measure: Measure,
    *,
    plan: StrategicPlan,
    organization: Organization,
    period: dt.date,
    value: Decimal | None = None,
    note: str = "",
    source: str = ValueOrigin.ENTERED,
    today: dt.date | None = None,
) -> dt.date:
    """The start of the period a value for ``period`` is stored under, or ``ValueRefused``:
    a value typed into a calculated measure, a value outside its bounds (its unit's, e.g. a
    share within 0–100 %, and the measure's own: ``out_of_bounds``), a note
    over ``TEXT_LIMIT`` characters, a period outside the plan's window or one that has not
    started. The value form's ``clean()`` and ``store_value``
    both call this; only the one-value-per-period rule needs the locked row and is checked
    in ``store_value``."""
    today = today or organization.today()
    if measure.is_calculated and source != ValueOrigin.KEY_RESULTS:
        raise ValueRefused(
            {
                "value": gettext(
                    "This measure is calculated from its key results; it cannot be typed in."
                )
            }
        )
    errors: dict[str, str] = {}
    # A calculated value comes from check-ins already held to the unit's bounds; the
    # measure's own bounds hold for it too (a roll-up outside them is not stored).
    if source == ValueOrigin.KEY_RESULTS:
        refused = measure.bounds_message(value)
    else:
        refused = out_of_bounds(measure, value)
    if refused:
        errors["value"] = refused
    if too_long := text_too_long(note):
        errors["note"] = too_long
    if errors:
        raise ValueRefused(errors)
    frequency = fiscal.Frequency(measure.update_frequency)
    start = fiscal.period_start(period, frequency, organization.fiscal_year_start_month)
    first, last = value_window(plan, organization.fiscal_year_start_month)
    if start < first or start > last:
        raise ValueRefused(
            {"period": f"Choose a period between {first:%B %Y} and {last:%B %Y} (the plan)."}
        )
    if start > today:
        raise ValueRefused({"period": gettext("That period has not started yet.")})
    return start


def record_value(measure: Measure, **details: Any) -> MeasureValue:
    """Store the value of ``measure`` for the period containing ``period`` (the arguments of
    :func:`store_value`), in a transaction of its own.

    Refused: a value typed into a calculated measure, a period outside the plan or in the
    future, and a second value for a period unless ``correction`` is set (the old value then
    stays in the row's history).
    """
    with transaction.atomic():
        return store_value(measure, **details)


CORRECTED_FIELDS = ("value", "note", "source", "entered_by", "entered_at")


class Unread(enum.Enum):
    """``store_value``'s ``existing`` when the caller did not read the period's row."""

    UNREAD = "unread"


UNREAD = Unread.UNREAD


def store_value(
    measure: Measure,
    *,
    plan: StrategicPlan,
    organization: Organization,
    period: dt.date,
    value: Decimal,
    user: User | None,
    note: str = "",
    source: str = ValueOrigin.ENTERED,
    today: dt.date | None = None,
    correction: bool = False,
    existing: MeasureValue | Unread | None = UNREAD,
) -> MeasureValue:
    """``record_value`` for a caller already inside a transaction (the check-in's roll-up):
    no savepoint of its own. Every refusal is raised before anything is written; a
    ``correction`` replaces an existing value (kept in history), otherwise a second value for
    a period is refused.

    ``existing``: the period's row (or None: there is none) when the caller read it already,
    locked (``SELECT … FOR UPDATE``), in this transaction: the roll-up reads all of its
    measure's values at once. Left out, it is read here, locked."""
    start = check_value(
        measure,
        plan=plan,
        organization=organization,
        period=period,
        value=value,
        note=note,
        source=source,
        today=today,
    )
    frequency = fiscal.Frequency(measure.update_frequency)
    fy_month = organization.fiscal_year_start_month
    style = organization.fiscal_year_label_style
    if isinstance(existing, Unread):
        existing = (
            MeasureValue.objects.select_for_update().filter(measure=measure, period=start).first()
        )
    if existing is not None and not correction:
        raise ValueRefused(
            {
                "period": (
                    gettext(
                        "%(period_label)s already has a value (%(format)s); use “Correct” on "
                        "that row to change it."
                    )
                    % {
                        "period_label": fiscal.period_label(start, frequency, fy_month, style),
                        "format": measure.format(existing.value),
                    }
                )
            }
        )
    if existing is None:
        created = MeasureValue(organization=organization, measure=measure, period=start)
        created.value, created.note, created.source, created.entered_by = value, note, source, user
        created.save()
        return created
    if (existing.value, existing.note, existing.source) == (value, note, source):
        return existing  # a correction that changes nothing writes nothing (no history row)
    existing.measure = measure  # known already: the tenant check needs no query
    existing.value = value
    existing.note = note
    existing.source = source
    existing.entered_by = user
    # What a correction changes (the agency, measure and period stay): a shorter UPDATE
    # on the check-in's path (issue 17). ``entered_at`` moves with it (auto_now).
    existing.save(update_fields=CORRECTED_FIELDS)
    return existing


# --- The measure itself ---------------------------------------------------------------------


@transaction.atomic
def save_measure(form: ModelForm, before: tuple[Any, ...] | None) -> Measure:
    """Save a measure's valid form. ``before`` is the edited measure's ``rollup_settings()``
    read before the form was bound (None for a new measure): when the edit changed how a
    calculated measure's values are made (``ROLLUP_FIELDS``), ``measure_rollup_changed`` is
    sent inside the same transaction so its values are brought up to date with the edit."""
    saved = form.save()
    if before is not None and before != saved.rollup_settings() and saved.is_calculated:
        signals.measure_rollup_changed.send(sender=Measure, measure=saved)
    return saved


def archive_measure(measure: Measure, *, restore: bool = False) -> None:
    """Hide the measure from the scorecard, keeping everything (or, ``restore``, show it)."""
    measure.archived_at = None if restore else timezone.now()
    measure.save(update_fields=["archived_at"])


def delete_measure(measure: Measure) -> None:
    """Delete a measure that has no values yet; one with values is archived instead."""
    if measure.values.exists():
        raise MeasureInUse(
            gettext(
                "“%(name)s” has values and cannot be deleted; archive it instead "
                "(its series and history stay)."
            )
            % {"name": measure.name}
        )
    measure.delete()


def check_target(
    measure: Measure,
    floor: Decimal | None,
    stretch: Decimal | None = None,
    range_high: Decimal | None = None,
) -> None:
    """The rules of one fiscal year's target, or ``ValueRefused`` with a message per field:
    a stretch or upper end needs a floor, a stretch is more ambitious than the floor, a
    range's upper end is above its lower end, and the numbers lie within the measure's
    bounds (``out_of_bounds``: its unit's, e.g. a share within 0–100 %, and its own). The
    target form's ``clean()`` calls this (no floor at all clears the year)."""
    errors: dict[str, str] = {}
    if floor is None:
        if stretch is not None or range_high is not None:
            errors["floor"] = gettext("Enter the floor, or clear the whole year.")
        if errors:
            raise ValueRefused(errors)
        return
    if stretch is not None:
        better = stretch > floor if measure.polarity == calc.Polarity.HIGHER else stretch < floor
        if not better:
            errors["stretch"] = gettext("A stretch target is more ambitious than the floor.")
    if measure.polarity == calc.Polarity.RANGE and (range_high is None or range_high <= floor):
        errors["range_high"] = gettext("The upper end must be above the lower end.")
    for field, number in (("floor", floor), ("stretch", stretch), ("range_high", range_high)):
        if field not in errors and (message := out_of_bounds(measure, number)):
            errors[field] = message
    if errors:
        raise ValueRefused(errors)


@transaction.atomic
def save_yearly_targets(forms: Iterable[ModelForm]) -> None:
    """Save the valid forms of a measure's yearly targets (one per fiscal year of the plan):
    a year whose floor is cleared loses its stored target. The measure's stored state is
    refreshed once, at the end."""
    with state.batch():
        _save_targets(forms)


def _save_targets(forms: Iterable[ModelForm]) -> None:
    for form in forms:
        if form.cleaned_data.get("floor") is None:
            if form.instance.pk is not None:
                # Delete the stored row, not the form's instance (already blanked).
                MeasureTarget.objects.filter(pk=form.instance.pk).delete()
            continue
        form.save()
