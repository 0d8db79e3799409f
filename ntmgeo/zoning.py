"""Which VN-2000 TM-3 zone measures which feature, in a store whose units span zones.

Before the 2025 reform a province lay in one zone (``data/vn2000_zones.csv``) and a store
measured everything in its province's zone. The provinces merged on 1/7/2025 can span two:
today's Lâm Đồng is the old Lâm Đồng (107°45′, EPSG:5899) and the old Đắk Nông and Bình
Thuận (108°30′, EPSG:9218). ntmgeo measures each feature in the zone of the place it lies in.

The rule
--------
* **The zone of a unit** is the zone of the pre-2025 province it lies in: its ``zone_prov``
  (administrative units, from 1/7/2025: the province code before the reform, which the
  samples take from the package ``vietnamadminunits``), else its ``prov_code`` (before the
  reform that is the province it lay in). A new code is never guessed into a zone.
* **The zones of a store** are the union, zone by zone, of its commune-level units (communes
  and towns) still valid (no ``valid_to``). When they all lie in one zone — every store of a
  pre-2025 province — that zone is the store's measuring CRS and nothing below applies.
* **A feature** is measured in the zone holding the larger part of it: of its length for a
  line, of its area for a polygon, of its points for a point. A feature in no zone's area
  (outside every unit) is measured in the store's measuring CRS.
* **A road** (the features sharing ``dist_code`` and ``road_code``) is measured whole in the
  zone holding the larger part of its length, so that its chainage runs in one zone and its
  length is the same in indicators 2.1, 2.2 and 2.3. A road crossing the zone line is
  therefore measured in one zone; the scale factors of two neighbouring zones differ by
  under 1 in 10,000 (under 10 m in 100 km), well inside what the field data resolve.

Ties (exactly half in each zone) go to the zone with the lower EPSG code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._errors import CriterionDataMissing
from .crs import zone_for_province
from .measure import projected

__all__ = ["Zoning", "as_zoning", "of_units", "road_lines", "single", "unit_zones"]


@dataclass(frozen=True)
class Zoning:
    """The zones a store's features are measured in.

    ``default`` is the store's measuring CRS (``"EPSG:NNNN"``); ``regions`` maps each zone's
    CRS to the area it measures (in ``default``), empty where the store lies in one zone.
    """

    default: str
    regions: dict[str, Any] = field(default_factory=dict)

    @property
    def crs_list(self) -> list[str]:
        """The zones, ``default`` alone for a store in one zone."""
        return sorted(self.regions, key=_epsg) if self.regions else [self.default]

    @property
    def is_single(self) -> bool:
        """Whether every feature is measured in ``default``."""
        return len(self.regions) < 2

    def assign(self, gdf: gpd.GeoDataFrame | gpd.GeoSeries,
               groups: np.ndarray | None = None) -> np.ndarray:
        """The zone (``"EPSG:NNNN"``) each feature of ``gdf`` is measured in.

        ``groups`` (one integer per feature, e.g. the road number) makes the features of a
        group one: the group goes to the zone holding the larger part of all of them.
        """
        n = len(gdf)
        out = np.full(n, self.default, dtype=object)
        if self.is_single or not n:
            return out
        zones = self.crs_list
        geoms = np.asarray(projected(gdf.geometry if isinstance(gdf, gpd.GeoDataFrame)
                                     else gdf, self.default).values, dtype=object)
        weight = np.zeros((n, len(zones)))
        full = _size(geoms)
        for j, crs in enumerate(zones):
            region = self.regions[crs]
            inside = shapely.contains_properly(region, geoms)
            weight[inside, j] = full[inside]
            cross = ~inside & shapely.intersects(region, geoms)
            if cross.any():
                weight[cross, j] = _size(shapely.intersection(geoms[cross], region))
        if groups is not None:
            groups = np.asarray(groups, dtype=np.int64)
            summed = np.zeros((int(groups.max()) + 1 if n else 0, len(zones)))
            np.add.at(summed, groups, weight)
            weight = summed[groups]
        best = np.argmax(weight, axis=1)
        found = weight.max(axis=1) > 0
        out[found] = np.asarray(zones, dtype=object)[best[found]]
        return out

    def parts(self, gdf: gpd.GeoDataFrame, groups: np.ndarray | None = None
              ) -> list[tuple[str, gpd.GeoDataFrame]]:
        """``gdf`` split by zone, each part projected into its zone (zones with no feature
        left out; one part, the whole of ``gdf`` projected, where the store is in one zone).
        """
        if self.is_single:
            return [(self.default, projected(gdf, self.default))]
        zone = self.assign(gdf, groups)
        return [(crs, projected(gdf[zone == crs], crs)) for crs in self.crs_list
                if (zone == crs).any()]

    def lengths_m(self, gdf: gpd.GeoDataFrame | gpd.GeoSeries,
                  groups: np.ndarray | None = None) -> np.ndarray:
        """Each feature's length in metres, in its zone (:meth:`assign`)."""
        return self._measure(gdf, groups, shapely.length)

    def areas_m2(self, gdf: gpd.GeoDataFrame | gpd.GeoSeries,
                 groups: np.ndarray | None = None) -> np.ndarray:
        """Each feature's area in square metres, in its zone (:meth:`assign`)."""
        return self._measure(gdf, groups, shapely.area)

    def _measure(self, gdf: Any, groups: np.ndarray | None, how: Any) -> np.ndarray:
        geo = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
        out = np.zeros(len(geo))
        zone = self.assign(geo, groups)
        for crs in self.crs_list:
            mask = zone == crs
            if mask.any():
                part = projected(geo[mask], crs)
                out[mask] = np.nan_to_num(how(np.asarray(part.values, dtype=object)))
        return out


