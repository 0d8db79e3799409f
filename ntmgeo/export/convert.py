"""What an export writes: the store's layers as output layers, their columns and geometry.

The output layers (a store layer, a part of one when it mixes geometry types, or a derived
layer given as a frame with a field spec), each as a :class:`_Table` of the arrays GDAL is
given and the values expected back; the export CRS; the one place GDAL writes
(:func:`_write`); GeoJSON text (written directly, not through GDAL). No verification here
(:mod:`ntmgeo.export.verify`) and no data dictionary (:mod:`ntmgeo.export.dictionary`).
"""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
import shapely.geometry
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as PyprojCRSError

from .._errors import CRSError, ExportError, InputError, LayerSchemaError
from ..fieldvalues import LIST_SEPARATOR
from ..layers import Field, convert_value, load_schema
from ..store import StoreReader

DBF_TEXT_BYTES = 254  # the longest text a dBase field holds, in bytes (UTF-8)
TOLERANCE_M = 0.001  # coordinates read back must be within 1 mm
_TOLERANCE_DEG = TOLERANCE_M / 111_320.0  # 1 mm in degrees (of latitude; less in longitude)
_FAMILY = {"Point": "points", "MultiPoint": "points", "LineString": "lines",
           "MultiLineString": "lines", "Polygon": "polygons", "MultiPolygon": "polygons"}
# "table": features with no geometry (a work known only by its commune, or by a road and
# chainage): in a shapefile export a geometry-less DBF table of its own (<layer>_table.dbf with
# its .cpg), in a GeoPackage or GeoJSON rows with a null geometry
_FAMILY_ORDER = ("points", "lines", "polygons", "table")
_NUMBER_TYPES = ("real", "amount")  # written, read back and compared as floating point
_MULTI = {"points": "MultiPoint", "lines": "MultiLineString", "polygons": "MultiPolygon"}
_TYPES = ("text", "integer", "real", "amount", "date", "boolean", "list")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SHP_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,9}$")
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_TABLE_PARTS = (".dbf", ".cpg")  # a shapefile export's table of features without geometry


# --------------------------------------------------------------------------------------------
# CRS


def default_crs(store: StoreReader) -> str:
    """The CRS exports use unless told otherwise: the store's measuring CRS (its VN-2000 zone)."""
    return store.measure_crs


def resolve_crs(crs: Any) -> CRS:
    """Parse an export CRS (``"EPSG:5899"``, ``5899``, WKT...), refusing deprecated codes.

    Raises :class:`~ntmgeo._errors.CRSError` for an unknown CRS, a deprecated EPSG code
    (EPSG:6956-6959: VN-2000 TM-3 zones whose false easting and northing are swapped) or a
    CRS that is neither projected nor geographic.
    """
    try:
        target = CRS.from_user_input(crs)
    except PyprojCRSError:
        raise CRSError("unknown CRS '{crs}'", crs=crs) from None
    if target.is_deprecated:
        if target.name.startswith("VN-2000"):
            msg = ("CRS '{crs}' ({name}) is deprecated in the EPSG database (its false easting "
                   "and northing are swapped): use the province's VN-2000 TM-3 zone, "
                   "EPSG:5896-5899 or 9205-9218")
        else:
            msg = "CRS '{crs}' ({name}) is deprecated in the EPSG database"
        raise CRSError(msg, crs=crs, name=target.name)
    if not (target.is_projected or target.is_geographic):
        raise CRSError("CRS '{crs}' ({name}) is neither projected nor geographic", crs=crs,
                       name=target.name)
    return target


def _crs_label(target: CRS) -> str:
    epsg = target.to_epsg()
    return f"EPSG:{epsg}" if epsg else target.name


def _tolerance(target: CRS) -> float:
    return _TOLERANCE_DEG if target.is_geographic else TOLERANCE_M


