import datetime as dt
import itertools

import pytest

from strategyhub.fiscal import (
    MONTH_NAMES,
    MONTHS_PER_PERIOD,
    Frequency,
    LabelStyle,
    add_months,
    fiscal_quarter_containing,
    fiscal_year,
    fiscal_year_containing,
    fiscal_year_end,
    fiscal_year_label,
    fiscal_year_of,
    period_end,
    period_label,
    period_start,
)


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


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (dt.date(2026, 11, 22), 1, dt.date(2026, 12, 1)),  # always the first of the month
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 1)),
        (dt.date(2026, 1, 31), -1, dt.date(2025, 12, 1)),
        (dt.date(2026, 7, 1), 12, dt.date(2027, 7, 1)),
        (dt.date(2026, 7, 15), -27, dt.date(2024, 4, 1)),
        (dt.date(2026, 7, 15), 0, dt.date(2026, 7, 1)),
    ],
)
def test_add_months(day, months, result):
    assert add_months(day, months) == result


@pytest.mark.parametrize(
    ("day", "start_month", "year", "end"),
    [
        (dt.date(2026, 7, 1), 7, 2026, dt.date(2027, 6, 30)),  # named by the year it starts in
        (dt.date(2026, 6, 30), 7, 2025, dt.date(2026, 6, 30)),
        (dt.date(2026, 12, 31), 1, 2026, dt.date(2026, 12, 31)),
        (dt.date(2027, 2, 28), 3, 2026, dt.date(2027, 2, 28)),
        (dt.date(2028, 2, 29), 3, 2027, dt.date(2028, 2, 29)),  # a leap year's last day
    ],
)
def test_fiscal_year_of_and_end(day, start_month, year, end):
    assert fiscal_year_of(day, start_month) == year
    assert fiscal_year_end(year, start_month) == end
    named = fiscal_year(year, start_month)
    assert named == fiscal_year_containing(day, start_month)
    assert (named.start, named.end) == (dt.date(year, start_month, 1), end)


def test_quarters_tile_the_fiscal_year():
    year = fiscal_year(2026, 10)
    quarters = year.quarters
    assert [q.number for q in quarters] == [1, 2, 3, 4]
    assert quarters[0].start == year.start and quarters[-1].end == year.end
    for before, after in itertools.pairwise(quarters):
        assert after.start == before.end + dt.timedelta(days=1)
    assert [q.label for q in quarters][1] == "Q2 FY 2026–27"
    with pytest.raises(ValueError):
        year.quarter(5)


@pytest.mark.parametrize(
    ("day", "frequency", "fy_month", "start"),
    [
        (dt.date(2026, 11, 22), Frequency.MONTHLY, 7, dt.date(2026, 11, 1)),
        (dt.date(2026, 11, 22), Frequency.QUARTERLY, 7, dt.date(2026, 10, 1)),
        (dt.date(2026, 8, 15), Frequency.QUARTERLY, 7, dt.date(2026, 7, 1)),
        (dt.date(2026, 2, 15), Frequency.QUARTERLY, 10, dt.date(2026, 1, 1)),
        (dt.date(2027, 3, 1), Frequency.ANNUAL, 7, dt.date(2026, 7, 1)),
        (dt.date(2026, 3, 1), Frequency.ANNUAL, 1, dt.date(2026, 1, 1)),
    ],
)
def test_period_start(day, frequency, fy_month, start):
    assert period_start(day, frequency, fy_month) == start
    assert period_start(start, frequency, fy_month) == start
    assert period_start(period_end(start, frequency), frequency, fy_month) == start


@pytest.mark.parametrize(
    ("start", "frequency", "end"),
    [
        (dt.date(2026, 2, 1), Frequency.MONTHLY, dt.date(2026, 2, 28)),
        (dt.date(2026, 10, 1), Frequency.QUARTERLY, dt.date(2026, 12, 31)),
        (dt.date(2026, 7, 1), Frequency.ANNUAL, dt.date(2027, 6, 30)),
    ],
)
def test_period_end(start, frequency, end):
    assert period_end(start, frequency) == end
    assert add_months(start, MONTHS_PER_PERIOD[frequency]) == end + dt.timedelta(days=1)


