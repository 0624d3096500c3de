"""A measure's published series as series of the core chart (``strategyhub.ui.charts``),
read from the publication document: reported values, the planned path, the baseline and the
five-year target (a diamond, as in the legend), the value axis labelled with the unit. The
table on the public measure page has the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString

from strategyhub.ui import charts
from strategyhub.ui.charts import ACTUAL, MUTED, PATH, TARGET
from strategyhub.ui.formatting import format_number, format_quantity


def tick_format(measure: dict[str, Any]) -> Callable[[Decimal], str]:
    """A value of a document's measure as the value axis labels it: with its unit from the
    unit registry ("−2.5%", "45%", "$1,200", "8 min", "1 day"); for a document published
    before the vocabulary (no ``unit_code``), the number and its old free-text label."""
    decimals = measure["decimals"]
    code = measure.get("unit_code")
    if code:
        rate_per = measure.get("rate_per")
        return lambda value: format_quantity(value, decimals, code, rate_per)
    label = str(measure.get("unit_label") or "").strip()
    if not label:
        return lambda value: format_number(value, decimals)
    if label == "$":
        return lambda value: format_quantity(value, decimals, "currency")
    joint = "" if label == "%" else " "
    return lambda value: f"{format_number(value, decimals)}{joint}{label}"


def public_chart(measure: dict[str, Any], width: int = 720, height: int = 300) -> SafeString:
    series = measure["series"]
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
    start = min([p for p, _ in points] + [dt.date.fromisoformat(measure["baseline"]["date"])])
    end = dt.date.fromisoformat(target["date"])
    # The value axis' labels carry the unit ("−2.5%", "$1,200", "8 min"): room for the
    # longest one (about 7 px a character at 12 px).
    label = tick_format(measure)
    longest = max(len(label(charts.tick_decimal(v))) for v in charts.padded_range(numbers))
    left = max(80, 7 * longest + 14)
    frame = charts.Frame(width, height, left=left, right=20, top=20, bottom=36)
    chart = charts.Chart(
        charts.Scale.fit(frame, start, end, numbers),
        title=f"{measure['name']}: reported values against the plan; the table below has the "
        "same data.",
    )
    chart.y_grid(charts.decimal_label(label))
    years = charts.year_ticks(dt.date(start.year, 1, 1), start, end)
    chart.x_ticks([(year, f"{year:%Y}") for year in years])
    chart.hline(baseline, MUTED, dash="2 4")
    chart.polyline(planned, PATH, width=2, dash="8 4")
    for value in target_values:
        chart.diamond(end, value, TARGET)  # the legend's diamond
    chart.polyline(points, ACTUAL, width=3)
    return chart.render()
