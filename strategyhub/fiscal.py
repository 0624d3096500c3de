"""The fiscal calendar: the one place for fiscal-year and period maths.

Agencies' fiscal years start on the first of any month, and a fiscal year is numbered by the
calendar year it starts in (year 2026 = July 2026 – June 2027 for a July start). How it is
*labelled* is the agency's :class:`LabelStyle`: "FY 2026–27" (the span, the default) or
"FY 2027" (the calendar year it ends in, as the US federal government names it); every
fiscal-year and quarter label is made by :func:`fiscal_year_label`. Periods of
a :class:`Frequency` (a month, a fiscal quarter, a fiscal year) are aligned on the agency's
fiscal year; a measure's update frequency and an OKR cycle are such periods, so both apps
use these functions (``Frequency`` lives here, not in an app, because period maths needs
it). Pure functions over dates (month names and labels through Django's translations), no
database.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

# Django's month names, translated lazily in the active language ("December", "diciembre").
MONTH_NAMES = list(MONTHS.values())


class Frequency(enum.StrEnum):
    """How long a period is (a measure's update frequency)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class LabelStyle(enum.StrEnum):
    """How an agency labels its fiscal years (``Organization.fiscal_year_label_style``)."""

    SPAN = "span"  # "FY 2026–27": the calendar years it spans (a calendar year: "FY 2026")
    END_YEAR = "end_year"  # "FY 2027": the calendar year it ends in (US federal usage)

    @property
    def description(self) -> str | Promise:
        return {
            LabelStyle.SPAN: gettext_lazy("FY 2026–27 (the years it spans)"),
            LabelStyle.END_YEAR: gettext_lazy(
                "FY 2027 (the year it ends in, as the US federal government)"
            ),
        }[self]


def fiscal_year_label(start: dt.date, end: dt.date, style: str = LabelStyle.SPAN) -> str:
    """The one label of a fiscal year from ``start`` to ``end`` in ``style``: "FY 2026–27"
    or, ending in 2027, "FY 2027"; a calendar fiscal year is "FY 2026" in both styles."""
    if start.year == end.year or LabelStyle(style) == LabelStyle.END_YEAR:
        return f"FY {end.year}"
    return f"FY {start.year}–{str(end.year)[-2:]}"


MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _check_start_month(start_month: int) -> None:
    if not 1 <= start_month <= 12:
        raise ValueError("The fiscal-year start month must be 1 to 12.")


def fiscal_year_of(day: dt.date, start_month: int) -> int:
    """The fiscal year containing ``day``, named by the calendar year it starts in."""
    return day.year if day.month >= start_month else day.year - 1


def fiscal_year_end(fiscal_year: int, start_month: int) -> dt.date:
    """The last day of fiscal year ``fiscal_year``."""
    return add_months(dt.date(fiscal_year, start_month, 1), 12) - dt.timedelta(days=1)


def period_start(day: dt.date, frequency: Frequency, start_month: int) -> dt.date:
    """The first day of the period (month, fiscal quarter or fiscal year) containing ``day``."""
    if frequency == Frequency.MONTHLY:
        return dt.date(day.year, day.month, 1)
    months_since_fy = (day.month - start_month) % 12
    step = MONTHS_PER_PERIOD[frequency]
    return add_months(dt.date(day.year, day.month, 1), -(months_since_fy % step))


def period_end(start: dt.date, frequency: Frequency) -> dt.date:
    """The last day of the period that begins on ``start``."""
    return add_months(start, MONTHS_PER_PERIOD[frequency]) - dt.timedelta(days=1)


@dataclass(frozen=True)
class FiscalYear:
    start: dt.date  # first day
    end: dt.date  # last day
    style: str = LabelStyle.SPAN  # the agency's label style

    @property
    def label(self) -> str:
        """ "FY 2026–27" (or "FY 2027" in the end-year style; see ``fiscal_year_label``)."""
        return fiscal_year_label(self.start, self.end, self.style)

    def quarter(self, number: int) -> FiscalQuarter:
        if not 1 <= number <= 4:
            raise ValueError("A fiscal year has quarters 1 to 4.")
        start = add_months(self.start, 3 * (number - 1))
        return FiscalQuarter(
            fiscal_year=self, number=number, start=start, end=period_end(start, Frequency.QUARTERLY)
        )

    @property
    def quarters(self) -> list[FiscalQuarter]:
        return [self.quarter(number) for number in range(1, 5)]


@dataclass(frozen=True)
class FiscalQuarter:
    fiscal_year: FiscalYear
    number: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.fiscal_year.label}"


def fiscal_year(year: int, start_month: int, style: str = LabelStyle.SPAN) -> FiscalYear:
    """Fiscal year ``year`` (the one starting in ``year``), labelled in ``style``."""
    _check_start_month(start_month)
    return FiscalYear(
        start=dt.date(year, start_month, 1), end=fiscal_year_end(year, start_month), style=style
    )


def fiscal_year_containing(
    day: dt.date, start_month: int, style: str = LabelStyle.SPAN
) -> FiscalYear:
    _check_start_month(start_month)
    return fiscal_year(fiscal_year_of(day, start_month), start_month, style)


def fiscal_quarter_containing(
    day: dt.date, start_month: int, style: str = LabelStyle.SPAN
) -> FiscalQuarter:
    fiscal_year = fiscal_year_containing(day, start_month, style)
    months_in = (day.year - fiscal_year.start.year) * 12 + day.month - fiscal_year.start.month
    return fiscal_year.quarter(months_in // 3 + 1)


def period_label(
    day: dt.date, frequency: Frequency, start_month: int, style: str = LabelStyle.SPAN
) -> str:
    """The name of the period of ``frequency`` containing ``day``, the one label every page
    and chart gives a measure's value: a month ("December 2026"), a fiscal quarter
    ("Q2 FY 2026–27") or a fiscal year ("FY 2026–27"), in the agency's label ``style``."""
    if frequency == Frequency.MONTHLY:
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"
    if frequency == Frequency.QUARTERLY:
        return fiscal_quarter_containing(day, start_month, style).label
    return fiscal_year_containing(day, start_month, style).label
