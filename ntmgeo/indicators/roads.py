"""Criterion 2 (transport) of the district set, computed from geometry.

* **2.3, road greening** (:func:`tree_lined`): the share of the district roads' length that
  is tree-lined, from the survey teams' tree rows, GPS tracks and single trees.
* **2.2, district roads to standard** (:func:`roads_to_standard`): the share of the district
  roads' length with a hard surface and the planned technical grade.
* Chainage text (:func:`chainage`, :func:`parse_chainage`): ``"Km4+00"`` is 4 km + 0 m from
  the start of a road.

How :func:`tree_lined` measures
-------------------------------
Everything is measured in metres in the ``crs`` the caller names (the province's VN-2000 TM-3
zone, or UTM for national work); inputs in any CRS are reprojected first.

1. **Roads** are identified by district *and* code (road codes repeat across districts). The
   features and parts of one road are dissolved into one line (overlaps removed, touching
   parts merged, separate parts chained end to nearest end, starting from the first point of
   the first feature); its chainage runs along that chain, gaps between parts not counted.
2. **Lines** (tree rows, GPS tracks). For every survey segment and road segment closer than
   ``tolerance``, the part of the survey segment lying within ``tolerance`` of the road
   segment's centreline (beside it, not beyond its ends) is projected onto the centreline.
   That piece counts only if it *runs along* the road: either the survey segment itself is
   within 45° of the road segment, or it belongs to a run of consecutive survey segments
   within tolerance of the road that advances along the road at least as far as it moves
   across it (a run of noisy GPS fixes along the road). A row crossing the road, or running
   along a side road, moves across the road and adds nothing; a row 100 m away is never
   within tolerance. The projection is exact (no snapping): a row that stops 5 m before the
   road's end counts to where it stops.
3. **Points** (one per tree): each tree is placed at its nearest road within ``tolerance``;
   consecutive trees along a road at most ``max_point_gap`` apart form a stretch from the
   first to the last; a lone tree adds nothing.
4. The stretches of every survey on a road are **united**: both sides, repeated surveys,
   overlapping, split and reversed lines count once. ``side="both"`` keeps only what is lined
   on both sides (the side from the survey's ``side`` attribute, ``"both"`` counting for each
   side, else from the side of the centreline the geometry lies on).

Known limits: a survey within ``tolerance`` of two roads running along each other (dual
carriageways, a hairpin whose legs are closer than the tolerance) counts for both; a survey
with no ``side`` attribute lying within 1 m of the centreline (a vehicle track) counts for no
side under ``side="both"``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from ..measure import projected

__all__ = [
    "DEFAULT_MAX_POINT_GAP_M",
    "DEFAULT_TOLERANCE_M",
    "HARD_SURFACES",
    "SIDES",
    "chainage",
    "parse_chainage",
    "roads_to_standard",
    "tree_lined",
]

DEFAULT_TOLERANCE_M = 20.0
"""Survey geometry within this distance of a centreline counts for that road (m).

Roadside tree rows stand 2-10 m from the centreline of a district road (half a 3.5-7.5 m
carriageway plus a shoulder and a verge), and the phone GPS the survey teams use is off by
5-10 m: 20 m takes both sides' rows with their GPS error, and stays under the 30 m or more
that separate a road from a parallel track or a row along a field edge.
"""

DEFAULT_MAX_POINT_GAP_M = 30.0
"""Consecutive single trees closer than this along a road form one stretch (m).

