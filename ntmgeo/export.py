"""Exports of a store for provincial GIS staff: shapefiles, GeoPackage, GeoJSON and KML.

Every export is **verified before it is reported done**: what was written is read back with
two independent readers (pyogrio, on its own GDAL, and fiona, on its own), and compared with
what was meant to be written: feature counts, every value (text byte for byte: diacritics,
"Đ", the apostrophe of "Đạ K'Nàng"), field names, and every coordinate within 1 mm of a
direct pyproj transformation of the stored geometry. Files are written under a temporary
name in the target's folder and renamed into place only when all checks pass: a failed
export leaves no output file (and an existing one untouched).

Formats
-------
:func:`to_shapefiles`
    One ZIP: per layer ``.shp .shx .dbf .prj .cpg`` (a layer that mixes geometry types,
    ``surveys`` or ``sites``, becomes ``<layer>_points``, ``<layer>_lines``,
    ``<layer>_polygons``), in the province's VN-2000 TM-3 zone unless ``crs`` says otherwise;
    text in UTF-8 with a ``.cpg`` saying so; field names are the schema's ``shp_name``; lists
    joined with "|"; dates as DBF dates; booleans as DBF logicals. ``data_dictionary.csv``
    and ``data_dictionary.html`` map every short name to its field, labels, type and unit.
:func:`to_gpkg`
    One GeoPackage, one table per layer (mixed geometry types stay in one table), full field
    names, in the same CRS as the shapefiles, plus a ``data_dictionary`` table.
:func:`to_geojson`
    One ZIP of ``<layer>.geojson`` files (RFC 7946: WGS 84 longitude/latitude, no ``crs``
    member, polygons wound counter-clockwise, full double precision) plus the data
    dictionary; list fields are JSON arrays.
:func:`to_kml`
    One KML file (WGS 84), one folder per layer, full field names; a layer's ``name`` field
    becomes the placemark name.

:data:`FORMATS` names them (``shp``, ``gpkg``, ``geojson``, ``kml``: writer, media type,
file suffix, label) and :func:`write` exports a store in one of them with its derived
layers: ``ntmgeo export`` and the web map's downloads both call it.

A shapefile's ``.prj`` is the ESRI WKT GDAL writes from the EPSG definition, e.g. for
EPSG:5899 ``PROJCS["VN_2000_TM-3_107-45",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",...``:
the names ArcGIS (Pro 3.4, as recorded in PROJ's database) gives EPSG:5899, its datum and
geographic CRS. The export checks that PROJ identifies the ``.prj`` as the EPSG code asked
for, and that points reproject through it exactly as through the code.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import math
import os
import re
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fiona
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
import shapely.geometry
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as PyprojCRSError

from . import derived
from ._errors import CRSError, ExportError, InputError, LayerSchemaError, NtmgeoError
from ._files import FileFormat, atomic_path
from .layers import LIST_SEPARATOR, Field, convert_value, load_schema
from .store import Store
from .values import is_missing

__all__ = [
    "FORMATS",
    "ExportError",
    "data_dictionary",
    "default_crs",
    "resolve_crs",
    "to_geojson",
    "to_gpkg",
    "to_kml",
    "to_shapefiles",
    "write",
]

DBF_TEXT_BYTES = 254  # the longest text a dBase field holds, in bytes (UTF-8)
TOLERANCE_M = 0.001  # coordinates read back must be within 1 mm
_TOLERANCE_DEG = TOLERANCE_M / 111_320.0  # 1 mm in degrees (of latitude; less in longitude)
_FAMILY = {"Point": "points", "MultiPoint": "points", "LineString": "lines",
           "MultiLineString": "lines", "Polygon": "polygons", "MultiPolygon": "polygons"}
_FAMILY_ORDER = ("points", "lines", "polygons")
_MULTI = {"points": "MultiPoint", "lines": "MultiLineString", "polygons": "MultiPolygon"}
_TYPES = ("text", "integer", "real", "date", "boolean", "list")
_TYPE_WORDS = {"text": "text", "integer": "integer", "real": "real", "date": "date",
               "boolean": "boolean", "list": "list ('|')"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SHP_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,9}$")
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
DICTIONARY_COLUMNS = ("layer", "shp_name", "field", "type", "label_vi", "label_en", "unit")


# --------------------------------------------------------------------------------------------
# CRS


def default_crs(store: Store) -> str:
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
        raise CRSError(f"unknown CRS '{crs}'") from None
    if target.is_deprecated:
        hint = ""
        if target.name.startswith("VN-2000"):
            hint = (" (its false easting and northing are swapped): use the province's VN-2000 "
                    "TM-3 zone, EPSG:5896-5899 or 9205-9218")
        raise CRSError(f"CRS '{crs}' ({target.name}) is deprecated in the EPSG database{hint}")
    if not (target.is_projected or target.is_geographic):
        raise CRSError(f"CRS '{crs}' ({target.name}) is neither projected nor geographic")
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
        raise ExportError(f"some coordinates do not transform to {_crs_label(target)}")
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
    geometry_type: str  # GDAL geometry type name to write


def _fields_from_spec(name: str, spec: Any) -> tuple[Field, ...]:
    where = f"extra layer '{name}'"
    if not isinstance(spec, list | tuple) or not spec:
        raise LayerSchemaError(f"{where}: the field spec must be a non-empty list of dicts")
    fields = []
    for n, item in enumerate(spec, start=1):
        if not isinstance(item, dict):
            raise LayerSchemaError(f"{where}: field {n} is not a dict")
        missing = [k for k in ("name", "shp_name", "type", "label") if k not in item]
        if missing:
            raise LayerSchemaError(f"{where}: field {n} lacks {', '.join(missing)}")
        label = item["label"]
        if not isinstance(label, dict) or not label.get("vi") or not label.get("en"):
            raise LayerSchemaError(f"{where}: field '{item['name']}' needs label {{vi, en}}")
        if not _NAME.match(str(item["name"])):
            raise LayerSchemaError(f"{where}: field name '{item['name']}' is not snake_case")
        if not _SHP_NAME.match(str(item["shp_name"])):
            raise LayerSchemaError(f"{where}: shapefile name '{item['shp_name']}' must be 1-10 "
                                   "ASCII letters, digits or '_', starting with a letter")
        if item["type"] not in _TYPES:
            raise LayerSchemaError(f"{where}: field '{item['name']}' has unknown type "
                                   f"'{item['type']}' (types: {', '.join(_TYPES)})")
        fields.append(Field(name=item["name"], shp_name=item["shp_name"], type=item["type"],
                            label={"vi": label["vi"], "en": label["en"]},
                            unit=item.get("unit")))
    for attr, fold in (("name", str), ("shp_name", str.lower)):
        values = [fold(getattr(f, attr)) for f in fields]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise LayerSchemaError(f"{where}: duplicate {attr} {', '.join(dupes)}")
    return tuple(fields)


def _canonical(fields: tuple[Field, ...], gdf: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    """Values converted to the fields' canonical Python types (as a store returns them)."""
    missing = [f.name for f in fields if f.name not in gdf.columns]
    if missing:
        raise InputError(f"has no column(s) {', '.join(missing)}", path=where)
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
                raise InputError(f"value {value!r} is not of type {f.type}", path=where,
                                 feature=number, field=f.name) from None
        data[f.name] = values
    frame = pd.DataFrame(data, index=range(len(gdf)), dtype=object)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
                            crs="EPSG:4326")