@pytest.mark.parametrize("start_month", [1, 4, 7, 10, 11])
def test_quarterly_periods_are_the_fiscal_quarters(start_month):
    """A measure's quarterly period and an OKR quarter are the same dates."""
    day = dt.date(2026, 1, 1)
    while day < dt.date(2028, 1, 1):
        quarter = fiscal_quarter_containing(day, start_month)
        start = period_start(day, Frequency.QUARTERLY, start_month)
        assert (start, period_end(start, Frequency.QUARTERLY)) == (quarter.start, quarter.end)
        annual = period_start(day, Frequency.ANNUAL, start_month)
        assert annual == fiscal_year_containing(day, start_month).start
        day += dt.timedelta(days=17)


@pytest.mark.parametrize("start_month", range(1, 13))
def test_the_apps_take_fiscal_year_starts_from_the_one_calendar(start_month):
    """A cycle's fiscal-year label, a plan's first day and the month ticks of a chart are
    ``strategyhub.fiscal``'s, for every start month (no app rebuilds them by hand)."""
    from okrs.models import Cycle
    from scorecards.models import StrategicPlan
    from strategyhub.ui.charts import month_ticks

    year = fiscal_year(2026, start_month)
    for quarter in year.quarters:
        cycle = Cycle(kind="quarter", fiscal_year=2026, quarter=quarter.number)
        cycle.start, cycle.end = quarter.start, quarter.end
        assert cycle.fiscal_year_label == year.label
        assert cycle.label == quarter.label
    plan = StrategicPlan(first_fiscal_year=2026, last_fiscal_year=2030)
    assert plan.start_date(start_month) == year.start
    ticks = month_ticks(year.start + dt.timedelta(days=9), year.end)
    assert ticks == [add_months(year.start, n) for n in range(12)]


@pytest.mark.parametrize(
    ("start_month", "style", "year_label", "quarter_labels"),
    [
        (10, LabelStyle.END_YEAR, "FY 2027", ["Q1 FY 2027", "Q2 FY 2027", "Q3 FY 2027"]),
        (10, LabelStyle.SPAN, "FY 2026–27", ["Q1 FY 2026–27", "Q2 FY 2026–27", "Q3 FY 2026–27"]),
        (7, LabelStyle.END_YEAR, "FY 2027", ["Q1 FY 2027", "Q2 FY 2027", "Q3 FY 2027"]),
        (1, LabelStyle.END_YEAR, "FY 2026", ["Q1 FY 2026", "Q2 FY 2026", "Q3 FY 2026"]),
        (1, LabelStyle.SPAN, "FY 2026", ["Q1 FY 2026", "Q2 FY 2026", "Q3 FY 2026"]),
    ],
)
def test_label_styles(start_month, style, year_label, quarter_labels):
    """A fiscal year starting 1 October 2026 is "FY 2027" (named by the year it ends in, US
    federal usage) or "FY 2026–27"; its quarters carry the same name."""
    year = fiscal_year(2026, start_month, style)
    assert year.label == year_label
    assert [q.label for q in year.quarters][:3] == quarter_labels
    day = year.start + dt.timedelta(days=40)
    assert fiscal_year_containing(day, start_month, style).label == year_label
    assert fiscal_quarter_containing(day, start_month, style).label == quarter_labels[0]
    assert period_label(day, Frequency.ANNUAL, start_month, style) == year_label
    assert period_label(day, Frequency.QUARTERLY, start_month, style) == quarter_labels[0]
    assert period_label(day, Frequency.MONTHLY, start_month, style) == (
        f"{MONTH_NAMES[day.month - 1]} {day.year}"
    )
    assert fiscal_year_label(year.start, year.end, style) == year_label