Roadside trees are planted 4-10 m apart; 30 m lets a stretch survive one or two dead or
unrecorded trees, but not a field entrance or a house front with no trees.
"""

HARD_SURFACES = frozenset({"asphalt_concrete", "cement_concrete"})
"""Surfaces that count as hard (*cứng hóa*) for indicator 2.2."""

SIDES = ("any", "both", "left", "right")
"""Values of ``side`` in :func:`tree_lined`: lined on at least one side, on both sides, or on
the named side (left and right looking along increasing chainage)."""

_ALONG_COS = math.cos(math.radians(45.0))  # a segment runs along a road within 45 degrees
_JOIN_M = 1e-3  # intervals closer than 1 mm along a road are one
_MIN_SIDE_OFFSET_M = 1.0  # geometry this close to the centreline shows no side
_ROAD_SPACER_M = 1000.0  # roads are laid end to end on one axis, this far apart
_PAIR_BUDGET = 3_000_000  # candidate pairs examined at once (bounds the memory used)
_SIDE_CODES = {"left": 1, "right": 2, "both": 3}
_ARROW = " → "

_CHAINAGE_RE = re.compile(r"^\s*km\s*(\d+)\s*(?:\+\s*(\d+(?:\.\d+)?))?\s*$", re.IGNORECASE)
_METRES_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*m?\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Chainage


def chainage(metres: float) -> str:
    """Format a distance along a road as chainage text.

    Parameters
    ----------
    metres : float
        Distance from the start of the road, in metres (rounded to the metre).

    Returns
    -------
    str
        ``"Km<km>+<mmm>"``, e.g. ``"Km1+250"``.

    Raises
    ------
    ValueError
        If ``metres`` is negative or not finite.

    Examples
    --------
    >>> chainage(1250), chainage(0), chainage(106020)
    ('Km1+250', 'Km0+000', 'Km106+020')
    """
    value = float(metres)
    if not math.isfinite(value) or value < -0.5:
        msg = f"chainage needs a distance of 0 m or more, got {metres!r}"
        raise ValueError(msg)
    km, m = divmod(max(0, math.floor(value + 0.5)), 1000)
    return f"Km{km}+{m:03d}"


def parse_chainage(text: str) -> float:
    """Read chainage text, or a plain number of metres, as metres from the start of the road.

    Parameters
    ----------
    text : str
        ``"Km4+00"``, ``"Km106+020"``, ``"km 1+250"``, ``"Km123"`` (whole kilometres), or plain
        metres with an optional decimal point, ``"3700"``, ``"3700.5 m"``.

    Returns
    -------
    float
        Metres.

    Raises
    ------
    ValueError
        On anything else: the message quotes the text and the accepted forms. ``"3,7"`` is
        refused (a decimal comma or a thousands separator: metres or kilometres cannot be told).

    Examples
    --------
    >>> parse_chainage("Km4+00"), parse_chainage("Km106+020"), parse_chainage("3700")
    (4000.0, 106020.0, 3700.0)
    """
    if not isinstance(text, str):
        msg = f"chainage must be text, got {type(text).__name__}"
        raise ValueError(msg)
    match = _CHAINAGE_RE.match(text)
    if match:
        km, metres = match.groups()
        extra = float(metres) if metres else 0.0
        if extra >= 1000:
            msg = f"chainage {text!r}: the metres after '+' must be under 1000"
            raise ValueError(msg)
        return int(km) * 1000.0 + extra
    match = _METRES_RE.match(text)
    if match:
        return float(match.group(1))
    msg = (f"cannot read {text!r} as chainage: write Km<km>+<metres> (Km4+00, Km106+020) "
           "or plain metres with a decimal point (3700, 3700.5)")
    raise ValueError(msg)


def _label(start: float, end: float) -> str:
    return f"{chainage(start)}{_ARROW}{chainage(end)}"


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
    x0: np.ndarray  # per segment: start, unit direction, length, chainage of start, road
    y0: np.ndarray
    ux: np.ndarray
    uy: np.ndarray
    seglen: np.ndarray
    c0: np.ndarray
    road: np.ndarray


def _text(values: pd.Series, column: str, layer: str) -> np.ndarray:
    missing = values.isna().to_numpy()
    if missing.any():
        msg = f"{layer}: {int(missing.sum())} feature(s) have no {column}"
        raise ValueError(msg)
    return values.astype(str).str.strip().to_numpy(dtype=object)


def _road_identity(roads: gpd.GeoDataFrame) -> tuple[np.ndarray, list[str], list[str]]:
    """Road number of each feature (sorted by district, code), and the roads' codes."""
    for column in ("dist_code", "road_code"):
        if column not in roads.columns:
            msg = f"roads: no '{column}' column (a road is identified by dist_code and road_code)"
            raise ValueError(msg)
    keys = pd.DataFrame({"d": _text(roads["dist_code"], "dist_code", "roads"),
                         "c": _text(roads["road_code"], "road_code", "roads")})
    number = keys.groupby(["d", "c"], sort=True).ngroup().to_numpy()
    first = keys.drop_duplicates().sort_values(["d", "c"])
    return number, first["d"].tolist(), first["c"].tolist()


def _chain(pieces: np.ndarray, anchor: np.ndarray) -> shapely.Geometry:
    """Chain separate pieces end to nearest end, starting nearest ``anchor``."""
    rest = [shapely.get_coordinates(p) for p in pieces]
    chained: list[np.ndarray] = []
    here = anchor
    while rest:
        ends = np.array([[c[0], c[-1]] for c in rest])  # (n, 2 ends, xy)
        dist = np.hypot(*(ends - here).transpose(2, 0, 1))
        k, end = divmod(int(np.argmin(dist)), 2)
        coords = rest.pop(k)
        coords = coords[::-1] if end else coords
        chained.append(coords)
        here = coords[-1]
    return shapely.MultiLineString([shapely.LineString(c) for c in chained])


def _dissolve_roads(geoms: np.ndarray, number: np.ndarray, count: int) -> np.ndarray:
    """One (Multi)LineString per road: its features' parts dissolved and chained."""
    parts, feature = shapely.get_parts(geoms, return_index=True)
    kinds = shapely.get_type_id(parts)
    if not np.isin(kinds, (1, 2)).all():
        msg = "roads: every geometry must be a LineString or MultiLineString"
        raise ValueError(msg)
    keep = ~shapely.is_empty(parts) & (shapely.length(parts) > 0)
    parts, road = parts[keep], number[feature[keep]]
    order = np.argsort(road, kind="stable")
    parts, road = parts[order], road[order]
    per_road = np.bincount(road, minlength=count)
    if (per_road == 0).any():
        msg = f"roads: {int((per_road == 0).sum())} road(s) have no line geometry"
        raise ValueError(msg)
    first = np.cumsum(per_road) - per_road
    lines = parts[first].copy()
    anchors = shapely.get_coordinates(shapely.get_point(lines, 0))
    multi = np.flatnonzero(per_road > 1)
    if multi.size:
        inside = per_road[road] > 1
        groups = shapely.multilinestrings(parts[inside],
                                          indices=np.searchsorted(multi, road[inside]))
        noded = shapely.node(groups)  # removes overlaps, but also cuts where a road crosses itself
        overlaps = shapely.length(noded) < shapely.length(groups) - _JOIN_M
        groups[overlaps] = noded[overlaps]
        merged = shapely.line_merge(groups)
        single = shapely.get_type_id(merged) == 1
        start = shapely.get_coordinates(shapely.get_point(merged[single], 0))
        end = shapely.get_coordinates(shapely.get_point(merged[single], -1))
        here = anchors[multi[single]]
        flip = np.hypot(*(end - here).T) < np.hypot(*(start - here).T)
        fixed = merged[single]
        fixed[flip] = shapely.reverse(fixed[flip])
        lines[multi[single]] = fixed
        for k in np.flatnonzero(~single):  # parts that do not touch: rare, cheap
            lines[multi[k]] = _chain(shapely.get_parts(merged[k]), anchors[multi[k]])
    return lines


