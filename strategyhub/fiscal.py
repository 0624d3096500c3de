"""Fiscal calendar helpers. Agencies' fiscal years start on the first of any month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class FiscalYear:
    start: dt.date  # first day
    end: dt.date  # last day

    @property
    def label(self) -> str:
        """ "FY 2026" when the year is a calendar year, else "FY 2026–27"."""
        if self.start.year == self.end.year:
            return f"FY {self.start.year}"
        return f"FY {self.start.year}–{str(self.end.year)[-2:]}"

    def quarter(self, number: int) -> FiscalQuarter:
        if not 1 <= number <= 4:
            raise ValueError("A fiscal year has quarters 1 to 4.")
        start = _add_months(self.start, 3 * (number - 1))
        end = _add_months(start, 3) - dt.timedelta(days=1)
        return FiscalQuarter(fiscal_year=self, number=number, start=start, end=end)


@dataclass(frozen=True)
class FiscalQuarter:
    fiscal_year: FiscalYear
    number: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.fiscal_year.label}"


def fiscal_year_containing(day: dt.date, start_month: int) -> FiscalYear:
    if not 1 <= start_month <= 12:
        raise ValueError("The fiscal-year start month must be 1 to 12.")
    year = day.year if day.month >= start_month else day.year - 1
    start = dt.date(year, start_month, 1)
    end = _add_months(start, 12) - dt.timedelta(days=1)
    return FiscalYear(start=start, end=end)


def fiscal_quarter_containing(day: dt.date, start_month: int) -> FiscalQuarter:
    fiscal_year = fiscal_year_containing(day, start_month)
    months_in = (day.year - fiscal_year.start.year) * 12 + day.month - fiscal_year.start.month
    return fiscal_year.quarter(months_in // 3 + 1)
