"""Reading input files into GeoDataFrames: the one place ntmgeo touches foreign files.

Supported: GeoJSON, GeoPackage, shapefile (plain, or zipped), KML, GPX (tracks, routes and
waypoints) and CSV with coordinates (``lon``/``lat``, ``x``/``y`` with ``--crs``, or a
``wkt`` column). Every failure becomes an :class:`~ntmgeo._errors.InputError` naming the file:
:func:`_translating` is the one place where the readers' errors (pyogrio/GDAL, the OS, text
decoding) and GEOS's become ntmgeo's, and where a geometry GEOS cannot build (a line of one
point, a ring that is too short or not closed) is traced to its feature.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator
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
from ._errors import CRSError, GeometryError, InputError, NtmgeoError

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
        msg = f"unsupported file type '{path.suffix}' (supported: {known})"
        raise InputError(msg, path=str(path))
    return fmt


def _check_size(path: Path, limit: int | None) -> None:
    if not path.exists():
        raise InputError("file not found", path=str(path))
    if not path.is_file():
        raise InputError("is not a file", path=str(path))
    size = path.stat().st_size
    if limit is not None and size > limit:
        msg = (f"file is {size / 2**20:.0f} MiB, larger than the limit of "
               f"{limit / 2**20:.0f} MiB")
        raise InputError(msg, path=str(path))
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
        raise InputError(f"not a readable ZIP archive ({exc})", path=str(path)) from None
    if len(infos) > settings.max_archive_members:
        msg = f"archive holds {len(infos)} members (limit {settings.max_archive_members})"
        raise InputError(msg, path=str(path))
    total = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        drive = bool(pure.parts) and ":" in pure.parts[0]
        if pure.is_absolute() or ".." in pure.parts or drive:
            raise InputError(f"archive member '{name}' has an unsafe path", path=str(path))
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise InputError(f"archive member '{name}' is a link", path=str(path))
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > settings.max_archive_ratio:
            msg = f"archive member '{name}' expands {ratio:.0f}× (a decompression bomb?)"
            raise InputError(msg, path=str(path))
    if total > settings.max_input_bytes:
        msg = (f"archive expands to {total / 2**20:.0f} MiB, larger than the limit of "
               f"{settings.max_input_bytes / 2**20:.0f} MiB")
        raise InputError(msg, path=str(path))
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
        msg = f"archive holds several shapefiles ({names}): name one with --layer"
        raise InputError(msg, path=str(path))
    shp = shps[0]
    stem = shp[:-4]
    for ext in (".shx", ".dbf"):
        if not any(m.lower() == (stem + ext).lower() for m in members):
            raise InputError(f"archive lacks {PurePosixPath(stem).name}{ext}", path=str(path))
    return f"/vsizip/{path.resolve()}/{shp}"


def _pyogrio_read(target: str, path: Path, *, offset: int = 0,
                  **kwargs: Any) -> gpd.GeoDataFrame:
    """Read one layer with pyogrio; ``offset``: features of the file before this layer (GPX)."""
    with _translating(path, target=target, read_kwargs=kwargs, offset=offset), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        return pyogrio.read_dataframe(target, **kwargs)


def _read_gpx(path: Path) -> gpd.GeoDataFrame:
    frames = []
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


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    folded = {c.strip().lower(): c for c in columns}
    return next((folded[n] for n in names if n in folded), None)


def _read_csv(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = str(exc).splitlines()[0]
        raise InputError(f"cannot be read as UTF-8 CSV ({reason})", path=str(path)) from None
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
                    why = _wkt_problem(text) or "not valid WKT"
                    raise GeometryError(why, path=str(path), feature=n, field=wkt) from None
            raise
        return gpd.GeoDataFrame(df.drop(columns=[wkt]), geometry=geoms, crs=crs)
    else:
        msg = "CSV has no coordinate columns (lon/lat, x/y with --crs, or wkt)"
        raise InputError(msg, path=str(path))
    coords = []
    for n, (xv, yv) in enumerate(zip(xs, ys, strict=True), start=1):
        try:
            coords.append((float(str(xv).replace(",", ".")), float(str(yv).replace(",", "."))))
        except ValueError:
            raise InputError(f"coordinates {xv!r}, {yv!r} are not numbers", path=str(path),
                             feature=n) from None
    geoms = shapely.points(coords)
    return gpd.GeoDataFrame(df, geometry=geoms, crs=crs or default_crs)


def _shapefile_has_cpg(path: Path, target: str) -> bool:
    if path.suffix.lower() == ".zip":
        stem = target.rsplit("/", 1)[-1][:-4].lower()
        with zipfile.ZipFile(path) as zf:
            return any(PurePosixPath(m).name.lower() == stem + ".cpg" for m in zf.namelist())
    return any(p.suffix.lower() == ".cpg" and p.stem == path.stem for p in path.parent.iterdir())


def _read_legacy_text(target: str, path: Path, encoding: str | None) -> gpd.GeoDataFrame:
    """Read a shapefile whose text is not declared UTF-8 (no ``.cpg``) or given explicitly:
    TCVN3 ("ABC"), Windows-1258 or UTF-8, detected from the raw bytes unless given."""
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
            msg = f"field '{col}' is not UTF-8 text: give --encoding cp1258 or tcvn3"
            raise InputError(msg, path=str(path)) from None
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
) -> gpd.GeoDataFrame:
    """Read the features of one file, in the CRS the file declares.

    Parameters
    ----------
    path : path-like
        The input file.
    layer : str, optional
        Layer inside a multi-layer file (GeoPackage, KML, ZIP with several shapefiles).
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
    with _translating(path):
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
            msg = f"GeoPackage holds several layers ({', '.join(names)}): name one with --layer"
            raise InputError(msg, path=str(path))
    return _pyogrio_read(str(path), path, **kwargs)


