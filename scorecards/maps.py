"""The strategy map as server-rendered SVG: perspectives as bands (the first perspective,
mission / citizen value, at the top; the foundation at the bottom), objectives as boxes
labelled with their status in words, causal links as arrows. The page also lists the same
links as text for screen readers."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from scorecards import calc
from scorecards.models import CausalLink
from strategyhub.status import Status

if TYPE_CHECKING:
    from scorecards.queries import PlanOverview

WIDTH = 1000
LABEL_WIDTH = 170
BAND_HEIGHT = 140
BOX_W, BOX_H = 190, 84
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


def strategy_map_svg(
    overview: PlanOverview,
    links: list[CausalLink],
    url_for: Callable[[int], str] | None = None,
    statuses: dict[int, Status] | None = None,
) -> SafeString:
    """``statuses``: each objective's, when the caller has them (else from the overview's
    measure states)."""
    if statuses is None:
        statuses = objective_statuses(overview)
    bands = overview.perspectives
    height = max(len(bands), 1) * BAND_HEIGHT
    centres: dict[int, tuple[float, float]] = {}
    parts = [
        f'<svg class="sh-map" viewBox="0 0 {WIDTH} {height}" role="group" '
        'aria-labelledby="map-title map-desc">',
        '<title id="map-title">Strategy map</title>',
        '<desc id="map-desc">Objectives by perspective with their status; arrows show which '
        "objective drives which. The same links are listed as text below the map.</desc>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#1b1b1b"/></marker></defs>',
    ]
    boxes = []
    for index, block in enumerate(bands):
        top = index * BAND_HEIGHT
        fill = "#f7f9fa" if index % 2 == 0 else "#ffffff"
        parts.append(
            f'<rect x="0" y="{top}" width="{WIDTH}" height="{BAND_HEIGHT}" fill="{fill}" '
            f'stroke="#dfe1e2"/>'
        )
        for line_no, line in enumerate(textwrap.wrap(block.perspective.name, 20)[:3]):
            parts.append(
                f'<text x="12" y="{top + 28 + line_no * 18}" font-size="15" font-weight="700" '
                f'fill="#1b1b1b">{escape(line)}</text>'
            )
        count = len(block.objectives)
        if not count:
            continue
        slot = (WIDTH - LABEL_WIDTH) / count
        # Bands with few boxes zigzag, so arrows between non-adjacent bands do not run
        # straight through the boxes in between.
        shift = 0.0
        if count < 3:
            shift = (1 if index % 2 else -1) * slot * 0.22
        for position, row in enumerate(block.objectives):
            cx = LABEL_WIDTH + slot * position + slot / 2 + shift
            cy = top + BAND_HEIGHT / 2
            centres[row.objective.pk] = (cx, cy)
            boxes.append((row.objective, cx, cy, statuses[row.objective.pk]))
    # Arrows under the boxes.
    for link in links:
        if link.source_id not in centres or link.target_id not in centres:
            continue
        (x1, y1), (x2, y2) = centres[link.source_id], centres[link.target_id]
        if y1 > y2:  # upwards: leave the top of the source, enter the bottom of the target
            y1, y2 = y1 - BOX_H / 2, y2 + BOX_H / 2
        elif y1 < y2:
            y1, y2 = y1 + BOX_H / 2, y2 - BOX_H / 2
        else:  # same band: side to side
            x1, x2 = (
                (x1 + BOX_W / 2, x2 - BOX_W / 2) if x1 < x2 else (x1 - BOX_W / 2, x2 + BOX_W / 2)
            )
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#1b1b1b" '
            f'stroke-width="2" marker-end="url(#arrow)"><title>{escape(link.source.title)} '
            f"drives {escape(link.target.title)}</title></line>"
        )
    for objective, cx, cy, status in boxes:
        x, y = cx - BOX_W / 2, cy - BOX_H / 2
        box = [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{STATUS_FILL[status]}" stroke="{STATUS_STROKE[status]}" stroke-width="2"/>'
        ]
        lines = textwrap.wrap(objective.title, 24)[:3]
        for i, line in enumerate(lines):
            box.append(
                f'<text x="{cx:.1f}" y="{y + 20 + i * 17:.1f}" text-anchor="middle" '
                f'font-size="14" fill="#1b1b1b">{escape(line)}</text>'
            )
        box.append(
            f'<text x="{cx:.1f}" y="{y + BOX_H - 10:.1f}" text-anchor="middle" font-size="13" '
            f'font-weight="700" fill="{STATUS_STROKE[status]}">'
            f"{escape(status.label)}</text>"
        )
        if url_for is not None:
            parts.append(f'<a href="{escape(url_for(objective.pk))}">{"".join(box)}</a>')
        else:
            parts.extend(box)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped text only)