def _families(gdf: gpd.GeoDataFrame, where: str) -> np.ndarray:
    names = np.array([None if g is None else _FAMILY.get(g.geom_type) for g in gdf.geometry],
                     dtype=object)
    if any(n is None for n in names):
        raise InputError("holds features without a point, line or polygon geometry", path=where)
    return names


def _geometry_type(family: str | None, geoms: np.ndarray) -> str:
    if family is None:
        return "Unknown"
    if family == "points" and all(g.geom_type == "Point" for g in geoms):
        return "Point"
    return _MULTI[family]


def _split(name: str, source: str, title: dict[str, str], fields: tuple[Field, ...],
           gdf: gpd.GeoDataFrame, *, always_split: bool, split: bool) -> list[_Layer]:
    families = _families(gdf, source)
    present = [f for f in _FAMILY_ORDER if f in set(families)]
    if not split or (len(present) == 1 and not always_split):
        family = present[0] if len(present) == 1 else None
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


def _layers(store: Store, layers: list[str] | None, extra_layers: dict[str, Any] | None,
            *, split: bool) -> tuple[list[_Layer], list[str]]:
    """The output layers, and the names of the empty layers left out."""
    stored = store.layer_names()
    names = stored if layers is None else list(dict.fromkeys(layers))
    unknown = [n for n in names if n not in stored]
    if unknown:
        raise InputError(f"the store has no layer {', '.join(unknown)} "
                         f"(layers: {', '.join(stored)})")
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
            raise LayerSchemaError(f"extra layer name '{name}' must be snake_case and not a "
                                   "store layer's name")
        try:
            gdf, spec, *rest = value
        except (TypeError, ValueError):
            raise LayerSchemaError(f"extra layer '{name}': give (GeoDataFrame, field spec)"
                                   ) from None
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
        raise LayerSchemaError(f"two output layers are called {', '.join(clash)}")
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
    expected_geometry: np.ndarray | None = None  # what must read back (a separate array)


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
    if f.type == "real":
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
    if kind == "real":
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
    geoms = np.asarray(layer.gdf.geometry.values, dtype=object)
    if fmt in ("shapefile", "gpkg"):
        geoms = _project(geoms, target)
    if layer.geometry_type.startswith("Multi"):
        geoms = np.array([_as_multi(g) for g in geoms], dtype=object)
    return _Table(layer, names, kinds, expected, data, masks, geoms, truncated, geoms.copy())


