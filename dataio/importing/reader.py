"""The gatekeeper: what an uploaded file is, whether it may be opened, and its sheets' rows.

Accepted: an ``.xlsx`` workbook (read with openpyxl in read-only mode) or a ``.zip`` of
one UTF-8 CSV per sheet (``Measures.csv``…, the export's second format). Everything else
is refused with a message that names the problem, before any of it is imported:

- an empty file, or one over ``DATAIO_MAX_UPLOAD_MB``;
- an old binary ``.xls`` workbook, or a workbook with macros (``.xlsm``, ``vbaProject.bin``);
- a zip bomb: every member's declared size, the total and the compression ratio are
  checked from the zip's directory BEFORE anything is unpacked (and Python's zipfile never
  inflates a member past its declared size, and checks its CRC);
- XML with a DTD or entity declarations (billion laughs, external entities): every XML
  part is scanned for them before it is parsed (Office never writes one), and openpyxl
  parses through defusedxml (a dependency; this module refuses to open a workbook without
  it) or, where lxml is installed, lxml with entity resolution off;
- a CSV that is not UTF-8 (a BOM is allowed: Excel writes one);
- a merged or hidden heading cell, a hidden sheet.

The headings themselves are checked against the workbook contract by
:mod:`dataio.importing.validation` (it knows the sheets); this module only reads.

``read(data, filename)`` returns a :class:`Book`; a refusal raises
:class:`~dataio.importing.problems.ImportRefused` with every problem found.

Rows are streamed, never held: ``read`` checks each sheet in one pass (its headings, its
layout, the encoding, how many data rows it has) and keeps only that; each pass over
``Sheet.rows`` reads the sheet again from the file (openpyxl's read-only worksheet, or
the CSV member through a text stream), so memory does not grow with the sheet. Close the
book (``with reader.read(...) as book``, or ``book.close()``) when the import is done.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException  # type: ignore[import-untyped]  # no type hints
from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]
from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

from dataio.importing.problems import ImportRefused, Problems
from strategyhub import csvsafe

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and other old Office files)
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"

# Zip-bomb limits, read from the zip's central directory before unpacking.
MAX_MEMBERS = 500
MAX_RATIO = 200  # uncompressed / compressed, for a member over RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
UNPACKED_PER_UPLOAD = 30  # everything unpacked may be at most 30 x the upload limit


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet's row (the heading is 1)
    values: dict[str, Any]  # heading -> cell value (None for an empty cell)


Cells = Iterator[Sequence[Any]]


@dataclass
class Sheet:
    """A sheet's headings and row count; its rows are read from the file on each pass."""

    name: str
    headings: list[tuple[str, str]] = field(default_factory=list)  # (column letter, heading)
    count: int = 0  # data rows (empty rows left out)
    source: Callable[[], Cells] | None = None  # every row's cells, the heading row first

    @property
    def rows(self) -> Iterator[Row]:
        """The data rows, read again from the file (nothing is kept between two passes)."""
        if self.source is None:
            return iter(())
        cells = self.source()
        next(cells, None)  # the heading row
        return data_rows(cells, self.headings)


@dataclass
class Book:
    format: str  # "xlsx" or "csv-zip"
    sheets: dict[str, Sheet] = field(default_factory=dict)
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        while self.closers:
            self.closers.pop()()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def max_upload_bytes() -> int:
    return int(settings.DATAIO_MAX_UPLOAD_MB) * 1024 * 1024


def refuse(message: str, **where: Any) -> ImportRefused:
    problems = Problems()
    problems.add(message, **where)
    return ImportRefused(problems)


