"""Criterion 2 (transport) of the district set, computed from geometry.

* **2.3, road greening** (:func:`tree_lined`): the share of the district roads' length that
  is tree-lined, from the survey teams' tree rows, GPS tracks and single trees.
* **2.1, the surface condition** (:func:`paved_share`): the share of the district roads'
  length that is asphalt (bitumen: asphalt concrete or chip seal) or cement concrete.
* **2.2, district roads to standard** (:func:`roads_to_standard`): the share of the district
  roads' length built to the technical grade their plan gives them.

Both follow the Ministry of Transport's guidance for the transport criteria, Quyết định
932/QĐ-BGTVT (18/7/2022): the surface test (*nhựa hóa hoặc bê tông xi măng hóa*) belongs to
2.1, the planned grade to 2.2 (the catalogue, ``data/criteria/vn-district-2021-2025.yml``,
quotes it).
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
   side, else from the side of the centreline the geometry lies on, its offset averaged over
   50 m of the line either way: a GPS track drifting across the centreline for a few tens of
   metres keeps its side, so one track is never lined on both sides by itself).
5. Stretches of a road less than ``bridge`` apart are **bridged** into one (default
   :data:`DEFAULT_BRIDGE_M`, 25 m; at most ``max_point_gap``; gaps under 1 m always, as
   chainage is written to the metre), whichever surveys they come from: the pieces of one
   track that the GPS noise took past the tolerance for a few metres, two rows meeting with a
   short gap, a row and a run of single trees. The gap bridged counts as tree-lined, as the
   space between two trees up to 30 m apart does. Each side is bridged before
   ``side="both"`` intersects them (the gaps of the intersection are the sides' gaps put
   together, so none between two stretches is shorter than ``bridge``). Bridging is on one
   road's chainage only, never from one road to another.
6. The **gaps** (where to plant) are what lies between a road's stretches, each at least
   ``bridge`` long, and before the first and after the last stretch when that is at least
   ``bridge`` long; a shorter end is neither listed nor counted as tree-lined (a row that
   stops 5 m before the road's end counts to where it stops, and 5 m is not a place to
   plant), unless the road has no stretch at all (then the whole road is the one gap). So,
   per road: length = tree-lined + listed gaps + unlisted ends (at most one at each end,
   each shorter than ``bridge``).

What the bridge cannot remove: a track whose error carries it past the tolerance for longer
than ``bridge`` leaves a listed gap, and it is a real one (the survey lies farther than the
tolerance from the road there). With the phone tracks simulated in the tests (fix every 5 s,
error drifting with a 30 s correlation time, 3 m from the centreline), about 1 track of 3 km
in 20 has such a gap at an error of 7.5 m RMS, and 1 in 5 at 10 m; a wider ``tolerance``
(25 m) is the remedy for such surveys, not a wider bridge.

Known limits: a survey within ``tolerance`` of two roads running along each other (dual
carriageways, a hairpin whose legs are closer than the tolerance) counts for both; a survey
with no ``side`` attribute lying within 1 m of the centreline (a vehicle track, or a track whose
noise averages out near it) counts for no side under ``side="both"``, and a track 2-4 m from
the centreline whose error drifts across it for more than about 50 m counts there for the
other side; features of one road that overlap are counted once only where
they coincide to the millimetre (a road digitised twice with different vertices is twice as
long).

Computation: array arithmetic (numpy) on the coordinates, with no Python loop over surveys or
vertices (the only Python work per road is writing the answer, and chaining the parts of a
road that do not touch). Road segments are filed in a square grid (cells
four times the tolerance wide) and each survey segment or tree looks in one cell, which gives
the candidate pairs; the part of a survey segment beside a road segment is computed exactly
(a line clipped to a band), not by densifying; intervals along the roads are united by
sorting and a running maximum. One million survey features over 60,000 km of roads take
seconds (``scripts/bench_greening.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
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

from ..codes import fold_many
from ..measure import projected

__all__ = [
    "DEFAULT_BRIDGE_M",
    "DEFAULT_MAX_POINT_GAP_M",
    "DEFAULT_TOLERANCE_M",
    "PAVED_SURFACES",
    "SIDES",
    "chainage",
    "cut",
    "parse_chainage",
    "paved_share",
    "road_lines",
    "roads_to_standard",
    "tree_lined",
]

DEFAULT_TOLERANCE_M = 20.0
"""Survey geometry within this distance of a centreline counts for that road (m).