def _settle_crs(gdf: gpd.GeoDataFrame, path: Path, crs: str | None) -> gpd.GeoDataFrame:
    given = None
    if crs is not None:
        try:
            given = CRS.from_user_input(crs)
        except PyprojCRSError:
            raise CRSError(f"unknown CRS '{crs}'", path=str(path)) from None
        if given.is_deprecated:
            raise CRSError(f"CRS '{crs}' is deprecated in the EPSG database: use its successor",
                           path=str(path))
    if gdf.crs is None:
        if given is None:
            msg = "has no CRS (no .prj or CRS declaration): give it with --crs EPSG:XXXX"
            raise CRSError(msg, path=str(path))
        return gdf.set_crs(given, allow_override=True)
    if given is not None and not gdf.crs.equals(given):
        msg = f"declares CRS {gdf.crs.to_string()} but --crs says {crs}"
        raise CRSError(msg, path=str(path))
    return gdf


def to_storage_crs(gdf: gpd.GeoDataFrame, *, path: str = "<input>") -> gpd.GeoDataFrame:
    """Reproject ``gdf`` to the store's CRS (``settings.storage_crs``) with PROJ's EPSG transformations."""
    try:
        out = gdf.to_crs(settings.storage_crs)
    except (PyprojCRSError, ValueError) as exc:
        raise CRSError(f"cannot be reprojected ({exc})", path=path) from None
    coords = shapely.get_coordinates(out.geometry.values)
    if not np.isfinite(coords).all():
        raise CRSError("coordinates do not transform (wrong CRS?)", path=path)
    return out


# ------------------------------------------------------------------ malformed input, explained
# Foreign errors that mean "this file cannot be read": GDAL's (through pyogrio), the OS's, text
# decoding, broken archives; and any ValueError raised inside a pyogrio read. Anything else
# stays an internal error.
_READER_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError,
                  UnicodeDecodeError, EOFError, zipfile.BadZipFile)

_NOT_THIS_FORMAT = {"geojson": "a GeoJSON file", "gpkg": "a GeoPackage", "kml": "a KML file",
                    "gpx": "a GPX file", "shapefile": "a shapefile", "zip": "a shapefile"}
_MISMATCH = "(its content does not match its extension)"
_TRUNCATED = "cannot be read: file is truncated"


