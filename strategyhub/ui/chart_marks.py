"""The marks every drawing of the chart kit shares (``strategyhub.ui.charts``, and the
legend and sparkline of ``strategyhub.ui.sparkline``): the palette, the ``Style`` a series
is drawn with, and the SVG element, marker and stroke builders. They live apart from both
so that each imports them and neither imports the other for them: the chart kit imports
the small drawings, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

from strategyhub.ui.markup import escape_always as escape

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


@dataclass(frozen=True)
class Style:
    """How a series is drawn, and so how its legend swatch is drawn: its colour, stroke
    width (0: markers only), dash pattern and marker (``dot`` or ``diamond``, of ``size``:
    a dot's radius, a diamond's half diagonal)."""

    colour: str
    width: float = 2
    dash: str | None = None
    marker: str | None = None
    size: float = 3.5

    @property
    def kind(self) -> str:
        """The swatch's modifier class: ``solid``, ``dashed``, ``dotted`` or the marker."""
        if not self.width:
            return self.marker or "solid"
        if not self.dash or self.dash == "0":
            return "solid"
        return "dotted" if float(self.dash.split()[0]) <= 2 else "dashed"


def coord(value: float | int) -> str:
    """A coordinate: integers as they are, other numbers to one decimal."""
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def svg_attrs(attrs: dict[str, object]) -> str:
    """Attributes without the None ones; numbers become coordinates, text is escaped."""
    return " ".join(
        f'{name}="{coord(value) if isinstance(value, int | float) else escape(value)}"'
        for name, value in attrs.items()
        if value is not None
    )


def svg_element(tag: str, attrs: dict[str, object], title: str | None = None) -> str:
    """One SVG element, with ``title`` (escaped) as its tooltip."""
    if title is None:
        return f"<{tag} {svg_attrs(attrs)}/>"
    return f"<{tag} {svg_attrs(attrs)}><title>{escape(title)}</title></{tag}>"


def marker_svg(style: Style, x: float, y: float, title: str | None = None) -> str:
    """The SVG of ``style``'s marker centred on (x, y); nothing for a style without one."""
    size = style.size
    if style.marker == "dot":
        return svg_element("circle", {"cx": x, "cy": y, "r": size, "fill": style.colour}, title)
    if style.marker == "diamond":
        d = (
            f"M{coord(x)},{coord(y - size)} L{coord(x + size)},{coord(y)} "
            f"L{coord(x)},{coord(y + size)} L{coord(x - size)},{coord(y)} Z"
        )
        return svg_element("path", {"d": d, "fill": style.colour}, title)
    return ""


def stroke_attrs(colour: str | Style, width: float | None, dash: str | None) -> dict[str, object]:
    """The stroke attributes of a line: a ``Style``'s own, or a colour with the width and
    dash given (None leaves the attribute out)."""
    if isinstance(colour, Style):
        return {
            "stroke": colour.colour,
            "stroke-width": colour.width,
            "stroke-dasharray": colour.dash,
        }
    return {"stroke": colour, "stroke-width": width, "stroke-dasharray": dash}
