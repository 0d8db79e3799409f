"""Malformed input files, made on the spot: lines of one point, rings too short or not closed,
files that are not what their extension says, files cut short. Shared by test_io (the
reader), test_cli (`ntmgeo import`) and web/test_app (the upload).

``CASES[name](folder)`` writes the file into ``folder`` and returns a :class:`Case`: the path
to give the reader, the feature the error must name (None where the file cannot tell) and the
English reason; :meth:`Case.reason_in` gives it in Vietnamese too (the lines the CLI and the web
showed before the messages moved to the gettext catalogue, written out here on purpose).
"""

from __future__ import annotations

import json
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
from pyogrio.raw import write as raw_write
from shapely.geometry import LineString

from geodata import LAT, LON

ONE_POINT = "line has only 1 point (a line needs at least 2)"
SHORT_RING = "ring has 3 points (a ring needs at least 4, closed)"
OPEN_RING = "ring is not closed (its last point differs from its first)"
MISMATCH = "(its content does not match its extension)"
TRUNCATED = "cannot be read: file is truncated"


_CUT = "bị cắt cụt (thiếu phần cuối)"
_NOT_IT = "(nội dung không khớp với đuôi tệp)"
VIETNAMESE = {
    ONE_POINT: "hình học dạng đường chỉ có 1 điểm (một đường cần ít nhất 2 điểm)",
    "line part 2 has only 1 point (a line needs at least 2)":
        "phần 2 của hình học dạng đường chỉ có 1 điểm (một đường cần ít nhất 2 điểm)",
    SHORT_RING: "vòng của đa giác chỉ có 3 điểm (một vòng cần ít nhất 4 điểm, khép kín)",
    OPEN_RING: "vòng của đa giác không khép kín (điểm cuối khác điểm đầu)",
    "ring 2 has 3 points (a ring needs at least 4, closed)":
        "vòng thứ 2 của đa giác chỉ có 3 điểm (một vòng cần ít nhất 4 điểm, khép kín)",
    **{f"cannot be read: not {what} {MISMATCH}": f"không đọc được: không phải tệp {name} {_NOT_IT}"
       for what, name in (("a GPX file", "GPX"), ("a GeoJSON file", "GeoJSON"),
                          ("a KML file", "KML"), ("a shapefile", "shapefile"),
                          ("a GeoPackage", "GeoPackage"))},
    "not a readable ZIP archive (File is not a zip file)":
        "không phải tệp nén ZIP đọc được (File is not a zip file)",
    TRUNCATED: f"không đọc được: tệp {_CUT}",
    **{f"cannot be read: the {ext} file is truncated": f"không đọc được: tệp {ext} {_CUT}"
       for ext in (".shp", ".shx", ".dbf")},
    **{f"cannot be read: the {ext} file is missing (a shapefile needs .shp, .shx and .dbf)":
       f"không đọc được: thiếu tệp {ext} (shapefile cần đủ .shp, .shx và .dbf)"
       for ext in (".shx", ".dbf")},
}


@dataclass(frozen=True)
class Case:
    path: Path
    feature: int | str | None
    reason: str
    geometry: bool = False  # a GeometryError (else a file-level InputError)

    def reason_in(self, lang: str) -> str:
        """The reason as the CLI and the web give it in ``lang`` ("vi" or "en")."""
        return VIETNAMESE[self.reason] if lang == "vi" else self.reason


def _line(n: int = 3, dx: float = 0.001) -> list[list[float]]:
    return [[LON + i * dx, LAT + i * dx / 2] for i in range(n)]


def _geojson(path: Path, geometries: list[dict], **props) -> Path:
    features = [{"type": "Feature", "properties": {"survey_id": f"sv-{i + 1}", **props},
                 "geometry": g} for i, g in enumerate(geometries)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


def _gpx(path: Path, body: str) -> Path:
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="phone" '
                    f'xmlns="http://www.topografix.com/GPX/1/1">{body}</gpx>\n', encoding="utf-8")
    return path


def _trk(name: str, *segments: int) -> str:
    segs = "".join(
        "<trkseg>" + "".join(f'<trkpt lat="{LAT}" lon="{LON + i * 0.001}"><ele>900</ele>'
                             f"<time>2024-03-05T08:0{i % 10}:00Z</time></trkpt>"
                             for i in range(n)) + "</trkseg>" for n in segments)
    return f"<trk><name>{name}</name>{segs}</trk>"


def _kml(path: Path, *placemarks: tuple[str, str]) -> Path:
    marks = "".join(f"<Placemark><name>{name}</name>{geom}</Placemark>"
                    for name, geom in placemarks)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/'
                    f'kml/2.2"><Document>{marks}</Document></kml>\n', encoding="utf-8")
    return path


