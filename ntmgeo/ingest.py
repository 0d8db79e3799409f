"""Bringing a file into a store: read, reproject, validate against the layer, write atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import geopandas as gpd

from . import io
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
) -> gpd.GeoDataFrame:
    """Read ``path`` and return its features conformed to ``layer``, in the storage CRS.

    Raises :class:`~ntmgeo._errors.InputError` (naming file, feature and field) on bad input;
    nothing is written.
    """
    schema = load_schema(layer)
    path = Path(path)
    raw = io.read_features(path, layer=file_layer, crs=crs)
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
) -> int:
    """Validate ``path`` against ``layer`` and append (or replace) its features in ``store``.

    All or nothing: when any feature is bad, nothing is stored. Returns the number of
    features written.
    """
    features = prepare(layer, path, crs=crs, file_layer=file_layer, defaults=defaults)
    return store.write_features(layer, features, replace=replace, source=Path(path).name,
                                user=user)