def _project(geoms: np.ndarray, target: CRS) -> np.ndarray:
    """Stored geometries (EPSG:4326) transformed directly with pyproj, easting first."""
    if target.equals("EPSG:4326"):
        return geoms
    transformer = Transformer.from_crs("EPSG:4326", target, always_xy=True)

    def apply(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    out = shapely.transform(geoms, apply)
    if not np.isfinite(shapely.get_coordinates(out)).all():
        raise ExportError("some coordinates do not transform to {crs}", crs=_crs_label(target))
    return out


# --------------------------------------------------------------------------------------------
# What is exported: layers, their fields, their features


@dataclass(frozen=True)
class _Layer:
    """One output layer: a store layer (or a part of one), or an extra layer."""

    name: str
    source: str
    title: dict[str, str]
    fields: tuple[Field, ...]
    gdf: gpd.GeoDataFrame  # EPSG:4326, one column per field, canonical Python values
    family: str | None  # "points", "lines", "polygons"; None when the layer mixes them
    geometry_type: str | None  # GDAL geometry type name to write; None: no geometry

    @property
    def is_table(self) -> bool:
        """Whether the layer has no geometry (a shapefile export's DBF-only table)."""
        return self.family == "table"


def _fields_from_spec(name: str, spec: Any) -> tuple[Field, ...]:
    where = f"extra layer '{name}'"
    if not isinstance(spec, list | tuple) or not spec:
        raise LayerSchemaError("{where}: the field spec must be a non-empty list of dicts",
                               where=where)
    fields = []
    for n, item in enumerate(spec, start=1):
        if not isinstance(item, dict):
            raise LayerSchemaError("{where}: field {n} is not a dict", where=where, n=n)
        missing = [k for k in ("name", "shp_name", "type", "label") if k not in item]
        if missing:
            raise LayerSchemaError("{where}: field {n} lacks {names}", where=where, n=n,
                                   names=", ".join(missing))
        label = item["label"]
        if not isinstance(label, dict) or not label.get("vi") or not label.get("en"):
            raise LayerSchemaError("{where}: field '{name}' needs label {{vi, en}}",
                                   where=where, name=item["name"])
        if not _NAME.match(str(item["name"])):
            raise LayerSchemaError("{where}: field name '{name}' is not snake_case",
                                   where=where, name=item["name"])
        if not _SHP_NAME.match(str(item["shp_name"])):
            raise LayerSchemaError("{where}: shapefile name '{name}' must be 1-10 ASCII "
                                   "letters, digits or '_', starting with a letter",
                                   where=where, name=item["shp_name"])
        if item["type"] not in _TYPES:
            raise LayerSchemaError("{where}: field '{name}' has unknown type '{type}' "
                                   "(types: {known})", where=where, name=item["name"],
                                   type=item["type"], known=", ".join(_TYPES))
        fields.append(Field(name=item["name"], shp_name=item["shp_name"], type=item["type"],
                            label={"vi": label["vi"], "en": label["en"]},
                            unit=item.get("unit")))
    for attr, fold in (("name", str), ("shp_name", str.lower)):
        values = [fold(getattr(f, attr)) for f in fields]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise LayerSchemaError("{where}: duplicate {attr} {names}", where=where, attr=attr,
                                   names=", ".join(dupes))
    return tuple(fields)


def _canonical(fields: tuple[Field, ...], gdf: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Values converted to the fields' canonical Python types (as a store returns them)."""
    missing = [f.name for f in fields if f.name not in gdf.columns]
    if missing:
        raise InputError("has no column(s) {names}", path=where, names=", ".join(missing))
    if gdf.crs is None:
        raise CRSError("has no CRS", path=where)
    gdf = gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs("EPSG:4326")
    data: dict[str, list[Any]] = {}
    for f in fields:
        values = []
        for number, value in enumerate(gdf[f.name].tolist(), start=1):
            try:
                values.append(convert_value(f, value))
            except (ValueError, TypeError, OverflowError):
                raise InputError("value {value} is not of type {type}", path=where,
                                 feature=number, field=f.name, value=repr(value),
                                 type=f.type) from None
        data[f.name] = values
    frame = pd.DataFrame(data, index=range(len(gdf)), dtype=object)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
                            crs="EPSG:4326")


def _families(gdf: gpd.GeoDataFrame, where: str) -> np.ndarray:
    names = np.array([_family(g) for g in gdf.geometry], dtype=object)
    if any(n is None for n in names):
        raise InputError("holds features without a point, line or polygon geometry", path=where)
    return names


def _family(geom: Any) -> str | None:
    """A geometry's family; ``"table"`` for none (a missing or empty geometry)."""
    if geom is None or geom.is_empty:
        return "table"
    return _FAMILY.get(geom.geom_type)


def _geometry_type(family: str | None, geoms: np.ndarray) -> str | None:
    """The GDAL geometry type to write; ``None`` for a table (no geometry column)."""
    if family == "table":
        return None
    if family is None:
        return "Unknown"
    if family == "points" and all(g is None or g.is_empty or g.geom_type == "Point"
                                  for g in geoms):
        return "Point"
    return _MULTI[family]


def _split(name: str, source: str, title: dict[str, str], fields: tuple[Field, ...],
           gdf: gpd.GeoDataFrame, *, always_split: bool, split: bool) -> list[_Layer]:
    families = _families(gdf, source)
    present = [f for f in _FAMILY_ORDER if f in set(families)]
    if not split or (len(present) == 1 and not always_split):
        located = [f for f in present if f != "table"]  # null geometries go in any column
        family = located[0] if len(located) == 1 else "table" if not located else None
        geoms = np.asarray(gdf.geometry.values, dtype=object)
        return [_Layer(name, source, title, fields, gdf.reset_index(drop=True), family,
                       _geometry_type(family, geoms))]
    out = []
    for family in present:
        part = gdf[families == family].reset_index(drop=True)
        geoms = np.asarray(part.geometry.values, dtype=object)
        out.append(_Layer(f"{name}_{family}", source, title, fields, part, family,
                          _geometry_type(family, geoms)))
    return out


def _layers(store: StoreReader, layers: list[str] | None, extra_layers: dict[str, Any] | None,
            *, split: bool) -> tuple[list[_Layer], list[str]]:
    """The output layers, and the names of the empty layers left out."""
    stored = store.layer_names()
    names = stored if layers is None else list(dict.fromkeys(layers))
    unknown = [n for n in names if n not in stored]
    if unknown:
        raise InputError("the store has no layer {names} (layers: {known})",
                         names=", ".join(unknown), known=", ".join(stored))
    out: list[_Layer] = []
    skipped: list[str] = []
    for name in names:
        schema = load_schema(name)
        gdf = store.read_layer(name)
        if gdf.empty:
            skipped.append(name)
            continue
        frame = _canonical(schema.fields, gdf.reset_index(drop=True), name)
        out.extend(_split(name, name, schema.title, schema.fields, frame,
                          always_split=len(schema.geometry_types) > 1, split=split))
    for name, value in (extra_layers or {}).items():
        if not _NAME.match(name) or name in stored:
            raise LayerSchemaError("extra layer name '{name}' must be snake_case and not a "
                                   "store layer's name", name=name)
        try:
            gdf, spec, *rest = value
        except (TypeError, ValueError):
            raise LayerSchemaError("extra layer '{name}': give (GeoDataFrame, field spec)",
                                   name=name) from None
        fields = _fields_from_spec(name, spec)
        if len(gdf) == 0:
            skipped.append(name)
            continue
        frame = _canonical(fields, gdf, name)
        title = rest[0] if rest and isinstance(rest[0], dict) else {"vi": name, "en": name}
        out.extend(_split(name, name, title, fields, frame, always_split=False, split=split))
    names_out = [layer.name for layer in out]
    clash = sorted({n for n in names_out if names_out.count(n) > 1})
    if clash:
        raise LayerSchemaError("two output layers are called {names}",
                               names=", ".join(clash))
    if not out:
        raise ExportError("nothing to export: the layers are empty")
    return out, skipped


# --------------------------------------------------------------------------------------------
# Columns as written, and as expected back


@dataclass
class _Table:
    """What is written for one layer: arrays for GDAL, and the values expected back."""

    layer: _Layer
    names: list[str]  # field names in the file
    kinds: list[str]  # field types
    expected: list[list[Any]]  # per field, per feature: canonical value expected back
    data: list[np.ndarray]
    masks: list[np.ndarray | None]
    geometry: np.ndarray  # to write, in the target CRS
    truncated: list[dict[str, Any]]
    expected_geometry: np.ndarray  # what must read back (a separate array)


def _utf8_cut(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")


def _expected_value(f: Field, value: Any, fmt: str) -> Any:
    if value is None:
        return None
    if f.type == "list":
        items = [str(v) for v in value]
        return items if fmt == "geojson" else LIST_SEPARATOR.join(items)
    if f.type == "integer":
        return int(value)
    if f.type in _NUMBER_TYPES:
        return float(value)
    if f.type == "boolean":
        return bool(value)
    return str(value)


def _arrays(kind: str, values: list[Any], fmt: str) -> tuple[np.ndarray, np.ndarray | None]:
    mask = np.array([v is None for v in values], dtype=bool)
    if kind == "integer":
        ints = [0 if v is None else v for v in values]
        small = all(-999_999_999 <= v <= 999_999_999 for v in ints)
        return np.array(ints, dtype=np.int32 if small else np.int64), mask
    if kind in _NUMBER_TYPES:
        return np.array([0.0 if v is None else v for v in values], dtype=np.float64), mask
    if kind == "boolean":
        return np.array([bool(v) for v in values], dtype=bool), mask
    if kind == "date" and fmt in ("shapefile", "gpkg"):
        return np.array([v or "NaT" for v in values], dtype="datetime64[D]"), None
    return np.array(values, dtype=object), None


def _table(layer: _Layer, target: CRS, fmt: str) -> _Table:
    names, kinds, expected, data, masks, truncated = [], [], [], [], [], []
    for f in layer.fields:
        values = [_expected_value(f, v, fmt) for v in layer.gdf[f.name].tolist()]
        if fmt == "shapefile" and f.type in ("text", "list"):
            for n, v in enumerate(values):
                if v is not None and len(v.encode("utf-8")) > DBF_TEXT_BYTES:
                    truncated.append({"layer": layer.name, "feature": n + 1,
                                      "field": f.shp_name, "bytes": len(v.encode("utf-8"))})
                    values[n] = _utf8_cut(v, DBF_TEXT_BYTES)
        names.append(f.shp_name if fmt == "shapefile" else f.name)
        kinds.append(f.type)
        expected.append(values)
        if fmt != "geojson":  # GeoJSON is written from ``expected``, not through GDAL
            array, mask = _arrays(f.type, values, fmt)
            data.append(array)
            masks.append(mask)
    geoms = np.asarray([None if _family(g) == "table" else g for g in layer.gdf.geometry.values],
                       dtype=object)
    if fmt in ("shapefile", "gpkg"):
        geoms = _project(geoms, target)
    if (layer.geometry_type or "").startswith("Multi"):
        geoms = np.array([_as_multi(g) for g in geoms], dtype=object)
    return _Table(layer, names, kinds, expected, data, masks, geoms, truncated, geoms.copy())


def _as_multi(geom: Any) -> Any:
    if geom is None:
        return None
    kind = geom.geom_type
    if kind == "Point":
        return shapely.MultiPoint([geom])
    if kind == "LineString":
        return shapely.MultiLineString([geom])
    if kind == "Polygon":
        return shapely.MultiPolygon([geom])
    return geom


# --------------------------------------------------------------------------------------------
# Writing


def _write(path: str, *, driver: str, layer: str, table: _Table, crs: CRS,
           encoding: str | None = None, dataset_options: dict[str, Any] | None = None,
           layer_options: dict[str, Any] | None = None) -> None:
    """Write one layer through GDAL (pyogrio's raw writer): the one place GDAL writes."""
    wkb = None if table.layer.is_table else shapely.to_wkb(
        table.geometry, byte_order=1, flavor="iso", output_dimension=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.raw.write(
            path, wkb, table.data, table.names, field_mask=table.masks, layer=layer,
            driver=driver, geometry_type=table.layer.geometry_type,
            crs=_crs_label(crs) if crs.to_epsg() else crs.to_wkt(), encoding=encoding,
            dataset_options=dataset_options,
            layer_options=layer_options,
        )


def _zip_folder(folder: Path, zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for child in sorted(folder.iterdir()):
            zf.write(child, child.name)


# --------------------------------------------------------------------------------------------
# GeoJSON, written directly (not through GDAL)


def _feature_json(table: _Table, index: int) -> dict[str, Any]:
    props = {name: table.expected[col][index] for col, name in enumerate(table.names)}
    geom = table.geometry[index]
    if geom is None:  # RFC 7946 §3.2: an unlocated feature has a null geometry
        return {"type": "Feature", "properties": props, "geometry": None}
    if _FAMILY.get(geom.geom_type) == "polygons":
        geom = shapely.orient_polygons(geom, exterior_cw=False)  # RFC 7946 §3.1.6
    return {"type": "Feature", "properties": props,
            "geometry": shapely.geometry.mapping(geom)}


def _geojson_text(table: _Table) -> str:
    doc = {"type": "FeatureCollection", "name": table.layer.name,
           "features": [_feature_json(table, i) for i in range(len(table.layer.gdf))]}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False)
