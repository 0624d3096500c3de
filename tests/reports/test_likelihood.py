"""The likelihood band against synthetic series: a steady trend that reaches the target is
likely, a flat one far away unlikely, a noisy one near it possible, three points not enough
data; direction-aware, and ranges."""

import datetime as dt
from decimal import Decimal as D

from reports.likelihood import Likelihood, forecast
from scorecards.calc import Band, Polarity
from strategyhub import fiscal

TARGET_DATE = dt.date(2031, 6, 30)


def monthly(values):
    start = dt.date(2026, 7, 1)
    return [(fiscal.add_months(start, i), D(str(v))) for i, v in enumerate(values)]


def test_a_steady_trend_that_reaches_the_target_is_likely():
    # 485 falling 2.5 a month reaches ~364 by mid-2030.
    series = monthly([485 - 2.5 * i for i in range(12)])
    result = forecast(series, TARGET_DATE, Band.point(D(364)), Polarity.LOWER)
    assert result.likelihood == Likelihood.LIKELY
    assert result.forecast is not None and result.forecast < 364


def test_a_flat_series_far_from_the_target_is_unlikely():
    series = monthly([480, 481, 479, 480, 482, 480, 479, 481])
    assert forecast(series, TARGET_DATE, Band.point(D(364)), Polarity.LOWER).likelihood == (
        Likelihood.UNLIKELY
    )


def test_a_noisy_series_near_the_target_is_possible():
    series = monthly([60, 80, 55, 85, 58, 84, 62, 83])
    assert forecast(series, TARGET_DATE, Band.point(D(72)), Polarity.HIGHER).likelihood == (
        Likelihood.POSSIBLE
    )


def test_three_points_are_not_enough_data():
    series = monthly([40, 41, 42])
    result = forecast(series, TARGET_DATE, Band.point(D(85)), Polarity.HIGHER)
    assert result.likelihood == Likelihood.NOT_ENOUGH_DATA
    assert result.forecast is None


def test_higher_is_better_rising_to_the_target_is_likely_and_falling_unlikely():
    rising = monthly([40 + i for i in range(10)])
    assert forecast(rising, TARGET_DATE, Band.point(D(85)), Polarity.HIGHER).likelihood == (
        Likelihood.LIKELY
    )
    falling = monthly([40 - 0.5 * i for i in range(10)])
    assert forecast(falling, TARGET_DATE, Band.point(D(85)), Polarity.HIGHER).likelihood == (
        Likelihood.UNLIKELY
    )


def test_a_range_target():
    inside = monthly([0.5, 0.5, 0.6, 0.5, 0.4, 0.5, 0.5, 0.6, 0.5, 0.4, 0.5, 0.5])
    assert forecast(inside, TARGET_DATE, Band(D(-2), D(2)), Polarity.RANGE).likelihood == (
        Likelihood.LIKELY
    )
    drifting = monthly([3 + 0.2 * i for i in range(8)])
    assert forecast(drifting, TARGET_DATE, Band(D(-2), D(2)), Polarity.RANGE).likelihood == (
        Likelihood.UNLIKELY
    )
