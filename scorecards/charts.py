"""A measure's trend chart: its actuals, target path, baseline, yearly floors and stretches
and five-year target as series of the core chart (``strategyhub.ui.charts``), which draws
them. The table on the measure page has the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString

from scorecards import calc
from strategyhub import fiscal
from strategyhub.ui import charts
from strategyhub.ui.charts import ACTUAL, FLOOR, PATH, STRETCH, TARGET, LegendEntry


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
    fmt: Callable[[Decimal], str],
    width: int = 760,
    height: int = 340,
    id_prefix: str = "chart",
) -> SafeString:
    """Actuals, the target path, the baseline, yearly floors and stretches and the five-year
    target on one time axis. ``fmt`` formats a value for labels (the measure's unit);
    ``id_prefix`` names its title and description (unique per page: a report has many)."""
    start = min([plan_start, spec.baseline_date, *(p for p, _ in actuals)])
    end = spec.target_date
    numbers = [spec.baseline_value, spec.target.low, spec.target.high]
    numbers += [v for _, v in actuals]
    for year in yearly:
        numbers += [year.floor.low, year.floor.high]
        if year.stretch is not None:
            numbers.append(year.stretch)
    frame = charts.Frame(width, height, left=70, right=20, top=20, bottom=40)
    chart = charts.Chart(
        charts.Scale.fit(frame, start, end, numbers),
        title=title,
        desc="Actual values against the target path; the table below the chart has the same data.",
        id_prefix=id_prefix,
        aspect="xMinYMin meet",
    )
    chart.y_grid(charts.decimal_label(fmt))
    year_before = fiscal.fiscal_year(plan_start.year - 1, plan_start.month).start
    fiscal_years = charts.year_ticks(year_before, start, end)
    chart.x_ticks([(tick, f"{tick:%b %Y}") for tick in fiscal_years], grid=True)
    chart.hline(spec.baseline_value, PATH, dash="2 4")
    # Target path: a straight line from the baseline to the five-year target (both bounds
    # of a range).
    range_ = spec.polarity == calc.Polarity.RANGE
    for bound in (spec.target.low, spec.target.high) if range_ else (spec.target.low,):
        baseline = (spec.baseline_date, spec.baseline_value)
        chart.segment(baseline, (end, bound), PATH, dash="8 4", width=2)
    # Yearly floors and stretches as steps.
    for year in yearly:
        for value in {year.floor.low, year.floor.high}:
            chart.segment((year.start, value), (year.end, value), FLOOR, width=3)
        if year.stretch is not None:
            stretch = year.stretch
            chart.segment((year.start, stretch), (year.end, stretch), STRETCH, width=2, dash="1 3")
    for value in {spec.target.low, spec.target.high}:
        chart.pointer(end, value, TARGET)
    ordered = sorted(actuals)
    chart.polyline(ordered, ACTUAL, width=3)

    def dot_title(day: dt.date, value: Decimal) -> str:
        label = fiscal.period_label(
            day, spec.frequency, spec.fiscal_start_month, spec.fiscal_label_style
        )
        return f"{label}: {fmt(value)}"

    chart.dots(ordered, ACTUAL, radius=3.5, title=dot_title)
    return chart.render()


LEGEND = [
    LegendEntry("Actual values", ACTUAL, "solid"),
    LegendEntry("Target path (baseline to five-year target)", PATH, "dashed"),
    LegendEntry("Baseline", PATH, "dotted"),
    LegendEntry("Yearly floor (minimum acceptable)", FLOOR, "thick"),
    LegendEntry("Yearly stretch", STRETCH, "dotted"),
    LegendEntry("Five-year target", TARGET, "diamond"),
]
