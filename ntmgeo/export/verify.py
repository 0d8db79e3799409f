"""Verification of an export by reading it back: with pyogrio and with fiona, each on its own
GDAL, every value compared with what was meant to be written (text byte for byte), field
names, counts, every coordinate within 1 mm of a direct pyproj transformation of the stored
geometry; a shapefile's parts, ``.cpg``, ``.prj`` and dBase header read straight from the ZIP;
the data dictionary. A failed check raises :class:`~ntmgeo._errors.ExportError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import math
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import fiona
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
import shapely.geometry
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as PyprojCRSError

from .._errors import ExportError
from ..values import is_missing
from .convert import (
    _FAMILY,
    _NUMBER_TYPES,
    _SHAPEFILE_PARTS,
    _TABLE_PARTS,
    _as_multi,
    _crs_label,
    _Layer,
    _Table,
    _tolerance,
)


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
    if kind in _NUMBER_TYPES:
        return float(value)
    if kind == "list" and fmt == "geojson":
        return [str(v) for v in value]
    return value if isinstance(value, str) else str(value)


def _same(kind: str, want: Any, got: Any) -> bool:
    if want is None or got is None:
        return want is None and got is None
    if kind in _NUMBER_TYPES:
        return math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-9)
    if kind in {"text", "list"}:
        return type(got) is type(want) and got == want
    return bool(want == got)


def _canon_coords(geom: Any) -> np.ndarray:
    geom = shapely.force_2d(_as_multi(geom))
    return shapely.get_coordinates(shapely.normalize(geom))


def _check_geometry(where: str, reader: str, number: int, want: Any, got: Any,
                    tol: float) -> None:
    if want is None:  # a feature without geometry must read back without one
        if got is not None and not got.is_empty:
            raise ExportError("{where}: {reader} reads feature {n} with a geometry, written "
                              "without", where=where, reader=reader, n=number)
        return
    if got is None or got.is_empty:
        raise ExportError("{where}: {reader} reads feature {n} without geometry", where=where,
                          reader=reader, n=number)
    if _FAMILY.get(want.geom_type) != _FAMILY.get(got.geom_type):
        raise ExportError("{where}: {reader} reads feature {n} as {got}, written {want}",
                          where=where, reader=reader, n=number, got=got.geom_type,
                          want=want.geom_type)
    a, b = _canon_coords(want), _canon_coords(got)
    if a.shape != b.shape:
        raise ExportError("{where}: {reader} reads feature {n} with {got} vertices, written "
                          "{want}", where=where, reader=reader, n=number, got=len(b),
                          want=len(a))
    worst = float(np.max(np.abs(a - b))) if len(a) else 0.0
    if worst > tol:
        # Same vertices, another order: a ring that touches itself may start elsewhere once a
        # writer re-orients it (shapefiles wind outer rings clockwise). Measure the distance.
        worst = float(shapely.hausdorff_distance(shapely.force_2d(want), shapely.force_2d(got)))
    if worst > tol:
        raise ExportError("{where}: {reader} reads feature {n} {worst:.3g} CRS units away "
                          "from the direct transformation (tolerance {tol:.3g})", where=where,
                          reader=reader, n=number, worst=worst, tol=tol)


def _check_rows(where: str, reader: str, table: _Table, names: list[str],
                rows: list[dict[str, Any]], geoms: list[Any], fmt: str, tol: float) -> None:
    if len(rows) != len(table.layer.gdf):
        raise ExportError("{where}: {reader} reads {got} features, {want} were written",
                          where=where, reader=reader, got=len(rows), want=len(table.layer.gdf))
    for name in table.names:
        if name not in names:
            raise ExportError("{where}: {reader} finds no field '{name}' (fields: {names})",
                              where=where, reader=reader, name=name, names=", ".join(names))
    for col, (name, kind) in enumerate(zip(table.names, table.kinds, strict=True)):
        for number, row in enumerate(rows, start=1):
            want = table.expected[col][number - 1]
            got = _read_value(kind, row.get(name), fmt)
            if not _same(kind, want, got):
                raise ExportError("{where}: feature {n}, field '{name}': wrote {want}, "
                                  "{reader} reads {got}", where=where, n=number, name=name,
                                  want=repr(want), reader=reader, got=repr(got))
    for number, (want, got) in enumerate(zip(table.expected_geometry, geoms, strict=True),
                                         start=1):
        _check_geometry(where, reader, number, want, got, tol)


def _read_pyogrio(path: str, layer: str | None, table: _Table, fmt: str, where: str,
                  tol: float) -> None:
    kwargs = {"layer": layer} if layer else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        frame = pyogrio.read_dataframe(path, **kwargs)
    if isinstance(frame, gpd.GeoDataFrame):
        geoms = list(frame.geometry.values)
        data = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    else:  # a table without geometry (a shapefile export's .dbf)
        geoms = [None] * len(frame)
        data = pd.DataFrame(frame)
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
        # It also skips placemarks without geometry (pyogrio's LIBKML reads them all).
        keep = [i for i, n in enumerate(table.names) if n == "name"]
        located = [j for j, g in enumerate(table.expected_geometry) if g is not None]
        placed = table.layer
        if len(located) < len(placed.gdf):
            placed = replace(placed, gdf=placed.gdf.iloc[located].reset_index(drop=True))
        table = _Table(placed, [table.names[i] for i in keep],
                       [table.kinds[i] for i in keep],
                       [[table.expected[i][j] for j in located] for i in keep],
                       [], [], table.geometry[located], [], table.expected_geometry[located])
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
        raise ExportError("{where}: the .prj cannot be parsed", where=where) from None
    epsg = target.to_epsg()
    if epsg is not None and read.to_epsg(min_confidence=70) != epsg:
        raise ExportError("{where}: the .prj ({name}) is not recognised as EPSG:{epsg}",
                          where=where, name=read.name, epsg=epsg)
    lonlat = shapely.get_coordinates(table.layer.gdf.geometry.values)[:50]
    if len(lonlat) == 0:
        return
    a = Transformer.from_crs("EPSG:4326", target, always_xy=True)
    b = Transformer.from_crs("EPSG:4326", read, always_xy=True)
    xa, ya = a.transform(lonlat[:, 0], lonlat[:, 1])
    xb, yb = b.transform(lonlat[:, 0], lonlat[:, 1])
    worst = float(np.max(np.hypot(np.asarray(xa) - xb, np.asarray(ya) - yb)))
    if not worst <= _tolerance(target):
        raise ExportError("{where}: points reproject {worst:.3g} units differently through "
                          "the .prj than through {crs}", where=where, worst=worst,
                          crs=_crs_label(target))


def _check_parts(zip_path: Path, table: _Table, where: str, parts: tuple[str, ...]) -> str:
    """Check that the ZIP holds the layer's ``parts`` (``.shp``, ``.dbf``…), that its
    ``.cpg`` says UTF-8 and its ``.dbf`` has the expected field names; return the ``.prj``
    text ("" where ``parts`` has none).
    """
    name = table.layer.name
    with zipfile.ZipFile(zip_path) as zf:
        members = set(zf.namelist())
        for ext in parts:
            if f"{name}{ext}" not in members:
                raise ExportError("{where}: the ZIP lacks {member}", where=where,
                                  member=f"{name}{ext}")
        cpg = zf.read(f"{name}.cpg").decode("ascii", "replace").strip()
        prj = zf.read(f"{name}.prj").decode("ascii", "replace") if ".prj" in parts else ""
        dbf_names = _dbf_field_names(zf.read(f"{name}.dbf"))
    if cpg.upper() not in ("UTF-8", "UTF8"):
        raise ExportError("{where}: the .cpg says {cpg}, not UTF-8", where=where, cpg=repr(cpg))
    if dbf_names != table.names:
        raise ExportError("{where}: the .dbf field names are {got}, expected {want}",
                          where=where, got=dbf_names, want=table.names)
    return prj


def _verify_shapefile(zip_path: Path, table: _Table, target: CRS) -> None:
    name = table.layer.name
    if table.layer.is_table:
        _verify_dbf_table(zip_path, table)
        return
    where = f"{name}.shp"
    prj = _check_parts(zip_path, table, where, _SHAPEFILE_PARTS)
    _check_prj(where, prj, target, table)
    tol = _tolerance(target)
    _read_pyogrio(f"/vsizip/{zip_path}/{name}.shp", None, table, "shapefile", where, tol)
    _read_fiona(f"/vsizip/{zip_path}/{name}.shp", None, table, "shapefile", where, tol)
    with fiona.open(f"/vsizip/{zip_path}/{name}.shp") as src:
        fiona_epsg = src.crs.to_epsg() if src.crs else None
    if target.to_epsg() is not None and fiona_epsg != target.to_epsg():
        raise ExportError("{where}: fiona reads the .prj as EPSG:{epsg}, not {crs}",
                          where=where, epsg=fiona_epsg, crs=_crs_label(target))


def _verify_dbf_table(zip_path: Path, table: _Table) -> None:
    """A shapefile export's table of features without geometry: ``.dbf`` and ``.cpg``."""
    name = table.layer.name
    where = f"{name}.dbf"
    _check_parts(zip_path, table, where, _TABLE_PARTS)
    _read_pyogrio(f"/vsizip/{zip_path}/{name}.dbf", None, table, "shapefile", where, 0.0)
    _read_fiona(f"/vsizip/{zip_path}/{name}.dbf", None, table, "shapefile", where, 0.0)


def _verify_dictionary(zip_path: Path, layers: list[_Layer]) -> None:
    with zipfile.ZipFile(zip_path) as zf:
        text = zf.read("data_dictionary.csv").decode("utf-8-sig")
        page = zf.read("data_dictionary.html").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    want = {(layer.name, f.shp_name) for layer in layers for f in layer.fields}
    got = {(r["layer"], r["shp_name"]) for r in rows}
    if want != got:
        raise ExportError("data_dictionary.csv: rows for {rows} differ",
                          rows=sorted(want ^ got))
    for layer in layers:
        for f in layer.fields:
            if html.escape(f.label["vi"]) not in page:
                raise ExportError("data_dictionary.html lacks the label of {layer}.{field}",
                                  layer=layer.name, field=f.name)
