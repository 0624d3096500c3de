"""The import streams (issue 20): the reader keeps no rows (each pass reads the sheet again
from the file), and the long sheets (check-ins, measure values…) are written in batches
without keeping or indexing their rows — with the same result, the same idempotent
re-import and the same full problem report (sheet, row, column) as one batch."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scope

from dataio import schema
from dataio.importing import engine, reader
from okrs.models import CheckIn, KeyResult
from strategyhub.models import Membership, Organization, Unit, User
from tests.dataio.books import built, edited, exported, exported_zip, messages, rows_of, run
from tests.dataio.snapshots import snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SMALL_BATCH = 7


@pytest.fixture
def generated(db):
    call_command("generate_agency", "--slug", "gen", "--scale", "small", stdout=StringIO())
    return Organization.objects.get(slug="gen")


@pytest.fixture
def copy(generated):
    target = Organization.objects.create(name="Copy", slug="copy")
    admin = User.objects.get(email="admin@gen.example")
    Membership.objects.create(organization=target, user=admin, role="admin")
    return target, admin


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of a few rows, so a small agency's sheets span many of them."""
    monkeypatch.setattr(engine, "BATCH", SMALL_BATCH)


def test_the_long_sheets_stream_and_the_sheets_others_refer_to_do_not():
    streamed = {s.name for s in schema.importable_sheets() if engine.streams(s)}
    assert {"Check-ins", "Measure values", "Yearly targets", "Focus map"} <= streamed
    # Referred to by later sheets, or to their own rows (a parent), or many-valued.
    for name in ("Units", "Measures", "Key results", "OKR objectives", "Strategic objectives"):
        assert name not in streamed, name


def test_a_read_sheet_keeps_no_rows_and_reads_them_again_on_each_pass():
    data = built({"Units": [["Key", "Name"], ["U-1", "Patrol"], [None, None], ["U-2", "Dispatch"]]})
    with reader.read(data, "units.xlsx") as book:
        sheet = book.sheets["Units"]
        assert sheet.count == 2
        first = [(row.number, row.values) for row in sheet.rows]
        assert first == [
            (2, {"Key": "U-1", "Name": "Patrol"}),
            (4, {"Key": "U-2", "Name": "Dispatch"}),
        ]
        assert [(row.number, row.values) for row in sheet.rows] == first
        # Kept: the headings, the count and a way to read the rows again, no row.
        assert set(vars(sheet)) == {"name", "headings", "count", "source"}


def test_a_generated_agency_imported_in_small_batches_is_the_same_agency(
    generated, copy, small_batches
):
    target, admin = copy
    data = exported(generated)
    check_ins = len(rows_of(data, "Check-ins"))
    assert check_ins > 10 * SMALL_BATCH  # many batches
    outcome = run(target, data, admin, name="gen.xlsx")
    assert outcome.ok, messages(outcome)[:10]
    assert outcome.counts["Check-ins"]["created"] == check_ins
    with scope(organization=generated):
        expected = snapshot(generated)
    with scope(organization=target):
        found = snapshot(target)
    for kind, rows in expected.items():
        assert found[kind] == rows, kind
    # Again, batch by batch against the rows now there: nothing changes.
    again = run(target, data, admin, name="gen.xlsx")
    assert again.ok and not again.changed, again.counts
    assert again.counts["Check-ins"] == {"created": 0, "updated": 0, "unchanged": check_ins}


def test_a_zip_of_csv_files_streams_the_same_rows_as_the_workbook(generated, copy, small_batches):
    target, admin = copy
    outcome = run(target, exported_zip(generated), admin, name="gen.zip", dry_run=True)
    assert outcome.ok, messages(outcome)[:10]
    assert outcome.counts["Check-ins"]["created"] == len(rows_of(exported(generated), "Check-ins"))


def test_problems_in_late_batches_of_a_late_sheet_are_all_reported_and_nothing_changes(
    generated, copy, small_batches
):
    target, admin = copy
    data = exported(generated)
    rows = rows_of(data, "Check-ins")
    last = len(rows) + 1  # the spreadsheet row of the last check-in
    middle = 5 * SMALL_BATCH + 3
    data = edited(data, "Check-ins", last, "Value", "lots")
    data = edited(data, "Check-ins", middle, "Confidence", 42)
    data = edited(data, "Check-ins", middle + 2 * SMALL_BATCH, "Key", rows[0]["Key"])
    outcome = run(target, data, admin, name="gen.xlsx")
    found = messages(outcome)
    assert any(f'sheet "Check-ins", row {last}, column "Value"' in m for m in found), found
    assert any(f'sheet "Check-ins", row {middle}, column "Confidence"' in m for m in found), found
    assert any(
        f'sheet "Check-ins", row {middle + 2 * SMALL_BATCH}, column "Key"' in m
        and "first on row 2" in m
        for m in found
    ), found
    assert len(outcome.problems) == 3, found
    with scope(organization=target):  # the first sheets were written, then rolled back
        assert not Unit.objects.exists()
        assert not KeyResult.objects.exists()
        assert not CheckIn.objects.exists()


def test_progress_ends_at_the_rows_the_import_goes_through(generated, copy):
    from dataio.importing.importer import import_book, rows_in

    target, admin = copy
    calls: list[tuple[str, int]] = []
    with reader.read(exported(generated), "gen.xlsx") as book:
        assert book.sheets["Audit history"].count  # read only: exported, never imported
        total = rows_in(book)
        assert total == sum(
            sheet.count
            for name, sheet in book.sheets.items()
            if name not in ("Read me", "Audit history")
        )
        with scope(organization=target):
            outcome = import_book(
                target, admin, book, dry_run=True, progress=lambda *c: calls.append(c)
            )
    assert outcome.ok, messages(outcome)[:10]
    assert calls[-1] == ("Recomputing scores, roll-ups and statuses", total)
