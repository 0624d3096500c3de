"""The strategy map's layered layout (scorecards/map_layout.py): no arrow through a box,
arrows ending on box edges, no more crossings than the model order, the same map every time."""

from __future__ import annotations

import itertools
import random

import pytest

from scorecards import demo, map_layout
from scorecards.map_layout import BOX_H, NARROW, ROW_H, WIDE, MapLayout, Rect, Route
from scorecards.plans import PRESET_PERSPECTIVES
from strategyhub.models import PerspectivePreset


def _demo_plan() -> tuple[list[list[int]], list[tuple[int, int]]]:
    names = [name for name, _ in PRESET_PERSPECTIVES[PerspectivePreset.GOVERNMENT_5]]
    ids = {title: i + 1 for i, (_, title, _, _) in enumerate(demo.OBJECTIVES)}
    bands = [
        [ids[title] for perspective, title, _, _ in demo.OBJECTIVES if perspective == name]
        for name in names
    ]
    return bands, [(ids[s], ids[t]) for s, t, _ in demo.LINKS]


def _random_plan(
    seed: int, bands_n: int, most: int, links_n: int
) -> tuple[list[list[int]], list[tuple[int, int]]]:
    rng = random.Random(seed)  # noqa: S311 (a fixed seed: generated test plans)
    bands, next_id = [], 100
    for _ in range(bands_n):
        size = rng.randint(0, most)
        bands.append(list(range(next_id, next_id + size)))
        next_id += size
    ids = [key for band in bands for key in band]
    links = [tuple(rng.sample(ids, 2)) for _ in range(links_n)] if len(ids) > 1 else []
    return bands, links  # type: ignore[return-value]


def _wide_plan() -> tuple[list[list[int]], list[tuple[int, int]]]:
    """A band of 13 (it wraps into four rows) fed from the foundation and feeding the top,
    with links inside it and links that skip it."""
    top, wide, middle, foundation = [1, 2], list(range(10, 23)), [30], [40, 41, 42]
    links = [(f, w) for f in foundation for w in wide[::3]]
    links += [(w, t) for w in wide for t in top if (w + t) % 2]
    links += [(10, 22), (15, 11), (40, 1), (41, 2), (42, 30), (30, 1), (40, 41)]
    return [top, wide, middle, foundation], links


PLANS = {
    "demo": _demo_plan(),
    "wide": _wide_plan(),
    "dense": _random_plan(seed=7, bands_n=5, most=9, links_n=60),
    **{f"random-{seed}": _random_plan(seed, 4, 6, 14) for seed in range(12)},
}


