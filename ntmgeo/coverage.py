"""Infrastructure coverage: who is within reach of a kind of facility; road km by surface.

Two questions a plan asks of its infrastructure, per administrative unit:

* **Within reach** (:func:`reach`, :func:`coverage`, :func:`coverage_document`): the share of
  each unit within a distance of a facility of one type (any ``sites.site_type``), and what is
  left uncovered, as geometry.

  - *Straight line* (default): the facilities buffered by the distance.
  - *Along the roads* (``network=True``): the stretches of road reachable from a facility
    within the distance along the road layers (the graph of
    :mod:`ntmgeo.indicators.network`; a facility joins the road nearest it, up to
    :data:`~ntmgeo.indicators.network.DEFAULT_SNAP_M` away, and the walk to that road is spent
    from the distance first), buffered by the access distance :data:`DEFAULT_ACCESS_M` on each
    side; plus the facility's own surroundings within that access distance.

  **Basis.** Where the unit has a population figure the share is of its population
  (``basis: "population"``), where not, of its area (``basis: "area"``), and the document says
  so. No layer tells where in a unit its people live, so the population within reach is the
  unit's population spread evenly over its area: the two shares are equal, and
  ``covered_population`` is that estimate. A population is never made up: a unit without one
  has no ``covered_population``.
* **Road km by surface** (:func:`surface_lengths`, :func:`surface_document`): the length of
  road in each unit by road class and surface, and the hardened share (*cứng hóa*) as plans
  write it, ``"cứng hóa 24,66/38,39 km"``. Hard is paved as Quyết định 932/QĐ-BGTVT
  (18/7/2022) words indicator 2.1's surface condition, *nhựa hóa hoặc bê tông xi măng hóa*: a
  road whose surfaces are all asphalt (asphalt concrete or chip seal, *láng nhựa*) or cement
  concrete (:data:`ntmgeo.indicators.roads.PAVED_SURFACES`) is hard; one listing paved and
  unpaved surfaces on one feature cannot be split and counts as not hard.

Everything is measured in metres in the store's measuring CRS (the province's VN-2000 TM-3
zone); the uncovered geometry is returned in WGS 84, ready for GeoJSON.
"""

from __future__ import annotations

import math
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from . import settings
from .i18n import both
from .indicators import network as network_ind
from .indicators.roads import PAVED_SURFACES
from .measure import projected
from .snapshot import ensure, units_on
from .store import StoreReader
from .values import json_clean, parse_list

__all__ = [
    "DEFAULT_ACCESS_M",
    "coverage",
    "coverage_document",
    "parse_distance",
    "reach",
    "surface_document",
    "surface_lengths",
]

DEFAULT_ACCESS_M = 500.0
"""Distance on each side of a reachable road that counts as served, with ``network=True`` (m).

People reach the road on foot from their houses, fields and village paths the road layer does
not hold; 500 m (6-7 minutes' walk) is the walking catchment commonly used for service areas
around a route, and about the depth of a roadside village in the mountain districts.
"""

_DISTANCE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km|m)?\s*$", re.IGNORECASE)
_WGS84 = "EPSG:4326"
_OUT_PRECISION = 1e-7  # degrees (about 1 cm) for the GeoJSON geometry
_QUAD_SEGS = 32  # a buffered point is a 128-gon: its area is 0.04% short of the circle's


