"""Bringing files into a store: a survey import says which features run beside no stored
road (nothing is refused for that alone).
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from ntmgeo import ingest
from ntmgeo.cli import main
from ntmgeo.store.gpkg import GpkgStore

CRS_M = "EPSG:5899"
X0, Y0 = 583000.0, 1338000.0


def _write(path, columns, geoms):
    gpd.GeoDataFrame(columns, geometry=geoms, crs=CRS_M).to_crs("EPSG:4326").to_file(
        path, driver="GeoJSON")
    return path


@pytest.fixture
def store(tmp_path):
    store = GpkgStore.create(tmp_path / "p.gpkg", prov_code="68")
    roads = _write(tmp_path / "roads.geojson",
                   {"dist_code": ["674", "674"], "road_code": ["ĐH42", "QL27"],
                    "road_class": ["ĐH", "QL"]},
                   [LineString([(X0, Y0), (X0 + 2000, Y0)]),
                    LineString([(X0, Y0 + 5000), (X0 + 2000, Y0 + 5000)])])
    ingest.import_file(store, "roads", roads)
    return store


def _surveys(tmp_path):
    """Along ĐH42, along the national road, 300 km away in Hà Nội, and a lone tree in a field."""
    hanoi = gpd.GeoSeries([LineString([(105.80, 21.02), (105.81, 21.02)])],
                          crs="EPSG:4326").to_crs(CRS_M).iloc[0]
    return _write(tmp_path / "s.geojson",
                  {"survey_id": ["along", "ql", "ha-noi", "field"],
                   "survey_date": ["2024-02-29"] * 4},
                  [LineString([(X0 + 100, Y0 + 6), (X0 + 900, Y0 + 6)]),
                   LineString([(X0 + 100, Y0 + 5006), (X0 + 900, Y0 + 5006)]),
                   hanoi, Point(X0 + 1000, Y0 + 2000)])


def test_the_result_names_what_runs_beside_no_road(store, tmp_path):
    result = ingest.import_file(store, "surveys", _surveys(tmp_path))
    assert result.count == 4  # stored all the same
    assert result.roads_checked
    lost = result.beside_no_road
    assert lost["count"] == 2 and lost["ids"] == ["field", "ha-noi"]
    assert lost["length_km"] == pytest.approx(1.04, abs=0.01)  # 0.01° of longitude at 21°N
    assert len(store.read_layer("surveys")) == 4


def test_a_store_without_roads_says_it_could_not_check(tmp_path):
    store = GpkgStore.create(tmp_path / "empty.gpkg", prov_code="68")
    result = ingest.import_file(store, "surveys", _surveys(tmp_path))
    assert result.count == 4 and not result.roads_checked and result.beside_no_road is None


def test_other_layers_are_not_checked(store, tmp_path):
    result = ingest.import_file(store, "sites", _write(
        tmp_path / "sites.geojson", {"site_id": ["b"], "name": ["Bến xe"],
                                     "site_type": ["bus_station"], "status": ["planned"]},
        [Point(X0, Y0)]))
    assert result.count == 1 and result.beside_no_road is None


def test_the_import_command_says_it(store, tmp_path, capsys):
    surveys = _surveys(tmp_path)
    assert main(["import", "surveys", str(surveys), "--db", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert "Đã nhập 4 đối tượng vào lớp 'surveys'" in out
    assert ("Lưu ý: 2 đối tượng khảo sát (1,04 km) không nằm dọc tuyến đường nào đã lưu "
            "(trong phạm vi 20 m): field, ha-noi.") in " ".join(out.split())


def test_the_import_command_in_json_and_english(store, tmp_path, capsys):
    surveys = _surveys(tmp_path)
    assert main(["--lang", "en", "import", "surveys", str(surveys), "--db", str(store.path),
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["features"] == 4
    assert doc["beside_no_road"]["ids"] == ["field", "ha-noi"]
    assert main(["--lang", "en", "import", "surveys", str(_write(
        tmp_path / "t.geojson", {"survey_id": ["t1"], "survey_date": ["2024-03-01"]},
        [LineString([(X0 + 1000, Y0 - 5), (X0 + 1500, Y0 - 5)])])), "--db", str(store.path)]) == 0
    assert "Every survey feature runs beside a stored road." in capsys.readouterr().out


# Tables and the columns no field takes (see also tests/test_tables.py)


def test_a_csv_with_vietnamese_headings_semicolons_and_lon_lat(store, tmp_path):
    path = tmp_path / "cong trinh.csv"
    path.write_bytes("Mã công trình;Tên công trình;Loại công trình;Tình trạng;Kinh độ;Vĩ độ\n"
                     "c1;Chợ xã;Chợ;Hoàn thành;108,1;12,1\n".encode("utf-8-sig"))
    assert ingest.import_file(store, "sites", path).count == 1
    site = store.read_layer("sites").iloc[0]
    assert (site["site_id"], site["site_type"], site["status"]) == ("c1", "market", "completed")
    assert (site.geometry.x, site.geometry.y) == pytest.approx((108.1, 12.1))


def test_a_geometry_file_says_which_columns_it_left_aside_or_keeps_them(store, tmp_path):
    columns = {"site_id": ["b"], "name": ["Bến xe"], "site_type": ["bus_station"],
               "status": ["planned"], "kinh_phi_trieu_dong": [23198]}
    path = _write(tmp_path / "sites.geojson", columns, [Point(X0, Y0)])
    result = ingest.import_file(store, "sites", path)
    assert result.ignored == ("kinh_phi_trieu_dong",)
    assert store.read_layer("sites")["extra"].isna().all()
    columns["site_id"] = ["c"]
    path = _write(tmp_path / "more.geojson", columns, [Point(X0, Y0)])
    assert ingest.import_file(store, "sites", path, extra=True).ignored == ()
    assert json.loads(store.read_layer("sites")["extra"].iloc[-1]) == \
        {"kinh_phi_trieu_dong": "23198"}


def test_a_store_made_before_extra_gets_its_column(tmp_path):
    import sqlite3

    store = GpkgStore.create(tmp_path / "old.gpkg", prov_code="68")
    with sqlite3.connect(store.path) as con:
        con.execute('ALTER TABLE "sites" DROP COLUMN "extra"')
    reopened = GpkgStore.open(store.path)
    assert "extra" in reopened.read_layer("sites").columns
