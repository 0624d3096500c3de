import datetime as dt

import pytest

from strategyhub.fiscal import fiscal_quarter_containing, fiscal_year_containing


@pytest.mark.parametrize(
    ("day", "start_month", "label", "start", "end"),
    [
        (dt.date(2026, 7, 1), 7, "FY 2026–27", dt.date(2026, 7, 1), dt.date(2027, 6, 30)),
        (dt.date(2026, 6, 30), 7, "FY 2025–26", dt.date(2025, 7, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 11, 22), 10, "FY 2026–27", dt.date(2026, 10, 1), dt.date(2027, 9, 30)),
        (dt.date(2026, 3, 31), 4, "FY 2025–26", dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 12, 31), 1, "FY 2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        (dt.date(2028, 2, 29), 3, "FY 2027–28", dt.date(2027, 3, 1), dt.date(2028, 2, 29)),
    ],
)
def test_fiscal_year(day, start_month, label, start, end):
    year = fiscal_year_containing(day, start_month)
    assert (year.label, year.start, year.end) == (label, start, end)


@pytest.mark.parametrize(
    ("day", "start_month", "number", "start", "end"),
    [
        (dt.date(2026, 7, 1), 7, 1, dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 9, 30), 7, 1, dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 10, 1), 7, 2, dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 6, 30), 7, 4, dt.date(2027, 4, 1), dt.date(2027, 6, 30)),
        (dt.date(2026, 2, 14), 1, 1, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 1, 15), 10, 2, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ],
)
def test_fiscal_quarter(day, start_month, number, start, end):
    quarter = fiscal_quarter_containing(day, start_month)
    assert (quarter.number, quarter.start, quarter.end) == (number, start, end)


@pytest.mark.parametrize("month", [0, 13])
def test_bad_start_month(month):
    with pytest.raises(ValueError):
        fiscal_year_containing(dt.date(2026, 1, 1), month)
