"""The workbook contract: every sheet of an agency's export, and every column of each, in
one declarative table the exporter writes by, the templates are made from, the "Read me"
sheet is generated from, and the importer validates and maps by (docs/data.md).

Usage (the importer, the exporter, the templates)::

    from dataio import schema

    for sheet in schema.SHEETS:               # in dependency order: a sheet refers only to
        ...                                   # sheets before it (or to itself: parents)
    sheet = schema.sheet("Measures")          # by its name (KeyError if unknown)
    sheet.key                                 # the headers that identify a row: ("Key",),
                                              # ("Email",) or a natural key such as
                                              # ("Measure", "Period")
    sheet.column("Polarity").choices          # ("higher", "lower", "range")
    column.kind                               # Kind.TEXT / DECIMAL / INTEGER / DATE /
                                              # DATETIME / BOOL / CHOICE / EMAIL / REF / JSON
    column.ref                                # for Kind.REF: the sheet whose "Key" it names
    column.many                               # a list in one cell, joined by MANY_SEPARATOR
    column.field                              # the model field it maps to (a foreign key by
                                              # its name: "perspective", "owner")
    column.export_only                        # written by the app (a timestamp): exported,
                                              # read back only where the importer restores it
    sheet.importable                          # False for "Read me" and "Audit history"

Cell values: text as text (never a formula), numbers as numbers, dates as dates,
datetimes in UTC, booleans as TRUE/FALSE; a decimal with more significant digits than a
spreadsheet keeps (``EXACT_DIGITS``) is written as its exact text (``decimal_cell``), so
read a decimal cell with :func:`to_decimal`, which takes both. In the CSV format every cell
is text (``csv_text``); the CSV writer neutralises formula triggers (``strategyhub.csvsafe``,
undone by ``csvsafe.undo``).

Keys: a row of a sheet with a ``Key`` column is identified by it: the row's stable
per-agency ``external_key`` (``strategyhub.external_keys``; any text of at most
``KEY_LENGTH`` characters may be typed in a new row). Members are identified by email; rows
that are unique by their parent and a period (yearly targets, measure values, focus map,
frozen scores, reviews, publications, unit grants) by that natural key.
"""

from dataio.schema.cells import (
    csv_text,
    decimal_cell,
    join_many,
    significant_digits,
    split_many,
    to_decimal,
)
from dataio.schema.columns import (
    CELL_LIMIT,
    EXACT_DIGITS,
    KEY_LENGTH,
    KIND_TEXT,
    MANY_SEPARATOR,
    Column,
    Kind,
    Sheet,
)
from dataio.schema.sheets import BY_NAME, README, SHEETS, importable_sheets, sheet

__all__ = [
    "BY_NAME",
    "CELL_LIMIT",
    "EXACT_DIGITS",
    "KEY_LENGTH",
    "KIND_TEXT",
    "MANY_SEPARATOR",
    "README",
    "SHEETS",
    "Column",
    "Kind",
    "Sheet",
    "csv_text",
    "decimal_cell",
    "importable_sheets",
    "join_many",
    "sheet",
    "significant_digits",
    "split_many",
    "to_decimal",
]
