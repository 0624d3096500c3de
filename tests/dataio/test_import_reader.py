"""The import's gatekeeper (dataio/importing/reader.py) and the workbook's shape
(validation.py): every bad file is refused with a message naming the problem and where it
is, before anything is imported; nothing changes."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django_scopes import scope

from dataio.importing import reader
from dataio.importing.problems import ImportRefused
from tests.dataio.books import built, messages, run
from tests.dataio.snapshots import snapshot

pytestmark = pytest.mark.usefixtures("clock")

UNITS = [["Key", "Name", "Kind", "Parent", "Order"], ["U-1", "Patrol", "team", None, 1]]


def refusal(data: bytes, name: str = "upload.xlsx") -> str:
    with pytest.raises(ImportRefused) as caught:
        reader.read(data, name)
    return " | ".join(str(p) for p in caught.value.problems)


def rezipped(data: bytes, replace: dict[str, bytes] | None = None, add=None) -> bytes:
    """The .xlsx ``data`` with some members replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def csv_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_an_empty_file_is_refused():
    assert "The file is empty" in refusal(b"")


def test_a_file_over_the_limit_is_refused(settings):
    settings.DATAIO_MAX_UPLOAD_MB = 1
    text = refusal(b"PK\x03\x04" + b"x" * (1024 * 1024 + 1))
    assert "the limit is 1 MB" in text


def test_an_old_xls_workbook_is_refused():
    text = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "plan.xls")
    assert ".xls" in text and "save it as" in text.lower()


def test_a_workbook_with_macros_is_refused():
    data = rezipped(built({"Units": UNITS}), add={"xl/vbaProject.bin": b"\0" * 100})
    assert "macros" in refusal(data)
    assert "macros" in refusal(built({"Units": UNITS}), "plan.xlsm")


def test_a_file_of_another_kind_is_refused():
    assert "neither an Excel workbook" in refusal(b"%PDF-1.7 ...", "plan.pdf")


def test_a_zip_bomb_is_refused_from_its_directory_before_unpacking():
    bomb = csv_zip({"Units.csv": b"0" * (8 * 1024 * 1024)})  # 8 MB of zeros: ratio ~1000
    text = refusal(bomb, "bomb.zip")
    assert "zip bomb" in text and "Units.csv" in text


def test_a_billion_laughs_workbook_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    data = built({"Units": UNITS})
    for member in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"):
        xml = zipfile.ZipFile(io.BytesIO(data)).read(member)
        body = xml.split(b"?>", 1)[-1]  # without its own XML declaration
        if b"Patrol" in body:
            body = body.replace(b"Patrol", b"&lol3;")  # the entity used in a cell
        assert "entities" in refusal(rezipped(data, replace={member: laughs + body})), member


def test_defusedxml_is_what_openpyxl_parses_with():
    assert openpyxl.DEFUSEDXML is True


def test_a_merged_heading_is_refused_naming_the_sheet():
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "Units"
    for row in UNITS:
        worksheet.append(row)
    worksheet.merge_cells("A1:B1")
    out = io.BytesIO()
    workbook.save(out)
    text = refusal(out.getvalue())
    assert 'sheet "Units", row 1' in text and "A1:B1 are merged" in text


def test_a_hidden_heading_column_and_a_hidden_sheet_are_refused():
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "Units"
    for row in UNITS:
        worksheet.append(row)
    worksheet.column_dimensions["C"].hidden = True
    other = workbook.create_sheet("Themes")
    other.append(["Key"])
    other.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    text = refusal(out.getvalue())
    assert 'sheet "Units", row 1: The heading in column C is hidden' in text
    assert 'sheet "Themes": The sheet is hidden' in text


def test_a_csv_in_another_encoding_is_refused_naming_the_file_and_line():
    data = csv_zip({"Units.csv": "Key,Name\nU-1,Café\n".encode("latin-1")})
    text = refusal(data, "units.zip")
    assert 'sheet "Units", row 2' in text and "not UTF-8" in text


def test_a_csv_with_a_bom_is_read_and_its_formula_guard_undone():
    data = csv_zip({"Units.csv": "\ufeffKey,Name\nU-1,'=Patrol\nU-2,-2\n".encode()})
    book = reader.read(data, "units.zip")
    rows = book.sheets["Units"].rows
    assert [r.values for r in rows] == [
        {"Key": "U-1", "Name": "=Patrol"},
        {"Key": "U-2", "Name": "-2"},
    ]


def test_a_repeated_heading_is_refused():
    text = refusal(built({"Units": [["Key", "Name", "Name"], ["U-1", "A", "B"]]}))
    assert 'sheet "Units", row 1, column "Name": The heading appears twice' in text


def test_unknown_sheet_unknown_column_and_missing_column_are_each_named(org_a):
    data = built(
        {
            "Units": [["Key", "Nmae", "Kind"], ["U-1", "Patrol", "team"]],
            "Budgets": [["Key"], ["B-1"]],
        }
    )
    with scope(organization=org_a.org):
        before = snapshot(org_a.org)
    outcome = run(org_a.org, data, org_a.admin)
    found = messages(outcome)
    assert any('sheet "Budgets": Unknown sheet' in m for m in found)
    assert any('sheet "Units", row 1, column "Nmae": Unknown column (column B)' in m for m in found)
    assert any('sheet "Units", row 1, column "Name": The column is missing' in m for m in found)
    with scope(organization=org_a.org):
        assert snapshot(org_a.org) == before


def test_read_me_and_audit_history_sheets_are_skipped(org_a):
    data = built({"Read me": [["Sheet", "Column"], ["x", "y"]], "Units": UNITS})
    outcome = run(org_a.org, data, org_a.admin, dry_run=True)
    assert outcome.ok, messages(outcome)
    assert outcome.counts["Units"]["created"] == 1
