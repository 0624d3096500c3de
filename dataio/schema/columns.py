"""The workbook contract's building blocks: the kinds of cell, a column, a sheet
(``dataio.schema``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache

KEY_LENGTH = 40
MANY_SEPARATOR = ", "
EXACT_DIGITS = 15  # significant digits a spreadsheet's number (an IEEE double) always keeps
CELL_LIMIT = 32_767  # the most characters an Excel cell holds


class Kind(enum.StrEnum):
    TEXT = "text"
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    CHOICE = "choice"
    EMAIL = "email"  # a person, by the email of their account
    REF = "reference"  # the Key of a row of another sheet (or of the same one)
    JSON = "json"


KIND_TEXT = {
    Kind.TEXT: "text",
    Kind.DECIMAL: "number",
    Kind.INTEGER: "whole number",
    Kind.DATE: "date (YYYY-MM-DD)",
    Kind.DATETIME: "date and time, UTC (YYYY-MM-DD HH:MM:SS)",
    Kind.BOOL: "TRUE or FALSE",
    Kind.CHOICE: "one of the allowed values",
    Kind.EMAIL: "email address of a member",
    Kind.REF: "the Key of a row",
    Kind.JSON: "JSON text",
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the model field (a foreign key by its name)
    kind: Kind
    required: bool = False
    description: str = ""
    ref: str | None = None  # Kind.REF: the sheet whose key it names
    many: bool = False  # several values in one cell, joined by MANY_SEPARATOR
    model_choices: tuple[str, str] | None = None  # ("app.Model", "field") to read choices
    fixed_choices: tuple[str, ...] = ()
    source: str | None = None  # the export's ``values()`` lookup, when not ``field``
    export_only: bool = False
    max_length: int | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        if self.fixed_choices:
            return self.fixed_choices
        if self.model_choices:
            return _model_choices(*self.model_choices)
        if self.kind == Kind.BOOL:
            return ("TRUE", "FALSE")
        return ()

    @property
    def lookup(self) -> str:
        """What the exporter reads with ``values()``."""
        if self.source:
            return self.source
        if self.kind == Kind.REF:
            return f"{self.field}__external_key"
        if self.kind == Kind.EMAIL:
            return f"{self.field}__email"
        return self.field

    @property
    def type_text(self) -> str:
        text = KIND_TEXT[self.kind]
        if self.kind == Kind.REF and self.ref:
            text = f"the Key of a row of “{self.ref}”"
        if self.many:
            text = f"a list ({text}s separated by “{MANY_SEPARATOR.strip()} ”)"
        return text


@dataclass(frozen=True)
class Sheet:
    name: str
    model: str  # "app_label.ModelName" of the rows (the main model for derived sheets)
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("Key",)
    importable: bool = True
    order_by: tuple[str, ...] = ("pk",)

    def column(self, header: str) -> Column:
        for column in self.columns:
            if column.header == header:
                return column
        raise KeyError(f"{self.name} has no column {header!r}")

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.required)


@cache
def _model_choices(label: str, name: str) -> tuple[str, ...]:
    from django.apps import apps

    model_field = apps.get_model(label)._meta.get_field(name)
    return tuple(str(value) for value, _ in model_field.flatchoices if value != "")
