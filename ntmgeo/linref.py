"""Linear referencing along a road: a road as one line with a chainage, and chainage as text.

* **Which features are one road** (:func:`road_identity`): a road is identified by its
  district *and* its code (road codes repeat across districts), codes compared as people
  write them (``ĐH42``, ``DH42`` and ``ĐH 42`` are one road: :mod:`ntmgeo.codes`).
* **A road's line** (:func:`road_lines`, :func:`chained_roads`): the features and parts of one
  road dissolved into one line (overlaps removed, touching parts merged, separate parts
  chained end to nearest end, starting from the first point of the first feature). Its
  chainage runs along the parts one after the other, the gaps between parts not counted: the
  line along which :func:`ntmgeo.indicators.roads.tree_lined` measures.
* **The geometry between chainages** (:func:`cut_many`, :func:`cut`): :func:`cut_many` turns
  many ``(from, to)`` intervals of one road into lines at once: the cumulative lengths of the
  road are computed once, and the pieces built with one call to shapely (this is
  ``shapely.ops.substring`` part by part, for many intervals); :func:`cut` is one interval.
* **Chainage as text** (:func:`chainage`, :func:`parse_chainage`, :func:`chainage_label`):
  ``"Km4+00"`` is 4 km + 0 m from the start of a road, ``"Km0+100 → Km0+600"`` a stretch of
  it. The stretches' and gaps' ``label`` in the greening document come from here, and the web
  map shows those labels (it formats no chainage of its own).

Pure computation: no store, no files; lengths in metres, in the lines' own projected CRS
(:func:`road_lines` reprojects into the one it is given). Imports only :mod:`ntmgeo.codes` and
:mod:`ntmgeo.measure`. Chainage *tables* (survey teams' CSV notes, read with these functions)
are :mod:`ntmgeo.chainage`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._errors import InputError
from .codes import fold_many
from .measure import projected

__all__ = [
    "chainage",
    "chainage_label",
    "chained_roads",
    "cut",
    "cut_many",
    "parse_chainage",
    "road_identity",
    "road_lines",
]

_SNAP_M = 1e-3  # features of one road that overlap to the millimetre are counted once
_ARROW = " → "

_CHAINAGE_RE = re.compile(r"^\s*km\s*(\d+)\s*(?:\+\s*(\d+(?:\.\d+)?))?\s*$", re.IGNORECASE)
_METRES_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*m?\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Which features are one road


def _text(values: pd.Series, column: str, layer: str) -> np.ndarray:
    missing = values.isna().to_numpy()
    if missing.any():
        msg = f"{layer}: {int(missing.sum())} feature(s) have no {column}"
        raise ValueError(msg)
    return values.astype(str).str.strip().to_numpy(dtype=object)


def road_identity(roads: gpd.GeoDataFrame) -> tuple[np.ndarray, list[str], list[str]]:
    """Which features of ``roads`` are one road: the same ``dist_code`` and ``road_code``,
    compared as people write them (:func:`ntmgeo.codes.fold_code`).

    Returns
    -------
    tuple
        The road number of each feature (roads sorted by district, then code), and each
        road's ``dist_code`` and ``road_code`` as its first feature writes them.

    Raises
    ------
    ValueError
        If a column is missing or a feature has no value in it.
    """
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


# --------------------------------------------------------------------------------------------
# A road's line


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
        noded = shapely.node(shapely.set_precision(groups, _SNAP_M))
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


def chained_roads(roads: gpd.GeoDataFrame) -> tuple[list[str], list[str], np.ndarray]:
    """The roads of ``roads`` (already in a projected CRS in metres), one line each.

    :func:`road_lines` without the reprojection, for callers that have measured the roads
    already (:func:`ntmgeo.indicators.roads.tree_lined`).

    Returns
    -------
    tuple
        The roads' ``dist_code`` and ``road_code`` (as :func:`road_identity` gives them,
        sorted), and a (Multi)LineString per road: its features and parts dissolved and
        chained.

    Raises
    ------
    ValueError
        If a road has no identity, a geometry is not a line, or a road has no line geometry.
    """
    number, dist, code = road_identity(roads)
    lines = _dissolve_roads(np.asarray(roads.geometry.values, dtype=object), number, len(dist))
    return dist, code, lines


def road_lines(roads: gpd.GeoDataFrame, *, crs: str) -> gpd.GeoDataFrame:
    """One line per road (``dist_code``, ``road_code``), in ``crs``: the road's features and
    parts dissolved and chained, the geometry along which
    :func:`~ntmgeo.indicators.roads.tree_lined` measures chainage (Km0 at the start of the
    first part; separate parts follow one another, the gaps between them not counted).

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
    dist, code, lines = chained_roads(metric)
    return gpd.GeoDataFrame({"dist_code": dist, "road_code": code}, geometry=lines, crs=crs)


# --------------------------------------------------------------------------------------------
# The geometry between two chainages


