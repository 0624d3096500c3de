"""The API's request and response shapes (they make the OpenAPI document).

Numbers are JSON numbers (measure values are stored with six decimals; a client that needs
every digit can send a string, which is accepted too). Dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, PlainSerializer

Number = Annotated[Decimal, PlainSerializer(float, return_type=float)]


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class Page(Schema):
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page."
    )


class PlanOut(Schema):
    id: int
    title: str
    mission: str
    vision: str
    status: str
    first_fiscal_year: int
    last_fiscal_year: int
    updated_at: dt.datetime = Field(
        description="Moved by every write of the item (`updated_since`)."
    )


class PlanPage(Page):
    items: list[PlanOut]


class PerspectiveOut(Schema):
    id: int
    plan_id: int
    name: str
    description: str
    order: int
    updated_at: dt.datetime = Field(
        description="Moved by every write of the item (`updated_since`)."
    )


class PerspectivePage(Page):
    items: list[PerspectiveOut]


class ThemeOut(Schema):
    id: int
    plan_id: int
    name: str
    description: str
    order: int
    updated_at: dt.datetime = Field(
        description="Moved by every write of the item (`updated_since`)."
    )


class ThemePage(Page):
    items: list[ThemeOut]


class ObjectiveOut(Schema):
    id: int
    plan_id: int
    perspective_id: int
    theme_id: int | None
    unit_id: int | None
    owner_id: int | None
    title: str
    description: str
    archived: bool
    updated_at: dt.datetime = Field(
        description="Moved by every write of the item (`updated_since`)."
    )


class ObjectivePage(Page):
    items: list[ObjectiveOut]


class YearlyTarget(Schema):
    fiscal_year: int
    floor: Number
    stretch: Number | None
    range_high: Number | None


class MeasureOut(Schema):
    id: int
    objective_id: int
    perspective_id: int
    name: str
    unit_kind: str
    polarity: str
    update_frequency: str
    value_source: str = Field(description="`entered` or `key_results` (calculated: 409 on write).")
    owner_id: int | None
    unit_id: int | None
    baseline_value: Number
    target_value: Number | None
    status: str = Field(description="The status the scorecard pages show.")
    status_label: str
    latest_period: dt.date | None
    latest_value: Number | None
    due_now_low: Number | None = Field(description="The target due today (a point: low = high).")
    due_now_high: Number | None
    yearly_targets: list[YearlyTarget]
    archived: bool
    updated_at: dt.datetime = Field(
        description="The latest of the measure's own, its stored state's (latest value, "
        "status against its period's target) and its yearly targets' update times."
    )


class MeasurePage(Page):
    items: list[MeasureOut]


class ValueOut(Schema):
    id: int
    measure_id: int
    period: dt.date
    value: Number
    note: str
    source: str
    entered_by_id: int | None
    updated_at: dt.datetime


class ValuePage(Page):
    items: list[ValueOut]


class CycleOut(Schema):
    id: int
    kind: str
    label: str
    fiscal_year: int
    quarter: int | None
    start: dt.date
    end: dt.date
    status: str
    updated_at: dt.datetime = Field(
        description="Moved by every write of the item (`updated_since`)."
    )


class CyclePage(Page):
    items: list[CycleOut]


class OkrObjectiveOut(Schema):
    id: int
    cycle_id: int
    level: str
    unit_id: int | None
    owner_id: int | None
    strategic_objective_id: int | None
    parent_id: int | None
    title: str
    status: str
    score: Number | None
    archived: bool
    updated_at: dt.datetime = Field(
        description="Moved by every write of the item (`updated_since`)."
    )


class OkrObjectivePage(Page):
    items: list[OkrObjectiveOut]


class KeyResultOut(Schema):
    id: int
    objective_id: int
    cycle_id: int
    title: str
    kind: str
    owner_id: int | None
    measure_id: int | None
    start_value: Number | None
    target_value: Number | None
    current_value: Number | None
    current_as_of: dt.date | None
    score: Number
    status: str
    status_label: str
    archived: bool
    updated_at: dt.datetime = Field(
        description="Moved by every write of the item (`updated_since`)."
    )


class KeyResultPage(Page):
    items: list[KeyResultOut]


class CheckInOut(Schema):
    id: int
    key_result_id: int
    as_of: dt.date
    value: Number | None
    done: bool | None
    rubric_score: Number | None
    confidence: int | None
    moved: str
    blockers: str
    next_step: str
    evidence: str
    author_id: int | None
    updated_at: dt.datetime


class TombstoneOut(Schema):
    kind: str
    object_id: int
    deleted_at: dt.datetime
    reason: str = Field(
        description="`deleted`; `archived` (gone again once restored); `deactivated` (a person)."
    )


class TombstonePage(Page):
    items: list[TombstoneOut]


class CheckInPage(Page):
    items: list[CheckInOut]


class UnitOut(Schema):
    id: int
    parent_id: int | None
    name: str
    kind: str
    updated_at: dt.datetime = Field(
        description="Moved by every write of the item (`updated_since`)."
    )


class UnitPage(Page):
    items: list[UnitOut]


class OwnerOut(Schema):
    id: int = Field(description="The person's id (the `owner_id` of items).")
    name: str
    role: str
    email: str | None = Field(None, description="Only for an admin's token.")
    updated_at: dt.datetime = Field(description="Moved by a change of role, name or email.")


class OwnerPage(Page):
    items: list[OwnerOut]


# --- writes ---------------------------------------------------------------------------------


class ValueIn(Schema):
    period: dt.date = Field(description="Any day of the period (stored under its first day).")
    value: Decimal
    note: str = ""
    correction: bool = Field(False, description="Replace the period's existing value.")


class BulkValueIn(ValueIn):
    measure_id: int


MAX_BULK = 1000


class BulkIn(Schema):
    values: list[BulkValueIn] = Field(min_length=1, max_length=MAX_BULK)


class BulkOut(Schema):
    stored: int
    values: list[ValueOut]


class RowError(Schema):
    row: int
    errors: dict[str, list[str]]


class BulkRefused(Schema):
    detail: str
    rows: list[RowError]


class CheckInIn(Schema):
    as_of: dt.date
    value: Decimal | None = None
    done: bool | None = None
    rubric_score: Decimal | None = None
    confidence: int | None = None
    moved: str = ""
    blockers: str = ""
    next_step: str = ""
    evidence: str = ""


class CheckInResult(Schema):
    checkin: CheckInOut
    key_result: KeyResultOut
    measure_value: ValueOut | None
