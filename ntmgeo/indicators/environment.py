"""Criterion 7 (environment) of the district set, computed from the ``green_areas`` layer.

* **7.5** (:func:`cluster_green_share`): green land inside each industrial cluster, as a share
  of the cluster's area; at least :data:`MIN_CLUSTER_GREEN_SHARE` (10%) in every cluster.
* **7.6** (:func:`public_green_per_person`): public green land at rural residential areas per
  inhabitant; at least 2 m² per person (the catalogue's threshold decides).

Areas are measured in square metres in the ``crs`` the caller names (the province's VN-2000
TM-3 zone); inputs in any CRS are reprojected first. Green polygons are **clipped** to the
cluster or unit and **united** before they are measured: a polygon half outside counts for its
inside half, and overlapping, duplicated or split polygons count once.

A population is never guessed: where a unit has no population figure, 7.6 says so and gives
no value.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..measure import projected

__all__ = ["MIN_CLUSTER_GREEN_SHARE", "NO_POPULATION", "cluster_green_share",
           "public_green_per_person"]

MIN_CLUSTER_GREEN_SHARE = 0.10
"""Least share of an industrial cluster's area under green land (320/QĐ-TTg, indicator 7.5:
"tối thiểu là 10% diện tích toàn khu")."""

NO_POPULATION = "no population figure with a source"
"""The text of 7.6 for a unit whose population is not known."""


def _green_within(areas: np.ndarray, green: np.ndarray) -> np.ndarray:
    """Area (m²) of the union of ``green`` inside each polygon of ``areas``."""
    out = np.zeros(len(areas))
    if not len(green) or not len(areas):
        return out
    area_idx, green_idx = shapely.STRtree(green).query(areas, predicate="intersects")
    for k in np.unique(area_idx):
        parts = shapely.intersection(green[green_idx[area_idx == k]], areas[k])
        out[k] = shapely.area(shapely.union_all(parts))
    return out


def _polygons(gdf: gpd.GeoDataFrame, crs: str) -> np.ndarray:
    geoms = np.asarray(projected(gdf, crs).geometry.values, dtype=object)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    out = np.full(len(geoms), None, dtype=object)
    out[polygonal] = shapely.make_valid(geoms[polygonal])
    return out


def _of_types(green: gpd.GeoDataFrame, types: tuple[str, ...] | None) -> gpd.GeoDataFrame:
    if types is None or "green_type" not in green.columns:
        return green
    return green[green["green_type"].isin(types).to_numpy(dtype=bool)]


def cluster_green_share(clusters: gpd.GeoDataFrame, green: gpd.GeoDataFrame, *, crs: str,
                        green_types: tuple[str, ...] | None = ("industrial_cluster",),
                        min_share: float = MIN_CLUSTER_GREEN_SHARE) -> pd.DataFrame:
    r"""Indicator 7.5: the share of each industrial cluster's area that is green land.

    .. math::

        \text{share} = \frac{\text{area}\left(\text{cluster} \cap
                        \bigcup \text{green}\right)}{\text{area}(\text{cluster})}

    Parameters
    ----------
    clusters : geopandas.GeoDataFrame
        Industrial clusters (their polygons), in any CRS; the index names them (the store
        wrapper uses the ``site_id``). A cluster drawn as a point has no area and no share.
    green : geopandas.GeoDataFrame
        Green polygons in any CRS.
    crs : str
        A projected CRS in metres to measure in.
    green_types : tuple of str or None, default ("industrial_cluster",)
        Where ``green`` has a ``green_type`` column, only these types count (None: all).
    min_share : float, default :data:`MIN_CLUSTER_GREEN_SHARE`
        The least share that meets the indicator (a fraction).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``clusters``: ``area_m2``, ``green_m2``, ``share`` (a fraction; NaN for a
        cluster without area) and ``met`` (None for a cluster without area).

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres.
    """
    areas = _polygons(clusters, crs)
    green_geoms = _polygons(_of_types(green, green_types), crs)
    green_geoms = green_geoms[~shapely.is_missing(green_geoms)]
    has_area = ~shapely.is_missing(areas)
    area = np.where(has_area, shapely.area(areas), np.nan)
    green_m2 = np.zeros(len(areas))
    green_m2[has_area] = _green_within(areas[has_area], green_geoms)
    ok = has_area & (area > 0)
    share = np.divide(green_m2, area, out=np.full(len(area), np.nan), where=ok)
    met = [bool(s >= min_share - 1e-12) if o else None for s, o in zip(share, ok, strict=True)]
    return pd.DataFrame({"area_m2": area, "green_m2": green_m2, "share": share,
                         "met": pd.Series(met, index=clusters.index, dtype=object)},
                        index=clusters.index)


def public_green_per_person(units: gpd.GeoDataFrame, green: gpd.GeoDataFrame, *, crs: str,
                            green_types: tuple[str, ...] | None = ("public",)) -> pd.DataFrame:
    r"""Indicator 7.6: public green land per inhabitant of each unit (m²/person).

    .. math::

        \text{value} = \frac{\text{area}\left(\text{unit} \cap
                        \bigcup \text{public green}\right)}{\text{population}}

    Only the unit's own ``population`` figure is used; where it is empty the value is None and
    the text says :data:`NO_POPULATION` (a population is never estimated here).

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Unit polygons in any CRS, indexed by code, with ``population`` (and, for the text,
        ``population_year``).
    green : geopandas.GeoDataFrame
        Green polygons in any CRS.
    crs : str
        A projected CRS in metres to measure in.
    green_types : tuple of str or None, default ("public",)
        Where ``green`` has a ``green_type`` column, only these types count (None: all).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``units``: ``green_m2``, ``population`` (NaN where unknown),
        ``per_person`` (m²/person; NaN where the population is unknown or zero) and ``text``.

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres.
    """
    areas = _polygons(units, crs)
    green_geoms = _polygons(_of_types(green, green_types), crs)
    green_geoms = green_geoms[~shapely.is_missing(green_geoms)]
    green_m2 = np.zeros(len(areas))
    present = ~shapely.is_missing(areas)
    green_m2[present] = _green_within(areas[present], green_geoms)
    pop = (pd.to_numeric(units["population"], errors="coerce") if "population" in units.columns
           else pd.Series(np.nan, index=units.index)).to_numpy(dtype=float)
    years = units["population_year"] if "population_year" in units.columns else [None] * len(pop)
    per = np.divide(green_m2, pop, out=np.full(len(pop), np.nan),
                    where=np.isfinite(pop) & (pop > 0))
    texts = [_per_person_text(g, p, y, v) for g, p, y, v in
             zip(green_m2, pop, years, per, strict=True)]
    return pd.DataFrame({"green_m2": green_m2, "population": pop, "per_person": per,
                         "text": texts}, index=units.index)


def _per_person_text(green_m2: float, pop: float, year: Any, per: float) -> str:
    if not np.isfinite(pop):
        return f"{green_m2:,.0f} m²; {NO_POPULATION}"
    if not np.isfinite(per):
        return f"{green_m2:,.0f} m²; population {pop:,.0f}"
    when = f" ({int(year)})" if year is not None and pd.notna(year) else ""
    return f"{green_m2:,.0f} m² / {pop:,.0f} people{when} = {per:.2f} m²/person"
