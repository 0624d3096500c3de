"""The "Read me" sheet of every export and template, generated from ``dataio.schema``:
what the workbook is, how keys work, and every sheet and column with its type, whether it
is required, its allowed values and what it means."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dataio import schema
from strategyhub.models import Organization

FORMAT_VERSION = "1"
TABLE_HEADER = ["Sheet", "Column", "Type", "Required", "Allowed values", "Description"]

INTRODUCTION = (
    "Each sheet holds one kind of item; its first row names the columns. Sheet and column "
    "names are fixed (never translated): keep them as they are.",
    "Every row has a key: the Key column (this agency's own stable key of the row), the "
    "email for members, or the columns named below for rows that are one per item and "
    "period. Importing a workbook updates the rows whose key exists and adds the others; "
    "importing the same file twice changes nothing.",
    "A reference column holds the Key of a row of another sheet (or of the same sheet, "
    "such as a unit's parent); people are named by their email.",
    "A workbook may hold only some sheets: one with only “Measure values” adds values.",
    "Dates are YYYY-MM-DD, times UTC. A number with more than 15 significant digits is "
    "written as text, so that it stays exact.",
    "“Audit history” is read only: history is dated when it happened and is never imported.",
)


def rows(organization: Organization | None, when: dt.datetime) -> Iterator[list[Any]]:
    """The sheet's rows: a title block, then one row per sheet and per column."""
    if organization is not None:
        yield [f"StrategyHub data of {organization.name}", organization.slug]
        yield ["Exported at (UTC)", when.astimezone(dt.UTC).replace(tzinfo=None)]
    else:
        yield ["StrategyHub import template"]
    yield ["Format version", FORMAT_VERSION]
    yield []
    for line in INTRODUCTION:
        yield [line]
    yield []
    yield TABLE_HEADER
    for sheet in schema.SHEETS:
        key = " + ".join(sheet.key) if sheet.key else "none (read only)"
        yield [sheet.name, "", "sheet", "", "", f"{sheet.description} Row key: {key}."]
        for column in sheet.columns:
            yield [
                sheet.name,
                column.header,
                column.type_text,
                "yes" if column.required else "",
                ", ".join(column.choices),
                column_description(column),
            ]


def column_description(column: schema.Column) -> str:
    text = column.description
    if column.export_only:
        text = f"{text} Set by StrategyHub, exported for the record.".strip()
    return text
