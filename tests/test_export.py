"""Exports: zipped shapefiles (UTF-8, .cpg, .prj, short names, data dictionary), GeoPackage,
GeoJSON and KML, each verified by reading it back; a failed verification leaves nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import zipfile
from pathlib import Path
from typing import ClassVar

import fiona
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import CRS, Transformer
from pyproj.datadir import get_data_dir
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from ntmgeo import export, ingest
from ntmgeo._errors import CRSError, LayerSchemaError
from ntmgeo.layers import conform, load_schema
from ntmgeo.store.gpkg import GpkgStore

LON, LAT = 108.10, 12.10
PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SHAPEFILES = ["admin_units", "roads", "sites_points", "sites_polygons", "surveys_lines",
              "surveys_points"]
LONG_NOTE = ("Ghi chú rất dài về tuyến đường Đạ K'Nàng – " * 8).strip()  # noqa: RUF001


def _square(x: float, y: float, d: float) -> Polygon:
    return Polygon([(x, y), (x + d, y), (x + d, y + d), (x, y + d)])


def build_store(path: Path) -> GpkgStore:
    """A small Lâm Đồng store with Vietnamese text in every kind of field."""
    store = GpkgStore.create(path, prov_code="68", title="Đam Rông (thử)")
    units = gpd.GeoDataFrame({
        "code": ["674", "24889", "24874"], "level": ["district", "commune", "commune"],
        "name": ["Đam Rông", "Đạ K'Nàng", "Liêng Srônh"],
        "aliases": [None, ["Đa K'Nàng", "Đạ K' Nàng"], ["Liêng S'Rônh"]],
        "parent_code": [None, "674", "674"],
        "valid_from": ["2004-01-01", "2008-01-01", "2008-01-01"],
        "population": [54217, 12345, None],
        "source": ['Ranh giới <GADM> & "OSM"', None, None]},
        geometry=[_square(LON, LAT, 0.2), _square(LON, LAT, 0.1), _square(LON + 0.1, LAT, 0.1)],
        crs="EPSG:4326")
    store.write_features("admin_units", conform(units, load_schema("admin_units")))
    roads = gpd.GeoDataFrame({
        "dist_code": ["674", "674"], "road_code": ["ĐH42", "ĐH43"], "road_class": ["ĐH", "ĐH"],
        "name": ["Đường huyện ĐH42", "Đường Liêng Srônh"],
        "from_place": ["Chợ Đạ K'Nàng", "Trạm Y tế Liêng Srônh"],
        "surface": [["chip_seal", "earth"], ["asphalt_concrete"]],
        "official_length_km": [2.5, 7.18], "note": [LONG_NOTE, None]},
        geometry=[LineString([(LON, LAT), (LON + 0.0123456789, LAT + 0.00987654321)]),
                  MultiLineString([[(LON + 0.05, LAT), (LON + 0.06, LAT + 0.01)],
                                   [(LON + 0.07, LAT + 0.02), (LON + 0.08, LAT + 0.03)]])],
        crs="EPSG:4326")
    store.write_features("roads", conform(roads, load_schema("roads")))
    surveys = gpd.GeoDataFrame({
        "survey_id": ["sv1", "sv2", "sv3"], "road_code": ["ĐH42", "ĐH42", "ĐH43"],
        "survey_date": ["2024-05-01", "2024-05-02", "2024-06-01"], "tree_count": [12, None, 1],
        "species": ["Sao đen", "Muồng hoàng yến", None]},
        geometry=[LineString([(LON, LAT), (LON + 0.005, LAT + 0.004)]),
                  Point(LON + 0.001, LAT + 0.001), Point(LON + 0.002, LAT + 0.0015)],
        crs="EPSG:4326")
    store.write_features("surveys", conform(surveys, load_schema("surveys")))
    sites = gpd.GeoDataFrame({
        "site_id": ["s1", "s2"], "name": ["Bến xe khách huyện", "Cụm công nghiệp Đạ K'Nàng"],
        "site_type": ["bus_station", "industrial_cluster"],
        "status": ["planned", "under_construction"], "env_infrastructure": [None, True],
        "deadline": ["2024-10-30", None]},
        geometry=[Point(LON + 0.03, LAT + 0.03),
                  Polygon([(LON + 0.04, LAT + 0.04), (LON + 0.05, LAT + 0.04),
                           (LON + 0.05, LAT + 0.05)])],
        crs="EPSG:4326")
    store.write_features("sites", conform(sites, load_schema("sites")))
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GpkgStore:
    return build_store(tmp_path_factory.mktemp("export") / "p.gpkg")


@pytest.fixture(scope="module")
def shp_zip(store: GpkgStore, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("shp") / "damrong_shp.zip"
    result = export.to_shapefiles(store, out)
    return out, result


def _vsi(zip_path: Path, member: str) -> str:
    return f"/vsizip/{zip_path}/{member}"


def _base(shp_layer: str) -> str:
    """The store layer an output layer comes from (``surveys_points`` -> ``surveys``)."""
    base, _, family = shp_layer.rpartition("_")
    return base if family in ("points", "lines", "polygons") else shp_layer


def _stored(store: GpkgStore, shp_layer: str) -> gpd.GeoDataFrame:
    """The stored features that went into an output layer (a split layer takes its family)."""
    base, _, family = shp_layer.rpartition("_")
    if family not in ("points", "lines", "polygons"):
        base, family = shp_layer, None
    gdf = store.read_layer(base).reset_index(drop=True)
    if family is None:
        return gdf
    want = {"points": ("Point", "MultiPoint"), "lines": ("LineString", "MultiLineString"),
            "polygons": ("Polygon", "MultiPolygon")}[family]
    return gdf[gdf.geom_type.isin(want)].reset_index(drop=True)


def _na(value) -> bool:
    return value is None or (not isinstance(value, list) and bool(pd.isna(value)))


def _dbf_fields(data: bytes) -> list[tuple[str, str, int, int]]:
    """(name, type, width, decimals) of each field, parsed from the dBase header by hand."""
    out = []
    for offset in range(32, len(data), 32):
        if data[offset] == 0x0D:
            break
        desc = data[offset:offset + 32]
        out.append((desc[:11].split(b"\0")[0].decode("ascii"), chr(desc[11]), desc[16],
                    desc[17]))
    return out


class TestShapefileZip:
    def test_every_layer_has_its_five_files_and_mixed_layers_are_split(self, shp_zip):
        path, result = shp_zip
        names = set(zipfile.ZipFile(path).namelist())
        for layer in SHAPEFILES:
            for ext in PARTS:
                assert f"{layer}{ext}" in names
        assert {"data_dictionary.csv", "data_dictionary.html"} <= names
        assert set(result["layers"]) == set(SHAPEFILES)
        # empty layers are left out, and said so (the sample has no works)
        assert result["skipped"] == ["green_areas", "works"]
        assert result["crs"] == "EPSG:5899" and result["verified"] is True

    def test_cpg_says_utf8(self, shp_zip):
        path, _ = shp_zip
        with zipfile.ZipFile(path) as zf:
            for layer in SHAPEFILES:
                assert zf.read(f"{layer}.cpg").decode("ascii").strip() == "UTF-8"

    @pytest.mark.parametrize("layer", SHAPEFILES)
    def test_text_reads_identically_with_fiona_and_pyogrio(self, store, shp_zip, layer):
        path, _ = shp_zip
        schema = load_schema(_base(layer))
        stored = _stored(store, layer)
        by_pyogrio = pyogrio.read_dataframe(_vsi(path, f"{layer}.shp"))
        with fiona.open(_vsi(path, f"{layer}.shp")) as src:
            by_fiona = [dict(f.properties) for f in src]
        assert len(by_pyogrio) == len(by_fiona) == len(stored)
        for f in schema.fields:
            if f.type != "text":
                continue
            want = [None if v is None else v[:80] if f.name == "note" else v
                    for v in stored[f.name].tolist()]
            got_p = [None if not isinstance(v, str) else v for v in by_pyogrio[f.shp_name]]
            got_f = [row[f.shp_name] for row in by_fiona]
            if f.name == "note":  # the long note is cut to 254 bytes: compare its start
                got_p = [None if v is None else v[:80] for v in got_p]
                got_f = [None if v is None else v[:80] for v in got_f]
            assert got_p == want, f.name
            assert got_f == want, f.name

    def test_known_words_byte_for_byte(self, shp_zip):
        path, _ = shp_zip
        with fiona.open(_vsi(path, "admin_units.shp")) as src:
            names = [f.properties["name"] for f in src]
        assert names == ["Đam Rông", "Đạ K'Nàng", "Liêng Srônh"]
        roads = pyogrio.read_dataframe(_vsi(path, "roads.shp"))
        assert roads["road_code"].tolist() == ["ĐH42", "ĐH43"]
        assert roads["surface"].tolist() == ["chip_seal|earth", "asphalt_concrete"]
        assert "Đ".encode() in zipfile.ZipFile(path).read("roads.dbf")

    def test_prj_is_recognised_as_the_vn2000_zone(self, shp_zip):
        path, _ = shp_zip
        prj = zipfile.ZipFile(path).read("roads.prj").decode("ascii")
        crs = CRS.from_user_input(prj)
        assert crs.to_epsg(min_confidence=90) == 5899
        assert prj.startswith('PROJCS["VN_2000_TM-3_107-45"')
        assert 'DATUM["D_Vietnam_2000"' in prj and 'PARAMETER["Central_Meridian",107.75]' in prj
        # The names are ArcGIS's own for EPSG:5899 (PROJ records them from ArcGIS Pro).
        con = sqlite3.connect(os.path.join(get_data_dir(), "proj.db"))
        esri = con.execute("SELECT alt_name FROM alias_name WHERE table_name='projected_crs' "
                           "AND auth_name='EPSG' AND code='5899' AND source='ESRI'").fetchone()
        con.close()
        assert esri == ("VN_2000_TM-3_107-45",)

    def test_prj_reprojects_like_the_epsg_code(self, shp_zip):
        path, _ = shp_zip
        prj = zipfile.ZipFile(path).read("roads.prj").decode("ascii")
        lon, lat = np.meshgrid(np.linspace(107.5, 108.7, 7), np.linspace(11.3, 12.5, 7))
        by_code = Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True)
        by_prj = Transformer.from_crs("EPSG:4326", CRS(prj), always_xy=True)
        xa, ya = by_code.transform(lon.ravel(), lat.ravel())
        xb, yb = by_prj.transform(lon.ravel(), lat.ravel())
        assert np.max(np.hypot(np.subtract(xa, xb), np.subtract(ya, yb))) < 0.001
        with fiona.open(_vsi(path, "roads.shp")) as src:
            assert src.crs.to_epsg() == 5899

    def test_field_names_are_the_schema_short_names(self, store, shp_zip):
        path, _ = shp_zip
        with zipfile.ZipFile(path) as zf:
            for layer in SHAPEFILES:
                base = _base(layer)
                names = [n for n, *_ in _dbf_fields(zf.read(f"{layer}.dbf"))]
                assert names == [f.shp_name for f in load_schema(base).fields]
                assert all(len(n) <= 10 and n.isascii() for n in names)
                assert len({n.lower() for n in names}) == len(names)

    def test_fields_are_typed(self, shp_zip):
        path, _ = shp_zip
        with zipfile.ZipFile(path) as zf:
            units = {n: (t, d) for n, t, _, d in _dbf_fields(zf.read("admin_units.dbf"))}
            roads = {n: (t, d) for n, t, _, d in _dbf_fields(zf.read("roads.dbf"))}
            surveys = {n: (t, d) for n, t, _, d in _dbf_fields(zf.read("surveys_points.dbf"))}
            sites = {n: (t, d) for n, t, _, d in _dbf_fields(zf.read("sites_points.dbf"))}
        assert units["valid_from"][0] == "D" and surveys["surv_date"][0] == "D"
        assert units["pop"] == ("N", 0) and surveys["tree_count"] == ("N", 0)
        assert roads["off_len_km"][0] in ("N", "F") and roads["off_len_km"][1] > 0
        assert sites["env_infra"][0] == "L"
        assert units["name"][0] == "C" and units["aliases"][0] == "C"
        with fiona.open(_vsi(path, "admin_units.shp")) as src:
            rows = [dict(f.properties) for f in src]
        assert [r["pop"] for r in rows] == [54217, 12345, None]
        assert rows[0]["valid_from"] == "2004-01-01"
        assert rows[1]["aliases"] == "Đa K'Nàng|Đạ K' Nàng"

    def test_coordinates_within_1mm_of_a_direct_transformation(self, store, shp_zip):
        path, _ = shp_zip
        to_zone = Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True)
        for layer in SHAPEFILES:
            stored = _stored(store, layer)
            read = pyogrio.read_dataframe(_vsi(path, f"{layer}.shp"))
            assert len(read) == len(stored)
            for want, got in zip(stored.geometry, read.geometry, strict=True):
                expected = shapely.transform(
                    want, lambda xy: np.column_stack(to_zone.transform(xy[:, 0], xy[:, 1])))
                assert shapely.hausdorff_distance(expected, got) < 0.001

    def test_long_text_is_cut_at_254_bytes_on_a_character_boundary(self, shp_zip):
        path, result = shp_zip
        assert result["truncated"] == [{"layer": "roads", "feature": 1, "field": "note",
                                        "bytes": len(LONG_NOTE.encode("utf-8"))}]
        note = pyogrio.read_dataframe(_vsi(path, "roads.shp"))["note"][0]
        assert len(note.encode("utf-8")) <= 254
        assert LONG_NOTE.startswith(note)


class TestDataDictionary:
    def test_csv_maps_every_short_name_of_every_layer(self, store, shp_zip):
        path, _ = shp_zip
        text = zipfile.ZipFile(path).read("data_dictionary.csv").decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert list(rows[0]) == ["layer", "shp_name", "field", "type", "label_vi", "label_en",
                                 "unit"]
        for layer in SHAPEFILES:
            base = _base(layer)
            mine = [r for r in rows if r["layer"] == layer]
            assert [r["shp_name"] for r in mine] == [f.shp_name for f in load_schema(base).fields]
            for r, f in zip(mine, load_schema(base).fields, strict=True):
                assert (r["field"], r["label_vi"], r["label_en"], r["unit"]) == (
                    f.name, f.label["vi"], f.label["en"], f.unit or "")
        km = next(r for r in rows if r["layer"] == "roads" and r["shp_name"] == "off_len_km")
        assert (km["field"], km["type"], km["unit"]) == ("official_length_km", "real", "km")

    def test_html_is_complete_and_escaped(self, shp_zip):
        path, _ = shp_zip
        page = zipfile.ZipFile(path).read("data_dictionary.html").decode("utf-8")
        assert page.startswith("<!DOCTYPE html>") and 'charset="utf-8"' in page
        for layer in SHAPEFILES:
            assert f"<code>{layer}.shp</code>" in page
        assert "<code>off_len_km</code>" in page and "Chiều dài theo hồ sơ" in page
        assert "EPSG:5899" in page

    def test_extra_layer_labels_are_escaped(self, store, tmp_path):
        gdf = gpd.GeoDataFrame({"code": ["24889"], "met": [True]},
                               geometry=[_square(LON, LAT, 0.1)], crs="EPSG:4326")
        spec = [{"name": "code", "shp_name": "comm_code", "type": "text",
                 "label": {"vi": "Mã <xã> & \"tên\"", "en": "Code"}},
                {"name": "met", "shp_name": "met", "type": "boolean",
                 "label": {"vi": "Đạt", "en": "Met"}}]
        export.to_shapefiles(store, tmp_path / "x.zip", layers=["roads"],
                             extra_layers={"commune_status": (gdf, spec)})
        page = zipfile.ZipFile(tmp_path / "x.zip").read("data_dictionary.html").decode()
        assert "Mã &lt;xã&gt; &amp; &quot;tên&quot;" in page and "<xã>" not in page


class TestVerification:
    def _corrupting(self, monkeypatch):
        original = export._write

        def corrupt(path, *, table, **kwargs):
            for i, kind in enumerate(table.kinds):
                if kind == "text":
                    values = table.data[i].copy()
                    values[:] = [v.replace("Đ", "?") if isinstance(v, str) else v
                                 for v in values]
                    table.data[i] = values
            return original(path, table=table, **kwargs)

        monkeypatch.setattr(export, "_write", corrupt)

    def test_a_corrupted_string_fails_and_leaves_no_file(self, store, tmp_path, monkeypatch):
        self._corrupting(monkeypatch)
        out = tmp_path / "out.zip"
        with pytest.raises(export.ExportError, match=r"Đ.*reads '\?"):
            export.to_shapefiles(store, out)
        assert list(tmp_path.iterdir()) == []

    def test_a_failed_export_keeps_the_previous_file(self, store, tmp_path, monkeypatch):
        out = tmp_path / "out.zip"
        out.write_bytes(b"previous export")
        self._corrupting(monkeypatch)
        with pytest.raises(export.ExportError):
            export.to_shapefiles(store, out)
        assert out.read_bytes() == b"previous export"
        assert [p.name for p in tmp_path.iterdir()] == ["out.zip"]

    @pytest.mark.parametrize(("function", "name"), [(export.to_gpkg, "out.gpkg"),
                                                    (export.to_kml, "out.kml")])
    def test_other_formats_verify_too(self, store, tmp_path, monkeypatch, function, name):
        self._corrupting(monkeypatch)
        with pytest.raises(export.ExportError, match="reads"):
            function(store, tmp_path / name)
        assert list(tmp_path.iterdir()) == []

    def test_a_moved_coordinate_fails(self, store, tmp_path, monkeypatch):
        original = export._write

        def shift(path, *, table, **kwargs):
            table.geometry = shapely.transform(table.geometry, lambda xy: xy + 0.002)
            return original(path, table=table, **kwargs)

        monkeypatch.setattr(export, "_write", shift)
        with pytest.raises(export.ExportError, match="away from the direct transformation"):
            export.to_shapefiles(store, tmp_path / "out.zip", layers=["roads"])
        assert list(tmp_path.iterdir()) == []


class TestRoundTrip:
    def test_export_then_import_reproduces_the_store(self, store, shp_zip, tmp_path):
        path, result = shp_zip
        fresh = GpkgStore.create(tmp_path / "fresh.gpkg", prov_code="68")
        for layer in result["layers"]:
            base = _base(layer)
            ingest.import_file(fresh, base, path, file_layer=layer)
        for base in ("admin_units", "roads", "surveys", "sites"):
            schema = load_schema(base)
            key = list(schema.identity)
            a = store.read_layer(base).sort_values(key).reset_index(drop=True)
            b = fresh.read_layer(base).sort_values(key).reset_index(drop=True)
            assert len(a) == len(b)
            for f in schema.fields:
                if f.name == "source_file":  # set by the import to the file's name
                    continue
                want, got = a[f.name].tolist(), b[f.name].tolist()
                if f.name == "note":  # the long note comes back cut to 254 bytes
                    want = [None if v is None else export._utf8_cut(v, 254) for v in want]
                want = [None if _na(v) else v for v in want]
                got = [None if _na(v) else v for v in got]
                assert got == want, (base, f.name)
            zone_a = a.to_crs("EPSG:5899").geometry
            zone_b = b.to_crs("EPSG:5899").geometry
            for ga, gb in zip(zone_a, zone_b, strict=True):
                assert shapely.hausdorff_distance(ga, gb) < 0.001


class TestCRS:
    def test_default_is_the_province_zone(self, store):
        assert export.default_crs(store) == "EPSG:5899"

    def test_any_epsg_code_overrides(self, store, tmp_path):
        result = export.to_shapefiles(store, tmp_path / "dn.zip", crs="EPSG:9218",
                                      layers=["roads"])
        assert result["crs"] == "EPSG:9218"
        prj = zipfile.ZipFile(tmp_path / "dn.zip").read("roads.prj").decode()
        assert CRS(prj).to_epsg(min_confidence=90) == 9218
        utm = export.to_shapefiles(store, tmp_path / "utm.zip", crs=32648, layers=["roads"])
        assert utm["crs"] == "EPSG:32648"

    @pytest.mark.parametrize("code", [6956, 6957, 6958, 6959])
    def test_deprecated_codes_are_refused(self, store, tmp_path, code):
        with pytest.raises(CRSError, match=r"deprecated.*swapped"):
            export.to_shapefiles(store, tmp_path / "x.zip", crs=f"EPSG:{code}")
        assert list(tmp_path.iterdir()) == []

    def test_unknown_crs(self, store, tmp_path):
        with pytest.raises(CRSError, match="unknown CRS"):
            export.to_shapefiles(store, tmp_path / "x.zip", crs="EPSG:999999")


class TestExtraLayers:
    SPEC: ClassVar[list[dict]] = [
        {"name": "comm_code", "shp_name": "comm_code", "type": "text",
         "label": {"vi": "Mã xã", "en": "Commune code"}},
        {"name": "name", "shp_name": "name", "type": "text",
         "label": {"vi": "Tên xã", "en": "Name"}},
        {"name": "ntm_level", "shp_name": "ntm_level", "type": "text",
         "label": {"vi": "Mức NTM", "en": "NTM level"}},
        {"name": "criteria_met", "shp_name": "crit_met", "type": "integer",
         "label": {"vi": "Số tiêu chí đạt", "en": "Criteria met"}},
        {"name": "all_met", "shp_name": "all_met", "type": "boolean",
         "label": {"vi": "Đạt tất cả", "en": "All met"}},
        {"name": "unmet", "shp_name": "unmet", "type": "list",
         "label": {"vi": "Tiêu chí chưa đạt", "en": "Unmet criteria"}},
        {"name": "share", "shp_name": "share_pct", "type": "real", "unit": "%",
         "label": {"vi": "Tỷ lệ", "en": "Share"}},
    ]

    def _communes(self) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"comm_code": ["24889", "24874"], "name": ["Đạ K'Nàng", "Liêng Srônh"],
             "ntm_level": ["ntm", "not_yet"], "criteria_met": [19, 18],
             "all_met": [True, False], "unmet": [[], ["11"]], "share": [100.0, 94.74],
             "ignored": ["x", "y"]},
            geometry=[_square(LON, LAT, 0.1), _square(LON + 0.1, LAT, 0.1)],
            crs="EPSG:4326").to_crs("EPSG:5899")

    def test_written_with_its_short_names_and_in_the_dictionary(self, store, tmp_path):
        out = tmp_path / "x.zip"
        result = export.to_shapefiles(store, out, layers=[],
                                      extra_layers={"communes_ntm": (self._communes(),
                                                                     self.SPEC)})
        assert result["layers"] == {"communes_ntm": 2}
        with fiona.open(_vsi(out, "communes_ntm.shp")) as src:
            assert list(src.schema["properties"]) == [f["shp_name"] for f in self.SPEC]
            rows = [dict(f.properties) for f in src]
        assert rows[0]["name"] == "Đạ K'Nàng" and rows[1]["unmet"] == "11"
        assert rows[0]["all_met"] is True and rows[1]["crit_met"] == 18
        text = zipfile.ZipFile(out).read("data_dictionary.csv").decode("utf-8-sig")
        assert "communes_ntm,share_pct,share,real,Tỷ lệ,Share,%" in text

    @pytest.mark.parametrize(("change", "message"), [
        ({"shp_name": "criteria_met_n"}, "1-10 ASCII"),
        ({"shp_name": "NAME"}, "duplicate shp_name name"),
        ({"type": "money"}, "unknown type"),
    ])
    def test_bad_specs_are_refused(self, store, tmp_path, change, message):
        spec = [*self.SPEC[:3], {**self.SPEC[3], **change}]
        with pytest.raises(LayerSchemaError, match=message):
            export.to_shapefiles(store, tmp_path / "x.zip",
                                 extra_layers={"communes_ntm": (self._communes(), spec)})
        assert list(tmp_path.iterdir()) == []


class TestOtherFormats:
    def test_gpkg(self, store, tmp_path):
        out = tmp_path / "damrong.gpkg"
        result = export.to_gpkg(store, out)
        assert result["layers"] == {"admin_units": 3, "roads": 2, "sites": 2, "surveys": 3}
        layers = dict(pyogrio.list_layers(out))
        assert "data_dictionary" in layers
        roads = pyogrio.read_dataframe(out, layer="roads")
        assert roads.crs.to_epsg() == 5899
        assert roads["road_code"].tolist() == ["ĐH42", "ĐH43"]
        assert roads["surface"].tolist() == ["chip_seal|earth", "asphalt_concrete"]
        assert roads["note"][0] == LONG_NOTE  # no 254-byte limit in a GeoPackage
        with fiona.open(out, layer="admin_units") as src:
            assert [f.properties["name"] for f in src] == ["Đam Rông", "Đạ K'Nàng",
                                                           "Liêng Srônh"]

    def test_geojson_is_rfc7946(self, store, tmp_path):
        out = tmp_path / "damrong_geojson.zip"
        result = export.to_geojson(store, out)
        assert result["crs"] == "EPSG:4326"
        with zipfile.ZipFile(out) as zf:
            assert {"roads.geojson", "data_dictionary.csv"} <= set(zf.namelist())
            doc = json.loads(zf.read("admin_units.geojson").decode("utf-8"))
            roads = json.loads(zf.read("roads.geojson").decode("utf-8"))
        assert "crs" not in doc and doc["type"] == "FeatureCollection"
        ring = doc["features"][0]["geometry"]["coordinates"][0][0]
        assert shapely.LinearRing(ring).is_ccw  # right-hand rule
        assert doc["features"][1]["properties"]["name"] == "Đạ K'Nàng"
        assert roads["features"][0]["properties"]["surface"] == ["chip_seal", "earth"]
        assert roads["features"][0]["geometry"]["coordinates"][0][1] == [
            LON + 0.0123456789, LAT + 0.00987654321]

    def test_kml(self, store, tmp_path):
        out = tmp_path / "damrong.kml"
        result = export.to_kml(store, out)
        assert result["layers"]["admin_units"] == 3
        text = out.read_text(encoding="utf-8")
        assert "Đạ K&apos;Nàng" in text or "Đạ K'Nàng" in text
        names = pyogrio.read_dataframe(out, layer="admin_units")["Name"].tolist()
        assert names == ["Đam Rông", "Đạ K'Nàng", "Liêng Srônh"]

    def test_missing_folder(self, store, tmp_path):
        with pytest.raises(Exception, match="folder does not exist"):
            export.to_shapefiles(store, tmp_path / "nowhere" / "x.zip")


class TestFormats:
    """One registry for `ntmgeo export` and the web map's downloads."""

    def test_the_command_line_offers_the_registry(self):
        from ntmgeo.cli import export as command

        option = next(p for p in command.params if p.name == "fmt")
        assert sorted(option.type.choices) == sorted(export.FORMATS) == [
            "geojson", "gpkg", "kml", "shp"]
        assert {k for k, f in export.FORMATS.items() if f.takes_crs} == {"shp", "gpkg"}

    def test_write_refuses_a_crs_for_the_wgs84_formats(self, store, tmp_path):
        with pytest.raises(CRSError, match="does not apply to geojson"):
            export.write(store, "geojson", tmp_path / "x.zip", crs="EPSG:5899")
        assert list(tmp_path.iterdir()) == []

    def test_write_refuses_an_unknown_format_or_layer(self, store, tmp_path):
        from ntmgeo._errors import InputError

        with pytest.raises(InputError, match="unknown export format 'dwg'"):
            export.write(store, "dwg", tmp_path / "x.dwg")
        with pytest.raises(LayerSchemaError, match="unknown layer 'rivers'"):
            export.write(store, "gpkg", tmp_path / "x.gpkg", layers=["roads", "rivers"])
        assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ the works layer


