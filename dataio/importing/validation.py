"""The workbook's shape against the contract (``dataio.schema``) before any row is read:
every sheet known, every heading a column of its sheet, the key and required columns there.

"Read me" and "Audit history" are the export's own (read only) and are skipped.
"""

from __future__ import annotations

from dataio import schema
from dataio.importing.problems import Problems
from dataio.importing.reader import Book
from dataio.importing.reader import Sheet as ReadSheet

SKIPPED = {schema.README.lower()} | {s.name.lower() for s in schema.SHEETS if not s.importable}


def check_structure(book: Book, problems: Problems) -> list[tuple[schema.Sheet, ReadSheet]]:
    """The workbook's importable sheets in the contract's order (references point back)."""
    known = {spec.name.lower(): spec for spec in schema.importable_sheets()}
    found: dict[str, ReadSheet] = {}
    for name, sheet in book.sheets.items():
        if name.lower() in SKIPPED:
            continue
        spec = known.get(name.lower())
        if spec is None:
            problems.add(
                "Unknown sheet. The sheets an import reads are: "
                + ", ".join(s.name for s in schema.importable_sheets())
                + ".",
                sheet=name,
            )
            continue
        if not sheet.headings and not sheet.count:
            continue  # an empty sheet (a template's unused tab) changes nothing
        check_headings(spec, sheet, problems)
        found[spec.name] = sheet
    if not found and not problems:
        problems.add(
            "The workbook has no sheet to import (the sheets are: "
            + ", ".join(s.name for s in schema.importable_sheets())
            + ")."
        )
    return [(spec, found[spec.name]) for spec in schema.importable_sheets() if spec.name in found]


def check_headings(spec: schema.Sheet, sheet: ReadSheet, problems: Problems) -> None:
    columns = {header.lower(): header for header in spec.headers}
    given = set()
    for letter, heading in sheet.headings:
        header = columns.get(heading.lower())
        if header is None:
            problems.add(
                f"Unknown column (column {letter}). The columns of this sheet are: "
                + ", ".join(spec.headers)
                + ".",
                sheet=spec.name,
                row=1,
                column=heading,
            )
            continue
        given.add(header)
    for column in spec.columns:
        needed = column.required or column.header in spec.key
        if needed and not column.export_only and column.header not in given:
            problems.add(
                f"The column is missing: {column.type_text}, required.",
                sheet=spec.name,
                row=1,
                column=column.header,
            )
    # Headings of another case are read as the contract spells them (the rows are read
    # under the sheet's headings on each pass, so renaming the headings renames the cells).
    renames = {h: columns[h.lower()] for _l, h in sheet.headings if h.lower() in columns}
    if any(old != new for old, new in renames.items()):
        sheet.headings = [(letter, renames.get(h, h)) for letter, h in sheet.headings]
