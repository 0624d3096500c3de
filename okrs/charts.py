"""A key result's check-in history as series of the core chart (``strategyhub.ui.charts``):
check-ins, the stretch target, the floor, the straight path and the forecast over the
quarter. The table on the key-result page has the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils.safestring import SafeString

from strategyhub.ui import charts, dates
from strategyhub.ui.charts import ACTUAL, FLOOR, FORECAST, STRETCH, LegendEntry
from strategyhub.ui.charts import PATH as PACE


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
    fmt: Callable[[Decimal], str],
    width: int = 720,
    height: int = 300,
) -> SafeString:
    """The quarter from ``start`` to ``end`` (check-ins outside it sit on its edges)."""
    numbers = [v for _, v in points] + [
        n for n in (start_value, stretch, floor, forecast) if n is not None
    ]
    frame = charts.Frame(width, height, left=70, right=20, top=20, bottom=36)
    chart = charts.Chart(
        charts.Scale.fit(frame, start, end, numbers, clamp_dates=True),
        title=title,
        desc="Check-ins over the quarter with the stretch target, the floor and the forecast; "
        "the table below has the same data.",
        id_prefix="kr-chart",
    )
    chart.y_grid(charts.decimal_label(fmt))
    chart.x_ticks([(month, f"{month:%b %Y}") for month in charts.month_ticks(start, end)])
    if stretch is not None:
        chart.hline(stretch, STRETCH, width=2, dash="1 3", title=f"Stretch target {fmt(stretch)}")
    if floor is not None:
        chart.hline(floor, FLOOR, width=2, dash="0", title=f"Floor {fmt(floor)}")
    if start_value is not None and stretch is not None:
        chart.segment((start, start_value), (end, stretch), PACE, dash="8 4", width=2)
    ordered = sorted(points)
    chart.polyline(ordered, ACTUAL, width=3)
    chart.dots(
        ordered,
        ACTUAL,
        radius=3.5,
        title=lambda day, value: f"{dates.month_day(day)}: {fmt(value)}",
    )
    if ordered and forecast is not None:
        chart.segment(
            ordered[-1],
            (end, forecast),
            FORECAST,
            width=2,
            dash="4 3",
            title=f"Forecast {fmt(forecast)}",
        )
    return chart.render()


LEGEND = [
    LegendEntry("Check-ins", ACTUAL, "solid"),
    LegendEntry("Straight path from the start to the stretch target", PACE, "dashed"),
    LegendEntry("Stretch target", STRETCH, "dotted"),
    LegendEntry("Floor (scorecard minimum)", FLOOR, "thick"),
    LegendEntry("Forecast to the end of the quarter", FORECAST, "dashed"),
]
