"""A province spanning two VN-2000 zones (ntmgeo.zoning): each feature measured in the zone of
the pre-2025 province it lies in. Today's Lâm Đồng: old Lâm Đồng in 107°45′ (EPSG:5899), old
Đắk Nông and Bình Thuận in 108°30′ (EPSG:9218).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.affinity import translate
from shapely.geometry import LineString, Point, Polygon

from ntmgeo import derived, greening, zoning
from ntmgeo._resources import share_path
from ntmgeo.indicators import roads as roads_ind
from ntmgeo.snapshot import Snapshot

LL = "EPSG:4326"
OLD_LAM_DONG = "EPSG:5899"  # VN-2000 / TM-3 107-45
DAK_NONG = "EPSG:9218"  # VN-2000 / TM-3 108-30
# A point in each half of today's Lâm Đồng: near Đà Lạt (old Lâm Đồng) and near Gia Nghĩa
# (old Đắk Nông), both well inside their old provinces.
DA_LAT = (108.45, 11.95)
GIA_NGHIA = (107.70, 12.00)


@pytest.fixture(scope="module")
def units() -> gpd.GeoDataFrame:
    return gpd.read_file(share_path("data", "lamdong", "admin_units.geojson"))


@pytest.fixture(scope="module")
def lamdong(units) -> zoning.Zoning:
    return zoning.of_units(units, OLD_LAM_DONG)


def _road_at(lon: float, lat: float) -> LineString:
    """A 6 km winding road starting at (lon, lat), in WGS 84."""
    return LineString([(lon, lat), (lon + 0.02, lat + 0.01), (lon + 0.04, lat + 0.00),
                       (lon + 0.05, lat + 0.02)])


def _direct_km(geom, crs: str) -> float:
    return float(gpd.GeoSeries([geom], crs=LL).to_crs(crs).length.iloc[0]) / 1000


def test_the_sample_spans_two_zones_by_its_units_old_provinces(units, lamdong):
    new = units[units["valid_from"] == "2025-07-01"]
    communes = new[new["level"] == "commune"]
    assert communes["zone_prov"].value_counts().to_dict() == {"68": 51, "60": 45, "67": 28}
    assert lamdong.crs_list == [OLD_LAM_DONG, DAK_NONG]
    # the old provinces' areas: Lâm Đồng about 9,780 km², Đắk Nông + Bình Thuận about 14,450
    areas = {k: v.area / 1e6 for k, v in lamdong.regions.items()}
    assert 9_700 < areas[OLD_LAM_DONG] < 9_900
    assert 14_300 < areas[DAK_NONG] < 14_600


def test_a_store_of_one_province_before_the_reform_has_one_zone(units):
    old = units[units["valid_to"].notna()]  # Đam Rông (68) and Đắk Song (67), as held before
    assert zoning.of_units(old[old["prov_code"] == "68"], OLD_LAM_DONG).is_single
    # the pre-2025 units of two provinces, were they the current ones, span two zones
    both = old.assign(valid_to=None)
    assert zoning.of_units(both, OLD_LAM_DONG).crs_list == [OLD_LAM_DONG, DAK_NONG]


def test_the_same_road_in_both_halves_is_measured_in_each_halfs_zone(lamdong):
    west = _road_at(*GIA_NGHIA)
    east = _road_at(*DA_LAT)
    roads = gpd.GeoDataFrame({"dist_code": ["665", "674"], "road_code": ["ĐH1", "ĐH1"],
                              "road_class": ["ĐH", "ĐH"]}, geometry=[west, east], crs=LL)
    doc = greening.from_frames(roads, roads.iloc[:0], crs=lamdong)
    by = {r["dist_code"]: r["length_km"] for r in doc["roads"]}
    assert by["674"] == pytest.approx(_direct_km(east, OLD_LAM_DONG), abs=1e-6)
    assert by["665"] == pytest.approx(_direct_km(west, DAK_NONG), abs=1e-6)
    # and not in the other zone: half a metre apart over 6 km near Gia Nghĩa
    assert abs(by["665"] - _direct_km(west, OLD_LAM_DONG)) > 1e-4
    # the same length in 2.1 and 2.2 as in 2.3
    paved = {r["dist_code"]: r["length_km"] for r in roads_ind.paved_share(roads,
                                                                           crs=lamdong)["roads"]}
    std = {r["dist_code"]: r["length_km"]
           for r in roads_ind.roads_to_standard(roads, crs=lamdong)["roads"]}
    assert paved == by == std
    assert doc["total"]["length_km"] == pytest.approx(by["665"] + by["674"], abs=2e-6)


def test_surveys_beside_the_road_of_either_zone_count_and_the_far_one_is_unmatched(lamdong):
    west, east = _road_at(*GIA_NGHIA), _road_at(*DA_LAT)
    roads = gpd.GeoDataFrame({"dist_code": ["665", "674"], "road_code": ["ĐH1", "ĐH2"],
                              "road_class": ["ĐH", "ĐH"]}, geometry=[west, east], crs=LL)
    # half of each road tree-lined, 6 m to its side; a third row 5 km from any road
    rows = []
    for line, crs in ((west, DAK_NONG), (east, OLD_LAM_DONG)):
        metric = gpd.GeoSeries([line], crs=LL).to_crs(crs).iloc[0]
        half = shapely.ops.substring(metric, 0, metric.length / 2)
        rows.append(gpd.GeoSeries([half.offset_curve(6)], crs=crs).to_crs(LL).iloc[0])
    far = translate(west, yoff=0.05)
    surveys = gpd.GeoDataFrame({"survey_id": ["w", "e", "far"],
                                "survey_date": ["2026-03-01", "2026-04-01", "2026-05-01"]},
                               geometry=[*rows, far], crs=LL)
    doc = greening.from_frames(roads, surveys, crs=lamdong)
    for road in doc["roads"]:
        assert road["ratio"] == pytest.approx(0.5, abs=0.01)
        assert len(road["stretches"]) == 1
    assert doc["unmatched"]["ids"] == ["far"]
    assert doc["unmatched"]["length_km"] == pytest.approx(_direct_km(far, DAK_NONG), abs=1e-6)
    assert doc["total"]["as_of"] == "2026-04-01"
    # one zone for all gives the same roads, measured differently
    single = greening.from_frames(roads, surveys, crs=OLD_LAM_DONG)
    assert [r["road_code"] for r in single["roads"]] == [r["road_code"] for r in doc["roads"]]


def test_a_road_crossing_the_line_is_measured_whole_in_the_zone_of_most_of_it():
    # two square "provinces" side by side in EPSG:5899, one in each zone
    west = Polygon([(500_000, 1_300_000), (550_000, 1_300_000), (550_000, 1_350_000),
                    (500_000, 1_350_000)])
    east = translate(west, xoff=50_000)
    units = gpd.GeoDataFrame({"code": ["1", "2"], "level": ["commune", "commune"],
                              "prov_code": ["67", "68"], "valid_to": [None, None]},
                             geometry=[west, east], crs=OLD_LAM_DONG)
    zones = zoning.of_units(units, OLD_LAM_DONG)
    # 3 km in the west, 1 km in the east: one road, measured in the west's zone (Đắk Nông)
    line = LineString([(547_000, 1_320_000), (551_000, 1_320_000)])
    road = gpd.GeoDataFrame({"dist_code": ["x"], "road_code": ["a"]}, geometry=[line],
                            crs=OLD_LAM_DONG)
    assert list(zones.assign(road)) == [DAK_NONG]
    expected = float(road.to_crs(DAK_NONG).length.iloc[0])
    assert zones.lengths_m(road)[0] == pytest.approx(expected, abs=1e-6)
    # the same road in two features, 1.5 + 1.5 km west and 1 km east: still one zone
    parts = gpd.GeoDataFrame({"dist_code": ["x"] * 3, "road_code": ["a"] * 3},
                             geometry=[LineString([(547_000, 1_320_000), (548_500, 1_320_000)]),
                                       LineString([(548_500, 1_320_000), (550_000, 1_320_000)]),
                                       LineString([(550_000, 1_320_000), (551_000, 1_320_000)])],
                             crs=OLD_LAM_DONG)
    number = np.zeros(3, dtype=np.int64)
    assert list(zones.assign(parts, groups=number)) == [DAK_NONG] * 3
    assert list(zones.assign(parts)) == [DAK_NONG, DAK_NONG, OLD_LAM_DONG]
    # a point, a polygon mostly east, and a feature outside both: the store's CRS
    other = gpd.GeoSeries([Point(560_000, 1_310_000), Polygon([(549_000, 1_301_000),
                           (560_000, 1_301_000), (560_000, 1_302_000), (549_000, 1_302_000)]),
                           Point(0, 0)], crs=OLD_LAM_DONG)
    assert list(zones.assign(other)) == [OLD_LAM_DONG, OLD_LAM_DONG, OLD_LAM_DONG]
    assert list(zones.assign(other.translate(-20_000))) == [DAK_NONG, DAK_NONG, OLD_LAM_DONG]


@settings(max_examples=40, deadline=None)
@given(dx=st.floats(0.0, 0.1), dy=st.floats(-0.03, 0.03), half=st.booleans())
def test_lengths_and_areas_equal_a_direct_measurement_in_the_zone(lamdong, dx, dy, half):
    lon, lat = GIA_NGHIA if half else DA_LAT
    crs = DAK_NONG if half else OLD_LAM_DONG
    line = translate(_road_at(lon, lat), xoff=dx * (1 if half else -1), yoff=dy)
    area = Point(line.coords[0]).buffer(0.01)
    frame = gpd.GeoSeries([line, area], crs=LL)
    assert list(lamdong.assign(frame)) == [crs, crs]
    assert lamdong.lengths_m(frame)[0] == pytest.approx(
        float(frame.iloc[:1].to_crs(crs).length.iloc[0]), abs=1e-6)
    assert lamdong.areas_m2(frame)[1] == pytest.approx(
        float(frame.iloc[1:].to_crs(crs).area.iloc[0]), rel=1e-12)
    assert zoning.single(crs).lengths_m(frame)[0] == lamdong.lengths_m(frame)[0]


@pytest.fixture(scope="module")
def lamdong_store(tmp_path_factory):
    from ntmgeo.datasets import build_sample
    from ntmgeo.store import open_store

    path = tmp_path_factory.mktemp("zoning") / "ld.gpkg"
    build_sample(path, "lamdong")
    return open_store(path)


def test_a_store_of_todays_lam_dong_measures_and_cuts_each_road_in_its_zone(lamdong_store,
                                                                           tmp_path):
    from ntmgeo import ingest

    west, east = _road_at(*GIA_NGHIA), _road_at(*DA_LAT)
    path = tmp_path / "roads.geojson"
    gpd.GeoDataFrame({"dist_code": ["665", "674"], "road_code": ["ĐH1", "ĐH2"],
                      "road_class": ["ĐH", "ĐH"]},
                     geometry=[west, east], crs=LL).to_file(path, driver="GeoJSON")
    ingest.import_file(lamdong_store, "roads", path)
    # a survey given by chainage, Km1+000 to Km2+500 of the western road: cut in its zone
    table = tmp_path / "survey.csv"
    table.write_text("dist_code,road_code,from,to,side,survey_date\n"
                     "665,ĐH1,Km1+000,Km2+500,left,2026-03-01\n", encoding="utf-8")
    ingest.import_file(lamdong_store, "surveys", table)
    snap = Snapshot.of(lamdong_store)
    assert snap.zoning.crs_list == [OLD_LAM_DONG, DAK_NONG]
    doc = greening.from_store(snap)
    by = {r["road_code"]: r for r in doc["roads"]}
    assert by["ĐH1"]["length_km"] == pytest.approx(_direct_km(west, DAK_NONG), abs=1e-6)
    assert by["ĐH2"]["length_km"] == pytest.approx(_direct_km(east, OLD_LAM_DONG), abs=1e-6)
    stretch = by["ĐH1"]["stretches"]
    assert [(s["from_m"], s["to_m"]) for s in stretch] == [(pytest.approx(1000, abs=0.01),
                                                            pytest.approx(2500, abs=0.01))]
    # the exported stretch is 1.5 km long in its own zone, where its chainage runs
    layers = derived.export_layers(snap)
    lined = layers["tree_lined"][0]
    assert list(lined["road_code"]) == ["ĐH1"]
    assert float(lined.to_crs(DAK_NONG).length.iloc[0]) == pytest.approx(1500, abs=0.01)
    roads = layers["roads_greening"][0]
    assert sorted(roads["road_code"]) == ["ĐH1", "ĐH2"]