@contextlib.contextmanager
def _translating(path: Path, *, target: str | None = None,
                 read_kwargs: dict[str, Any] | None = None, offset: int = 0) -> Iterator[None]:
    """The one place where reader and GEOS errors become :class:`InputError`/:class:`GeometryError`.

    A GEOS error while building the geometries of a layer (``target`` read with
    ``read_kwargs``) is traced by re-reading the layer raw and decoding feature by feature: the
    error then names the first bad feature (1-based, after ``offset`` features of the file) and
    says why in plain words. The re-reading happens only after a failure.
    """
    try:
        yield
    except NtmgeoError:
        raise
    except shapely.errors.GEOSException as exc:
        found = _locate_bad_geometry(target, read_kwargs or {}) if target else None
        if found is None:
            raise GeometryError(f"geometry cannot be decoded ({_detail(exc, path)})",
                                path=str(path)) from None
        position, name, why = found
        raise GeometryError(why, path=str(path),
                            feature=_feature_label(offset + position + 1, name)) from None
    except (*_READER_ERRORS, ValueError) as exc:
        if isinstance(exc, ValueError) and not isinstance(exc, UnicodeDecodeError) \
                and target is None:
            raise  # a ValueError outside a pyogrio read is ntmgeo's own: an internal error
        fmt = FORMATS.get(path.suffix.lower(), "")
        why = _content_problem(path, fmt) or f"cannot be read ({_detail(exc, path)})"
        raise InputError(why, path=str(path)) from None


def _detail(exc: BaseException, path: Path) -> str:
    """The first line of a foreign error, with the file's full path shortened to its name."""
    text = str(exc).splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
    return text.replace(str(path.resolve()), path.name).replace(str(path), path.name)


def _feature_label(number: int, name: Any) -> int | str:
    if isinstance(name, str) and name.strip():
        return f"{number} (name={name.strip()})"
    return number