def _segments(coords: np.ndarray, owner: np.ndarray,
              max_len: float) -> tuple[np.ndarray, ...]:
    """Consecutive vertex pairs of each owner, cut into pieces at most ``max_len`` long.

    Returns the start (x0, y0), extent (dx, dy) and owner of each piece, in order.
    """
    same = np.flatnonzero(owner[1:] == owner[:-1])
    x0, y0 = coords[same, 0], coords[same, 1]
    dx, dy = coords[same + 1, 0] - x0, coords[same + 1, 1] - y0
    length = np.hypot(dx, dy)
    ok = np.flatnonzero(np.isfinite(length) & (length > 0))
    x0, y0, dx, dy, length, own = x0[ok], y0[ok], dx[ok], dy[ok], length[ok], owner[same][ok]
    pieces = np.ceil(length / max_len).astype(np.int64)
    if not pieces.size or pieces.max() <= 1:
        return x0, y0, dx, dy, own
    rep = np.repeat(np.arange(pieces.size), pieces)
    k = np.arange(rep.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    n = pieces[rep]
    x0, y0, dx, dy = x0[rep], y0[rep], dx[rep], dy[rep]
    f0, f1 = k / n, (k + 1) / n
    x_a, y_a = x0 + f0 * dx, y0 + f0 * dy
    return x_a, y_a, x0 + f1 * dx - x_a, y0 + f1 * dy - y_a, own[rep]


def _network(roads: gpd.GeoDataFrame, max_len: float) -> _Network:
    number, dist, code = _road_identity(roads)
    geoms = np.asarray(roads.geometry.values, dtype=object)
    lines = _dissolve_roads(geoms, number, len(dist))
    bounds = shapely.bounds(lines)
    origin = np.floor(bounds[:, :2].min(axis=0)) if len(lines) else np.zeros(2)
    pieces, road_of_piece = shapely.get_parts(lines, return_index=True)
    coords, piece = shapely.get_coordinates(pieces, return_index=True)
    x0, y0, dx, dy, own = _segments(coords - origin, piece, max_len)
    road = road_of_piece[own]
    seglen = np.hypot(dx, dy)
    length = np.bincount(road, weights=seglen, minlength=len(dist))
    c0 = np.cumsum(seglen) - seglen - (np.cumsum(length) - length)[road]
    base = np.cumsum(length + _ROAD_SPACER_M) - (length + _ROAD_SPACER_M)
    return _Network(dist, code, origin, length, base, x0, y0, dx / seglen, dy / seglen, seglen,
                    np.clip(c0, 0.0, None), road)


# --------------------------------------------------------------------------------------------
# Candidate pairs on a grid


def _grid_pairs(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...], reach: float,
                cell: float) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs (index in ``a``, index in ``b``) of boxes that intersect, in batches.

    Boxes are 4 arrays ``xmin, ymin, xmax, ymax``; no box of ``a`` is wider or taller than
    ``reach``. Each box of ``a`` goes in the one grid cell of its lower-left corner, each box of
    ``b`` in every cell that corner can lie in while the boxes meet: each pair comes once.
    """
    ax0, ay0, ax1, ay1 = a
    bx0, by0, bx1, by1 = b
    if not ax0.size or not bx0.size:
        return
    lx = min(float(ax0.min()), float(bx0.min())) - reach
    ly = min(float(ay0.min()), float(by0.min())) - reach
    i0 = ((bx0 - (lx + reach)) // cell).astype(np.int64)
    j0 = ((by0 - (ly + reach)) // cell).astype(np.int64)
    w = ((bx1 - lx) // cell).astype(np.int64) - i0 + 1
    h = ((by1 - ly) // cell).astype(np.int64) - j0 + 1
    n = w * h
    item = np.repeat(np.arange(n.size), n)
    k = np.arange(item.size) - np.repeat(np.cumsum(n) - n, n)
    a_j = ((ay0 - ly) // cell).astype(np.int64)
    rows = int(max(a_j.max(), (j0 + h).max())) + 1
    b_key = (i0[item] + k % w[item]) * rows + (j0[item] + k // w[item])
    del k
    order = np.argsort(b_key)
    b_key, item = b_key[order], item[order]
    a_key = ((ax0 - lx) // cell).astype(np.int64) * rows + a_j
    lo = np.searchsorted(b_key, a_key, side="left")
    count = np.searchsorted(b_key, a_key, side="right") - lo
    total = np.cumsum(count)
    cuts = np.searchsorted(total, np.arange(_PAIR_BUDGET, int(total[-1]), _PAIR_BUDGET))
    for start, stop in zip(np.r_[0, cuts], np.r_[cuts, a_key.size], strict=True):
        n = count[start:stop]
        ia = np.repeat(np.arange(start, stop), n)
        if not ia.size:
            continue
        ib = item[np.repeat(lo[start:stop] - (np.cumsum(n) - n), n) + np.arange(ia.size)]
        hit = (ax0[ia] <= bx1[ib]) & (bx0[ib] <= ax1[ia]) & (ay0[ia] <= by1[ib])
        hit &= by0[ib] <= ay1[ia]
        yield ia[hit], ib[hit]


def _road_boxes(net: _Network, tolerance: float) -> tuple[np.ndarray, ...]:
    x1, y1 = net.x0 + net.ux * net.seglen, net.y0 + net.uy * net.seglen
    return (np.minimum(net.x0, x1) - tolerance, np.minimum(net.y0, y1) - tolerance,
            np.maximum(net.x0, x1) + tolerance, np.maximum(net.y0, y1) + tolerance)


# --------------------------------------------------------------------------------------------
# Surveys: geometry and attributes


@dataclass(frozen=True)
class _SurveyGeometry:
    """Survey lines as segments and single trees as points, in metres from the origin."""

    x0: np.ndarray  # per line segment: start, extent, length, line part
    y0: np.ndarray
    dx: np.ndarray
    dy: np.ndarray
    length: np.ndarray
    part: np.ndarray
    part_owner: np.ndarray  # per line part: its survey feature
    tree_xy: np.ndarray  # (n, 2): single trees
    tree_owner: np.ndarray


def _reproject(xy: np.ndarray, source: Any, target: CRS) -> np.ndarray:
    """Coordinates from ``source`` to ``target``, as ``GeoDataFrame.to_crs`` moves them."""
    if source is None:
        msg = "surveys: geometry has no CRS"
        raise ValueError(msg)
    if not len(xy) or CRS.from_user_input(source).equals(target):
        return xy
    x, y = Transformer.from_crs(source, target, always_xy=True).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _survey_geometry(surveys: gpd.GeoDataFrame, target: CRS, origin: np.ndarray,
                     max_len: float) -> _SurveyGeometry:
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
    xy = _reproject(xy, surveys.crs, target) - origin
    x0, y0, dx, dy, seg_part = _segments(xy[: len(coords)], part, max_len)
    tree_xy = xy[len(coords):]
    finite = np.isfinite(tree_xy).all(axis=1)
    return _SurveyGeometry(x0, y0, dx, dy, np.hypot(dx, dy), seg_part, feature[lines],
                           tree_xy[finite], tree_owner[finite])


def _side_codes(surveys: gpd.GeoDataFrame) -> np.ndarray:
    """Side of each survey from its attribute: 0 unknown, 1 left, 2 right, 3 both."""
    if "side" not in surveys.columns:
        return np.zeros(len(surveys), dtype=np.int8)
    codes, uniques = pd.factorize(surveys["side"])
    table = [_SIDE_CODES.get(str(u).strip().lower(), 0) for u in uniques]
    return np.array([*table, 0], dtype=np.int8)[codes]  # code -1 (missing) -> 0


def _survey_ids(surveys: gpd.GeoDataFrame, which: np.ndarray) -> np.ndarray:
    """``survey_id`` of the features ``which`` as text (the index label where it is empty)."""
    labels = pd.Series(surveys.index.to_numpy()[which], dtype=object).astype(str)
    if "survey_id" not in surveys.columns:
        return labels.to_numpy(dtype=object)
    ids = pd.Series(surveys["survey_id"].to_numpy(dtype=object)[which], dtype=object)
    return ids.where(ids.notna(), labels).astype(str).to_numpy(dtype=object)


def _iso_date(value: Any) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, (dt.date, np.datetime64)):
        return str(value)[:10]
    return str(value).strip()[:10] or None


def _as_of(surveys: gpd.GeoDataFrame, counted: np.ndarray) -> str | None:
    """The latest ``survey_date`` among the surveys ``counted``."""
    if "survey_date" not in surveys.columns or not counted.size:
        return None
    values = pd.unique(pd.Series(surveys["survey_date"].to_numpy(dtype=object)[counted]))
    dates = [d for d in map(_iso_date, values) if d]
    return max(dates) if dates else None


def _geometric_side(offset: np.ndarray) -> np.ndarray:
    return np.where(offset >= _MIN_SIDE_OFFSET_M, 1,
                    np.where(offset <= -_MIN_SIDE_OFFSET_M, 2, 0)).astype(np.int8)


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
    ux, uy, length = net.ux[ib], net.uy[ib], net.seglen[ib]
    px, py = g.x0[ia] - net.x0[ib], g.y0[ia] - net.y0[ib]
    dx, dy = g.dx[ia], g.dy[ia]
    a0, da = px * ux + py * uy, dx * ux + dy * uy  # along the road segment
    o0, do = ux * py - uy * px, ux * dy - uy * dx  # across it, left positive
    lo, hi = _span(o0, do, -tolerance, tolerance)
    lo2, hi2 = _span(a0, da, 0.0, length)
    lo, hi = np.maximum(lo, lo2), np.minimum(hi, hi2)
    k = np.flatnonzero(hi > lo)
    lo, hi, ia, ib = lo[k], hi[k], ia[k], ib[k]
    a0, da, o0, do, length = a0[k], da[k], o0[k], do[k], length[k]
    s_a = net.c0[ib] + np.clip(a0 + lo * da, 0.0, length)
    s_b = net.c0[ib] + np.clip(a0 + hi * da, 0.0, length)
    return _Pieces(net.road[ib], ia, ((lo + hi) / 2).astype(np.float32),
                   np.minimum(s_a, s_b), np.maximum(s_a, s_b),
                   (o0 + lo * do).astype(np.float32), (o0 + hi * do).astype(np.float32),
                   np.abs(da) >= _ALONG_COS * g.length[ia])


def _pieces(net: _Network, g: _SurveyGeometry, tolerance: float, max_len: float) -> _Pieces:
    x1, y1 = g.x0 + g.dx, g.y0 + g.dy
    boxes = (np.minimum(g.x0, x1), np.minimum(g.y0, y1), np.maximum(g.x0, x1),
             np.maximum(g.y0, y1))
    del x1, y1
    found = [_project(net, g, ia, ib, tolerance)
             for ia, ib in _grid_pairs(boxes, _road_boxes(net, tolerance), max_len,
                                       _cell_size(tolerance, max_len))]
    if not found:
        empty = np.empty(0)
        return _Pieces(empty.astype(np.int64), empty.astype(np.int64), empty.astype(np.float32),
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


def _line_chains(net: _Network, g: _SurveyGeometry, side_code: np.ndarray, tolerance: float,
                 max_len: float) -> tuple[np.ndarray, ...]:
    """Along-road intervals of the survey lines: (road, start, end, survey, side).

    Pieces count when their segment runs along the road, or when their run does: a run is a
    sequence of consecutive segments of one survey part beside one road; it runs along the
    road when its extent along the road is at least its extent across it (45°). The counted
    pieces of a run that touch one another are joined into one interval.
    """
    p = _pieces(net, g, tolerance, max_len)
    order = _travel_order(p, len(net.dist))
    road, seg = p.road[order], p.seg[order]
    part = g.part[seg]
    new = np.ones(road.size, dtype=bool)
    new[1:] = (road[1:] != road[:-1]) | (seg[1:] - seg[:-1] > 1) | (part[1:] != part[:-1])
    starts = np.flatnonzero(new)
    run = np.cumsum(new) - 1
    s_lo, s_hi, o_lo, o_hi = p.s_lo[order], p.s_hi[order], p.o_lo[order], p.o_hi[order]
    o_min, o_max = np.minimum(o_lo, o_hi), np.maximum(o_lo, o_hi)
    along = (np.maximum.reduceat(s_hi, starts) - np.minimum.reduceat(s_lo, starts)
             >= np.maximum.reduceat(o_max, starts) - np.minimum.reduceat(o_min, starts)) \
        if starts.size else np.empty(0, dtype=bool)
    k = np.flatnonzero((p.along[order] | along[run]) & (s_hi > s_lo))
    owner = g.part_owner[part[k]]
    side = np.where(side_code[owner] > 0, side_code[owner],
                    _geometric_side((o_lo[k] + o_hi[k]) / 2))
    road, run, s_lo, s_hi = road[k], run[k], s_lo[k], s_hi[k]
    group = np.ones(road.size, dtype=bool)  # a run's counted pieces on one side
    group[1:] = (run[1:] != run[:-1]) | (side[1:] != side[:-1])
    lo, hi = _union_groups(group, s_lo, s_hi)
    first = np.flatnonzero(group)[np.cumsum(group)[lo] - 1] if lo.size else lo
    return road[first], s_lo[lo], hi, owner[first], side[first]


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


def _cell_size(tolerance: float, max_len: float) -> float:
    return 2.0 * tolerance + max_len


# --------------------------------------------------------------------------------------------
# Single trees


def _place_trees(net: _Network, g: _SurveyGeometry, tolerance: float,
                 max_len: float) -> tuple[np.ndarray, ...]:
    """Trees on their nearest road within tolerance: (tree, road, chainage, offset)."""
    xy = g.tree_xy
    found: list[tuple[np.ndarray, ...]] = []
    for ia, ib in _grid_pairs((xy[:, 0], xy[:, 1], xy[:, 0], xy[:, 1]),
                              _road_boxes(net, tolerance), 0.0, _cell_size(tolerance, max_len)):
        px, py = xy[ia, 0] - net.x0[ib], xy[ia, 1] - net.y0[ib]
        ux, uy = net.ux[ib], net.uy[ib]
        a = np.clip(px * ux + py * uy, 0.0, net.seglen[ib])
        dist = np.hypot(px - a * ux, py - a * uy)
        k = np.flatnonzero(dist <= tolerance)
        found.append((ia[k], ib[k], a[k], dist[k], (ux * py - uy * px)[k]))
    if not found:
        empty = np.empty(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty, empty
    ia, ib, a, dist, off = (np.concatenate(c) for c in zip(*found, strict=True))
    order = np.lexsort((dist, ia))
    first = order[np.r_[True, ia[order][1:] != ia[order][:-1]]] if order.size else order
    return ia[first], net.road[ib[first]], net.c0[ib[first]] + a[first], off[first]


def _tree_chains(road: np.ndarray, s: np.ndarray, max_gap: float) -> tuple[np.ndarray, ...]:
    """Stretches of consecutive trees at most ``max_gap`` apart, two trees or more.

    Returns (road, start, end) of each stretch, and for each tree whether it is in one.
    """
    if not road.size:
        return road, s, s, np.zeros(0, dtype=bool)
    order = np.lexsort((s, road))
    r, v = road[order], s[order]
    new = np.ones(r.size, dtype=bool)
    new[1:] = (r[1:] != r[:-1]) | (v[1:] - v[:-1] > max_gap)
    starts = np.flatnonzero(new)
    stop = np.r_[starts[1:], r.size] - 1
    good = v[stop] > v[starts]
    member = np.zeros(r.size, dtype=bool)
    member[order] = good[np.cumsum(new) - 1]
    return r[starts][good], v[starts][good], v[stop][good], member


# --------------------------------------------------------------------------------------------
# Intervals on the axis shared by all roads


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


def _find(net: _Network, g: _SurveyGeometry, side_code: np.ndarray, tolerance: float,
          max_len: float) -> _Found:
    road, lo, hi, owner, side = _line_chains(net, g, side_code, tolerance, max_len)
    tree, t_road, t_s, t_off = _place_trees(net, g, tolerance, max_len)
    t_owner = g.tree_owner[tree]
    t_side = np.where(side_code[t_owner] > 0, side_code[t_owner], _geometric_side(t_off))
    matched = np.zeros(side_code.size, dtype=bool)
    matched[owner] = True
    matched[t_owner] = True
    base = net.base
    return _Found(base[road] + lo, base[road] + hi, owner, side.astype(np.int8),
                  base[t_road] + t_s, t_owner, t_side.astype(np.int8), matched)


def _union(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union of intervals: disjoint, sorted (start, end)."""
    if not lo.size:
        return lo, hi
    order = np.argsort(lo)
    lo, reach = lo[order], np.maximum.accumulate(hi[order])
    new = np.r_[True, lo[1:] > reach[:-1] + _JOIN_M]
    last = np.r_[np.flatnonzero(new)[1:] - 1, lo.size - 1]
    return lo[new], reach[last]


