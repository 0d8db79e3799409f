"""Malformed input, explained: how :mod:`ntmgeo.io`'s readers turn foreign failures into
ntmgeo's errors (private; :mod:`ntmgeo.io` stays the one public place that reads files).

:func:`_translating` is the one place where the readers' errors (pyogrio/GDAL, the OS, text
decoding) and GEOS's become :class:`~ntmgeo._errors.InputError` and
:class:`~ntmgeo._errors.GeometryError`; a file GDAL refuses is told apart by its first and
last bytes (:func:`_content_problem`: not what its extension says, or cut short); a
shapefile's three parts and their headers are checked before GDAL reads them
(:func:`_check_shapefile`); a geometry GEOS cannot build (a line of one point, a ring that is
too short or not closed) is traced to its feature by walking its WKB or WKT without GEOS
(:func:`_locate_bad_geometry`, :func:`_wkb_sequences`, :func:`_wkt_problem`,
:func:`_describe_sequences`), and polygon rings GEOS builds but nothing can use are refused
(:func:`_check_rings`).
"""

from __future__ import annotations

import contextlib
import re
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from ._errors import GeometryError, InputError, Message, NtmgeoError

# Foreign errors that mean "this file cannot be read": GDAL's (through pyogrio), the OS's, text
# decoding, broken archives; and any ValueError raised inside a pyogrio read. Anything else
# stays an internal error.
_READER_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError,
                  UnicodeDecodeError, EOFError, zipfile.BadZipFile)

_NOT_A_SHAPEFILE = Message("cannot be read: not a shapefile (its content does not match its "
                           "extension)")
_NOT_THIS_FORMAT = {
    "geojson": Message("cannot be read: not a GeoJSON file (its content does not match its "
                       "extension)"),
    "gpkg": Message("cannot be read: not a GeoPackage (its content does not match its "
                    "extension)"),
    "kml": Message("cannot be read: not a KML file (its content does not match its extension)"),
    "gpx": Message("cannot be read: not a GPX file (its content does not match its extension)"),
    "shapefile": _NOT_A_SHAPEFILE, "zip": _NOT_A_SHAPEFILE}
_NOT_THE_FORMAT = Message("cannot be read: its content does not match its extension")
_TRUNCATED = Message("cannot be read: file is truncated")


@contextlib.contextmanager
def _translating(path: Path, fmt: str, *, target: str | None = None,
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
            raise GeometryError("geometry cannot be decoded ({reason})", path=str(path),
                                reason=_detail(exc, path)) from None
        position, name, why = found
        raise GeometryError(why, path=str(path),
                            feature=_feature_label(offset + position + 1, name)) from None
    except (*_READER_ERRORS, ValueError) as exc:
        if isinstance(exc, ValueError) and not isinstance(exc, UnicodeDecodeError) \
                and target is None:
            raise  # a ValueError outside a pyogrio read is ntmgeo's own: an internal error
        why = _content_problem(path, fmt) or Message("cannot be read ({reason})",
                                                     reason=_detail(exc, path))
        raise InputError(why, path=str(path)) from None


def _detail(exc: BaseException, path: Path) -> str:
    """The first line of a foreign error, with the file's full path shortened to its name."""
    text = str(exc).splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
    return text.replace(str(path.resolve()), path.name).replace(str(path), path.name)


def _feature_label(number: int, name: Any) -> int | str:
    if isinstance(name, str) and name.strip():
        return f"{number} (name={name.strip()})"
    return number


def _content_problem(path: Path, fmt: str) -> Message | None:
    """Why a file GDAL refused cannot be what its extension says, or is cut short (cheap: its
    first and last bytes). None when its bytes do not tell.
    """
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
    not_it = _NOT_THIS_FORMAT.get(fmt, _NOT_THE_FORMAT)
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
    present, on disk or in the archive.
    """
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
    name the first feature lost when the headers tell.
    """
    parts = _shapefile_parts(path, target)
    shp_size, shp_read = parts[".shp"]
    head = shp_read(100)
    if head[:4] != (9994).to_bytes(4, "big"):
        raise InputError(_NOT_A_SHAPEFILE, path=str(path))
    for ext in (".shx", ".dbf"):
        if ext not in parts:
            msg = ("cannot be read: the {ext} file is missing "
                   "(a shapefile needs .shp, .shx and .dbf)")
            raise InputError(msg, path=str(path), ext=ext)
    shx_size, shx_read = parts[".shx"]
    dbf_size, dbf_read = parts[".dbf"]

    def truncated(ext: str, feature: int | None = None) -> InputError:
        return InputError("cannot be read: the {ext} file is truncated", path=str(path),
                          feature=feature, ext=ext)

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
def _describe_sequences(sequences: list[tuple[str, np.ndarray]]) -> Message | None:
    """Why these coordinate sequences (("line" | "ring", xy array) in order) make no geometry:
    a line needs 2 points, a ring 4 with the last equal to the first.
    """
    lines = sum(kind == "line" for kind, _ in sequences)
    rings = len(sequences) - lines
    n_line = n_ring = 0
    for kind, xy in sequences:
        n = len(xy)
        if kind == "line":
            n_line += 1
            if 0 < n < 2:
                if lines > 1:
                    return Message("line part {k} has only {n} point (a line needs at least 2)",
                                   k=n_line, n=n)
                return Message("line has only {n} point (a line needs at least 2)", n=n)
            continue
        n_ring += 1
        if 0 < n < 4:
            if rings > 1:
                msgid = ("ring {k} has {n} point (a ring needs at least 4, closed)" if n == 1
                         else "ring {k} has {n} points (a ring needs at least 4, closed)")
                return Message(msgid, k=n_ring, n=n)
            msgid = ("ring has {n} point (a ring needs at least 4, closed)" if n == 1
                     else "ring has {n} points (a ring needs at least 4, closed)")
            return Message(msgid, n=n)
        if n and not np.array_equal(xy[0, :2], xy[-1, :2]):
            if rings > 1:
                return Message("ring {k} is not closed (its last point differs from its first)",
                               k=n_ring)
            return Message("ring is not closed (its last point differs from its first)")
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


def _wkt_problem(text: Any) -> Message | None:
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
                         ) -> tuple[int, Any, Message] | None:
    """Re-read a layer raw and decode its features one by one: (0-based position, name, why)
    of the first geometry GEOS cannot build, or None.
    """
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
    return position, name, why or Message("geometry cannot be decoded (invalid coordinates)")


def _check_rings(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Refuse a polygon ring of fewer than 4 points, which GEOS builds but nothing can use
    (vectorised: polygons only).
    """
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
    raise GeometryError(_describe_sequences(sequences) or Message("ring has too few points"),
                        path=str(path), feature=_feature_label(position + 1, name))