Roadside tree rows stand 2-10 m from the centreline of a district road, and the phone GPS the
survey teams record them with is off by 5-10 m: a row can show up 20 m from the centreline,
so anything under about 10 m would lose real rows. A much wider band would start taking rows
along a parallel track, a field edge or a neighbouring road; 10-30 m is the defensible range
and 20 m its middle. Callers with surveyed (not phone) positions can narrow it.
"""

DEFAULT_MAX_POINT_GAP_M = 30.0
"""Consecutive single trees closer than this along a road form one stretch (m).

Roadside trees are planted 4-10 m apart; 30 m lets a stretch survive one or two dead or
unrecorded trees, but not a field entrance or a house front with no trees.
"""

DEFAULT_BRIDGE_M = 25.0
"""Tree-lined stretches of a road less than this far apart are one stretch (m).

A cheap phone's GPS wanders 5-10 m, and the error drifts (it stays off to one side for tens of
seconds, not fix by fix): a track walked or ridden along a roadside row strays beyond the
tolerance now and then, and each stray cuts the stretch for a few metres, from centimetres to
some 20 m of road. Both ends of such a gap are off by the GPS error, so a gap under 20-30 m
cannot be told from no gap at all; it is also no more than two or three missing trees at the
4-10 m spacing, which :data:`DEFAULT_MAX_POINT_GAP_M` (30 m) already lets single trees span.
25 m is the middle of that range, and never more than the trees' 30 m: bridging never credits
a gap that recorded trees could not span.
"""

PAVED_SURFACES = frozenset({"asphalt_concrete", "chip_seal", "cement_concrete"})
"""Surfaces that count as paved for indicator 2.1: asphalt (*nhựa hóa*: asphalt concrete, and
chip seal, *láng nhựa*, which is bituminous too) or cement concrete (*bê tông xi măng hóa*), as
Quyết định 932/QĐ-BGTVT (18/7/2022) words the surface condition: "tỷ lệ mặt đường huyện được
nhựa hóa hoặc bê tông xi măng hóa đạt 100%". Gravel, laterite and earth are not."""

SIDES = ("any", "both", "left", "right")
"""Values of ``side`` in :func:`tree_lined`: lined on at least one side, on both sides, or on
the named side (left and right looking along increasing chainage)."""

