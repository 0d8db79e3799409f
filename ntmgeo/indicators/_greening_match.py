"""Where survey geometry runs along the roads: steps 1-3 of how
:func:`~ntmgeo.indicators.roads.tree_lined` measures (the method is described in
:mod:`ntmgeo.indicators._greening_engine`, which calls :func:`_find` and takes it from there).

The roads (chained by :func:`ntmgeo.linref.chained_roads`) are laid end to end on one axis of
chainage and cut into segments, filed in a square grid; each survey segment or single tree
looks for its candidate road segments in one cell; the part of a survey segment beside a road
segment is projected onto the centreline, and counts when it runs along the road; a tree is
placed at its nearest road. Out comes :class:`_Found`: the line intervals and the trees'
positions on the shared axis, with their surveys and sides.

Private to :mod:`ntmgeo.indicators`; pure (arrays in, arrays out, in metres).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from ..linref import chained_roads

_ALONG_COS = math.cos(math.radians(45.0))  # a segment runs along a road within 45 degrees
_JOIN_M = 1e-3  # intervals closer than 1 mm along a road are one
_MIN_SIDE_OFFSET_M = 1.0  # geometry this close to the centreline shows no side
_SIDE_WINDOW_M = 50.0  # a line's geometric side: its offset averaged this far either way
_ROAD_SPACER_M = 1000.0  # roads are laid end to end on one axis, this far apart
_PAIR_BUDGET = 100_000  # candidate pairs examined at once: small batches stay in the caches
_SIDE_CODES = {"left": 1, "right": 2, "both": 3}


# --------------------------------------------------------------------------------------------
# Roads as chained segments


@dataclass(frozen=True)
class _Network:
    """Roads dissolved by identity, as segments along one axis of chainage."""

    dist: list[str]
    code: list[str]
    origin: np.ndarray  # coordinates are in metres from this point of the CRS
    length: np.ndarray  # per road (m)
    base: np.ndarray  # per road: where its Km0 sits on the axis shared by all roads
    seg: np.ndarray  # per segment (n, 6): start x, y, unit direction x, y, length, chainage
    road: np.ndarray  # per segment


def _segments(coords: np.ndarray, owner: np.ndarray, max_len: float | None = None,
              columns: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive vertex pairs of each owner, cut into pieces at most ``max_len`` long.

    Returns an ``(n, columns)`` array whose first five columns are start x, y, extent x, y
    and length of the pieces, in order, and their owners.
    """
    if len(coords) < 2:
        return np.empty((0, columns)), owner[:0]
    full = np.empty((len(coords) - 1, columns))
    full[:, :2] = coords[:-1]
    np.subtract(coords[1:], coords[:-1], out=full[:, 2:4])
    full[:, 4] = np.hypot(full[:, 2], full[:, 3])
    keep = (owner[1:] == owner[:-1]) & np.isfinite(full[:, 4]) & (full[:, 4] > 0)
    seg, own = full[keep], owner[:-1][keep]
    del full
    if max_len is None or not seg.size:
        return seg, own
    pieces = np.ceil(seg[:, 4] / max_len).astype(np.int64)
    if pieces.max() <= 1:
        return seg, own
    seg, own, n = np.repeat(seg, pieces, axis=0), np.repeat(own, pieces), np.repeat(pieces, pieces)
    k = np.arange(n.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    seg[:, 0] += k / n * seg[:, 2]
    seg[:, 1] += k / n * seg[:, 3]
    seg[:, 2:5] /= n[:, None]
    return seg, own


def _network(roads: gpd.GeoDataFrame, max_len: float) -> _Network:
    dist, code, lines = chained_roads(roads)
    bounds = shapely.bounds(lines)
    origin = np.floor(bounds[:, :2].min(axis=0)) if len(lines) else np.zeros(2)
    pieces, road_of_piece = shapely.get_parts(lines, return_index=True)
    coords, piece = shapely.get_coordinates(pieces, return_index=True)
    seg, own = _segments(coords - origin, piece, max_len, columns=6)
    road = road_of_piece[own]
    seglen = seg[:, 4]
    length = np.bincount(road, weights=seglen, minlength=len(dist))
    seg[:, 5] = np.clip(np.cumsum(seglen) - seglen - (np.cumsum(length) - length)[road], 0, None)
    seg[:, 2:4] /= seglen[:, None]  # unit direction
    base = np.cumsum(length + _ROAD_SPACER_M) - (length + _ROAD_SPACER_M)
    return _Network(dist, code, origin, length, base, seg, road.astype(np.int32))


# --------------------------------------------------------------------------------------------
# Candidate pairs on a grid


@dataclass(frozen=True)
class _Grid:
    """The road segments, expanded by the tolerance, filed in the cells of a square grid.

    A survey segment (no wider or taller than ``reach``) is looked for in the one cell of its
    lower-left corner: each road segment is filed in every cell that corner can lie in while
    the two boxes are within tolerance, so each candidate pair comes once.
    """

    low: tuple[float, float]
    cell: float
    reach: float
    shape: tuple[int, int]
    keys: np.ndarray  # the occupied cells, sorted
    first: np.ndarray  # for each, where its road segments start in ``item``
    count: np.ndarray
    item: np.ndarray


def _grid(net: _Network, tolerance: float, reach: float) -> _Grid:
    cell = 2.0 * tolerance + reach
    x0, y0 = net.seg[:, 0], net.seg[:, 1]
    x1, y1 = x0 + net.seg[:, 2] * net.seg[:, 4], y0 + net.seg[:, 3] * net.seg[:, 4]
    xmin, ymin = np.minimum(x0, x1) - tolerance, np.minimum(y0, y1) - tolerance
    xmax, ymax = np.maximum(x0, x1) + tolerance, np.maximum(y0, y1) + tolerance
    low = (float(xmin.min()) - reach, float(ymin.min()) - reach) if x0.size else (0.0, 0.0)
    i0 = ((xmin - reach - low[0]) // cell).astype(np.int64)
    j0 = ((ymin - reach - low[1]) // cell).astype(np.int64)
    w = ((xmax - low[0]) // cell).astype(np.int64) - i0 + 1
    h = ((ymax - low[1]) // cell).astype(np.int64) - j0 + 1
    shape = (int((i0 + w).max()) + 1, int((j0 + h).max()) + 1) if x0.size else (1, 1)
    n = w * h
    item = np.repeat(np.arange(n.size), n)
    k = np.arange(item.size) - np.repeat(np.cumsum(n) - n, n)
    w = np.repeat(w, n)
    key = (np.repeat(i0, n) + k % w) * shape[1] + np.repeat(j0, n) + k // w
    del k, w
    order = np.argsort(key, kind="stable")
    key, item = key[order], item[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else key
    count = np.diff(np.r_[first, key.size])
    return _Grid(low, cell, reach, shape, key[first], first, count, item.astype(np.int32))


def _candidates(grid: _Grid, x: np.ndarray,
                y: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Candidate pairs (index in ``x``, road segment) for boxes with lower-left corner (x, y)."""
    if not x.size or not grid.keys.size:
        return
    i = np.clip((x - grid.low[0]) // grid.cell, -1, grid.shape[0]).astype(np.int64)
    j = np.clip((y - grid.low[1]) // grid.cell, -1, grid.shape[1]).astype(np.int64)
    key = i * grid.shape[1] + j
    pos = np.minimum(np.searchsorted(grid.keys, key), grid.keys.size - 1)
    found = (grid.keys[pos] == key) & (i >= 0) & (j >= 0) & (j < grid.shape[1])
    lo, count = grid.first[pos], np.where(found, grid.count[pos], 0)
    total = np.cumsum(count)
    cuts = np.searchsorted(total, np.arange(_PAIR_BUDGET, int(total[-1]), _PAIR_BUDGET))
    for start, stop in zip(np.r_[0, cuts], np.r_[cuts, x.size], strict=True):
        n = count[start:stop]
        ia = np.repeat(np.arange(start, stop), n)
        if ia.size:
            yield ia, grid.item[np.repeat(lo[start:stop] - (np.cumsum(n) - n), n)
                                + np.arange(ia.size)]


# --------------------------------------------------------------------------------------------
# Surveys: geometry and side


@dataclass(frozen=True)
class _SurveyGeometry:
    """Survey lines as segments and single trees as points, in metres from the origin."""

    seg: np.ndarray  # per line segment (n, 5): start x, y, extent x, y, length
    part: np.ndarray  # per line segment: its line part
    part_owner: np.ndarray  # per line part: its survey feature
    tree_xy: np.ndarray  # (n, 2): single trees
    tree_owner: np.ndarray


@functools.lru_cache(maxsize=16)
def _transformer(source: CRS, target: CRS) -> Transformer:
    """The transformation ``GeoDataFrame.to_crs`` uses (PROJ's choice), kept for reuse."""
    return Transformer.from_crs(source, target, always_xy=True)


def _reproject(xy: np.ndarray, source: Any, target: CRS) -> np.ndarray:
    """Coordinates from ``source`` to ``target`` (in place), as ``GeoDataFrame.to_crs`` moves
    them.
    """
    if not len(xy):
        return xy
    if source is None:
        msg = "surveys: geometry has no CRS"
        raise ValueError(msg)
    source = CRS.from_user_input(source)
    if source.equals(target):
        return xy
    x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
    _transformer(source, target).transform(x, y, inplace=True)
    xy[:, 0], xy[:, 1] = x, y
    return xy


def _survey_geometry(surveys: gpd.GeoDataFrame, target: CRS,
                     origin: np.ndarray) -> _SurveyGeometry:
    geoms = np.asarray(surveys.geometry.values, dtype=object)
    feature = np.arange(geoms.size)
    kind = shapely.get_type_id(geoms)
    nested = kind >= 4
    while nested.any():  # the members of multi-geometries and collections
        parts, k = shapely.get_parts(geoms[nested], return_index=True)
        geoms = np.concatenate([geoms[~nested], parts])
        feature = np.concatenate([feature[~nested], feature[nested][k]])
        kind = shapely.get_type_id(geoms)
        nested = kind >= 4
    lines = np.isin(kind, (1, 2))
    trees = kind == 0
    coords, part = shapely.get_coordinates(geoms[lines], return_index=True)
    tree_geoms = geoms[trees]
    tree_owner = feature[trees][~shapely.is_empty(tree_geoms)]
    xy = np.concatenate([coords, shapely.get_coordinates(tree_geoms)])
    xy = _reproject(xy, surveys.crs, target)
    xy -= origin
    seg, seg_part = _segments(xy[: len(coords)], part)
    tree_xy = xy[len(coords):]
    finite = np.isfinite(tree_xy).all(axis=1)
    return _SurveyGeometry(seg, seg_part, feature[lines], tree_xy[finite], tree_owner[finite])


def _side_codes(surveys: gpd.GeoDataFrame) -> np.ndarray:
    """Side of each survey from its attribute: 0 unknown, 1 left, 2 right, 3 both."""
    if "side" not in surveys.columns:
        return np.zeros(len(surveys), dtype=np.int8)
    codes, uniques = pd.factorize(surveys["side"])
    table = [_SIDE_CODES.get(str(u).strip().lower(), 0) for u in uniques]
    return np.array([*table, 0], dtype=np.int8)[codes]  # code -1 (missing) -> 0


def _geometric_side(offset: np.ndarray) -> np.ndarray:
    """1 left, 2 right, 0 too close to the centreline to tell."""
    side = (offset >= _MIN_SIDE_OFFSET_M).astype(np.int8)
    side[offset <= -_MIN_SIDE_OFFSET_M] = 2
    return side


# --------------------------------------------------------------------------------------------
# Survey lines along the roads


@dataclass(frozen=True)
class _Pieces:
    """Parts of survey segments beside a road segment, projected onto its centreline."""

    road: np.ndarray
    seg: np.ndarray  # survey segment
    t: np.ndarray  # where along the survey segment (0-1) the part's middle lies
    s_lo: np.ndarray  # chainage span
    s_hi: np.ndarray
    o_lo: np.ndarray  # offsets from the centreline (left positive) at the two ends
    o_hi: np.ndarray
    along: np.ndarray  # the survey segment itself is within 45 degrees of the road


def _span(v0: np.ndarray, dv: np.ndarray, low: float | np.ndarray,
          high: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Range of t in [0, 1] where ``low <= v0 + t * dv <= high`` (empty when lo >= hi)."""
    dv = np.where(dv == 0, 1e-300, dv)  # constant: a range of t far beyond [0, 1] or none
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        t1 = (low - v0) / dv
        t2 = (high - v0) / dv
    return np.maximum(np.minimum(t1, t2), 0.0), np.minimum(np.maximum(t1, t2), 1.0)


def _project(net: _Network, g: _SurveyGeometry, ia: np.ndarray, ib: np.ndarray,
             tolerance: float) -> _Pieces:
    """The part of survey segment ``ia`` within tolerance of road segment ``ib``, beside it."""
    r, sv = net.seg[ib], g.seg[ia]
    px, py = sv[:, 0] - r[:, 0], sv[:, 1] - r[:, 1]
    ux, uy, length = r[:, 2], r[:, 3], r[:, 4]
    a0, da = px * ux + py * uy, sv[:, 2] * ux + sv[:, 3] * uy  # along the road segment
    o0, do = ux * py - uy * px, ux * sv[:, 3] - uy * sv[:, 2]  # across it, left positive
    a1, o1 = a0 + da, o0 + do
    near = ~(((o0 > tolerance) & (o1 > tolerance)) | ((o0 < -tolerance) & (o1 < -tolerance))
             | ((a0 < 0) & (a1 < 0)) | ((a0 > length) & (a1 > length)))
    k = np.flatnonzero(near)
    a0, da, o0, do, length, ia, ib = a0[k], da[k], o0[k], do[k], length[k], ia[k], ib[k]
    lo, hi = _span(o0, do, -tolerance, tolerance)
    lo2, hi2 = _span(a0, da, 0.0, length)
    lo, hi = np.maximum(lo, lo2), np.minimum(hi, hi2)
    k = np.flatnonzero(hi > lo)
    lo, hi, ia, ib = lo[k], hi[k], ia[k], ib[k]
    a0, da, o0, do, length = a0[k], da[k], o0[k], do[k], length[k]
    c0 = net.seg[ib, 5]
    s_a = c0 + np.clip(a0 + lo * da, 0.0, length)
    s_b = c0 + np.clip(a0 + hi * da, 0.0, length)
    return _Pieces(net.road[ib], ia.astype(np.int32), ((lo + hi) / 2).astype(np.float32),
                   np.minimum(s_a, s_b), np.maximum(s_a, s_b),
                   (o0 + lo * do).astype(np.float32), (o0 + hi * do).astype(np.float32),
                   np.abs(da) >= _ALONG_COS * g.seg[ia, 4])


def _pieces(net: _Network, grid: _Grid, g: _SurveyGeometry, tolerance: float) -> _Pieces:
    """Every part of a survey segment beside a road segment, in survey-segment order."""
    x0, y0, dx, dy = g.seg[:, 0], g.seg[:, 1], g.seg[:, 2], g.seg[:, 3]
    size = np.maximum(np.abs(dx), np.abs(dy))
    short = np.flatnonzero(size <= grid.reach)
    found = [_project(net, g, short[ia], ib, tolerance)
             for ia, ib in _candidates(grid, np.minimum(x0, x0 + dx)[short],
                                       np.minimum(y0, y0 + dy)[short])]
    long = np.flatnonzero(size > grid.reach)
    if long.size:  # looked for piece by piece, each no larger than the grid's reach
        n = np.ceil(size[long] / grid.reach).astype(np.int64)
        seg = np.repeat(long, n)
        k = np.arange(seg.size) - np.repeat(np.cumsum(n) - n, n)
        f0, f1 = k / np.repeat(n, n), (k + 1) / np.repeat(n, n)
        corner_x = x0[seg] + np.minimum(f0 * dx[seg], f1 * dx[seg])
        corner_y = y0[seg] + np.minimum(f0 * dy[seg], f1 * dy[seg])
        pairs = [seg[ia] * len(net.road) + ib for ia, ib in _candidates(grid, corner_x, corner_y)]
        if pairs:
            pair = _distinct(np.concatenate(pairs))
            for start in range(0, pair.size, _PAIR_BUDGET):
                ia, ib = np.divmod(pair[start:start + _PAIR_BUDGET], len(net.road))
                found.append(_project(net, g, ia, ib, tolerance))
    if not found:
        empty = np.empty(0)
        return _Pieces(empty.astype(np.int32), empty.astype(np.int32), empty.astype(np.float32),
                       empty, empty, empty.astype(np.float32), empty.astype(np.float32),
                       empty.astype(bool))
    return _Pieces(*(np.concatenate([getattr(p, f.name) for p in found])
                     for f in fields(_Pieces)))


def _travel_order(p: _Pieces, roads: int) -> np.ndarray:
    """Order of pieces by road, then along each survey line (they come in segment order)."""
    order = np.argsort(p.seg + 0.999 * p.t.astype(np.float64), kind="stable")  # nearly sorted
    road = p.road[order]
    if roads <= np.iinfo(np.uint16).max:
        return order[np.argsort(road.astype(np.uint16), kind="stable")]  # a radix sort
    return order[np.argsort(road, kind="stable")]


def _line_chains(net: _Network, p: _Pieces, g: _SurveyGeometry,
                 side_code: np.ndarray) -> tuple[np.ndarray, ...]:
    """Along-road intervals of the survey lines: (road, start, end, survey, side).

    Pieces count when their segment runs along the road, or when their run does: a run is a
    sequence of consecutive segments of one survey part beside one road; it runs along the
    road when its extent along the road is at least its extent across it (45°). The counted
    pieces of a run that touch one another are joined into one interval.
    """
    order = _travel_order(p, len(net.dist))
    road, seg, s_lo, s_hi = p.road[order], p.seg[order], p.s_lo[order], p.s_hi[order]
    o_lo, o_hi, itself = p.o_lo[order], p.o_hi[order], p.along[order]
    del p, order  # the caller hands the pieces over: free them
    part = g.part[seg]
    new = np.ones(road.size, dtype=bool)
    new[1:] = (road[1:] != road[:-1]) | (seg[1:] - seg[:-1] > 1) | (part[1:] != part[:-1])
    del seg
    starts = np.flatnonzero(new)
    run = np.cumsum(new) - 1
    o_min, o_max = np.minimum(o_lo, o_hi), np.maximum(o_lo, o_hi)
    along = (np.maximum.reduceat(s_hi, starts) - np.minimum.reduceat(s_lo, starts)
             >= np.maximum.reduceat(o_max, starts) - np.minimum.reduceat(o_min, starts)) \
        if starts.size else np.empty(0, dtype=bool)
    del o_min, o_max, starts, new
    k = np.flatnonzero((itself | along[run]) & (s_hi > s_lo))
    owner = g.part_owner[part[k]]
    side = side_code[owner]
    road, run, s_lo, s_hi = road[k], run[k], s_lo[k], s_hi[k]
    unknown = np.flatnonzero(side == 0)  # whole runs: a run is one survey's
    if unknown.size:
        u = k[unknown]
        middle = (o_lo[u].astype(np.float64) + o_hi[u]) / 2
        side[unknown] = _geometric_side(_run_average(run[unknown], s_hi[unknown] - s_lo[unknown],
                                                     middle, _SIDE_WINDOW_M))
    group = np.ones(road.size, dtype=bool)  # a run's counted pieces on one side
    group[1:] = (run[1:] != run[:-1]) | (side[1:] != side[:-1])
    lo, hi = _union_groups(group, s_lo, s_hi)
    first = np.flatnonzero(group)[np.cumsum(group)[lo] - 1] if lo.size else lo
    return road[first], s_lo[lo], hi, owner[first], side[first]


def _run_average(run: np.ndarray, weight: np.ndarray, value: np.ndarray,
                 half: float) -> np.ndarray:
    """For each piece, the ``weight``-weighted mean of ``value`` over the pieces of its run
    (contiguous, in order along the survey) within ``half`` of it, measured by ``weight``.

    The side a noisy GPS track lies on is its offset averaged along it: a track drifting
    across the centreline for a few metres keeps its side, a line that changes sides for
    longer (down one row, back along the other) changes it.
    """
    end = np.cumsum(weight)
    start = end - weight
    middle = end - weight / 2
    total_w = np.r_[0.0, end]
    total_v = np.r_[0.0, np.cumsum(weight * value)]
    new = np.r_[True, run[1:] != run[:-1]]
    first = np.flatnonzero(new)
    last = np.r_[first[1:], run.size]
    which = np.cumsum(new) - 1
    lo = np.maximum(np.searchsorted(end, middle - half, side="right"), first[which])
    hi = np.minimum(np.searchsorted(start, middle + half, side="left"), last[which])
    hi = np.maximum(hi, np.arange(run.size) + 1)  # the piece itself, at the least
    lo = np.minimum(lo, np.arange(run.size))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (total_v[hi] - total_v[lo]) / (total_w[hi] - total_w[lo])
    return np.where(np.isfinite(mean), mean, value)


def _union_groups(new: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, ...]:
    """Union of the intervals within each group (contiguous; ``new`` marks where one starts).

    Each group is laid on its own stretch of one axis, groups in order, so a single sort and a
    running maximum join what overlaps within a group and never across groups. Returns, for
    each interval of the result, the index of its lowest start, and its end.
    """
    if not lo.size:
        return np.empty(0, dtype=np.int64), hi
    starts = np.flatnonzero(new)
    g_lo = np.minimum.reduceat(lo, starts)
    span = np.maximum.reduceat(hi, starts) - g_lo + 1.0
    shift = (np.cumsum(span) - span - g_lo)[np.cumsum(new) - 1]
    order = np.argsort(lo + shift, kind="stable")  # pieces come nearly in order
    x_lo, reach = (lo + shift)[order], np.maximum.accumulate((hi + shift)[order])
    chain = np.r_[True, x_lo[1:] > reach[:-1] + _JOIN_M]
    last = np.r_[np.flatnonzero(chain)[1:] - 1, x_lo.size - 1]
    return order[chain], reach[last] - shift[order[chain]]


# --------------------------------------------------------------------------------------------
# Single trees


def _place_trees(net: _Network, grid: _Grid, g: _SurveyGeometry,
                 tolerance: float) -> tuple[np.ndarray, ...]:
    """Trees on their nearest road within tolerance: (tree, road, chainage, offset)."""
    xy = g.tree_xy
    found: list[tuple[np.ndarray, ...]] = []
    for ia, ib in _candidates(grid, xy[:, 0], xy[:, 1]):
        r = net.seg[ib]
        px, py = xy[ia, 0] - r[:, 0], xy[ia, 1] - r[:, 1]
        ux, uy = r[:, 2], r[:, 3]
        a = np.clip(px * ux + py * uy, 0.0, r[:, 4])
        dist = np.hypot(px - a * ux, py - a * uy)
        k = np.flatnonzero(dist <= tolerance)
        found.append((ia[k], ib[k], r[k, 5] + a[k], dist[k], (ux * py - uy * px)[k]))
    if not found:
        empty = np.empty(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty, empty
    ia, ib, s, dist, off = (np.concatenate(c) for c in zip(*found, strict=True))
    order = np.lexsort((dist, ia))
    first = order[np.r_[True, ia[order][1:] != ia[order][:-1]]] if order.size else order
    return ia[first], net.road[ib[first]], s[first], off[first]


# --------------------------------------------------------------------------------------------
# Beside the roads, on the axis shared by all roads


@dataclass(frozen=True)
class _Found:
    """What the surveys give on the shared axis, before a side is chosen."""

    line_lo: np.ndarray  # line intervals
    line_hi: np.ndarray
    line_owner: np.ndarray
    line_side: np.ndarray
    tree_pos: np.ndarray  # single trees placed on a road
    tree_owner: np.ndarray
    tree_side: np.ndarray
    matched: np.ndarray  # per survey: beside some road


def _near(net: _Network, g: _SurveyGeometry, tolerance: float,
          reach: float) -> dict[str, Any]:
    """Survey pieces and trees beside the roads (the grid is dropped on return)."""
    grid = _grid(net, tolerance, reach)
    return {"trees": _place_trees(net, grid, g, tolerance),
            "pieces": _pieces(net, grid, g, tolerance)}


def _find(net: _Network, g: _SurveyGeometry, side_code: np.ndarray, tolerance: float,
          max_len: float) -> _Found:
    near = _near(net, g, tolerance, max_len)
    tree, t_road, t_s, t_off = near.pop("trees")
    # handed over, not kept: _line_chains frees the pieces once it has put them in order
    road, lo, hi, owner, side = _line_chains(net, near.pop("pieces"), g, side_code)
    t_owner = g.tree_owner[tree]
    t_side = np.where(side_code[t_owner] > 0, side_code[t_owner], _geometric_side(t_off))
    matched = np.zeros(side_code.size, dtype=bool)
    matched[owner] = True
    matched[t_owner] = True
    base = net.base
    return _Found(base[road] + lo, base[road] + hi, owner, side.astype(np.int8),
                  base[t_road] + t_s, t_owner, t_side.astype(np.int8), matched)


def _distinct(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if values.size else values