def read(data: bytes, filename: str = "") -> Book:
    """The file's sheets, or :class:`ImportRefused` saying why it cannot be read."""
    name = filename.lower()
    limit = max_upload_bytes()
    if not data:
        raise refuse(gettext("The file is empty."))
    if len(data) > limit:
        raise refuse(
            gettext(
                "The file is %(size).1f MB; the limit is %(limit)s MB. Split it (a workbook "
                "may hold only some sheets) and import the parts one after the other."
            )
            % {"size": len(data) / 1024 / 1024, "limit": settings.DATAIO_MAX_UPLOAD_MB}
        )
    if data.startswith(OLE2_MAGIC) or name.endswith(".xls"):
        raise refuse(
            gettext(
                "This is an old binary Excel workbook (.xls). Open it in Excel or LibreOffice "
                'and save it as "Excel Workbook (.xlsx)", then import that file.'
            )
        )
    if name.endswith((".xlsm", ".xltm", ".xlsb")):
        raise refuse(
            gettext(
                "This workbook type can hold macros (.xlsm/.xlsb), which are never opened. "
                'Save it as "Excel Workbook (.xlsx)" and import that file.'
            )
        )
    if not (data.startswith(ZIP_MAGIC) or data.startswith(EMPTY_ZIP_MAGIC)):
        raise refuse(
            gettext(
                "This is neither an Excel workbook (.xlsx) nor a zip of CSV files. Export the "
                'spreadsheet as "Excel Workbook (.xlsx)" or download a template from this page.'
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise refuse(gettext("The file is damaged: it is not a readable .xlsx or .zip.")) from None
    try:
        members = archive.infolist()
        check_sizes(members, limit)
        names = {member.filename for member in members}
        if "[Content_Types].xml" in names:
            check_no_macros(archive, names)
            check_no_dtd(archive, members)
            book = read_xlsx(data, archive)
            archive.close()  # the workbook reads the file through its own archive
            return book
        return read_csv_zip(archive, members)  # the book closes the archive
    except BaseException:
        archive.close()
        raise


def check_sizes(members: list[zipfile.ZipInfo], upload_limit: int) -> None:
    """Refuse a zip bomb from its directory alone: nothing is unpacked yet."""
    if not members:
        raise refuse(gettext("The zip file is empty."))
    if len(members) > MAX_MEMBERS:
        raise refuse(
            gettext("The file holds %(count)s files; at most %(most)s are read.")
            % {"count": len(members), "most": MAX_MEMBERS}
        )
    total_limit = upload_limit * UNPACKED_PER_UPLOAD
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise refuse(
                gettext(
                    '"%(name)s" would unpack to %(size)s bytes from %(packed)s (a ratio of '
                    "%(ratio)s); more than %(most)s is refused as a zip bomb."
                )
                % {
                    "name": member.filename,
                    "size": f"{member.file_size:,}",
                    "packed": f"{member.compress_size:,}",
                    "ratio": f"{ratio:,.0f}",
                    "most": MAX_RATIO,
                }
            )
        if member.file_size > total_limit or total > total_limit:
            raise refuse(
                gettext("The file would unpack to more than %(limit)s MB; refused as a zip bomb.")
                % {"limit": total_limit // 1024 // 1024}
            )


def check_no_macros(archive: zipfile.ZipFile, names: set[str]) -> None:
    content_types = archive.read("[Content_Types].xml")
    if any(n.lower().endswith("vbaproject.bin") for n in names) or (
        b"macroEnabled" in content_types
    ):
        raise refuse(
            gettext(
                "This workbook contains macros (VBA). Workbooks with macros are never opened: "
                'save it as "Excel Workbook (.xlsx)" without macros and import that file.'
            )
        )


def check_no_dtd(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """No XML part of the workbook may declare a DTD or entities: Office never writes one,
    and an entity is how a billion-laughs or external-entity attack starts. Checked on the
    raw parts (their sizes are bounded above) before any parser sees them, whichever XML
    library openpyxl picks (defusedxml refuses them too; lxml would only not expand them)."""
    for member in members:
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as part:
            tail = b""
            while chunk := part.read(1024 * 1024):
                window = tail + chunk
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise refuse(
                        gettext('%(refusal)s (in "%(name)s")')
                        % {"refusal": gettext(ENTITIES), "name": member.filename}
                    )
                tail = window[-16:]


# --- .xlsx ------------------------------------------------------------------------------


def read_xlsx(data: bytes, archive: zipfile.ZipFile) -> Book:
    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise RuntimeError(
            "defusedxml is not active (not installed, or OPENPYXL_DEFUSEDXML=False): "
            "workbooks are not opened without it."
        )
    problems = Problems()
    book = Book(format="xlsx")
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        if declares_entities(exc):
            raise refuse(gettext(ENTITIES)) from None
        raise refuse(
            gettext("The workbook cannot be read (%(error)s): it may be damaged.")
            % {"error": type(exc).__name__}
        ) from exc
    try:
        for worksheet in workbook.worksheets:
            sheet = Sheet(name=worksheet.title.strip())
            if worksheet.sheet_state != "visible":
                problems.add(
                    "The sheet is hidden. Unhide it (its rows would be imported unseen) or "
                    "delete it.",
                    sheet=sheet.name,
                )
                continue
            path = getattr(worksheet, "_worksheet_path", "").lstrip("/")
            if path:
                check_heading_layout(archive, path, sheet.name, problems)
            sheet.source = worksheet_rows(worksheet)
            sheet.headings, sheet.count = table(sheet.source(), sheet.name, problems)
            book.sheets[sheet.name] = sheet
    except Exception as exc:
        workbook.close()
        if declares_entities(exc):
            raise refuse(gettext(ENTITIES)) from None
        raise
    if problems:
        workbook.close()
        raise ImportRefused(problems)
    book.closers.append(workbook.close)
    return book


def worksheet_rows(worksheet: Any) -> Callable[[], Cells]:
    """A fresh pass over a read-only worksheet's rows (openpyxl parses its XML as it goes)."""
    return lambda: iter(worksheet.iter_rows(values_only=True))


ENTITIES = gettext_noop(  # translated where it is raised
    "The workbook's XML declares entities (as a billion-laughs or external-entity attack "
    "does); it is refused. Save it again from Excel or LibreOffice."
)


def declares_entities(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps its errors in a ValueError)."""
    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def check_heading_layout(
    archive: zipfile.ZipFile, path: str, sheet: str, problems: Problems
) -> None:
    """Merged or hidden heading cells (row 1), from the sheet's own XML (read-only mode
    does not expose them): hidden columns and rows come before the cells, merged ranges
    after them."""
    try:
        source = archive.open(path)
    except KeyError:
        return
    hidden_columns: list[tuple[int, int]] = []
    with source:
        for _event, element in iterparse(source, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "col" and element.get("hidden") in ("1", "true"):
                hidden_columns.append((int(element.get("min", 0)), int(element.get("max", 0))))
            elif tag == "row":
                if element.get("r") == "1" and element.get("hidden") in ("1", "true"):
                    problems.add("The heading row (row 1) is hidden; unhide it.", sheet=sheet)
                if element.get("r") == "1":
                    for cell in element:
                        ref = cell.get("r", "")
                        letters = ref.rstrip("0123456789")
                        if letters and has_content(cell):
                            index = column_index_from_string(letters)
                            if any(low <= index <= high for low, high in hidden_columns):
                                problems.add(
                                    f"The heading in column {letters} is hidden; unhide the "
                                    "column (or delete it).",
                                    sheet=sheet,
                                    row=1,
                                )
                element.clear()
            elif tag == "mergeCell":
                ref = element.get("ref", "")
                try:
                    _low_col, low_row, _high_col, _high_row = range_boundaries(ref)
                except (ValueError, TypeError):
                    continue
                if low_row == 1:
                    problems.add(
                        f"Heading cells {ref} are merged; each column needs its own heading "
                        "(unmerge them).",
                        sheet=sheet,
                        row=1,
                    )
            elif tag == "sheetData":
                element.clear()


def has_content(cell: Any) -> bool:
    return any(child.text for child in cell.iter())


def table(
    rows: Cells, sheet: str, problems: Problems, start: int = 1
) -> tuple[list[tuple[str, str]], int]:
    """The heading row and how many data rows follow (empty rows are not counted); one
    pass, nothing kept."""
    heading_row = next(rows, None)
    if heading_row is None:
        return [], 0
    headings: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, cell in enumerate(heading_row):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        letter = get_column_letter(index + 1)
        if text.lower() in seen:
            problems.add(
                f"The heading appears twice (again in column {letter}).",
                sheet=sheet,
                row=start,
                column=text,
            )
            continue
        seen.add(text.lower())
        headings.append((letter, text))
    count = sum(1 for _row in data_rows(rows, headings, start))
    return headings, count


def data_rows(rows: Cells, headings: list[tuple[str, str]], start: int = 1) -> Iterator[Row]:
    """The rows after the heading row, each cell under its heading (by the heading's column
    letter); empty rows are skipped, text stripped, numbers kept."""
    positions = [(column_index_from_string(letter) - 1, text) for letter, text in headings]
    for offset, values in enumerate(rows, start=start + 1):
        record: dict[str, Any] = {}
        filled = False
        for index, heading in positions:
            value = values[index] if index < len(values) else None
            if isinstance(value, str):
                value = value.strip() or None
            if value is not None:
                filled = True
            record[heading] = value
        if filled:
            yield Row(number=offset, values=record)


# --- zip of CSV -------------------------------------------------------------------------


def read_csv_zip(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> Book:
    problems = Problems()
    book = Book(format="csv-zip")
    book.closers.append(archive.close)
    for member in members:
        if member.is_dir():
            continue
        filename = member.filename.rsplit("/", 1)[-1]
        if not filename.lower().endswith(".csv"):
            problems.add(
                f'"{member.filename}" is not a CSV file; a zip holds one CSV file per sheet, '
                'named after the sheet (e.g. "Measures.csv").'
            )
            continue
        if member.flag_bits & 0x1:
            problems.add(f'"{member.filename}" is encrypted; zip it again without a password.')
            continue
        name = filename[: -len(".csv")].strip()
        if not utf8(archive, member, name, problems):
            continue
        source = csv_rows(archive, member)
        try:
            headings, count = table(source(), name, problems)
        except csv.Error as exc:
            problems.add(f"The CSV cannot be read: {exc}.", sheet=name)
            continue
        book.sheets[name] = Sheet(name=name, headings=headings, count=count, source=source)
    if problems:
        book.close()
        raise ImportRefused(problems)
    if not book.sheets:
        book.close()
        raise refuse(gettext("The zip file holds no CSV file."))
    return book


def utf8(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, problems: Problems) -> bool:
    """Whether the member is UTF-8, read line by line (a UTF-8 character never holds a
    newline byte); the first bad byte is reported with its line."""
    with archive.open(member) as raw:
        for line, text in enumerate(raw, start=1):
            try:
                text.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.add(
                    f"The file is not UTF-8 (byte 0x{text[exc.start]:02x} on line {line}). "
                    'Save it as "CSV UTF-8 (Comma delimited)" and import it again.',
                    sheet=name,
                    row=line,
                )
                return False
    return True


def csv_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Callable[[], Cells]:
    """A fresh pass over a CSV member's rows, decoded as they are read (a BOM is dropped),
    each cell's formula guard undone."""

    def rows() -> Cells:
        with io.TextIOWrapper(archive.open(member), encoding="utf-8-sig", newline="") as text:
            for row in csv.reader(text):
                yield [csvsafe.undo(cell) if cell else None for cell in row]

    return rows
