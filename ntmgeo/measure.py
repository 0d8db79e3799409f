"""Geometry measures in metres, always in a projected CRS (a VN-2000 TM-3 zone), never degrees."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from pyproj import CRS

__all__ = ["areas_m2", "lengths_m", "projected"]


def projected(gdf: gpd.GeoDataFrame | gpd.GeoSeries, crs: str) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """Return ``gdf`` in ``crs``, which must be a projected CRS in metres."""
    target = CRS.from_user_input(crs)
    if not target.is_projected or target.axis_info[0].unit_name not in ("metre", "meter"):
        msg = f"{crs} is not a projected CRS in metres: lengths and areas cannot be measured in it"
        raise ValueError(msg)
    if gdf.crs is None:
        raise ValueError("geometry has no CRS")
    return gdf if gdf.crs.equals(target) else gdf.to_crs(target)


def lengths_m(gdf: gpd.GeoDataFrame | gpd.GeoSeries, *, crs: str) -> pd.Series:
    """Length of each feature in metres, measured in ``crs``."""
    return projected(gdf, crs).length


def areas_m2(gdf: gpd.GeoDataFrame | gpd.GeoSeries, *, crs: str) -> pd.Series:
    """Area of each feature in square metres, measured in ``crs``."""
    return projected(gdf, crs).area
