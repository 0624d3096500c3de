"""The strategy map's layered (Sugiyama-style) layout, in plain Python over ids.

The layers are given: each perspective is a band, the first at the top. A band with more
objectives than the geometry's ``per_row`` wraps into several rows of boxes (brick-wise, so
the left-to-right order survives the wrap); every row is a layer. Two geometries: ``WIDE``
for a laptop and ``NARROW`` (one box a row) for a phone. Then:

1. a link that skips rows gets a virtual point in each row between its ends, so it passes
   through a gap between that row's boxes instead of through a box;
2. the boxes (and virtual points) of each row are ordered to reduce crossings: barycenter
   sweeps down and up a few times, the best order seen kept (never worse than the model
   order, which is the first one counted); ties keep the current order, so the same plan
   always draws the same map;
3. x coordinates: each row packed with its gaps, then pulled towards the mean of its
   neighbours in the rows above and below (an isotonic regression per row keeps the order
   and the gaps), so long links run straight;
4. routes: an arrow leaves the top or bottom edge of its source, bends only in the space
   between two rows of boxes, runs vertically through the gap kept for it in a row it
   passes, and ends on the edge of its target; a link within one row runs below the boxes.
   Several arrows at one edge get their own ports, ordered by where they go.

Everything here is a pure function of its arguments; the SVG is drawn by ``maps``.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]
Cubic = tuple[Point, Point, Point, Point]

BOX_W = 190.0
BOX_H = 84.0
PAD = 16.0  # between the label column and the boxes, and at the right edge
ROW_TOP = 28.0  # above a row of boxes: arrows from the row above bend here
ROW_BOTTOM = 52.0  # below it: arrows within the row run here
ROW_H = ROW_TOP + BOX_H + ROW_BOTTOM
BOX_GAP = 28.0  # between two boxes
CHANNEL_GAP = 14.0  # between a box and an arrow passing it
ARROW_GAP = 10.0  # between two passing arrows
SWEEPS = 4
ALIGN_PASSES = 3
PORT_GAP = 22.0
PORT_INSET = 16.0


@dataclass(frozen=True)
class Geometry:
    """How wide a map is drawn: boxes a row before a band wraps, the least width, the
    column left of the boxes for the perspectives' names, or a strip above each band."""

    per_row: int
    min_width: float
    label_w: float
    header: float


# A laptop: four boxes a row, the names in a column on the left.
WIDE = Geometry(per_row=4, min_width=1000.0, label_w=170.0, header=0.0)
# A phone: one box a row (a band of several is a column of boxes), the names above.
NARROW = Geometry(per_row=1, min_width=0.0, label_w=0.0, header=44.0)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Route:
    """A link's arrow: cubic Bézier segments from the source's edge to the target's."""

    source: int
    target: int
    segments: tuple[Cubic, ...]

    @property
    def end(self) -> Point:
        return self.segments[-1][3]


@dataclass(frozen=True)
class Band:
    top: float
    height: float


@dataclass(frozen=True)
class MapLayout:
    width: float
    height: float
    bands: tuple[Band, ...]
    boxes: dict[int, Rect]
    routes: tuple[Route, ...]  # one per link drawn (repeats and self-links left out)
    rows: tuple[tuple[int, ...], ...]  # the objectives of each row, left to right
    crossings: int  # between adjacent rows, of the order drawn
    model_crossings: int  # of the model order (rows in model order, no sweeps)


@dataclass
class _Graph:
    """Nodes are indices: the real ones first (0..n-1), then the virtual points."""

    layer_of: list[int]
    chains: list[list[int]]  # per link between rows: its nodes from source to target
    flat: list[tuple[int, int]]  # links within one row
    n_layers: int
    n_real: int

    def neighbours(self) -> tuple[list[list[int]], list[list[int]]]:
        """Each node's neighbours in the row above and in the row below."""
        up: list[list[int]] = [[] for _ in self.layer_of]
        down: list[list[int]] = [[] for _ in self.layer_of]
        for chain in self.chains:
            for a, b in itertools.pairwise(chain):
                upper, lower = (a, b) if self.layer_of[a] < self.layer_of[b] else (b, a)
                down[upper].append(lower)
                up[lower].append(upper)
        return up, down


