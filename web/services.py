"""What the web layer asks of the library, shaped for the map: no Flask in here.

The views and the API call these functions and only turn their results into responses
(pygeoapi's split: a thin web adapter over a framework-free core). Indicators are never
computed here: the status and greening documents come from :mod:`ntmgeo.status` and
:mod:`ntmgeo.greening` unchanged. What this module adds is display work: GeoJSON in WGS 84,
filtering by bounding box, date and attribute, simplification for display in metres (in the
store's measuring CRS), the stretches and gaps as lines (from
:func:`ntmgeo.derived.greening_lines`, the one place that builds them), and a small cache.

The service reads the store through one :class:`~ntmgeo.snapshot.Snapshot` per store version
(:meth:`ntmgeo.store.Store.version`): every document and map layer of a version reads each
layer at most once, and the cache is kept by that version. A write (an upload, ``ntmgeo
import`` in another process) changes the version: the next request takes a new snapshot and
the cache is emptied.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiLineString, box, mapping

from ntmgeo import criteria as criteria_mod
from ntmgeo import derived
from ntmgeo import greening as greening_mod
from ntmgeo import i18n as core_i18n
from ntmgeo import status as status_mod
from ntmgeo import units as units_mod
from ntmgeo._errors import CriterionDataMissing
from ntmgeo.layers import load_schema
from ntmgeo.linref import chainage_label, road_lines
from ntmgeo.snapshot import Snapshot
from ntmgeo.store import Store
from ntmgeo.values import json_clean

__all__ = ["DataService", "NotFound", "ParamError", "parse_bbox", "parse_date", "parse_limit",
           "parse_simplify"]

COORD_DECIMALS = 6  # about 0.1 m: finer than any survey, coarser than float noise
MAX_SIMPLIFY_M = 5000.0


class ParamError(ValueError):
    """A request parameter is malformed (the API answers 400)."""


class NotFound(LookupError):
    """The thing asked for does not exist (the API answers 404)."""


# ------------------------------------------------------------------------------ parameters
def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``minx,miny,maxx,maxy`` in WGS 84 degrees, or None when not given."""
    if text is None or text == "":
        return None
    parts = text.split(",")
    if len(parts) != 4:
        raise ParamError("bbox must be minx,miny,maxx,maxy (four numbers)")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise ParamError("bbox must be minx,miny,maxx,maxy (four numbers)") from None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise ParamError("bbox values must be finite numbers")
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ParamError("bbox must have minx <= maxx within -180..180 and miny <= maxy "
                         "within -90..90 (WGS 84 degrees)")
    return minx, miny, maxx, maxy


def parse_limit(text: str | None, maximum: int) -> int | None:
    """A positive number of features, capped to ``maximum``; None when not given."""
    if text is None or text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        raise ParamError("limit must be a whole number") from None
    if value < 1:
        raise ParamError("limit must be at least 1")
    return min(value, maximum)


def parse_simplify(text: str | None) -> float | None:
    """A simplification tolerance in metres (0..5000); None when not given."""
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ParamError("simplify must be a number of metres") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_SIMPLIFY_M:
        raise ParamError(f"simplify must be between 0 and {MAX_SIMPLIFY_M:.0f} metres")
    return value or None


def parse_date(text: str | None, name: str = "as_of") -> str | None:
    """An ISO date (YYYY-MM-DD); None when not given."""
    if text is None or text == "":
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ParamError(f"{name} must be a date (YYYY-MM-DD)") from None


def _round_geoms(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda c: np.round(c, COORD_DECIMALS))


