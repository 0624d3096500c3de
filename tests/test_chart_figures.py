"""The charts as pages show them (issue 23, item 6): two drawings each, labels never under
12 px where a drawing is shown, legends drawn with the series' own styles, month names in
the active language, and the sparkline's target line."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from okrs.charts import kr_chart
from okrs.charts import legend as kr_legend
from publicdash.charts import public_chart, public_legend
from scorecards import calc, charts
from scorecards.models import MeasureTarget, MeasureValue
from strategyhub.ui import charts as kit

SVG = "{http://www.w3.org/2000/svg}"
PHONE_CONTENT = 288  # a 320 px phone's content box (16 px padding each side)


def _tree(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (markup this test just rendered)


def _drawings(markup: str) -> dict[str, ET.Element]:
    """The drawings of a chart box by size name (``wide``, ``narrow``)."""
    box = _tree(markup)
    assert box.get("class") == "sh-chart-box"
    found = {}
    for svg in box:
        classes = svg.get("class").split()
        assert classes[0] == "sh-chart"
        found[classes[1].removeprefix("sh-chart--")] = svg
    return found


def _spec() -> calc.MeasureSpec:
    return calc.MeasureSpec(
        polarity=calc.Polarity.LOWER,
        baseline_value=D("9.2"),
        baseline_date=dt.date(2025, 6, 30),
        target_date=dt.date(2030, 6, 30),
        target=calc.Band(D(7), D(7)),
    )


def _trend(**overrides):
    yearly = [
        charts.YearTarget(
            dt.date(2025 + n, 7, 1),
            dt.date(2026 + n, 6, 30),
            calc.Band(D(9 - n), D(9 - n)),
            D(8.8 - n),
        )
        for n in range(5)
    ]
    actuals = [(dt.date(2025, 7 + n, 1), D("9.1") - D("0.05") * n) for n in range(6)]
    kwargs = {
        "title": "Response time: actual values and targets",
        "actuals": actuals,
        "spec": _spec(),
        "plan_start": dt.date(2025, 7, 1),
        "yearly": yearly,
        "fmt": lambda value: f"{value:.1f} min",
    }
    kwargs.update(overrides)
    return kwargs, yearly


def _kr(**overrides):
    kwargs = {
        "title": "Respond in under 8 min: check-ins",
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 3, 31),
        "points": [(dt.date(2026, 1, 9), D("9.1")), (dt.date(2026, 2, 13), D("8.7"))],
        "start_value": D("9.2"),
        "stretch": D(8),
        "floor": D("8.5"),
        "forecast": D("8.3"),
        "fmt": lambda value: f"{value:.1f} min",
    }
    kwargs.update(overrides)
    return kwargs


def _public_measure() -> dict:
    return {
        "name": "Average response time",
        "decimals": 1,
        "unit_code": "minutes",
        "rate_per": None,
        "series": [
            {"period": "2025-09-01", "value": "9.1", "expected": {"value": "9.0"}},
            {"period": "2025-12-01", "value": "8.9", "expected": {"value": "8.8"}},
        ],
        "five_year_target": {"date": "2030-06-30", "value": "7"},
        "baseline": {"date": "2025-06-30", "value": "9.2"},
    }


def _all_charts() -> dict[str, str]:
    kwargs, _ = _trend()
    return {
        "trend": charts.trend_chart(**kwargs),
        "kr": kr_chart(**_kr()),
        "public": public_chart(_public_measure()),
    }


# --- Readable labels --------------------------------------------------------------------------


def _container_breakpoints(css: str) -> list[float]:
    return [float(n) for n in re.findall(r"@container \(min-width: (\d+)px\)", css)]


@pytest.mark.parametrize(
    "sheet",
    [
        Path(settings.BASE_DIR) / "static" / "css" / "strategyhub.css",
        Path(settings.BASE_DIR) / "reports" / "static" / "reports" / "report.css",
    ],
)
def test_each_drawing_is_shown_only_at_its_width_or_wider(sheet):
    """The narrow drawing fits a phone's content box, border included, and the wide one
    shows only once its box holds its full width: neither is ever scaled down."""
    css = sheet.read_text()
    assert kit.NARROW.width + 2 <= PHONE_CONTENT
    assert _container_breakpoints(css) and all(
        point >= kit.WIDE.width + 2 for point in _container_breakpoints(css)
    )
    rules = css[css.index(".sh-chart-box") :]
    assert ".sh-chart-box .sh-chart--wide { display: none; }" in rules  # narrow by default


@pytest.mark.parametrize("name", ["trend", "kr", "public"])
def test_every_label_is_at_least_12_and_date_labels_never_overlap(name):
    drawings = _drawings(_all_charts()[name])
    assert set(drawings) == {"wide", "narrow"}
    for size in kit.SIZES:
        svg = drawings[size.name]
        assert svg.get("viewBox") == f"0 0 {size.width} {size.height}"
        texts = list(svg.iter("text"))
        assert texts and all(float(t.get("font-size")) >= 12 for t in texts)
        # Value labels fit left of the plot; date labels stay inside the canvas, apart.
        spans = []
        for text in texts:
            if text.get("text-anchor") == "end" and float(text.get("x")) < size.width / 2:
                assert float(text.get("x")) - kit.text_width(text.text) >= 0, text.text
                continue
            x, width = float(text.get("x")), kit.text_width(text.text)
            left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
            assert left >= 0 and left + width <= size.width, text.text
            spans.append((left, left + width))
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans
    # The narrow drawing has fewer value ticks.
    ends = {
        n: [t for t in d.iter("text") if t.get("text-anchor") == "end"] for n, d in drawings.items()
    }
    assert len(ends["narrow"]) <= kit.NARROW.value_ticks < len(ends["wide"]) or name == "kr"


def test_the_two_drawings_have_their_own_names():
    drawings = _drawings(_all_charts()["trend"])
    assert drawings["wide"].get("aria-labelledby") == "chart-title chart-desc"
    assert drawings["narrow"].get("aria-labelledby") == "chart-narrow-title chart-narrow-desc"
    ids = [e.get("id") for d in drawings.values() for e in d.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 4


# --- Legends match the marks ------------------------------------------------------------------


def _swatches(legend: str) -> list[tuple[str, list[ET.Element]]]:
    ul = _tree(legend)
    assert ul.get("class") == "sh-legend"
    entries = []
    for li in ul:
        swatch = li[0]
        assert swatch.get("aria-hidden") == "true"
        entries.append(((swatch.tail or "").strip(), list(swatch)))
    return entries


STROKE = ("stroke", "stroke-width", "stroke-dasharray")


def _assert_legend_matches(chart: str, legend: str) -> None:
    """Every swatch's line is drawn in the chart with the same colour, width and dashes,
    and its marker with the same shape, colour and size; every drawn style is in the
    legend (grid lines aside)."""
    for svg in _drawings(chart).values():
        drawn_lines = {
            tuple(e.get(a) for a in STROKE)
            for e in svg.iter()
            if e.tag in ("line", "polyline") and e.get("stroke") != kit.GRID
        }
        drawn_marks = {(e.tag, e.get("fill")) for e in svg.iter() if e.tag in ("circle", "path")}
        legend_lines, legend_marks = set(), set()
        for label, shapes in _swatches(legend):
            assert shapes, label
            for shape in shapes:
                if shape.tag == "line":
                    key = tuple(shape.get(a) for a in STROKE)
                    assert key in drawn_lines, (label, key, drawn_lines)
                    legend_lines.add(key)
                else:
                    key = (shape.tag, shape.get("fill"))
                    assert key in drawn_marks, (label, key)
                    legend_marks.add(key)
        assert drawn_lines <= legend_lines, drawn_lines - legend_lines
        assert drawn_marks <= legend_marks, drawn_marks - legend_marks


def test_the_measure_charts_legend_is_drawn_with_its_series_styles():
    kwargs, yearly = _trend()
    _assert_legend_matches(charts.trend_chart(**kwargs), charts.legend(yearly))
    labels = [label for label, _ in _swatches(charts.legend(yearly))]
    assert "Yearly stretch" in labels and "Five-year target" in labels
    # Without yearly targets nothing of them is drawn, and the legend says nothing of them.
    kwargs, _ = _trend(yearly=[])
    _assert_legend_matches(charts.trend_chart(**kwargs), charts.legend([]))
    assert not any("Yearly" in label for label, _ in _swatches(charts.legend([])))


def test_the_five_year_target_is_the_legends_diamond_in_every_drawing():
    kwargs, yearly = _trend()
    for svg in _drawings(charts.trend_chart(**kwargs)).values():
        marks = [e for e in svg.iter("path") if e.get("fill") == kit.TARGET]
        assert len(marks) == 1 and marks[0].get("d").count(" L") == 3
    (_, shapes) = _swatches(charts.legend(yearly))[-1]
    assert [(s.tag, s.get("fill")) for s in shapes] == [("path", kit.TARGET)]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, 5),
        ({"floor": None, "forecast": None}, 3),
        ({"start_value": None}, 4),  # a hold: no straight path
    ],
)
def test_the_key_result_charts_legend_is_what_it_draws(overrides, expected):
    kwargs = _kr(**overrides)
    legend = kr_legend(
        path=kwargs["start_value"] is not None,
        stretch=True,
        floor=kwargs["floor"] is not None,
        forecast=kwargs["forecast"] is not None,
    )
    assert len(_swatches(legend)) == expected
    _assert_legend_matches(kr_chart(**kwargs), legend)


def test_the_public_charts_legend_is_drawn_with_its_series_styles():
    _assert_legend_matches(public_chart(_public_measure()), public_legend())


# --- Month names in the active language --------------------------------------------------------


def _date_labels(markup: str) -> list[str]:
    svg = _drawings(markup)["wide"]
    return [
        t.text for t in svg.iter("text") if t.get("text-anchor") != "end" or float(t.get("x")) > 100
    ]


def test_month_labels_follow_the_language():
    with translation.override("en"):
        assert _date_labels(kr_chart(**_kr())) == ["Jan 2026", "Feb 2026", "Mar 2026"]
    with translation.override("es"):
        assert _date_labels(kr_chart(**_kr())) == ["ene 2026", "feb 2026", "mar 2026"]
        kwargs, _ = _trend()
        assert _date_labels(charts.trend_chart(**kwargs))[0] == "jul 2025"


# --- Sparkline target ------------------------------------------------------------------------


def test_the_sparkline_draws_its_target_as_a_dashed_line_and_says_it():
    svg = _tree(kit.sparkline([D(10), D(11)], "Trend up", target=[D("12.5")], target_text="12.5"))
    assert svg.get("aria-label") == "Trend up, target 12.5"
    (line,) = svg.findall("line")
    assert line.get("stroke-dasharray") and float(line.get("stroke-width")) <= 1
    assert line.get("y1") == line.get("y2") == "3.0"  # the highest number: the top edge
    assert svg.find("polyline").get("points") == "2.0,25.0 118.0,16.2"  # range holds 12.5
    band = _tree(kit.sparkline([D(1), D(3)], "x", target=[D(1), D(2)], target_text="1 to 2"))
    assert len(band.findall("line")) == 2 and band.get("aria-label") == "x, target 1 to 2"
    plain = _tree(kit.sparkline([D(1), D(3)], "x"))
    assert plain.findall("line") == [] and plain.get("aria-label") == "x"


def test_the_measure_pages_sparkline_has_the_target_due_now(client, org_a, measure_a):
    with scope(organization=org_a.org):
        MeasureValue.objects.create(
            organization=org_a.org, measure=measure_a, period=dt.date(2026, 10, 1), value=D(460)
        )
        MeasureTarget.objects.create(
            organization=org_a.org, measure=measure_a, fiscal_year=2026, floor=D(450)
        )
    client.force_login(org_a.viewer)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk])).content.decode()
    spark = re.search(r'<svg class="sh-sparkline".*?</svg>', page, re.S).group(0)
    label = re.search(r'aria-label="([^"]*)"', spark).group(1)
    assert label.startswith(f"Trend of {measure_a.name}")
    assert re.search(r", target \d[\d,.]* per 100,000$", label), label
    assert 'stroke-dasharray="3 2"' in spark
    plan = client.get(reverse("scorecards:plan", args=["alpha"])).content.decode()
    assert ", target " in re.search(r'<svg class="sh-sparkline".*?</svg>', plan, re.S).group(0)


# --- Every chart has its data table ------------------------------------------------------------


def test_the_measure_page_shows_the_chart_its_legend_and_the_table(client, org_a, measure_a):
    client.force_login(org_a.viewer)
    page = client.get(reverse("scorecards:measure", args=["alpha", measure_a.pk])).content.decode()
    figure = page[page.index('<figure class="sh-figure">') : page.index("</figure>")]
    assert figure.count('<div class="sh-chart-box">') == 1
    assert 'class="sh-legend"' in figure and "sh-legend__swatch--solid" in figure
    assert "<table" in page[page.index("</figure>") :]
