"""The one SVG chart kit: server-rendered charts readable without JavaScript, each paired
with a data table on the page. It owns the drawing — the frame, the date and value scales,
the axis ticks and grid, reference lines, polylines and point markers, legend entries, the
sparkline, and the accessible name (``<title>``/``<desc>`` wired by ``aria-labelledby``, or
an ``aria-label``). It works on plain data: dates, Decimals and labels already formatted;
apps turn their domain objects into these series (``scorecards.charts``, ``okrs.charts``,
``publicdash.charts``). Every text is escaped."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from strategyhub import fiscal

# Colours meet 3:1 against white for graphics (WCAG 1.4.11); lines also differ in dash
# pattern and are labelled in the legend, so colour is never the only cue.
ACTUAL = "#005ea2"  # reported values, check-ins
PATH = "#565c65"  # the planned path, the pace line
MUTED = "#71767a"  # the public baseline
FLOOR = "#936f38"
STRETCH = "#00756a"
TARGET = "#b50909"
FORECAST = "#8b0a03"
GRID = "#dfe1e2"
INK = "#1b1b1b"

Number = Decimal | float | int
Point = tuple[dt.date, Decimal]


class LegendEntry(NamedTuple):
    """One line of a chart's legend: its words, colour and swatch style (``solid``,
    ``dashed``, ``dotted``, ``thick``, ``diamond``: the ``sh-legend__swatch--`` classes)."""

    label: str
    colour: str
    style: str


def _n(value: float | int) -> str:
    """A coordinate: integers as they are, other numbers to one decimal."""
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def _attrs(attrs: dict[str, object]) -> str:
    """Attributes without the None ones; numbers become coordinates, text is escaped."""
    return " ".join(
        f'{name}="{_n(value) if isinstance(value, int | float) else escape(value)}"'
        for name, value in attrs.items()
        if value is not None
    )


def _element(tag: str, attrs: dict[str, object], title: str | None = None) -> str:
    """One SVG element, with ``title`` (escaped) as its tooltip."""
    if title is None:
        return f"<{tag} {_attrs(attrs)}/>"
    return f"<{tag} {_attrs(attrs)}><title>{escape(title)}</title></{tag}>"


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
    per page); without, ``title`` is its ``aria-label``."""

    def __init__(
        self,
        scale: Scale,
        *,
        title: str,
        desc: str | None = None,
        id_prefix: str | None = None,
        aspect: str | None = None,
    ) -> None:
        self.scale = scale
        frame = scale.frame
        attrs: dict[str, object] = {
            "class": "sh-chart",
            "viewBox": f"0 0 {frame.width} {frame.height}",
            "role": "img",
        }
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
        self.parts = [f"<svg {_attrs(attrs)}>", *named]

    def y_grid(self, label: Callable[[float], str], count: int = 5) -> None:
        """Horizontal grid lines at up to ``count`` values, each labelled left of the plot;
        never two with the same label (``distinct_ticks``)."""
        scale, frame = self.scale, self.scale.frame
        for value in distinct_ticks(scale.low, scale.high, label, count):
            ty = scale.y(value)
            line = {"x1": frame.left, "x2": frame.width - frame.right, "y1": ty, "y2": ty}
            self.parts.append(
                _element("line", {**line, "stroke": GRID})
                + self._text(frame.left - 6, ty + 4, "end", label(value))
            )

    def x_ticks(self, ticks: Iterable[tuple[dt.date, str]], *, grid: bool = False) -> None:
        """A label under the plot at each date, with a vertical grid line if ``grid``."""
        scale, frame = self.scale, self.scale.frame
        for day, label in ticks:
            tx = scale.x(day)
            bottom = frame.height - frame.bottom
            line = {"x1": tx, "x2": tx, "y1": frame.top, "y2": bottom, "stroke": GRID}
            self.parts.append(
                (_element("line", line) if grid else "")
                + self._text(tx, bottom + 16, "middle", label)
            )

    def hline(
        self,
        value: Number,
        colour: str,
        *,
        width: int | None = None,
        dash: str | None = None,
        title: str | None = None,
    ) -> None:
        """A reference line across the whole plot at ``value``."""
        frame, y = self.scale.frame, self.scale.y(value)
        self.parts.append(
            _element(
                "line",
                {
                    "x1": frame.left,
                    "x2": frame.width - frame.right,
                    "y1": y,
                    "y2": y,
                    **_stroke(colour, width, dash),
                },
                title,
            )
        )

    def segment(
        self,
        start: Point,
        end: Point,
        colour: str,
        *,
        width: int | None = None,
        dash: str | None = None,
        title: str | None = None,
    ) -> None:
        """A straight line from one (date, value) to another."""
        x, y = self.scale.x, self.scale.y
        self.parts.append(
            _element(
                "line",
                {
                    "x1": x(start[0]),
                    "y1": y(start[1]),
                    "x2": x(end[0]),
                    "y2": y(end[1]),
                    **_stroke(colour, width, dash),
                },
                title,
            )
        )

    def polyline(
        self, points: Sequence[Point], colour: str, *, width: int, dash: str | None = None
    ) -> None:
        """A line through the points in the given order; nothing without points."""
        if not points:
            return
        coords = " ".join(f"{_n(self.scale.x(d))},{_n(self.scale.y(v))}" for d, v in points)
        self.parts.append(
            _element(
                "polyline",
                {"fill": "none", **_stroke(colour, width, dash), "points": coords},
            )
        )

    def dots(
        self,
        points: Iterable[Point],
        colour: str,
        *,
        radius: float,
        title: Callable[[dt.date, Decimal], str] | None = None,
    ) -> None:
        """A dot at each point, with ``title(date, value)`` as its tooltip."""
        for day, value in points:
            self.parts.append(
                _element(
                    "circle",
                    {
                        "cx": self.scale.x(day),
                        "cy": self.scale.y(value),
                        "r": radius,
                        "fill": colour,
                    },
                    None if title is None else title(day, value),
                )
            )

    def pointer(self, day: dt.date, value: Number, colour: str, size: float = 7) -> None:
        """A triangle pointing left at (``day``, ``value``): a target's marker."""
        tx, ty = self.scale.x(day), self.scale.y(value)
        d = f"M{_n(tx - size)},{_n(ty)} L{_n(tx)},{_n(ty - size)} L{_n(tx)},{_n(ty + size)} Z"
        self.parts.append(_element("path", {"d": d, "fill": colour}))

    def diamond(self, day: dt.date, value: Number, colour: str, size: float = 7) -> None:
        """A diamond centred on (``day``, ``value``): the legend's "diamond" marker."""
        tx, ty = self.scale.x(day), self.scale.y(value)
        d = (
            f"M{_n(tx)},{_n(ty - size)} L{_n(tx + size)},{_n(ty)} "
            f"L{_n(tx)},{_n(ty + size)} L{_n(tx - size)},{_n(ty)} Z"
        )
        self.parts.append(_element("path", {"d": d, "fill": colour}))

    def render(self) -> SafeString:
        return mark_safe("".join([*self.parts, "</svg>"]))  # noqa: S308 (numbers and escaped text)

    @staticmethod
    def _text(x: float | int, y: float | int, anchor: str, label: str) -> str:
        return (
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="12" '
            f'fill="{INK}">{escape(label)}</text>'
        )


def _stroke(colour: str, width: int | None, dash: str | None) -> dict[str, object]:
    return {"stroke": colour, "stroke-width": width, "stroke-dasharray": dash}


def sparkline(
    values: Sequence[Decimal], label: str, width: int = 120, height: int = 28
) -> SafeString:
    """A small line of the recent values, with the last one as a dot; ``label`` is its
    accessible name. Fewer than two values say so in words."""
    if len(values) < 2:
        return mark_safe('<span class="sh-spark-empty">Not enough values for a trend</span>')
    low, high = float(min(values)), float(max(values))
    span = (high - low) or 1.0
    step = (width - 4) / (len(values) - 1)
    points = [
        (2 + i * step, height - 3 - (float(v) - low) / span * (height - 6))
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    return mark_safe(  # noqa: S308 (numbers and an escaped label only)
        f'<svg class="sh-sparkline" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{escape(label)}">'
        + _element("polyline", {"fill": "none", **_stroke(ACTUAL, 2, None), "points": path})
        + _element("circle", {"cx": last_x, "cy": last_y, "r": 3, "fill": ACTUAL})
        + "</svg>"
    )
