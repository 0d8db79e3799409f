"""The engine of indicator 2.3: how :func:`~ntmgeo.indicators.roads.tree_lined` measures.

:func:`measure` does the work behind ``tree_lined`` (which checks the options and writes the
total): :mod:`ntmgeo.indicators._greening_match` finds the survey geometry beside the roads
(steps 1-3 below), this module unites, bridges and reports it (steps 4-6). Private to
:mod:`ntmgeo.indicators`; pure (no store, no files).

How tree_lined measures
-----------------------
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
   :data:`~ntmgeo.indicators.roads.DEFAULT_BRIDGE_M`, 25 m; at most ``max_point_gap``; gaps
   under 1 m always, as chainage is written to the metre), whichever surveys they come from:
   the pieces of one track that the GPS noise took past the tolerance for a few metres, two
   rows meeting with a short gap, a row and a run of single trees. The gap bridged counts as
   tree-lined, as the space between two trees up to 30 m apart does. Each side is bridged
   before ``side="both"`` intersects them (the gaps of the intersection are the sides' gaps put
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
import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..linref import chainage_label
from ._greening_match import (
    _JOIN_M,
    _distinct,
    _find,
    _Found,
    _Network,
    _network,
    _side_codes,
    _survey_geometry,
    _SurveyGeometry,
)

__all__ = ["Measured", "measure", "measure_parts"]

_MIN_GAP_M = 1.0  # chainage is written to the metre: stretches closer than this are always one


@dataclass(frozen=True)
class Measured:
    """What :func:`measure` finds: the document's ``roads`` entries, the lengths behind its
    total, and its ``unmatched`` entry.
    """

    roads: list[dict[str, Any]]
    length_m: float  # of all the roads
    greened_m: float  # tree-lined, of all the roads
    as_of: str | None  # the latest survey_date among the surveys that count
    unmatched: dict[str, Any]


def measure(roads: gpd.GeoDataFrame, surveys: gpd.GeoDataFrame, *, tolerance: float,
            side: str, max_point_gap: float, bridge: float) -> Measured:
    """The tree-lined stretches and the gaps of each road, measured in ``roads``' CRS.

    ``roads`` are already in a projected CRS in metres; ``surveys`` in any CRS; the options
    are :func:`~ntmgeo.indicators.roads.tree_lined`'s, already checked (``bridge`` given).
    """
    return measure_parts([roads], surveys, np.zeros(len(surveys), dtype=np.int64),
                         tolerance=tolerance, side=side, max_point_gap=max_point_gap,
                         bridge=bridge)


def measure_parts(parts: list[gpd.GeoDataFrame], surveys: gpd.GeoDataFrame,
                  survey_part: np.ndarray, *, tolerance: float, side: str,
                  max_point_gap: float, bridge: float) -> Measured:
    """:func:`measure` for roads in several zones (:mod:`ntmgeo.zoning`): each part of the
    roads, whole roads, in its own projected CRS; every survey is looked for beside every
    part's roads. The roads' entries are merged in the order of one part (by ``dist_code``,
    then ``road_code``); a survey is unmatched when it runs beside no road of any part, and
    its length is measured in the CRS of the part ``survey_part`` gives it.
    """
    join = max(float(bridge), _MIN_GAP_M)
    max_len = 2.0 * tolerance  # road segments are cut to this length, and looked for by survey
    # segments in pieces of this size
    rows: list[dict[str, Any]] = []
    length_m = greened_m = 0.0
    matched = np.zeros(len(surveys), dtype=bool)
    counted: list[np.ndarray] = []
    lost_length = np.zeros(len(surveys))
    for number, roads in enumerate(parts):
        net = _network(roads, max_len)
        g = _survey_geometry(surveys, roads.crs, net.origin)
        side_code = _side_codes(surveys)
        if len(net.dist):
            found = _find(net, g, side_code, tolerance, max_len)
            lo_s, hi_s, stretch, survey = _stretches(found, net, side, max_point_gap, join)
            matched |= found.matched
        else:
            lo_s = hi_s = np.empty(0)
            stretch = survey = np.empty(0, dtype=np.int64)
        rows += _report_roads(net, lo_s, hi_s,
                              _ids_by_stretch(surveys, stretch, survey, lo_s.size), join)
        length_m += float(net.length.sum())
        greened_m += float((hi_s - lo_s).sum())
        counted.append(_distinct(survey))
        mine = np.asarray(survey_part) == number
        lost_length[mine] = _line_lengths(surveys, g)[mine]
    if len(parts) > 1:
        rows.sort(key=lambda r: (r["dist_code"], r["road_code"]))
    every = _distinct(np.concatenate(counted)) if counted else np.empty(0, dtype=np.int64)
    return Measured(rows, length_m, greened_m, _as_of(surveys, every),
                    _unmatched(surveys, lost_length, matched))


# --------------------------------------------------------------------------------------------
# Single trees in a row


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


def _union(lo: np.ndarray, hi: np.ndarray, join: float = _JOIN_M,
           base: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Union of intervals: disjoint, sorted (start, end). Intervals less than ``join`` apart
    are one (the bridge); with ``base`` (where each road starts on the shared axis), never
    across two roads.
    """
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
    stretches = [{"from_m": round(a, 3), "to_m": round(b, 3), "label": chainage_label(a, b),
                  "survey_ids": i}
                 for a, b, i in zip(start.tolist(), end.tolist(), ids, strict=True)]
    g_lo, g_hi = _gaps(net, lo_s, hi_s, join)
    g_road, g_start = _by_road(net, g_lo)
    g_len = g_hi - g_lo
    order = np.lexsort((-g_len, g_road))
    g_road, g_start, g_len = g_road[order], g_start[order], g_len[order]
    gaps = [{"from_m": round(a, 3), "to_m": round(a + n, 3), "length_m": round(n, 3),
             "label": chainage_label(a, a + n)}
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


def _line_lengths(surveys: gpd.GeoDataFrame, g: _SurveyGeometry) -> np.ndarray:
    """Each survey's length (of its lines) in the CRS ``g`` was built in."""
    return np.bincount(g.part_owner[g.part], weights=g.seg[:, 4], minlength=len(surveys))


def _unmatched(surveys: gpd.GeoDataFrame, length: np.ndarray,
               matched: np.ndarray) -> dict[str, Any]:
    lost = np.flatnonzero(~matched)
    return {"count": int(lost.size), "length_km": round(float(length[lost].sum()) / 1000, 6),
            "ids": sorted(_survey_ids(surveys, lost).tolist())}
