"""Reading input files into GeoDataFrames: the one place ntmgeo touches foreign files.

Supported: GeoJSON, GeoPackage, shapefile (plain, or zipped), KML, GPX (tracks, routes and
waypoints), and tables (CSV, Excel ``.xlsx``, read by :func:`ntmgeo.tables.read_rows`) with
coordinates (``lon``/``lat`` or ``Kinh độ``/``Vĩ độ``, ``x``/``y`` with ``--crs``, or a ``wkt``
column), or without any for a layer whose geometry is optional. Every failure becomes an
:class:`~ntmgeo._errors.InputError` naming the file:
:func:`_translating` is the one place where the readers' errors (pyogrio/GDAL, the OS, text
decoding) and GEOS's become ntmgeo's, and where a geometry GEOS cannot build (a line of one
point, a ring that is too short or not closed) is traced to its feature. That machinery lives
in the private :mod:`ntmgeo._malformed`; this module is the one public place that reads files.
"""

from __future__ import annotations

import os
import warnings
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from . import settings
from ._errors import CRSError, GeometryError, InputError, Message
from ._malformed import _check_rings, _check_shapefile, _translating, _wkt_problem

__all__ = ["check_archive", "detect_format", "read_features", "to_storage_crs"]

FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".shp": "shapefile",
    ".zip": "zip",
    ".kml": "kml",
    ".gpx": "gpx",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}

_LON = ("lon", "lng", "long", "longitude", "kinh_do", "kinhdo")
_LAT = ("lat", "latitude", "vi_do", "vido")
_X = ("x", "easting", "e")
_Y = ("y", "northing", "n")
_WKT = ("wkt", "geometry", "geom")


def detect_format(path: Path) -> str:
    """Return the format name of ``path`` from its extension."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(set(FORMATS)))
        raise InputError("unsupported file type '{ext}' (supported: {known})", path=str(path),
                         ext=path.suffix, known=known)
    return fmt


def _extension_format(path: Path) -> str:
    """The format ``path``'s extension names, ``""`` for none (what malformed input is checked
    against).
    """
    return FORMATS.get(path.suffix.lower(), "")


def _check_size(path: Path, limit: int | None) -> None:
    if not path.exists():
        raise InputError("file not found", path=str(path))
    if not path.is_file():
        raise InputError("is not a file", path=str(path))
    size = path.stat().st_size
    if limit is not None and size > limit:
        msg = "file is {size:.0f} MiB, larger than the limit of {limit:.0f} MiB"
        raise InputError(msg, path=str(path), size=size / 2**20, limit=limit / 2**20)
    if size == 0:
        raise InputError("file is empty", path=str(path))


def check_archive(path: Path) -> list[str]:
    """Inspect a ZIP archive before anything is read from it; return its member names.

    Refuses absolute or parent-relative member paths, links, too many members, a total
    uncompressed size above ``settings.max_input_bytes`` and compression ratios above
    ``settings.max_archive_ratio`` (decompression bombs).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError("not a readable ZIP archive ({reason})", path=str(path),
                         reason=str(exc)) from None
    if len(infos) > settings.max_archive_members:
        msg = "archive holds {n} members (limit {limit})"
        raise InputError(msg, path=str(path), n=len(infos), limit=settings.max_archive_members)
    total = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        drive = bool(pure.parts) and ":" in pure.parts[0]
        if pure.is_absolute() or ".." in pure.parts or drive:
            raise InputError("archive member '{member}' has an unsafe path", path=str(path),
                             member=name)
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise InputError("archive member '{member}' is a link", path=str(path), member=name)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > settings.max_archive_ratio:
            msg = "archive member '{member}' expands {ratio:.0f}× (a decompression bomb?)"
            raise InputError(msg, path=str(path), member=name, ratio=ratio)
    if total > settings.max_input_bytes:
        msg = "archive expands to {size:.0f} MiB, larger than the limit of {limit:.0f} MiB"
        raise InputError(msg, path=str(path), size=total / 2**20,
                         limit=settings.max_input_bytes / 2**20)
    return [i.filename for i in infos]


def _zip_target(path: Path, layer: str | None) -> str:
    members = check_archive(path)
    shps = [m for m in members if m.lower().endswith(".shp") and not m.startswith("__MACOSX")]
    if layer:
        shps = [m for m in shps if PurePosixPath(m).stem == layer] or shps
    if not shps:
        raise InputError("archive holds no shapefile (.shp)", path=str(path))
    if len(shps) > 1:
        names = ", ".join(PurePosixPath(s).stem for s in shps)
        msg = "archive holds several shapefiles ({names})"
        raise InputError(msg, path=str(path), names=names, hint="layer")
    shp = shps[0]
    stem = shp[:-4]
    for ext in (".shx", ".dbf"):
        if not any(m.lower() == (stem + ext).lower() for m in members):
            raise InputError("archive lacks {member}", path=str(path),
                             member=f"{PurePosixPath(stem).name}{ext}")
    return f"/vsizip/{path.resolve()}/{shp}"