_ALONG_COS = math.cos(math.radians(45.0))  # a segment runs along a road within 45 degrees
_JOIN_M = 1e-3  # intervals closer than 1 mm along a road are one
_MIN_GAP_M = 1.0  # chainage is written to the metre: stretches closer than this are always one
_MIN_SIDE_OFFSET_M = 1.0  # geometry this close to the centreline shows no side
_SIDE_WINDOW_M = 50.0  # a line's geometric side: its offset averaged this far either way
_ROAD_SPACER_M = 1000.0  # roads are laid end to end on one axis, this far apart
_PAIR_BUDGET = 100_000  # candidate pairs examined at once: small batches stay in the caches
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
    seg: np.ndarray  # per segment (n, 6): start x, y, unit direction x, y, length, chainage
    road: np.ndarray  # per segment


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
    dist = _text(roads["dist_code"], "dist_code", "roads")
    code = _text(roads["road_code"], "road_code", "roads")
    # Codes compare as people write them (ĐH42 = DH42 = ĐH 42, ntmgeo.codes); a road keeps the
    # text of its first feature, and roads are sorted by that text.
    keys = pd.DataFrame({"d": fold_many(dist, "code"), "c": fold_many(code, "code")})
    group = keys.groupby(["d", "c"], sort=False).ngroup().to_numpy()
    firsts = np.unique(group, return_index=True)[1]
    shown = pd.DataFrame({"d": dist[firsts], "c": code[firsts]}).sort_values(["d", "c"])
    rank = np.empty(len(firsts), dtype=np.int64)
    rank[shown.index.to_numpy()] = np.arange(len(firsts))
    return rank[group], shown["d"].tolist(), shown["c"].tolist()


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
        # Overlapping features (snapped to the millimetre) are counted once; noding also cuts
        # a road where it crosses itself, so it is kept only where it removes an overlap.
        noded = shapely.node(shapely.set_precision(groups, _JOIN_M))
        overlaps = shapely.length(noded) < shapely.length(groups) - 0.1
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
    number, dist, code = _road_identity(roads)
    geoms = np.asarray(roads.geometry.values, dtype=object)
    lines = _dissolve_roads(geoms, number, len(dist))
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
# Surveys: geometry and attributes


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
    them."""
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


def _survey_ids(surveys: gpd.GeoDataFrame, which: np.ndarray) -> np.ndarray:
    """``survey_id`` of the features ``which`` as text (the index label where it is empty)."""
    labels = surveys.index.to_numpy()[which]
    if "survey_id" not in surveys.columns:
        return labels.astype(str)
    ids = surveys["survey_id"].to_numpy(dtype=object)[which]
    missing = pd.isna(ids)
    if missing.any():
        ids[missing] = labels[missing]
    return ids.astype(str)


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


def _union(lo: np.ndarray, hi: np.ndarray, join: float = _JOIN_M,
           base: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Union of intervals: disjoint, sorted (start, end). Intervals less than ``join`` apart
    are one (the bridge); with ``base`` (where each road starts on the shared axis), never
    across two roads."""
    if not lo.size:
        return lo, hi
    order = np.argsort(lo)
    lo, reach = lo[order], np.maximum.accumulate(hi[order])
    new = np.r_[True, lo[1:] - reach[:-1] >= join]
    if base is not None:
        road = np.searchsorted(base, lo, side="right")
        new[1:] |= road[1:] != road[:-1]
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


def _stretches(found: _Found, net: _Network, side: str, max_gap: float,
               join: float) -> tuple[np.ndarray, ...]:
    """Stretches (start, end on the shared axis) and the (stretch, survey) pairs behind them.

    Each side's intervals (lines and chains of trees, of every survey) are united, those less
    than ``join`` apart on one road bridged; ``"both"`` is the intersection of the two bridged
    sides, whose gaps are the union of the sides' gaps, so no gap between two of its stretches
    is shorter than ``join`` either.
    """
    wanted = {"any": [0], "left": [1], "right": [2], "both": [1, 2]}[side]
    per_side = [_lined(found, net, w, max_gap) for w in wanted]
    unions = [_union(lo, hi, join, net.base) for lo, hi, *_ in per_side]
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


