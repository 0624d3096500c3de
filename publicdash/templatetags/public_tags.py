"""Filters of the public pages, which read the publication document (ISO dates as text)."""

from __future__ import annotations

import datetime as dt

from django import template

from publicdash.snapshot import point_label
from strategyhub.ui import dates

register = template.Library()


@register.filter
def long_date(value: str | dt.date | None) -> str:
    """A date as the public pages show every date (``strategyhub.ui.dates``): "June 30,
    2026" (an ISO date of the document, or a date); nothing, or text that is not a date, as
    it is."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    return dates.full_date(day)


@register.filter
def period_name(point: dict) -> str:
    """The name of a series point's period ("Q1 FY 2026–27"), also for a document published
    without labels ("July 2026"; ``publicdash.snapshot.point_label``)."""
    return point_label(point)