def _as_multi(geom: Any) -> Any:
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
    wkb = shapely.to_wkb(table.geometry, byte_order=1, flavor="iso", output_dimension=2)
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
# Data dictionary


def _dictionary(layers: list[_Layer]) -> list[dict[str, str]]:
    rows = []
    for layer in layers:
        for f in layer.fields:
            rows.append({"layer": layer.name, "shp_name": f.shp_name, "field": f.name,
                         "type": _TYPE_WORDS[f.type], "label_vi": f.label["vi"],
                         "label_en": f.label["en"], "unit": f.unit or ""})
    return rows


def data_dictionary(store: Store, *, layers: list[str] | None = None,
                    extra_layers: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Rows of the data dictionary of a shapefile export (columns :data:`DICTIONARY_COLUMNS`)."""
    return _dictionary(_layers(store, layers, extra_layers, split=True)[0])


def _dictionary_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=DICTIONARY_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buf.getvalue()  # BOM: Excel then reads UTF-8


def _dictionary_html(layers: list[_Layer], tables: list[_Table], *, title: str, crs: CRS,
                     fmt: str) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>Từ điển dữ liệu: {e(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse;margin-bottom:2em}"
        "th,td{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}"
        "th{background:#eee}code{font-size:1.05em}</style></head><body>",
        f"<h1>Từ điển dữ liệu / Data dictionary: {e(title)}</h1>",
        "<p>Hệ tọa độ / CRS: <b>" + e(_crs_label(crs)) + "</b> (" + e(crs.name) + "). "
        "Tọa độ ghi theo thứ tự (Đông, Bắc) / coordinates are (easting, northing): X của "
        "phần mềm GIS (hướng Đông) là Y trong cách ghi của trắc địa Việt Nam, và ngược lại "
        "/ GIS X is the Vietnamese surveyors' Y.</p>",
        "<p>Bảng mã / Encoding: UTF-8 (Unicode TCVN 6909), tệp <code>.cpg</code>. "
        "Danh sách ngăn cách bằng <code>|</code> / lists are separated by <code>|</code>. "
        f"Văn bản tối đa {DBF_TEXT_BYTES} byte mỗi trường / text holds at most "
        f"{DBF_TEXT_BYTES} bytes per field in a shapefile.</p>" if fmt == "shapefile" else
        "<p>Bảng mã / Encoding: UTF-8.</p>",
    ]
    for layer, table in zip(layers, tables, strict=True):
        file_name = f"{layer.name}.shp" if fmt == "shapefile" else f"{layer.name}.geojson"
        parts.append(f"<h2>{e(layer.name)}: {e(layer.title['vi'])} / "
                     f"{e(layer.title['en'])}</h2>")
        parts.append(f"<p>Tệp / file <code>{e(file_name)}</code>: {len(layer.gdf)} đối tượng / "
                     f"features, {e(layer.geometry_type)}.</p>")
        parts.append("<table><thead><tr><th>Tên trường (shapefile)</th><th>Tên đầy đủ / "
                     "field</th><th>Kiểu / type</th><th>Nhãn</th><th>Label</th>"
                     "<th>Đơn vị / unit</th></tr></thead><tbody>")
        for f in layer.fields:
            parts.append(
                f"<tr><td><code>{e(f.shp_name)}</code></td><td><code>{e(f.name)}</code></td>"
                f"<td>{e(_TYPE_WORDS[f.type])}</td><td>{e(f.label['vi'])}</td>"
                f"<td>{e(f.label['en'])}</td><td>{e(f.unit or '')}</td></tr>")
        parts.append("</tbody></table>")
        if table.truncated:
            cut = ", ".join(f"{t['field']} (đối tượng / feature {t['feature']}: {t['bytes']} "
                            "byte)" for t in table.truncated)
            parts.append(f"<p>Văn bản bị cắt còn {DBF_TEXT_BYTES} byte / text cut to "
                         f"{DBF_TEXT_BYTES} bytes: {e(cut)}. Bản GeoPackage giữ nguyên / the "
                         "GeoPackage export keeps it whole.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _write_dictionary(folder: Path, layers: list[_Layer], tables: list[_Table], *,
                      title: str, crs: CRS, fmt: str) -> None:
    (folder / "data_dictionary.csv").write_text(_dictionary_csv(_dictionary(layers)),
                                                encoding="utf-8", newline="")
    (folder / "data_dictionary.html").write_text(
        _dictionary_html(layers, tables, title=title, crs=crs, fmt=fmt), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Verification


def _read_value(kind: str, value: Any, fmt: str) -> Any:
    """A value as a reader returns it, in the canonical form of ``_expected_value``."""
    if is_missing(value) or (fmt == "kml" and value == ""):  # KML has no null: "" is empty
        return None
    if isinstance(value, np.generic) and not isinstance(value, np.datetime64):
        value = value.item()
    if kind == "date":
        if isinstance(value, np.datetime64):
            return str(value.astype("datetime64[D]"))
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)[:10].replace("/", "-")
    if kind == "boolean":
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    if kind == "list" and fmt == "geojson":
        return [str(v) for v in value]
    return value if isinstance(value, str) else str(value)


def _same(kind: str, want: Any, got: Any) -> bool:
    if want is None or got is None:
        return want is None and got is None
    if kind == "real":
        return math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-9)
    if kind in {"text", "list"}:
        return type(got) is type(want) and got == want
    return bool(want == got)


def _canon_coords(geom: Any) -> np.ndarray:
    geom = shapely.force_2d(_as_multi(geom))
    return shapely.get_coordinates(shapely.normalize(geom))


def _check_geometry(where: str, reader: str, number: int, want: Any, got: Any,
                    tol: float) -> None:
    if got is None or got.is_empty:
        raise ExportError(f"{where}: {reader} reads feature {number} without geometry")
    if _FAMILY.get(want.geom_type) != _FAMILY.get(got.geom_type):
        raise ExportError(f"{where}: {reader} reads feature {number} as {got.geom_type}, "
                          f"written {want.geom_type}")
    a, b = _canon_coords(want), _canon_coords(got)
    if a.shape != b.shape:
        raise ExportError(f"{where}: {reader} reads feature {number} with {len(b)} vertices, "
                          f"written {len(a)}")
    worst = float(np.max(np.abs(a - b))) if len(a) else 0.0
    if worst > tol:
        # Same vertices, another order: a ring that touches itself may start elsewhere once a
        # writer re-orients it (shapefiles wind outer rings clockwise). Measure the distance.
        worst = float(shapely.hausdorff_distance(shapely.force_2d(want), shapely.force_2d(got)))
    if worst > tol:
        raise ExportError(f"{where}: {reader} reads feature {number} {worst:.3g} CRS units "
                          f"away from the direct transformation (tolerance {tol:.3g})")


def _check_rows(where: str, reader: str, table: _Table, names: list[str],
                rows: list[dict[str, Any]], geoms: list[Any], fmt: str, tol: float) -> None:
    if len(rows) != len(table.layer.gdf):
        raise ExportError(f"{where}: {reader} reads {len(rows)} features, "
                          f"{len(table.layer.gdf)} were written")
    for name in table.names:
        if name not in names:
            raise ExportError(f"{where}: {reader} finds no field '{name}' (fields: "
                              f"{', '.join(names)})")
    for col, (name, kind) in enumerate(zip(table.names, table.kinds, strict=True)):
        for number, row in enumerate(rows, start=1):
            want = table.expected[col][number - 1]
            got = _read_value(kind, row.get(name), fmt)
            if not _same(kind, want, got):
                raise ExportError(f"{where}: feature {number}, field '{name}': wrote {want!r}, "
                                  f"{reader} reads {got!r}")
    for number, (want, got) in enumerate(zip(table.expected_geometry, geoms, strict=True),
                                         start=1):
        _check_geometry(where, reader, number, want, got, tol)


def _read_pyogrio(path: str, layer: str | None, table: _Table, fmt: str, where: str,
                  tol: float) -> None:
    kwargs = {"layer": layer} if layer else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        frame = pyogrio.read_dataframe(path, **kwargs)
    geoms = list(frame.geometry.values)
    data = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if fmt == "kml":
        data = data.rename(columns={"Name": "name"})
    rows = data.astype(object).to_dict("records")
    _check_rows(where, "pyogrio", table, list(data.columns), rows, geoms, fmt, tol)


def _read_fiona(path: str, layer: str | None, table: _Table, fmt: str, where: str,
                tol: float) -> None:
    kwargs: dict[str, Any] = {"layer": layer} if layer else {}
    if fmt == "kml":
        kwargs["allow_unsupported_drivers"] = True
    with fiona.open(path, **kwargs) as src:
        names = list(src.schema["properties"])
        rows, geoms = [], []
        for feat in src:
            rows.append(dict(feat.properties))
            geoms.append(shapely.geometry.shape(feat.geometry) if feat.geometry else None)
    if fmt == "kml":
        # fiona's KML driver reads only the placemark name: check names, counts, geometry.
        names = [n if n != "Name" else "name" for n in names]
        rows = [{("name" if k == "Name" else k): v for k, v in r.items()} for r in rows]
        keep = [i for i, n in enumerate(table.names) if n == "name"]
        table = _Table(table.layer, [table.names[i] for i in keep],
                       [table.kinds[i] for i in keep], [table.expected[i] for i in keep],
                       [], [], table.geometry, [], table.expected_geometry)
    _check_rows(where, "fiona", table, names, rows, geoms, fmt, tol)


def _dbf_field_names(data: bytes) -> list[str]:
    """Field names straight from a dBase header (no GDAL involved)."""
    names = []
    for offset in range(32, len(data), 32):
        if data[offset] == 0x0D:
            break
        names.append(data[offset:offset + 11].split(b"\0")[0].decode("ascii", "replace"))
    return names


def _check_prj(where: str, prj: str, target: CRS, table: _Table) -> None:
    try:
        read = CRS.from_user_input(prj)
    except PyprojCRSError:
        raise ExportError(f"{where}: the .prj cannot be parsed") from None
    epsg = target.to_epsg()
    if epsg is not None and read.to_epsg(min_confidence=70) != epsg:
        raise ExportError(f"{where}: the .prj ({read.name}) is not recognised as EPSG:{epsg}")
    lonlat = shapely.get_coordinates(table.layer.gdf.geometry.values)[:50]
    if len(lonlat) == 0:
        return
    a = Transformer.from_crs("EPSG:4326", target, always_xy=True)
    b = Transformer.from_crs("EPSG:4326", read, always_xy=True)
    xa, ya = a.transform(lonlat[:, 0], lonlat[:, 1])
    xb, yb = b.transform(lonlat[:, 0], lonlat[:, 1])
    worst = float(np.max(np.hypot(np.asarray(xa) - xb, np.asarray(ya) - yb)))
    if not worst <= _tolerance(target):
        raise ExportError(f"{where}: points reproject {worst:.3g} units differently through "
                          f"the .prj than through {_crs_label(target)}")


def _verify_shapefile(zip_path: Path, table: _Table, target: CRS) -> None:
    name = table.layer.name
    where = f"{name}.shp"
    with zipfile.ZipFile(zip_path) as zf:
        members = set(zf.namelist())
        for ext in _SHAPEFILE_PARTS:
            if f"{name}{ext}" not in members:
                raise ExportError(f"{where}: the ZIP lacks {name}{ext}")
        cpg = zf.read(f"{name}.cpg").decode("ascii", "replace").strip()
        prj = zf.read(f"{name}.prj").decode("ascii", "replace")
        dbf_names = _dbf_field_names(zf.read(f"{name}.dbf"))
    if cpg.upper() not in ("UTF-8", "UTF8"):
        raise ExportError(f"{where}: the .cpg says {cpg!r}, not UTF-8")
    if dbf_names != table.names:
        raise ExportError(f"{where}: the .dbf field names are {dbf_names}, expected "
                          f"{table.names}")
    _check_prj(where, prj, target, table)
    tol = _tolerance(target)
    _read_pyogrio(f"/vsizip/{zip_path}/{name}.shp", None, table, "shapefile", where, tol)
    _read_fiona(f"/vsizip/{zip_path}/{name}.shp", None, table, "shapefile", where, tol)
    with fiona.open(f"/vsizip/{zip_path}/{name}.shp") as src:
        fiona_epsg = src.crs.to_epsg() if src.crs else None
    if target.to_epsg() is not None and fiona_epsg != target.to_epsg():
        raise ExportError(f"{where}: fiona reads the .prj as EPSG:{fiona_epsg}, not "
                          f"{_crs_label(target)}")


# --------------------------------------------------------------------------------------------
# The exports


def _title(store: Store) -> str:
    meta = store.meta()
    return meta.get("title") or Path(getattr(store, "path", "ntmgeo")).stem


def _result(path: Path, fmt: str, target: CRS, tables: list[_Table],
            skipped: list[str]) -> dict[str, Any]:
    return {"path": str(path), "format": fmt, "crs": _crs_label(target),
            "layers": {t.layer.name: len(t.layer.gdf) for t in tables}, "skipped": skipped,
            "truncated": [item for t in tables for item in t.truncated], "verified": True}


def _guard(error: Exception, path: Path) -> ExportError:
    if isinstance(error, NtmgeoError):
        return error  # type: ignore[return-value]
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return ExportError(f"{path}: export failed ({reason})")


def to_shapefiles(store: Store, out_zip: str | os.PathLike[str], *, crs: Any = None,
                  layers: list[str] | None = None,
                  extra_layers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the store's layers as zipped shapefiles, verified by reading them back.

    Parameters
    ----------
    store : Store
        The project.
    out_zip : path-like
        The ZIP to write (replaced only once the new one is verified).
    crs : str or int, optional
        Any EPSG code (or CRS pyproj understands); default :func:`default_crs`.
        Deprecated codes (EPSG:6956-6959) are refused.
    layers : list of str, optional
        Store layers to export (default: all that hold features).
    extra_layers : dict, optional
        Derived layers: name -> (GeoDataFrame, field spec) or (GeoDataFrame, field spec,
        title ``{vi, en}``), the spec a list of dicts ``{name, shp_name, type, label: {vi,
        en}, unit}`` (types as in layer schemas); the frame has a column per ``name`` (other
        columns are ignored) and any CRS. A frame mixing geometry types is split like a
        store layer.

    Returns
    -------
    dict
        ``path``, ``format``, ``crs``, ``layers`` (output layer -> features), ``skipped``
        (empty layers), ``truncated`` (text cut to 254 bytes: layer, feature, field, bytes),
        ``verified``.

    Raises
    ------
    ExportError
        Writing failed, or a read-back differs; no file is left behind.
    CRSError, InputError, LayerSchemaError
        A bad CRS, layer name or extra layer.
    """
    target = resolve_crs(crs if crs is not None else default_crs(store))
    out_layers, skipped = _layers(store, layers, extra_layers, split=True)
    out_zip = Path(out_zip)
    tables = [_table(layer, target, "shapefile") for layer in out_layers]
    try:
        with atomic_path(out_zip, suffix=".zip") as tmp, tempfile.TemporaryDirectory(
                prefix="ntmgeo-shp-") as work:
            folder = Path(work)
            for table in tables:
                _write(str(folder / f"{table.layer.name}.shp"), driver="ESRI Shapefile",
                       layer=table.layer.name, table=table, crs=target, encoding="UTF-8")
            _write_dictionary(folder, out_layers, tables, title=_title(store), crs=target,
                              fmt="shapefile")
            _zip_folder(folder, tmp)
            for table in tables:
                _verify_shapefile(tmp, table, target)
            _verify_dictionary(tmp, out_layers)
    except Exception as exc:
        raise _guard(exc, out_zip) from exc
    return _result(out_zip, "shapefile", target, tables, skipped)


def _verify_dictionary(zip_path: Path, layers: list[_Layer]) -> None:
    with zipfile.ZipFile(zip_path) as zf:
        text = zf.read("data_dictionary.csv").decode("utf-8-sig")
        page = zf.read("data_dictionary.html").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    want = {(layer.name, f.shp_name) for layer in layers for f in layer.fields}
    got = {(r["layer"], r["shp_name"]) for r in rows}
    if want != got:
        raise ExportError(f"data_dictionary.csv: rows for {sorted(want ^ got)} differ")
    for layer in layers:
        for f in layer.fields:
            if html.escape(f.label["vi"]) not in page:
                raise ExportError(f"data_dictionary.html lacks the label of {layer.name}."
                                  f"{f.name}")


def to_gpkg(store: Store, out_path: str | os.PathLike[str], *, crs: Any = None,
            layers: list[str] | None = None,
            extra_layers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the store's layers to one GeoPackage (full field names), verified.

    One table per layer (a layer of mixed geometry types stays one table of type GEOMETRY),
    in ``crs`` (default :func:`default_crs`), plus a ``data_dictionary`` table. Parameters,
    result and errors as :func:`to_shapefiles`.
    """
    target = resolve_crs(crs if crs is not None else default_crs(store))
    out_layers, skipped = _layers(store, layers, extra_layers, split=False)
    out_path = Path(out_path)
    tables = [_table(layer, target, "gpkg") for layer in out_layers]
    try:
        with atomic_path(out_path, suffix=".gpkg") as tmp:
            for table in tables:
                _write(str(tmp), driver="GPKG", layer=table.layer.name, table=table, crs=target)
            _write_dictionary_table(tmp, out_layers)
            tol = _tolerance(target)
            for table in tables:
                where = f"{out_path.name}:{table.layer.name}"
                _read_pyogrio(str(tmp), table.layer.name, table, "gpkg", where, tol)
                _read_fiona(str(tmp), table.layer.name, table, "gpkg", where, tol)
                info = pyogrio.read_info(str(tmp), layer=table.layer.name)
                if target.to_epsg() and CRS(info["crs"]).to_epsg() != target.to_epsg():
                    raise ExportError(f"{where}: stored in {info['crs']}, not "
                                      f"{_crs_label(target)}")
    except Exception as exc:
        raise _guard(exc, out_path) from exc
    return _result(out_path, "gpkg", target, tables, skipped)


def _write_dictionary_table(path: Path, layers: list[_Layer]) -> None:
    rows = _dictionary(layers)
    data = [np.array([r[c] for r in rows], dtype=object) for c in DICTIONARY_COLUMNS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.raw.write(str(path), None, data, list(DICTIONARY_COLUMNS),
                          layer="data_dictionary", driver="GPKG", geometry_type=None)


def _feature_json(table: _Table, index: int) -> dict[str, Any]:
    props = {name: table.expected[col][index] for col, name in enumerate(table.names)}
    geom = table.geometry[index]
    if _FAMILY.get(geom.geom_type) == "polygons":
        geom = shapely.orient_polygons(geom, exterior_cw=False)  # RFC 7946 §3.1.6
    return {"type": "Feature", "properties": props,
            "geometry": shapely.geometry.mapping(geom)}


def _geojson_text(table: _Table) -> str:
    doc = {"type": "FeatureCollection", "name": table.layer.name,
           "features": [_feature_json(table, i) for i in range(len(table.layer.gdf))]}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False)


def to_geojson(store: Store, out_zip: str | os.PathLike[str], *,
               layers: list[str] | None = None,
               extra_layers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write one RFC 7946 GeoJSON file per layer (WGS 84), zipped with the data dictionary.

    Coordinates are the stored WGS 84 longitude/latitude at full double precision;
    polygons follow the right-hand rule; list fields are JSON arrays, dates ISO text.
    Verified like :func:`to_shapefiles` (read back from the ZIP with pyogrio and fiona).
    """
    target = CRS.from_epsg(4326)
    out_layers, skipped = _layers(store, layers, extra_layers, split=False)
    out_zip = Path(out_zip)
    tables = [_table(layer, target, "geojson") for layer in out_layers]
    try:
        with atomic_path(out_zip, suffix=".zip") as tmp, tempfile.TemporaryDirectory(
                prefix="ntmgeo-geojson-") as work:
            folder = Path(work)
            for table in tables:
                (folder / f"{table.layer.name}.geojson").write_text(_geojson_text(table),
                                                                    encoding="utf-8")
            _write_dictionary(folder, out_layers, tables, title=_title(store), crs=target,
                              fmt="geojson")
            _zip_folder(folder, tmp)
            for table in tables:
                name = f"{table.layer.name}.geojson"
                _read_pyogrio(f"/vsizip/{tmp}/{name}", None, table, "geojson", name,
                              _TOLERANCE_DEG)
                _read_fiona(f"/vsizip/{tmp}/{name}", None, table, "geojson", name,
                            _TOLERANCE_DEG)
            _verify_dictionary(tmp, out_layers)
    except Exception as exc:
        raise _guard(exc, out_zip) from exc
    return _result(out_zip, "geojson", target, tables, skipped)


def to_kml(store: Store, out_path: str | os.PathLike[str], *,
           layers: list[str] | None = None,
           extra_layers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the layers to one KML file (WGS 84), one folder per layer, verified.

    Written with GDAL's LIBKML driver: fields keep their full names (typed ExtendedData),
    a ``name`` field becomes the placemark name, dates are ISO text and lists "|"-joined.
    Read back with pyogrio (every field) and fiona (its KML driver reads placemark names
    and geometry only).
    """
    target = CRS.from_epsg(4326)
    out_layers, skipped = _layers(store, layers, extra_layers, split=False)
    out_path = Path(out_path)
    tables = [_table(layer, target, "kml") for layer in out_layers]
    driver = "LIBKML" if "LIBKML" in pyogrio.list_drivers(write=True) else "KML"
    try:
        with atomic_path(out_path, suffix=".kml") as tmp:
            for table in tables:
                _write(str(tmp), driver=driver, layer=table.layer.name, table=table,
                       crs=target, encoding="UTF-8")
            for table in tables:
                where = f"{out_path.name}:{table.layer.name}"
                _read_pyogrio(str(tmp), table.layer.name, table, "kml", where, _TOLERANCE_DEG)
                _read_fiona(str(tmp), table.layer.name, table, "kml", where, _TOLERANCE_DEG)
    except Exception as exc:
        raise _guard(exc, out_path) from exc
    return _result(out_path, "kml", target, tables, skipped)


# --------------------------------------------------------------------------------------------
# The formats, for the command line and the web map alike


FORMATS: dict[str, FileFormat] = {
    "shp": FileFormat(to_shapefiles, "application/zip", ".shp.zip",
                      {"vi": "shapefile, một tệp ZIP (.shp .shx .dbf .prj .cpg) kèm từ điển "
                             "dữ liệu",
                       "en": "one ZIP of shapefiles (UTF-8, .cpg, .prj) with a data "
                             "dictionary"}, takes_crs=True),
    "gpkg": FileFormat(to_gpkg, "application/geopackage+sqlite3", ".gpkg",
                       {"vi": "một GeoPackage kèm bảng data_dictionary",
                        "en": "one GeoPackage with a data_dictionary table"}, takes_crs=True),
    "geojson": FileFormat(to_geojson, "application/zip", ".geojson.zip",
                          {"vi": "GeoJSON (WGS 84), mỗi lớp một tệp, nén ZIP kèm từ điển dữ "
                                 "liệu",
                           "en": "GeoJSON (WGS 84), a file per layer, zipped with the data "
                                 "dictionary"}),
    "kml": FileFormat(to_kml, "application/vnd.google-earth.kml+xml", ".kml",
                      {"vi": "một tệp KML (WGS 84), mỗi lớp một thư mục",
                       "en": "one KML file (WGS 84), a folder per layer"}),
}
"""The export formats: name -> :class:`~ntmgeo._files.FileFormat` (``ntmgeo export
--format``, the web map's downloads)."""


def write(store: Store, fmt: str, out: str | os.PathLike[str], *, crs: Any = None,
          layers: list[str] | None = None) -> dict[str, Any]:
    """Export ``store`` to ``out`` in format ``fmt`` (a key of :data:`FORMATS`), with the
    derived layers (:func:`ntmgeo.derived.export_layers`), verified.

    ``layers`` names the layers to export, stored (``roads``…) or derived
    (``communes_status``, ``roads_greening``, ``tree_lined``, ``gaps``); default: all.
    ``crs`` applies to the formats that take one (``shp``, ``gpkg``; default: the
    province's VN-2000 zone); the others are always WGS 84. Returns the writer's result
    (see :func:`to_shapefiles`).
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise InputError(f"unknown export format '{fmt}' (formats: {', '.join(FORMATS)})")
    if crs is not None and not spec.takes_crs:
        raise CRSError(f"a CRS does not apply to {fmt} (always WGS 84)")
    extra = derived.export_layers(store)
    names = None if layers is None else list(layers)
    if names is not None:
        extra = {k: v for k, v in extra.items() if k in names}
        names = [n for n in names if n not in extra]
        for name in names:
            load_schema(name)
    options: dict[str, Any] = {"layers": names, "extra_layers": extra}
    if spec.takes_crs:
        options["crs"] = crs
    return spec.writer(store, out, **options)