def _kml_line(n: int) -> str:
    return ("<LineString><coordinates>" + " ".join(f"{x},{y},0" for x, y in _line(n))
            + "</coordinates></LineString>")


def _wkb_line(points: list[list[float]]) -> bytes:
    return struct.pack("<BII", 1, 2, len(points)) + b"".join(struct.pack("<dd", *p)
                                                            for p in points)


def _one_point_line_file(path: Path, driver: str) -> Path:
    """Two lines, the second of one point: OGR writes it, GEOS cannot build it."""
    geoms = np.array([_wkb_line(_line(3)), _wkb_line(_line(1))], dtype=object)
    raw_write(str(path), geoms, [np.array(["Hàng cây 1", "Hàng cây 2"], dtype=object)],
              fields=["name"], geometry_type="LineString", crs="EPSG:4326", driver=driver,
              encoding="UTF-8" if driver == "ESRI Shapefile" else None)
    return path


def _shapefile(folder: Path, n: int = 5) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "rows.shp"
    lines = [LineString([(LON + i * 0.002, LAT), (LON + i * 0.002 + 0.001, LAT + 0.0005),
                         (LON + i * 0.002 + 0.002, LAT)]) for i in range(n)]
    gpd.GeoDataFrame({"survey_id": [f"sv-{i + 1}" for i in range(n)]}, geometry=lines,
                     crs="EPSG:4326").to_file(path, encoding="utf-8")
    return path


def _gpkg(path: Path) -> Path:
    shp = _shapefile(path.parent / "for_gpkg")
    gpd.read_file(shp).to_file(path, layer="rows")
    return path


def _cut(path: Path, keep: int) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[:keep] if keep >= 0 else data[:len(data) + keep])
    return path


def _text(path: Path) -> Path:
    path.write_text("Ghi chú khảo sát: hàng cây ĐH43, 120 cây\n", encoding="utf-8")
    return path


