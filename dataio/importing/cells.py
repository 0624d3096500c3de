"""One cell as the workbook contract's column says it must be (``dataio.schema.Kind``).

A workbook cell may arrive as a number, a date or text (a CSV cell is always text); each
converter takes all of them and answers the Python value, or raises :class:`CellError`
with what was expected. Empty cells are ``None`` before they get here.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext

from dataio import schema
from dataio.schema import Kind

TRUE = {"true", "yes", "1", "y"}
FALSE = {"false", "no", "0", "n"}


class CellError(ValueError):
    """The cell's value does not fit its column; the message says what was expected."""


def convert(column: schema.Column, raw: Any) -> Any:
    """The value of a non-empty cell of ``column`` (a list for a column of several)."""
    if column.many:
        return [one(column, part) for part in schema.split_many(text(raw))]
    return one(column, raw)


def one(column: schema.Column, raw: Any) -> Any:
    kind = column.kind
    if kind == Kind.TEXT:
        return text(raw)
    if kind == Kind.DECIMAL:
        return decimal(raw)
    if kind == Kind.INTEGER:
        return integer(raw)
    if kind == Kind.DATE:
        return date(raw)
    if kind == Kind.DATETIME:
        return datetime(raw)
    if kind == Kind.BOOL:
        return boolean(raw)
    if kind == Kind.CHOICE:
        return choice(column, raw)
    if kind == Kind.EMAIL:
        return email(raw)
    if kind == Kind.REF:
        return text(raw)
    if kind == Kind.JSON:
        try:
            return json.loads(text(raw))
        except ValueError:
            raise CellError(gettext("Expected JSON text.")) from None
    raise CellError(
        gettext("Unknown column kind %(kind)s.") % {"kind": kind}
    )  # pragma: no cover - the schema's kinds


def text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()
    return str(raw)


def decimal(raw: Any) -> Decimal:
    try:
        value = schema.to_decimal(raw)
    except (InvalidOperation, ValueError, TypeError):
        raise CellError(gettext("Expected a number.")) from None
    if not value.is_finite():
        raise CellError(gettext("Expected a number."))
    return value


def integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError(gettext("Expected a whole number."))
    try:
        value = schema.to_decimal(raw)
    except (InvalidOperation, ValueError, TypeError):
        raise CellError(gettext("Expected a whole number.")) from None
    if not value.is_finite() or value != value.to_integral_value():
        raise CellError(gettext("Expected a whole number."))
    return int(value)


def date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    value = text(raw).strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise CellError(gettext("Expected a date (YYYY-MM-DD).")) from None


def datetime(raw: Any) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, dt.date):
        value = dt.datetime(raw.year, raw.month, raw.day)
    else:
        try:
            value = dt.datetime.fromisoformat(text(raw).strip())
        except ValueError:
            raise CellError(
                gettext("Expected a date and time (YYYY-MM-DD HH:MM:SS, UTC).")
            ) from None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


def boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = text(raw).strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(gettext("Expected TRUE or FALSE."))


def choice(column: schema.Column, raw: Any) -> str:
    value = text(raw).strip()
    allowed = column.choices
    for option in allowed:
        if option.lower() == value.lower():
            return option
    raise CellError(gettext("Expected one of: %(choices)s.") % {"choices": ", ".join(allowed)})


def email(raw: Any) -> str:
    value = text(raw).strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(gettext("Expected an email address.")) from None
    return value
