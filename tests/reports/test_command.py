"""``manage.py build_report`` writes the same report as the pages, as PDF or HTML; an unknown
agency, period or a period outside the plan is a clear error."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_it_writes_the_pdf_and_the_html(riverton, tmp_path):
    out = tmp_path / "q1.pdf"
    call_command(
        "build_report",
        slug="riverton",
        period="Q1 FY 2026–27",
        format="pdf",
        out=str(out),
        stdout=StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF")
    html = tmp_path / "fy.html"
    call_command(
        "build_report",
        slug="riverton",
        period="2026-FY",
        format="html",
        out=str(html),
        stdout=StringIO(),
    )
    text = html.read_text()
    assert "<title>Annual performance report, FY 2026–27" in text and 'lang="en"' in text


@pytest.mark.parametrize(
    ("slug", "period", "message"),
    [
        ("nowhere", "2026-Q1", "No agency"),
        ("riverton", "next spring", "Unknown period"),
        ("riverton", "2040-Q1", "outside the plan"),
    ],
)
def test_bad_input_is_a_clear_error(riverton, tmp_path, slug, period, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "build_report", slug=slug, period=period, out=str(tmp_path / "x"), stdout=StringIO()
        )
