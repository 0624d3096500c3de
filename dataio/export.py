"""The export of everything an agency owns (docs/data.md): one workbook (``write_workbook``,
openpyxl in write-only mode, so a large agency streams through in constant memory) or a zip
of one CSV per sheet (``write_zip``), both laid out by ``dataio.schema`` and read by
``dataio.queries``.

Cells are typed explicitly: text is always text (a text starting with "=" is written as a
string cell, never a formula), numbers are numbers, dates are dates, datetimes are UTC
(a workbook cannot hold a time zone; it keeps milliseconds), booleans are booleans. A
decimal with more significant digits than a spreadsheet number keeps exactly (15) is
written as its exact text (``schema.decimal_cell``), so no export rounds a value.
Characters a workbook cannot hold (control characters other than tab and line breaks) are
left out of the workbook's text; the CSV format keeps them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils import timezone
from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from dataio import queries, readme, schema
from strategyhub import csvsafe
from strategyhub.models import Organization

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
HEADER_FONT = Font(bold=True)


def filename(organization: Organization, fmt: str, when: dt.datetime | None = None) -> str:
    when = when or timezone.now()
    return f"{organization.slug}-data-{when:%Y-%m-%d}.{fmt}"


def sheets() -> Iterator[schema.Sheet]:
    """The sheets of an export, in the schema's order (a sheet after those it refers to)."""
    yield from schema.SHEETS


def workbook_value(kind: schema.Kind, value: Any) -> Any:
    """A database value as the value of a workbook cell of a column of ``kind``."""
    if value is None or value == "":
        return None  # an empty cell (the import reads it as empty text or no value)
    if kind == schema.Kind.DECIMAL:
        return schema.decimal_cell(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _cell(worksheet: WriteOnlyWorksheet, kind: schema.Kind, value: Any) -> Any:
    value = workbook_value(kind, value)
    if isinstance(value, str) and value.startswith("="):
        # openpyxl reads a string starting with "=" as a formula: force a string cell.
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, str) and kind == schema.Kind.DECIMAL:
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"  # an exact decimal kept as its text ("0.6666666666666667")
        return cell
    return value


def _header(worksheet: WriteOnlyWorksheet, headers: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for text in headers:
        cell = WriteOnlyCell(worksheet, value=text)
        cell.font = HEADER_FONT
        cells.append(cell)
    return cells


def write_workbook(organization: Organization, out: str | IO[bytes]) -> None:
    """The agency's whole export as an .xlsx workbook written to ``out`` (a path or a
    binary file)."""
    workbook = Workbook(write_only=True)
    with scope(organization=organization):
        info = workbook.create_sheet(schema.README)
        for row in readme.rows(organization, timezone.now()):
            info.append(row)
        for sheet in sheets():
            worksheet = workbook.create_sheet(sheet.name)
            worksheet.freeze_panes = "A2"
            worksheet.append(_header(worksheet, sheet.headers))
            kinds = [column.kind for column in sheet.columns]
            for row in queries.rows(sheet, organization):
                worksheet.append(
                    [_cell(worksheet, kind, value) for kind, value in zip(kinds, row, strict=True)]
                )
    workbook.save(out)


def csv_text(sheet: schema.Sheet, rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    kinds = [column.kind for column in sheet.columns]
    for row in rows:
        yield [_csv_value(kind, value) for kind, value in zip(kinds, row, strict=True)]


def _csv_value(kind: schema.Kind, value: Any) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return schema.csv_text(kind, value)


def write_zip(organization: Organization, out: str | IO[bytes]) -> None:
    """The agency's whole export as a zip of one CSV per sheet ("Measures.csv", …), each
    UTF-8 with a BOM and written through ``strategyhub.csvsafe``."""
    with (
        scope(organization=organization),
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        _write_csv(archive, schema.README, readme.rows(organization, timezone.now()))
        for sheet in sheets():
            _write_csv(
                archive,
                sheet.name,
                [list(sheet.headers), *csv_text(sheet, queries.rows(sheet, organization))],
            )


def _write_csv(archive: zipfile.ZipFile, name: str, rows: Iterable[list[Any]]) -> None:
    with (
        archive.open(f"{name}.csv", "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
    ):
        writer = csvsafe.writer(text, bom=True)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])


def write(organization: Organization, fmt: str, out: str | IO[bytes]) -> None:
    if fmt == "xlsx":
        write_workbook(organization, out)
    elif fmt == "zip":
        write_zip(organization, out)
    else:
        raise ValueError(f"Unknown export format {fmt!r} (xlsx or zip).")
