"""An edition as HTML: its body (stored with the edition when it is built) and the whole
self-contained document (stored on the file storage at approval, and the PDF's source)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

from reports.models import Edition
from strategyhub.ui import dates

CSS_PATH = Path(__file__).parent / "static" / "reports" / "report.css"


@cache
def report_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def render_body(content: dict) -> str:
    """The report body from an edition's content (headings from h2)."""
    return render_to_string("reports/_body.html", {"c": content})


def _day(moment) -> str:  # type: ignore[no-untyped-def]
    return dates.full_date(moment)


def render_document(edition: Edition, extra_css: str = "") -> str:
    """The whole report as one HTML document: title, language, the edition's note and
    changes, the stored body and the stylesheet inside it (no external files)."""
    return render_to_string(
        "reports/document.html",
        {
            "c": edition.content,
            "edition": edition,
            "body": edition.body_html,
            "css": report_css() + extra_css,
            "built_at": edition.built_at.isoformat(),
            "built_on": _day(edition.built_at),
            "approved_on": _day(edition.approved_at),
        },
    )
