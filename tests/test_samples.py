"""The Đắk Song, Tam Đường and Đức Thọ samples (scripts/build_samples.py): real communes
repaired to tile their district polygon, codes as sourced, and exactly the figures their plans
state (seeds 001, 003, 002).
"""

from __future__ import annotations

import gzip
import hashlib
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


# --- the Lâm Đồng sample: the merged province from 1/7/2025 (scripts/build_lamdong.py) -------

build_lamdong = importlib.import_module("build_lamdong")
LAMDONG = ROOT / "data" / "lamdong"
DAMRONG_OLD = {"24853", "24856", "24859", "24874", "24875", "24877", "24886", "24889"}


@pytest.fixture(scope="module")
def lamdong(tmp_path_factory):
    path = tmp_path_factory.mktemp("ld") / "lamdong.gpkg"
    counts = datasets.build_sample(path, "lamdong")
    store = GpkgStore.open(path)
    return store, counts, store.read_layer("admin_units")


def _new_units(admin):
    return admin[(admin["valid_from"].astype(str) == "2025-07-01")
                 & (admin["level"] == "commune")]


def _codes(value):
    if isinstance(value, list | tuple):
        return set(value)
    return set(str(value or "").split("|")) - {""}


def test_lamdong_builds_into_a_store_with_the_old_samples_records(lamdong):
    store, counts, admin = lamdong
    assert store.measure_crs == "EPSG:5899"  # the old Lâm Đồng's zone (data/vn2000_zones.csv)
    # 1 province + 124 units + Đam Rông (1 + 8) + Đắk Song (1 + 9)
    assert counts["admin_units"] == len(admin) == 144
    # the Đam Rông sample's 8 commune statuses and Đắk Song's 9, read from those samples
    assert counts["unit_status"] == 8 + 9
    assert counts["reported_values"] == 36 and counts["reported_summaries"] == 1
    old = admin[admin["valid_to"].astype(str) == "2025-06-30"]
    assert set(old[old["level"] == "district"]["code"]) == {"674", "665"}
    assert DAMRONG_OLD <= set(old["code"])
    province = admin[admin["level"] == "province"]
    assert list(province["code"]) == ["68"]
    assert str(province["valid_from"].iloc[0]) == "2025-07-01"
    assert _codes(province["replaces"].iloc[0]) == {"60", "67", "68"}


def test_lamdong_has_the_124_units_by_type(lamdong):
    _, _, admin = lamdong
    new = _new_units(admin)
    assert len(new) == 124 and new["code"].is_unique
    assert new["unit_type"].value_counts().to_dict() == {"xa": 103, "phuong": 20, "dac_khu": 1}
    assert list(new[new["unit_type"] == "dac_khu"]["name"]) == ["Phú Quý"]
    assert set(new["parent_code"]) == set(new["prov_code"]) == {"68"}
    assert new["valid_to"].isna().all()
    assert units.valid_on(admin, "2025-07-01")["level"].value_counts().to_dict() == \
        {"commune": 124, "province": 1}
    # every unit's source names the Bando terms and its predecessors as Bando writes them
    assert new["source"].str.contains("sapnhap.bando.com.vn, whose terms of use apply").all()


def test_every_unit_names_as_many_predecessors_as_bando(lamdong):
    _, _, admin = lamdong
    src = build_lamdong.read_source(LAMDONG / "sources")
    bando = {c: [n for n in f.split(",") if n.strip()]
             for c, f in zip(src["code"], src["formed_from"], strict=True)}
    new = _new_units(admin)
    for code, repl in zip(new["code"], new["replaces"], strict=True):
        assert _codes(repl) and len(_codes(repl)) == len(bando[code]), code


def test_predecessors_are_the_packages_mapping(lamdong):
    pytest.importorskip("vietnamadminunits")
    _, _, admin = lamdong
    pkg = build_lamdong.package_lineage()
    assert pkg["national"] == {"p": 34, "u": 3321}
    new = _new_units(admin)
    assert {c: sorted(_codes(r)) for c, r in zip(new["code"], new["replaces"], strict=True)} \
        == {c: u["old"] for c, u in pkg["units"].items()}