def _build(layer_of_real: list[int], n_layers: int, links: list[tuple[int, int]]) -> _Graph:
    layer_of = list(layer_of_real)
    chains: list[list[int]] = []
    flat: list[tuple[int, int]] = []
    for s, t in links:
        a, b = layer_of[s], layer_of[t]
        if a == b:
            flat.append((s, t))
            continue
        step = 1 if b > a else -1
        chain = [s]
        for layer in range(a + step, b, step):
            layer_of.append(layer)
            chain.append(len(layer_of) - 1)
        chain.append(t)
        chains.append(chain)
    return _Graph(layer_of, chains, flat, n_layers, len(layer_of_real))


def _initial_order(graph: _Graph, real_rows: list[list[int]]) -> list[list[int]]:
    """The rows' real nodes in the order given; each virtual point where the straight line
    between its link's ends would pass."""
    key: dict[int, float] = {}
    for row in real_rows:
        for i, node in enumerate(row):
            key[node] = (i + 0.5) / len(row)
    items: list[list[tuple[float, int, int]]] = [[] for _ in range(graph.n_layers)]
    for row in real_rows:
        for i, node in enumerate(row):
            items[graph.layer_of[node]].append((key[node], 0, i))
    virtual_at: dict[tuple[int, int], int] = {}
    for number, chain in enumerate(graph.chains):
        s, t = chain[0], chain[-1]
        a, b = graph.layer_of[s], graph.layer_of[t]
        for node in chain[1:-1]:
            f = (graph.layer_of[node] - a) / (b - a)
            items[graph.layer_of[node]].append(((1 - f) * key[s] + f * key[t], 1, number))
            virtual_at[(graph.layer_of[node], number)] = node
    layers: list[list[int]] = []
    for layer, entries in enumerate(items):
        entries.sort()
        row = real_rows[layer]
        layers.append([row[i] if kind == 0 else virtual_at[(layer, i)] for _, kind, i in entries])
    return layers


def count_crossings(layers: Sequence[Sequence[int]], down: Sequence[Sequence[int]]) -> int:
    """Crossings between adjacent layers: pairs of segments whose ends are in opposite
    orders (segments sharing an end do not cross). A Fenwick tree per pair of layers, so
    O(segments × log nodes)."""
    total = 0
    for upper, lower in itertools.pairwise(layers):
        position = {node: i for i, node in enumerate(lower)}
        ends = sorted(
            (i, position[v]) for i, u in enumerate(upper) for v in down[u] if v in position
        )
        tree = [0] * (len(lower) + 1)
        for seen, (_, v) in enumerate(ends):
            # segments seen so far that end right of v cross this one
            index, not_greater = v + 1, 0
            while index > 0:
                not_greater += tree[index]
                index -= index & -index
            total += seen - not_greater
            index = v + 1
            while index <= len(lower):
                tree[index] += 1
                index += index & -index
    return total


def _reorder(layer: list[int], fixed: list[int], neighbours: list[list[int]]) -> list[int]:
    position = {node: i for i, node in enumerate(fixed)}
    keyed = []
    for i, node in enumerate(layer):
        near = [position[n] for n in neighbours[node] if n in position]
        # nothing to follow: it keeps its place
        key = (sum(near) / len(near) + 0.5) / len(fixed) if near else (i + 0.5) / len(layer)
        keyed.append((key, i, node))
    keyed.sort()
    return [node for _, _, node in keyed]


