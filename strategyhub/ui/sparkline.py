"""The small drawings of the chart kit that stand outside a chart's frame: a chart's
legend, whose swatches are drawn from the same ``Style`` as the series they name (line,
dashes and marker), and the sparkline of a measure's recent values. Import them from
``strategyhub.ui.charts``, which gathers the whole kit; the shared marks are in
``strategyhub.ui.chart_marks``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from strategyhub.ui.chart_marks import (
    ACTUAL,
    PATH,
    Style,
    marker_svg,
    stroke_attrs,
    svg_element,
)
from strategyhub.ui.markup import escape_always as escape


class LegendEntry(NamedTuple):
    """One line of a chart's legend: its words and the style its series is drawn with."""

    label: str
    style: Style


def legend(entries: Iterable[LegendEntry]) -> SafeString:
    """The legend of a chart as a list: each entry's swatch is drawn from the same
    ``Style`` as its series (line, dashes and marker), hidden from assistive technology
    (the words say it); the words are escaped."""
    items = []
    for label, style in entries:
        shapes = ""
        if style.width:
            line = {"x1": 1, "x2": 31, "y1": 8, "y2": 8}
            shapes += svg_element("line", {**line, **stroke_attrs(style, None, None)})
        shapes += marker_svg(style, 16, 8)
        items.append(
            f'<li><svg class="sh-legend__swatch sh-legend__swatch--{style.kind}" width="32" '
            f'height="16" viewBox="0 0 32 16" aria-hidden="true" focusable="false">{shapes}'
            f"</svg>{escape(label)}</li>"
        )
    return mark_safe(f'<ul class="sh-legend">{"".join(items)}</ul>')  # noqa: S308 (escaped)


SPARK_TARGET = Style(PATH, 1, "3 2")


def sparkline(
    values: Sequence[Decimal],
    label: str,
    width: int = 120,
    height: int = 28,
    *,
    target: Sequence[Decimal] = (),
    target_text: str = "",
) -> SafeString:
    """A small line of the recent values, with the last one as a dot; ``label`` is its
    accessible name. ``target`` (the target due now: one value, or a band's two edges) is
    drawn as a thin dashed reference line each, inside the value range, and ``target_text``
    (that target formatted) ends the label: "…, target 12.5". Fewer than two values say so
    in words."""
    if len(values) < 2:
        text = escape(gettext("Not enough values for a trend"))
        return mark_safe(f'<span class="sh-spark-empty">{text}</span>')  # noqa: S308
    if target_text:
        label = gettext("%(label)s, target %(target)s") % {"label": label, "target": target_text}
    numbers = [float(v) for v in (*values, *target)]
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0

    def y(value: Decimal) -> float:
        return height - 3 - (float(value) - low) / span * (height - 6)

    step = (width - 4) / (len(values) - 1)
    points = [(2 + i * step, y(v)) for i, v in enumerate(values)]
    path = " ".join(f"{x:.1f},{py:.1f}" for x, py in points)
    last_x, last_y = points[-1]
    lines = "".join(
        svg_element(
            "line",
            {
                "x1": 0,
                "x2": width,
                "y1": y(t),
                "y2": y(t),
                **stroke_attrs(SPARK_TARGET, None, None),
            },
        )
        for t in dict.fromkeys(target)
    )
    return mark_safe(  # noqa: S308 (numbers and an escaped label only)
        f'<svg class="sh-sparkline" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{escape(label)}">'
        + lines
        + svg_element("polyline", {"fill": "none", **stroke_attrs(ACTUAL, 2, None), "points": path})
        + svg_element("circle", {"cx": last_x, "cy": last_y, "r": 3, "fill": ACTUAL})
        + "</svg>"
    )