def cut_many(line: shapely.Geometry, from_m: Sequence[float] | np.ndarray,
             to_m: Sequence[float] | np.ndarray) -> np.ndarray:
    """The parts of ``line`` between each pair of chainages, in metres.

    Parameters
    ----------
    line : shapely.LineString or shapely.MultiLineString
        A road line; its parts are measured one after the other.
    from_m, to_m : sequence of float
        The intervals' starts and ends along the line (clipped to the line).

    Returns
    -------
    numpy.ndarray
        One geometry per interval: a LineString, a MultiLineString where the interval spans
        two parts, or an empty LineString where it covers nothing of the line.

    Examples
    --------
    >>> from shapely import LineString
    >>> [g.wkt for g in cut_many(LineString([(0, 0), (10, 0)]), [2, 8], [5, 20])]
    ['LINESTRING (2 0, 5 0)', 'LINESTRING (8 0, 10 0)']
    """
    lo_all = np.asarray(from_m, dtype=float)
    hi_all = np.asarray(to_m, dtype=float)
    count = lo_all.size
    pieces: list[np.ndarray] = []  # coordinates of each piece
    owner: list[int] = []  # the interval of each piece
    offset = 0.0
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        length = float(cum[-1])
        lo = np.clip(lo_all - offset, 0.0, length)
        hi = np.clip(hi_all - offset, 0.0, length)
        offset += length
        keep = np.flatnonzero(hi > lo)
        if not keep.size:
            continue
        lo, hi = lo[keep], hi[keep]
        start = np.column_stack([np.interp(lo, cum, xy[:, 0]), np.interp(lo, cum, xy[:, 1])])
        end = np.column_stack([np.interp(hi, cum, xy[:, 0]), np.interp(hi, cum, xy[:, 1])])
        first = np.searchsorted(cum, lo, side="right")  # inner vertices: cum in (lo, hi)
        last = np.searchsorted(cum, hi, side="left")
        for k, a, b, s, e in zip(keep.tolist(), first.tolist(), last.tolist(), start, end,
                                 strict=True):
            pieces.append(np.vstack([s[None], xy[a:b], e[None]]))
            owner.append(k)
    out = np.array([shapely.LineString()] * count, dtype=object)
    if not pieces:
        return out
    sizes = np.array([len(p) for p in pieces])
    lines = shapely.linestrings(np.concatenate(pieces), indices=np.repeat(np.arange(sizes.size),
                                                                          sizes))
    owners = np.array(owner)
    per = np.bincount(owners, minlength=count)
    single = np.flatnonzero(per == 1)
    where = np.full(count, -1)
    where[owners[::-1]] = np.arange(owners.size)[::-1]  # first piece of each interval
    out[single] = lines[where[single]]
    for k in np.flatnonzero(per > 1).tolist():  # an interval across two parts of the road: rare
        out[k] = shapely.MultiLineString(list(lines[owners == k]))
    return out


def cut(line: shapely.Geometry, from_m: float, to_m: float) -> shapely.Geometry:
    """The part of a road line (from :func:`road_lines`) between two chainages, in metres.

    Parts of a multi-part road are measured one after the other; a stretch that spans two
    parts comes back as a MultiLineString. This is :func:`cut_many` with one interval.

    Examples
    --------
    >>> from shapely import LineString
    >>> cut(LineString([(0, 0), (10, 0)]), 2, 5).wkt
    'LINESTRING (2 0, 5 0)'
    """
    return cut_many(line, [from_m], [to_m])[0]


# --------------------------------------------------------------------------------------------
# Chainage as text


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
        On anything else (an :class:`~ntmgeo._errors.InputError`, a ``ValueError``): the
        message quotes the text and the accepted forms. ``"3,7"`` is
        refused (a decimal comma or a thousands separator: metres or kilometres cannot be told).

    Examples
    --------
    >>> parse_chainage("Km4+00"), parse_chainage("Km106+020"), parse_chainage("3700")
    (4000.0, 106020.0, 3700.0)
    """
    if not isinstance(text, str):
        msg = "chainage must be text, got {type}"
        raise InputError(msg, type=type(text).__name__)  # callers read it as bad input
    match = _CHAINAGE_RE.match(text)
    if match:
        km, metres = match.groups()
        extra = float(metres) if metres else 0.0
        if extra >= 1000:
            raise InputError("chainage {text}: the metres after '+' must be under 1000",
                             text=repr(text))
        return int(km) * 1000.0 + extra
    match = _METRES_RE.match(text)
    if match:
        return float(match.group(1))
    msg = ("cannot read {text} as chainage: write Km<km>+<metres> (Km4+00, Km106+020) "
           "or plain metres with a decimal point (3700, 3700.5)")
    raise InputError(msg, text=repr(text))


def chainage_label(from_m: float, to_m: float) -> str:
    """A stretch of road as chainage text: ``"<from> → <to>"``.

    Raises
    ------
    ValueError
        If a distance is negative or not finite (as :func:`chainage`).

    Examples
    --------
    >>> chainage_label(100, 600), chainage_label(0, 1750)
    ('Km0+100 → Km0+600', 'Km0+000 → Km1+750')
    """
    return f"{chainage(from_m)}{_ARROW}{chainage(to_m)}"
