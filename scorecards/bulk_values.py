"""Many values of many measures at once, all or nothing: the service behind the API's bulk
endpoint and (issue 20) the spreadsheet import's measure values.

Each row goes through ``scorecards.measures.store_value`` (the one set of value rules); the
whole batch is one transaction inside ``state.batch()``, so each touched measure's stored
state is refreshed once, at the end. If any row is refused nothing is stored and
``BulkRefused`` lists every refused row with its messages (row numbers from 0, in the order
given), so the caller can show them all at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from scorecards import measures as measure_writes
from scorecards import state
from scorecards.models import Measure, MeasureValue
from strategyhub.models import Organization, User


@dataclass(frozen=True)
class ValueRow:
    measure_id: int
    period: dt.date
    value: Decimal
    note: str = ""
    correction: bool = False


@dataclass(frozen=True)
class RowError:
    row: int
    errors: dict[str, list[str]]


class BulkRefused(Exception):
    """Some rows were refused; nothing was stored."""

    def __init__(self, rows: list[RowError]) -> None:
        super().__init__(f"{len(rows)} row(s) refused")
        self.rows = rows


UNKNOWN_MEASURE = "No such measure in this agency."


def store_values(
    organization: Organization,
    user: User | None,
    rows: Sequence[ValueRow],
    *,
    may_enter: Callable[[list[Measure]], set[int]] | None = None,
    today: dt.date | None = None,
) -> list[MeasureValue]:
    """Store every row or none (see the module docstring). ``may_enter`` gets the rows'
    measures and answers the ids the caller may enter values for (the others are refused
    row by row); the tenant scope must be open (another agency's measure is unknown)."""
    today = today or organization.today()
    ids = {row.measure_id for row in rows}
    found = Measure.objects.select_related("objective__plan").in_bulk(ids)
    allowed = may_enter(list(found.values())) if may_enter is not None else set(found)
    errors: list[RowError] = []
    stored: list[MeasureValue] = []
    with transaction.atomic(), state.batch():
        for index, row in enumerate(rows):
            measure = found.get(row.measure_id)
            if measure is None:
                errors.append(RowError(index, {"measure_id": [UNKNOWN_MEASURE]}))
                continue
            if measure.pk not in allowed:
                errors.append(
                    RowError(index, {"measure_id": ["You may not enter values for this measure."]})
                )
                continue
            measure.organization = organization  # known: spares the tenant check a query
            try:
                stored.append(
                    measure_writes.store_value(
                        measure,
                        plan=measure.objective.plan,
                        organization=organization,
                        period=row.period,
                        value=row.value,
                        user=user,
                        note=row.note,
                        today=today,
                        correction=row.correction,
                    )
                )
            except measure_writes.ValueRefused as refusal:
                errors.append(RowError(index, refusal.message_dict))
        if errors:
            raise BulkRefused(errors)  # rolls the transaction (and the batch) back
    return stored
