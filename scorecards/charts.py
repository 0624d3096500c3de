"""Server-rendered SVG charts: readable without JavaScript, each paired with a data table
on the page. Pure functions from values to markup; every text is escaped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from scorecards import calc

# Colours meet 3:1 against white for graphics (WCAG 1.4.11); lines also differ in dash
# pattern and are labelled in the legend, so colour is never the only cue.
ACTUAL = "#005ea2"
PATH = "#565c65"
FLOOR = "#936f38"
STRETCH = "#00756a"
TARGET = "#b50909"


def _num(value: float) -> str:
    return f"{value:.1f}"


def sparkline(values: list[Decimal], label: str, width: int = 120, height: int = 28) -> SafeString:
    """A small line of the recent values, with the last one as a dot."""
    if len(values) < 2:
        return mark_safe('<span class="sh-spark-empty">Not enough values for a trend</span>')
    low, high = float(min(values)), float(max(values))
    span = (high - low) or 1.0
    step = (width - 4) / (len(values) - 1)
    points = [
        (2 + i * step, height - 3 - (float(v) - low) / span * (height - 6))
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
    last_x, last_y = points[-1]
    return mark_safe(  # noqa: S308 (numbers and an escaped label only)
        f'<svg class="sh-sparkline" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{escape(label)}">'
        f'<polyline fill="none" stroke="{ACTUAL}" stroke-width="2" points="{path}"/>'
        f'<circle cx="{_num(last_x)}" cy="{_num(last_y)}" r="3" fill="{ACTUAL}"/></svg>'
    )


@dataclass(frozen=True)
class YearTarget:
    start: dt.date
    end: dt.date
    floor: calc.Band
    stretch: Decimal | None


def trend_chart(
    *,
    title: str,
    actuals: list[tuple[dt.date, Decimal]],
    spec: calc.MeasureSpec,
    plan_start: dt.date,
    yearly: list[YearTarget],
    fmt,
    width: int = 760,
    height: int = 340,
) -> SafeString:
    """Actuals, the target path, the baseline, yearly floors and stretches and the five-year
    target on one time axis. ``fmt`` formats a value for labels (the measure's unit)."""
    left, right, top, bottom = 70, 20, 20, 40
    start = min([plan_start, spec.baseline_date, *(p for p, _ in actuals)])
    end = spec.target_date
    numbers = [spec.baseline_value, spec.target.low, spec.target.high]
    numbers += [v for _, v in actuals]
    for year in yearly:
        numbers += [year.floor.low, year.floor.high]
        if year.stretch is not None:
            numbers.append(year.stretch)
    low, high = float(min(numbers)), float(max(numbers))
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    days = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return left + (day - start).days / days * (width - left - right)

    def y(value: Decimal | float) -> float:
        return top + (high - float(value)) / (high - low) * (height - top - bottom)

    parts = [
        f'<svg class="sh-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMinYMin meet">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<desc id="chart-desc">Actual values against the target path; the table below the '
        "chart has the same data.</desc>",
    ]
    # Y axis: five ticks.
    for i in range(5):
        value = low + (high - low) * i / 4
        ty = y(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(ty)}" y2="{_num(ty)}" '
            f'stroke="#dfe1e2"/><text x="{left - 6}" y="{_num(ty + 4)}" text-anchor="end" '
            f'font-size="12" fill="#1b1b1b">{escape(fmt(Decimal(str(round(value, 4)))))}</text>'
        )
    # X axis: fiscal year starts.
    tick = dt.date(plan_start.year - 1, plan_start.month, 1)
    while tick <= end:
        if tick >= start:
            tx = x(tick)
            parts.append(
                f'<line x1="{_num(tx)}" x2="{_num(tx)}" y1="{top}" y2="{height - bottom}" '
                f'stroke="#dfe1e2"/><text x="{_num(tx)}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="12" fill="#1b1b1b">{tick:%b %Y}</text>'
            )
        tick = dt.date(tick.year + 1, tick.month, 1)
    # Baseline.
    by = y(spec.baseline_value)
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{_num(by)}" y2="{_num(by)}" stroke="{PATH}" '
        f'stroke-dasharray="2 4"/>'
    )
    # Target path (straight line from baseline to the five-year target).
    if spec.polarity == calc.Polarity.RANGE:
        for bound in (spec.target.low, spec.target.high):
            parts.append(
                f'<line x1="{_num(x(spec.baseline_date))}" y1="{_num(by)}" '
                f'x2="{_num(x(end))}" y2="{_num(y(bound))}" stroke="{PATH}" '
                f'stroke-dasharray="8 4" stroke-width="2"/>'
            )
    else:
        parts.append(
            f'<line x1="{_num(x(spec.baseline_date))}" y1="{_num(by)}" x2="{_num(x(end))}" '
            f'y2="{_num(y(spec.target.low))}" stroke="{PATH}" stroke-dasharray="8 4" '
            f'stroke-width="2"/>'
        )
    # Yearly floors and stretches as steps.
    for year in yearly:
        for value in {year.floor.low, year.floor.high}:
            parts.append(
                f'<line x1="{_num(x(year.start))}" x2="{_num(x(year.end))}" '
                f'y1="{_num(y(value))}" y2="{_num(y(value))}" stroke="{FLOOR}" stroke-width="3"/>'
            )
        if year.stretch is not None:
            parts.append(
                f'<line x1="{_num(x(year.start))}" x2="{_num(x(year.end))}" '
                f'y1="{_num(y(year.stretch))}" y2="{_num(y(year.stretch))}" stroke="{STRETCH}" '
                f'stroke-width="2" stroke-dasharray="1 3"/>'
            )
    # Five-year target marker.
    tx = x(end)
    for value in {spec.target.low, spec.target.high}:
        ty = y(value)
        parts.append(
            f'<path d="M{_num(tx - 7)},{_num(ty)} L{_num(tx)},{_num(ty - 7)} L{_num(tx + 0)},'
            f'{_num(ty + 7)} Z" fill="{TARGET}"/>'
        )
    # Actuals.
    if actuals:
        ordered = sorted(actuals)
        points = " ".join(f"{_num(x(p))},{_num(y(v))}" for p, v in ordered)
        parts.append(
            f'<polyline fill="none" stroke="{ACTUAL}" stroke-width="3" points="{points}"/>'
        )
        for period, value in ordered:
            parts.append(
                f'<circle cx="{_num(x(period))}" cy="{_num(y(value))}" r="3.5" fill="{ACTUAL}">'
                f"<title>{period:%B %Y}: {escape(fmt(value))}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped text only)


LEGEND = [
    ("Actual values", ACTUAL, "solid"),
    ("Target path (baseline to five-year target)", PATH, "dashed"),
    ("Baseline", PATH, "dotted"),
    ("Yearly floor (minimum acceptable)", FLOOR, "thick"),
    ("Yearly stretch", STRETCH, "dotted"),
    ("Five-year target", TARGET, "diamond"),
]
