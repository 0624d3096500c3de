"""A measure's published series as SVG, from the publication document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ACTUAL, PLANNED, BASELINE, TARGET = "#005ea2", "#565c65", "#71767a", "#b50909"


def public_chart(measure: dict, width: int = 720, height: int = 300) -> SafeString:
    series = measure["series"]
    left, right, top, bottom = 80, 20, 20, 36
    points = [(dt.date.fromisoformat(s["period"]), Decimal(s["value"])) for s in series]
    planned = [
        (
            dt.date.fromisoformat(s["period"]),
            Decimal(s["expected"].get("value") or s["expected"]["high"]),
        )
        for s in series
    ]
    target = measure["five_year_target"]
    target_values = [Decimal(target[k]) for k in ("value", "low", "high") if target.get(k)]
    baseline = Decimal(measure["baseline"]["value"])
    numbers = [v for _, v in points] + [v for _, v in planned] + target_values + [baseline]
    low, high = float(min(numbers)), float(max(numbers))
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    start = min([p for p, _ in points] + [dt.date.fromisoformat(measure["baseline"]["date"])])
    end = dt.date.fromisoformat(target["date"])
    days = max((end - start).days, 1)

    def x(day):
        return left + (day - start).days / days * (width - left - right)

    def y(value):
        return top + (high - float(value)) / (high - low) * (height - top - bottom)

    parts = [
        f'<svg class="sh-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(measure["name"])}: reported values against the plan; the table '
        'below has the same data.">'
    ]
    for i in range(5):
        value = low + (high - low) * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#dfe1e2"/><text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#1b1b1b">{value:,.{measure["decimals"]}f}</text>'
        )
    year = start.year
    while dt.date(year, 1, 1) <= end:
        if dt.date(year, 1, 1) >= start:
            parts.append(
                f'<text x="{x(dt.date(year, 1, 1)):.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="12" fill="#1b1b1b">{year}</text>'
            )
        year += 1
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{y(baseline):.1f}" y2="{y(baseline):.1f}" '
        f'stroke="{BASELINE}" stroke-dasharray="2 4"/>'
    )
    if planned:
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in planned)
        parts.append(
            f'<polyline fill="none" stroke="{PLANNED}" stroke-width="2" stroke-dasharray="8 4" '
            f'points="{coords}"/>'
        )
    for value in target_values:
        parts.append(f'<circle cx="{x(end):.1f}" cy="{y(value):.1f}" r="6" fill="{TARGET}"/>')
    if points:
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(
            f'<polyline fill="none" stroke="{ACTUAL}" stroke-width="3" points="{coords}"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped text only)