def _gaps(net: _Network, lo_s: np.ndarray, hi_s: np.ndarray,
          join: float) -> tuple[np.ndarray, np.ndarray]:
    """Untreed stretches of every road worth planting, on the shared axis.

    Gaps between two stretches are at least ``join`` long (the stretches are bridged); a gap
    at a road's start or end shorter than ``join`` is left out (a track or row that stops that
    close to the end is noise, not a place to plant), unless it is the whole road. No gap under
    :data:`_MIN_GAP_M` is listed.
    """
    ends = net.base + net.length
    lo = np.concatenate([net.base, lo_s, ends])
    hi = np.concatenate([net.base, hi_s, ends])
    order = np.lexsort((hi, lo))
    lo, hi = lo[order], hi[order]
    gap_lo, gap_hi = hi[:-1], lo[1:]
    same_road = (np.searchsorted(net.base, gap_lo, side="right")
                 == np.searchsorted(net.base, gap_hi, side="right"))
    road = np.searchsorted(net.base, gap_lo, side="right") - 1
    size = gap_hi - gap_lo
    whole = (gap_lo <= net.base[road]) & (gap_hi >= ends[road])
    keep = same_road & (size >= _MIN_GAP_M) & ((size >= join) | whole)
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
    ids = _survey_ids(surveys, counted)
    order = np.argsort(ids, kind="stable")
    new = np.r_[True, ids[order][1:] != ids[order][:-1]]
    names = ids[order][new]
    of_survey = np.zeros(len(surveys), dtype=np.int64)
    of_survey[counted[order]] = np.cumsum(new) - 1  # rank of the id among the counted ids
    n = names.size
    key = _distinct(stretch.astype(np.int64) * n + of_survey[survey])
    k, r = np.divmod(key, n)
    cut = np.searchsorted(k, np.arange(count + 1)).tolist()
    return [names[r[cut[i]:cut[i + 1]]].tolist() for i in range(count)]


