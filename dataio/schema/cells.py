"""Cell values of the workbook contract: exact decimals, CSV text, lists in one cell
(``dataio.schema``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from dataio.schema.columns import EXACT_DIGITS, MANY_SEPARATOR, Kind


def significant_digits(value: Decimal) -> int:
    digits = value.normalize().as_tuple().digits
    return len(digits)


def decimal_cell(value: Decimal | None) -> Decimal | str | None:
    """A decimal as a workbook cell: the number itself when a spreadsheet keeps it exactly
    (at most ``EXACT_DIGITS`` significant digits), else its exact text."""
    if value is None:
        return None
    if significant_digits(value) <= EXACT_DIGITS:
        return value.normalize() if value == value.to_integral_value() else value
    return format(value.normalize(), "f")


def to_decimal(value: Any) -> Decimal:
    """A decimal cell as read back (a number, or text as ``decimal_cell`` writes it):
    a float is read by its shortest text, which is the written number for up to
    ``EXACT_DIGITS`` significant digits. Raises ``InvalidOperation`` for anything else."""
    if isinstance(value, bool):
        raise InvalidOperation(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    text = str(value).strip().replace(",", "")
    if not text:
        raise InvalidOperation(value)
    return Decimal(text)


def csv_text(kind: Kind, value: Any) -> str:
    """A value as a CSV cell's text: ISO dates, UTC datetimes, TRUE/FALSE, exact decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def join_many(values: Iterable[str]) -> str:
    return MANY_SEPARATOR.join(sorted(values))


def split_many(text: str) -> list[str]:
    return [part.strip() for part in str(text or "").split(",") if part.strip()]