def _pyogrio_read(target: str, path: Path, *, offset: int = 0,
                  **kwargs: Any) -> gpd.GeoDataFrame:
    """Read one layer with pyogrio; ``offset``: features of the file before this layer (GPX)."""
    with _translating(path, _extension_format(path), target=target, read_kwargs=kwargs,
                      offset=offset), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        return pyogrio.read_dataframe(target, **kwargs)


def _read_gpx(path: Path) -> gpd.GeoDataFrame:
    frames: list[gpd.GeoDataFrame] = []
    layers = {name for name, _ in pyogrio.list_layers(str(path))}
    for layer in ("tracks", "routes", "waypoints"):
        if layer not in layers:
            continue
        gdf = _pyogrio_read(str(path), path, layer=layer,
                            offset=sum(len(f) for f in frames))
        gdf = gdf[~gdf.geometry.isna() & ~gdf.geometry.is_empty]
        if gdf.empty:
            continue
        if layer == "tracks":
            gdf = gdf.assign(geometry=shapely.line_merge(gdf.geometry.values))
        gdf = gdf.assign(gpx_layer=layer)
        if "time" not in gdf.columns or gdf["time"].isna().all():
            gdf = gdf.assign(time=_first_point_times(path, layer, len(gdf)))
        frames.append(gdf)
    if not frames:
        raise InputError("GPX holds no track, route or waypoint with coordinates",
                         path=str(path))
    out = pd.concat(frames, ignore_index=True)
    if "time" in out.columns:
        out["date"] = pd.to_datetime(out["time"], errors="coerce", utc=True).dt.date
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frames[0].crs)


def _first_point_times(path: Path, layer: str, count: int) -> list[Any]:
    """Date of each track/route from its first point (GPX stores times on points)."""
    point_layer = {"tracks": "track_points", "routes": "route_points"}.get(layer)
    if point_layer is None:
        return [None] * count
    try:
        pts = pyogrio.read_dataframe(str(path), layer=point_layer, read_geometry=False)
    except Exception:  # noqa: BLE001 - times are optional
        return [None] * count
    fid = "track_fid" if layer == "tracks" else "route_fid"
    if "time" not in pts.columns or fid not in pts.columns:
        return [None] * count
    first = pts.dropna(subset=["time"]).groupby(fid)["time"].first()
    return [first.get(i) for i in range(count)]