def _content_problem(path: Path, fmt: str) -> str | None:
    """Why a file GDAL refused cannot be what its extension says, or is cut short (cheap: its
    first and last bytes). None when its bytes do not tell."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(512)
            fh.seek(max(size - 512, 0))
            tail = fh.read()
    except OSError:
        return None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    end = tail.rstrip(b" \t\r\n\x00").lower()
    not_it = f"cannot be read: not {_NOT_THIS_FORMAT.get(fmt, 'a ' + fmt)} {_MISMATCH}"
    if fmt in ("gpx", "kml"):
        if not start.startswith(b"<"):
            return not_it
        if not end.endswith(f"</{fmt}>".encode()) and not end.endswith(f":{fmt}>".encode()):
            return _TRUNCATED
    elif fmt == "geojson":
        if start[:1] not in (b"{", b"[", b"\x1e"):
            return not_it
        if not end.endswith((b"}", b"]")):
            return _TRUNCATED
    elif fmt == "gpkg":
        if not head.startswith(b"SQLite format 3\x00"):
            return not_it
        page_size = int.from_bytes(head[16:18], "big")
        pages = int.from_bytes(head[28:32], "big")
        if pages and size < (65536 if page_size == 1 else page_size) * pages:
            return _TRUNCATED
    return None


# --- shapefiles: the three parts and their headers, checked before GDAL reads them (GDAL
# reads a .shp cut in half without complaint, giving the lost features no geometry).
def _shapefile_parts(path: Path, target: str) -> dict[str, tuple[int, Callable[[int], bytes]]]:
    """``{".shp": (size, read(n) -> first n bytes), ".shx": …, ".dbf": …}`` of the parts
    present, on disk or in the archive."""
    parts: dict[str, tuple[int, Callable[[int], bytes]]] = {}
    if path.suffix.lower() == ".zip":
        member = target.split(f"{path.resolve()}/", 1)[1]
        stem = member[:-4].lower()
        with zipfile.ZipFile(path) as zf:
            infos = {i.filename.lower(): i for i in zf.infolist()}

        def from_zip(info: zipfile.ZipInfo) -> Callable[[int], bytes]:
            def read(n: int) -> bytes:
                with zipfile.ZipFile(path) as zf, zf.open(info) as fh:
                    return fh.read(n)
            return read

        for ext in (".shp", ".shx", ".dbf"):
            if stem + ext in infos:
                info = infos[stem + ext]
                parts[ext] = (info.file_size, from_zip(info))
        return parts

    def from_disk(file: Path) -> Callable[[int], bytes]:
        def read(n: int) -> bytes:
            with file.open("rb") as fh:
                return fh.read(n)
        return read

    for file in path.parent.iterdir():
        ext = file.suffix.lower()
        if file.stem == path.stem and ext in (".shp", ".shx", ".dbf") and file.is_file():
            parts[ext] = (file.stat().st_size, from_disk(file))
    return parts


def _check_shapefile(path: Path, target: str) -> None:
    """Refuse a shapefile that is not one, lacks its .shx or .dbf, or has a part cut short;
    name the first feature lost when the headers tell."""
    parts = _shapefile_parts(path, target)
    shp_size, shp_read = parts[".shp"]
    head = shp_read(100)
    if head[:4] != (9994).to_bytes(4, "big"):
        raise InputError(f"cannot be read: not a shapefile {_MISMATCH}", path=str(path))
    for ext in (".shx", ".dbf"):
        if ext not in parts:
            msg = (f"cannot be read: the {ext} file is missing "
                   "(a shapefile needs .shp, .shx and .dbf)")
            raise InputError(msg, path=str(path))
    shx_size, shx_read = parts[".shx"]
    dbf_size, dbf_read = parts[".dbf"]

    def truncated(ext: str, feature: int | None = None) -> InputError:
        return InputError(f"cannot be read: the {ext} file is truncated", path=str(path),
                          feature=feature)

    if shp_size < 100:
        raise truncated(".shp")
    if shx_size < 100:
        raise truncated(".shx")
    dbf_head = dbf_read(32)
    if len(dbf_head) < 32:
        raise truncated(".dbf")
    records, header_len, record_len = struct.unpack_from("<IHH", dbf_head, 4)
    indexed = (shx_size - 100) // 8  # the features the .shx holds an entry for
    if shx_size < int.from_bytes(shx_read(28)[24:28], "big") * 2:
        raise truncated(".shx", indexed + 1)
    if record_len and dbf_size < header_len + records * record_len:
        lost = max(dbf_size - header_len, 0) // record_len + 1
        raise truncated(".dbf", lost if dbf_size >= header_len else None)
    declared = int.from_bytes(head[24:28], "big") * 2
    if shp_size < declared:  # the header says more: find the first record past the end
        index = np.frombuffer(shx_read(100 + 8 * indexed)[100:], dtype=">i4").reshape(-1, 2)
        ends = (index[:, 0].astype(np.int64) + index[:, 1] + 4) * 2  # 8-byte record header
        past = np.flatnonzero(ends > shp_size)
        if past.size:
            raise truncated(".shp", int(past[0]) + 1)


# --- geometries GEOS cannot build, described from their coordinate sequences
def _describe_sequences(sequences: list[tuple[str, np.ndarray]]) -> str | None:
    """Why these coordinate sequences (("line" | "ring", xy array) in order) make no geometry:
    a line needs 2 points, a ring 4 with the last equal to the first."""
    lines = sum(kind == "line" for kind, _ in sequences)
    rings = len(sequences) - lines
    n_line = n_ring = 0
    for kind, xy in sequences:
        n = len(xy)
        if kind == "line":
            n_line += 1
            if 0 < n < 2:
                where = f"line part {n_line}" if lines > 1 else "line"
                return f"{where} has only {n} point (a line needs at least 2)"
            continue
        n_ring += 1
        where = f"ring {n_ring}" if rings > 1 else "ring"
        if 0 < n < 4:
            return f"{where} has {n} point{'s' if n != 1 else ''} (a ring needs at least 4, closed)"
        if n and not np.array_equal(xy[0, :2], xy[-1, :2]):
            return f"{where} is not closed (its last point differs from its first)"
    return None


def _wkb_sequences(wkb: bytes) -> list[tuple[str, np.ndarray]]:
    """The coordinate sequences of a WKB geometry (ISO or extended), read without GEOS."""
    out: list[tuple[str, np.ndarray]] = []

    def coords(pos: int, order: str, dims: int) -> tuple[np.ndarray, int]:
        (n,) = struct.unpack_from(order + "I", wkb, pos)
        end = pos + 4 + 8 * dims * n
        if end > len(wkb):
            raise ValueError("WKB is cut short")
        xy = np.frombuffer(wkb[pos + 4:end], dtype=order + "f8").reshape(n, dims)
        return xy, end

    def geometry(pos: int) -> int:
        order = "<" if wkb[pos] == 1 else ">"
        (code,) = struct.unpack_from(order + "I", wkb, pos + 1)
        pos += 5
        if code & 0x20000000:  # EWKB SRID
            pos += 4
        dims = 2 + bool(code & 0x80000000) + bool(code & 0x40000000)
        iso, base = divmod(code & 0x0FFFFFFF, 1000)
        dims += (0, 1, 1, 2)[iso] if iso < 4 else 0
        if base == 1:
            return pos + 8 * dims
        if base == 2:
            xy, pos = coords(pos, order, dims)
            out.append(("line", xy))
            return pos
        if base == 3:
            (count,) = struct.unpack_from(order + "I", wkb, pos)
            pos += 4
            for _ in range(count):
                xy, pos = coords(pos, order, dims)
                out.append(("ring", xy))
            return pos
        if base in (4, 5, 6, 7):
            (count,) = struct.unpack_from(order + "I", wkb, pos)
            pos += 4
            for _ in range(count):
                pos = geometry(pos)
            return pos
        raise ValueError(f"WKB geometry type {code}")

    geometry(0)
    return out


def _wkt_problem(text: Any) -> str | None:
    """Why a WKT line or polygon makes no geometry (too few points, ring not closed), or None."""
    if not isinstance(text, str):
        return None
    match = re.match(r"\s*(MULTI)?(LINESTRING|POLYGON)\b", text, re.IGNORECASE)
    if not match:
        return None
    kind = "line" if match.group(2).upper() == "LINESTRING" else "ring"
    sequences = []
    try:
        for group in re.findall(r"\(([^()]*)\)", text):
            points = [[float(v) for v in p.split()[:2]] for p in group.split(",") if p.strip()]
            sequences.append((kind, np.array(points, dtype=float).reshape(-1, 2)))
    except ValueError:
        return None
    return _describe_sequences(sequences)


def _locate_bad_geometry(target: str, read_kwargs: dict[str, Any]
                         ) -> tuple[int, Any, str] | None:
    """Re-read a layer raw and decode its features one by one: (0-based position, name, why)
    of the first geometry GEOS cannot build, or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            meta, _, wkbs, fields = pyogrio.raw.read(target, **read_kwargs)
    except Exception:  # noqa: BLE001 - only a better message is at stake
        return None
    if wkbs is None:
        return None
    decoded = shapely.from_wkb(wkbs, on_invalid="ignore")
    bad = np.flatnonzero(shapely.is_missing(decoded) & np.array([w is not None for w in wkbs]))
    if not bad.size:
        return None
    position = int(bad[0])
    try:
        why = _describe_sequences(_wkb_sequences(bytes(wkbs[position])))
    except (ValueError, IndexError, struct.error):
        why = None
    names = [i for i, f in enumerate(meta["fields"]) if str(f).lower() == "name"]
    name = fields[names[0]][position] if names else None
    if isinstance(name, str) and read_kwargs.get("encoding") == "latin1":
        with contextlib.suppress(UnicodeError):
            name = name.encode("latin1").decode("utf-8")
    return position, name, why or "geometry cannot be decoded (invalid coordinates)"


