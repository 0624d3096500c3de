"""A key result's check-in history as series of the core chart (``strategyhub.ui.charts``):
check-ins, the stretch target, the floor, the straight path and the forecast over the
quarter, at both of the kit's sizes; and its legend, of what is drawn. The table on the
key-result page has the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from strategyhub.ui import charts, dates
from strategyhub.ui.charts import ACTUAL, FLOOR, FORECAST, STRETCH, LegendEntry, Style
from strategyhub.ui.charts import PATH as PACE

CHECK_INS = Style(ACTUAL, 3, marker="dot")
PACE_LINE = Style(PACE, 2, "8 4")
STRETCH_LINE = Style(STRETCH, 2, "1 3")
FLOOR_LINE = Style(FLOOR, 4)
FORECAST_LINE = Style(FORECAST, 2, "4 3")


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
) -> SafeString:
    """The quarter from ``start`` to ``end`` (check-ins outside it sit on its edges)."""
    numbers = [v for _, v in points] + [
        n for n in (start_value, stretch, floor, forecast) if n is not None
    ]
    ordered = sorted(points)
    months = [(month, dates.month_year(month)) for month in charts.month_ticks(start, end)]

    def draw(size: charts.Size) -> charts.Chart:
        chart = charts.Chart.sized(
            size,
            start,
            end,
            numbers,
            charts.decimal_label(fmt),
            title=title,
            desc=gettext(
                "Check-ins over the quarter with the stretch target, the floor and the "
                "forecast; the table below has the same data."
            ),
            id_prefix="kr-chart",
            clamp_dates=True,
        )
        chart.y_grid()
        chart.x_ticks(months)
        if stretch is not None:
            title_ = gettext("Stretch target %(value)s") % {"value": fmt(stretch)}
            chart.hline(stretch, STRETCH_LINE, title=title_)
        if floor is not None:
            chart.hline(floor, FLOOR_LINE, title=gettext("Floor %(value)s") % {"value": fmt(floor)})
        if start_value is not None and stretch is not None:
            chart.segment((start, start_value), (end, stretch), PACE_LINE)
        chart.series(
            ordered, CHECK_INS, title=lambda day, value: f"{dates.month_day(day)}: {fmt(value)}"
        )
        if ordered and forecast is not None:
            chart.segment(
                ordered[-1],
                (end, forecast),
                FORECAST_LINE,
                title=gettext("Forecast %(value)s") % {"value": fmt(forecast)},
            )
        return chart

    return charts.responsive(draw)


def legend(
    *, path: bool, stretch: bool, floor: bool, forecast: bool, points: bool = True
) -> SafeString:
    """The legend of ``kr_chart``: an entry for each series it draws with these inputs (the
    straight path needs a start value and a stretch target, the forecast a check-in)."""
    entries = [LegendEntry(gettext("Check-ins"), CHECK_INS)]
    if path:
        entries.append(
            LegendEntry(gettext("Straight path from the start to the stretch target"), PACE_LINE)
        )
    if stretch:
        entries.append(LegendEntry(gettext("Stretch target"), STRETCH_LINE))
    if floor:
        entries.append(LegendEntry(gettext("Floor (scorecard minimum)"), FLOOR_LINE))
    if forecast and points:
        entries.append(LegendEntry(gettext("Forecast to the end of the quarter"), FORECAST_LINE))
    return charts.legend(entries)
