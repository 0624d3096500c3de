"""The one SVG chart kit: server-rendered charts readable without JavaScript, each paired
with a data table on the page. It owns the drawing — the frame, the date and value scales,
the axis ticks and grid, reference lines, polylines and point markers, the legend, the
sparkline, and the accessible name (``<title>``/``<desc>`` wired by ``aria-labelledby``, or
an ``aria-label``). It works on plain data: dates, Decimals and labels already formatted
(dates through ``strategyhub.ui.dates``, so month names follow the active language); apps
turn their domain objects into these series (``scorecards.charts``, ``okrs.charts``,
``publicdash.charts``; reports draw through ``scorecards.charts``). Every text is escaped.
Apps import the whole kit from this module: the legend and the sparkline are drawn in
``strategyhub.ui.sparkline`` and the marks every drawing shares (the palette, ``Style``, the
SVG elements, markers and strokes) are in ``strategyhub.ui.chart_marks``, both gathered here.

**Readable on a phone.** An SVG with a ``viewBox`` scales its text with it: a chart drawn
720 wide and shown 288 wide (a 320 px phone) has 5 px labels. So every chart is drawn twice,
at the two ``SIZES``, and ``responsive`` puts both in one ``sh-chart-box``; CSS shows the
narrow one (280 wide, four value ticks, fewer date labels) and, with a container query, the
wide one (600 wide) once the box is at least 604 px wide. Each size is drawn at the
smallest width it is ever shown at and only scaled up, never down, so its 12-unit labels
are at least 12 px wherever they are visible (up to about 18 px when the narrow one is
stretched to its ``max-width``). Why two drawings rather than the alternatives: labels in
HTML beside an SVG drawn with ``preserveAspectRatio="none"`` would keep their size but
distort the dots and markers and split the chart's accessible name from its axes; a chart
at a fixed 720 px in a sideways-scrolling region keeps its labels but shows a phone a third
of the chart at a time, and the page already has the table for reading values one by one.
A browser without container queries shows the narrow drawing, which is readable
everywhere. The hidden drawing is ``display: none``, so assistive technology meets one
chart. The PDF of a report keeps the wide drawing only (``reports.pdf``).

**Legends match the marks.** A series is drawn with a ``Style`` (colour, stroke width, dash
pattern, marker), and its legend entry draws its swatch from that same ``Style`` as a small
inline SVG: the line, its dashes and its marker are the chart's, by construction.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from strategyhub import fiscal
from strategyhub.ui.chart_marks import (
    ACTUAL,
    FLOOR,
    FORECAST,
    GRID,
    INK,
    MUTED,
    PATH,
    STRETCH,
    TARGET,
    Style,
    coord,
    marker_svg,
    stroke_attrs,
    svg_attrs,
    svg_element,
)
from strategyhub.ui.markup import escape_always as escape
from strategyhub.ui.sparkline import SPARK_TARGET, LegendEntry, legend, sparkline

__all__ = [
    "ACTUAL",
    "CHAR_WIDTH",
    "FLOOR",
    "FONT_SIZE",
    "FORECAST",
    "GRID",
    "INK",
    "MUTED",
    "NARROW",
    "PATH",
    "SIZES",
    "SPARK_TARGET",
    "STRETCH",
    "TARGET",
    "WIDE",
    "Chart",
    "Frame",
    "LegendEntry",
    "Number",
    "Point",
    "Scale",
    "Size",
    "Style",
    "decimal_label",
    "distinct_ticks",
    "legend",
    "month_ticks",
    "padded_range",
    "responsive",
    "round_range",
    "sparkline",
    "text_width",
    "tick_decimal",
    "value_ticks",
    "year_ticks",
]

FONT_SIZE = 12  # every text of a chart, in user units (so in px at 1:1, never shown smaller)
CHAR_WIDTH = 7.5  # a generous width of one character of a 12-unit label (digits, DejaVu)

Number = Decimal | float | int
Point = tuple[dt.date, Decimal]


@dataclass(frozen=True)
class Size:
    """One drawing of a chart (see the module's docstring): its width and height in user
    units, how many value ticks it has at most, and its name (the ``sh-chart--`` class)."""

    name: str
    width: int
    height: int
    value_ticks: int


WIDE = Size("wide", 600, 300, 5)
NARROW = Size("narrow", 272, 240, 4)
SIZES = (WIDE, NARROW)


def text_width(label: str) -> float:
    """About how wide ``label`` is at ``FONT_SIZE`` (generous, so nothing is clipped)."""
    return len(label) * CHAR_WIDTH


# --- Scales and ticks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """The canvas and the margins around the plot area."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int


def padded_range(numbers: Iterable[Number]) -> tuple[float, float]:
    """The lowest and highest number with 10% room each side (a flat series gets room of a
    tenth of its value, a series of zeros ±1); no numbers at all give the range 0–1."""
    values = [float(n) for n in numbers] or [0.0, 1.0]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    return low - pad, high + pad


@dataclass(frozen=True)
class Scale:
    """Dates to x and numbers to y in a frame's plot area (higher numbers higher up).
    With ``clamp_dates`` a date outside ``start``–``end`` sits on the nearer edge."""

    frame: Frame
    start: dt.date
    end: dt.date
    low: float
    high: float
    clamp_dates: bool = False

    @classmethod
    def fit(
        cls,
        frame: Frame,
        start: dt.date,
        end: dt.date,
        numbers: Iterable[Number],
        *,
        clamp_dates: bool = False,
    ) -> Scale:
        """A scale from ``start`` to ``end`` whose value range holds ``numbers``, widened to
        round ends (``round_range``) so the evenly spaced value ticks fall on round numbers."""
        low, high = round_range(*padded_range(numbers))
        return cls(frame, start, end, low, high, clamp_dates)

    @property
    def days(self) -> int:
        return max((self.end - self.start).days, 1)

    def x(self, day: dt.date) -> float:
        offset = (day - self.start).days
        if self.clamp_dates:
            offset = min(max(offset, 0), self.days)
        f = self.frame
        return f.left + offset / self.days * (f.width - f.left - f.right)

    def y(self, value: Number) -> float:
        f = self.frame
        return f.top + (self.high - float(value)) / (self.high - self.low) * (
            f.height - f.top - f.bottom
        )


def round_range(low: float, high: float, count: int = 5) -> tuple[float, float]:
    """``low``–``high`` widened to the nearest range whose ``count`` evenly spaced ticks are
    round numbers (steps of 1, 2, 2.5 or 5 times a power of ten): 438.1–503.9 becomes
    425–525 (ticks 425, 450, 475, 500, 525), never narrower than asked."""
    if high <= low or count < 2:
        return low, high
    rough = (high - low) / (count - 1)
    exponent = math.floor(math.log10(rough))
    for power in (exponent, exponent + 1):
        for factor in (1, 2, 2.5, 5):
            step = factor * 10.0**power
            start = math.floor(low / step + 1e-9) * step
            if start + step * (count - 1) >= high - 1e-9:
                return start, start + step * (count - 1)
    return low, high


def value_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """``count`` evenly spaced values from ``low`` to ``high``, both included."""
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def distinct_ticks(
    low: float, high: float, label: Callable[[float], str], count: int = 5
) -> list[float]:
    """Where to put ``count`` value ticks from ``low`` to ``high``: evenly spaced, both ends
    included (``value_ticks``), unless two of them would read the same once ``label``
    rounds them ("1 day", "1 day"); then round values ``label`` tells apart, as many as fit
    up to ``count``, on the coarsest step (1, 2, 2.5 or 5 times a power of ten) that
    keeps at least two. Never two ticks with one label."""
    even = value_ticks(low, high, count)
    labels = [label(value) for value in even]
    if len(set(labels)) == len(labels) or high <= low:
        return even
    exponent = math.floor(math.log10((high - low) / count))
    for power in range(exponent, exponent + 4):
        for factor in (1, 2, 2.5, 5):
            step = factor * 10.0**power
            first = math.ceil(low / step - 1e-9)
            ticks = [n * step for n in range(first, math.floor(high / step + 1e-9) + 1)]
            texts = [label(value) for value in ticks]
            if 2 <= len(ticks) <= count and len(set(texts)) == len(texts):
                return ticks
    kept: dict[str, float] = {}
    for value, text in zip(even, labels, strict=True):
        kept.setdefault(text, value)
    return list(kept.values())


def tick_decimal(value: float) -> Decimal:
    """An axis tick as a Decimal (four places at most) for a formatter of Decimals."""
    return Decimal(str(round(value, 4)))


def decimal_label(fmt: Callable[[Decimal], str]) -> Callable[[float], str]:
    """A tick label from a formatter of Decimals (a measure's or key result's format)."""
    return lambda value: fmt(tick_decimal(value))


def year_ticks(anchor: dt.date, start: dt.date, end: dt.date) -> list[dt.date]:
    """``anchor`` and its anniversaries up to ``end``, those from ``start`` on."""
    ticks, tick = [], anchor
    while tick <= end:
        if tick >= start:
            ticks.append(tick)
        tick = tick.replace(year=tick.year + 1)
    return ticks


def month_ticks(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first of each month from ``start``'s month to ``end`` (the first may precede
    ``start``)."""
    ticks, month = [], dt.date(start.year, start.month, 1)
    while month <= end:
        ticks.append(month)
        month = fiscal.add_months(month, 1)
    return ticks


# --- The chart ------------------------------------------------------------------------------


class Chart:
    """A time chart drawn in the order of the calls, then ``render()``-ed.

    With ``id_prefix`` the chart is named by ``<title>`` (and ``<desc>``) elements with the
    ids ``<prefix>-title``/``<prefix>-desc``, wired by ``aria-labelledby`` (one such chart
    per page; the narrow drawing adds ``-narrow`` to the prefix); without, ``title`` is its
    ``aria-label``. ``size`` names the drawing (``sh-chart--wide``/``--narrow``)."""

    def __init__(
        self,
        scale: Scale,
        *,
        title: str,
        desc: str | None = None,
        id_prefix: str | None = None,
        aspect: str | None = None,
        size: Size | None = None,
        y_label: Callable[[float], str] | None = None,
    ) -> None:
        self.scale = scale
        self.size = size
        self.y_label = y_label
        frame = scale.frame
        attrs: dict[str, object] = {
            "class": "sh-chart" if size is None else f"sh-chart sh-chart--{size.name}",
            "viewBox": f"0 0 {frame.width} {frame.height}",
            "role": "img",
        }
        if size is not None and size is not WIDE and id_prefix is not None:
            id_prefix = f"{id_prefix}-{size.name}"
        named: list[str] = []
        if id_prefix is None:
            attrs["aria-label"] = title
        else:
            ids = [f"{id_prefix}-title"] + ([f"{id_prefix}-desc"] if desc is not None else [])
            attrs["aria-labelledby"] = " ".join(ids)
            named.append(f'<title id="{id_prefix}-title">{escape(title)}</title>')
            if desc is not None:
                named.append(f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>')
        attrs["preserveAspectRatio"] = aspect
        self.parts = [f"<svg {svg_attrs(attrs)}>", *named]

    @classmethod
    def sized(
        cls,
        size: Size,
        start: dt.date,
        end: dt.date,
        numbers: Iterable[Number],
        y_label: Callable[[float], str],
        *,
        title: str,
        desc: str | None = None,
        id_prefix: str | None = None,
        clamp_dates: bool = False,
        bottom: int = 36,
    ) -> Chart:
        """The ``size`` drawing of a chart from ``start`` to ``end`` holding ``numbers``: its
        value range rounded for ``size.value_ticks`` ticks, the left margin as wide as the
        longest value label (``y_label``), which ``y_grid()`` then draws."""
        low, high = round_range(*padded_range(numbers), size.value_ticks)
        labels = [y_label(v) for v in distinct_ticks(low, high, y_label, size.value_ticks)]
        left = math.ceil(max(text_width(label) for label in labels)) + 12
        # Room on the right for half of a date label centred on the last day.
        frame = Frame(size.width, size.height, left=left, right=16, top=16, bottom=bottom)
        scale = Scale(frame, start, end, low, high, clamp_dates)
        return cls(scale, title=title, desc=desc, id_prefix=id_prefix, size=size, y_label=y_label)

    def y_grid(self, label: Callable[[float], str] | None = None, count: int | None = None) -> None:
        """Horizontal grid lines at up to ``count`` values (the size's ticks, else 5), each
        labelled left of the plot; never two with the same label (``distinct_ticks``)."""
        label = label or self.y_label
        if label is None:
            raise ValueError("y_grid needs a label function")
        if count is None:
            count = self.size.value_ticks if self.size is not None else 5
        scale, frame = self.scale, self.scale.frame
        for value in distinct_ticks(scale.low, scale.high, label, count):
            ty = scale.y(value)
            line = {"x1": frame.left, "x2": frame.width - frame.right, "y1": ty, "y2": ty}
            self.parts.append(
                svg_element("line", {**line, "stroke": GRID})
                + self._text(frame.left - 6, ty + 4, "end", label(value))
            )

    def x_ticks(self, ticks: Iterable[tuple[dt.date, str]], *, grid: bool = False) -> None:
        """A label under the plot at each date, with a vertical grid line if ``grid``. A
        label that would overlap the one before it is left out (its grid line stays), and
        one at an edge of the canvas is aligned to stay inside it."""
        scale, frame = self.scale, self.scale.frame
        bottom = frame.height - frame.bottom
        last_right = -math.inf
        for day, label in ticks:
            tx = scale.x(day)
            line = {"x1": tx, "x2": tx, "y1": frame.top, "y2": bottom, "stroke": GRID}
            self.parts.append(svg_element("line", line) if grid else "")
            half = text_width(label) / 2
            anchor, left, x = "middle", tx - half, tx
            if tx + half > frame.width - 2:
                anchor, left, x = "end", tx - 2 * half, min(tx, frame.width - 2)
            elif left < 2:
                anchor, left, x = "start", max(tx, 2), max(tx, 2)
            if left < last_right + 8:
                continue
            last_right = left + 2 * half
            self.parts.append(self._text(x, bottom + 18, anchor, label))

    def hline(
        self,
        value: Number,
        colour: str | Style,
        *,
        width: float | None = None,
        dash: str | None = None,
        title: str | None = None,
    ) -> None:
        """A reference line across the whole plot at ``value``."""
        frame, y = self.scale.frame, self.scale.y(value)
        self.parts.append(
            svg_element(
                "line",
                {
                    "x1": frame.left,
                    "x2": frame.width - frame.right,
                    "y1": y,
                    "y2": y,
                    **stroke_attrs(colour, width, dash),
                },
                title,
            )
        )

    def segment(
        self,
        start: Point,
        end: Point,
        colour: str | Style,
        *,
        width: float | None = None,
        dash: str | None = None,
        title: str | None = None,
    ) -> None:
        """A straight line from one (date, value) to another."""
        x, y = self.scale.x, self.scale.y
        self.parts.append(
            svg_element(
                "line",
                {
                    "x1": x(start[0]),
                    "y1": y(start[1]),
                    "x2": x(end[0]),
                    "y2": y(end[1]),
                    **stroke_attrs(colour, width, dash),
                },
                title,
            )
        )

    def polyline(
        self,
        points: Sequence[Point],
        colour: str | Style,
        *,
        width: float | None = None,
        dash: str | None = None,
    ) -> None:
        """A line through the points in the given order; nothing without points."""
        if not points:
            return
        coords = " ".join(f"{coord(self.scale.x(d))},{coord(self.scale.y(v))}" for d, v in points)
        self.parts.append(
            svg_element(
                "polyline",
                {"fill": "none", **stroke_attrs(colour, width, dash), "points": coords},
            )
        )

    def series(
        self,
        points: Sequence[Point],
        style: Style,
        *,
        title: Callable[[dt.date, Decimal], str] | None = None,
    ) -> None:
        """A line through the points (if the style has a stroke) with the style's marker on
        each, ``title(date, value)`` as its tooltip."""
        if style.width:
            self.polyline(points, style)
        for day, value in points:
            self.marker(day, value, style, None if title is None else title(day, value))

    def dots(
        self,
        points: Iterable[Point],
        colour: str,
        *,
        radius: float,
        title: Callable[[dt.date, Decimal], str] | None = None,
    ) -> None:
        """A dot at each point, with ``title(date, value)`` as its tooltip."""
        style = Style(colour, 0, marker="dot", size=radius)
        for day, value in points:
            self.marker(day, value, style, None if title is None else title(day, value))

    def marker(self, day: dt.date, value: Number, style: Style, title: str | None = None) -> None:
        """The style's marker (a dot or a diamond) at (``day``, ``value``)."""
        shape = marker_svg(style, self.scale.x(day), self.scale.y(value), title)
        if shape:
            self.parts.append(shape)

    def diamond(self, day: dt.date, value: Number, colour: str, size: float = 7) -> None:
        """A diamond centred on (``day``, ``value``): the legend's "diamond" marker."""
        self.marker(day, value, Style(colour, 0, marker="diamond", size=size))

    def render(self) -> SafeString:
        return mark_safe("".join([*self.parts, "</svg>"]))  # noqa: S308 (numbers and escaped text)

    @staticmethod
    def _text(x: float | int, y: float | int, anchor: str, label: str) -> str:
        return (
            f'<text x="{coord(x)}" y="{coord(y)}" text-anchor="{anchor}" font-size="{FONT_SIZE}" '
            f'fill="{INK}">{escape(label)}</text>'
        )


def responsive(draw: Callable[[Size], Chart]) -> SafeString:
    """The chart ``draw`` makes at each of the ``SIZES``, in one ``sh-chart-box`` whose CSS
    shows the one that fits (see the module's docstring)."""
    drawings = "".join(draw(size).render() for size in SIZES)
    return mark_safe(f'<div class="sh-chart-box">{drawings}</div>')  # noqa: S308 (charts)
