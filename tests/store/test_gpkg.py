"""The GeoPackage store: round trips, GDAL compatibility, all-or-nothing writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString

from ntmgeo import layers
from ntmgeo._errors import DuplicateIdentityError, StoreError
from ntmgeo.store import open_store
from ntmgeo.store.gpkg import GpkgStore

from geodata import LAT, LON, store_fingerprint


def _roads(codes: list[str]) -> gpd.GeoDataFrame:
    geoms = [LineString([(LON, LAT + i * 0.01), (LON + 0.01, LAT + i * 0.01)])
             for i in range(len(codes))]
    raw = gpd.GeoDataFrame({"dist_code": ["674"] * len(codes), "road_code": codes,
                            "road_class": ["ĐH"] * len(codes),
                            "surface": ["asphalt_concrete|cement_concrete"] * len(codes),
                            "name": ["Đường Đạ K'Nàng"] * len(codes)},
                           geometry=geoms, crs="EPSG:4326")
    return layers.conform(raw, layers.load_schema("roads"))


class TestCreateAndOpen:
    def test_metadata_and_measuring_crs(self, empty_store):
        meta = empty_store.meta()
        assert meta["prov_code"] == "68" and meta["measure_crs"] == "EPSG:5899"
        assert meta["storage_crs"] == "EPSG:4326"

    def test_every_layer_is_a_table(self, empty_store):
        assert empty_store.layer_names() == layers.layer_names()

    def test_open_refuses_a_non_store(self, tmp_path):
        other = tmp_path / "plain.gpkg"
        _roads(["ĐH42"]).to_file(other)
        with pytest.raises(StoreError, match="not an ntmgeo store"):
            open_store(other)
        junk = tmp_path / "junk.gpkg"
        junk.write_bytes(b"hello")
        with pytest.raises(StoreError, match="not a GeoPackage"):
            open_store(junk)
        with pytest.raises(StoreError, match="no store here"):
            open_store(tmp_path / "missing.gpkg")

    def test_create_refuses_to_overwrite(self, empty_store):
        with pytest.raises(StoreError, match="already exists"):
            GpkgStore.create(empty_store.path, prov_code="68")


class TestRoundTrip:
    def test_features_come_back_identical(self, empty_store):
        roads = _roads(["ĐH42", "ĐH43"])
        assert empty_store.write_features("roads", roads, source="t") == 2
        back = empty_store.read_layer("roads")
        assert list(back["road_code"]) == ["ĐH42", "ĐH43"]
        assert back.iloc[0]["surface"] == ["asphalt_concrete", "cement_concrete"]
        assert back.iloc[0]["name"] == "Đường Đạ K'Nàng"
        assert back.geometry.iloc[1].equals_exact(roads.geometry.iloc[1], 0)

    def test_gdal_reads_the_store_as_a_geopackage(self, empty_store):
        empty_store.write_features("roads", _roads(["ĐH42"]))
        gdf = pyogrio.read_dataframe(empty_store.path, layer="roads")
        assert gdf.crs.to_epsg() == 4326
        assert gdf.iloc[0]["road_code"] == "ĐH42"
        info = pyogrio.read_info(empty_store.path, layer="roads")
        assert info["geometry_type"] == "MultiLineString"

    def test_imports_are_logged(self, empty_store):
        empty_store.write_features("roads", _roads(["ĐH42"]), source="roads.geojson", user="an")
        log = empty_store.read_records("imports")
        assert log.iloc[0][["layer", "source", "features", "mode", "user"]].tolist() == [
            "roads", "roads.geojson", 1, "append", "an"]


class TestAllOrNothing:
    def test_duplicate_with_stored_feature_changes_nothing(self, empty_store):
        empty_store.write_features("roads", _roads(["ĐH42"]))
        before = store_fingerprint(empty_store.path)
        with pytest.raises(DuplicateIdentityError, match="already stored"):
            empty_store.write_features("roads", _roads(["ĐH43", "ĐH42"]))
        assert store_fingerprint(empty_store.path) == before

    def test_replace_swaps_the_whole_layer(self, empty_store):
        empty_store.write_features("roads", _roads(["ĐH42", "ĐH43"]))
        empty_store.write_features("roads", _roads(["ĐH45"]), replace=True)
        assert list(empty_store.read_layer("roads")["road_code"]) == ["ĐH45"]

    def test_failure_midway_rolls_back(self, empty_store, monkeypatch):
        empty_store.write_features("roads", _roads(["ĐH42"]))
        before = store_fingerprint(empty_store.path)

        def explode(self, con, sql, rows):
            con.executemany(sql, rows[:1])
            raise OSError("disk full")

        monkeypatch.setattr(GpkgStore, "_insert_rows", explode)
        with pytest.raises(OSError, match="disk full"):
            empty_store.write_features("roads", _roads(["ĐH45", "ĐH46"]), replace=True)
        assert store_fingerprint(empty_store.path) == before

    def test_process_killed_midway_leaves_the_store_as_it_was(self, empty_store):
        empty_store.write_features("roads", _roads(["ĐH42"]))
        before = store_fingerprint(empty_store.path)
        script = textwrap.dedent(f"""
            import os, signal
            from ntmgeo.store.gpkg import GpkgStore
            import test_gpkg_helper as h
            def die(self, con, sql, rows):
                con.executemany(sql, rows[:1])   # half the rows are in the open transaction
                os.kill(os.getpid(), signal.SIGKILL)
            GpkgStore._insert_rows = die
            GpkgStore({str(empty_store.path)!r}).write_features(
                "roads", h.roads(["ĐH45", "ĐH46"]), replace=True)
        """)
        helper = empty_store.path.parent / "test_gpkg_helper.py"
        helper.write_text(textwrap.dedent("""
            import geopandas as gpd
            from shapely.geometry import LineString
            from ntmgeo import layers
            def roads(codes):
                g = [LineString([(108.1, 12.1 + i / 100), (108.11, 12.1 + i / 100)])
                     for i in range(len(codes))]
                raw = gpd.GeoDataFrame({"dist_code": ["674"] * len(codes), "road_code": codes,
                                        "road_class": ["ĐH"] * len(codes)}, geometry=g,
                                       crs="EPSG:4326")
                return layers.conform(raw, layers.load_schema("roads"))
        """), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(helper.parent), *sys.path])}
        proc = subprocess.run([sys.executable, "-c", script], env=env, check=False)
        assert proc.returncode == -signal.SIGKILL
        journal = empty_store.path.with_name(empty_store.path.name + "-journal")
        assert journal.exists()  # the hot journal SQLite rolls back on next open
        assert list(empty_store.read_layer("roads")["road_code"]) == ["ĐH42"]
        assert store_fingerprint(empty_store.path) == before


class TestRecords:
    def test_records_round_trip_with_types(self, empty_store):
        empty_store.add_records("reported_values", [{
            "unit_code": "674", "unit_valid_from": "2004-01-01", "criteria_set": "s",
            "indicator_id": "2.3", "value": 26.65, "met": False, "as_of": "2024-02-29"}])
        row = empty_store.read_records("reported_values").iloc[0]
        assert row["value"] == 26.65 and row["met"] is False and row["recorded_at"]

    def test_unknown_column_is_refused_and_nothing_written(self, empty_store):
        with pytest.raises(StoreError, match="no column"):
            empty_store.add_records("reported_values", [{"bogus": 1}])
        assert empty_store.read_records("reported_values").empty


def test_a_store_missing_a_newer_record_table_is_brought_up_to_date(empty_store):
    import sqlite3

    con = sqlite3.connect(empty_store.path)
    con.execute('DROP TABLE "users"')
    con.execute("DELETE FROM gpkg_contents WHERE table_name='users'")
    con.commit()
    con.close()
    reopened = open_store(empty_store.path)
    assert reopened.read_records("users").empty