_KINDS = {"lon": _LON, "lat": _LAT, "x": _X, "y": _Y, "wkt": _WKT}


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The column named as ``names`` (one of the tuples above) or as its kind's headings in
    ``layers/_common_fields.yml`` say ("Kinh độ"), compared as field headings are.
    """
    from .layers import coordinate_headings, heading_key

    kind = next(k for k, v in _KINDS.items() if v == names)
    wanted = [*names, *coordinate_headings(kind)]
    folded = {heading_key(c): c for c in columns}
    return next((folded[heading_key(n)] for n in wanted if heading_key(n) in folded), None)


def _read_table(path: Path, crs: str | None, sheet: str | None = None,
                require_geometry: bool = True) -> gpd.GeoDataFrame:
    """A table's rows as features (see :func:`read_features`). ``attrs["rows"]``: the row
    number of each feature as a spreadsheet shows it; ``attrs["coordinate_columns"]``: the
    columns the geometry was made of.
    """
    from .tables import read_rows

    table = read_rows(path, sheet=sheet)
    df = pd.DataFrame([values for _n, values in table.rows], columns=table.headers,
                      dtype=object)
    if not len(df):
        df = pd.DataFrame(columns=table.headers, dtype=object)
    rows = [n for n, _values in table.rows]
    gdf = _table_geometry(df, path, crs, rows, require_geometry=require_geometry)
    gdf.attrs["rows"] = rows
    gdf.attrs["sheet"] = table.sheet
    return gdf


def _read_csv(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    return _read_table(path, crs)


def _table_geometry(df: pd.DataFrame, path: Path, crs: str | None, rows: list[int], *,
                    require_geometry: bool = True) -> gpd.GeoDataFrame:
    cols = list(df.columns)
    lon, lat = _find(cols, _LON), _find(cols, _LAT)
    x, y = _find(cols, _X), _find(cols, _Y)
    wkt = _find(cols, _WKT)
    if lon and lat:
        xs, ys, default_crs = df[lon], df[lat], "EPSG:4326"
    elif x and y:
        xs, ys, default_crs = df[x], df[y], None
    elif wkt:
        texts = df[wkt].to_numpy(dtype=object)
        try:
            geoms = shapely.from_wkt(texts)
        except shapely.errors.GEOSException:  # find the first bad one, say why in plain words
            for n, text in enumerate(texts, start=1):
                try:
                    shapely.from_wkt(text)
                except shapely.errors.GEOSException:
                    why = _wkt_problem(text) or Message("not valid WKT")
                    raise GeometryError(why, path=str(path), feature=n, field=wkt) from None
            raise
        out = gpd.GeoDataFrame(df.drop(columns=[wkt]), geometry=geoms, crs=crs)
        out.attrs["coordinate_columns"] = [wkt]
        return out
    elif not require_geometry:
        out = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries([None] * len(df), index=df.index),
                               crs=crs or "EPSG:4326")
        out.attrs["coordinate_columns"] = []
        return out
    else:
        msg = "CSV has no coordinate columns (lon/lat, x/y with a CRS given, or wkt)"
        raise InputError(msg, path=str(path), hint="crs")
    geoms = np.empty(len(df), dtype=object)
    for i, (row, xv, yv) in enumerate(zip(rows, xs, ys, strict=True)):
        if not require_geometry and not str(xv).strip() and not str(yv).strip():
            continue  # a row without coordinates: no geometry (optional in the layer)
        try:
            geoms[i] = shapely.Point(float(str(xv).replace(",", ".")),
                                     float(str(yv).replace(",", ".")))
        except ValueError:
            raise InputError("row {row}: coordinates {x}, {y} are not numbers",
                             path=str(path), row=row, x=repr(xv), y=repr(yv)) from None
    out = gpd.GeoDataFrame(df, geometry=geoms, crs=crs or default_crs)
    out.attrs["coordinate_columns"] = [lon, lat] if lon and lat else [x, y]
    return out


def _shapefile_has_cpg(path: Path, target: str) -> bool:
    if path.suffix.lower() == ".zip":
        stem = target.rsplit("/", 1)[-1][:-4].lower()
        with zipfile.ZipFile(path) as zf:
            return any(PurePosixPath(m).name.lower() == stem + ".cpg" for m in zf.namelist())
    return any(p.suffix.lower() == ".cpg" and p.stem == path.stem for p in path.parent.iterdir())


def _read_legacy_text(target: str, path: Path, encoding: str | None) -> gpd.GeoDataFrame:
    """Read a shapefile whose text is not declared UTF-8 (no ``.cpg``) or given explicitly:
    TCVN3 ("ABC"), Windows-1258 or UTF-8, detected from the raw bytes unless given.
    """
    from . import encodings

    raw = _pyogrio_read(target, path, encoding="latin1")  # bytes 1:1 as characters
    text_cols = [c for c in raw.columns if c != raw.geometry.name
                 and (raw[c].dtype == object or str(raw[c].dtype) in ("str", "string"))]
    samples = [v.encode("latin1") for c in text_cols for v in raw[c].dropna()
               if isinstance(v, str) and not v.isascii()]
    chosen = encoding or (encodings.detect(samples) if samples else "utf-8")
    if chosen.lower().replace("-", "") in ("utf8",):
        def decode(v: str) -> str:
            return v.encode("latin1").decode("utf-8")
    else:
        return encodings.fix_dataframe(raw, chosen)
    out = raw.copy()
    for col in text_cols:
        try:
            out[col] = raw[col].map(lambda v: decode(v) if isinstance(v, str) else v)
        except UnicodeDecodeError:
            msg = "field '{name}' is not UTF-8 text"
            raise InputError(msg, path=str(path), name=col, hint="encoding") from None
    return out


def swap_axes(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Swap x and y of every coordinate (surveyors write X for the northing)."""
    return gdf.set_geometry(shapely.transform(gdf.geometry.values, lambda xy: xy[:, ::-1]))


def _looks_swapped(gdf: gpd.GeoDataFrame) -> bool:
    """VN-2000 TM-3 coordinates with X = northing: 'x' in 900 000..2 600 000, 'y' around 500 000."""
    if gdf.crs is None or not gdf.crs.is_projected or gdf.empty:
        return False
    coords = shapely.get_coordinates(gdf.geometry.values)
    if not len(coords):
        return False
    xs, ys = coords[:, 0], coords[:, 1]
    return bool((xs > 700_000).all() and (ys < 900_000).all() and (ys > 100_000).all())