def _crosses(a: tuple[float, float], b: tuple[float, float], box: Rect, inset: float) -> bool:
    """Whether the segment a–b enters the box's interior (its edges, shrunk by ``inset``, do
    not count): Liang–Barsky clipping."""
    left, right = box.x + inset, box.right - inset
    top, bottom = box.y + inset, box.bottom - inset
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - top), (dy, bottom - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _points(route: Route, steps: int = 40) -> list[tuple[float, float]]:
    points = [route.segments[0][0]]
    for (x0, y0), (x1, y1), (x2, y2), (x3, y3) in route.segments:
        for i in range(1, steps + 1):
            t = i / steps
            u = 1 - t
            points.append(
                (
                    u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                )
            )
    return points


def test_the_box_check_sees_a_straight_line_through_a_box():
    """The check the tests below rely on: a line across a box, one touching its edge, one
    beside it."""
    box = Rect(100, 100, 190, 84)
    assert _crosses((50, 142), (400, 142), box, -2)  # straight through
    assert _crosses((150, 50), (200, 150), box, 1)  # into it from above
    assert not _crosses((150, 100), (150, 20), box, 1)  # leaves its top edge
    assert _crosses((150, 100), (150, 20), box, -2)  # …which counts for another box
    assert not _crosses((50, 50), (400, 60), box, -2)  # above it


def _on_edge(point: tuple[float, float], box: Rect) -> bool:
    x, y = point
    return box.x < x < box.right and (abs(y - box.y) < 1e-6 or abs(y - box.bottom) < 1e-6)


GEOMETRIES = {"wide": WIDE, "narrow": NARROW}


@pytest.mark.parametrize("geometry", sorted(GEOMETRIES))
@pytest.mark.parametrize("name", sorted(PLANS))
def test_no_arrow_passes_through_a_box_and_each_ends_on_its_boxes_edges(name, geometry):
    bands, links = PLANS[name]
    drawn = map_layout.layout(bands, links, GEOMETRIES[geometry])
    drawable = {(s, t) for s, t in links if s != t}
    assert {(r.source, r.target) for r in drawn.routes} == drawable
    for route in drawn.routes:
        points = _points(route)
        assert _on_edge(points[0], drawn.boxes[route.source]), route
        assert _on_edge(points[-1], drawn.boxes[route.target]), route
        for key, box in drawn.boxes.items():
            # Other boxes: not even their edges; its own two: it only touches their edges.
            inset = 1.0 if key in (route.source, route.target) else -2.0
            hits = [(a, b) for a, b in itertools.pairwise(points) if _crosses(a, b, box, inset)]
            assert hits == [], f"{route.source}→{route.target} crosses box {key} at {hits[0]}"


@pytest.mark.parametrize("geometry", sorted(GEOMETRIES))
@pytest.mark.parametrize("name", sorted(PLANS))
def test_boxes_keep_apart_inside_their_band_clear_of_its_name(name, geometry):
    bands, links = PLANS[name]
    shape = GEOMETRIES[geometry]
    drawn = map_layout.layout(bands, links, shape)
    assert len(drawn.bands) == len(bands)
    for band, keys in zip(drawn.bands, bands, strict=True):
        assert band.height >= ROW_H + shape.header
        for key in keys:
            box = drawn.boxes[key]
            assert band.top + shape.header < box.y and box.bottom < band.top + band.height
            assert box.x >= shape.label_w and box.right <= drawn.width
    assert drawn.width >= shape.min_width
    for row in drawn.rows:
        assert len(row) <= shape.per_row
        for a, b in itertools.pairwise(row):
            assert drawn.boxes[b].x - drawn.boxes[a].right >= map_layout.BOX_GAP - 1e-6
    assert sorted(k for row in drawn.rows for k in row) == sorted(k for b in bands for k in b)
    assert drawn.height == len(drawn.rows) * ROW_H + len(bands) * shape.header


@pytest.mark.parametrize("geometry", sorted(GEOMETRIES))
@pytest.mark.parametrize("name", sorted(PLANS))
def test_no_more_crossings_than_the_model_order(name, geometry):
    drawn = map_layout.layout(*PLANS[name], GEOMETRIES[geometry])
    assert drawn.crossings <= drawn.model_crossings


def test_the_sweeps_untangle_a_crossed_pair():
    drawn = map_layout.layout([[1, 2], [3, 4]], [(1, 4), (2, 3)])
    assert (drawn.model_crossings, drawn.crossings) == (1, 0)
    assert drawn.rows == ((1, 2), (4, 3))


def test_the_dense_plan_gets_fewer_crossings():
    drawn = map_layout.layout(*PLANS["dense"])
    assert drawn.crossings < drawn.model_crossings


def test_crossings_are_counted_between_adjacent_layers():
    down = [[3], [2], [], []]
    assert map_layout.count_crossings([[0, 1], [2, 3]], down) == 1
    assert map_layout.count_crossings([[0, 1], [3, 2]], down) == 0
    # Segments that share an end do not cross.
    assert map_layout.count_crossings([[0, 1], [2, 3]], [[2, 3], [3], [], []]) == 0


@pytest.mark.parametrize("geometry", sorted(GEOMETRIES))
def test_the_same_plan_draws_the_same_map_whatever_order_its_links_come_in(geometry):
    bands, links = PLANS["dense"]
    first = map_layout.layout(bands, links, GEOMETRIES[geometry])
    shuffled = list(links) + list(links[:5])  # repeats are drawn once
    random.Random(3).shuffle(shuffled)  # noqa: S311 (a fixed seed, not security)
    again = map_layout.layout(bands, shuffled, GEOMETRIES[geometry])
    assert map_layout.layout(bands, links, GEOMETRIES[geometry]) == first
    assert isinstance(again, MapLayout)
    assert again.boxes == first.boxes and again.rows == first.rows
    assert sorted(again.routes, key=lambda r: (r.source, r.target)) == sorted(
        first.routes, key=lambda r: (r.source, r.target)
    )


def test_a_link_within_a_row_runs_below_its_boxes():
    drawn = map_layout.layout([[1, 2, 3]], [(1, 3)])
    (route,) = drawn.routes
    bottom = drawn.boxes[1].bottom
    assert route.segments[0][0][1] == bottom and route.end[1] == bottom
    lowest = max(y for _, y in _points(route))
    assert bottom < lowest < bottom + map_layout.ROW_BOTTOM


def test_a_link_that_skips_bands_passes_through_a_gap_in_each():
    drawn = map_layout.layout([[1], [2, 3], [4, 5, 6], [7]], [(7, 1)])
    (route,) = drawn.routes
    points = _points(route)
    for key in (2, 3, 4, 5, 6):
        box = drawn.boxes[key]
        assert not any(_crosses(a, b, box, -2) for a, b in itertools.pairwise(points))
    # Upwards: it leaves the top of its source and enters the bottom of its target.
    assert points[0][1] == drawn.boxes[7].y and points[-1][1] == drawn.boxes[1].bottom


def test_several_arrows_at_one_edge_get_their_own_ports():
    drawn = map_layout.layout([[1], [2, 3, 4]], [(2, 1), (3, 1), (4, 1)])
    ends = sorted(route.end[0] for route in drawn.routes)
    assert len(set(ends)) == 3 and all(b - a >= 10 for a, b in itertools.pairwise(ends))
    assert all(route.end[1] == drawn.boxes[1].y + BOX_H for route in drawn.routes)


def test_a_wide_band_wraps_into_rows_and_the_map_stays_a_laptop_wide():
    drawn = map_layout.layout(*PLANS["wide"])
    assert drawn.bands[1].height == 4 * ROW_H  # 13 boxes, four a row
    assert drawn.width < 1300


def test_on_a_phone_each_box_has_a_row_of_its_own_and_the_map_fits():
    drawn = map_layout.layout(*PLANS["demo"], NARROW)
    assert all(len(row) == 1 for row in drawn.rows if row)
    # 12/14 of its width (the least it is drawn at, maps.MIN_SCALE) fits a 320 px phone.
    assert drawn.width * 12 / 14 <= 288


def test_an_empty_plan_and_links_to_unknown_ids():
    assert map_layout.layout([], []).routes == ()
    drawn = map_layout.layout([[1], []], [(1, 99), (1, 1)])
    assert drawn.routes == () and len(drawn.bands) == 2
