"""Criteria recorded met / unmet at every level (commune, village, town, NTM nâng cao): the
records, the counts ("18/19"), the average per commune, the roll-ups computed from them, and
the errors. A small Tam Đường-like store (Lai Châu, 12): district 106, three communes (Bản Bo
03424), a village, the town.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from ntmgeo import criteria, criteria_records, rollup, status
from ntmgeo._errors import CriterionDataMissing, InputError
from ntmgeo.cli import main
from ntmgeo.layers import conform, load_schema
from ntmgeo.store.gpkg import GpkgStore

DAY = "2024-06-30"
NTM = criteria.load_set("vn-commune-2021-2025")
NANG_CAO = criteria.load_set("vn-commune-nang-cao-2021-2025")
UNITS = [("106", "district", "Tam Đường", None), ("03424", "commune", "Bản Bo", "106"),
         ("03427", "commune", "Sơn Bình", "106"), ("03430", "commune", "Bình Lư", "106"),
         ("0342401", "village", "Bản Nà Bỏ", "03424"),
         ("0342402", "village", "Bản Nà Vàn", "03424"),
         ("03550", "town", "Tam Đường", "106")]


def _store(path: Path) -> GpkgStore:
    store = GpkgStore.create(path, prov_code="12")
    units = gpd.GeoDataFrame(
        {"code": [u[0] for u in UNITS], "level": [u[1] for u in UNITS],
         "name": [u[2] for u in UNITS], "parent_code": [u[3] for u in UNITS],
         "valid_from": ["2008-01-01"] * len(UNITS)},
        geometry=[box(103 + i * 0.1, 22, 103.1 + i * 0.1, 22.1) for i in range(len(UNITS))],
        crs="EPSG:4326")
    store.write_features("admin_units", conform(units, load_schema("admin_units")))
    return store


@pytest.fixture
def store(tmp_path: Path) -> GpkgStore:
    return _store(tmp_path / "td.gpkg")


def _report(store, code, item, value, day=DAY, **kw):
    return status.report(store, code, item, value, date=day, source="BC UBND xã", **kw)


# ------------------------------------------------------------------------------- catalogue
class TestCatalogue:
    def test_nang_cao_set_counts_19_and_names_only_what_seed_003_names(self):
        assert NANG_CAO.kind == "ntm_nang_cao" and NANG_CAO.level == "commune"
        assert len(NANG_CAO.criteria) == 19 and NANG_CAO.indicators == []
        named = {c.id: c.name["vi"] for c in NANG_CAO.criteria
                 if c.name["en"] != "Name not in the sources"}
        assert named == {"1": "Quy hoạch", "5": "Giáo dục", "6": "Văn hóa", "10": "Thu nhập",
                         "14": "Y tế", "17": "Môi trường"}  # seed 003 line 41
        assert NANG_CAO.decisions == ()  # no seed gives the national decision's number

    def test_no_kieu_mau_set_without_criteria(self):
        assert not [s for s in criteria.all_sets().values() if s.kind == "ntm_kieu_mau"]

    def test_the_town_finds_its_set_by_the_catalogues_default_kind(self):
        assert criteria.default_kind("town") == "van_minh"
        assert criteria.default_kind("commune") == "ntm"
        assert criteria.set_for("town", DAY).id == "laichau-town-van-minh"
        assert [s.id for s in criteria.sets_for_level("commune", DAY)] == [
            "vn-commune-2021-2025", "vn-commune-nang-cao-2021-2025"]

    def test_the_table_headings_file_is_not_a_set(self):
        assert "_tables" not in criteria.all_sets()
        assert "mã xã" in criteria.table_headings()["unit_code"]


# ------------------------------------------------------------------------------- recording
class TestRecording:
    def test_a_commune_criterion_is_recorded_and_counted(self, store):
        rec = _report(store, "03424", "2", "Đạt")
        assert (rec["kind"], rec["criteria_set"], rec["met"]) == (
            "criterion", "vn-commune-2021-2025", True)
        _report(store, "03424", "11", "chưa đạt")
        rows = store.read_records("reported_criteria")
        assert list(rows["criterion_id"]) == ["2", "11"] and list(rows["met"]) == [True, False]
        doc = status.from_store(store, level="commune", unit="03424", as_of=DAY)
        entry = doc["communes"][0]
        assert entry["criteria_met"] == 1 and entry["as_of"] == DAY
        by_id = {c["id"]: c for c in entry["criteria"]}
        assert by_id["2"]["met"] is True and by_id["2"]["record_source"] == "BC UBND xã"
        assert by_id["11"]["met"] is False and by_id["1"]["met"] is None
        assert doc["summary"]["criteria_met_mean"] == 1.0

    def test_the_latest_record_on_or_before_the_date_decides(self, store):
        _report(store, "03424", "2", "chưa đạt", day="2024-01-31")
        _report(store, "03424", "2", "met", day="2024-05-31")
        early = status.from_store(store, level="commune", unit="03424", as_of="2024-02-01")
        late = status.from_store(store, level="commune", unit="03424", as_of=DAY)
        assert early["communes"][0]["criteria_met"] == 0
        assert late["communes"][0]["criteria_met"] == 1

    def test_village_criteria(self, store):
        _report(store, "0342401", "1", "đạt")
        _report(store, "0342401", "2", "unmet")
        doc = status.from_store(store, level="village", unit="0342401", as_of=DAY)
        assert doc["criteria_set"]["id"] == "laichau-village-2021-2025"
        by_id = {c["id"]: c for c in doc["criteria"]}
        assert (by_id["1"]["met"], by_id["1"]["source"]) == (True, "recorded")
        assert by_id["2"]["met"] is False
        assert doc["summary"]["criteria_met"] == 1 and doc["summary"]["criteria_total"] == 15
        listing = status.from_store(store, level="village", as_of=DAY)
        assert [u["code"] for u in listing["units"]] == ["0342401", "0342402"]
        assert [u["sets"][0]["criteria_met"] for u in listing["units"]] == [1, None]
        assert listing["summary"]["criteria_met_mean"] == 1.0

    def test_the_town_criteria_and_its_indicators(self, store):
        assert _report(store, "03550", "1", "đạt")["criteria_set"] == "laichau-town-van-minh"
        ind = _report(store, "03550", "3.3", "100")
        assert ind["kind"] == "indicator" and ind["met"] is True
        assert len(store.read_records("reported_values")) == 1
        doc = status.from_store(store, level="town", as_of=DAY)
        by_id = {c["id"]: c for c in doc["criteria"]}
        assert by_id["1"]["met"] is True and by_id["2"]["met"] is None
        assert doc["summary"]["criteria_met"] == 1

    def test_nang_cao_by_set(self, store):
        for cid in ("1", "5", "6"):
            _report(store, "03424", cid, "đạt", set_id="vn-commune-nang-cao-2021-2025")
        doc = status.from_store(store, level="commune", unit="03424", as_of=DAY)
        entry = doc["communes"][0]
        assert entry["criteria_met"] is None  # nothing recorded under the NTM set
        other = entry["other_sets"][0]
        assert (other["criteria_set"], other["criteria_met"], other["criteria_total"]) == (
            "vn-commune-nang-cao-2021-2025", 3, 19)

    def test_nang_cao_record_moves_the_plans_15_of_19(self, sample_db):
        # Đạ K'Nàng: 15/19 of the nâng cao set, unmet "Thu nhập|nghèo đa chiều|y tế|môi
        # trường" (seed 000 line 31); Thu nhập (10) recorded met: 16/19.
        from ntmgeo.store import open_store
        store = open_store(sample_db)
        _report(store, "24889", "10", "đạt", set_id="vn-commune-nang-cao-2021-2025")
        doc = status.from_store(store, level="commune", unit="24889", as_of=DAY)
        other = doc["communes"][0]["other_sets"][0]
        assert other["criteria_met"] == 16 and other["unmet"] == ["14", "17"]
        assert other["target"] == "ntm_nang_cao"

    def test_a_status_count_with_a_record_turning_its_unmet_criterion(self, sample_db):
        # Đạ Long: 18/19, unmet 11 (seed 000): 11 recorded met gives 19/19, and the level.
        from ntmgeo.store import open_store
        store = open_store(sample_db)
        _report(store, "24856", "11", "đạt")
        doc = status.from_store(store, level="commune", as_of=DAY)
        by_code = {c["comm_code"]: c for c in doc["communes"]}
        assert by_code["24856"]["criteria_met"] == 19
        assert (by_code["24856"]["level"], by_code["24856"]["level_basis"]) == (
            "ntm", "criteria")
        assert by_code["24874"]["criteria_met"] == 18  # no record: the status's count
        assert doc["summary"]["criteria_met_mean"] == 18.5
        assert doc["summary"]["ntm_or_above"] == 7

    def test_no_record_leaves_the_commune_document_as_it_was(self, sample_store):
        doc = status.from_store(sample_store, level="commune", as_of=DAY)
        assert "criteria_met_mean" not in doc["summary"]
        assert not any("level_basis" in c for c in doc["communes"])


class TestErrors:
    def test_an_unknown_id_lists_the_sets_ids(self, store):
        with pytest.raises(CriterionDataMissing, match=r"unit 03424: .*'vn-commune-2021-2025'"
                                                       r".*'99' \(criteria: 1, 2, 3"):
            _report(store, "03424", "99", "đạt")

    def test_a_set_of_another_level(self, store):
        with pytest.raises(CriterionDataMissing, match="unit 0342401 is a village: criteria "
                                                       "set 'vn-commune-2021-2025'"):
            _report(store, "0342401", "1", "đạt", set_id="vn-commune-2021-2025")

    def test_not_a_verdict(self, store):
        with pytest.raises(CriterionDataMissing, match="unit 03424, criterion 2: 'maybe'"):
            _report(store, "03424", "2", "maybe")
        assert store.read_records("reported_criteria").empty

    def test_an_unknown_unit(self, store):
        with pytest.raises(CriterionDataMissing, match="no unit 99999 valid on"):
            _report(store, "99999", "2", "đạt")

    def test_an_older_store_gains_the_table(self, tmp_path):
        store = _store(tmp_path / "old.gpkg")
        con = sqlite3.connect(store.path)
        con.execute("DROP TABLE reported_criteria")
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'reported_criteria'")
        con.commit()
        con.close()
        reopened = GpkgStore.open(store.path)
        assert reopened.read_records("reported_criteria").empty
        _report(reopened, "03424", "2", "đạt")
        assert len(reopened.read_records("reported_criteria")) == 1


# ------------------------------------------------------------------------------- roll-ups
def _tamduong():
    return next(d for d in rollup.load_all() if d["id"] == "tamduong-targets-2024")


class TestRollups:
    def test_tamduong_targets_from_records(self, store):
        for cid in ("1", "2", "3", "4", "5", "6"):  # 6 of the 9 district criteria
            _report(store, "106", cid, "đạt")
        for cid in [c.id for c in NTM.criteria]:  # Bản Bo 19/19, Sơn Bình 18/19
            _report(store, "03424", cid, "đạt")
            _report(store, "03427", cid, "chưa đạt" if cid == "11" else "đạt")
        for cid in [str(i) for i in range(1, 17)]:  # Bản Bo 16/19 nâng cao
            _report(store, "03424", cid, "đạt", set_id="vn-commune-nang-cao-2021-2025")
        docs = status.rollups(store, level="district", code="106", as_of=DAY)
        by_id = {c["id"]: c for c in next(d for d in docs
                                          if d["id"] == "tamduong-targets-2024")["conditions"]}
        dist = by_id["district-criteria"]
        assert (dist["source"], dist["value"], dist["met"]) == ("criteria", 6, True)
        mean = by_id["criteria-per-commune"]
        assert (mean["source"], mean["value"], mean["counted"]) == ("criteria", 18.5, 2)
        assert mean["no_data"] == ["03430"] and mean["met"] is None  # 03430 has no count
        ban_bo = by_id["ban-bo-nang-cao-criteria"]
        assert (ban_bo["value"], ban_bo["met"]) == (16, True)
        ntm = by_id["communes-ntm"]
        assert ntm["reached"] == ["03424"] and ntm["by_criteria"] == ["03424"]

    def test_the_mean_is_not_judged_while_communes_are_missing(self, store):
        for code in ("03424", "03427", "03430"):
            _report(store, code, "1", "đạt")
        roll = rollup.evaluate(_tamduong(), code="106", date=DAY,
                               units=store.read_layer("admin_units"),
                               status=store.read_records("unit_status"),
                               criteria=store.read_records("reported_criteria"))
        mean = next(c for c in roll["conditions"] if c["id"] == "criteria-per-commune")
        # 3 of the 12 communes the plan counts are in the store: not yet unmet
        assert mean["value"] == 1.0 and mean["met"] is None
        assert (mean["expected_total"], mean["complete"]) == (12, False)
        # The same with the plan's 12 communes all in the store and counted: unmet.
        doc = {**_tamduong(), "expected_units": {}}
        roll = rollup.evaluate(doc, code="106", date=DAY,
                               units=store.read_layer("admin_units"),
                               status=store.read_records("unit_status"),
                               criteria=store.read_records("reported_criteria"))
        mean = next(c for c in roll["conditions"] if c["id"] == "criteria-per-commune")
        assert (mean["value"], mean["complete"], mean["met"]) == (1.0, True, False)

    def test_without_records_the_reported_value_stands(self, store):
        store.add_records("reported_values", [{
            "unit_code": "106", "unit_valid_from": "2008-01-01", "criteria_set": "x",
            "indicator_id": "rollup.district_criteria_met", "value": 5.0, "as_of": DAY,
            "source": "s"}])
        docs = status.rollups(store, level="district", code="106", as_of=DAY)
        cond = next(c for c in docs[0]["conditions"] if c["id"] == "district-criteria")
        assert (cond["source"], cond["value"], cond["met"]) == ("reported", 5.0, False)


# ------------------------------------------------------------------------------- property
@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1", "2", "3", "11", "19"]), st.booleans(),
                          st.integers(1, 28)), max_size=25))
def test_count_met_is_the_number_of_latest_true_records(recs):
    rows = pd.DataFrame(
        [{"unit_code": "c", "unit_valid_from": "2008-01-01", "criteria_set": NTM.id,
          "criterion_id": cid, "met": met, "value_text": "", "as_of": f"2024-02-{day:02d}",
          "source": "s", "note": None, "recorded_at": f"{n:04d}"}
         for n, (cid, met, day) in enumerate(recs)],
        columns=["unit_code", "unit_valid_from", "criteria_set", "criterion_id", "met",
                 "value_text", "as_of", "source", "note", "recorded_at"])
    latest_by_id: dict[str, tuple[str, int, bool]] = {}
    for n, (cid, met, day) in enumerate(recs):
        key = (f"2024-02-{day:02d}", n)
        if cid not in latest_by_id or key >= latest_by_id[cid][:2]:
            latest_by_id[cid] = (*key, met)
    expected = sum(v[2] for v in latest_by_id.values()) if recs else None
    latest = criteria_records.latest(rows, "2024-12-31")
    assert criteria_records.count_met(NTM, latest, code="c", valid_from="2008-01-01") == \
        expected


# ------------------------------------------------------------------------------- a table
def test_a_units_by_criteria_table_all_or_nothing(store, tmp_path):
    from ntmgeo.tables import read_rows
    good = tmp_path / "ok.csv"
    good.write_text("Mã xã,Tên xã,1,2,11\n03424,Bản Bo,Đạt,Chưa đạt,\n"
                    "03427,Sơn Bình,đạt,đạt,đạt\n", encoding="utf-8")
    recs = status.record_criteria_table(store, read_rows(good), criteria_set=None, date=DAY,
                                        source="Biểu 01")
    assert len(recs) == 5 and len(store.read_records("reported_criteria")) == 5
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã xã,1,2\n03424,Đạt,Đạt\n03427,đạt,có lẽ\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3, column '2': 'có lẽ'"):
        status.record_criteria_table(store, read_rows(bad), criteria_set=None, date=DAY,
                                     source="s")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("Mã xã,1,20\n03424,Đạt,Đạt\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2, column '20': .*no criterion '20'"):
        status.record_criteria_table(store, read_rows(unknown), criteria_set=None, date=DAY,
                                     source="s")
    assert len(store.read_records("reported_criteria")) == 5  # nothing more stored


def test_cli_report_and_status_for_villages_and_towns(store, capsys):
    db = str(store.path)
    assert main(["report", "0342401", "1", "đạt", "--date", DAY, "--source", "BC",
                 "--db", db]) == 0
    assert main(["report", "03424", "10", "đạt", "--date", DAY, "--source", "BC",
                 "--set", "vn-commune-nang-cao-2021-2025", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "vn-commune-nang-cao-2021-2025" in out and "0342401" in out
    assert main(["status", "--level", "village", "--db", db, "--as-of", DAY]) == 0
    out = capsys.readouterr().out
    assert "1/15" in out and "Bản Nà Bỏ" in out
    assert main(["status", "--level", "commune", "--db", db, "--as-of", DAY]) == 0
    assert "vn-commune-nang-cao-2021-2025: đạt 1/19" in capsys.readouterr().out
    assert main(["report", "03424", "99", "đạt", "--date", DAY, "--source", "BC",
                 "--db", db]) != 0
    assert "99" in capsys.readouterr().err


def test_lamdong_district_ntm_from_its_nine_criteria_recorded():
    """Lâm Đồng's "100% of districts NTM" (seed 004 line 115): a district all of whose 9
    criteria are recorded met counts as NTM, beside a district whose status says NTM.
    """
    units = gpd.GeoDataFrame(
        [{"code": c, "level": lv, "parent_code": p, "valid_from": "2008-01-01",
          "valid_to": None} for c, lv, p in [("68", "province", None),
                                             ("674", "district", "68"),
                                             ("675", "district", "68")]],
        geometry=[box(0, 0, 1, 1)] * 3, crs="EPSG:4326")
    district = criteria.load_set("vn-district-2021-2025")
    records = pd.DataFrame([{"unit_code": "674", "unit_valid_from": "2008-01-01",
                             "criteria_set": district.id, "criterion_id": c.id, "met": True,
                             "value_text": "đạt", "as_of": "2024-05-01", "source": "s",
                             "note": None, "recorded_at": "t"} for c in district.criteria])
    status_rows = pd.DataFrame([{"unit_code": "675", "unit_valid_from": "2008-01-01",
                                 "as_of": "2023-12-31", "ntm_level": "ntm"}])
    doc = next(d for d in rollup.load_all() if d["id"] == "lamdong-targets-2025")
    roll = rollup.evaluate(doc, code="68", date=DAY, units=units, status=status_rows,
                           criteria=records)
    cond = next(c for c in roll["conditions"] if c["id"] == "districts-ntm")
    assert (cond["count"], cond["total"], cond["by_criteria"]) == (2, 2, ["674"])
    # one criterion recorded unmet later: 674 no longer counts
    later = pd.concat([records, records.iloc[[0]].assign(met=False, as_of="2024-06-01")])
    roll = rollup.evaluate(doc, code="68", date=DAY, units=units, status=status_rows,
                           criteria=later)
    cond = next(c for c in roll["conditions"] if c["id"] == "districts-ntm")
    assert cond["count"] == 1 and "by_criteria" not in cond
