"""The check-in history of a key result as server-rendered SVG (with a table on the page)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ACTUAL, PACE, FLOOR, STRETCH, FORECAST = "#005ea2", "#565c65", "#936f38", "#00756a", "#8b0a03"


def kr_chart(
    *,
    title: str,
    start: dt.date,
    end: dt.date,
    points: list[tuple[dt.date, Decimal]],
    start_value: Decimal | None,
    stretch: Decimal | None,
    floor: Decimal | None,
    forecast: Decimal | None,
    fmt,
    width: int = 720,
    height: int = 300,
) -> SafeString:
    left, right, top, bottom = 70, 20, 20, 36
    numbers = [v for _, v in points] + [
        n for n in (start_value, stretch, floor, forecast) if n is not None
    ]
    if not numbers:
        numbers = [Decimal(0), Decimal(1)]
    low, high = float(min(numbers)), float(max(numbers))
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    days = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return left + min(max((day - start).days, 0), days) / days * (width - left - right)

    def y(value) -> float:
        return top + (high - float(value)) / (high - low) * (height - top - bottom)

    def hline(value, colour, dash, label):
        return (
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"><title>{escape(label)}'
            "</title></line>"
        )

    parts = [
        f'<svg class="sh-chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="kr-chart-title kr-chart-desc">',
        f'<title id="kr-chart-title">{escape(title)}</title>',
        '<desc id="kr-chart-desc">Check-ins over the quarter with the stretch target, the floor '
        "and the forecast; the table below has the same data.</desc>",
    ]
    for i in range(5):
        value = low + (high - low) * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#dfe1e2"/><text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#1b1b1b">{escape(fmt(Decimal(str(round(value, 4)))))}</text>'
        )
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        parts.append(
            f'<text x="{x(month):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="12" fill="#1b1b1b">{month:%b %Y}</text>'
        )
        month = dt.date(month.year + (month.month // 12), month.month % 12 + 1, 1)
    if stretch is not None:
        parts.append(hline(stretch, STRETCH, "1 3", f"Stretch target {fmt(stretch)}"))
    if floor is not None:
        parts.append(hline(floor, FLOOR, "0", f"Floor {fmt(floor)}"))
    if start_value is not None and stretch is not None:
        parts.append(
            f'<line x1="{x(start):.1f}" y1="{y(start_value):.1f}" x2="{x(end):.1f}" '
            f'y2="{y(stretch):.1f}" stroke="{PACE}" stroke-dasharray="8 4" stroke-width="2"/>'
        )
    if points:
        ordered = sorted(points)
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in ordered)
        parts.append(
            f'<polyline fill="none" stroke="{ACTUAL}" stroke-width="3" points="{coords}"/>'
        )
        for day, value in ordered:
            parts.append(
                f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="3.5" fill="{ACTUAL}">'
                f"<title>{day:%-d %B}: {escape(fmt(value))}</title></circle>"
            )
        if forecast is not None:
            last_day, last_value = ordered[-1]
            parts.append(
                f'<line x1="{x(last_day):.1f}" y1="{y(last_value):.1f}" x2="{x(end):.1f}" '
                f'y2="{y(forecast):.1f}" stroke="{FORECAST}" stroke-width="2" '
                f'stroke-dasharray="4 3"><title>Forecast {escape(fmt(forecast))}</title></line>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped text only)


LEGEND = [
    ("Check-ins", ACTUAL, "solid"),
    ("Straight path from the start to the stretch target", PACE, "dashed"),
    ("Stretch target", STRETCH, "dotted"),
    ("Floor (scorecard minimum)", FLOOR, "thick"),
    ("Forecast to the end of the quarter", FORECAST, "dashed"),
]