def _sweep(graph: _Graph, start: list[list[int]]) -> tuple[list[list[int]], int]:
    up, down = graph.neighbours()
    best = [list(layer) for layer in start]
    best_crossings = count_crossings(best, down)
    current = [list(layer) for layer in start]
    for _ in range(SWEEPS):
        if best_crossings == 0:
            break
        for direction in ("down", "up"):
            if direction == "down":
                for layer in range(1, graph.n_layers):
                    current[layer] = _reorder(current[layer], current[layer - 1], up)
            else:
                for layer in range(graph.n_layers - 2, -1, -1):
                    current[layer] = _reorder(current[layer], current[layer + 1], down)
            crossings = count_crossings(current, down)
            if crossings < best_crossings:
                best, best_crossings = [list(layer) for layer in current], crossings
    return best, best_crossings


def _wrap(band_orders: list[list[int]], per_row: int) -> tuple[list[list[int]], list[int]]:
    """Rows of each band (a box at place i of a band of r rows goes to row i mod r) and the
    first row of each band."""
    rows: list[list[int]] = []
    first_rows = []
    for order in band_orders:
        count = max(1, math.ceil(len(order) / per_row))
        first_rows.append(len(rows))
        rows.extend([order[r::count] for r in range(count)])
    return rows, first_rows


def _rows_graph(
    rows: list[list[int]], n_real: int, links: list[tuple[int, int]]
) -> tuple[_Graph, list[list[int]]]:
    layer_of = [0] * n_real
    for layer, row in enumerate(rows):
        for node in row:
            layer_of[node] = layer
    graph = _build(layer_of, len(rows), links)
    return graph, _initial_order(graph, rows)


def _separation(a_real: bool, b_real: bool) -> float:
    if a_real and b_real:
        return BOX_W + BOX_GAP
    if a_real or b_real:
        return BOX_W / 2 + CHANNEL_GAP
    return ARROW_GAP