def _works_store(path: Path) -> GpkgStore:
    """A store whose works layer has a line, a point and two works with no geometry (one known
    by its commune, one by a road and chainage), amounts with decimals.
    """
    store = GpkgStore.create(path, prov_code="12", title="Tam Đường (thử)")
    works = gpd.GeoDataFrame({
        "work_id": ["w1", "w2", "w3", "w4"],
        "name": ["Mở rộng đường ĐH46", "Nhà văn hóa bản Nà Bỏ", "Trường mầm non Bản Bo",
                 "Rãnh thoát nước ĐH46"],
        "funding": [["ntm"], ["ntm", "local_budget"], ["ethnic_minority"], None],
        "amount_million_vnd": ["23.198", "1.234,5", 4915, None],
        "status": ["under_construction", "planned", "completed", None],
        "comm_code": [None, "03385", "03385", None], "road_id": [None, None, None, "ĐH46"],
        "from_m": [None, None, None, 1200.0], "to_m": [None, None, None, 1850.5]},
        geometry=[LineString([(103.5, 22.3), (103.51, 22.31)]), Point(103.52, 22.32), None,
                  None], crs="EPSG:4326")
    store.write_features("works", conform(works, load_schema("works")))
    return store


@pytest.fixture(scope="module")
def wstore(tmp_path_factory: pytest.TempPathFactory) -> GpkgStore:
    return _works_store(tmp_path_factory.mktemp("works") / "w.gpkg")


