"""The works and budget register (ntmgeo.works, ``ntmgeo works``): totals by funding source and
by status with known answers, overdue works, the loaded totals beside the plan's own, the
funding catalogue as data, and importing works drawn as lines or with no geometry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from ntmgeo import ingest, works
from ntmgeo._errors import InputError
from ntmgeo._resources import share_path
from ntmgeo.cli import cli
from ntmgeo.layers import load_schema
from ntmgeo.store.gpkg import GpkgStore

from geodata import LAT, LON, store_fingerprint, write_geojson


def _works(rows: list[dict]) -> gpd.GeoDataFrame:
    names = load_schema("works").field_names
    frame = pd.DataFrame([{n: r.get(n) for n in names} for r in rows], dtype=object)
    return gpd.GeoDataFrame(frame, geometry=[r.get("geometry") for r in rows], crs="EPSG:4326")


# four works with known answers: a (NTM alone, 100), b (NTM and local budget, 50), c (local
# budget alone, no amount), d (no source, 7,5)
WORKS = [
    {"work_id": "a", "name": "A", "funding": ["ntm"], "amount_million_vnd": 100.0,
     "status": "completed", "deadline": "2024-01-01", "geometry": Point(LON, LAT)},
    {"work_id": "b", "name": "B", "funding": ["ntm", "local_budget"],
     "amount_million_vnd": 50.0, "status": "under_construction", "deadline": "2024-06-30",
     "plan": "p"},
    {"work_id": "c", "name": "C", "funding": ["local_budget"], "amount_million_vnd": None,
     "status": None, "comm_code": "03541"},
    {"work_id": "d", "name": "D", "funding": None, "amount_million_vnd": 7.5,
     "status": "planned", "deadline": "2023-12-31", "plan": "q"},
]
# the plan's own totals as Tam Đường's plan states them (seed 003 lines 105-109)
REPORTED = pd.DataFrame([
    {"plan": "p", "unit_code": "106", "funding_source": "ntm", "works_count": 13,
     "amount_million_vnd": 23198.0, "as_of": "2024-01-01", "source": "seed 003, line 105"},
    {"plan": "p", "unit_code": "106", "funding_source": "local_budget", "works_count": 7,
     "amount_million_vnd": 11873.0, "as_of": "2024-01-01", "source": "seed 003, line 107"},
    {"plan": "p", "unit_code": "106", "funding_source": None, "works_count": 41,
     "amount_million_vnd": None, "as_of": "2024-01-01", "source": "seed 003, lines 105-109"},
])


def test_totals_by_source_count_a_shared_work_under_each_and_its_amount_once():
    doc = works.summary(_works(WORKS), None, as_of="2024-07-01")
    by = {s["funding_source"]: s for s in doc["by_source"]}
    assert [s["funding_source"] for s in doc["by_source"]] == ["ntm", "local_budget"]
    assert (by["ntm"]["count"], by["ntm"]["only_count"], by["ntm"]["amount_million_vnd"]) \
        == (2, 1, 100.0)
    assert (by["local_budget"]["count"], by["local_budget"]["amount_million_vnd"]) == (2, None)
    assert by["ntm"]["shared_count"] == 1 and by["ntm"]["shared_amount_million_vnd"] == 50.0
    assert doc["several_sources"] == {"count": 1, "amount_million_vnd": 50.0,
                                      "without_amount": 0}
    assert doc["no_source"]["count"] == 1 and doc["no_source"]["amount_million_vnd"] == 7.5
    assert doc["total"] == {"count": 4, "amount_million_vnd": 157.5, "without_amount": 1}


def test_totals_by_status_in_the_layers_order_with_the_unknown_last():
    doc = works.summary(_works(WORKS), None, as_of="2024-07-01")
    got = [(s["status"], s["count"], s["amount_million_vnd"]) for s in doc["by_status"]]
    assert got == [("planned", 1, 7.5), ("under_construction", 1, 50.0),
                   ("completed", 1, 100.0), (None, 1, None)]
    assert doc["by_status"][0]["label"]["vi"] == "Chưa khởi công"


def test_overdue_is_a_passed_deadline_of_a_work_not_completed():
    doc = works.summary(_works(WORKS), None, as_of="2024-07-01")
    assert [(w["work_id"], w["days_late"]) for w in doc["overdue"]] == [("d", 183), ("b", 1)]
    # on the deadline itself a work is not late; a completed one never is
    doc = works.summary(_works(WORKS), None, as_of="2024-06-30")
    assert [w["work_id"] for w in doc["overdue"]] == ["d"]


def test_the_loaded_totals_beside_the_plans_with_the_difference():
    doc = works.summary(_works(WORKS), REPORTED, as_of="2024-07-01")
    (plan,) = doc["plans"]
    assert plan["plan"] == "p" and plan["unit_code"] == "106"
    lines = {s["funding_source"]: s for s in plan["sources"]}
    # plan p's works: b (plan p) and a, c (no plan); d names plan q
    ntm = lines["ntm"]
    assert (ntm["loaded_count"], ntm["loaded_amount_million_vnd"]) == (2, 100.0)
    assert (ntm["plan_count"], ntm["plan_amount_million_vnd"]) == (13, 23198.0)
    assert (ntm["diff_count"], ntm["diff_amount_million_vnd"]) == (-11, -23098.0)
    assert ntm["source"] == "seed 003, line 105"
    local = lines["local_budget"]
    assert (local["loaded_count"], local["diff_count"], local["diff_amount_million_vnd"]) \
        == (2, -5, -11873.0)
    total = plan["total"]
    assert (total["loaded_count"], total["plan_count"], total["diff_count"]) == (3, 41, -38)
    assert total["plan_amount_million_vnd"] is None and total["diff_amount_million_vnd"] is None
    assert total["loaded_amount_million_vnd"] == 150.0


def test_the_plans_latest_figures_on_the_day_and_one_plan_only():
    later = pd.concat([REPORTED, pd.DataFrame([
        {"plan": "p", "unit_code": "106", "funding_source": "ntm", "works_count": 14,
         "amount_million_vnd": 24000.0, "as_of": "2024-09-01", "source": "later"},
        {"plan": "other", "unit_code": "1", "funding_source": "ntm", "works_count": 1,
         "amount_million_vnd": 1.0, "as_of": "2024-01-01", "source": "x"}])],
        ignore_index=True)
    doc = works.summary(_works(WORKS), later, as_of="2024-07-01", plan="p")
    (plan,) = doc["plans"]
    assert {s["funding_source"]: s["plan_count"] for s in plan["sources"]}["ntm"] == 13
    doc = works.summary(_works(WORKS), later, as_of="2024-12-31")
    assert [p["plan"] for p in doc["plans"]] == ["other", "p"]
    assert {s["funding_source"]: s["plan_count"]
            for s in doc["plans"][1]["sources"]}["ntm"] == 14


def test_with_no_works_the_plans_totals_still_show():
    doc = works.summary(_works([]), REPORTED, as_of="2024-07-01")
    assert doc["total"]["count"] == 0 and doc["works"] == []
    total = doc["plans"][0]["total"]
    assert (total["loaded_count"], total["plan_count"], total["diff_count"]) == (0, 41, -41)


_SOURCES = st.lists(st.sampled_from(["ntm", "local_budget", "ethnic_minority", "credit"]),
                    max_size=3)
_AMOUNTS = st.one_of(st.none(), st.integers(min_value=0, max_value=10**6).map(lambda n: n / 4))
_STATUS = st.sampled_from([None, "planned", "under_construction", "completed", "suspended"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_SOURCES, _AMOUNTS, _STATUS), max_size=12))
def test_totals_add_up_to_the_grand_total(items):
    rows = [{"work_id": f"w{n}", "name": "x", "funding": src or None,
             "amount_million_vnd": amount, "status": status}
            for n, (src, amount, status) in enumerate(items)]
    doc = works.summary(_works(rows), None, as_of="2024-07-01")
    total = doc["total"]
    assert total["count"] == len(items)
    parts = [*doc["by_source"], doc["several_sources"] | {"only_count": None},
             doc["no_source"] | {"only_count": None}]
    counts = [p["only_count"] if p["only_count"] is not None else p["count"] for p in parts]
    assert sum(counts) == total["count"]
    amounts = [p["amount_million_vnd"] or 0.0 for p in parts]
    assert sum(amounts) == pytest.approx(total["amount_million_vnd"] or 0.0)
    assert sum(s["count"] for s in doc["by_status"]) == total["count"]
    assert sum(s["amount_million_vnd"] or 0.0 for s in doc["by_status"]) \
        == pytest.approx(total["amount_million_vnd"] or 0.0)
    for s in doc["by_source"]:  # a source's count: the works naming it, alone or not
        assert s["count"] == sum(1 for src, _, _ in items if s["funding_source"] in src)


# ------------------------------------------------------------------------- the catalogue
def test_the_layers_funding_values_are_the_catalogues_sources():
    catalogue = works.funding_catalogue()
    field = load_schema("works").field("funding")
    assert list(field.allowed or ()) == list(catalogue)
    for sid, source in catalogue.items():
        assert field.allowed_labels[sid] == source["name"], sid
        assert source["seeds"], sid  # every source is named by a plan, with its line
        assert source["short"]["vi"] and source["short"]["en"], sid


SEEDS = Path("/work/shared/seeds")
_SEED_REF = re.compile(r"^seed (\d{3}), lines? (\d+)(?:-(\d+))?$")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the planning documents (seeds) are not here")
def test_every_seed_line_of_the_catalogue_names_its_source():
    # "seed 003, line 105": that line of the plan writes the source's name or an alias
    doc = yaml.safe_load(share_path("data", "funding_sources.yml").read_text(encoding="utf-8"))
    assert len(doc["sources"]) == 10
    for source in doc["sources"]:
        words = [" ".join(w.split()).casefold()
                 for w in (source["name"]["vi"], *source["aliases"])]
        for ref in source["seeds"]:
            seed, first, last = _SEED_REF.match(ref).groups()
            (path,) = SEEDS.glob(f"{seed}_*.txt")
            lines = path.read_text(encoding="utf-8").splitlines()
            text = " ".join(" ".join(lines[int(first) - 1:int(last or first)]).split())
            assert any(w in text.casefold() for w in words), (source["id"], ref)


@pytest.mark.parametrize(("text", "expected"), [
    ("Nguồn vốn nông thôn mới", "ntm"), ("ngân sách  địa phương", "local_budget"),
    ("Vốn CT MTQG giảm nghèo bền vững", "poverty_reduction"), ("Lồng ghép", "integrated"),
    ("Cộng đồng dân cư tham gia đóng góp", "contribution"), ("credit", "credit"),
    ("Vốn sự nghiệp", "central_recurrent"), ("no such source", None)])
def test_funding_id_reads_the_plans_words(text, expected):
    assert works.funding_id(text) == expected


# ------------------------------------------------------------------------- store and CLI
def _store(tmp_path) -> GpkgStore:
    store = GpkgStore.create(tmp_path / "w.gpkg", prov_code="12")
    store.add_records("reported_works", REPORTED.to_dict("records"))
    return store


def test_the_cli_shows_the_plans_totals_with_no_works_loaded(tmp_path):
    store = _store(tmp_path)
    result = CliRunner().invoke(cli, ["works", "--db", str(store.path), "--as-of",
                                      "2024-07-01"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Chưa nhập công trình nào." in out
    assert "23.198" in out and "11.873" in out and "41" in out and "-41" in out
    assert "seed 003, line 105" in out
    result = CliRunner().invoke(cli, ["works", "--db", str(store.path), "--json"])
    doc = json.loads(result.output)
    assert doc["plans"][0]["total"]["plan_count"] == 41


def test_the_cli_lists_works_and_totals_in_vietnamese_numbers(tmp_path):
    store = _store(tmp_path)
    gdf = _works([{"work_id": "w1", "name": "Đường ĐH46", "funding": ["ntm"],
                   "amount_million_vnd": 1234.5, "status": "under_construction",
                   "deadline": "2024-03-31", "geometry": LineString([(LON, LAT),
                                                                     (LON + .01, LAT)])}])
    store.write_features("works", gdf)
    result = CliRunner().invoke(cli, ["works", "--db", str(store.path), "--as-of",
                                      "2024-07-01"])
    assert result.exit_code == 0, result.output
    assert "1.234,5" in result.output  # the amount, the Vietnamese way
    assert "-21.963,5" in result.output  # 1.234,5 - 23.198
    assert "w1" in result.output and "(92" in result.output  # 92 days late
    result = CliRunner().invoke(cli, ["works", "--db", str(store.path), "--as-of", "x"])
    assert result.exit_code == 2


def test_a_store_from_before_the_works_layer_gets_it_on_opening(tmp_path):
    import sqlite3

    store = _store(tmp_path)
    con = sqlite3.connect(store.path)
    con.execute('DROP TABLE "works"')
    con.execute("DELETE FROM gpkg_contents WHERE table_name='works'")
    con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name='works'")
    con.commit()
    con.close()
    reopened = GpkgStore.open(store.path)
    assert "works" in reopened.layer_names()
    assert works.from_store(reopened, as_of="2024-07-01")["total"]["count"] == 0


def test_importing_a_road_widening_drawn_as_a_line(tmp_path):
    store = _store(tmp_path)
    feature = {"type": "Feature",
               "properties": {"Mã công trình": "DH46-MR", "Tên công trình": "Mở rộng ĐH46",
                              "Nguồn vốn": "ntm|local_budget", "Kinh phí (triệu đồng)": "23.198",
                              "Tình trạng": "Đang thi công", "Thời hạn": "31/12/2024"},
               "geometry": {"type": "LineString",
                            "coordinates": [[LON, LAT], [LON + 0.02, LAT + 0.01]]}}
    path = write_geojson(tmp_path / "works.geojson", [feature])
    result = ingest.import_file(store, "works", path)
    assert result.count == 1
    stored = store.read_layer("works").iloc[0]
    assert stored["amount_million_vnd"] == 23198.0
    assert stored["funding"] == ["ntm", "local_budget"]
    assert stored["status"] == "under_construction" and stored["deadline"] == "2024-12-31"
    assert stored.geometry.geom_type == "LineString"


def test_importing_works_with_no_geometry_but_a_commune_or_a_road(tmp_path):
    store = _store(tmp_path)
    path = tmp_path / "works.csv"
    path.write_text(
        "Mã công trình,Tên công trình,Xã,Tuyến đường,Lý trình đầu,Lý trình cuối,Nguồn vốn,"
        "Kinh phí (triệu đồng),Tình trạng\n"
        'NVH-1,Nhà văn hóa bản Bo,03541,,,,ethnic_minority,"1.234,5",Chưa khởi công\n'
        'DH56,Nâng cấp ĐH56,,ĐH56,0,1500,local_budget,11.873,Hoàn thành\n',
        encoding="utf-8")
    assert ingest.import_file(store, "works", path).count == 2
    stored = store.read_layer("works").set_index("work_id")
    assert stored.loc["NVH-1", "comm_code"] == "03541"
    assert stored.loc["NVH-1", "amount_million_vnd"] == 1234.5
    assert stored.loc["DH56", "road_id"] == "ĐH56" and stored.loc["DH56", "to_m"] == 1500.0
    assert stored.geometry.isna().all() or stored.geometry.is_empty.all()
    doc = works.from_store(store, as_of="2024-07-01")
    assert doc["total"] == {"count": 2, "amount_million_vnd": 13107.5, "without_amount": 0}


def test_a_bad_amount_names_row_and_field_and_stores_nothing(tmp_path):
    store = _store(tmp_path)
    before = store_fingerprint(store.path)
    path = tmp_path / "bad.csv"
    path.write_text("Mã công trình,Tên công trình,Xã,Kinh phí (triệu đồng)\n"
                    "A,Một,03541,100\nB,Hai,03541,12.34\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        ingest.import_file(store, "works", path)
    text = str(info.value)
    # the table's own row (the heading is row 1) and column, and the value
    assert "row 3" in text and "Kinh phí (triệu đồng)" in text and "'12.34'" in text
    assert store_fingerprint(store.path) == before


# ------------------------------------------------------------------------- the web map
def test_the_map_serves_the_works_by_status_with_their_funding(tmp_path):
    from ntmgeo._resources import load_web

    store = _store(tmp_path)
    store.write_features("works", _works([
        {"work_id": "w1", "name": "Mở rộng ĐH46", "funding": ["ntm", "local_budget"],
         "amount_million_vnd": 23198.0, "status": "under_construction",
         "deadline": "2024-03-31", "geometry": LineString([(LON, LAT), (LON + .01, LAT)])},
        {"work_id": "w2", "name": "Nhà văn hóa", "funding": ["ethnic_minority"],
         "amount_million_vnd": 1234.5, "status": "planned", "comm_code": "03541"}]))
    app = load_web().create_app({"DB_PATH": str(store.path), "SECRET_KEY": "works-tests"})
    client = app.test_client()
    doc = client.get("/api/layers/works").get_json()
    by_id = {f["properties"]["work_id"]: f for f in doc["features"]}
    assert by_id["w1"]["geometry"]["type"] == "LineString"
    assert by_id["w1"]["properties"]["funding"] == ["ntm", "local_budget"]
    assert by_id["w1"]["properties"]["amount_million_vnd"] == 23198.0
    assert "w2" not in by_id  # known by its commune only: nothing to draw
    page = client.get("/").get_data(as_text=True)
    assert "Danh mục công trình và kinh phí" in page  # the overlay and its legend
    data = json.loads(re.search(r'<script type="application/json" id="ntmgeo-page">(.*?)'
                                r"</script>", page, re.S).group(1))
    assert data["labels"]["works.funding"]["ntm"] == \
        "Vốn Chương trình MTQG xây dựng nông thôn mới"
    assert data["labels"]["works.status"]["under_construction"] == "Đang thi công"
    assert data["messages"]["amount"] == "Kinh phí (triệu đồng)" and "works" in data["names"]


def test_the_cli_says_0_million_with_no_works_and_reads_well_with_several_sources(tmp_path):
    store = _store(tmp_path)
    result = CliRunner().invoke(cli, ["works", "--db", str(store.path), "--as-of",
                                      "2024-07-01"])
    assert result.exit_code == 0, result.output
    assert "đã nhập 0 công trình, 0 triệu đồng" in result.output
    assert "—  triệu" not in result.output and ", — triệu đồng" not in result.output
    gdf = _works([
        {"work_id": "w1", "name": "Đường ĐH46", "funding": ["ntm", "local_budget"],
         "amount_million_vnd": 1234.5, "status": "under_construction", "deadline": None,
         "geometry": LineString([(LON, LAT), (LON + .01, LAT)])},
        {"work_id": "w2", "name": "Nhà văn hóa", "funding": ["ethnic_minority"],
         "amount_million_vnd": 500.0, "status": None, "comm_code": "03385", "geometry": None}])
    store.write_features("works", gdf)
    result = CliRunner().invoke(cli, ["works", "--db", str(store.path), "--as-of",
                                      "2024-07-01"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "đã nhập 2 công trình, 1.734,5 triệu đồng" in out
    assert "Nhiều nguồn vốn" in out and "CT MTQG DTTS" in out  # the two-source work, once
    assert "Chưa ghi tình trạng" in out and "03385" in out


def test_the_plans_totals_import_from_a_workbook_in_the_plans_words(tmp_path):
    """A district's summary table: "Vốn NTM" is the source ntm, "23.198" is 23,198 million."""
    import openpyxl

    store = GpkgStore.create(tmp_path / "p.gpkg", prov_code="12")
    ingest.import_file(store, "admin_units", share_path("data", "tamduong", "admin_units.geojson"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kế hoạch", "Mã đơn vị", "Nguồn vốn", "Số công trình", "Kinh phí (triệu đồng)",
               "Tính đến ngày"])
    ws.append(["KH 2024", "106", "Vốn NTM", 13, "23.198", "01/01/2024"])
    ws.append(["KH 2024", "106", "Ngân sách địa phương", 7, "11.873", "01/01/2024"])
    ws.append(["KH 2024", "106", None, 41, None, "01/01/2024"])
    path = tmp_path / "tong_hop.xlsx"
    wb.save(path)
    ingest.import_records(store, "reported_works", path)
    rows = store.read_records("reported_works").set_index("works_count")
    assert rows.loc[13, "funding_source"] == "ntm"
    assert rows.loc[13, "amount_million_vnd"] == pytest.approx(23198)
    assert rows.loc[7, "funding_source"] == "local_budget"
    assert pd.isna(rows.loc[41, "funding_source"]) or rows.loc[41, "funding_source"] in ("", None)
    bad = tmp_path / "bad.xlsx"
    ws.append(["KH 2024", "106", "Vốn vay ngân hàng thế giới", 2, "1.000", "01/01/2024"])
    wb.save(bad)
    before = store_fingerprint(store.path)
    with pytest.raises(InputError, match="Nguồn vốn"):
        ingest.import_records(store, "reported_works", bad)
    assert store_fingerprint(store.path) == before
