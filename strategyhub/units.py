"""The unit vocabulary: what the numbers of a measure or a key result are counted in.

One registry (``UNITS``) of our own, by code; the code is what ``Measure.unit_kind`` and
``KeyResult.unit_kind`` store. Pure Python: no Django, no database. Every rule about a unit
lives here, once: its display (name, symbol, sign, the base of a rate; the number itself is
rounded by ``strategyhub.ui.formatting``, the one place that rounds), its intrinsic bounds
(``out_of_bounds``, used by the measure services, the key-result model and the check-in
rules alike), and which units convert into which (``can_feed``, ``convert``, used by the
key-result model's feed check and by the roll-up).

Decisions (issue 16):

- Our own registry, not ``pint``: currency, the two kinds of percent and "per 100,000" are
  not physical units, and the vocabulary is small and closed.
- The vocabulary: ``number`` (a plain number: an index, a score), ``count`` (a count of
  things, never negative), ``percent`` (a *share* of a whole, 0–100 %; the code stayed, so
  rows stored before the vocabulary keep meaning a share), ``percent_change`` (a change in
  percent, unbounded, shown signed: "+12%", "−25%"), ``currency`` (US dollars, "$1,200"),
  ``minutes``, ``hours`` and ``days`` (durations, never negative) and ``rate`` (a rate per N,
  N being the row's ``rate_per``: 100, 1,000, 10,000, 100,000 or 1,000,000).
- Units of one *dimension* convert into each other: minutes ↔ hours ↔ days (factors 1, 60,
  1,440 to minutes), a rate per N ↔ a rate per M (by the ratio of the bases), and count ↔
  number (both plain quantities, 1:1: a count is a number that is never negative). Nothing
  else converts: a share is not a change, dollars are not a count. A key result may feed a
  measure only in a unit convertible to the measure's (``feed_refusal`` says why not).
- Conversion is exact Decimal arithmetic, never rounded here: multiplications first, one
  division last (hours → minutes and rate bases are exact; minutes → hours keeps the
  context's 28 significant digits). What is stored is rounded to the stored places by the
  caller (the roll-up), what is shown by the display.
- Intrinsic bounds: a count and a duration are at least 0, a share lies in 0–100; number,
  change, currency and rate have none (a measure may add its own, ``Measure.min_value``
  and ``max_value``).
- Display: "45%" (share), "+12%" / "−25%" / "0%" (change), "$1,200" and "−$5" (currency),
  "8.2 min", "3.5 h", "2 days" (and "1 day": a value shown as exactly one takes the
  unit's singular; "min" and "h" have none), "3.1 per 100,000", count and number plain.
  The symbol follows the number, except the dollar sign, which follows the minus sign.
- Free-text unit labels are gone; migrations scorecards 0008 and okrs 0005 mapped the old
  labels to this vocabulary and listed every label they dropped or re-read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class UnitKind(StrEnum):
    """The codes of the vocabulary, as stored in ``unit_kind``."""

    NUMBER = "number"
    COUNT = "count"
    PERCENT = "percent"  # a share of a whole, 0–100 %
    PERCENT_CHANGE = "percent_change"
    CURRENCY = "currency"
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    RATE = "rate"


class Dimension(StrEnum):
    """What a unit measures: units of one dimension convert into each other."""

    QUANTITY = "quantity"
    SHARE = "share"
    CHANGE = "change"
    MONEY = "money"
    DURATION = "duration"  # base: minutes
    RATE = "rate"  # base: per one


CODE_LENGTH = 16
"""The longest code the ``unit_kind`` columns hold (``percent_change`` has 14)."""

RATE_BASES = (100, 1_000, 10_000, 100_000, 1_000_000)
"""The bases a rate is offered in ("per 100,000"); any positive base converts."""

ZERO = Decimal(0)
NOT_NEGATIVE = "{what} is never negative: enter 0 or more."


@dataclass(frozen=True)
class UnitOfMeasure:
    """One unit of the vocabulary (not an organisational ``strategyhub.models.Unit``)."""

    code: UnitKind
    group: str  # the heading of its options in the unit select
    label: str | Promise  # its option in the select (translated when shown)
    name: str  # in a sentence: "That measure is in minutes"
    short: str  # after an input's label: "Current value (min)"
    symbol: str  # shown with values: after them, a dollar sign before them; "" for none
    dimension: Dimension
    factor: int = 1  # how many of the dimension's base unit one of it is (durations)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    bounds_text: str = ""  # the refusal of a value outside ``minimum``–``maximum``
    signed: bool = False  # "+12%": a change shows its sign
    symbol_first: bool = False  # "$1,200"
    spaced: bool = False  # "8.2 min", not "8.2min"
    singular: str = ""  # the symbol after a value shown as exactly one ("1 day"); "": ``symbol``


DURATION_BOUNDS_TEXT = NOT_NEGATIVE.format(what="A duration")

UNITS: dict[str, UnitOfMeasure] = {
    u.code.value: u
    for u in (
        UnitOfMeasure(
            UnitKind.NUMBER,
            "Numbers",
            _("Number (an index, a score)"),
            "number",
            "number",
            "",
            Dimension.QUANTITY,
        ),
        UnitOfMeasure(
            UnitKind.COUNT,
            "Numbers",
            _("Count of things (never negative)"),
            "count",
            "count",
            "",
            Dimension.QUANTITY,
            minimum=ZERO,
            bounds_text=NOT_NEGATIVE.format(what="A count"),
        ),
        UnitOfMeasure(
            UnitKind.PERCENT,
            "Percent",
            _("Percent — share of a whole (0–100%)"),
            "percent (a share of a whole)",
            "%",
            "%",
            Dimension.SHARE,
            minimum=ZERO,
            maximum=Decimal(100),
            bounds_text="A percentage is a share of a whole: enter a value from 0% to 100%.",
        ),
        UnitOfMeasure(
            UnitKind.PERCENT_CHANGE,
            "Percent",
            _("Percent — change (+/−)"),
            "percent change",
            "% change",
            "%",
            Dimension.CHANGE,
            signed=True,
        ),
        UnitOfMeasure(
            UnitKind.CURRENCY,
            "Money",
            _("Currency — US dollars"),
            "US dollars",
            "$",
            "$",
            Dimension.MONEY,
            symbol_first=True,
        ),
        UnitOfMeasure(
            UnitKind.MINUTES,
            "Duration",
            _("Duration — minutes"),
            "minutes",
            "min",
            "min",
            Dimension.DURATION,
            factor=1,
            spaced=True,
            minimum=ZERO,
            bounds_text=DURATION_BOUNDS_TEXT,
        ),
        UnitOfMeasure(
            UnitKind.HOURS,
            "Duration",
            _("Duration — hours"),
            "hours",
            "h",
            "h",
            Dimension.DURATION,
            factor=60,
            spaced=True,
            minimum=ZERO,
            bounds_text=DURATION_BOUNDS_TEXT,
        ),
        UnitOfMeasure(
            UnitKind.DAYS,
            "Duration",
            _("Duration — days"),
            "days",
            "days",
            "days",
            Dimension.DURATION,
            factor=1440,
            spaced=True,
            singular="day",
            minimum=ZERO,
            bounds_text=DURATION_BOUNDS_TEXT,
        ),
        UnitOfMeasure(
            UnitKind.RATE,
            "Rate",
            _("Rate per N (choose the base)"),
            "rate per N",
            "per N",
            "per N",
            Dimension.RATE,
            spaced=True,
        ),
    )
}


def _choices() -> list[tuple[str, list[tuple[str, str | Promise]]]]:
    groups: dict[str, list[tuple[str, str | Promise]]] = {}
    for u in UNITS.values():
        groups.setdefault(u.group, []).append((u.code.value, u.label))
    return list(groups.items())


CHOICES = _choices()
"""The vocabulary as grouped choices, for the ``unit_kind`` model fields and their select."""

RATE_BASE_CHOICES = [(base, f"per {base:,}") for base in RATE_BASES]


def lookup(code: str) -> UnitOfMeasure | None:
    """The unit of ``code``, or None for a code outside the vocabulary (an old document's)."""
    return UNITS.get(code)


def needs_base(code: str) -> bool:
    """Whether values in ``code`` need a base ("per 100,000"): a rate."""
    return code == UnitKind.RATE


def is_share(code: str) -> bool:
    """Whether ``code`` is a share of a whole (0–100 %)."""
    unit = lookup(code)
    return unit is not None and unit.dimension == Dimension.SHARE


def _per(rate_per: int | None) -> str:
    return f"per {rate_per:,}" if rate_per else "per N"


def describe(code: str, rate_per: int | None = None) -> str:
    """The unit in a sentence: "minutes", "percent change", "rate per 100,000"."""
    unit = lookup(code)
    if unit is None:
        return code
    if needs_base(code):
        return f"rate {_per(rate_per)}"
    return unit.name


def short_label(code: str, rate_per: int | None = None) -> str:
    """The unit after an input's label: "min", "%", "per 100,000", "count"."""
    unit = lookup(code)
    if unit is None:
        return code
    return _per(rate_per) if needs_base(code) else unit.short


def affixes(code: str, rate_per: int | None = None, *, one: bool = False) -> tuple[str, str]:
    """What is shown before and after a value of ``code``: ("$", ""), ("", "%"),
    ("", " min"), ("", " per 100,000"); ("", "") for plain numbers and unknown codes. The
    part before follows the value's sign ("−$5"). ``one``: the value is shown as exactly
    one, which a unit with a singular takes ("1 day"; "1 min" and "1 h" stay)."""
    unit = lookup(code)
    if unit is None or not unit.symbol:
        return "", ""
    symbol = unit.singular if one and unit.singular else unit.symbol
    if needs_base(code):
        if not rate_per:
            return "", ""
        symbol = _per(rate_per)
    if unit.symbol_first:
        return symbol, ""
    return "", (" " if unit.spaced else "") + symbol


def is_signed(code: str) -> bool:
    """Whether positive values of ``code`` show a "+" (a change: "+12%")."""
    unit = lookup(code)
    return unit is not None and unit.signed


# --- Bounds ---------------------------------------------------------------------------------


def out_of_bounds(code: str, value: Decimal | None) -> str | None:
    """The message for ``value`` outside the bounds its unit allows (a count or a duration
    below 0, a share outside 0–100), or None when it is inside, missing or unbounded."""
    unit = lookup(code)
    if unit is None or value is None:
        return None
    if (unit.minimum is not None and value < unit.minimum) or (
        unit.maximum is not None and value > unit.maximum
    ):
        return unit.bounds_text
    return None


# --- Conversion -----------------------------------------------------------------------------


def can_feed(source: str, target: str) -> bool:
    """Whether values in unit ``source`` convert into unit ``target`` (same dimension; a
    rate's bases are checked where they are required, by the models)."""
    a, b = lookup(source), lookup(target)
    return a is not None and b is not None and a.dimension == b.dimension


def _scale(code: str, rate_per: int | None) -> tuple[int, int] | None:
    """One of ``code`` in its dimension's base unit, as a fraction (numerator, denominator):
    an hour is 60/1 minutes, a rate per 1,000 is 1/1,000 per one; None for a rate without a
    base."""
    unit = UNITS[code]
    if needs_base(code):
        return (1, rate_per) if rate_per else None
    return unit.factor, 1


def convert(
    value: Decimal,
    *,
    source: str,
    target: str,
    source_base: int | None = None,
    target_base: int | None = None,
) -> Decimal | None:
    """``value`` in unit ``source`` (``source_base``: a rate's base) expressed in unit
    ``target``: exact Decimal arithmetic, multiplications first and one division last, no
    rounding. None when the units do not convert (``can_feed``) or a rate lacks its base.
    A unit of the same size (the same unit, count and number) returns ``value`` itself."""
    if not can_feed(source, target):
        return None
    from_scale, to_scale = _scale(source, source_base), _scale(target, target_base)
    if from_scale is None or to_scale is None:
        return None
    if from_scale == to_scale:
        return value
    from_num, from_den = from_scale
    to_num, to_den = to_scale
    numerator = value * from_num * to_den
    denominator = Decimal(from_den * to_num)
    return numerator if denominator == 1 else numerator / denominator


def feed_refusal(
    source: str, target: str, *, source_base: int | None = None, target_base: int | None = None
) -> str | None:
    """Why a key result in unit ``source`` cannot feed a measure in unit ``target`` (both
    named, with what would do), or None when it can."""
    if can_feed(source, target):
        return None
    unit = lookup(target)
    fits = [describe(u.code) for u in UNITS.values() if unit and u.dimension == unit.dimension]
    if needs_base(target):
        fits = ["a rate per any base"]
    return (
        f"That measure is in {describe(target, target_base)} and this result in "
        f"{describe(source, source_base)}, which does not convert to it: a result feeds a "
        f"measure in {', '.join(fits) or 'its unit'}."
    )
