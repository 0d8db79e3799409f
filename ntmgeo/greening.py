"""Indicator 2.3 from a store or from files: gathers the inputs, calls the pure computation
(:func:`ntmgeo.indicators.roads.tree_lined`) and returns its one JSON-ready document.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from . import ingest
from .crs import measure_crs_for_data
from .snapshot import ensure
from .store import StoreReader
from .zoning import Zoning

__all__ = ["district_roads", "from_files", "from_frames", "from_store"]


def district_roads(roads: gpd.GeoDataFrame, *, dist_code: str | None = None,
                   unclassified: bool = False) -> gpd.GeoDataFrame:
    """The district roads (road class ĐH) of a roads layer, of one district if given.

    ``unclassified``: roads with no class count as district roads too (a planner's own roads
    file often carries only the codes of the district roads it lists).
    """
    cls = roads["road_class"] if "road_class" in roads.columns else pd.Series(None,
                                                                            index=roads.index)
    keep = cls == "ĐH"
    if unclassified:
        keep |= cls.isna()
    if dist_code is not None:
        keep &= roads["dist_code"].astype(str).str.strip() == str(dist_code).strip()
    return roads[keep]


def from_frames(roads: gpd.GeoDataFrame, surveys: gpd.GeoDataFrame, *, crs: str | Zoning,
                dist_code: str | None = None, unclassified: bool = False,
                **options: Any) -> dict[str, Any]:
    """Greening of the district roads in ``roads`` (of one district if ``dist_code``) from
    ``surveys``, measured in ``crs`` (a CRS, or a store's zones: :mod:`ntmgeo.zoning`;
    ``unclassified``: see :func:`district_roads`).
    """
    from .indicators import roads as roads_ind

    return roads_ind.tree_lined(district_roads(roads, dist_code=dist_code,
                                               unclassified=unclassified),
                                surveys, crs=crs, **options)


def from_store(store: StoreReader, *, as_of: str | None = None, dist_code: str | None = None,
               **options: Any) -> dict[str, Any]:
    """Greening from a store's roads (of one district if ``dist_code``) and surveys (those
    dated on or before ``as_of``). ``store`` may be a :class:`~ntmgeo.snapshot.Snapshot`.
    """
    store = ensure(store)
    roads = store.read_layer("roads")
    surveys = store.read_layer("surveys")
    if as_of is not None:
        surveys = surveys[surveys["survey_date"].astype(str) <= as_of]
    return from_frames(roads, surveys, crs=store.zoning, dist_code=dist_code, **options)


def from_files(roads_file: Any, survey_files: list[Any], *, crs: str | None = None,
               date: str | None = None, dist_code: str | None = None,
               roads_layer: str | None = None, survey_layer: str | None = None,
               **options: Any) -> dict[str, Any]:
    """Greening from files alone (no store): a roads file and one or more survey files.

    The files need only what greening uses (the layers' ``greening`` profile,
    ``layers/*.yml``): a road its geometry and identity (``dist_code`` and ``road_code``, by
    name or alias), a survey its geometry; side, date and surveyor are used where present, other
    columns are ignored. ``dist_code`` names the district: roads whose file gives none are
    taken as its roads, and only its roads are assessed. Roads with a class count only when it
    is ĐH; roads without one count (the file lists the roads to assess). ``date`` fills the
    survey date of features that carry none. The measuring CRS is ``crs``, else the roads'
    province zone, else the VN-2000 TM-3 zone nearest the data (``measure_crs_for_data``).
    The files are the planner's own, read locally: no size limit (a national GeoPackage is
    hundreds of MB); ``roads_layer``/``survey_layer`` name layers inside multi-layer files.
    """
    road_defaults = {"dist_code": str(dist_code).strip()} if dist_code else None
    roads = ingest.prepare("roads", roads_file, file_layer=roads_layer, max_bytes=None,
                           profile="greening", defaults=road_defaults)
    measure = crs or measure_crs_for_data(roads)
    defaults = {"survey_date": date} if date else None
    frames = [ingest.prepare("surveys", f, defaults=defaults, roads=roads, measure_crs=measure,
                             file_layer=survey_layer, max_bytes=None, profile="greening")
              for f in survey_files]
    surveys = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    return from_frames(roads, surveys, crs=measure, dist_code=dist_code, unclassified=True,
                       **options)