class TestWorksExport:
    """The works layer (an ``amount`` field, rows without geometry) in every format."""

    def test_shapefiles_put_the_works_without_geometry_in_a_dbf_table(self, wstore, tmp_path):
        out = tmp_path / "w.zip"
        result = export.to_shapefiles(wstore, out, layers=["works"])
        assert result["layers"] == {"works_points": 1, "works_lines": 1, "works_table": 2}
        with zipfile.ZipFile(out) as zf:
            names = set(zf.namelist())
            page = zf.read("data_dictionary.html").decode("utf-8")
            rows = list(csv.DictReader(io.StringIO(
                zf.read("data_dictionary.csv").decode("utf-8-sig"))))
        assert {"works_table.dbf", "works_table.cpg"} <= names
        assert not names & {"works_table.shp", "works_table.shx", "works_table.prj"}
        assert "<code>works_table.dbf</code>: 2" in page
        assert "không có hình học" in page
        assert {"layer": "works_table", "shp_name": "amount_mvn", "field": "amount_million_vnd",
                "type": "real (amount)", "label_vi": "Kinh phí (triệu đồng)",
                "label_en": "Amount (million VND)", "unit": "triệu đồng"} in rows
        table = pyogrio.read_dataframe(f"/vsizip/{out}/works_table.dbf")
        assert sorted(table["work_id"]) == ["w3", "w4"]
        assert table.set_index("work_id").loc["w4", "road_id"] == "ĐH46"
        assert table.set_index("work_id").loc["w4", "to_m"] == 1850.5
        assert table.set_index("work_id").loc["w3", "amount_mvn"] == 4915.0
        lines = pyogrio.read_dataframe(f"/vsizip/{out}/works_lines.shp")
        assert lines["amount_mvn"].tolist() == [23198.0]  # "23.198": a thousands dot

    def test_a_geopackage_keeps_one_table_with_null_geometries(self, wstore, tmp_path):
        out = tmp_path / "w.gpkg"
        result = export.to_gpkg(wstore, out, layers=["works"])
        assert result["layers"] == {"works": 4}
        frame = pyogrio.read_dataframe(out, layer="works").set_index("work_id")
        assert frame.geometry.isna().tolist() == [False, False, True, True]
        assert frame.loc["w2", "amount_million_vnd"] == 1234.5

    def test_geojson_writes_null_geometries(self, wstore, tmp_path):
        out = tmp_path / "w.zip"
        export.to_geojson(wstore, out, layers=["works"])
        with zipfile.ZipFile(out) as zf:
            doc = json.loads(zf.read("works.geojson"))
        by_id = {f["properties"]["work_id"]: f for f in doc["features"]}
        assert by_id["w3"]["geometry"] is None and by_id["w4"]["geometry"] is None
        assert by_id["w1"]["geometry"]["type"] == "LineString"
        assert by_id["w2"]["properties"]["amount_million_vnd"] == 1234.5
        assert by_id["w2"]["properties"]["funding"] == ["ntm", "local_budget"]

    @pytest.mark.parametrize("fmt", ["shp", "gpkg", "geojson", "kml"])
    def test_write_exports_a_store_with_works(self, wstore, tmp_path, fmt):
        out = tmp_path / f"all{export.FORMATS[fmt].suffix}"
        result = export.write(wstore, fmt, out)
        assert result["verified"] is True
        assert sum(n for name, n in result["layers"].items() if name.startswith("works")) == 4


