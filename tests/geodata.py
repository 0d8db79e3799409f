"""Helpers shared by the tests: small geometry with known answers, and store digests."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString

# A point near Đam Rông (Lâm Đồng), lon/lat.
LON, LAT = 108.10, 12.10


def store_fingerprint(path: Path) -> str:
    """A digest of every row of every table: equal digests mean an unchanged store."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        digest = hashlib.sha256()
        for table in tables:
            digest.update(table.encode())
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        con.close()


def road_feature(code: str = "ĐH42", dist: str = "674", coords=None, **props):
    coords = coords or [(LON, LAT), (LON + 0.01, LAT + 0.005)]
    return {"type": "Feature",
            "properties": {"dist_code": dist, "road_code": code, "road_class": "ĐH", **props},
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}


def write_geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def roads_gdf(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    line = LineString([(LON, LAT), (LON + 0.01, LAT + 0.005)])
    return gpd.GeoDataFrame({"dist_code": ["674"], "road_code": ["ĐH42"], "road_class": ["ĐH"],
                             "name": ["Đường Đạ K'Nàng"]}, geometry=[line], crs="EPSG:4326"
                            ).to_crs(crs)
