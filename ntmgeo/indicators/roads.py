"""Criterion 2 (transport) of the district set, computed from geometry.

* **2.3, road greening** (:func:`tree_lined`): the share of the district roads' length that
  is tree-lined, from the survey teams' tree rows, GPS tracks and single trees.
* **2.1, the surface condition** (:func:`paved_share`): the share of the district roads'
  length that is asphalt (bitumen: asphalt concrete or chip seal) or cement concrete.
* **2.2, district roads to standard** (:func:`roads_to_standard`): the share of the district
  roads' length built to the technical grade their plan gives them.

2.1 and 2.2 follow the Ministry of Transport's guidance for the transport criteria, Quyết định
932/QĐ-BGTVT (18/7/2022): the surface test (*nhựa hóa hoặc bê tông xi măng hóa*) belongs to
2.1, the planned grade to 2.2 (the catalogue, ``data/criteria/vn-district-2021-2025.yml``,
quotes it).

Where things are
----------------
* here: the three indicators (options checked, documents written) and the constants their
  callers use (:data:`DEFAULT_TOLERANCE_M`, :data:`DEFAULT_BRIDGE_M`,
  :data:`DEFAULT_MAX_POINT_GAP_M`, :data:`PAVED_SURFACES`, :data:`SIDES`);
* :mod:`ntmgeo.indicators._greening_engine`: **how tree_lined measures** (the method, its
  rules and known limits, in its docstring) and the intervals along the roads: unions,
  bridging, stretches, gaps, each road's entry;
* :mod:`ntmgeo.indicators._greening_match`: where survey geometry runs along the roads (roads
  as segments on one axis, the grid of candidate pairs, survey lines projected onto the
  centrelines, single trees placed);
* :mod:`ntmgeo.linref`: a road as one line with a chainage (:func:`~ntmgeo.linref.road_lines`,
  :func:`~ntmgeo.linref.cut`, :func:`~ntmgeo.linref.cut_many`, the identity that makes features
  one road) and chainage as text (:func:`~ntmgeo.linref.chainage`,
  :func:`~ntmgeo.linref.parse_chainage`, :func:`~ntmgeo.linref.chainage_label`).

Imports point one way: this module → ``_greening_engine`` → ``_greening_match`` →
:mod:`ntmgeo.linref` → :mod:`ntmgeo.codes`, :mod:`ntmgeo.measure`. All of it is pure
computation (no store, no files, no settings).
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..linref import road_identity
from ..measure import projected
from ..values import is_missing, parse_list
from ..zoning import Zoning, as_zoning
from . import _greening_engine as _engine

__all__ = [
    "DEFAULT_BRIDGE_M",
    "DEFAULT_MAX_POINT_GAP_M",
    "DEFAULT_TOLERANCE_M",
    "PAVED_SURFACES",
    "SIDES",
    "paved_share",
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


def tree_lined(
    roads: gpd.GeoDataFrame,
    surveys: gpd.GeoDataFrame,
    *,
    crs: str | Zoning,
    tolerance: float = DEFAULT_TOLERANCE_M,
    side: str = "any",
    max_point_gap: float = DEFAULT_MAX_POINT_GAP_M,
    threshold: float = 0.5,
    bridge: float | None = None,
) -> dict[str, Any]:
    r"""Indicator 2.3: the tree-lined length of each road, and of all of them.

    .. math::

        \text{ratio} = \frac{\sum_r \text{tree-lined length}_r}{\sum_r \text{length}_r}

    both lengths measured along the centrelines in ``crs``. The method, its rules and its
    known limits are described in :mod:`ntmgeo.indicators._greening_engine`.

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
    crs : str or ntmgeo.zoning.Zoning
        A projected CRS in metres to measure in (``"EPSG:5899"`` for Lâm Đồng), or the zones
        of a province spanning two (:mod:`ntmgeo.zoning`: each road measured whole in the
        zone holding most of it, every survey looked for beside every zone's roads).
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
    zoning = as_zoning(crs)
    if zoning.is_single:
        measured = _engine.measure(projected(roads, zoning.default), surveys,
                                   tolerance=tolerance, side=side, max_point_gap=max_point_gap,
                                   bridge=bridge)
    else:
        number = road_identity(roads)[0] if len(roads) else None
        parts = zoning.parts(roads, groups=number) or [(zoning.default,
                                                        projected(roads, zoning.default))]
        which = {crs_: i for i, (crs_, _) in enumerate(parts)}
        survey_part = np.array([which.get(z, 0) for z in zoning.assign(surveys)],
                               dtype=np.int64)
        measured = _engine.measure_parts([p for _, p in parts], surveys, survey_part,
                                         tolerance=tolerance, side=side,
                                         max_point_gap=max_point_gap, bridge=bridge)
    length, greened = measured.length_m, measured.greened_m
    ratio = greened / length if length > 0 else None
    total = {"length_km": round(length / 1000, 6), "greened_km": round(greened / 1000, 6),
             "ratio": ratio, "threshold": threshold,
             "met": bool(ratio is not None and ratio >= threshold),
             "shortfall_km": round(max(0.0, threshold * length - greened) / 1000, 6),
             "as_of": measured.as_of, "tolerance_m": float(tolerance),
             "bridge_m": float(bridge), "side": side}
    return {"roads": measured.roads, "total": total, "unmatched": measured.unmatched}


# --------------------------------------------------------------------------------------------
# Indicators 2.1 (the surface condition) and 2.2 (the planned grade)
#
# Quyết định 932/QĐ-BGTVT (18/7/2022), the Ministry of Transport's guidance for the transport
# criteria of the 2021-2025 district set: 2.1 needs "tỷ lệ mặt đường huyện được nhựa hóa hoặc
# bê tông xi măng hóa đạt 100%" (besides every commune connected and every district road
# maintained every year); 2.2 needs every district road built or upgraded "với cấp đường theo
# quy hoạch được phê duyệt" (and its bridges and culverts fit for that grade).


def _grade(value: Any) -> str | None:
    """A technical grade, compared ignoring case and spacing (``"Cấp  V"`` is ``"cấp v"``)."""
    if is_missing(value):
        return None
    text = " ".join(str(value).split()).casefold()
    return text or None


def _district_features(roads: gpd.GeoDataFrame, crs: str | Zoning
                       ) -> tuple[gpd.GeoDataFrame, np.ndarray, list[str], list[str], np.ndarray]:
    """The district roads (class ``"ĐH"`` where a ``road_class`` column exists): the features,
    each feature's road number, the roads' codes, each feature's length (m), measured in
    ``crs`` (or each road in its zone, :mod:`ntmgeo.zoning`).
    """
    if "road_class" in roads.columns:
        roads = roads[roads["road_class"].astype(str).str.strip() == "ĐH"]
    zoning = as_zoning(crs)
    roads_m = projected(roads, zoning.default)
    if not len(roads_m):
        return roads_m, np.empty(0, dtype=np.int64), [], [], np.empty(0)
    number, dist, code = road_identity(roads_m)
    if zoning.is_single:
        length = np.nan_to_num(shapely.length(np.asarray(roads_m.geometry.values,
                                                         dtype=object)))
    else:
        length = zoning.lengths_m(roads_m, groups=number)
    return roads_m, number, dist, code, length


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def _per_road(number: np.ndarray, weights: np.ndarray, count: int) -> np.ndarray:
    return np.bincount(number, weights=weights, minlength=count)


def _km(metres: float) -> float:
    return round(float(metres) / 1000, 6)


def paved_share(roads: gpd.GeoDataFrame, *, crs: str | Zoning) -> dict[str, Any]:
    r"""Indicator 2.1's surface condition: the share of the district roads' length that is
    asphalt or cement concrete (:data:`PAVED_SURFACES`, chip seal included).

    Each feature is **paved** when every surface it lists is paved, **unpaved** when none is,
    **mixed** when it lists both (ĐH42: chip seal and earth, with no split by length: some of it
    is unpaved, how much is not recorded) and **unknown** when it lists none. A road (district
    and code) digitised stretch by stretch is credited stretch by stretch.

    .. math::

        \text{share} = \frac{\sum \text{length of paved features}}{\sum \text{length}}

    exact when no feature is mixed or unknown; otherwise only a lower bound (``share_min``),
    and ``share`` is ``None``: a mixed feature's share is not invented. The condition (100%
    paved) is unmet as soon as a feature is unpaved or mixed, whatever the rest.

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Roads with ``dist_code``, ``road_code`` and ``surface`` (a list, or ``|``-separated
        text), in any CRS. When a ``road_class`` column exists only the district roads
        (``"ĐH"``) are assessed.
    crs : str or ntmgeo.zoning.Zoning
        A projected CRS in metres to measure in, or zones (each road in its own,
        :mod:`ntmgeo.zoning`).

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
    lists = [parse_list(v) for v in _column(roads_m, "surface")]
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


def roads_to_standard(roads: gpd.GeoDataFrame, *, crs: str | Zoning) -> dict[str, Any]:
    r"""Indicator 2.2: the share of the district roads' length built to their planned grade.

    A feature is judged where both its ``planned_grade`` (the grade its approved plan gives
    it) and its ``tech_grade`` (the grade it is built to, TCVN 4054:2005) are recorded: it is up
    to standard when the two are equal (compared ignoring case and spacing). A road (district
    and code) is up to standard (``True``) when every feature is judged and up to standard,
    not (``False``) when a judged feature is below its plan, and cannot be judged (``None``)
    otherwise. The surface is not part of 2.2 (it is 2.1's condition, :func:`paved_share`).
    The roads layer records no bridges or culverts: the guidance's condition on them is not
    assessed here.

    .. math::

        \text{ratio} = \frac{\sum \text{length of features at their planned grade}}
                              {\sum \text{length}}

    given only when every feature is judged; otherwise ``ratio`` is ``None`` and the roads
    missing a grade are listed.

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Roads with ``dist_code``, ``road_code``, ``tech_grade``, ``planned_grade``, in any
        CRS. When a ``road_class`` column exists only the district roads (``"ĐH"``) are
        assessed.
    crs : str or ntmgeo.zoning.Zoning
        A projected CRS in metres to measure in, or zones (each road in its own,
        :mod:`ntmgeo.zoning`).

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
