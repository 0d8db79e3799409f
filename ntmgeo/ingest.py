"""Bringing a file into a store: read, reproject, validate against the layer, write atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from . import chainage, io
from ._errors import InputError
from .layers import conform, load_schema
from .store import Store

__all__ = ["ImportResult", "beside_no_road", "import_file", "prepare"]


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
    profile: str | None = None,
) -> gpd.GeoDataFrame:
    """Read ``path`` and return its features conformed to ``layer``, in the storage CRS.

    ``profile`` conforms to the layer as a computation reading files needs it (e.g.
    ``"greening"``: only the fields it uses, only its identity required; see
    :meth:`~ntmgeo.layers.LayerSchema.profile`); by default, to the layer's full schema. A
    survey CSV of chainages (``dist_code, road_code, from, to, side``) is turned into lines
    along ``roads`` (cut in ``measure_crs``). Raises :class:`~ntmgeo._errors.InputError`
    (naming file, feature and field) on bad input; nothing is written.
    """
    schema = load_schema(layer)
    if profile is not None:
        schema = schema.profile(profile)
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


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote, and what the caller should tell the person who imported."""

    count: int
    """Features written."""
    beside_no_road: dict[str, Any] | None = None
    """Surveys only: the features that run beside no stored road (``count``, ``length_km`` of
    the lines, ``ids``), as :func:`ntmgeo.indicators.roads.tree_lined` judges it with its
    default tolerance; ``None`` for other layers, or when the store holds no road to check
    against (then ``roads_checked`` is False)."""
    roads_checked: bool = False


def beside_no_road(roads: gpd.GeoDataFrame, surveys: gpd.GeoDataFrame, *, crs: str
                   ) -> dict[str, Any]:
    """The surveys that run beside none of ``roads`` (of any class), measured in ``crs``:
    ``count``, ``length_km``, ``ids``. Nothing is refused for that: a survey may be along a
    road not drawn yet; the person importing should hear of it (a GPX recorded in the wrong
    district, a file in the wrong CRS).
    """
    from .indicators import roads as roads_ind

    return roads_ind.tree_lined(roads, surveys, crs=crs)["unmatched"]


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
) -> ImportResult:
    """Validate ``path`` against ``layer`` and append (or replace) its features in ``store``.

    All or nothing: when any feature is bad, nothing is stored. Surveys are checked against the
    stored roads (:func:`beside_no_road`); the result says which run beside none.
    """
    is_surveys = layer == "surveys"
    needs_roads = is_surveys and chainage.is_chainage_table(path)
    roads = store.read_layer("roads") if is_surveys else None
    features = prepare(layer, path, crs=crs, file_layer=file_layer, defaults=defaults,
                       roads=roads if needs_roads else None, measure_crs=store.measure_crs,
                       encoding=encoding, swap_xy=swap_xy)
    lost = None
    if roads is not None and len(roads):
        lost = beside_no_road(roads, features, crs=store.measure_crs)
    count = store.write_features(layer, features, replace=replace, source=Path(path).name,
                                 user=user)
    return ImportResult(count, lost, roads_checked=lost is not None)