def _intersect(a: tuple[np.ndarray, np.ndarray],
               b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Intersection of two unions of disjoint intervals."""
    pos = np.concatenate([a[0], b[0], a[1], b[1]])
    step = np.concatenate([np.ones(a[0].size + b[0].size), -np.ones(a[1].size + b[1].size)])
    order = np.lexsort((step, pos))  # at one position, ends before starts
    pos, depth = pos[order], np.cumsum(step[order])
    two = np.flatnonzero(depth[:-1] == 2)
    keep = pos[two + 1] - pos[two] > _JOIN_M
    return pos[two][keep], pos[two + 1][keep]


def _covering(lo_s: np.ndarray, hi_s: np.ndarray, lo: np.ndarray, hi: np.ndarray,
              *, strict: bool) -> tuple[np.ndarray, np.ndarray]:
    """(item, stretch) pairs: items [lo, hi] meeting the sorted stretches [lo_s, hi_s]."""
    if strict:  # lines: a positive overlap
        first = np.searchsorted(hi_s, lo + _JOIN_M, side="right")
        last = np.searchsorted(lo_s, hi - _JOIN_M, side="left") - 1
    else:  # trees: inside or on an end
        first = np.searchsorted(hi_s, lo, side="left")
        last = np.searchsorted(lo_s, hi, side="right") - 1
    n = np.maximum(last - first + 1, 0)
    item = np.repeat(np.arange(lo.size), n)
    return item, first[item] + np.arange(item.size) - np.repeat(np.cumsum(n) - n, n)


def _lined(found: _Found, net: _Network, wanted: int,
           max_gap: float) -> tuple[np.ndarray, ...]:
    """Intervals lined on side ``wanted`` (0 any, 1 left, 2 right), with their surveys.

    Returns the intervals' (start, end), the survey of each line interval (they come first),
    and the position and survey of each tree in a stretch of trees.
    """
    if wanted:
        use_l = (found.line_side & wanted) > 0
        use_t = (found.tree_side & wanted) > 0
    else:
        use_l = np.ones(found.line_lo.size, dtype=bool)
        use_t = np.ones(found.tree_pos.size, dtype=bool)
    pos = found.tree_pos[use_t]
    road = np.searchsorted(net.base, pos, side="right") - 1
    c_road, c_lo, c_hi, member = _tree_chains(road, pos - net.base[road], max_gap)
    lo = np.concatenate([found.line_lo[use_l], net.base[c_road] + c_lo])
    hi = np.concatenate([found.line_hi[use_l], net.base[c_road] + c_hi])
    return lo, hi, found.line_owner[use_l], pos[member], found.tree_owner[use_t][member]


def _stretches(found: _Found, net: _Network, side: str,
               max_gap: float) -> tuple[np.ndarray, ...]:
    """Stretches (start, end on the shared axis) and the (stretch, survey) pairs behind them."""
    wanted = {"any": [0], "left": [1], "right": [2], "both": [1, 2]}[side]
    per_side = [_lined(found, net, w, max_gap) for w in wanted]
    unions = [_union(lo, hi) for lo, hi, *_ in per_side]
    lo_s, hi_s = unions[0] if len(unions) == 1 else _intersect(unions[0], unions[1])
    stretch, survey = [], []
    for lo, hi, line_owner, tree_pos, tree_owner in per_side:
        n = line_owner.size
        item, k = _covering(lo_s, hi_s, lo[:n], hi[:n], strict=True)
        stretch += [k]
        survey += [line_owner[item]]
        item, k = _covering(lo_s, hi_s, tree_pos, tree_pos, strict=False)
        stretch += [k]
        survey += [tree_owner[item]]
    return lo_s, hi_s, np.concatenate(stretch), np.concatenate(survey)


def _gaps(net: _Network, lo_s: np.ndarray, hi_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Untreed stretches of every road, on the shared axis."""
    ends = net.base + net.length
    lo = np.concatenate([net.base, lo_s, ends])
    hi = np.concatenate([net.base, hi_s, ends])
    order = np.lexsort((hi, lo))
    lo, hi = lo[order], hi[order]
    gap_lo, gap_hi = hi[:-1], lo[1:]
    same_road = (np.searchsorted(net.base, gap_lo, side="right")
                 == np.searchsorted(net.base, gap_hi, side="right"))
    keep = same_road & (gap_hi - gap_lo > _JOIN_M)
    return gap_lo[keep], gap_hi[keep]


# --------------------------------------------------------------------------------------------
# The report


def _distinct(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if values.size else values


def _ids_by_stretch(surveys: gpd.GeoDataFrame, stretch: np.ndarray, survey: np.ndarray,
                    count: int) -> list[list[str]]:
    """The sorted, distinct survey ids behind each stretch."""
    if not stretch.size:
        return [[] for _ in range(count)]
    counted = _distinct(survey)
    rank, names = pd.factorize(_survey_ids(surveys, counted), sort=True)
    of_survey = np.zeros(len(surveys), dtype=np.int64)
    of_survey[counted] = rank
    n = len(names)
    key = _distinct(stretch.astype(np.int64) * n + of_survey[survey])
    k, r = np.divmod(key, n)
    names = np.asarray(names, dtype=object)
    cut = np.searchsorted(k, np.arange(count + 1)).tolist()
    return [names[r[cut[i]:cut[i + 1]]].tolist() for i in range(count)]


def _by_road(net: _Network, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    road = np.searchsorted(net.base, pos, side="right") - 1
    return road, pos - net.base[road]


def _report_roads(net: _Network, lo_s: np.ndarray, hi_s: np.ndarray,
                  ids: list[list[str]]) -> list[dict[str, Any]]:
    road, start = _by_road(net, lo_s)
    end = hi_s - net.base[road]
    stretches = [{"from_m": round(a, 3), "to_m": round(b, 3), "label": _label(a, b),
                  "survey_ids": i}
                 for a, b, i in zip(start.tolist(), end.tolist(), ids, strict=True)]
    g_lo, g_hi = _gaps(net, lo_s, hi_s)
    g_road, g_start = _by_road(net, g_lo)
    g_len = g_hi - g_lo
    order = np.lexsort((-g_len, g_road))
    g_road, g_start, g_len = g_road[order], g_start[order], g_len[order]
    gaps = [{"from_m": round(a, 3), "to_m": round(a + n, 3), "length_m": round(n, 3),
             "label": _label(a, a + n)}
            for a, n in zip(g_start.tolist(), g_len.tolist(), strict=True)]
    greened = np.bincount(road, weights=end - start, minlength=len(net.dist)).tolist()
    s_cut = np.searchsorted(road, np.arange(len(net.dist) + 1)).tolist()
    g_cut = np.searchsorted(g_road, np.arange(len(net.dist) + 1)).tolist()
    return [{"dist_code": d, "road_code": c, "length_km": round(length / 1000, 6),
             "greened_km": round(green / 1000, 6),
             "ratio": green / length if length > 0 else None,
             "stretches": stretches[s_cut[r]:s_cut[r + 1]],
             "gaps": gaps[g_cut[r]:g_cut[r + 1]]}
            for r, (d, c, length, green) in enumerate(zip(net.dist, net.code,
                                                          net.length.tolist(), greened,
                                                          strict=True))]


def _unmatched(surveys: gpd.GeoDataFrame, g: _SurveyGeometry,
               matched: np.ndarray) -> dict[str, Any]:
    lost = np.flatnonzero(~matched)
    length = np.bincount(g.part_owner[g.part], weights=g.length, minlength=len(surveys))
    return {"count": int(lost.size), "length_km": round(float(length[lost].sum()) / 1000, 6),
            "ids": sorted(_survey_ids(surveys, lost).tolist())}


# --------------------------------------------------------------------------------------------
# Indicator 2.3


def _check_options(side: str, tolerance: float, max_point_gap: float, threshold: float) -> None:
    if side not in SIDES:
        msg = f"side must be one of {', '.join(SIDES)}, got {side!r}"
        raise ValueError(msg)
    if not (math.isfinite(tolerance) and tolerance > 0):
        msg = f"tolerance must be a positive number of metres, got {tolerance!r}"
        raise ValueError(msg)
    if not (math.isfinite(max_point_gap) and max_point_gap >= 0):
        msg = f"max_point_gap must be 0 m or more, got {max_point_gap!r}"
        raise ValueError(msg)
    if not 0 <= threshold <= 1:
        msg = f"threshold is a fraction between 0 and 1, got {threshold!r}"
        raise ValueError(msg)


def tree_lined(
    roads: gpd.GeoDataFrame,
    surveys: gpd.GeoDataFrame,
    *,
    crs: str,
    tolerance: float = DEFAULT_TOLERANCE_M,
    side: str = "any",
    max_point_gap: float = DEFAULT_MAX_POINT_GAP_M,
    threshold: float = 0.5,
) -> dict[str, Any]:
    """Indicator 2.3: the tree-lined length of each road, and of all of them.

    .. math::

        \\text{ratio} = \\frac{\\sum_r \\text{tree-lined length}_r}{\\sum_r \\text{length}_r}

    both lengths measured along the centrelines in ``crs``. The method is described in the
    module docstring (:mod:`ntmgeo.indicators.roads`).

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        The roads to assess (e.g. the district roads, class ĐH), with ``dist_code``,
        ``road_code`` and (Multi)LineString geometry, in any CRS. The features and parts
        sharing a district and a code are one road.
    surveys : geopandas.GeoDataFrame
        Tree rows and GPS tracks ((Multi)LineString) and single trees (Point), in any CRS,
        with ``survey_id``, and optionally ``side`` (``left``/``right`` looking along
        increasing chainage, ``both``, ``unknown`` or empty) and ``survey_date``
        (ISO text or a date). Other geometry types are ignored.
    crs : str
        A projected CRS in metres to measure in (``"EPSG:5899"`` for Lâm Đồng).
    tolerance : float
        Survey geometry within this distance of a centreline counts for that road (m).
    side : {"any", "both", "left", "right"}
        Count a stretch when it is lined on at least one side, on both sides, or on one.
    max_point_gap : float
        Consecutive single trees at most this far apart along a road form a stretch (m).
    threshold : float
        The indicator's target ratio (0.5: half the length tree-lined).

    Returns
    -------
    dict
        JSON-ready, with exactly three keys.

        ``roads``: one entry per road, sorted by ``dist_code`` then ``road_code``:
        ``dist_code``, ``road_code``, ``length_km``, ``greened_km``, ``ratio`` (0-1, ``None``
        for a road of no length), ``stretches`` (``from_m``, ``to_m``, ``label`` such as
        ``"Km1+250 → Km3+700"``, ``survey_ids``: the surveys behind it, sorted) and ``gaps``
        (the untreed stretches, longest first: ``from_m``, ``to_m``, ``length_m``, ``label``).

        ``total``: ``length_km``, ``greened_km``, ``ratio`` (``None`` without roads),
        ``threshold``, ``met`` (``ratio >= threshold``), ``shortfall_km`` (still to plant to
        reach the threshold; 0 when met), ``as_of`` (the latest ``survey_date`` among the
        surveys that count, or ``None``), ``tolerance_m``, ``side``.

        ``unmatched``: the surveys that run beside no road (lines with no piece along a road
        within tolerance, trees with no road within tolerance, empty geometries): ``count``,
        ``length_km`` (of the lines), ``ids``.

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres, a layer has no CRS, a road has no
        identity or no line geometry, or an option is out of range.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> road = gpd.GeoDataFrame({"dist_code": ["674"], "road_code": ["ĐH42"]},
    ...     geometry=[LineString([(583000, 1338000), (584000, 1338000)])], crs="EPSG:5899")
    >>> row = gpd.GeoDataFrame({"survey_id": ["r1"], "side": ["left"],
    ...     "survey_date": ["2024-02-29"]},
    ...     geometry=[LineString([(583100, 1338006), (583600, 1338006)])], crs="EPSG:5899")
    >>> result = tree_lined(road, row, crs="EPSG:5899")
    >>> result["total"]["ratio"], result["roads"][0]["stretches"][0]["label"]
    (0.5, 'Km0+100 → Km0+600')
    """
    _check_options(side, tolerance, max_point_gap, threshold)
    roads_m = projected(roads, crs)
    max_len = 2.0 * tolerance  # survey and road segments are cut to this length
    net = _network(roads_m, max_len)
    g = _survey_geometry(surveys, roads_m.crs, net.origin, max_len)
    side_code = _side_codes(surveys)
    if len(net.dist):
        found = _find(net, g, side_code, tolerance, max_len)
        lo_s, hi_s, stretch, survey = _stretches(found, net, side, max_point_gap)
        matched = found.matched
    else:
        lo_s = hi_s = np.empty(0)
        stretch = survey = np.empty(0, dtype=np.int64)
        matched = np.zeros(len(surveys), dtype=bool)
    rows = _report_roads(net, lo_s, hi_s, _ids_by_stretch(surveys, stretch, survey, lo_s.size))
    length = float(net.length.sum())
    greened = float((hi_s - lo_s).sum())
    ratio = greened / length if length > 0 else None
    total = {"length_km": round(length / 1000, 6), "greened_km": round(greened / 1000, 6),
             "ratio": ratio, "threshold": threshold,
             "met": bool(ratio is not None and ratio >= threshold),
             "shortfall_km": round(max(0.0, threshold * length - greened) / 1000, 6),
             "as_of": _as_of(surveys, _distinct(survey)), "tolerance_m": float(tolerance),
             "side": side}
    return {"roads": rows, "total": total, "unmatched": _unmatched(surveys, g, matched)}


# --------------------------------------------------------------------------------------------
# Indicator 2.2


def _surfaces(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[|;]", value) if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def _grade(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = " ".join(str(value).split()).casefold()
    return text or None


def roads_to_standard(roads: gpd.GeoDataFrame, *, crs: str) -> dict[str, Any]:
    """Indicator 2.2: the share of the district roads' length that is up to standard.

    A feature is up to standard when its surface is entirely hard (every surface it lists is
    in :data:`HARD_SURFACES`: asphalt or cement concrete) and, where its ``planned_grade`` is
    set, its ``tech_grade`` equals it (compared ignoring case and spacing). A road (district
    and code) is up to standard when all its features are; its ``standard_km`` is the length of
    those of its features that are, so a road digitised stretch by stretch with each stretch's
    surface is credited stretch by stretch. A road with one feature listing both hard and soft
    surfaces (ĐH42: chip seal and earth) says nothing about which stretch is which, and counts
    as not up to standard; so does a road with no surface recorded.

    .. math::

        \\text{ratio} = \\frac{\\sum \\text{length of features up to standard}}
                              {\\sum \\text{length}}

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Roads with ``dist_code``, ``road_code``, ``surface`` (a list, or ``|``-separated
        text), ``tech_grade``, ``planned_grade``, in any CRS. When a ``road_class`` column
        exists only the district roads (``"ĐH"``) are assessed.
    crs : str
        A projected CRS in metres to measure in.

    Returns
    -------
    dict
        ``roads``: sorted by ``dist_code``, ``road_code``, each with ``dist_code``,
        ``road_code``, ``length_km``, ``hard``, ``grade_ok``, ``to_standard`` and
        ``standard_km``; ``total``: ``length_km``, ``standard_km``, ``ratio`` (``None``
        without roads).

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres or a road has no identity.
    """
    if "road_class" in roads.columns:
        roads = roads[roads["road_class"].astype(str).str.strip() == "ĐH"]
    roads_m = projected(roads, crs)
    if not len(roads_m):
        return {"roads": [], "total": {"length_km": 0.0, "standard_km": 0.0, "ratio": None}}
    number, dist, code = _road_identity(roads_m)
    length = shapely.length(np.asarray(roads_m.geometry.values, dtype=object))
    length = np.nan_to_num(length)
    surface = roads_m["surface"] if "surface" in roads_m.columns else [None] * len(roads_m)
    hard = np.array([bool(s) and set(s) <= HARD_SURFACES for s in map(_surfaces, surface)])
    planned = (roads_m["planned_grade"] if "planned_grade" in roads_m.columns
               else [None] * len(roads_m))
    tech = roads_m["tech_grade"] if "tech_grade" in roads_m.columns else [None] * len(roads_m)
    grade_ok = np.array([p is None or _grade(t) == p
                         for p, t in zip(map(_grade, planned), tech, strict=True)])
    n = len(dist)
    road_len = np.bincount(number, weights=length, minlength=n)
    std_len = np.bincount(number, weights=length * (hard & grade_ok), minlength=n)
    all_hard = np.bincount(number, weights=(~hard).astype(float), minlength=n) == 0
    all_grade = np.bincount(number, weights=(~grade_ok).astype(float), minlength=n) == 0
    rows = [{"dist_code": d, "road_code": c, "length_km": round(L / 1000, 6), "hard": bool(h),
             "grade_ok": bool(g), "to_standard": bool(h and g),
             "standard_km": round(s / 1000, 6)}
            for d, c, L, h, g, s in zip(dist, code, road_len.tolist(), all_hard, all_grade,
                                        std_len.tolist(), strict=True)]
    total_len, total_std = float(road_len.sum()), float(std_len.sum())
    return {"roads": rows,
            "total": {"length_km": round(total_len / 1000, 6),
                      "standard_km": round(total_std / 1000, 6),
                      "ratio": total_std / total_len if total_len > 0 else None}}