def test_dam_rong_1_to_4_link_to_the_eight_old_communes(lamdong):
    _, _, admin = lamdong
    new = _new_units(admin).set_index("name")
    repl = {n: _codes(new.at[n, "replaces"]) for n in
            ("Đam Rông 1", "Đam Rông 2", "Đam Rông 3", "Đam Rông 4")}
    assert repl == {"Đam Rông 1": {"24886", "24889"}, "Đam Rông 2": {"24874", "24877"},
                    "Đam Rông 3": {"24859", "24875"},
                    # 24850 Đưng K'Nớ, from Lạc Dương: not held by the store
                    "Đam Rông 4": {"24850", "24853", "24856"}}
    assert set().union(*repl.values()) & set(admin["code"]) >= DAMRONG_OLD
    held = admin[admin["code"].isin(DAMRONG_OLD) & (admin["valid_to"].astype(str) == "2025-06-30")]
    assert len(held) == 8 and set(held["parent_code"]) == {"674"}
    from ntmgeo import lineage
    pred = lineage.predecessors(admin, "24886", "2025-07-01")
    assert set(pred["name"]) == {"Phi Liêng", "Đạ K'Nàng"} and pred["held"].all()
    # Đắk Song's four new units take its 9 old ones
    by_name = {n: _codes(new.at[n, "replaces"])
               for n in ("Trường Xuân", "Đắk Song", "Đức An", "Thuận Hạnh")}
    assert by_name == {"Trường Xuân": {"24728", "24730"}, "Đắk Song": {"24718", "24719"},
                       "Đức An": {"24717", "24721", "24727"},
                       "Thuận Hạnh": {"24722", "24724"}}


def test_the_old_communes_keep_their_statuses(lamdong):
    store, _, _ = lamdong
    doc = status.from_store(store, level="commune", as_of="2023-12-31")
    levels = {d["comm_code"]: d["level"] for d in doc["communes"]}
    assert levels["24856"] == "not_yet" and levels["24874"] == "not_yet"  # seed 000, II.1
    assert levels["24719"] == "ntm" and levels["24718"] == "not_yet"  # seed 001, line 49


def test_lamdong_units_tile_within_the_sources_few_square_metres(lamdong):
    store, _, admin = lamdong
    new = _new_units(admin).to_crs(store.measure_crs)
    geoms, codes = list(new.geometry), list(new["code"])
    pairs = build_lamdong.pairwise_overlaps(geoms, codes)
    # the source's own defects: its largest pair is 8.2 m² (SOURCES.md, section B)
    assert max(a for *_, a in pairs) < 10.0 and sum(a for *_, a in pairs) < 20.0
    union = shapely.union_all(geoms)
    gaps = build_lamdong.holes(union)
    assert sum(gaps) < 10.0 and max(gaps) < 2.0
    assert union.area / 1e6 == pytest.approx(24233.03, abs=0.5)  # SOURCES.md, section B
    province = admin[admin["level"] == "province"].to_crs(store.measure_crs).geometry.iloc[0]
    assert province.symmetric_difference(union).area < 10.0


def test_lamdong_readme_states_the_bando_terms_and_the_figures():
    text = (LAMDONG / "README.md").read_text(encoding="utf-8")
    assert "sapnhap.bando.com.vn" in text and "Bando's terms of use apply" in text
    assert "103 xã, 20 phường, 1 đặc khu" in text
    assert "no polygons" in text  # what the package does not give
    copy = gzip.decompress((LAMDONG / "sources" / build_lamdong.SOURCE_GZ).read_bytes())
    assert hashlib.sha256(copy).hexdigest() == build_lamdong.SOURCE_SHA256
    shared = build_lamdong.SHARED / build_lamdong.SOURCE_FILE
    if shared.exists():  # the gzip copy holds the shared file byte for byte
        assert copy == shared.read_bytes()
    size = sum(p.stat().st_size for p in LAMDONG.rglob("*") if p.is_file())
    assert size < 4.3e6  # about 4 MB in all


def test_lamdong_is_rebuilt_byte_for_byte(tmp_path):
    pytest.importorskip("vietnamadminunits")
    build_lamdong.main(["--boundaries", str(LAMDONG / "sources"), "--out", str(tmp_path)])
    assert (tmp_path / "lamdong" / "admin_units.geojson").read_bytes() == \
        (LAMDONG / "admin_units.geojson").read_bytes()
    block = (tmp_path / "lamdong" / "README.md").read_text(encoding="utf-8")
    assert block.strip() in (LAMDONG / "README.md").read_text(encoding="utf-8")


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 6), shift=st.one_of(st.just(0.0), st.floats(0.001, 0.9)))
def test_pairwise_overlaps_and_holes_measure_a_shifted_row(n, shift):
    # n unit squares in a row, the last pushed left by `shift`: one overlap of shift m², and
    # a hole only where a square is taken out of the middle.
    boxes = [box(i, 0, i + 1, 1) for i in range(n - 1)] + [box(n - 1 - shift, 0, n - shift, 1)]
    codes = [str(i) for i in range(n)]
    pairs = build_lamdong.pairwise_overlaps(boxes, codes)
    if shift > 0:
        assert [(a, b) for a, b, _ in pairs] == [(str(n - 2), str(n - 1))]
        assert pairs[0][2] == pytest.approx(shift)
    else:
        assert pairs == []
    assert build_lamdong.holes(shapely.union_all(boxes)) == []
    ring = [box(0, 0, 3, 1), box(0, 2, 3, 3), box(0, 1, 1, 2), box(2, 1, 3, 2)]
    assert build_lamdong.holes(shapely.union_all(ring)) == pytest.approx([1.0])