def read_features(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    swap_xy: bool = False,
    max_bytes: int | None | bool = True,
    require_geometry: bool = True,
) -> gpd.GeoDataFrame:
    """Read the features of one file, in the CRS the file declares.

    Parameters
    ----------
    path : path-like
        The input file.
    layer : str, optional
        Layer inside a multi-layer file (GeoPackage, KML, ZIP with several shapefiles), or
        sheet of an Excel workbook (default: its first non-empty sheet).
    crs : str, optional
        CRS to assume when the file declares none (e.g. a shapefile without ``.prj``, a CSV
        of VN-2000 coordinates). If the file declares one, it must agree.
    encoding : str, optional
        Text encoding of a shapefile: ``utf-8``, ``cp1258`` (Windows-1258) or ``tcvn3``
        ("ABC"). Default: UTF-8 when a ``.cpg`` declares it, else detected from the bytes.
    swap_xy : bool
        Swap the axes: for tables whose X is the northing (the surveyors' convention). A
        projected input whose coordinates can only be read with X = northing (X above
        700 000 m and Y between 100 000 and 900 000 m: no place in Vietnam has such an
        easting and northing) is recognised and swapped without being asked.
    max_bytes : int, None or True
        Largest file accepted: ``True`` (default) for ``settings.max_input_bytes`` (imports and
        uploads), ``None`` for no limit (a planner's own files read locally, e.g. national
        greening from a GeoPackage).
    require_geometry : bool
        A table (CSV, XLSX) without coordinate columns is refused (default), or, when False,
        read as features without geometry (for a layer whose geometry is optional).

    Returns
    -------
    geopandas.GeoDataFrame
        The features with their attributes; ``crs`` set.

    Raises
    ------
    InputError
        File missing, empty, too large, of an unknown type, unreadable or truncated, an
        unsafe archive; :class:`~ntmgeo._errors.CRSError` when no CRS is known.
    """
    path = Path(path)
    fmt = detect_format(path)
    _check_size(path, settings.max_input_bytes if max_bytes is True else max_bytes)
    with _translating(path, fmt):
        if fmt in ("csv", "xlsx"):
            gdf = _read_table(path, crs, layer if fmt == "xlsx" else None, require_geometry)
        else:
            gdf = _read_by_format(path, fmt, layer, crs, encoding)
        _check_rings(gdf, path)
    gdf = _settle_crs(gdf, path, crs)
    if swap_xy or _looks_swapped(gdf):
        gdf = swap_axes(gdf)
    return gdf


def _read_by_format(path: Path, fmt: str, layer: str | None, crs: str | None,
                    encoding: str | None) -> gpd.GeoDataFrame:
    if fmt == "gpx":
        return _read_gpx(path)
    if fmt == "csv":
        return _read_csv(path, crs)
    if fmt in ("zip", "shapefile"):
        target = _zip_target(path, layer) if fmt == "zip" else str(path)
        _check_shapefile(path, target)
        if encoding is not None or not _shapefile_has_cpg(path, target):
            return _read_legacy_text(target, path, encoding)
        return _pyogrio_read(target, path)
    kwargs: dict[str, Any] = {}
    if layer:
        kwargs["layer"] = layer
    elif fmt == "gpkg":
        names = [n for n, g in pyogrio.list_layers(str(path)) if g]
        if len(names) > 1:
            msg = "GeoPackage holds several layers ({names})"
            raise InputError(msg, path=str(path), names=", ".join(names), hint="layer")
    return _pyogrio_read(str(path), path, **kwargs)


def _settle_crs(gdf: gpd.GeoDataFrame, path: Path, crs: str | None) -> gpd.GeoDataFrame:
    given = None
    if crs is not None:
        try:
            given = CRS.from_user_input(crs)
        except PyprojCRSError:
            raise CRSError("unknown CRS '{crs}'", path=str(path), crs=crs) from None
        if given.is_deprecated:
            raise CRSError("CRS '{crs}' is deprecated in the EPSG database: use its successor",
                           path=str(path), crs=crs)
    if gdf.crs is None:
        if given is None:
            raise CRSError("has no CRS (no .prj or CRS declaration)", path=str(path), hint="crs")
        return gdf.set_crs(given, allow_override=True)
    if given is not None and not gdf.crs.equals(given):
        msg = "declares CRS {declared} but the CRS given is {given}"
        raise CRSError(msg, path=str(path), declared=gdf.crs.to_string(), given=crs)
    return gdf


def to_storage_crs(gdf: gpd.GeoDataFrame, *, path: str = "<input>") -> gpd.GeoDataFrame:
    """Reproject ``gdf`` to the store's CRS (``settings.storage_crs``) with PROJ's EPSG
    transformations.
    """
    try:
        out = gdf.to_crs(settings.storage_crs)
    except (PyprojCRSError, ValueError) as exc:
        raise CRSError("cannot be reprojected ({reason})", path=path, reason=str(exc)) from None
    coords = shapely.get_coordinates(out.geometry.values)
    if not np.isfinite(coords).all():
        raise CRSError("coordinates do not transform (wrong CRS?)", path=path)
    return out
