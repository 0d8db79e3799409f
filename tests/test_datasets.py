"""The embedded Đam Rông sample: real communes that tile the district, drawn roads with the
plan's lengths, populations only where a source gives one.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
import shapely

from ntmgeo import datasets, units
from ntmgeo._errors import InputError

PLAN_KM = {"ĐH42": 2.50, "ĐH43": 7.18, "ĐH45": 11.23, "ĐH46": 10.34, "ĐH47": 7.14}
OLD = {"24853": "Đạ Tông", "24856": "Đạ Long", "24859": "Đạ M'Rông", "24874": "Liêng Srônh",
       "24875": "Đạ Rsal", "24877": "Rô Men", "24886": "Phi Liêng", "24889": "Đạ K'Nàng"}


@pytest.fixture(scope="module")
def admin(sample_store):
    return sample_store.read_layer("admin_units")


def test_unknown_sample_lists_the_available_ones():
    known = "daksong, damrong, ductho, lamdong, tamduong"
    with pytest.raises(InputError, match=f"no sample 'hanoi' \\(available: {known}\\)"):
        datasets.get_path("hanoi")


def test_the_eight_communes_before_the_reform(admin):
    old = units.valid_on(admin, "2024-02-29", level="commune")
    assert dict(zip(old["code"], old["name"], strict=True)) == OLD
    aliases = dict(zip(old["code"], old["aliases"], strict=True))
    assert any("S'Rônh" in a for a in aliases["24874"])


def test_communes_tile_the_district_with_no_gap_and_no_overlap(admin, sample_store):
    crs = sample_store.measure_crs
    old = units.valid_on(admin, "2024-02-29", level="commune").to_crs(crs)
    district = units.valid_on(admin, "2024-02-29", level="district").to_crs(crs)
    geoms = list(old.geometry)
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(geoms, 2))
    assert overlap < 1.0  # m², i.e. floating-point dust only
    union = shapely.union_all(geoms)
    assert union.symmetric_difference(district.geometry.iloc[0]).area < 1.0
    holes = [len(p.interiors) for p in getattr(union, "geoms", [union])]
    assert sum(holes) == 0
    assert 850e6 < district.geometry.iloc[0].area < 880e6  # 873.7 km² published, 862.5 in source


def test_the_four_merged_communes_from_1_july_2025(admin):
    new = units.valid_on(admin, "2025-07-01", level="commune")
    assert sorted(new["name"]) == ["Đam Rông 1", "Đam Rông 2", "Đam Rông 3", "Đam Rông 4"]
    one = new[new["name"] == "Đam Rông 1"].iloc[0]
    assert one["code"] == "24886" and sorted(one["replaces"]) == ["24886", "24889"]
    assert one["population"] == 17265
    assert units.valid_on(admin, "2025-07-01", level="district").empty


def test_populations_only_where_a_source_gives_one(admin):
    for _, row in admin.iterrows():
        has = not pd.isna(row["population"])
        assert has == (row["population_source"] is not None)
    old = units.valid_on(admin, "2024-02-29", level="commune")
    assert old["population"].isna().all()
    district = units.valid_on(admin, "2024-02-29", level="district").iloc[0]
    assert (district["population"], district["population_year"]) == (54217, 2019)


def test_district_roads_have_the_plans_lengths(sample_store):
    roads = sample_store.read_layer("roads")
    dh = roads[roads["road_class"] == "ĐH"].to_crs("EPSG:5899")
    lengths = dict(zip(dh["road_code"], dh.length / 1000, strict=True))
    assert set(lengths) == set(PLAN_KM)
    for code, km in PLAN_KM.items():
        assert lengths[code] == pytest.approx(km, rel=1e-3)
    assert sum(lengths.values()) == pytest.approx(38.39, rel=1e-3)
    assert all("drawn" in s for s in dh["source"])


def test_roads_lie_in_the_communes_the_plan_names(sample_store, admin):
    roads = sample_store.read_layer("roads")
    old = units.valid_on(admin, "2024-02-29", level="commune").set_index("code")
    for _, road in roads[roads["road_class"] == "ĐH"].iterrows():
        area = shapely.union_all(list(old.loc[road["comm_codes"]].geometry))
        assert area.buffer(1e-5).contains(road.geometry), road["road_code"]


def test_tree_planting_is_survey_geometry(sample_store):
    surveys = sample_store.read_layer("surveys")
    kinds = set(surveys.geometry.geom_type)
    assert {"Point"} <= kinds and kinds & {"LineString", "MultiLineString"}


def test_the_sample_is_rebuilt_byte_for_byte_from_its_sources(tmp_path):
    """scripts/build_damrong.py reproduces the committed layers from data/damrong/sources."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    script = root / "scripts" / "build_damrong.py"
    if not script.is_file():
        pytest.skip("scripts/ is not shipped in an installed package")
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for name in ("admin_units", "roads", "surveys", "sites", "green_areas"):
        built = (tmp_path / f"{name}.geojson").read_bytes()
        assert built == (root / "data" / "damrong" / f"{name}.geojson").read_bytes(), name


def test_build_sample_never_replaces_a_file_unasked(tmp_path):
    from ntmgeo._errors import StoreError

    path = tmp_path / "damrong.gpkg"
    path.write_bytes(b"someone's store")
    with pytest.raises(StoreError, match="already exists"):
        datasets.build_sample(path, "damrong")
    assert path.read_bytes() == b"someone's store"


def test_a_failed_sample_build_leaves_nothing(tmp_path, monkeypatch):
    def broken(store, name):
        raise InputError("damaged sample file", path=name)

    monkeypatch.setattr(datasets, "load_sample", broken)
    with pytest.raises(InputError, match="damaged sample file"):
        datasets.build_sample(tmp_path / "damrong.gpkg", "damrong")
    assert list(tmp_path.iterdir()) == []
