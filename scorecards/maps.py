"""The strategy map as server-rendered SVG: perspectives as bands (the first perspective,
mission / citizen value, at the top; the foundation at the bottom), objectives as boxes
labelled with their status in words, causal links as arrows (laid out by ``map_layout`` so
that no arrow crosses a box). The page also lists the same links as text for screen
readers."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from scorecards import calc, map_layout
from scorecards.models import CausalLink
from strategyhub.status import Status
from strategyhub.ui.markup import escape_always as escape

if TYPE_CHECKING:
    from scorecards.queries import PlanOverview

# Drawn at least this share of its size, so its 14-unit labels are never under 12 px
# (the page lets the map scroll sideways in its own region rather than shrink further).
MIN_SCALE = 12 / 14
TITLE_CHARS = 24  # per line of a box, three lines
STATUS_FILL = {
    Status.ON_TRACK: "#ecf3ec",
    Status.AT_RISK: "#faf3d1",
    Status.OFF_TRACK: "#f4e3db",
    Status.STALE: "#f0f0f0",
    Status.NO_DATA: "#ffffff",
}
STATUS_STROKE = {
    Status.ON_TRACK: "#00591d",
    Status.AT_RISK: "#7a4d00",
    Status.OFF_TRACK: "#b50909",
    Status.STALE: "#3d4551",
    Status.NO_DATA: "#3d4551",
}


def objective_statuses(overview: PlanOverview) -> dict[int, Status]:
    return {
        row.objective.pk: calc.objective_status([s.status for s in row.measures])
        for block in overview.perspectives
        for row in block.objectives
    }


def _cubic_path(route: map_layout.Route) -> str:
    (x, y) = route.segments[0][0]
    parts = [f"M{x:.1f},{y:.1f}"]
    for _, (x1, y1), (x2, y2), (x3, y3) in route.segments:
        parts.append(f"C{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f} {x3:.1f},{y3:.1f}")
    return " ".join(parts)


def _title_lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), TITLE_CHARS, placeholder="…")]
    return lines


@functools.lru_cache(maxsize=4096)
def _box_lines(title: str) -> tuple[str, ...]:
    """A box's title lines, escaped, kept per worker by title: wrapping is most of a map's
    text work (``textwrap``, about 7 µs a title) and a change to the plan leaves nearly all
    titles as they were, so a map drawn again after a change wraps only the new ones. A pure
    function of the title: a bounded cache cannot serve a wrong line."""
    return tuple(escape(line) for line in _title_lines(title))


class _Shared:
    """What both drawings write the same way, made once: each objective's title lines
    (wrapped and escaped: same box width), its address (escaped) and the status words
    (escaped; a map has hundreds of boxes and five statuses)."""

    def __init__(self, overview: PlanOverview, url_for: Callable[[int], str] | None) -> None:
        objectives = [row.objective for block in overview.perspectives for row in block.objectives]
        self.title_lines = {objective.pk: _box_lines(objective.title) for objective in objectives}
        self.urls = (
            {objective.pk: escape(url_for(objective.pk)) for objective in objectives}
            if url_for is not None
            else {}
        )
        self.status_words = {status: escape(status.label) for status in Status}
        self.map_title = escape(gettext("Strategy map"))


def _band_names(
    name: str, band: map_layout.Band, width: float, geometry: map_layout.Geometry
) -> list[str]:
    """A perspective's name: in the column on the left, or in the strip above its band
    (there arrows may pass under it: a halo in the band's color keeps it legible)."""
    if geometry.header:
        lines = textwrap.wrap(name, max(12, int((width - 24) / 8.5)))
        if len(lines) > 2:
            lines = [
                lines[0],
                textwrap.shorten(" ".join(lines[1:]), len(lines[0]), placeholder="…"),
            ]
        return [
            f'<text x="12" y="{band.top + 18 + i * 17:.0f}" font-size="14" font-weight="700" '
            f'fill="#1b1b1b" stroke="#ffffff" stroke-width="4" paint-order="stroke">'
            f"{escape(line)}</text>"
            for i, line in enumerate(lines)
        ]
    return [
        f'<text x="12" y="{band.top + 30 + i * 19:.0f}" font-size="15" font-weight="700" '
        f'fill="#1b1b1b">{escape(line)}</text>'
        for i, line in enumerate(textwrap.wrap(name, 18)[:3])
    ]


def _drawing(
    overview: PlanOverview,
    links: list[CausalLink],
    geometry: map_layout.Geometry,
    name: str,
    statuses: dict[int, Status],
    shared: _Shared,
) -> str:
    bands = overview.perspectives
    objectives = {row.objective.pk: row.objective for block in bands for row in block.objectives}
    drawn = map_layout.layout(
        [[row.objective.pk for row in block.objectives] for block in bands],
        [(link.source_id, link.target_id) for link in links],
        geometry,
    )
    width = drawn.width
    height = max(drawn.height, map_layout.ROW_H)
    parts = [
        f'<svg class="sh-map" data-layout="{name}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width * MIN_SCALE:.0f}" height="{height * MIN_SCALE:.0f}" role="group" '
        f'aria-labelledby="map-title-{name} map-desc-{name}">',
        f'<title id="map-title-{name}">{shared.map_title}</title>',
        f'<desc id="map-desc-{name}">'
        + escape(
            gettext(
                "Objectives by perspective with their status; arrows show which objective "
                "drives which. The same links are listed as text below the map."
            )
        )
        + "</desc>",
        f'<defs><marker id="arrow-{name}" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 '
        'L0,10 z" fill="#1b1b1b"/></marker></defs>',
    ]
    for index, band in enumerate(drawn.bands):
        fill = "#f7f9fa" if index % 2 == 0 else "#ffffff"
        parts.append(
            f'<rect x="0" y="{band.top:.0f}" width="{width:.0f}" height="{band.height:.0f}" '
            f'fill="{fill}" stroke="#dfe1e2"/>'
        )
    names = [
        text
        for block, band in zip(bands, drawn.bands, strict=True)
        for text in _band_names(block.perspective.name, band, width, geometry)
    ]
    if not geometry.header:  # in their own column: nothing passes over them
        parts += names
    # Arrows under the boxes.
    for route in drawn.routes:
        words = gettext("%(source)s drives %(target)s") % {
            "source": objectives[route.source].title,
            "target": objectives[route.target].title,
        }
        parts.append(
            f'<path d="{_cubic_path(route)}" fill="none" stroke="#1b1b1b" stroke-width="2" '
            f'marker-end="url(#arrow-{name})"><title>{escape(words)}</title></path>'
        )
    if geometry.header:
        parts += names
    # In reading order (rows top to bottom, each left to right): the order links take focus.
    for key in (key for row in drawn.rows for key in row):
        rect, objective, status = drawn.boxes[key], objectives[key], statuses[key]
        lines = shared.title_lines[key]
        box = [
            f'<rect x="{rect.x:.1f}" y="{rect.y:.1f}" width="{rect.w:.0f}" height="{rect.h:.0f}" '
            f'rx="6" fill="{STATUS_FILL[status]}" stroke="{STATUS_STROKE[status]}" '
            'stroke-width="2"/>'
        ]
        if len(lines) == 3 and lines[2].endswith("…"):
            box.append(f"<title>{escape(objective.title)}</title>")
        for i, line in enumerate(lines):
            box.append(
                f'<text x="{rect.cx:.1f}" y="{rect.y + 21 + i * 17:.1f}" text-anchor="middle" '
                f'font-size="14" fill="#1b1b1b">{line}</text>'
            )
        box.append(
            f'<text x="{rect.cx:.1f}" y="{rect.bottom - 10:.1f}" text-anchor="middle" '
            f'font-size="14" font-weight="700" fill="{STATUS_STROKE[status]}">'
            f"{shared.status_words[status]}</text>"
        )
        if shared.urls:
            parts.append(f'<a href="{shared.urls[key]}">{"".join(box)}</a>')
        else:
            parts.extend(box)
    parts.append("</svg>")
    return "".join(parts)


def strategy_map_svg(
    overview: PlanOverview,
    links: list[CausalLink],
    url_for: Callable[[int], str] | None = None,
    statuses: dict[int, Status] | None = None,
) -> SafeString:
    """The map drawn twice, for a laptop (``map_layout.WIDE``) and for a phone
    (``NARROW``, one box a row); CSS shows the one that fits (a container query), the
    other is not displayed and so hidden from screen readers too. ``statuses``: each
    objective's, when the caller has them (else from the overview's measure states)."""
    if statuses is None:
        statuses = objective_statuses(overview)
    shared = _Shared(overview, url_for)
    drawings = [
        _drawing(overview, links, geometry, name, statuses, shared)
        for geometry, name in ((map_layout.NARROW, "narrow"), (map_layout.WIDE, "wide"))
    ]
    return mark_safe("".join(drawings))  # noqa: S308 (numbers and escaped text only)