def parse_distance(text: str | float) -> float:
    """A distance as metres: ``"5km"``, ``"5 km"``, ``"2.5km"``, ``"500m"``, ``"500"``.

    Parameters
    ----------
    text : str or float
        A number with an optional unit, ``km`` or ``m`` (metres when none); a number is taken
        as metres.

    Returns
    -------
    float
        Metres.

    Raises
    ------
    ValueError
        For anything else, a negative distance, or a decimal comma (``"2,5km"``: a decimal
        comma or a thousands separator cannot be told apart).

    Examples
    --------
    >>> parse_distance("5km"), parse_distance("500m"), parse_distance("2.5 km")
    (5000.0, 500.0, 2500.0)
    >>> parse_distance("750")
    750.0
    """
    if isinstance(text, bool):
        msg = f"not a distance: {text!r}"
        raise ValueError(msg)
    if isinstance(text, (int, float)):
        if not math.isfinite(text) or text < 0:
            msg = f"a distance must be a finite number of metres, 0 or more: {text!r}"
            raise ValueError(msg)
        return float(text)
    match = _DISTANCE_RE.match(str(text))
    if not match:
        msg = (f"cannot read {text!r} as a distance: write metres or kilometres with a decimal "
               "point (500, 500m, 5km, 2.5 km)")
        raise ValueError(msg)
    value, unit = float(match.group(1)), (match.group(2) or "m").lower()
    return value * 1000.0 if unit == "km" else value


# ------------------------------------------------------------------------------- within reach