def feature_collection(gdf: gpd.GeoDataFrame, fields: list[str], *,
                       matched: int | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (WGS 84) of ``gdf`` with ``fields`` as properties."""
    geoms = _round_geoms(np.asarray(gdf.geometry.values, dtype=object))
    records = gdf[fields].to_dict("records") if fields else [{}] * len(gdf)
    features = []
    for fid, geom, props in zip(gdf.index, geoms, records, strict=True):
        features.append({
            "type": "Feature", "id": json_clean(fid),
            "geometry": None if geom is None or geom.is_empty else mapping(geom),
            "properties": {k: json_clean(v) for k, v in props.items()},
        })
    return {"type": "FeatureCollection", "features": features,
            "numberMatched": len(gdf) if matched is None else matched,
            "numberReturned": len(features)}


# ------------------------------------------------------------------------------ geometry
def simplify_for_display(gdf: gpd.GeoDataFrame, tolerance_m: float,
                         measure_crs: str) -> gpd.GeoDataFrame:
    """``gdf`` simplified by ``tolerance_m`` metres, measured in ``measure_crs``.

    Polygons that tile (a coverage: the communes of one date) are simplified together so
    that neighbours keep a shared edge; other geometry one by one, keeping its topology.
    """
    if gdf.empty:
        return gdf
    projected = gdf.geometry.to_crs(measure_crs)
    geoms = np.asarray(projected.values, dtype=object)
    polygonal = np.array([g is not None and g.geom_type in ("Polygon", "MultiPolygon")
                          for g in geoms])
    out = geoms.copy()
    if polygonal.all() and len(geoms) > 1 and _is_coverage(geoms):
        out = shapely.coverage_simplify(geoms, tolerance_m)
    else:
        mask = np.array([g is not None and g.geom_type != "Point" for g in geoms])
        if mask.any():
            out[mask] = shapely.simplify(geoms[mask], tolerance_m, preserve_topology=True)
    simplified = gpd.GeoSeries(out, index=gdf.index, crs=measure_crs).to_crs(gdf.crs)
    return gdf.set_geometry(simplified)


def _is_coverage(geoms: np.ndarray) -> bool:
    try:
        return bool(shapely.coverage_is_valid(geoms))
    except shapely.errors.GEOSException:
        return False


def _road_summary(road: dict[str, Any]) -> dict[str, Any]:
    """A road of the greening document without its survey ids (for the map)."""
    keep = ("from_m", "to_m", "label", "length_m")
    return {"dist_code": road.get("dist_code"), "road_code": road.get("road_code"),
            "length_km": road.get("length_km"), "greened_km": road.get("greened_km"),
            "ratio": road.get("ratio"),
            "stretches": [{k: s.get(k) for k in keep if k in s} | {"label": s.get("label") or (
                chainage_label(s.get("from_m"), s.get("to_m")))}
                for s in road.get("stretches") or []],
            "gaps": [{k: g.get(k) for k in keep if k in g} | {"label": g.get("label") or (
                chainage_label(g.get("from_m"), g.get("to_m")))}
                for g in road.get("gaps") or []]}


# ------------------------------------------------------------------------------ the service
class _Cache:
    """A small least-recently-used cache, emptied when the store's version changes.

    Concurrent requests for the same missing entry wait for one computation (the map page
    asks for several documents at once, and they share the greening computation).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._version: Any = None
        self._lock = threading.Lock()
        self._making: dict[Any, threading.Lock] = {}

    def get(self, version: Any, key: Any, make: Callable[[], Any]) -> Any:
        if self.size <= 0 or version is None:
            return make()
        with self._lock:
            if version != self._version:
                self._data.clear()
                self._version = version
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            making = self._making.setdefault((version, key), threading.Lock())
        with making:
            with self._lock:
                if version == self._version and key in self._data:
                    return self._data[key]
            try:
                value = make()
            finally:
                with self._lock:
                    self._making.pop((version, key), None)
            with self._lock:
                if version == self._version:
                    self._data[key] = value
                    while len(self._data) > self.size:
                        self._data.popitem(last=False)
        return value


class DataService:
    """The store as the web map needs it."""

    def __init__(self, store: Store, *, greening_options: dict[str, Any] | None = None,
                 cache_entries: int = 64, district_code: str = "") -> None:
        self.store = store
        self.greening_options = dict(greening_options or {})
        self.district_code = district_code or None
        self._cache = _Cache(cache_entries)
        self._snapshot: Snapshot | None = None
        self._snapshot_lock = threading.Lock()

    # -------------------------------------------------------------- bookkeeping
    def version(self) -> str:
        """The store's version (:meth:`ntmgeo.store.Store.version`): changes with every write."""
        return self.store.version()

    def snapshot(self) -> Snapshot:
        """The snapshot of the store's current version: the same one until the store changes,
        then a new one (and the documents cached for the old version are dropped when the
        next one is asked for). The version is read under the lock, so that a request that
        read it early never replaces a newer snapshot with an older one.
        """
        with self._snapshot_lock:
            version = self.version()
            snap = self._snapshot
            if snap is None or snap.version() != version:
                snap = self._snapshot = Snapshot(self.store, version=version)
        return snap

    def _cached(self, key: Any, make: Callable[[Snapshot], Any]) -> Any:
        """``make(snapshot)`` for the current snapshot, cached by its version."""
        return self._cached_in(self.snapshot(), key, make)

    def _cached_in(self, snap: Snapshot, key: Any, make: Callable[[Snapshot], Any]) -> Any:
        return self._cache.get(snap.version(), key, lambda: make(snap))

    def layer_names(self) -> list[str]:
        """Layers the store holds."""
        return self.snapshot().layer_names()

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """All features of a layer, as the current snapshot holds it."""
        return _layer(self.snapshot(), name)

    # -------------------------------------------------------------- layers as GeoJSON
    def layer_geojson(self, name: str, *, bbox: tuple[float, ...] | None = None,
                      limit: int | None = None, simplify_m: float | None = None,
                      as_of: str | None = None,
                      filters: dict[str, str] | None = None) -> dict[str, Any]:
        """A layer's features as GeoJSON in WGS 84, filtered, limited and simplified."""
        key = ("geojson", name, bbox, limit, simplify_m, as_of,
               tuple(sorted((filters or {}).items())))
        return self._cached(key, lambda snap: self._layer_geojson(
            snap, name, bbox=bbox, limit=limit, simplify_m=simplify_m, as_of=as_of,
            filters=filters or {}))

    def _layer_geojson(self, snap: Snapshot, name: str, *, bbox: tuple[float, ...] | None,
                       limit: int | None, simplify_m: float | None, as_of: str | None,
                       filters: dict[str, str]) -> dict[str, Any]:
        gdf = _layer(snap, name)
        schema = load_schema(name)
        for field_name, wanted in filters.items():
            gdf = gdf[_field_mask(gdf, schema, field_name, wanted)]
        if as_of is not None:
            gdf = _on_date(name, gdf, as_of)
        if bbox is not None and not gdf.empty:
            hits = gdf.sindex.query(box(*bbox), predicate="intersects")
            gdf = gdf.iloc[np.sort(hits)]
        matched = len(gdf)
        if limit is not None:
            gdf = gdf.iloc[:limit]
        gdf = gdf[~gdf.geometry.isna()]
        if simplify_m:
            gdf = simplify_for_display(gdf, simplify_m, snap.measure_crs)
        return feature_collection(gdf, schema.field_names, matched=matched)

    # -------------------------------------------------------------- documents
    def status(self, *, level: str = "district", as_of: str | None = None,
               unit: str | None = None) -> dict[str, Any]:
        """The status document, as ``ntmgeo status --json`` prints it."""
        if level not in ("district", "commune"):
            raise ParamError("level must be 'district' or 'commune'")
        unit = unit or (self.district_code if level == "district" else None)
        key = ("status", level, as_of, unit)
        return self._cached(key, lambda snap: json_clean(
            status_mod.from_store(snap, level=level, unit=unit, as_of=as_of)))

    def default_as_of(self) -> str:
        """The date the status shows when none is asked for: the latest date with data, or the
        last day a district existed (``ntmgeo.status.default_as_of``).
        """
        return self._cached(("default_as_of",), lambda snap: status_mod.default_as_of(
            snap, "district"))

    def greening(self, *, as_of: str | None = None) -> dict[str, Any]:
        """The greening document of indicator 2.3, as ``ntmgeo greening --json`` prints it."""
        return self._greening(self.snapshot(), as_of)

    def _greening(self, snap: Snapshot, as_of: str | None) -> dict[str, Any]:
        return self._cached_in(snap, ("greening", as_of), lambda s: json_clean(
            greening_mod.from_store(s, as_of=as_of, **self.greening_options)))

    def greening_geojson(self, *, as_of: str | None = None,
                         simplify_m: float | None = None) -> dict[str, Any]:
        """Tree-lined stretches and gaps of the district roads as GeoJSON lines (WGS 84)."""
        key = ("greening_geojson", as_of, simplify_m)
        return self._cached(key, lambda snap: self._greening_geojson(snap, as_of, simplify_m))

    def _greening_geojson(self, snap: Snapshot, as_of: str | None,
                          simplify_m: float | None) -> dict[str, Any]:
        doc = self._greening(snap, as_of)
        roads = greening_mod.district_roads(_layer(snap, "roads"))
        measure = snap.measure_crs
        summaries = [_road_summary(road) for road in doc.get("roads", [])]
        rows, geoms = [], []
        if len(roads):
            parts = derived.greening_lines(doc, road_lines(roads[roads.geometry.notna()],
                                                           crs=measure))
            for (kind, dist, code), group in parts.groupby(["kind", "dist_code", "road_code"],
                                                           sort=False):
                pieces = [p for g in group.geometry for p in shapely.get_parts(g)
                          if not p.is_empty]
                if not pieces:
                    continue
                rows.append({"kind": kind, "dist_code": dist, "road_code": code,
                             "count": len(group),
                             "length_km": round(float((group["to_m"].astype(float)
                                                       - group["from_m"].astype(float)).sum())
                                                / 1000, 3)})
                geoms.append(MultiLineString(pieces))
        fields = ["kind", "dist_code", "road_code", "count", "length_km"]
        gdf = gpd.GeoDataFrame(pd.DataFrame(rows, columns=fields), geometry=geoms, crs=measure)
        if simplify_m and not gdf.empty:
            gdf = gdf.set_geometry(gdf.geometry.simplify(simplify_m, preserve_topology=False))
        out = feature_collection(gdf.to_crs("EPSG:4326"), fields)
        unmatched = doc.get("unmatched")
        out.update(roads=summaries, total=doc.get("total"), unmatched={
            "count": unmatched.get("count") if isinstance(unmatched, dict)
            else len(unmatched or [])})
        return out

    # -------------------------------------------------------------- the map page
    def warm_up(self, *, simplify_m: float, simplify_roads_m: float) -> None:
        """Compute what the map's first view asks for, so that it is served from the cache
        (``run()`` calls this in the background at start-up).
        """
        as_of = self.default_as_of()
        jobs: list[Callable[[], Any]] = [
            lambda: self.status(level="district", as_of=as_of),
            lambda: self.status(level="commune", as_of=as_of),
            lambda: self.greening_geojson(simplify_m=simplify_roads_m),
            lambda: self.layer_geojson("admin_units", as_of=as_of, simplify_m=simplify_m,
                                       filters={"level": "commune"}),
            lambda: self.layer_geojson("roads", simplify_m=simplify_roads_m,
                                       filters={"road_class": "ĐH"}),
            lambda: self.layer_geojson("sites"),
            lambda: self.layer_geojson("works"),
        ]
        for job in jobs:
            try:
                job()
            except Exception:  # noqa: BLE001, S112 - the request itself will report it
                continue

    def map_context(self, lang: str) -> dict[str, Any]:
        """What the map page needs besides the data the API sends: date, extent, labels."""
        as_of = self.default_as_of()
        return {
            "as_of": as_of,
            "title": self.snapshot().meta().get("title") or "",
            "bounds": self.bounds(as_of),
            "unit": self.district_code,
            "greening_threshold": self.greening_threshold(as_of),
            "labels": self.labels(lang),
            # The works register's legend is shown only for a store that holds works.
            "has_works": "works" in self.layer_names() and not self.layer("works").empty,
        }

    def bounds(self, as_of: str) -> list[list[float]] | None:
        """[[south, west], [north, east]] of the district (or of everything) on ``as_of``."""
        def make(snap: Snapshot) -> list[list[float]] | None:
            frames = []
            if "admin_units" in snap.layer_names():
                units = units_mod.valid_on(snap.read_layer("admin_units"), as_of)
                if self.district_code:
                    units = units[(units["code"] == self.district_code)
                                  | (units["parent_code"] == self.district_code)]
                frames.append(units)
            if not frames or all(f.empty for f in frames):
                frames = [snap.read_layer(n) for n in snap.layer_names()]
            frames = [f for f in frames if not f.empty]
            if not frames:
                return None
            minx, miny, maxx, maxy = np.array([f.total_bounds for f in frames]).T
            return [[float(miny.min()), float(minx.min())], [float(maxy.max()), float(maxx.max())]]
        return self._cached(("bounds", as_of), make)

    def greening_threshold(self, as_of: str, default: float = 0.5) -> float:
        """Indicator 2.3's threshold as a share (0.5 for "≥50%"), from the catalogue."""
        try:
            ind = criteria_mod.set_for("district", as_of).indicator("2.3")
        except (CriterionDataMissing, KeyError, LookupError):
            return default
        thr = ind.threshold_for() if ind else None
        if thr is None or thr.value is None:
            return default
        return float(thr.value) / 100 if (thr.unit or "").strip() == "%" or thr.value > 1 \
            else float(thr.value)

    @staticmethod
    def labels(lang: str) -> dict[str, dict[str, str]]:
        """Labels of coded values (site type and status, works' status and funding source,
        road class, NTM level) in ``lang``.
        """
        out: dict[str, dict[str, str]] = {}
        for layer, fld in (("sites", "site_type"), ("sites", "status"),
                           ("works", "status"), ("works", "funding"),
                           ("roads", "road_class"), ("roads", "surface"),
                           ("admin_units", "level")):
            f = load_schema(layer).field(fld)
            out[f"{layer}.{fld}"] = {v: lab.get(lang) or lab["en"]
                                     for v, lab in f.allowed_labels.items()}
        out["ntm_level"] = {lvl: core_i18n.t(f"level_{lvl}", lang)
                            for lvl in ("not_yet", "ntm", "ntm_nang_cao", "ntm_kieu_mau")}
        return out


def _layer(snap: Snapshot, name: str) -> gpd.GeoDataFrame:
    """A layer of ``snap``; :class:`NotFound` for a layer the store does not hold."""
    names = snap.layer_names()
    if name not in names:
        raise NotFound(f"no layer '{name}' (layers: {', '.join(names)})")
    return snap.read_layer(name)


# ------------------------------------------------------------------------------ filters
_DATE_LAYERS = {"surveys": "survey_date"}


def _on_date(name: str, gdf: gpd.GeoDataFrame, as_of: str) -> gpd.GeoDataFrame:
    if name == "admin_units":
        return units_mod.valid_on(gdf, as_of)
    column = _DATE_LAYERS.get(name)
    if column is None:
        raise ParamError(f"layer '{name}' has no date to filter by (as_of)")
    return gdf[gdf[column].astype(str) <= as_of]


_BOOL = {"true": True, "1": True, "false": False, "0": False}


def _field_mask(gdf: gpd.GeoDataFrame, schema: Any, name: str, wanted: str) -> pd.Series:
    if name not in schema.field_names:
        raise ParamError(f"unknown parameter '{name}' (not a field of layer '{schema.name}')")
    kind = schema.field(name).type
    column = gdf[name]
    if kind == "list":
        return column.map(lambda v: isinstance(v, list) and wanted in v).astype(bool)
    if kind == "boolean":
        if wanted.lower() not in _BOOL:
            raise ParamError(f"{name} must be true or false")
        flag = _BOOL[wanted.lower()]
        return column.map(lambda v: v is not None and bool(v) is flag).astype(bool)
    return column.map(lambda v: v is not None and v is not pd.NA and str(v) == wanted
                      ).astype(bool)


_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def is_layer_name(name: str) -> bool:
    """Whether ``name`` could be a layer name (before asking the store)."""
    return bool(_NAME_RE.match(name))
