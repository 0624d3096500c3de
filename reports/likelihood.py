"""The likelihood of meeting a measure's five-year target, from its own history.

Method (stated in every report's footnote, ``METHOD``): a straight line fitted by least
squares through the measure's values (one per period, by date) is extended to the target
date. Its band is the forecast ± twice the standard error of a new value at that date (the
spread of the values around the line, widened for the distance from the data): about 95% of
the outcomes a steady trend with that much noise would give. The target is

* **likely** when the whole band meets it (direction-aware: at or below for lower is better,
  at or above for higher is better, inside for a range),
* **unlikely** when no point of the band meets it,
* **possible** when the band straddles it,
* **not enough data** with fewer than ``MIN_PERIODS`` values.

Pure: plain dates and Decimals in, a small record out. Floats inside the statistics are
fine: the band is an estimate, and only the words and the rounded forecast are shown.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scorecards.calc import Band, Polarity

MIN_PERIODS = 4
BAND_WIDTH = 2.0  # standard errors either side

METHOD = (
    "Likelihood: a straight line fitted through the measure's values, extended to the "
    "target date, with a band of two standard errors from the spread of the values. "
    "Likely: the whole band meets the target. Possible: part of it does. Unlikely: none of "
    f"it does. Fewer than {MIN_PERIODS} values: not enough data."
)


class Likelihood(enum.StrEnum):
    LIKELY = "likely"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True)
class Forecast:
    likelihood: Likelihood
    forecast: Decimal | None = None  # the line's value at the target date
    low: Decimal | None = None  # the band
    high: Decimal | None = None


def _meets(value: float, target: Band, polarity: Polarity) -> bool:
    if polarity == Polarity.HIGHER:
        return value >= float(target.low)
    if polarity == Polarity.LOWER:
        return value <= float(target.high)
    return float(target.low) <= value <= float(target.high)


def forecast(
    values: Sequence[tuple[dt.date, Decimal]],
    target_date: dt.date,
    target: Band,
    polarity: Polarity,
) -> Forecast:
    points = sorted(values)
    n = len(points)
    if n < MIN_PERIODS:
        return Forecast(Likelihood.NOT_ENOUGH_DATA)
    origin = points[0][0]
    xs = [float((day - origin).days) for day, _ in points]
    ys = [float(value) for _, value in points]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return Forecast(Likelihood.NOT_ENOUGH_DATA)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    spread = math.sqrt(sum(r * r for r in residuals) / (n - 2))
    x0 = float((target_date - origin).days)
    at_target = intercept + slope * x0
    error = spread * math.sqrt(1 + 1 / n + (x0 - mean_x) ** 2 / sxx)
    low, high = at_target - BAND_WIDTH * error, at_target + BAND_WIDTH * error
    if polarity == Polarity.RANGE:
        inside_low, inside_high = float(target.low), float(target.high)
        if inside_low <= low and high <= inside_high:
            likelihood = Likelihood.LIKELY
        elif high < inside_low or low > inside_high:
            likelihood = Likelihood.UNLIKELY
        else:
            likelihood = Likelihood.POSSIBLE
    else:
        worst, best = (low, high) if polarity == Polarity.HIGHER else (high, low)
        if _meets(worst, target, polarity):
            likelihood = Likelihood.LIKELY
        elif not _meets(best, target, polarity):
            likelihood = Likelihood.UNLIKELY
        else:
            likelihood = Likelihood.POSSIBLE

    def dec(number: float) -> Decimal:
        return Decimal(repr(round(number, 6)))

    return Forecast(likelihood, dec(at_target), dec(low), dec(high))