def single(crs: str) -> Zoning:
    """A zoning measuring everything in ``crs``."""
    return Zoning(crs)


def as_zoning(crs: str | Zoning) -> Zoning:
    """``crs`` itself if a :class:`Zoning`, else one measuring everything in ``crs``."""
    return crs if isinstance(crs, Zoning) else Zoning(str(crs))


def road_lines(roads: gpd.GeoDataFrame, zones: str | Zoning
               ) -> list[tuple[str, gpd.GeoDataFrame]]:
    """The roads' lines (:func:`ntmgeo.linref.road_lines`), each road in its zone, as
    ``[(crs, lines in crs)]``: a road's chainage runs in the zone it is measured in.
    """
    from .linref import road_identity
    from .linref import road_lines as lines_of

    z = as_zoning(zones)
    if z.is_single or not len(roads):
        return [(z.default, lines_of(roads, crs=z.default))]
    number = road_identity(roads)[0]
    return [(crs, lines_of(part, crs=crs)) for crs, part in z.parts(roads, groups=number)]


def unit_zones(units: pd.DataFrame) -> pd.Series:
    """The zone (``"EPSG:NNNN"``) of each unit: of its ``zone_prov``, else its ``prov_code``;
    ``None`` where it has neither or the code is not in the zone table.
    """
    codes = pd.Series(None, index=units.index, dtype=object)
    for column in ("prov_code", "zone_prov"):  # zone_prov, where given, wins
        if column in units.columns:
            given = units[column].notna() & (units[column].astype(str).str.strip() != "")
            codes[given] = units.loc[given, column].astype(str).str.strip()
    table: dict[str, str | None] = {}
    for code in set(codes.dropna()):
        try:
            table[code] = zone_for_province(code).crs
        except CriterionDataMissing:  # a code not in the table: that unit tells no zone
            table[code] = None
    return codes.map(table)


def of_units(units: gpd.GeoDataFrame, default: str) -> Zoning:
    """The zoning of a store from its administrative units (the module's rule) and its
    measuring CRS ``default``.
    """
    if not len(units) or "level" not in units.columns:
        return single(default)
    keep = units["level"].isin(["commune", "town"])
    if "valid_to" in units.columns:
        keep &= units["valid_to"].isna() | (units["valid_to"].astype(str).str.strip() == "")
    current = units[keep]
    zone = unit_zones(current)
    named = zone.notna() & current.geometry.notna()
    if zone[named].nunique() < 2:
        return single(default)
    geoms = projected(current.geometry[named], default)
    regions: dict[str, Any] = {}
    for crs, part in geoms.groupby(zone[named]):
        region = shapely.union_all(np.asarray(part.values, dtype=object))
        shapely.prepare(region)
        regions[str(crs)] = region
    return Zoning(default, regions)


def _size(geoms: np.ndarray) -> np.ndarray:
    """A feature's length (lines), area (polygons) or number of points (points)."""
    dim = shapely.get_dimensions(geoms)
    size = np.zeros(len(geoms))
    lines, polys, points = dim == 1, dim == 2, dim == 0
    size[lines] = shapely.length(geoms[lines])
    size[polys] = shapely.area(geoms[polys])
    size[points] = shapely.get_num_geometries(geoms[points])
    empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
    size[empty] = 0.0
    return np.nan_to_num(size)


def _epsg(crs: str) -> int:
    return int(str(crs).rsplit(":", 1)[-1])