def _zip(archive: Path, shp: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.parent.glob(shp.stem + ".*"):
            zf.write(part, part.name)
    return archive


def _square(closed: bool = True, n: int = 4) -> list[list[float]]:
    d = 0.01
    ring = [[LON, LAT], [LON + d, LAT], [LON + d, LAT + d], [LON, LAT + d]][:n]
    return [*ring, ring[0]] if closed else ring


def _cases() -> dict[str, Callable[[Path], Case]]:
    c: dict[str, Callable[[Path], Case]] = {}
    # --- a line of one point: GEOS refuses to build it when pyogrio decodes the WKB
    c["geojson line of one point"] = lambda d: Case(_geojson(
        d / "rows.geojson", [{"type": "LineString", "coordinates": _line(3)},
                             {"type": "LineString", "coordinates": _line(1)}]), 2, ONE_POINT, True)
    c["gpx track of one point"] = lambda d: Case(
        _gpx(d / "one.gpx", _trk("Track 1", 1)), "1 (name=Track 1)", ONE_POINT, True)
    c["gpx second track of one point"] = lambda d: Case(
        _gpx(d / "two.gpx", _trk("Sáng", 5) + _trk("Chiều", 1)), "2 (name=Chiều)", ONE_POINT,
        True)
    c["gpx track segment of one point"] = lambda d: Case(
        _gpx(d / "seg.gpx", _trk("Sáng", 5, 1)), "1 (name=Sáng)",
        "line part 2 has only 1 point (a line needs at least 2)", True)
    c["gpx route of one point after a track"] = lambda d: Case(
        _gpx(d / "route.gpx", _trk("Sáng", 5) + f'<rte><name>R</name><rtept lat="{LAT}" '
                                                 f'lon="{LON}"/></rte>'),
        "2 (name=R)", ONE_POINT, True)
    c["kml line of one point"] = lambda d: Case(
        _kml(d / "rows.kml", ("A", _kml_line(3)), ("B", _kml_line(1))), "2 (name=B)", ONE_POINT,
        True)
    c["shapefile line of one point"] = lambda d: Case(
        _one_point_line_file(d / "rows.shp", "ESRI Shapefile"), "2 (name=Hàng cây 2)", ONE_POINT,
        True)
    c["geopackage line of one point"] = lambda d: Case(
        _one_point_line_file(d / "rows.gpkg", "GPKG"), "2 (name=Hàng cây 2)", ONE_POINT, True)
    c["csv wkt line of one point"] = lambda d: Case(
        _write(d / "rows.csv", 'survey_id,wkt\nsv-1,"LINESTRING (108.1 12.1, 108.2 12.1)"\n'
                               f'sv-2,"LINESTRING ({LON} {LAT})"\n'), 2, ONE_POINT, True)
    # --- polygon rings: 3 points (GEOS builds it, nothing can use it), or not closed
    c["geojson ring of three points"] = lambda d: Case(_geojson(
        d / "ring.geojson", [{"type": "Polygon", "coordinates": [_square(n=2)]}]), 1,
        SHORT_RING, True)
    c["geojson ring not closed"] = lambda d: Case(_geojson(
        d / "open.geojson", [{"type": "Polygon", "coordinates": [_square()]},
                             {"type": "Polygon", "coordinates": [_square(closed=False)]}]), 2,
        OPEN_RING, True)
    c["geojson hole of three points"] = lambda d: Case(_geojson(
        d / "hole.geojson", [{"type": "Polygon", "coordinates": [
            [[LON - 1, LAT - 1], [LON + 1, LAT - 1], [LON + 1, LAT + 1], [LON - 1, LAT - 1]],
            _square(n=2)]}]), 1, "ring 2 has 3 points (a ring needs at least 4, closed)", True)
    c["kml ring not closed"] = lambda d: Case(_kml(d / "area.kml", ("Vườn hoa", (
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
        + " ".join(f"{x},{y}" for x, y in _square(closed=False))
        + "</coordinates></LinearRing></outerBoundaryIs></Polygon>"))), "1 (name=Vườn hoa)",
        OPEN_RING, True)
    c["csv wkt ring not closed"] = lambda d: Case(_write(
        d / "areas.csv", "area_id,wkt\na1,\"POLYGON ((" + ", ".join(
            f"{x} {y}" for x, y in _square(closed=False)) + '))"\n'), 1, OPEN_RING, True)
    # --- not what the extension says
    for ext, what in ((".gpx", "a GPX file"), (".geojson", "a GeoJSON file"),
                      (".kml", "a KML file"), (".shp", "a shapefile"),
                      (".gpkg", "a GeoPackage")):
        c[f"text named {ext}"] = _misnamed(ext, what)
    c["text named .zip"] = lambda d: Case(_text(d / "notes.zip"), None,
                                          "not a readable ZIP archive (File is not a zip file)")
    # --- cut short
    c["truncated gpx"] = lambda d: Case(
        _cut(_gpx(d / "cut.gpx", _trk("Sáng", 20)), 700), None, TRUNCATED)
    c["truncated kml"] = lambda d: Case(_cut(_kml(
        d / "cut.kml", *[(f"P{i}", _kml_line(3)) for i in range(6)]), 600), None, TRUNCATED)
    c["truncated geojson"] = lambda d: Case(_cut(_geojson(
        d / "cut.geojson", [{"type": "LineString", "coordinates": _line(3)}] * 6), 400), None,
        TRUNCATED)
    c["truncated geopackage"] = lambda d: Case(_cut(_gpkg(d / "cut.gpkg"), 40_000), None,
                                               TRUNCATED)
    c["shapefile with its .shp cut in half"] = lambda d: Case(
        _cut_half(_shapefile(d / "half")), 3, "cannot be read: the .shp file is truncated")
    c["zipped shapefile with its .shp cut in half"] = lambda d: Case(
        _zip(d / "half.zip", _cut_half(_shapefile(d / "zhalf"))), 3,
        "cannot be read: the .shp file is truncated")
    c["shapefile without its .shx"] = lambda d: Case(
        _drop(_shapefile(d / "noshx"), ".shx"), None,
        "cannot be read: the .shx file is missing (a shapefile needs .shp, .shx and .dbf)")
    c["shapefile without its .dbf"] = lambda d: Case(
        _drop(_shapefile(d / "nodbf"), ".dbf"), None,
        "cannot be read: the .dbf file is missing (a shapefile needs .shp, .shx and .dbf)")
    c["shapefile with its .dbf cut short"] = lambda d: Case(
        _cut_part(_shapefile(d / "cutdbf"), ".dbf", -30), 5,
        "cannot be read: the .dbf file is truncated")
    c["shapefile with its .shx cut short"] = lambda d: Case(
        _cut_part(_shapefile(d / "cutshx"), ".shx", 100 + 8 * 2 + 3), 3,
        "cannot be read: the .shx file is truncated")
    return c


def _misnamed(ext: str, what: str) -> Callable[[Path], Case]:
    """A text file named like another format."""
    return lambda d: Case(_text(d / f"notes{ext}"), None, f"cannot be read: not {what} {MISMATCH}")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _cut_half(shp: Path) -> Path:
    return _cut(shp, shp.stat().st_size // 2)


def _cut_part(shp: Path, ext: str, keep: int) -> Path:
    _cut(shp.with_suffix(ext), keep)
    return shp


def _drop(shp: Path, ext: str) -> Path:
    shp.with_suffix(ext).unlink()
    return shp


CASES = _cases()