class TestFormedFrom:
    """The lineage field ``formed_from`` (``formed_frm`` in a shapefile) is exported with the
    units, in every format, and read back as it was stored.
    """

    @pytest.fixture(scope="class")
    @classmethod
    def lstore(cls, tmp_path_factory: pytest.TempPathFactory) -> GpkgStore:
        store = GpkgStore.create(tmp_path_factory.mktemp("lineage") / "l.gpkg", prov_code="68")
        units = gpd.GeoDataFrame({
            "code": ["24886", "24889", "24886"], "level": ["commune"] * 3,
            "name": ["Phi Liêng", "Đạ K'Nàng", "Đam Rông 1"],
            "valid_from": ["2008-01-01", "2008-01-01", "2025-07-01"],
            "valid_to": ["2025-06-30", "2025-06-30", None],
            "formed_from": [None, None, ["24886@2008-01-01", "24889@2008-01-01:share:0.5"]]},
            geometry=[_square(LON, LAT, 0.1), _square(LON + 0.1, LAT, 0.1),
                      _square(LON, LAT, 0.2)], crs="EPSG:4326")
        store.write_features("admin_units", conform(units, load_schema("admin_units")))
        return store

    def test_the_shapefile_field_is_formed_frm(self, lstore, tmp_path):
        out = tmp_path / "u.zip"
        export.to_shapefiles(lstore, out)
        with zipfile.ZipFile(out) as zf:
            names = [n for n, *_ in _dbf_fields(zf.read("admin_units.dbf"))]
        assert "formed_frm" in names
        with fiona.open(_vsi(out, "admin_units.shp")) as src:
            rows = {(f["properties"]["code"], f["properties"]["valid_from"]):
                    f["properties"]["formed_frm"] for f in src}
        assert rows[("24886", "2025-07-01")] == "24886@2008-01-01|24889@2008-01-01:share:0.5"
        assert rows[("24886", "2008-01-01")] is None

    def test_geopackage_and_geojson_carry_it(self, lstore, tmp_path):
        gpkg = tmp_path / "u.gpkg"
        export.to_gpkg(lstore, gpkg)
        frame = pyogrio.read_dataframe(gpkg, layer="admin_units")
        new = frame[frame["valid_from"].astype(str) == "2025-07-01"].iloc[0]
        assert "24889@2008-01-01:share:0.5" in str(new["formed_from"])
        gj = tmp_path / "u_geojson.zip"
        export.to_geojson(lstore, gj)
        with zipfile.ZipFile(gj) as zf:
            doc = json.loads(zf.read("admin_units.geojson").decode("utf-8"))
        lists = [f["properties"]["formed_from"] for f in doc["features"]
                 if f["properties"]["name"] == "Đam Rông 1"]
        assert lists == [["24886@2008-01-01", "24889@2008-01-01:share:0.5"]]

    def test_the_exported_lineage_reads_back_the_same(self, lstore, tmp_path):
        from ntmgeo import lineage

        out = tmp_path / "u.zip"
        export.to_shapefiles(lstore, out)
        back = pyogrio.read_dataframe(_vsi(out, "admin_units.shp")).rename(
            columns={"formed_frm": "formed_from"})
        back["valid_from"] = back["valid_from"].astype(str)
        back["valid_to"] = back["valid_to"].where(back["valid_to"].notna(), None)
        got = lineage.predecessors(back, "24886", "2025-07-01")
        want = lineage.predecessors(lstore.read_layer("admin_units"), "24886", "2025-07-01")
        cols = ["code", "valid_from", "kind", "share", "name"]
        assert got[cols].values.tolist() == want[cols].values.tolist() == [
            ["24886", "2008-01-01", "merge", None, "Phi Liêng"],
            ["24889", "2008-01-01", "share", 0.5, "Đạ K'Nàng"]]