def _isotonic(values: list[float]) -> list[float]:
    """The non-decreasing sequence nearest to ``values`` (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [sum, count]
    for value in values:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    result: list[float] = []
    for total, count in blocks:
        result.extend([total / count] * int(count))
    return result


def _offsets(layer: list[int], n_real: int) -> list[float]:
    offsets = [0.0]
    for a, b in itertools.pairwise(layer):
        offsets.append(offsets[-1] + _separation(a < n_real, b < n_real))
    return offsets


def _place(
    layer: list[int], desired: list[float], n_real: int, left: float, right: float
) -> list[float]:
    """Centers in this order, at least the separations apart, inside [left, right], as
    near the desired ones as that allows."""
    offsets = _offsets(layer, n_real)
    half_first = BOX_W / 2 if layer[0] < n_real else 0.0
    half_last = BOX_W / 2 if layer[-1] < n_real else 0.0
    low, high = left + half_first, right - half_last - offsets[-1]
    shifted = _isotonic([d - o for d, o in zip(desired, offsets, strict=True)])
    return [min(max(s, low), high) + o for s, o in zip(shifted, offsets, strict=True)]


def _span(layer: list[int], n_real: int) -> float:
    if not layer:
        return 0.0
    ends = (BOX_W / 2 if layer[0] < n_real else 0.0) + (BOX_W / 2 if layer[-1] < n_real else 0.0)
    return _offsets(layer, n_real)[-1] + ends


def _coordinates(
    graph: _Graph, layers: list[list[int]], left: float, right: float
) -> dict[int, float]:
    up, down = graph.neighbours()
    x: dict[int, float] = {}
    for layer in layers:  # packed, the spare room shared around the items
        if not layer:
            continue
        spare = (right - left - _span(layer, graph.n_real)) / len(layer)
        offsets = _offsets(layer, graph.n_real)
        start = left + spare / 2 + (BOX_W / 2 if layer[0] < graph.n_real else 0.0)
        for i, (node, offset) in enumerate(zip(layer, offsets, strict=True)):
            x[node] = start + offset + spare * i

    def pull(layer: list[int], towards: list[list[int]]) -> None:
        if not any(towards[node] for node in layer):
            return  # nothing to be near: where the layer is stays (it is already placed)
        desired = []
        for node in layer:
            near = [x[n] for n in towards[node]]
            desired.append(sum(near) / len(near) if near else x[node])
        for node, value in zip(
            layer, _place(layer, desired, graph.n_real, left, right), strict=True
        ):
            x[node] = value

    both = [u + d for u, d in zip(up, down, strict=True)]
    for _ in range(ALIGN_PASSES):
        for layer in layers[1:]:
            if layer:
                pull(layer, up)
        for layer in reversed(layers[:-1]):
            if layer:
                pull(layer, down)
    for layer in layers:
        if layer:
            pull(layer, both)
    return x


def _curve(a: Point, b: Point) -> Cubic:
    """From a to b, leaving and arriving vertically; between their heights throughout."""
    middle = (a[1] + b[1]) / 2
    return (a, (a[0], middle), (b[0], middle), b)


def _line(a: Point, b: Point) -> Cubic:
    return (
        a,
        (a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3),
        (a[0] + 2 * (b[0] - a[0]) / 3, a[1] + 2 * (b[1] - a[1]) / 3),
        b,
    )


def _ports(
    ends: dict[tuple[int, str], list[tuple[float, int, int]]], x: dict[int, float]
) -> dict[tuple[int, int], float]:
    """Where each arrow meets its box: (link number, 0 source / 1 target) -> x. The arrows
    at one edge are spread along it in the order of where they go."""
    port: dict[tuple[int, int], float] = {}
    for (node, _side), entries in ends.items():
        entries.sort()
        count = len(entries)
        spacing = min(PORT_GAP, (BOX_W - 2 * PORT_INSET) / (count - 1)) if count > 1 else 0.0
        for i, (_, number, end) in enumerate(entries):
            port[(number, end)] = x[node] + (i - (count - 1) / 2) * spacing
    return port


def layout(
    bands: Sequence[Sequence[int]],
    links: Sequence[tuple[int, int]],
    geometry: Geometry = WIDE,
) -> MapLayout:
    """``bands``: the objectives' ids of each perspective, top first, in model order;
    ``links``: (source, target) pairs. Links to ids not on the map, self-links and
    repeats are left out; the links' order does not matter.

    A pure function of its arguments, so each worker keeps the last layouts it made
    (``_layout``): the map drawn again after a check-in or a new value (statuses change,
    objectives and links do not) is laid out once, not on every build; a changed plan is a
    new key. The layout is shared: callers read it and never change it."""
    return _layout(tuple(tuple(band) for band in bands), tuple(sorted(set(links))), geometry)


@functools.lru_cache(maxsize=64)
def _layout(
    bands: tuple[tuple[int, ...], ...], links: tuple[tuple[int, int], ...], geometry: Geometry
) -> MapLayout:
    ids = [key for band in bands for key in band]
    index = {key: i for i, key in enumerate(ids)}
    pairs = sorted({(index[s], index[t]) for s, t in links if s in index and t in index and s != t})
    model_bands, start = [], 0
    for band in bands:
        model_bands.append(list(range(start, start + len(band))))
        start += len(band)
    # Bands first (a band is one layer), so that wrapping keeps a good left-to-right order.
    band_graph = _build(
        [b for b, band in enumerate(model_bands) for _ in band], len(model_bands), pairs
    )
    band_layers, _ = _sweep(band_graph, _initial_order(band_graph, model_bands))
    swept_bands = [[n for n in layer if n < len(ids)] for layer in band_layers]
    candidates = []
    model_crossings = 0
    for number, band_orders in enumerate((swept_bands, model_bands)):
        rows, first_rows = _wrap(band_orders, geometry.per_row)
        graph, start_order = _rows_graph(rows, len(ids), pairs)
        if number == 1:
            model_crossings = count_crossings(start_order, graph.neighbours()[1])
        layers, crossings = _sweep(graph, start_order)
        candidates.append((crossings, number, graph, layers, first_rows))
    crossings, _, graph, layers, first_rows = min(candidates, key=lambda c: (c[0], c[1]))

    def _rows_of(band: int) -> int:
        end = first_rows[band + 1] if band + 1 < len(first_rows) else len(layers)
        return end - first_rows[band]

    content = max(
        [geometry.min_width - geometry.label_w - 2 * PAD, *(_span(la, len(ids)) for la in layers)]
    )
    left = geometry.label_w + PAD
    x = _coordinates(graph, layers, left, left + content)
    width = left + content + PAD

    band_of_row = [b for b, first in enumerate(first_rows) for _ in range(_rows_of(b))]

    def box_top(layer: int) -> float:
        return layer * ROW_H + (band_of_row[layer] + 1) * geometry.header + ROW_TOP

    boxes = {
        ids[node]: Rect(x[node] - BOX_W / 2, box_top(graph.layer_of[node]), BOX_W, BOX_H)
        for node in range(len(ids))
    }
    # Ports: which edge each end uses and the x of what it heads for.
    ends: dict[tuple[int, str], list[tuple[float, int, int]]] = {}
    routed: list[tuple[int, int, list[int] | None]] = []  # (source, target, chain)
    for chain in graph.chains:
        going_down = graph.layer_of[chain[-1]] > graph.layer_of[chain[0]]
        number = len(routed)
        routed.append((chain[0], chain[-1], chain))
        ends.setdefault((chain[0], "bottom" if going_down else "top"), []).append(
            (x[chain[1]], number, 0)
        )
        ends.setdefault((chain[-1], "top" if going_down else "bottom"), []).append(
            (x[chain[-2]], number, 1)
        )
    for s, t in graph.flat:
        number = len(routed)
        routed.append((s, t, None))
        ends.setdefault((s, "bottom"), []).append((x[t], number, 0))
        ends.setdefault((t, "bottom"), []).append((x[s], number, 1))
    port = _ports(ends, x)
    flat_rank: dict[int, int] = {}
    by_row: dict[int, list[tuple[float, int]]] = {}
    for number, (s, t, path) in enumerate(routed):
        if path is None:
            by_row.setdefault(graph.layer_of[s], []).append((abs(x[s] - x[t]), number))
    for entries in by_row.values():
        for rank, (_, number) in enumerate(sorted(entries)):
            flat_rank[number] = rank

    routes = []
    for number, (s, t, path) in enumerate(routed):
        if path is None:
            bottom = box_top(graph.layer_of[s]) + BOX_H
            depth = min(60.0, 28.0 + 12.0 * flat_rank[number])  # the curve dips 3/4 of it
            a, b = (port[(number, 0)], bottom), (port[(number, 1)], bottom)
            segments = [(a, (a[0], bottom + depth), (b[0], bottom + depth), b)]
        else:
            going_down = graph.layer_of[t] > graph.layer_of[s]

            def leave(layer: int, down: bool = going_down) -> float:
                return box_top(layer) + BOX_H if down else box_top(layer)

            def enter(layer: int, down: bool = going_down) -> float:
                return box_top(layer) if down else box_top(layer) + BOX_H

            point = (port[(number, 0)], leave(graph.layer_of[s]))
            segments = []
            for node in path[1:-1]:
                layer = graph.layer_of[node]
                into, out = (x[node], enter(layer)), (x[node], leave(layer))
                segments += [_curve(point, into), _line(into, out)]
                point = out
            segments.append(_curve(point, (port[(number, 1)], enter(graph.layer_of[t]))))
        routes.append(Route(ids[s], ids[t], tuple(segments)))

    return MapLayout(
        width=width,
        height=len(layers) * ROW_H + len(bands) * geometry.header,
        bands=tuple(
            Band(
                first_rows[b] * ROW_H + b * geometry.header,
                _rows_of(b) * ROW_H + geometry.header,
            )
            for b in range(len(bands))
        ),
        boxes=boxes,
        routes=tuple(routes),
        rows=tuple(tuple(ids[n] for n in layer if n < len(ids)) for layer in layers),
        crossings=crossings,
        model_crossings=model_crossings,
    )
