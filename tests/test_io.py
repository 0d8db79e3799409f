"""Reading every supported input format, and every way an input file can be bad."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from ntmgeo import _malformed, io, settings
from ntmgeo._errors import CRSError, GeometryError, InputError
from ntmgeo.i18n import describe_error

from geodata import LAT, LON, road_feature, roads_gdf, write_geojson
from malformed import CASES as MALFORMED

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="phone" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><name>Hàng cây ĐH43</name><trkseg>
    <trkpt lat="{lat}" lon="{lon}"><time>2024-03-05T08:00:00Z</time></trkpt>
    <trkpt lat="{lat}" lon="{lon2}"><time>2024-03-05T08:05:00Z</time></trkpt>
  </trkseg></trk>
</gpx>
"""

KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <Placemark><name>Chợ Đạ K'Nàng</name>
    <Point><coordinates>{lon},{lat}</coordinates></Point></Placemark>
</Document></kml>
"""


def _shapefile(folder: Path) -> Path:
    path = folder / "roads.shp"
    roads_gdf().to_file(path, encoding="utf-8")
    return path


class TestFormats:
    def test_geojson(self, tmp_path):
        gdf = io.read_features(write_geojson(tmp_path / "r.geojson", [road_feature()]))
        assert gdf.crs.to_epsg() == 4326 and gdf.iloc[0]["road_code"] == "ĐH42"

    def test_geopackage(self, tmp_path):
        path = tmp_path / "r.gpkg"
        roads_gdf("EPSG:5899").to_file(path, layer="duong")
        gdf = io.read_features(path)
        assert gdf.crs.to_epsg() == 5899 and gdf.iloc[0]["name"] == "Đường Đạ K'Nàng"

    def test_shapefile_keeps_vietnamese_text(self, tmp_path):
        gdf = io.read_features(_shapefile(tmp_path))
        assert gdf.iloc[0]["name"] == "Đường Đạ K'Nàng"

    def test_zipped_shapefile(self, tmp_path):
        shp = _shapefile(tmp_path)
        archive = tmp_path / "roads.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for part in shp.parent.glob("roads.*"):
                zf.write(part, f"data/{part.name}")
        gdf = io.read_features(archive)
        assert gdf.iloc[0]["road_code"] == "ĐH42"

    def test_kml(self, tmp_path):
        path = tmp_path / "p.kml"
        path.write_text(KML.format(lon=LON, lat=LAT), encoding="utf-8")
        gdf = io.read_features(path)
        assert gdf.iloc[0]["Name"] == "Chợ Đạ K'Nàng"

    def test_gpx_track_with_date(self, tmp_path):
        path = tmp_path / "t.gpx"
        path.write_text(GPX.format(lat=LAT, lon=LON, lon2=LON + 0.001), encoding="utf-8")
        gdf = io.read_features(path)
        assert gdf.geometry.iloc[0].geom_type in ("LineString", "MultiLineString")
        assert str(gdf.iloc[0]["date"]) == "2024-03-05"

    def test_csv_lon_lat(self, tmp_path):
        path = tmp_path / "p.csv"
        path.write_text(f"name,lon,lat\nChợ,{LON},{LAT}\n", encoding="utf-8")
        gdf = io.read_features(path)
        assert gdf.crs.to_epsg() == 4326 and gdf.geometry.iloc[0].x == pytest.approx(LON)

    def test_csv_projected_coordinates_need_crs(self, tmp_path):
        path = tmp_path / "p.csv"
        path.write_text("name,x,y\nChợ,583000,1338000\n", encoding="utf-8")
        with pytest.raises(CRSError, match="has no CRS"):
            io.read_features(path)
        assert io.read_features(path, crs="EPSG:5899").crs.to_epsg() == 5899


class TestBadFiles:
    def test_missing(self, tmp_path):
        with pytest.raises(InputError, match="file not found"):
            io.read_features(tmp_path / "nope.geojson")

    def test_unsupported_type(self, tmp_path):
        path = tmp_path / "r.dwg"
        path.write_bytes(b"AC1015")
        with pytest.raises(InputError, match="unsupported file type '.dwg'"):
            io.read_features(path)

    def test_empty_file(self, tmp_path):
        path = tmp_path / "r.geojson"
        path.touch()
        with pytest.raises(InputError, match="file is empty"):
            io.read_features(path)

    def test_truncated_geojson(self, tmp_path):
        path = write_geojson(tmp_path / "r.geojson", [road_feature(), road_feature("ĐH43")])
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        with pytest.raises(InputError, match=r"r\.geojson: cannot be read"):
            io.read_features(path)

    def test_broken_shapefile(self, tmp_path):
        shp = _shapefile(tmp_path)
        shp.write_bytes(shp.read_bytes()[:60])
        with pytest.raises(InputError, match="cannot be read"):
            io.read_features(shp)

    def test_shapefile_without_prj_has_no_crs(self, tmp_path):
        shp = _shapefile(tmp_path)
        shp.with_suffix(".prj").unlink()
        with pytest.raises(CRSError, match=r"has no CRS \(no \.prj") as info:
            io.read_features(shp)
        # the remedy is the shell's: the CLI adds its --crs, the web its form's field
        assert info.value.hint == "crs" and "--" not in str(info.value)

    def test_declared_crs_contradicted(self, tmp_path):
        path = write_geojson(tmp_path / "r.geojson", [road_feature()])
        with pytest.raises(CRSError, match="declares CRS .* but the CRS given is EPSG:5899"):
            io.read_features(path, crs="EPSG:5899")

    def test_deprecated_crs_refused(self, tmp_path):
        path = tmp_path / "p.csv"
        path.write_text("x,y\n583000,1338000\n", encoding="utf-8")
        with pytest.raises(CRSError, match="deprecated"):
            io.read_features(path, crs="EPSG:6959")

    def test_file_over_the_size_limit_is_not_read(self, tmp_path):
        path = tmp_path / "huge.geojson"
        with path.open("wb") as fh:  # sparse: 150 MB on paper, nothing on disk
            fh.truncate(150 * 1024 * 1024)
        with pytest.raises(InputError, match="150 MiB, larger than the limit of 100 MiB"):
            io.read_features(path)

    def test_gpx_without_points(self, tmp_path):
        path = tmp_path / "t.gpx"
        path.write_text('<?xml version="1.0"?><gpx version="1.1" creator="x" '
                        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>x</name>'
                        "<trkseg></trkseg></trk></gpx>", encoding="utf-8")
        with pytest.raises(InputError, match="GPX holds no track, route or waypoint"):
            io.read_features(path)

    def test_csv_without_coordinates(self, tmp_path):
        path = tmp_path / "p.csv"
        path.write_text("name,note\na,b\n", encoding="utf-8")
        with pytest.raises(InputError, match="no coordinate columns"):
            io.read_features(path)

    def test_gpkg_with_several_layers_needs_a_name(self, tmp_path):
        path = tmp_path / "two.gpkg"
        roads_gdf().to_file(path, layer="a")
        roads_gdf().to_file(path, layer="b")
        with pytest.raises(InputError, match="several layers \\(a, b\\)"):
            io.read_features(path)
        assert len(io.read_features(path, layer="b")) == 1


class TestArchives:
    def test_path_traversal_is_refused(self, tmp_path):
        archive = tmp_path / "evil.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("../../etc/roads.shp", b"x")
        with pytest.raises(InputError, match="unsafe path"):
            io.read_features(archive)

    def test_decompression_bomb_is_refused(self, tmp_path):
        archive = tmp_path / "bomb.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("roads.dbf", b"\0" * (50 * 1024 * 1024))
        with pytest.raises(InputError, match="decompression bomb"):
            io.read_features(archive)

    def test_archive_without_shapefile(self, tmp_path):
        archive = tmp_path / "none.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("readme.txt", "nothing")
        with pytest.raises(InputError, match="holds no shapefile"):
            io.read_features(archive)

    def test_archive_missing_dbf(self, tmp_path):
        shp = _shapefile(tmp_path)
        archive = tmp_path / "partial.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.write(shp, "roads.shp")
            zf.write(shp.with_suffix(".shx"), "roads.shx")
        with pytest.raises(InputError, match="lacks roads.dbf"):
            io.read_features(archive)

    def test_not_a_zip(self, tmp_path):
        archive = tmp_path / "fake.zip"
        archive.write_bytes(b"not a zip at all")
        with pytest.raises(InputError, match="not a readable ZIP"):
            io.read_features(archive)


class TestReprojection:
    @pytest.mark.parametrize("crs", ["EPSG:5899", "EPSG:32648", "EPSG:3405"])
    def test_projected_input_lands_where_wgs84_input_does(self, crs):
        wgs = roads_gdf()
        back = io.to_storage_crs(roads_gdf(crs))
        assert back.geometry.iloc[0].hausdorff_distance(wgs.geometry.iloc[0]) < 1e-8  # < 1 mm

    def test_storage_crs_is_the_setting(self):
        assert io.to_storage_crs(roads_gdf("EPSG:5899")).crs.to_string() == settings.storage_crs

    def test_vn2000_uses_the_epsg_transformation_not_a_handwritten_towgs84(self):
        # PROJ's EPSG transformation (EPSG:6960) and a +towgs84 string with the published
        # parameters but the other rotation convention disagree by ~0.5 m in Lâm Đồng.
        point = gpd.GeoSeries.from_xy([LON], [LAT], crs="EPSG:4326")
        epsg = io.to_storage_crs(gpd.GeoDataFrame(geometry=point.to_crs("EPSG:5899")))
        handwritten = ("+proj=tmerc +lat_0=0 +lon_0=107.75 +k=0.9999 +x_0=500000 +y_0=0 "
                       "+ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,"
                       "-0.00928836,0.01975479,-0.00427372,0.252906278 +units=m +no_defs")
        wrong = point.to_crs(handwritten).iloc[0]
        right = point.to_crs("EPSG:5899").iloc[0]
        assert 0.5 < right.distance(wrong) < 0.6  # metres
        assert epsg.geometry.iloc[0].distance(point.iloc[0]) < 1e-8


class TestLegacyText:
    WORDS = ["Đạ K'Nàng", "Liêng Srônh", "Đường huyện ĐH42", "Nông thôn mới"]

    def _legacy_shapefile(self, tmp_path, encode) -> Path:
        gdf = gpd.GeoDataFrame({"name": [encode(w).decode("latin1") for w in self.WORDS]},
                               geometry=gpd.points_from_xy([LON] * 4, [LAT] * 4),
                               crs="EPSG:4326")
        path = tmp_path / "old.shp"
        gdf.to_file(path, encoding="latin1")
        path.with_suffix(".cpg").unlink(missing_ok=True)
        return path

    @pytest.mark.parametrize("name", ["tcvn3", "cp1258"])
    def test_detected_without_cpg(self, tmp_path, name):
        from ntmgeo import encodings

        encode = encodings.encode_tcvn3 if name == "tcvn3" else encodings.encode_cp1258
        gdf = io.read_features(self._legacy_shapefile(tmp_path, encode))
        assert list(gdf["name"]) == self.WORDS

    def test_given_encoding(self, tmp_path):
        from ntmgeo import encodings

        path = self._legacy_shapefile(tmp_path, encodings.encode_tcvn3)
        assert list(io.read_features(path, encoding="tcvn3")["name"]) == self.WORDS

    def test_utf8_without_cpg(self, tmp_path):
        path = self._legacy_shapefile(tmp_path, lambda w: w.encode("utf-8"))
        assert list(io.read_features(path)["name"]) == self.WORDS


class TestSwappedAxes:
    def test_vn2000_table_with_x_as_northing_is_recognised(self, tmp_path):
        path = tmp_path / "pts.csv"
        path.write_text("name,x,y\nCọc 1,1338150.78,537903.75\n", encoding="utf-8")
        gdf = io.read_features(path, crs="EPSG:5899")
        assert gdf.geometry.iloc[0].x == pytest.approx(537903.75)
        wgs = io.to_storage_crs(gdf).geometry.iloc[0]
        assert (round(wgs.x, 2), round(wgs.y, 2)) == (LON, LAT)

    def test_swap_on_request(self, tmp_path):
        path = tmp_path / "pts.csv"
        path.write_text("x,y\n10,20\n", encoding="utf-8")
        gdf = io.read_features(path, crs="EPSG:5899", swap_xy=True)
        assert (gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y) == (20, 10)

    def test_ordinary_easting_northing_untouched(self, tmp_path):
        path = tmp_path / "pts.csv"
        path.write_text("x,y\n537903.75,1338150.78\n", encoding="utf-8")
        assert io.read_features(path, crs="EPSG:5899").geometry.iloc[0].x == pytest.approx(
            537903.75)


class TestMalformed:
    """Lines of one point, short or open rings, misnamed and truncated files: an InputError
    naming the file, the feature (where the file can tell) and the reason, never a GEOS or
    GDAL exception.
    """

    @pytest.mark.parametrize("case", sorted(MALFORMED))
    def test_refused_naming_file_feature_and_reason(self, case, tmp_path):
        expected = MALFORMED[case](tmp_path)
        with pytest.raises(InputError) as info:
            io.read_features(expected.path)
        err = info.value
        assert (err.path, err.feature, err.reason) == (str(expected.path), expected.feature,
                                                       expected.reason)
        assert isinstance(err, GeometryError) == expected.geometry
        assert "\n" not in str(err)
        assert describe_error(err, "en") == str(err)
        assert describe_error(err, "vi").endswith(expected.reason_in("vi"))  # in Vietnamese

    def test_good_files_never_take_the_per_feature_path(self, tmp_path, monkeypatch):
        def fail(*args, **kwargs):
            raise AssertionError("per-feature decoding ran on a good file")

        monkeypatch.setattr(_malformed, "_locate_bad_geometry", fail)
        monkeypatch.setattr(_malformed, "_content_problem", fail)
        path = tmp_path / "t.gpx"
        path.write_text(GPX.format(lat=LAT, lon=LON, lon2=LON + 0.001), encoding="utf-8")
        assert len(io.read_features(path)) == 1
        assert len(io.read_features(write_geojson(tmp_path / "r.geojson", [road_feature()]))) == 1
        assert len(io.read_features(_shapefile(tmp_path))) == 1
