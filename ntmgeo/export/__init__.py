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
    ``<layer>_polygons``; its features without geometry, such as works known only by their
    commune or by a road and chainage, become ``<layer>_table``: a ``.dbf`` with its ``.cpg``
    and no ``.shp``, which ArcGIS and QGIS open as an attribute table, joinable on its
    commune or road code; the data dictionary lists it as a table), in the province's
    VN-2000 TM-3 zone unless ``crs`` says otherwise; text in UTF-8 with a ``.cpg`` saying
    so; field names are the schema's ``shp_name``; lists joined with "|"; dates as DBF
    dates; booleans as DBF logicals. ``data_dictionary.csv`` and ``data_dictionary.html``
    map every short name to its field, labels, type and unit.
:func:`to_gpkg`
    One GeoPackage, one table per layer (mixed geometry types stay in one table, features
    without geometry have a null one), full field names, in the same CRS as the shapefiles,
    plus a ``data_dictionary`` table.
:func:`to_geojson`
    One ZIP of ``<layer>.geojson`` files (RFC 7946: WGS 84 longitude/latitude, no ``crs``
    member, polygons wound counter-clockwise, full double precision; a feature without
    geometry has ``"geometry": null``) plus the data dictionary; list fields are JSON arrays.
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

Modules
-------
:mod:`~ntmgeo.export.convert`
    The output layers, their columns and geometry in the target CRS, the one place GDAL
    writes (``_write``), GeoJSON text.
:mod:`~ntmgeo.export.dictionary`
    The data dictionary (CSV, HTML, GeoPackage table).
:mod:`~ntmgeo.export.verify`
    Reading back and comparing.

This module writes each format (convert, write, verify, then move into place) and holds
:data:`FORMATS` and :func:`write`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pyogrio
from pyproj import CRS

from .. import derived, i18n
from .._errors import CRSError, ExportError, InputError, NtmgeoError
from .._files import FileFormat, atomic_path
from ..layers import load_schema
from ..snapshot import ensure
from ..store import StoreReader
from .convert import (
    _TOLERANCE_DEG,
    _crs_label,
    _geojson_text,
    _layers,
    _Table,
    _table,
    _tolerance,
    _write,
    _zip_folder,
    default_crs,
    resolve_crs,
)
from .convert import DBF_TEXT_BYTES as DBF_TEXT_BYTES  # re-exported: the module's constants,
from .convert import TOLERANCE_M as TOLERANCE_M  # and the cut shapefile text is compared with
from .convert import _utf8_cut as _utf8_cut
from .dictionary import DICTIONARY_COLUMNS as DICTIONARY_COLUMNS
from .dictionary import _write_dictionary, _write_dictionary_table, data_dictionary
from .verify import _read_fiona, _read_pyogrio, _verify_dictionary, _verify_shapefile

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


# --------------------------------------------------------------------------------------------
# The exports


def _title(store: StoreReader) -> str:
    meta = store.meta()
    return meta.get("title") or Path(getattr(store, "path", None) or "ntmgeo").stem


def _result(path: Path, fmt: str, target: CRS, tables: list[_Table],
            skipped: list[str]) -> dict[str, Any]:
    return {"path": str(path), "format": fmt, "crs": _crs_label(target),
            "layers": {t.layer.name: len(t.layer.gdf) for t in tables}, "skipped": skipped,
            "truncated": [item for t in tables for item in t.truncated], "verified": True}


def _guard(error: Exception, path: Path) -> ExportError:
    if isinstance(error, NtmgeoError):
        return error  # type: ignore[return-value]
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return ExportError("{path}: export failed ({reason})", path=path, reason=reason)


def to_shapefiles(store: StoreReader, out_zip: str | os.PathLike[str], *, crs: Any = None,
                  layers: list[str] | None = None,
                  extra_layers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the store's layers as zipped shapefiles, verified by reading them back.

    Parameters
    ----------
    store : StoreReader
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


def to_gpkg(store: StoreReader, out_path: str | os.PathLike[str], *, crs: Any = None,
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
                    raise ExportError("{where}: stored in {got}, not {crs}", where=where,
                                      got=info["crs"], crs=_crs_label(target))
    except Exception as exc:
        raise _guard(exc, out_path) from exc
    return _result(out_path, "gpkg", target, tables, skipped)


def to_geojson(store: StoreReader, out_zip: str | os.PathLike[str], *,
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


def to_kml(store: StoreReader, out_path: str | os.PathLike[str], *,
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
                      i18n.both("one ZIP of shapefiles (UTF-8, .cpg, .prj) with a data "
                                "dictionary"), takes_crs=True),
    "gpkg": FileFormat(to_gpkg, "application/geopackage+sqlite3", ".gpkg",
                       i18n.both("one GeoPackage with a data_dictionary table"), takes_crs=True),
    "geojson": FileFormat(to_geojson, "application/zip", ".geojson.zip",
                          i18n.both("GeoJSON (WGS 84), a file per layer, zipped with the data "
                                    "dictionary")),
    "kml": FileFormat(to_kml, "application/vnd.google-earth.kml+xml", ".kml",
                      i18n.both("one KML file (WGS 84), a folder per layer")),
}
"""The export formats: name -> :class:`~ntmgeo._files.FileFormat` (``ntmgeo export
--format``, the web map's downloads)."""


def write(store: StoreReader, fmt: str, out: str | os.PathLike[str], *, crs: Any = None,
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
        raise InputError("unknown export format '{fmt}' (formats: {known})", fmt=fmt,
                         known=", ".join(FORMATS))
    if crs is not None and not spec.takes_crs:
        raise CRSError("a CRS does not apply to {fmt} (always WGS 84)", fmt=fmt)
    store = ensure(store)  # the derived and the stored layers read each layer once
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