def _by_road(net: _Network, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    road = np.searchsorted(net.base, pos, side="right") - 1
    return road, pos - net.base[road]


def _report_roads(net: _Network, lo_s: np.ndarray, hi_s: np.ndarray,
                  ids: list[list[str]], join: float) -> list[dict[str, Any]]:
    road, start = _by_road(net, lo_s)
    end = hi_s - net.base[road]
    stretches = [{"from_m": round(a, 3), "to_m": round(b, 3), "label": _label(a, b),
                  "survey_ids": i}
                 for a, b, i in zip(start.tolist(), end.tolist(), ids, strict=True)]
    g_lo, g_hi = _gaps(net, lo_s, hi_s, join)
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
    length = np.bincount(g.part_owner[g.part], weights=g.seg[:, 4], minlength=len(surveys))
    return {"count": int(lost.size), "length_km": round(float(length[lost].sum()) / 1000, 6),
            "ids": sorted(_survey_ids(surveys, lost).tolist())}


# --------------------------------------------------------------------------------------------
# Indicator 2.3


def _check_options(side: str, tolerance: float, max_point_gap: float, threshold: float,
                   bridge: float) -> None:
    if side not in SIDES:
        msg = f"side must be one of {', '.join(SIDES)}, got {side!r}"
        raise ValueError(msg)
    if not (math.isfinite(tolerance) and tolerance > 0):
        msg = f"tolerance must be a positive number of metres, got {tolerance!r}"
        raise ValueError(msg)
    if not (math.isfinite(max_point_gap) and max_point_gap >= 0):
        msg = f"max_point_gap must be 0 m or more, got {max_point_gap!r}"
        raise ValueError(msg)
    if not (math.isfinite(bridge) and 0 <= bridge <= max_point_gap):
        msg = (f"bridge must be between 0 m and max_point_gap ({max_point_gap!r} m), "
               f"got {bridge!r}")
        raise ValueError(msg)
    if not 0 <= threshold <= 1:
        msg = f"threshold is a fraction between 0 and 1, got {threshold!r}"
        raise ValueError(msg)


def road_lines(roads: gpd.GeoDataFrame, *, crs: str) -> gpd.GeoDataFrame:
    """One line per road (``dist_code``, ``road_code``), in ``crs``: the road's features and
    parts dissolved and chained, the geometry along which :func:`tree_lined` measures
    chainage (Km0 at the start of the first part; separate parts follow one another, the
    gaps between them not counted).

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Road features with ``dist_code`` and ``road_code``, in any CRS.
    crs : str
        A projected CRS in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        ``dist_code``, ``road_code`` and a (Multi)LineString per road, sorted by identity.
    """
    metric = projected(roads, crs)
    number, dist, code = _road_identity(metric)
    lines = _dissolve_roads(np.asarray(metric.geometry.values, dtype=object), number, len(dist))
    return gpd.GeoDataFrame({"dist_code": dist, "road_code": code}, geometry=lines, crs=crs)


def cut(line: shapely.Geometry, from_m: float, to_m: float) -> shapely.Geometry:
    """The part of a road line (from :func:`road_lines`) between two chainages, in metres.

    Parts of a multi-part road are measured one after the other; a stretch that spans two
    parts comes back as a MultiLineString.
    """
    pieces = []
    offset = 0.0
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        lo, hi = max(from_m - offset, 0.0), min(to_m - offset, cum[-1])
        offset += cum[-1]
        if hi <= lo:
            continue
        inner = np.flatnonzero((cum > lo) & (cum < hi))
        ends = np.column_stack([np.interp([lo, hi], cum, xy[:, 0]),
                                np.interp([lo, hi], cum, xy[:, 1])])
        pieces.append(shapely.LineString(np.vstack([ends[:1], xy[inner], ends[1:]])))
    if not pieces:
        return shapely.LineString()
    return pieces[0] if len(pieces) == 1 else shapely.MultiLineString(pieces)


def tree_lined(
    roads: gpd.GeoDataFrame,
    surveys: gpd.GeoDataFrame,
    *,
    crs: str,
    tolerance: float = DEFAULT_TOLERANCE_M,
    side: str = "any",
    max_point_gap: float = DEFAULT_MAX_POINT_GAP_M,
    threshold: float = 0.5,
    bridge: float | None = None,
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
    bridge : float, optional
        Tree-lined stretches of a road less than this far apart are one stretch, the gap
        between them tree-lined, and a gap at a road's start or end shorter than this is not
        listed (m; between 0 and ``max_point_gap``). Default :data:`DEFAULT_BRIDGE_M` (25 m),
        or ``max_point_gap`` if that is smaller. ``0`` bridges only gaps under 1 m (chainage
        is written to the metre).

    Returns
    -------
    dict
        JSON-ready, with exactly three keys.

        ``roads``: one entry per road, sorted by ``dist_code`` then ``road_code``:
        ``dist_code``, ``road_code``, ``length_km``, ``greened_km``, ``ratio`` (0-1, ``None``
        for a road of no length), ``stretches`` (``from_m``, ``to_m``, ``label`` such as
        ``"Km1+250 → Km3+700"``, ``survey_ids``: the surveys behind it, sorted) and ``gaps``
        (the untreed stretches to plant, longest first: ``from_m``, ``to_m``, ``length_m``,
        ``label``). A road's stretches are sorted and at least ``bridge`` apart, and its gaps
        are what lies between them, and before the first and after the last when that is at
        least ``bridge`` long: ``length = greened + the listed gaps + the unlisted ends`` (at
        most one at each end, each shorter than ``bridge``; none when the road has no
        stretch: then the whole road is the one gap).

        ``total``: ``length_km``, ``greened_km``, ``ratio`` (``None`` without roads),
        ``threshold``, ``met`` (``ratio >= threshold``), ``shortfall_km`` (still to plant to
        reach the threshold; 0 when met), ``as_of`` (the latest ``survey_date`` among the
        surveys that count, or ``None``), ``tolerance_m``, ``bridge_m``, ``side``.

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
    if bridge is None:
        bridge = min(DEFAULT_BRIDGE_M, max_point_gap)
    _check_options(side, tolerance, max_point_gap, threshold, bridge)
    join = max(float(bridge), _MIN_GAP_M)
    roads_m = projected(roads, crs)
    max_len = 2.0 * tolerance  # road segments are cut to this length, and looked for by survey
    # segments in pieces of this size
    net = _network(roads_m, max_len)
    g = _survey_geometry(surveys, roads_m.crs, net.origin)
    side_code = _side_codes(surveys)
    if len(net.dist):
        found = _find(net, g, side_code, tolerance, max_len)
        lo_s, hi_s, stretch, survey = _stretches(found, net, side, max_point_gap, join)
        matched = found.matched
    else:
        lo_s = hi_s = np.empty(0)
        stretch = survey = np.empty(0, dtype=np.int64)
        matched = np.zeros(len(surveys), dtype=bool)
    rows = _report_roads(net, lo_s, hi_s, _ids_by_stretch(surveys, stretch, survey, lo_s.size),
                         join)
    length = float(net.length.sum())
    greened = float((hi_s - lo_s).sum())
    ratio = greened / length if length > 0 else None
    total = {"length_km": round(length / 1000, 6), "greened_km": round(greened / 1000, 6),
             "ratio": ratio, "threshold": threshold,
             "met": bool(ratio is not None and ratio >= threshold),
             "shortfall_km": round(max(0.0, threshold * length - greened) / 1000, 6),
             "as_of": _as_of(surveys, _distinct(survey)), "tolerance_m": float(tolerance),
             "bridge_m": float(bridge), "side": side}
    return {"roads": rows, "total": total, "unmatched": _unmatched(surveys, g, matched)}


# --------------------------------------------------------------------------------------------
# Indicators 2.1 (the surface condition) and 2.2 (the planned grade)
#
# Quyết định 932/QĐ-BGTVT (18/7/2022), the Ministry of Transport's guidance for the transport
# criteria of the 2021-2025 district set: 2.1 needs "tỷ lệ mặt đường huyện được nhựa hóa hoặc
# bê tông xi măng hóa đạt 100%" (besides every commune connected and every district road
# maintained every year); 2.2 needs every district road built or upgraded "với cấp đường theo
# quy hoạch được phê duyệt" (and its bridges and culverts fit for that grade).


def _missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _surfaces(value: Any) -> list[str]:
    """The surfaces listed in a ``surface`` value: a list, or ``|``-separated text."""
    if _missing(value):
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[|;]", value) if v.strip()]
    return [str(v).strip() for v in value if not _missing(v) and str(v).strip()]


def _grade(value: Any) -> str | None:
    """A technical grade, compared ignoring case and spacing (``"Cấp  V"`` is ``"cấp v"``)."""
    if _missing(value):
        return None
    text = " ".join(str(value).split()).casefold()
    return text or None


def _district_features(roads: gpd.GeoDataFrame, crs: str
                       ) -> tuple[gpd.GeoDataFrame, np.ndarray, list[str], list[str], np.ndarray]:
    """The district roads (class ``"ĐH"`` where a ``road_class`` column exists) in ``crs``:
    the features, each feature's road number, the roads' codes, each feature's length (m)."""
    if "road_class" in roads.columns:
        roads = roads[roads["road_class"].astype(str).str.strip() == "ĐH"]
    roads_m = projected(roads, crs)
    if not len(roads_m):
        return roads_m, np.empty(0, dtype=np.int64), [], [], np.empty(0)
    number, dist, code = _road_identity(roads_m)
    length = np.nan_to_num(shapely.length(np.asarray(roads_m.geometry.values, dtype=object)))
    return roads_m, number, dist, code, length


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def _per_road(number: np.ndarray, weights: np.ndarray, count: int) -> np.ndarray:
    return np.bincount(number, weights=weights, minlength=count)


def _km(metres: float) -> float:
    return round(float(metres) / 1000, 6)


def paved_share(roads: gpd.GeoDataFrame, *, crs: str) -> dict[str, Any]:
    """Indicator 2.1's surface condition: the share of the district roads' length that is
    asphalt or cement concrete (:data:`PAVED_SURFACES`, chip seal included).

    Each feature is **paved** when every surface it lists is paved, **unpaved** when none is,
    **mixed** when it lists both (ĐH42: chip seal and earth, with no split by length: some of it
    is unpaved, how much is not recorded) and **unknown** when it lists none. A road (district
    and code) digitised stretch by stretch is credited stretch by stretch.

    .. math::

        \\text{share} = \\frac{\\sum \\text{length of paved features}}{\\sum \\text{length}}

    exact when no feature is mixed or unknown; otherwise only a lower bound (``share_min``),
    and ``share`` is ``None``: a mixed feature's share is not invented. The condition (100%
    paved) is unmet as soon as a feature is unpaved or mixed, whatever the rest.

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Roads with ``dist_code``, ``road_code`` and ``surface`` (a list, or ``|``-separated
        text), in any CRS. When a ``road_class`` column exists only the district roads
        (``"ĐH"``) are assessed.
    crs : str
        A projected CRS in metres to measure in.

    Returns
    -------
    dict
        ``roads``: sorted by ``dist_code``, ``road_code``, each with ``dist_code``,
        ``road_code``, ``length_km``, ``paved_km``, ``unpaved_km``, ``mixed_km``,
        ``unknown_km``, ``surfaces`` (the distinct surfaces its features list, sorted) and
        ``paved`` (``True``: all of it; ``False``: some of it is not; ``None``: a stretch has no
        surface recorded and none is known unpaved). ``total``: ``length_km``, ``paved_km``,
        ``unpaved_km``, ``mixed_km``, ``unknown_km``, ``share`` (0-1, or ``None`` when not
        known exactly or without roads), ``share_min`` (the paved share counting mixed and
        unknown length as unpaved; ``None`` without roads) and ``met`` (100% paved: ``True``,
        ``False``, or ``None`` when it cannot be told).

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres or a road has no identity.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame({"dist_code": ["674", "674"], "road_code": ["ĐH42", "ĐH45"],
    ...     "surface": ["chip_seal", "gravel"]},
    ...     geometry=[LineString([(583000, 1338000), (586000, 1338000)]),
    ...               LineString([(583000, 1339000), (584000, 1339000)])], crs="EPSG:5899")
    >>> total = paved_share(roads, crs="EPSG:5899")["total"]
    >>> total["paved_km"], total["share"], total["met"]
    (3.0, 0.75, False)
    """
    roads_m, number, dist, code, length = _district_features(roads, crs)
    lists = [_surfaces(v) for v in _column(roads_m, "surface")]
    n_paved = np.array([sum(s in PAVED_SURFACES for s in x) for x in lists], dtype=np.int64)
    n_all = np.array([len(x) for x in lists], dtype=np.int64)
    kind = {"paved": (n_all > 0) & (n_paved == n_all), "unpaved": (n_all > 0) & (n_paved == 0),
            "mixed": (n_paved > 0) & (n_paved < n_all), "unknown": n_all == 0}
    count = len(dist)
    km = {k: _per_road(number, length * v, count) for k, v in kind.items()}
    road_len = _per_road(number, length, count)
    failing = _per_road(number, (kind["unpaved"] | kind["mixed"]).astype(float), count) > 0
    unknown = _per_road(number, kind["unknown"].astype(float), count) > 0
    surfaces: list[set[str]] = [set() for _ in range(count)]
    for r, listed in zip(number.tolist(), lists, strict=True):
        surfaces[r].update(listed)
    rows = [{"dist_code": dist[r], "road_code": code[r], "length_km": _km(road_len[r]),
             **{f"{k}_km": _km(km[k][r]) for k in kind},
             "surfaces": sorted(surfaces[r]),
             "paved": False if failing[r] else None if unknown[r] else True}
            for r in range(count)]
    total_len = float(road_len.sum())
    sums = {k: float(v.sum()) for k, v in km.items()}
    exact = sums["mixed"] == 0 and sums["unknown"] == 0
    if total_len <= 0:
        share = share_min = met = None
    else:
        share_min = sums["paved"] / total_len
        share = share_min if exact else None
        met = False if bool(failing.any()) else (True if exact else None)
    return {"roads": rows,
            "total": {"length_km": _km(total_len), **{f"{k}_km": _km(v) for k, v in sums.items()},
                      "share": share, "share_min": share_min, "met": met}}


def roads_to_standard(roads: gpd.GeoDataFrame, *, crs: str) -> dict[str, Any]:
    """Indicator 2.2: the share of the district roads' length built to their planned grade.

    A feature is judged where both its ``planned_grade`` (the grade its approved plan gives
    it) and its ``tech_grade`` (the grade it is built to, TCVN 4054:2005) are recorded: it is up
    to standard when the two are equal (compared ignoring case and spacing). A road (district
    and code) is up to standard (``True``) when every feature is judged and up to standard,
    not (``False``) when a judged feature is below its plan, and cannot be judged (``None``)
    otherwise. The surface is not part of 2.2 (it is 2.1's condition, :func:`paved_share`).
    The roads layer records no bridges or culverts: the guidance's condition on them is not
    assessed here.

    .. math::

        \\text{ratio} = \\frac{\\sum \\text{length of features at their planned grade}}
                              {\\sum \\text{length}}

    given only when every feature is judged; otherwise ``ratio`` is ``None`` and the roads
    missing a grade are listed.

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Roads with ``dist_code``, ``road_code``, ``tech_grade``, ``planned_grade``, in any
        CRS. When a ``road_class`` column exists only the district roads (``"ĐH"``) are
        assessed.
    crs : str
        A projected CRS in metres to measure in.

    Returns
    -------
    dict
        ``roads``: sorted by ``dist_code``, ``road_code``, each with ``dist_code``,
        ``road_code``, ``length_km``, ``planned_recorded`` and ``built_recorded`` (on every
        feature), ``grade_ok`` and ``to_standard`` (the same: ``True``, ``False`` or
        ``None``), ``standard_km`` (the length of its features at their planned grade;
        ``None`` when the road cannot be judged). ``total``: ``length_km``, ``standard_km``
        (the length known to be at its planned grade), ``ratio`` (0-1; ``None`` unless every
        road is judged, or without roads), ``complete`` (every road judged),
        ``missing_planned`` and ``missing_built`` (the road codes without a planned or a
        built grade on some feature), ``below_plan`` (the road codes known to be below it).

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres or a road has no identity.
    """
    roads_m, number, dist, code, length = _district_features(roads, crs)
    planned = [_grade(v) for v in _column(roads_m, "planned_grade")]
    built = [_grade(v) for v in _column(roads_m, "tech_grade")]
    has_plan = np.array([p is not None for p in planned], dtype=bool)
    has_built = np.array([b is not None for b in built], dtype=bool)
    judged = has_plan & has_built
    at_grade = judged & np.array([p == b for p, b in zip(planned, built, strict=True)],
                                 dtype=bool)
    count = len(dist)
    road_len = _per_road(number, length, count)
    std_len = _per_road(number, length * at_grade, count)
    no_plan = _per_road(number, (~has_plan).astype(float), count) > 0
    no_built = _per_road(number, (~has_built).astype(float), count) > 0
    below = _per_road(number, (judged & ~at_grade).astype(float), count) > 0
    ok = [False if below[r] else None if (no_plan[r] or no_built[r]) else True
          for r in range(count)]
    rows = [{"dist_code": dist[r], "road_code": code[r], "length_km": _km(road_len[r]),
             "planned_recorded": not bool(no_plan[r]), "built_recorded": not bool(no_built[r]),
             "grade_ok": ok[r], "to_standard": ok[r],
             "standard_km": None if ok[r] is None else _km(std_len[r])}
            for r in range(count)]
    total_len, total_std = float(road_len.sum()), float(std_len.sum())
    complete = bool(judged.all())
    return {"roads": rows,
            "total": {"length_km": _km(total_len), "standard_km": _km(total_std),
                      "ratio": total_std / total_len if complete and total_len > 0 else None,
                      "complete": complete,
                      "missing_planned": [code[r] for r in range(count) if no_plan[r]],
                      "missing_built": [code[r] for r in range(count) if no_built[r]],
                      "below_plan": [code[r] for r in range(count) if below[r]]}}
