"""Bringing a file into a store: read, reproject, validate against the layer, write atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import geopandas as gpd

from . import chainage, io
from ._errors import InputError
from .layers import conform, load_schema
from .store import Store

__all__ = ["import_file", "prepare"]


def prepare(
    layer: str,
    path: str | os.PathLike[str],
    *,
    crs: str | None = None,
    file_layer: str | None = None,
    defaults: dict[str, Any] | None = None,
    roads: gpd.GeoDataFrame | None = None,
    measure_crs: str | None = None,
    encoding: str | None = None,
    swap_xy: bool = False,
    max_bytes: int | None | bool = True,
) -> gpd.GeoDataFrame:
    """Read ``path`` and return its features conformed to ``layer``, in the storage CRS.

    A survey CSV of chainages (``dist_code, road_code, from, to, side``) is turned into lines
    along ``roads`` (cut in ``measure_crs``). Raises :class:`~ntmgeo._errors.InputError`
    (naming file, feature and field) on bad input; nothing is written.
    """
    schema = load_schema(layer)
    path = Path(path)
    if layer == "surveys" and chainage.is_chainage_table(path):
        if roads is None or measure_crs is None:
            raise InputError("a chainage table needs the roads it refers to", path=str(path))
        table = chainage.read_chainage_table(path)
        raw = chainage.surveys_from_chainage(table, roads, crs=measure_crs, source=str(path))
    else:
        raw = io.read_features(path, layer=file_layer, crs=crs, encoding=encoding,
                               swap_xy=swap_xy, max_bytes=max_bytes)
    stored = io.to_storage_crs(raw, path=str(path))
    base = {"source_file": path.name} if "source_file" in schema.field_names else {}
    return conform(stored, schema, source=str(path), defaults={**base, **(defaults or {})})


def import_file(
    store: Store,
    layer: str,
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    crs: str | None = None,
    file_layer: str | None = None,
    defaults: dict[str, Any] | None = None,
    user: str = "",
    encoding: str | None = None,
    swap_xy: bool = False,
) -> int:
    """Validate ``path`` against ``layer`` and append (or replace) its features in ``store``.

    All or nothing: when any feature is bad, nothing is stored. Returns the number of
    features written.
    """
    needs_roads = layer == "surveys" and chainage.is_chainage_table(path)
    roads = store.read_layer("roads") if needs_roads else None
    features = prepare(layer, path, crs=crs, file_layer=file_layer, defaults=defaults,
                       roads=roads, measure_crs=store.measure_crs, encoding=encoding,
                       swap_xy=swap_xy)
    return store.write_features(layer, features, replace=replace, source=Path(path).name,
                                user=user)
