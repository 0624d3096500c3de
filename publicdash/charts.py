"""A measure's published series as series of the core chart (``strategyhub.ui.charts``),
read from the publication document: reported values, the planned path, the baseline and the
five-year target (a diamond, as in the legend), the value axis labelled with the unit, at
both of the kit's sizes; and its legend, drawn with the same styles. The table on the public
measure page has the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from strategyhub.ui import charts
from strategyhub.ui.charts import ACTUAL, MUTED, PATH, TARGET, LegendEntry, Style
from strategyhub.ui.formatting import format_number, format_quantity

REPORTED = Style(ACTUAL, 3, marker="dot")
PLANNED = Style(PATH, 2, "8 4")
BASELINE = Style(MUTED, 1.5, "2 4")
FIVE_YEAR_TARGET = Style(TARGET, 0, marker="diamond", size=7)


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


def public_chart(measure: dict[str, Any]) -> SafeString:
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
    # The value axis' labels carry the unit ("−2.5%", "$1,200", "8 min"); the kit leaves
    # room for the longest one.
    label = charts.decimal_label(tick_format(measure))
    years = charts.year_ticks(dt.date(start.year, 1, 1), start, end)
    title = gettext(
        "%(name)s: reported values against the plan; the table below has the same data."
    )

    def draw(size: charts.Size) -> charts.Chart:
        chart = charts.Chart.sized(
            size, start, end, numbers, label, title=title % {"name": measure["name"]}
        )
        chart.y_grid()
        chart.x_ticks([(year, f"{year:%Y}") for year in years])
        chart.hline(baseline, BASELINE)
        chart.polyline(planned, PLANNED)
        for value in target_values:
            chart.marker(end, value, FIVE_YEAR_TARGET)
        chart.series(points, REPORTED)
        return chart

    return charts.responsive(draw)


def public_legend() -> SafeString:
    """The public chart's legend, drawn with the chart's styles."""
    return charts.legend(
        [
            LegendEntry(gettext("Reported values"), REPORTED),
            LegendEntry(gettext("Planned path"), PLANNED),
            LegendEntry(gettext("Baseline"), BASELINE),
            LegendEntry(gettext("Five-year target"), FIVE_YEAR_TARGET),
        ]
    )
