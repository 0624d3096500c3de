"""The status rules of the strategic layer, case by case (DESIGN.md §3)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from scorecards.calc import (
    Band,
    MeasureSpec,
    Polarity,
    Trend,
    TrendReading,
    assess,
    compare,
    expected_at,
    is_stale,
    progress,
    straight_path,
    trend,
    yearly_path,
)
from strategyhub.fiscal import Frequency, add_months
from strategyhub.status import Status

BASELINE_DATE = dt.date(2026, 6, 30)
TARGET_DATE = dt.date(2031, 6, 30)  # end of FY 2030–31, the plan's last year
MIDPOINT = BASELINE_DATE + dt.timedelta(days=913)  # the plan spans 1,826 days


def crime(**kw):
    """Violent crime rate per 100,000: 485 → 364, lower is better."""
    return MeasureSpec(
        polarity=Polarity.LOWER,
        baseline_value=D(485),
        baseline_date=BASELINE_DATE,
        target_date=TARGET_DATE,
        target=Band.point(D(364)),
        tolerance=D(10),
        **kw,
    )


def training(**kw):
    """% officers trained in community policing: 35 → 100, higher is better."""
    return MeasureSpec(
        polarity=Polarity.HIGHER,
        baseline_value=D(35),
        baseline_date=BASELINE_DATE,
        target_date=TARGET_DATE,
        target=Band.point(D(100)),
        tolerance=D(5),
        **kw,
    )


def budget(**kw):
    """Police budget variance: +3.2% → within ±2%."""
    return MeasureSpec(
        polarity=Polarity.RANGE,
        baseline_value=D("3.2"),
        baseline_date=BASELINE_DATE,
        target_date=TARGET_DATE,
        target=Band(D(-2), D(2)),
        tolerance=D("0.5"),
        **kw,
    )


class TestStraightPath:
    def test_ends_and_middle(self):
        assert straight_path(BASELINE_DATE, BASELINE_DATE, D(485), TARGET_DATE, D(364)) == 485
        assert straight_path(TARGET_DATE, BASELINE_DATE, D(485), TARGET_DATE, D(364)) == 364
        value = straight_path(MIDPOINT, BASELINE_DATE, D(485), TARGET_DATE, D(364))
        assert value == D("424.5")  # 913 of 1826 days: exactly half-way

    def test_flat_before_and_after(self):
        assert straight_path(dt.date(2020, 1, 1), BASELINE_DATE, D(1), TARGET_DATE, D(2)) == 1
        assert straight_path(dt.date(2040, 1, 1), BASELINE_DATE, D(1), TARGET_DATE, D(2)) == 2

    def test_same_start_and_end_date(self):
        assert straight_path(BASELINE_DATE, BASELINE_DATE, D(1), BASELINE_DATE, D(2)) == 1
        assert straight_path(TARGET_DATE, BASELINE_DATE, D(1), BASELINE_DATE, D(2)) == 2


class TestExpected:
    def test_straight_path_when_no_yearly_target(self):
        assert expected_at(crime(), TARGET_DATE) == Band.point(D(364))
        assert expected_at(crime(), BASELINE_DATE) == Band.point(D(485))

    def test_explicit_yearly_target_wins_for_its_fiscal_year(self):
        spec = crime(yearly_floors={2027: Band.point(D(450))})
        assert expected_at(spec, dt.date(2027, 7, 1)) == Band.point(D(450))  # FY 2027 starts
        assert expected_at(spec, dt.date(2028, 6, 30)) == Band.point(D(450))  # FY 2027 ends
        assert expected_at(spec, dt.date(2027, 6, 30)) != Band.point(D(450))  # FY 2026

    def test_range_band_reaches_from_the_range_towards_the_baseline(self):
        spec = budget()
        assert expected_at(spec, BASELINE_DATE) == Band(D(-2), D("3.2"))
        assert expected_at(spec, TARGET_DATE) == Band(D(-2), D(2))
        mid = expected_at(spec, MIDPOINT)
        assert mid.low == -2 and mid.high == D("2.6")

    def test_range_with_baseline_inside_is_the_range_all_along(self):
        spec = budget()
        inside = MeasureSpec(**{**spec.__dict__, "baseline_value": D("0.5")})
        assert expected_at(inside, dt.date(2028, 1, 1)) == Band(D(-2), D(2))

    def test_yearly_path_gives_year_end_values(self):
        path = yearly_path(crime(), 2026, 2030)
        assert path[2030] == 364
        assert round(path[2026], 6) == round(D(485) - D(121) * D(365) / D(1826), 6)
        assert list(path) == [2026, 2027, 2028, 2029, 2030]


@pytest.mark.parametrize(
    ("value", "expected", "polarity", "tolerance", "status"),
    [
        # higher is better
        ("60", Band.point(D(60)), Polarity.HIGHER, "5", Status.ON_TRACK),  # exactly on target
        ("75", Band.point(D(60)), Polarity.HIGHER, "5", Status.ON_TRACK),  # above
        ("55", Band.point(D(60)), Polarity.HIGHER, "5", Status.AT_RISK),  # edge of tolerance
        ("57.5", Band.point(D(60)), Polarity.HIGHER, "5", Status.AT_RISK),  # inside tolerance
        ("54.99", Band.point(D(60)), Polarity.HIGHER, "5", Status.OFF_TRACK),
        ("59.99", Band.point(D(60)), Polarity.HIGHER, "0", Status.OFF_TRACK),  # no band
        # lower is better
        ("9.2", Band.point(D("9.2")), Polarity.LOWER, "0.3", Status.ON_TRACK),
        ("8.0", Band.point(D("9.2")), Polarity.LOWER, "0.3", Status.ON_TRACK),
        ("9.5", Band.point(D("9.2")), Polarity.LOWER, "0.3", Status.AT_RISK),
        ("9.51", Band.point(D("9.2")), Polarity.LOWER, "0.3", Status.OFF_TRACK),
        # negative values are ordinary numbers
        ("-4", Band.point(D(-5)), Polarity.LOWER, "2", Status.AT_RISK),
        ("-6", Band.point(D(-5)), Polarity.HIGHER, "0.5", Status.OFF_TRACK),
        # stay within a range
        ("0", Band(D(-2), D(2)), Polarity.RANGE, "0.5", Status.ON_TRACK),
        ("2", Band(D(-2), D(2)), Polarity.RANGE, "0.5", Status.ON_TRACK),  # on the bound
        ("-2", Band(D(-2), D(2)), Polarity.RANGE, "0.5", Status.ON_TRACK),
        ("2.5", Band(D(-2), D(2)), Polarity.RANGE, "0.5", Status.AT_RISK),
        ("-2.4", Band(D(-2), D(2)), Polarity.RANGE, "0.5", Status.AT_RISK),
        ("2.6", Band(D(-2), D(2)), Polarity.RANGE, "0.5", Status.OFF_TRACK),
        ("-3", Band(D(-2), D(2)), Polarity.RANGE, "0.5", Status.OFF_TRACK),
    ],
)
def test_compare(value, expected, polarity, tolerance, status):
    assert compare(D(value), expected, polarity, D(tolerance)) == status


class TestAssess:
    def test_no_values_is_no_data(self):
        result = assess(crime(), [], dt.date(2026, 11, 22))
        assert result.status == Status.NO_DATA
        assert result.comparison is None and result.latest_value is None

    def test_latest_period_is_used_whatever_the_order(self):
        values = [(dt.date(2026, 10, 1), D(470)), (dt.date(2026, 8, 1), D(500))]
        result = assess(crime(), values, dt.date(2026, 11, 5))
        assert result.latest_value == 470
        assert result.latest_period == dt.date(2026, 10, 1)

    def test_lower_is_better_on_track_against_the_path_at_period_end(self):
        # October 2026 ends 31 Oct: the path has come down ~8.3 from 485.
        expected = expected_at(crime(), dt.date(2026, 10, 31)).low
        assert D(476) < expected < D(477)
        on = assess(crime(), [(dt.date(2026, 10, 1), D(476))], dt.date(2026, 11, 5))
        assert on.status == Status.ON_TRACK
        risk = assess(crime(), [(dt.date(2026, 10, 1), D(480))], dt.date(2026, 11, 5))
        assert risk.status == Status.AT_RISK
        off = assess(crime(), [(dt.date(2026, 10, 1), D(490))], dt.date(2026, 11, 5))
        assert off.status == Status.OFF_TRACK

    def test_stale_keeps_the_comparison(self):
        values = [(dt.date(2026, 8, 1), D(300))]
        result = assess(crime(), values, dt.date(2026, 10, 1))  # September also ended
        assert result.status == Status.STALE
        assert result.comparison == Status.ON_TRACK

    def test_range_measure(self):
        result = assess(budget(), [(dt.date(2026, 9, 1), D("2.9"))], dt.date(2026, 10, 10))
        assert result.status == Status.ON_TRACK  # the band is still near the baseline
        late = assess(budget(), [(dt.date(2031, 5, 1), D("2.4"))], dt.date(2031, 6, 10))
        assert late.status == Status.AT_RISK


@pytest.mark.parametrize(
    ("latest_period", "frequency", "today", "stale"),
    [
        (dt.date(2026, 10, 1), Frequency.MONTHLY, dt.date(2026, 11, 30), False),
        (dt.date(2026, 10, 1), Frequency.MONTHLY, dt.date(2026, 12, 1), True),
        (dt.date(2026, 7, 1), Frequency.QUARTERLY, dt.date(2026, 12, 31), False),
        (dt.date(2026, 7, 1), Frequency.QUARTERLY, dt.date(2027, 1, 1), True),
        (dt.date(2025, 7, 1), Frequency.ANNUAL, dt.date(2027, 6, 30), False),
        (dt.date(2025, 7, 1), Frequency.ANNUAL, dt.date(2027, 7, 1), True),
    ],
)
def test_staleness(latest_period, frequency, today, stale):
    assert is_stale(latest_period, frequency, today) is stale


class TestProgress:
    def test_lower_is_better(self):
        assert progress(crime(), D(485)) == 0
        assert progress(crime(), D(364)) == 1
        assert progress(crime(), D("424.5")) == D("0.5")

    def test_overshoot_and_negative_are_not_clamped(self):
        assert progress(crime(), D(303)) == D("1.504132231404958677685950413")
        assert progress(crime(), D("515.25")) == D("-0.25")

    def test_higher_is_better(self):
        assert progress(training(), D("67.5")) == D("0.5")

    def test_no_value(self):
        assert progress(crime(), None) is None

    def test_zero_range_has_no_progress(self):
        flat = MeasureSpec(**{**crime().__dict__, "target": Band.point(D(485))})
        assert progress(flat, D(400)) is None

    def test_range(self):
        assert progress(budget(), D("2.6")) == D("0.5")
        assert progress(budget(), D(0)) == 1
        assert progress(budget(), D("4.4")) == -1
        inside = MeasureSpec(**{**budget().__dict__, "baseline_value": D(1)})
        assert progress(inside, D("1.5")) == 1
        assert progress(inside, D(3)) == 0


def _monthly(first: dt.date, series: list[str]) -> list[tuple[dt.date, D]]:
    return [(add_months(first, i), D(v)) for i, v in enumerate(series) if v != "-"]


NOV_2025 = dt.date(2025, 11, 1)


@pytest.mark.parametrize(
    ("series", "polarity", "result", "since"),
    [
        # Fewer than twelve months: the latest value against the first of the window.
        (["485", "480", "470"], Polarity.LOWER, Trend.IMPROVING, NOV_2025),
        (["470", "480", "485"], Polarity.LOWER, Trend.WORSENING, NOV_2025),
        # The defect: a lower-is-better measure going down with a bump in the middle.
        (["9.2", "8.6", "8.9", "8.7"], Polarity.LOWER, Trend.IMPROVING, NOV_2025),
        (["40", "42", "45"], Polarity.HIGHER, Trend.IMPROVING, NOV_2025),
        (["45", "45"], Polarity.HIGHER, Trend.FLAT, NOV_2025),
        (["45"], Polarity.HIGHER, Trend.UNKNOWN, None),
        # Range measures: closer to the range (±2) is improving, from either side.
        (["3.2", "2.9", "2.5"], Polarity.RANGE, Trend.IMPROVING, NOV_2025),
        (["-3.5", "-2.6"], Polarity.RANGE, Trend.IMPROVING, NOV_2025),
        (["1", "-1", "-3"], Polarity.RANGE, Trend.WORSENING, NOV_2025),
        (["1.5", "-1.9"], Polarity.RANGE, Trend.FLAT, NOV_2025),  # both inside
        # Thirteen months: November 2026 against November 2025, like with like, whatever
        # the months between did (the old rule compared the last three: 4 → 6, improving).
        (["10", *["1"] * 10, "4", "6"], Polarity.HIGHER, Trend.WORSENING, NOV_2025),
        (["10", *["1"] * 10, "4", "6"], Polarity.LOWER, Trend.IMPROVING, NOV_2025),
        # No value a year before: the first value inside the twelve months before the latest.
        (["-", "2", *["9"] * 10, "5"], Polarity.HIGHER, Trend.IMPROVING, dt.date(2025, 12, 1)),
    ],
)
def test_trend(series, polarity, result, since):
    reading = trend(_monthly(NOV_2025, series), polarity, Band(D(-2), D(2)))
    assert (reading.direction, reading.compared_with) == (result, since)


@pytest.mark.parametrize(
    ("frequency", "periods", "since"),
    [
        # Quarterly: Q2 FY 2026 (October 2026) against Q2 FY 2025 (October 2025).
        (
            Frequency.QUARTERLY,
            [(2025, 10), (2026, 1), (2026, 4), (2026, 7), (2026, 10)],
            (2025, 10),
        ),
        # Annual: this year against last year.
        (Frequency.ANNUAL, [(2024, 7), (2025, 7), (2026, 7)], (2025, 7)),
    ],
)
def test_trend_compares_the_same_period_a_year_earlier(frequency, periods, since):
    values = [(dt.date(y, m, 1), D(len(periods) - i)) for i, (y, m) in enumerate(periods)]
    reading = trend(values, Polarity.LOWER, Band.point(D(0)))
    assert reading == TrendReading(Trend.IMPROVING, dt.date(*since, 1))


@pytest.mark.parametrize(
    ("statuses", "result"),
    [
        ([], "no_data"),
        (["no_data", "no_data"], "no_data"),
        (["on_track", "no_data"], "on_track"),
        (["on_track", "at_risk"], "at_risk"),
        (["stale", "on_track"], "stale"),
        (["at_risk", "off_track", "on_track"], "off_track"),
    ],
)
def test_objective_status(statuses, result):
    from scorecards.calc import objective_status

    assert objective_status([Status(s) for s in statuses]) == Status(result)


def test_creates_cycle():
    from scorecards.calc import creates_cycle

    edges = [(1, 2), (2, 3)]
    assert creates_cycle(edges, 3, 1) == [3, 1, 2, 3]
    assert creates_cycle(edges, 1, 3) is None  # a shortcut is fine
    assert creates_cycle(edges, 4, 4) == [4, 4]
    assert creates_cycle([], 1, 2) is None