def reach(facilities: gpd.GeoDataFrame, within_m: float, *, crs: str, network: bool = False,
          roads: gpd.GeoDataFrame | None = None, graph: network_ind.RoadGraph | None = None,
          access_m: float = DEFAULT_ACCESS_M,
          snap_m: float = network_ind.DEFAULT_SNAP_M) -> shapely.Geometry:
    """The area within ``within_m`` of the facilities, in ``crs``.

    Parameters
    ----------
    facilities : geopandas.GeoDataFrame
        Facility points or polygons in any CRS (a polygon is reached from its edge).
    within_m : float
        The distance (m): straight, or along the roads with ``network``.
    crs : str
        A projected CRS in metres to measure in.
    network : bool, default False
        Measure along the roads (``roads`` or ``graph`` needed) instead of straight.
    roads : geopandas.GeoDataFrame, optional
        Road lines, with ``network`` (a graph is built from them).
    graph : RoadGraph, optional
        A graph built already (:func:`ntmgeo.indicators.network.road_graph`) in ``crs``.
    access_m : float, default :data:`DEFAULT_ACCESS_M`
        With ``network``: the served band on each side of a reached road, and around each
        facility (at most ``within_m``).
    snap_m : float, default 2000
        With ``network``: a facility farther than this from every road reaches no road.

    Returns
    -------
    shapely.Geometry
        A (Multi)Polygon in ``crs``; empty when there is no facility.

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres, ``within_m`` is negative, or ``network``
        is asked without roads.
    """
    if within_m < 0:
        msg = f"within_m must be 0 or more, got {within_m}"
        raise ValueError(msg)
    geoms = np.asarray(projected(facilities, crs).geometry.values, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    if not len(geoms):
        return shapely.Polygon()
    if not network:
        return shapely.union_all(shapely.buffer(geoms, within_m, quad_segs=_QUAD_SEGS))
    if graph is None:
        if roads is None:
            raise ValueError("network=True needs the roads (or their graph)")
        graph = network_ind.road_graph(roads, crs=crs)
    sources = network_ind.snap(graph, gpd.GeoSeries(geoms, crs=crs), max_distance=snap_m)
    lines = network_ind.reach(graph, sources, within_m)
    around = shapely.union_all(shapely.buffer(geoms, min(access_m, within_m),
                                              quad_segs=_QUAD_SEGS))
    if shapely.is_empty(lines):
        return around
    # Buffering each stretch and uniting the bands is much faster than buffering the whole.
    bands = shapely.buffer(shapely.get_parts(lines), access_m, quad_segs=_QUAD_SEGS)
    return shapely.union_all(np.append(bands, around))


def _population(units: gpd.GeoDataFrame) -> np.ndarray:
    if "population" not in units.columns:
        return np.full(len(units), np.nan)
    return pd.to_numeric(units["population"], errors="coerce").to_numpy(dtype=float)


def coverage(units: gpd.GeoDataFrame, covered: shapely.Geometry, *, crs: str) -> pd.DataFrame:
    r"""The share of each unit within ``covered``, and what of it is not.

    .. math::

        \text{share} = \frac{\text{area}(\text{unit} \cap \text{covered})}
                              {\text{area}(\text{unit})}

    on a population basis where the unit has a population figure (spread evenly over the unit:
    the same share, with ``covered_population`` = population x share), else on an area basis.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Unit polygons in any CRS, indexed by code, with ``population`` where known.
    covered : shapely.Geometry
        The area within reach, in ``crs`` (:func:`reach`).
    crs : str
        A projected CRS in metres to measure in.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``units``: ``basis`` (``"population"`` or ``"area"``), ``area_m2``,
        ``covered_m2``, ``share`` (0..1; NaN for a unit without area), ``population``,
        ``covered_population`` (NaN without a population) and ``uncovered`` (the part of the
        unit out of reach, a shapely geometry in WGS 84).

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres.
    """
    units_m = projected(units, crs)
    geoms = np.asarray(units_m.geometry.values, dtype=object)
    area = shapely.area(geoms)
    inside = shapely.intersection(geoms, covered)
    covered_m2 = np.minimum(shapely.area(inside), area)
    share = np.divide(covered_m2, area, out=np.full(len(area), np.nan), where=area > 0)
    pop = _population(units)
    rest = gpd.GeoSeries(shapely.difference(geoms, covered), crs=crs).to_crs(_WGS84)
    return pd.DataFrame({
        "basis": np.where(np.isfinite(pop), "population", "area"),
        "area_m2": area, "covered_m2": covered_m2, "share": share, "population": pop,
        "covered_population": pop * share, "uncovered": rest.values,
    }, index=units.index)


def _default_as_of(store: StoreReader, as_of: str | None) -> str:
    if as_of is not None:
        return as_of
    from .status import default_as_of  # the date `ntmgeo status` uses

    return default_as_of(store)


def _geojson(geom: shapely.Geometry) -> dict[str, Any] | None:
    if geom is None or shapely.is_empty(geom):
        return None
    return shapely.geometry.mapping(shapely.set_precision(geom, _OUT_PRECISION))


def _basis_note(basis: str) -> dict[str, str]:
    """What a unit's share is of, in both languages (the catalogue ``documents``)."""
    return both("share of the population (spread evenly over the unit's area)"
                if basis == "population" else
                "share of the area: the unit has no population figure with a source")


def coverage_document(store: StoreReader, *, site_type: str, within_m: float, network: bool = False,
                      as_of: str | None = None, level: str = "commune",
                      statuses: tuple[str, ...] = ("completed",),
                      access_m: float = DEFAULT_ACCESS_M) -> dict[str, Any]:
    """Coverage of every unit of ``level`` valid on ``as_of`` by the sites of ``site_type``.

    Parameters
    ----------
    store : StoreReader
        The project store, or a snapshot of it (:class:`~ntmgeo.snapshot.Snapshot`).
    site_type : str
        Any ``sites.site_type`` (``"waste_collection_point"``, ``"health_station"``...).
    within_m : float
        The distance (m); :func:`parse_distance` reads ``"5km"``.
    network : bool, default False
        Along the roads instead of straight (see the module's docstring).
    as_of : str, optional
        ISO date choosing the units; default the date ``ntmgeo status`` uses (the latest the
        store has data for). The sites are the store's as they are.
    level : str, default "commune"
        The units reported.
    statuses : tuple of str, default ("completed",)
        Site statuses that serve (add ``"planned"`` to see a plan's coverage once built).
    access_m : float, default :data:`DEFAULT_ACCESS_M`
        With ``network``, the served band beside a reached road (m).

    Returns
    -------
    dict
        JSON-ready: the question (``site_type``, ``within_m``, ``network``, ``access_m``,
        ``statuses``, ``as_of``, ``level``, ``crs``), ``facilities`` (site ids),
        ``off_network`` (with ``network``: facilities farther than 2 km from every road) and
        ``units``: per unit ``code``, ``name``, ``valid_from``, ``basis``, ``basis_note``,
        ``population``, ``population_year``, ``area_km2``, ``covered_km2``, ``covered_share``
        (0..1), ``covered_population`` and ``uncovered`` (GeoJSON geometry, WGS 84; None when
        all is covered).
    """
    store = ensure(store)
    as_of = _default_as_of(store, as_of)
    crs = store.measure_crs
    sites = store.read_layer("sites")
    sites = sites[(sites["site_type"] == site_type) & sites["status"].isin(statuses)]
    units = units_on(store, as_of, level)
    units = units.sort_values("code", kind="stable")
    graph, off = None, []
    if network and not sites.empty:
        graph = network_ind.road_graph(store.read_layer("roads"), crs=crs)
        snapped = network_ind.snap(graph, sites.geometry)
        off = [str(i) for i in sites.loc[snapped["edge"] < 0, "site_id"]]
    covered = reach(sites, within_m, crs=crs, network=network, graph=graph, access_m=access_m,
                    roads=store.read_layer("roads") if network and graph is None else None)
    res = coverage(units, covered, crs=crs)
    entries = []
    for (_, row), (_, cov) in zip(units.iterrows(), res.iterrows(), strict=True):
        entries.append({
            "code": str(row["code"]), "name": row["name"],
            "valid_from": json_clean(row["valid_from"]), "basis": cov["basis"],
            "basis_note": _basis_note(cov["basis"]),
            "population": json_clean(row.get("population")),
            "population_year": json_clean(row.get("population_year")),
            "area_km2": round(float(cov["area_m2"]) / 1e6, 6),
            "covered_km2": round(float(cov["covered_m2"]) / 1e6, 6),
            "covered_share": json_clean(round(float(cov["share"]), 6)),
            "covered_population": (None if cov["basis"] == "area"
                                   else round(float(cov["covered_population"]))),
            "uncovered": _geojson(cov["uncovered"]),
        })
    return {"site_type": site_type, "within_m": float(within_m), "network": bool(network),
            "access_m": float(access_m) if network else None, "statuses": list(statuses),
            "as_of": as_of, "level": level, "crs": crs,
            "facilities": [str(i) for i in sites["site_id"]], "off_network": off,
            "units": entries}


# ------------------------------------------------------------------------- road km by surface


def surface_lengths(roads: gpd.GeoDataFrame, units: gpd.GeoDataFrame, *,
                    crs: str) -> pd.DataFrame:
    """Length of road inside each unit by road class and surface.

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Road lines in any CRS, with ``road_class`` and ``surface`` (a list, or ``|``-separated
        text) where known.
    units : geopandas.GeoDataFrame
        Unit polygons in any CRS, indexed by code.
    crs : str
        A projected CRS in metres to measure in.

    Returns
    -------
    pandas.DataFrame
        One row per (unit, road class, surface) with road inside the unit: ``unit`` (the
        index label of ``units``), ``road_class``, ``surface`` (the feature's surfaces joined
        by ``|``, ``"unknown"`` where none is recorded), ``hard`` (every surface paved:
        :data:`~ntmgeo.indicators.roads.PAVED_SURFACES`) and ``length_m``.

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres.
    """
    roads_m = projected(roads, crs)
    areas = np.asarray(projected(units, crs).geometry.values, dtype=object)
    lines = np.asarray(roads_m.geometry.values, dtype=object)
    columns = ["unit", "road_class", "surface", "hard", "length_m"]
    if not len(lines) or not len(areas):
        return pd.DataFrame(columns=columns)
    surfaces = [sorted(set(parse_list(s))) for s in (roads_m["surface"] if "surface" in
                                                     roads_m.columns else [None] * len(roads_m))]
    classes = (roads_m["road_class"].astype(object).where(roads_m["road_class"].notna(), "")
               if "road_class" in roads_m.columns else pd.Series("", index=roads_m.index))
    unit_idx, road_idx = shapely.STRtree(lines).query(areas, predicate="intersects")
    length = shapely.length(shapely.intersection(lines[road_idx], areas[unit_idx]))
    rows = pd.DataFrame({
        "unit": units.index.to_numpy()[unit_idx],
        "road_class": [str(classes.iloc[r]) for r in road_idx],
        "surface": ["|".join(surfaces[r]) or "unknown" for r in road_idx],
        "hard": [bool(surfaces[r]) and set(surfaces[r]) <= PAVED_SURFACES for r in road_idx],
        "length_m": length})
    rows = rows[rows["length_m"] > 0]
    return (rows.groupby(["unit", "road_class", "surface", "hard"], sort=True, as_index=False)
            ["length_m"].sum()[columns])


def _km(km: float) -> dict[str, str]:
    """``km`` with 2 decimals in each language, no thousands separator (as plans write it)."""
    return {"vi": f"{km:.2f}".replace(".", ","), "en": f"{km:.2f}"}


def _surface_block(rows: pd.DataFrame, lang: str) -> dict[str, Any]:
    length = float(rows["length_m"].sum()) / 1000
    hard = float(rows.loc[rows["hard"].astype(bool), "length_m"].sum()) / 1000
    unknown = float(rows.loc[rows["surface"] == "unknown", "length_m"].sum()) / 1000
    by_surface = {s: round(float(v) / 1000, 6)
                  for s, v in rows.groupby("surface")["length_m"].sum().items()}
    text = both("hardened {hard}/{length} km", hard=_km(hard), length=_km(length))[lang]
    if unknown > 0:
        text += both(" ({unknown} km of unknown surface)", unknown=_km(unknown))[lang]
    return {"length_km": round(length, 6), "hard_km": round(hard, 6),
            "unknown_km": round(unknown, 6),
            "hard_share": round(hard / length, 6) if length > 0 else None,
            "by_surface": by_surface, "text": text}


def surface_document(store: StoreReader, *, as_of: str | None = None,
                     levels: tuple[str, ...] = ("district", "commune"), lang: str | None = None
                     ) -> dict[str, Any]:
    """Road km by class and surface, and the hardened share, in every unit valid on ``as_of``.

    Parameters
    ----------
    store : StoreReader
        The project store, or a snapshot of it (:class:`~ntmgeo.snapshot.Snapshot`).
    as_of : str, optional
        ISO date choosing the units; default the date ``ntmgeo status`` uses.
    levels : tuple of str, default ("district", "commune")
        The unit levels reported.
    lang : str, optional
        The language of the ``text`` of each block; default ``settings.lang``.

    Returns
    -------
    dict
        JSON-ready: ``as_of``, ``crs``, ``hard_surfaces`` (the surfaces counted as hard:
        asphalt concrete, chip seal, cement concrete) and ``units``: per unit ``code``,
        ``name``, ``level``, ``valid_from``, ``by_class`` (road class -> ``length_km``,
        ``hard_km``, ``unknown_km`` (no surface recorded: counted in the length, not as
        hard), ``hard_share``, ``by_surface`` (km), ``text`` such as
        ``"cứng hóa 24,66/38,39 km"``) and ``total`` (the same over every class).
    """
    lang = lang or settings.lang
    store = ensure(store)
    as_of = _default_as_of(store, as_of)
    crs = store.measure_crs
    units = units_on(store, as_of)
    units = units[units["level"].isin(levels)]
    order = {lvl: k for k, lvl in enumerate(levels)}
    units = units.assign(_o=units["level"].map(order)).sort_values(["_o", "code"],
                                                                    kind="stable")
    keyed = units.reset_index(drop=True)
    lengths = surface_lengths(store.read_layer("roads"), keyed, crs=crs)
    entries = []
    for k, row in keyed.iterrows():
        mine = lengths[lengths["unit"] == k]
        entries.append({
            "code": str(row["code"]), "name": row["name"], "level": row["level"],
            "valid_from": json_clean(row["valid_from"]),
            "by_class": {c: _surface_block(g, lang)
                         for c, g in mine.groupby("road_class", sort=True)},
            "total": _surface_block(mine, lang)})
    return {"as_of": as_of, "crs": crs, "hard_surfaces": sorted(PAVED_SURFACES),
            "units": entries}
