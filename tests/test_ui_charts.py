"""The core chart kit (strategyhub.ui.charts): scales, ticks, empty series and the
accessible structure, on plain data."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal as D

from strategyhub.ui import charts

FRAME = charts.Frame(200, 120, left=20, right=10, top=10, bottom=20)


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 (markup this test just rendered)


def _svg(chart: charts.Chart) -> ET.Element:
    return _parse(str(chart.render()))


def test_padded_range_leaves_room_around_the_numbers():
    assert charts.padded_range([D(10), D(20)]) == (9.0, 21.0)
    low, high = charts.padded_range([D(50)])  # a flat series: a tenth of its value
    assert (low, high) == (45.0, 55.0)
    assert charts.padded_range([D(0), D(0)]) == (-1.0, 1.0)
    assert charts.padded_range([D(-4), D(-2)]) == (-4.2, -1.8)


def test_an_empty_series_gets_the_range_zero_to_one():
    assert charts.padded_range([]) == (-0.1, 1.1)
    scale = charts.Scale.fit(FRAME, dt.date(2025, 1, 1), dt.date(2025, 3, 31), [])
    # Widened to round ends (ticks −0.5, 0, 0.5, 1, 1.5): holds 0–1 with room.
    assert (scale.low, scale.high) == (-0.5, 1.5)


def test_scale_maps_dates_left_to_right_and_values_bottom_to_top():
    scale = charts.Scale(FRAME, dt.date(2025, 1, 1), dt.date(2025, 1, 11), low=0.0, high=10.0)
    assert scale.x(dt.date(2025, 1, 1)) == 20
    assert scale.x(dt.date(2025, 1, 11)) == 190
    assert scale.x(dt.date(2025, 1, 6)) == 105
    assert scale.y(D(10)) == 10 and scale.y(D(0)) == 100 and scale.y(5) == 55
    # Unclamped, a date before the start lies left of the plot; clamped it sits on the edge.
    assert scale.x(dt.date(2024, 12, 22)) < 20
    clamped = charts.Scale(FRAME, scale.start, scale.end, 0.0, 10.0, clamp_dates=True)
    assert clamped.x(dt.date(2024, 12, 22)) == 20 and clamped.x(dt.date(2026, 1, 1)) == 190


def test_a_scale_of_one_day_does_not_divide_by_zero():
    day = dt.date(2025, 5, 1)
    assert charts.Scale(FRAME, day, day, 0.0, 1.0).x(day) == 20


def test_scales_end_on_round_numbers_so_the_ticks_are_round():
    assert charts.round_range(438.1, 503.9) == (425.0, 525.0)  # ticks 425, 450, … 525
    assert charts.value_ticks(*charts.round_range(7.4, 9.6)) == [7.0, 8.0, 9.0, 10.0, 11.0]
    assert charts.round_range(0.0, 8.0) == (0.0, 8.0)  # already round: unchanged
    low, high = charts.round_range(-2025.0, 3450.0)
    assert low <= -2025.0 and high >= 3450.0  # never narrower than asked
    frame = charts.Frame(600, 200, 60, 10, 10, 30)
    scale = charts.Scale.fit(frame, dt.date(2026, 1, 1), dt.date(2026, 12, 1), [D("438.1")])
    assert all(tick == round(tick) for tick in charts.value_ticks(scale.low, scale.high))


def test_value_ticks_span_the_range_evenly():
    assert charts.value_ticks(0.0, 8.0) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert charts.value_ticks(-1.0, 1.0, 3) == [-1.0, 0.0, 1.0]
    assert charts.tick_decimal(2.123456) == D("2.1235")
    assert charts.decimal_label(lambda d: f"{d} %")(1.5) == "1.5 %"


def test_year_ticks_keep_the_anniversaries_inside_the_span():
    ticks = charts.year_ticks(dt.date(2023, 7, 1), dt.date(2024, 3, 1), dt.date(2026, 7, 1))
    assert ticks == [dt.date(2024, 7, 1), dt.date(2025, 7, 1), dt.date(2026, 7, 1)]
    assert charts.year_ticks(dt.date(2030, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1)) == []


def test_month_ticks_start_at_the_first_of_the_start_month_and_cross_the_year():
    ticks = charts.month_ticks(dt.date(2025, 11, 15), dt.date(2026, 2, 1))
    assert ticks == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_chart_is_named_by_title_and_desc_and_escapes_text():
    scale = charts.Scale.fit(FRAME, dt.date(2025, 1, 1), dt.date(2025, 12, 31), [D(1), D(3)])
    chart = charts.Chart(
        scale, title="Calls <&> answered", desc="Same data below.", id_prefix="kr-chart"
    )
    chart.y_grid(lambda value: f"{value:.0f} <u>")
    chart.x_ticks([(dt.date(2025, 6, 1), "Jun 2025")], grid=True)
    points = [(dt.date(2025, 2, 1), D(1)), (dt.date(2025, 5, 1), D(3))]
    chart.polyline(points, charts.ACTUAL, width=3)
    chart.dots(points, charts.ACTUAL, radius=3.5, title=lambda d, v: f"{d:%B}: {v} <b>")
    chart.hline(D(2), charts.STRETCH, width=2, dash="1 3", title="Stretch 2")
    svg = _svg(chart)
    assert svg.get("role") == "img" and svg.get("class") == "sh-chart"
    assert svg.get("aria-labelledby") == "kr-chart-title kr-chart-desc"
    assert svg.get("viewBox") == "0 0 200 120"
    title, desc = svg[0], svg[1]
    assert (title.tag, title.get("id"), title.text) == (
        "title",
        "kr-chart-title",
        "Calls <&> answered",
    )
    assert (desc.tag, desc.get("id"), desc.text) == ("desc", "kr-chart-desc", "Same data below.")
    labels = [t.text for t in svg.iter("text")]
    ticks = charts.distinct_ticks(scale.low, scale.high, lambda v: f"{v:.0f} <u>")
    assert labels[: len(ticks)] == [f"{v:.0f} <u>" for v in ticks]
    assert len(set(labels[: len(ticks)])) == len(ticks)  # no label twice
    assert labels[len(ticks)] == "Jun 2025"
    # A grid line per value tick, and the baseline of the time axis.
    assert (
        len([line for line in svg.iter("line") if line.get("stroke") == charts.GRID])
        == len(ticks) + 1
    )
    polyline = svg.find("polyline")
    assert polyline.get("points") == " ".join(
        f"{scale.x(d):.1f},{scale.y(v):.1f}" for d, v in points
    )
    assert [c.find("title").text for c in svg.iter("circle")] == ["February: 1 <b>", "May: 3 <b>"]
    stretch = next(line for line in svg.iter("line") if line.get("stroke") == charts.STRETCH)
    assert stretch.get("stroke-dasharray") == "1 3" and stretch.find("title").text == "Stretch 2"


def test_chart_without_ids_is_named_by_aria_label_and_draws_nothing_for_empty_series():
    scale = charts.Scale.fit(FRAME, dt.date(2025, 1, 1), dt.date(2025, 12, 31), [])
    chart = charts.Chart(scale, title='Pub "m": values')
    chart.polyline([], charts.ACTUAL, width=3)
    chart.dots([], charts.ACTUAL, radius=3)
    svg = _svg(chart)
    assert svg.get("aria-label") == 'Pub "m": values' and svg.get("aria-labelledby") is None
    assert list(svg) == []


def test_sparkline():
    assert "Not enough values" in charts.sparkline([D(1)], "x")
    svg = _parse(str(charts.sparkline([D(1), D(3), D(2)], "Trend <up>")))
    assert svg.get("aria-label") == "Trend <up>" and svg.get("role") == "img"
    assert svg.find("polyline").get("points") == "2.0,25.0 60.0,3.0 118.0,14.0"
    assert (svg.find("circle").get("cx"), svg.find("circle").get("cy")) == ("118.0", "14.0")
    flat = _parse(str(charts.sparkline([D(5), D(5)], "flat")))
    assert flat.find("polyline").get("points") == "2.0,25.0 118.0,25.0"


def test_the_public_chart_labels_its_axis_with_the_one_number_format():
    """publicdash/charts.py rounds its axis labels through ``strategyhub.ui.formatting``:
    thousands separators, the minus sign, never "−0"."""
    from publicdash.charts import public_chart
    from strategyhub.ui.formatting import format_number

    measure = {
        "name": "Net change in cases",
        "decimals": 1,
        "series": [
            {"period": "2026-07-01", "value": "-1500", "expected": {"value": "-1200"}},
            {"period": "2026-10-01", "value": "2500", "expected": {"value": "1000"}},
        ],
        "five_year_target": {"date": "2031-06-30", "value": "3000"},
        "baseline": {"date": "2026-06-30", "value": "-1000"},
    }
    svg = _parse(str(public_chart(measure)))
    labels = [t.text for t in svg.iter() if t.tag.rsplit("}", 1)[-1] == "text"]
    ticks = charts.value_ticks(*charts.round_range(*charts.padded_range([D(-1500), D(3000)])), 5)
    expected = [format_number(charts.tick_decimal(tick), 1) for tick in ticks]
    assert expected and set(expected) <= set(labels)
    assert any(label.startswith("−") for label in expected)
    assert not any("-" in (label or "") for label in labels)
