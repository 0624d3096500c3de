"""Cursor pagination: rows in id order, the cursor an opaque token of the last id seen.
Stable while rows are added (a new row has a higher id) and costs one query per page."""

from __future__ import annotations

import base64
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja.errors import HttpError

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode() + b"==").decode()
        value = int(text.removeprefix("id:"))
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "The cursor is not one this API gave out.") from None
    if value < 0:
        raise HttpError(400, "The cursor is not one this API gave out.")
    return value


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def page(
    queryset: QuerySet[M], cursor: str | None, limit: int, key: str = "pk"
) -> tuple[list[M], str | None]:
    """One page of ``queryset`` after ``cursor``, in ``key`` order (a unique integer
    field); the rows and the next page's cursor."""
    if cursor:
        queryset = queryset.filter(**{f"{key}__gt": _decode(cursor)})
    rows = list(queryset.order_by(key)[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, _encode(getattr(rows[-1], key))
    return rows, None


def result(items: list[Any], next_cursor: str | None) -> dict[str, Any]:
    return {"items": items, "next_cursor": next_cursor}
