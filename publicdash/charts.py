"""A measure's published series as series of the core chart (``strategyhub.ui.charts``),
read from the publication document: reported values, the planned path, the baseline and the
five-year target. The table on the public measure page has the same data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString

from strategyhub.ui import charts
from strategyhub.ui.charts import ACTUAL, MUTED, PATH, TARGET
from strategyhub.ui.formatting import format_number


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
    frame = charts.Frame(width, height, left=80, right=20, top=20, bottom=36)
    chart = charts.Chart(
        charts.Scale.fit(frame, start, end, numbers),
        title=f"{measure['name']}: reported values against the plan; the table below has the "
        "same data.",
    )
    decimals = measure["decimals"]
    chart.y_grid(charts.decimal_label(lambda value: format_number(value, decimals)))
    years = charts.year_ticks(dt.date(start.year, 1, 1), start, end)
    chart.x_ticks([(year, f"{year:%Y}") for year in years])
    chart.hline(baseline, MUTED, dash="2 4")
    chart.polyline(planned, PATH, width=2, dash="8 4")
    chart.dots([(end, value) for value in target_values], TARGET, radius=6)
    chart.polyline(points, ACTUAL, width=3)
    return chart.render()
