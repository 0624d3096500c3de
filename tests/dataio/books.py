"""Workbooks for the import's tests: an agency's export, edited cell by cell, or a workbook
built from rows; and the import run on it in the agency's scope."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django_scopes import scope

from dataio import export
from dataio.importing import reader
from dataio.importing.importer import Outcome, import_book
from strategyhub.models import Organization, User


def exported(organization: Organization) -> bytes:
    out = io.BytesIO()
    with scope(organization=organization):
        export.write_workbook(organization, out)
    return out.getvalue()


def exported_zip(organization: Organization) -> bytes:
    out = io.BytesIO()
    with scope(organization=organization):
        export.write_zip(organization, out)
    return out.getvalue()


def built(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook with these sheets (each: its heading row, then its rows)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def only(data: bytes, *names: str) -> bytes:
    """The workbook with only the sheets ``names``."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for worksheet in list(workbook.worksheets):
        if worksheet.title not in names:
            workbook.remove(worksheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rows_of(data: bytes, sheet: str) -> list[dict[str, Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def edited(data: bytes, sheet: str, row: int, header: str, value: Any) -> bytes:
    """``data`` with the cell of ``header`` on spreadsheet row ``row`` of ``sheet`` set."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    worksheet = workbook[sheet]
    headings = [cell.value for cell in worksheet[1]]
    worksheet.cell(row=row, column=headings.index(header) + 1).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(
    organization: Organization,
    data: bytes,
    user: User | None = None,
    *,
    dry_run: bool = False,
    name: str = "agency.xlsx",
) -> Outcome:
    with reader.read(data, name) as book, scope(organization=organization):
        return import_book(organization, user, book, dry_run=dry_run)


def messages(outcome: Outcome) -> list[str]:
    return [str(problem) for problem in outcome.problems]
