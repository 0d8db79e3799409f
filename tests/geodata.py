"""Helpers shared by the tests: small geometry with known answers, store digests, and a store
that counts its reads.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString

from ntmgeo.store import Store

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


class CountingStore(Store):
    """A store that passes everything to ``inner`` and counts the reads: ``layers`` (layer
    name -> ``read_layer`` calls) and ``records`` (table -> ``read_records`` calls).
    """

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.path = getattr(inner, "path", None)
        self.layers: Counter[str] = Counter()
        self.records: Counter[str] = Counter()

    def reset(self) -> None:
        self.layers.clear()
        self.records.clear()

    def layer_names(self) -> list[str]:
        return self.inner.layer_names()

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        self.layers[name] += 1
        return self.inner.read_layer(name)

    def write_features(self, name: str, gdf: gpd.GeoDataFrame, *, replace: bool = False,
                       source: str = "", user: str = "") -> int:
        return self.inner.write_features(name, gdf, replace=replace, source=source, user=user)

    def read_records(self, table: str) -> pd.DataFrame:
        self.records[table] += 1
        return self.inner.read_records(table)

    def add_records(self, table: str, rows: list[dict[str, Any]]) -> int:
        return self.inner.add_records(table, rows)

    def meta(self) -> dict[str, str]:
        return self.inner.meta()

    def version(self) -> str:
        return self.inner.version()

    def counts(self) -> dict[str, int]:
        return self.inner.counts()
