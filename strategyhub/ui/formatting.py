"""Numbers as people read them: the one place a number is rounded for display.

Rules, models and stored values keep full precision (DESIGN.md §3); pages, charts' labels,
e-mails and the publication document's ``display`` strings round here, once, half up, with
the unit ``strategyhub.units`` says. A zero never shows as "−0", negatives use the minus
sign (U+2212), and a missing value is an em dash. Pure functions over Decimals: no Django,
no database.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import overload

from strategyhub import units

NO_VALUE = "—"
SCORE_DECIMALS = 2  # key-result and objective scores: 0.00–1.00


def quantize(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` places."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: Decimal, decimals: int, signed: bool = False) -> str:
    """``value`` with ``decimals`` places and thousands separators ("1,234.5", "−3.0");
    ``signed`` puts a "+" before positive values."""
    rounded = quantize(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0.0"
    text = f"{rounded:,.{decimals}f}"
    if signed and rounded > 0:
        text = "+" + text
    return text.replace("-", "−")


def format_percent_share(share: Decimal | None, decimals: int = 0) -> str:
    """A share (0.5) as a percentage ("50%"); None as an em dash."""
    if share is None:
        return NO_VALUE
    return format_number(share * 100, decimals) + "%"


@overload
def format_score(score: Decimal) -> str: ...
@overload
def format_score(score: None) -> None: ...
@overload
def format_score(score: Decimal | None) -> str | None: ...
def format_score(score: Decimal | None) -> str | None:
    """A 0–1 score with two places ("0.70"); None (no score) stays None, for the page or
    document to show its own mark for "no score" (the pages show an em dash)."""
    if score is None:
        return None
    return format_number(score, SCORE_DECIMALS)


def format_quantity(
    value: Decimal | None, decimals: int, unit_kind: str, rate_per: int | None = None
) -> str:
    """A measure's or key result's value with its unit (``strategyhub.units``): "45%" for a
    share, "+12%" / "−25%" for a change, "$1,200" / "−$5" for dollars, "8.2 min", "3.5 h",
    "2 days" ("1 day"), "3.1 per 100,000" for a rate (``rate_per``: its base), a count or a
    number plain; None as an em dash. A code outside the vocabulary shows the plain number."""
    if value is None:
        return NO_VALUE
    text = format_number(value, decimals, signed=units.is_signed(unit_kind))
    # "1 day", but "1.0 days", "0 days" and "2 days": the singular only for a plain one.
    before, after = units.affixes(unit_kind, rate_per, one=text.lstrip("+−") == "1")
    if before and text.startswith("−"):
        return f"−{before}{text[1:]}{after}"
    return f"{before}{text}{after}"


def format_plain(value: Decimal | None) -> str:
    """A Decimal as typed, for an input's value: 8.980000 → "8.98", 470.000000 → "470";
    None as an empty string."""
    if value is None:
        return ""
    return format(value.normalize(), "f")
