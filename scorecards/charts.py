"""A measure's trend chart: its actuals, target path, baseline, yearly floors and stretches
and five-year target as series of the core chart (``strategyhub.ui.charts``), which draws
them, at both of its sizes; and its legend, of what is drawn. The table on the measure page
(and in the report) has the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from scorecards import calc
from strategyhub import fiscal
from strategyhub.ui import charts, dates
from strategyhub.ui.charts import ACTUAL, FLOOR, PATH, STRETCH, TARGET, LegendEntry, Style

ACTUALS = Style(ACTUAL, 3, marker="dot")
TARGET_PATH = Style(PATH, 2, "8 4")
BASELINE = Style(PATH, 1.5, "2 4")
YEARLY_FLOOR = Style(FLOOR, 4)
YEARLY_STRETCH = Style(STRETCH, 2, "1 3")
FIVE_YEAR_TARGET = Style(TARGET, 0, marker="diamond", size=7)


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
    id_prefix: str = "chart",
) -> SafeString:
    """Actuals, the target path, the baseline, yearly floors and stretches and the five-year
    target on one time axis, wide and narrow (``charts.responsive``). ``fmt`` formats a
    value for labels (the measure's unit); ``id_prefix`` names its title and description
    (unique per page: a report has many)."""
    start = min([plan_start, spec.baseline_date, *(p for p, _ in actuals)])
    end = spec.target_date
    numbers = [spec.baseline_value, spec.target.low, spec.target.high]
    numbers += [v for _, v in actuals]
    for year in yearly:
        numbers += [year.floor.low, year.floor.high]
        if year.stretch is not None:
            numbers.append(year.stretch)
    year_before = fiscal.fiscal_year(plan_start.year - 1, plan_start.month).start
    fiscal_years = charts.year_ticks(year_before, start, end)
    ordered = sorted(actuals)

    def dot_title(day: dt.date, value: Decimal) -> str:
        label = fiscal.period_label(
            day, spec.frequency, spec.fiscal_start_month, spec.fiscal_label_style
        )
        return f"{label}: {fmt(value)}"

    def draw(size: charts.Size) -> charts.Chart:
        chart = charts.Chart.sized(
            size,
            start,
            end,
            numbers,
            charts.decimal_label(fmt),
            title=title,
            desc=gettext(
                "Actual values against the target path; the table below the chart has the "
                "same data."
            ),
            id_prefix=id_prefix,
        )
        chart.y_grid()
        chart.x_ticks([(tick, dates.month_year(tick)) for tick in fiscal_years], grid=True)
        chart.hline(spec.baseline_value, BASELINE)
        # Target path: a straight line from the baseline to the five-year target (both
        # bounds of a range).
        range_ = spec.polarity == calc.Polarity.RANGE
        baseline = (spec.baseline_date, spec.baseline_value)
        for bound in (spec.target.low, spec.target.high) if range_ else (spec.target.low,):
            chart.segment(baseline, (end, bound), TARGET_PATH)
        # Yearly floors and stretches as steps.
        for year in yearly:
            for value in {year.floor.low, year.floor.high}:
                chart.segment((year.start, value), (year.end, value), YEARLY_FLOOR)
            if year.stretch is not None:
                chart.segment((year.start, year.stretch), (year.end, year.stretch), YEARLY_STRETCH)
        for value in {spec.target.low, spec.target.high}:
            chart.marker(end, value, FIVE_YEAR_TARGET)
        chart.series(ordered, ACTUALS, title=dot_title)
        return chart

    return charts.responsive(draw)


def legend(yearly: list[YearTarget]) -> SafeString:
    """The trend chart's legend: what ``trend_chart`` draws for these yearly targets."""
    entries = [
        LegendEntry(gettext("Actual values"), ACTUALS),
        LegendEntry(gettext("Target path (baseline to five-year target)"), TARGET_PATH),
        LegendEntry(gettext("Baseline"), BASELINE),
    ]
    if yearly:
        entries.append(LegendEntry(gettext("Yearly floor (minimum acceptable)"), YEARLY_FLOOR))
    if any(year.stretch is not None for year in yearly):
        entries.append(LegendEntry(gettext("Yearly stretch"), YEARLY_STRETCH))
    entries.append(LegendEntry(gettext("Five-year target"), FIVE_YEAR_TARGET))
    return charts.legend(entries)
