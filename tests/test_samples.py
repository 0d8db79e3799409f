"""The Đắk Song, Tam Đường and Đức Thọ samples (scripts/build_samples.py): real communes
repaired to tile their district polygon, codes as sourced, and exactly the figures their plans
state (seeds 001, 003, 002).
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from ntmgeo import datasets, status, units
from ntmgeo.store import RECORD_TABLES
from ntmgeo.store.gpkg import GpkgStore

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
tiling = importlib.import_module("_tiling")
build_samples = importlib.import_module("build_samples")

SAMPLES = {"daksong": ("665", "EPSG:9218", 9), "tamduong": ("106", "EPSG:9205", 13),
           "ductho": ("440", "EPSG:9209", 28)}
WIDTH_TOL_M = 0.05  # union of the units vs the district polygon: mean width of the difference


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def built(request, tmp_path_factory):
    name = request.param
    path = tmp_path_factory.mktemp(name) / f"{name}.gpkg"
    counts = datasets.build_sample(path, name)
    return name, GpkgStore.open(path), counts


@pytest.fixture(scope="module")
def daksong(tmp_path_factory):
    path = tmp_path_factory.mktemp("ds") / "daksong.gpkg"
    datasets.build_sample(path, "daksong")
    return GpkgStore.open(path)


@pytest.fixture(scope="module")
def tamduong(tmp_path_factory):
    path = tmp_path_factory.mktemp("td") / "tamduong.gpkg"
    datasets.build_sample(path, "tamduong")
    return GpkgStore.open(path)


def _district_polygon(name):
    stem = build_samples.SAMPLES[name]["stem"]
    return gpd.read_file(datasets.get_path(name) / "sources"
                         / f"pre2025_{stem}_district.geojson")


def test_the_samples_are_listed():
    assert {"damrong", "daksong", "tamduong", "ductho"} <= set(datasets.available())


def test_each_sample_builds_into_a_store_with_its_units(built):
    name, store, counts = built
    dist, crs, n_units = SAMPLES[name]
    assert store.measure_crs == crs
    admin = store.read_layer("admin_units")
    assert counts["admin_units"] == n_units + 1 == len(admin)
    on = units.valid_on(admin, "2024-06-30")
    assert list(on[on["level"] == "district"]["code"]) == [dist]
    assert set(on[on["level"] != "district"]["parent_code"]) == {dist}
    assert (on["valid_to"].astype(str) == "2025-06-30").all()
    assert units.valid_on(admin, "2025-07-01").empty


def test_units_tile_the_district_polygon(built):
    name, store, _ = built
    crs = store.measure_crs
    admin = store.read_layer("admin_units").to_crs(crs)
    parts = admin[admin["level"] != "district"]
    geoms = list(parts.geometry)
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(geoms, 2))
    assert overlap < 1.0  # m²
    union = shapely.union_all(geoms)
    assert sum(len(p.interiors) for p in getattr(union, "geoms", [union])) == 0
    district = admin[admin["level"] == "district"].geometry.iloc[0]
    assert union.symmetric_difference(district).area < 1.0
    polygon = _district_polygon(name).to_crs(crs).geometry.iloc[0]
    drop = build_samples.SAMPLES[name]["drop"]
    if drop:  # Tam Đường: the district polygon less Sùng Phài, as repaired
        src = gpd.read_file(datasets.get_path(name) / "sources"
                            / "pre2025_tam_duong_communes.geojson")
        assert set(src["gso_code"]) - set(parts["code"]) == set(drop)
        assert polygon.area - union.area == pytest.approx(20.676e6, rel=1e-3)
        return
    assert union.symmetric_difference(polygon).area / polygon.length < WIDTH_TOL_M


def test_codes_as_sourced(built):
    name, store, _ = built
    admin = store.read_layer("admin_units")
    src = gpd.read_file(datasets.get_path(name) / "sources"
                        / f"pre2025_{build_samples.SAMPLES[name]['stem']}_communes.geojson")
    codes = dict(zip(src["name"].str.replace(r"^(Xã|Thị trấn) ", "", regex=True),
                     src["gso_code"], strict=True))
    parts = admin[admin["level"] != "district"]
    for _, row in parts.iterrows():
        sourced = codes[row["name"]]
        if row["code"].startswith("v63-"):
            assert name == "ductho"
            assert pd.isna(sourced) or row["name"] == "Đức Dũng"
            assert "not a GSO code" in row["source"]
        else:
            assert row["code"] == sourced
    towns = parts[parts["level"] == "town"]
    assert len(towns) == 1 and towns["aliases"].iloc[0][0].startswith("Thị trấn ")


def test_ductho_has_eight_gso_codes_and_twenty_non_gso():
    admin = gpd.read_file(datasets.get_path("ductho") / "admin_units.geojson")
    parts = admin[admin["level"] != "district"]
    gso = sorted(c for c in parts["code"] if not c.startswith("v63-"))
    assert gso == ["18229", "18244", "18247", "18253", "18259", "18304", "18307", "18310"]
    assert (parts["code"].str.startswith("v63-")).sum() == 20
    assert parts.set_index("name").loc["Đức Đồng", "code"] == "18304"
    assert parts.set_index("name").loc["Đức Dũng", "code"] == "v63-4050749"


def test_daksong_commune_statuses_as_the_plan_gives(daksong):
    # seed 001 line 49 (the 5 NTM communes), lines 43, 45, 47 (the 3 not yet), line 73 (8/8)
    doc = status.from_store(daksong, level="commune", as_of="2023-12-31")
    levels = {d["comm_code"]: d["level"] for d in doc["communes"]}
    assert levels == {"24718": "not_yet", "24719": "ntm", "24721": "ntm", "24722": "ntm",
                      "24724": "ntm", "24727": "not_yet", "24728": "ntm", "24730": "not_yet"}
    assert doc["summary"]["communes"] == 8 and doc["summary"]["ntm_or_above"] == 5
    rows = daksong.read_records("unit_status")
    assert rows["source"].str.contains("seed 001").all()
    assert rows["source"].str.contains("line").all()
    targets = dict(zip(rows["unit_code"], rows["target"], strict=True))
    assert targets["24727"] == "ntm" and targets["24718"] == "ntm"


def test_tamduong_reported_works_as_the_plan_states(tamduong):
    assert "reported_works" in RECORD_TABLES
    rows = tamduong.read_records("reported_works")
    got = {(r["funding_source"] or None): (r["works_count"], r["amount_million_vnd"])
           for _, r in rows.iterrows()}
    # seed 003 lines 105, 107, 109: 13 works 23.198, 6+1 works 11.873, 14+7 works 51.285
    # (million VND, thousands written with a dot)
    assert got["ntm"] == (13, 23198.0)
    assert got["local_budget"] == (7, 11873.0)
    assert got["ethnic_minority"] == (21, 51285.0)
    total_count, total_amount = got[None]
    assert total_count == 41 == 13 + 7 + 21
    assert total_amount is None or pd.isna(total_amount)  # the plan prints no total amount
    assert set(rows["plan"]) == {"tamduong-2024"} and set(rows["unit_code"]) == {"106"}
    assert all("seed 003" in s for s in rows["source"])
    columns = [c for c, _ in RECORD_TABLES["reported_works"] if c != "recorded_at"]
    csv = pd.read_csv(datasets.get_path("tamduong") / "reported_works_2024.csv", dtype=str)
    assert list(csv.columns) == columns


def test_tamduong_statuses_and_no_works_drawn(tamduong):
    doc = status.from_store(tamduong, level="commune", as_of="2024-06-30")
    levels = {d["comm_code"]: d["level"] for d in doc["communes"]}
    assert levels["03413"] == "not_yet" and levels["03424"] == "ntm"  # seed 003 lines 39, 41
    assert sum(v is None for v in levels.values()) == 10  # the plan names no other commune
    drawn = [n for n in tamduong.layer_names()
             if n != "admin_units" and not tamduong.read_layer(n).empty]
    assert drawn == []  # the plan locates no works: nothing drawn


def test_manifests_load_only_existing_files():
    for name in SAMPLES:
        spec = datasets.manifest(name)
        folder = datasets.get_path(name)
        assert set(spec["layers"]) == {"admin_units"}  # nothing drawn
        for rec in spec.get("records", []):
            assert (folder / rec["file"]).is_file()
            assert rec["table"] in RECORD_TABLES


def test_rebuilding_reproduces_the_committed_files(tmp_path):
    build_samples.main(["--boundaries", str(ROOT / "data"), "--out", str(tmp_path)])
    for name in SAMPLES:
        ours = datasets.get_path(name)
        assert (tmp_path / name / "admin_units.geojson").read_bytes() == \
            (ours / "admin_units.geojson").read_bytes()
        for fn in (ours / "sources").iterdir():
            assert (tmp_path / name / "sources" / fn.name).read_bytes() == fn.read_bytes()
        block = (tmp_path / name / "README.md").read_text(encoding="utf-8")
        assert block.strip() in (ours / "README.md").read_text(encoding="utf-8")


def test_rounded_output_is_six_decimals():
    raw = json.loads((datasets.get_path("daksong") / "admin_units.geojson").read_text("utf-8"))
    xs = [x for f in raw["features"] for ring in f["geometry"]["coordinates"][0]
          for x, _ in ring]
    assert all(round(x, 6) == x for x in xs)


# --- the repair on known geometry ------------------------------------------------------------

def _frame(rows):
    return gpd.GeoDataFrame({"code": [c for c, _ in rows]}, geometry=[g for _, g in rows])


def test_repair_gives_overlaps_to_the_lower_code_and_fills_to_the_district():
    # two 10 x 10 squares overlapping by 1 m, a 10 m strip of the district no commune covers
    a, b = box(0, 0, 10.5, 10), box(9.5, 0, 20, 10)
    district = box(0, 0, 20, 20)
    out, fig = tiling.repair_communes(_frame([("01", a), ("02", b)]), frame=district)
    assert fig["overlap_total"] == pytest.approx(10.0)
    assert out["01"].area + out["02"].area == pytest.approx(400.0)
    assert out["01"].intersection(out["02"]).area == 0
    assert out["01"].intersection(box(9.5, 0, 10.5, 10)).area == pytest.approx(10.0)
    assert shapely.union_all(list(out.values())).equals(district)
    # the strip (20 x 10) touches both along 10 m: the tie goes to the lower code
    assert out["01"].area == pytest.approx(10.5 * 10 + 200)


def test_repair_drops_what_lies_outside_the_district():
    a, b = box(-5, 0, 10, 10), box(10, 0, 25, 10)
    out, fig = tiling.repair_communes(_frame([("01", a), ("02", b)]), frame=box(0, 0, 20, 10))
    assert fig["outside_frame"] == pytest.approx(100.0)
    assert out["01"].equals(box(0, 0, 10, 10).normalize()) or \
        out["01"].symmetric_difference(box(0, 0, 10, 10)).area < 1e-9
    assert out["02"].symmetric_difference(box(10, 0, 20, 10)).area < 1e-9


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(-3, 3), st.floats(-3, 3)), min_size=4, max_size=4))
def test_repair_always_tiles_a_jittered_grid(jitter):
    # a 2 x 2 grid of 10 m cells whose inner corners are moved: overlaps and gaps appear, the
    # repaired cells tile the district exactly
    cells = []
    for k, (i, j) in enumerate(itertools.product(range(2), range(2))):
        dx, dy = jitter[k]
        x0, y0 = i * 10 + (dx if i else 0), j * 10 + (dy if j else 0)
        x1, y1 = (i + 1) * 10 + (0 if i else dx), (j + 1) * 10 + (0 if j else dy)
        cells.append((f"0{k}", box(x0, y0, x1, y1)))
    district = box(0, 0, 20, 20)
    out, _ = tiling.repair_communes(_frame(cells), frame=district, single=False)
    geoms = list(out.values())
    assert sum(a.intersection(b).area for a, b in itertools.combinations(geoms, 2)) < 1e-6
    assert shapely.union_all(geoms).symmetric_difference(district).area < 1e-6


# --- the targets files of the new plans ------------------------------------------------------

def _targets(store, rollup_id, code, date, extra_status=(), reported=None):
    from ntmgeo import rollup
    doc = next(d for d in rollup.rollups_for("district", code, date) if d["id"] == rollup_id)
    st_rows = store.read_records("unit_status")
    if extra_status:
        st_rows = pd.concat([st_rows, pd.DataFrame(list(extra_status))], ignore_index=True)
    rep = store.read_records("reported_values") if reported is None else reported
    out = rollup.evaluate(doc, code=code, date=date, units=store.read_layer("admin_units"),
                          status=st_rows, reported=rep)
    return out, {c["id"]: c for c in out["conditions"]}


def test_daksong_targets_seven_ntm_communes_and_nam_binh(daksong):
    # seed 001 lines 43-49: 5 NTM + Đắk Môl + Đắk N'Drung = 7; line 51: Nam Bình >= 2
    doc, by_id = _targets(daksong, "daksong-targets-2023", "665", "2023-12-31")
    assert (by_id["communes-ntm"]["count"], by_id["communes-ntm"]["met"]) == (5, False)
    assert by_id["nam-binh-nang-cao-criteria"]["met"] is None  # no baseline in the plan
    recognised = [{"unit_code": c, "unit_valid_from": "2008-01-01", "as_of": "2023-12-01",
                   "ntm_level": "ntm", "criteria_set": "vn-commune-2021-2025"}
                  for c in ("24718", "24727")]
    nam_binh = pd.DataFrame([{"unit_code": "24721", "indicator_id": "rollup.nang_cao_criteria_met",
                              "value": 2, "as_of": "2023-12-01"}])
    doc, by_id = _targets(daksong, "daksong-targets-2023", "665", "2023-12-31",
                          extra_status=recognised, reported=nam_binh)
    assert by_id["communes-ntm"]["count"] == 7 and by_id["communes-ntm"]["met"] is True
    assert by_id["nam-binh-nang-cao-criteria"]["met"] is True and doc["met"] is True


def test_ductho_targets_nine_nang_cao_criteria_and_the_town(tmp_path):
    path = tmp_path / "ductho.gpkg"
    datasets.build_sample(path, "ductho")
    store = GpkgStore.open(path)
    doc, by_id = _targets(store, "ductho-targets-2024", "440", "2024-12-31")
    assert set(by_id) == {"district-criteria", "district-nang-cao-criteria", "town-van-minh"}
    assert doc["met"] is None  # the plan reports no current figure for any of them
    reported = pd.DataFrame([
        {"unit_code": "440", "indicator_id": "rollup.district_criteria_met", "value": 9,
         "as_of": "2024-12-01"},
        {"unit_code": "440", "indicator_id": "rollup.district_nang_cao_criteria_met",
         "value": 8, "as_of": "2024-12-01"}])
    town = [{"unit_code": "18229", "unit_valid_from": "2008-01-01", "as_of": "2024-06-30",
             "ntm_level": "van_minh", "criteria_set": "laichau-town-van-minh"}]
    doc, by_id = _targets(store, "ductho-targets-2024", "440", "2024-12-31",
                          extra_status=town, reported=reported)
    assert by_id["district-criteria"]["met"] is True
    assert by_id["district-nang-cao-criteria"]["met"] is False and doc["met"] is False
    assert by_id["town-van-minh"]["met"] is True


def test_ductho_statuses_only_for_units_it_has(tmp_path):
    path = tmp_path / "ductho.gpkg"
    datasets.build_sample(path, "ductho")
    doc = status.from_store(GpkgStore.open(path), level="commune", as_of="2024-06-30")
    levels = {d["comm_code"]: d["level"] for d in doc["communes"] if d["level"]}
    # seed 002 lines 63, 67, 69
    assert levels == {"18259": "ntm_kieu_mau", "18310": "ntm_nang_cao", "18247": "ntm",
                      "18307": "ntm"}
    assert doc["summary"]["communes"] == 27