def _check_rings(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Refuse a polygon ring of fewer than 4 points, which GEOS builds but nothing can use
    (vectorised: polygons only)."""
    arr = np.asarray(gdf.geometry.values, dtype=object)
    kinds = shapely.get_type_id(arr)
    if not np.isin(kinds, (3, 6, 7)).any():
        return
    # a polygon without holes: its one ring holds all its coordinates
    simple = np.flatnonzero(kinds == 3)
    simple = simple[shapely.get_num_interior_rings(arr[simple]) == 0]
    counts = shapely.get_num_coordinates(arr[simple])
    bad = list(simple[(counts > 0) & (counts < 4)][:1])
    # the others (holes, multi-polygons, collections): ring by ring
    others = np.setdiff1d(np.flatnonzero(np.isin(kinds, (3, 6, 7))), simple)
    if others.size:
        parts, part_of = shapely.get_parts(arr[others], return_index=True)
        rings, ring_of = shapely.get_rings(parts, return_index=True)
        counts = shapely.get_num_coordinates(rings)
        bad += list(others[part_of[ring_of[(counts > 0) & (counts < 4)]]][:1])
    if not bad:
        return
    position = int(min(bad))
    geom = arr[position]
    sequences = [("ring", shapely.get_coordinates(r)) for r in
                 shapely.get_rings(shapely.get_parts(np.array([geom], dtype=object)))]
    names = [c for c in gdf.columns if str(c).lower() == "name"]
    name = gdf[names[0]].iloc[position] if names else None
    raise GeometryError(_describe_sequences(sequences) or "ring has too few points",
                        path=str(path), feature=_feature_label(position + 1, name))
