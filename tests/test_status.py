"""Status: criteria met from indicators, reported summaries kept beside, disagreements listed."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntmgeo import criteria, status
from ntmgeo.cli import main

TABLE_UNMET = ["2.3", "2.4", "6.1", "6.2", "7.3", "7.4", "7.5", "7.8", "9.3"]
DISTRICT = criteria.load_set("vn-district-2021-2025")


def _reported(values: dict[str, tuple[float | None, bool | None]], as_of="2024-02-29"):
    rows = [{"indicator_id": iid, "value": v, "unit": None, "value_text": None, "met": m,
             "as_of": as_of, "deadline": None, "deadline_text": None, "recorded_at": "t"}
            for iid, (v, m) in values.items()]
    return pd.DataFrame(rows, columns=["indicator_id", "value", "unit", "value_text", "met",
                                       "as_of", "deadline", "deadline_text", "recorded_at"])


UNIT = {"code": "674", "name": "Đam Rông", "level": "district"}


class TestEvaluate:
    def test_a_criterion_is_met_when_all_its_indicators_are(self):
        rep = _reported({i.id: (None, i.id != "2.4") for i in DISTRICT.indicators})
        doc = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-02-29", reported=rep)
        met = {c["id"]: c["met"] for c in doc["criteria"]}
        assert met["2"] is False and all(v for k, v in met.items() if k != "2")
        assert doc["summary"]["indicators_met"] == 35 and doc["summary"]["criteria_met"] == 8

    def test_missing_values_are_unknown_not_met(self):
        rep = _reported({"1.1": (None, True)})
        doc = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-02-29", reported=rep)
        assert doc["criteria"][0]["met"] is None
        assert len(doc["summary"]["indicators_unknown"]) == 35

    def test_numeric_value_decides_and_contradiction_is_listed(self):
        rep = _reported({"2.3": (60.0, False)})  # reported unmet although 60 >= 50
        doc = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-02-29", reported=rep)
        assert [d["id"] for d in doc["summary"]["disagreements"]] == ["2.3"]

    def test_computed_value_wins_and_keeps_the_reported_one(self):
        rep = _reported({"2.3": (26.65, False)})
        computed = {"2.3": status.ComputedValue(value=55.0, met=None, as_of="2024-05-01",
                                                unit="%")}
        doc = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-06-01", reported=rep,
                              computed=computed)
        ind = doc["criteria"][1]["indicators"][2]
        assert (ind["source"], ind["met"], ind["as_of"]) == ("computed", True, "2024-05-01")
        assert ind["reported"]["value"] == 26.65
        assert doc["summary"]["disagreements"][0]["id"] == "2.3"

    def test_a_computed_note_without_a_value_leaves_the_report_standing(self):
        rep = _reported({"2.2": (100.0, True)})
        note = {"vi": "chưa ghi cấp kỹ thuật theo quy hoạch cho ĐH43",
                "en": "planned grade not recorded for ĐH43"}
        computed = {"2.2": status.ComputedValue(value=None, met=None, as_of="2024-02-29",
                                                note=note)}
        doc = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-02-29", reported=rep,
                              computed=computed)
        ind = doc["criteria"][1]["indicators"][1]
        assert (ind["source"], ind["value"], ind["met"]) == ("reported", 100.0, True)
        assert ind["note"] == note and "basis" not in ind
        assert ind["guidance"]["source"].startswith("Quyết định 932/QĐ-BGTVT")
        assert doc["summary"]["disagreements"] == []
        # with nothing reported either: no value, no verdict, the note still shown
        alone = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-02-29", reported=_reported({}),
                                computed=computed)["criteria"][1]["indicators"][1]
        assert (alone["source"], alone["met"], alone["note"]) == (None, None, note)

    def test_a_computed_verdict_carries_its_basis(self):
        rep = _reported({"2.1": (None, True)})
        basis = {"vi": "Chưa đạt theo điều kiện: mặt đường", "en": "Unmet on: surface"}
        computed = {"2.1": status.ComputedValue(value=None, met=False, as_of="2024-02-29",
                                                value_text="< 100%", basis=basis)}
        doc = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-02-29", reported=rep,
                              computed=computed)
        ind = doc["criteria"][1]["indicators"][0]
        assert (ind["source"], ind["met"], ind["basis"]) == ("computed", False, basis)
        assert [d["id"] for d in doc["summary"]["disagreements"]] == ["2.1"]

    def test_latest_report_on_or_before_the_date_counts(self):
        rep = pd.concat([_reported({"2.3": (26.65, False)}, "2024-02-29"),
                         _reported({"2.3": (51.0, True)}, "2024-11-30")])
        early = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-06-30", reported=rep)
        late = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-12-31", reported=rep)
        assert early["criteria"][1]["indicators"][2]["value"] == 26.65
        assert late["criteria"][1]["indicators"][2]["value"] == 51.0

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from([True, False, None]), min_size=36, max_size=36))
    def test_counts_agree_with_the_criteria(self, mets):
        rep = _reported({i.id: (None, m) for i, m in zip(DISTRICT.indicators, mets, strict=True)})
        doc = status.evaluate(DISTRICT, unit=UNIT, as_of="2024-02-29", reported=rep)
        s = doc["summary"]
        assert s["indicators_met"] == sum(m is True for m in mets)
        for crit in doc["criteria"]:
            flags = [i["met"] for i in crit["indicators"]]
            assert crit["met"] is (True if all(f is True for f in flags) else
                                   False if any(f is False for f in flags) else None)
        assert s["criteria_met"] == sum(c["met"] is True for c in doc["criteria"])


class TestSample:
    def test_district_figures_of_the_plans_table(self, sample_store):
        doc = status.from_store(sample_store, level="district", source="reported")
        s = doc["summary"]
        assert doc["as_of"] == "2024-02-29" and doc["unit"]["code"] == "674"
        assert (s["indicators_met"], s["indicators_total"]) == (27, 36)
        assert (s["criteria_met"], s["criteria_total"]) == (5, 9)
        assert s["indicators_unmet"] == TABLE_UNMET
        assert [c["id"] for c in doc["criteria"] if c["met"]] == ["1", "3", "4", "5", "8"]
        assert s["reported"] == {"indicators_met": 28, "indicators_total": 36,
                                 "criteria_met": 4, "criteria_total": 9}
        notes = {(d["kind"], d["id"]) for d in s["disagreements"]}
        assert {("summary", "indicators_met"), ("summary", "criteria_met"),
                ("indicator_list", "7.8"), ("criterion_list", "8")} <= notes

    def test_computed_from_the_layers(self, sample_store):
        doc = status.from_store(sample_store, level="district")
        s = doc["summary"]
        transport = {i["id"]: i for i in doc["criteria"][1]["indicators"]}
        assert transport["2.3"]["source"] == "computed"
        assert transport["2.3"]["value"] == pytest.approx(26.65, abs=0.05)
        assert transport["2.3"]["as_of"] == "2024-02-29"  # the latest survey's date
        # 2.1 as QĐ 932/QĐ-BGTVT states it: the plan's own note gives ĐH42 chip seal and earth
        # (not split by length), ĐH45 laterite gravel: the district-road surface is below 100%
        # asphalt or cement concrete (24.66 of 38.39 km known), against the table's "Đạt".
        assert transport["2.1"]["source"] == "computed"
        assert transport["2.1"]["met"] is False and transport["2.1"]["reported"]["met"] is True
        assert "dưới 100%" in transport["2.1"]["basis"]["vi"]
        # 2.2 needs the planned grade, recorded for no road: the table's value stands, noted.
        assert (transport["2.2"]["source"], transport["2.2"]["met"]) == ("reported", True)
        assert transport["2.2"]["note"]["en"].startswith("No value computed from the layers")
        assert "planned grade not recorded for ĐH42, ĐH43, ĐH45, ĐH46, ĐH47" in (
            transport["2.2"]["note"]["en"])
        assert s["indicators_unmet"] == sorted(["2.1", *TABLE_UNMET])
        assert (s["indicators_met"], s["criteria_met"]) == (26, 5)
        assert s["table"]["indicators_met"] == 27 and s["table"]["indicators_unmet"] == TABLE_UNMET
        assert (s["table"]["criteria_met"], s["reported"]["criteria_met"]) == (5, 4)
        assert s["reported"]["indicators_met"] == 28
        assert ("indicator", "2.1") in {(d["kind"], d["id"]) for d in s["disagreements"]}
        assert ("indicator", "2.2") not in {(d["kind"], d["id"]) for d in s["disagreements"]}

    def test_every_indicator_has_source_and_date(self, sample_store):
        doc = status.from_store(sample_store, level="district")
        for crit in doc["criteria"]:
            for ind in crit["indicators"]:
                assert ind["source"] in ("computed", "reported") and ind["as_of"]

    def test_commune_level_end_2023(self, sample_store):
        doc = status.from_store(sample_store, level="commune", as_of="2023-12-31")
        by_name = {c["name"]: c for c in doc["communes"]}
        assert len(by_name) == 8 and doc["summary"]["ntm_or_above"] == 6
        for name in ("Đạ Long", "Liêng Srônh"):
            c = by_name[name]
            assert (c["level"], c["criteria_met"]) == ("not_yet", 18)
            assert [x["id"] for x in c["criteria"] if x["met"] is False] == ["11"]
        assert by_name["Đạ Rsal"]["level"] == "ntm_nang_cao"
        other = by_name["Đạ K'Nàng"]["other_sets"][0]
        assert (other["criteria_met"], other["criteria_total"]) == (15, 19)

    def test_no_district_after_the_reform(self, sample_store):
        from ntmgeo._errors import CriterionDataMissing

        with pytest.raises(CriterionDataMissing, match="districts stopped operating"):
            status.from_store(sample_store, level="district", as_of="2025-12-31")


def test_cli_init_sample_and_status_json(tmp_path, capsys):
    db = tmp_path / "s.gpkg"
    assert main(["init", str(db), "--sample", "damrong"]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db), "--level", "district", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"unit", "criteria_set", "as_of", "criteria", "summary", "recognition"}
    ind = doc["criteria"][1]["indicators"][2]
    assert {"id", "name", "value", "threshold", "met", "source", "as_of"} <= set(ind)
    assert main(["status", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "Chưa đạt" in table and "26/36" in table and "27/36" in table and "28/36" in table
    # the notes under 2.1 and 2.2, in Vietnamese by default
    flat = " ".join(table.replace("│", " ").split())
    assert "dưới 100%" in flat and "chưa ghi cấp kỹ thuật theo quy hoạch" in flat
    assert main(["status", "--db", str(db), "--source", "reported", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["indicators_met"] == 27


def test_importing_a_survey_changes_exactly_2_3(tmp_path, capsys):
    import shutil

    from ntmgeo import ingest
    from ntmgeo.store import open_store

    db = tmp_path / "s.gpkg"
    assert main(["init", str(db), "--sample", "damrong"]) == 0
    store = open_store(db)
    before = status.from_store(store, level="district", as_of="2024-06-30")
    table = tmp_path / "dh47.csv"
    table.write_text("dist_code,road_code,from,to,side,survey_date\n"
                     "674,ĐH47,Km0+000,Km2+000,left,2024-06-01\n", encoding="utf-8")
    assert ingest.import_file(store, "surveys", table).count == 1
    after = status.from_store(store, level="district")
    assert after["as_of"] == "2024-06-01"
    old = {i["id"]: i for c in before["criteria"] for i in c["indicators"]}
    new = {i["id"]: i for c in after["criteria"] for i in c["indicators"]}
    changed = [k for k in old if (old[k]["value"], old[k]["met"]) != (new[k]["value"],
                                                                      new[k]["met"])]
    assert changed == ["2.3"]
    assert new["2.3"]["value"] == pytest.approx(100 * 12.23 / 38.39, abs=0.05)
    assert new["2.3"]["as_of"] == "2024-06-01" and new["2.3"]["source"] == "computed"
    shutil.rmtree(tmp_path, ignore_errors=True)


class TestReportedValuesAndOwners:
    def test_a_new_report_adds_a_dated_record_and_keeps_history(self, sample_db, capsys):
        from ntmgeo.store import open_store

        assert main(["report", "674", "9.3", "đạt", "--db", str(sample_db), "--date", "2024-10-30",
                     "--source", "Báo cáo UBND huyện"]) == 0
        store = open_store(sample_db)
        rows = store.read_records("reported_values")
        assert list(rows[rows["indicator_id"] == "9.3"]["as_of"]) == ["2024-02-29", "2024-10-30"]
        early = status.from_store(store, level="district", as_of="2024-06-30")
        late = status.from_store(store, level="district", as_of="2024-10-30")

        def pick(d):
            return next(i for c in d["criteria"] for i in c["indicators"] if i["id"] == "9.3")

        assert (pick(early)["met"], pick(late)["met"]) == (False, True)

    def test_a_number_is_judged_against_the_threshold(self, sample_db, capsys):
        assert main(["report", "674", "5.3", "55", "--db", str(sample_db), "--date", "2024-10-30",
                     "--source", "Sở GD&ĐT"]) == 0
        assert "Chưa đạt" in capsys.readouterr().out  # 55% < 60%

    def test_unknown_unit_or_indicator(self, sample_db, capsys):
        assert main(["report", "999", "2.4", "đạt", "--db", str(sample_db), "--date", "2024-10-30",
                     "--source", "x"]) == 5
        assert main(["report", "674", "2.9", "đạt", "--db", str(sample_db), "--date", "2024-10-30",
                     "--source", "x"]) == 5

    def test_department_lists_its_unmet_indicators_by_deadline(self, sample_db, capsys):
        # Đam Rông has no owner file (Đức Thọ's applies to Đức Thọ only: tests/test_owners.py):
        # its unmet indicators are listed as assigned to no one, earliest deadline first
        assert main(["status", "--db", str(sample_db), "--department", "Kinh tế - Hạ tầng",
                     "--json"]) == 0
        items = json.loads(capsys.readouterr().out)
        assert items["unmet"] == []
        ids = [i["id"] for i in items["unmet_without_owner"]]
        assert {"2.1", "2.3", "2.4", "6.1", "6.2"} <= set(ids)


def test_now_after_the_reform_shows_the_last_district_status(tmp_path, capsys):
    from ntmgeo import ingest
    from ntmgeo.store import open_store

    db = tmp_path / "s.gpkg"
    assert main(["init", str(db), "--sample", "damrong"]) == 0
    store = open_store(db)
    table = tmp_path / "late.csv"
    table.write_text("dist_code,road_code,from,to,side,survey_date\n"
                     "674,ĐH47,Km0+000,Km1+000,left,2026-11-01\n", encoding="utf-8")
    ingest.import_file(store, "surveys", table)
    assert status.default_as_of(store) == "2026-11-01"
    assert status.default_as_of(store, "district") == "2025-06-30"
    doc = status.from_store(store, level="district")
    assert doc["as_of"] == "2025-06-30" and doc["unit"]["code"] == "674"
    # 2026-2030: Decision 51/2025/QĐ-TTg's set (names and groups; no indicator in the sources)
    doc = status.from_store(store, level="commune")
    assert doc["criteria_set"]["id"] == "vn-commune-2026-2030"
    assert {c["name"] for c in doc["communes"]} == {f"Đam Rông {n}" for n in range(1, 5)}


class TestTheSetInForceAroundTheReform:
    def test_no_set_between_the_two_periods_is_said_not_an_error(self, sample_store):
        doc = status.from_store(sample_store, level="commune", as_of="2026-01-01")
        assert doc["criteria_set"] is None
        assert doc["no_set"]["en"].startswith("No commune criteria set is in force on "
                                              "01/01/2026: the National criteria for NTM "
                                              "communes, 2021-2025 (Decision 318/QĐ-TTg) ended "
                                              "on 31/12/2025")
        assert doc["no_set"]["en"].endswith("(Decision 51/2025/QĐ-TTg) applies from 15/02/2026")
        assert len(doc["communes"]) == 4
        assert all(c["level"] is None and c["criteria"] == [] for c in doc["communes"])

    def test_the_cli_says_it_in_a_sentence_and_exits_0(self, sample_db, capsys):
        assert main(["status", "--db", str(sample_db), "--level", "commune", "--as-of",
                     "2026-01-01"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert ("Ngày 01/01/2026 không có bộ tiêu chí cấp xã nào có hiệu lực" in out
                and "15/02/2026" in out and "Đam Rông 1" in out)
        assert main(["status", "--db", str(sample_db), "--level", "commune", "--as-of",
                     "2026-01-01", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["no_set"]["vi"]

    def test_the_2026_2030_set_from_15_february_2026(self, sample_store):
        doc = status.from_store(sample_store, level="commune", as_of="2026-06-01")
        assert doc["criteria_set"]["id"] == "vn-commune-2026-2030"
        assert doc["criteria_set"]["threshold_scheme"] == "group"
        assert [g["id"] for g in doc["criteria_set"]["groups"]] == ["1", "2", "3"]
        assert "51/2025/QĐ-TTg" in doc["set_in_force"]["vi"]
        assert all(c["criteria_total"] == 10 and c["group"] is None for c in doc["communes"])

    def test_the_2021_2025_set_before_the_end_of_2025(self, sample_store):
        doc = status.from_store(sample_store, level="commune", as_of="2025-06-30")
        assert doc["criteria_set"]["id"] == "vn-commune-2021-2025"
        assert len(doc["communes"]) == 8
        after = status.from_store(sample_store, level="commune", as_of="2025-12-31")
        assert after["criteria_set"]["id"] == "vn-commune-2021-2025"
        assert {c["name"] for c in after["communes"]} == {f"Đam Rông {n}" for n in range(1, 5)}


class TestPredecessorsAcrossTheReform:
    """A commune formed on 1/7/2025 lists the communes it was formed from, each with its own
    records (their code, name, dates and source), never relabelled as the new commune's.
    """

    def test_dam_rong_1_lists_phi_lieng_and_da_knang_with_their_2023_status(self,
                                                                           sample_store):
        doc = status.from_store(sample_store, level="commune", unit="24886",
                                as_of="2025-12-31")
        (one,) = doc["communes"]
        assert (one["name"], one["valid_from"], one["level"]) == ("Đam Rông 1", "2025-07-01",
                                                                  None)
        preds = {p["name"]: p for p in one["predecessors"]}
        assert set(preds) == {"Phi Liêng", "Đạ K'Nàng"}
        phi, dak = preds["Phi Liêng"], preds["Đạ K'Nàng"]
        # Phi Liêng is 24886 of 2008, not the new 24886 of 2025
        assert (phi["code"], phi["valid_from"], phi["valid_to"]) == ("24886", "2008-01-01",
                                                                     "2025-06-30")
        assert (dak["code"], dak["valid_from"]) == ("24889", "2008-01-01")
        for p in (phi, dak):
            assert (p["level"], p["as_of"], p["criteria_set"]) == ("ntm", "2023-12-31",
                                                                   "vn-commune-2021-2025")
            assert p["source"].startswith("Kế hoạch 149-KH/HU 31/3/2024")
            assert (p["kind"], p["date"], p["generation"]) == ("merge", "2025-07-01", 1)
            assert p["via"] == {"code": "24886", "valid_from": "2025-07-01"}
        nang_cao = dak["other_sets"][0]
        assert (nang_cao["criteria_set"], nang_cao["criteria_met"],
                nang_cao["criteria_total"]) == ("vn-commune-nang-cao-2021-2025", 15, 19)

    def test_each_new_commune_has_the_two_old_ones_of_the_sources(self, sample_store):
        doc = status.from_store(sample_store, level="commune", as_of="2025-12-31")
        names = {c["name"]: sorted(p["name"] for p in c["predecessors"])
                 for c in doc["communes"]}
        # data/damrong/SOURCES.md (Đam Rông 4 also took Đưng K'Nớ, not in the store)
        assert names == {"Đam Rông 1": ["Phi Liêng", "Đạ K'Nàng"],
                         "Đam Rông 2": ["Liêng Srônh", "Rô Men"],
                         "Đam Rông 3": ["Đạ M'Rông", "Đạ Rsal"],
                         "Đam Rông 4": ["Đạ Long", "Đạ Tông"]}
        long_ = next(p for c in doc["communes"] for p in c["predecessors"]
                     if p["name"] == "Đạ Long")
        assert (long_["level"], long_["criteria_met"], long_["criteria_total"]) == (
            "not_yet", 18, 19)

    def test_before_the_reform_the_old_communes_after_it_the_new(self, sample_store):
        before = status.from_store(sample_store, level="commune", as_of="2025-06-30")
        assert len(before["communes"]) == 8
        assert all(c["predecessors"] == [] for c in before["communes"])
        assert "Phi Liêng" in {c["name"] for c in before["communes"]}
        after = status.from_store(sample_store, level="commune", as_of="2025-07-01")
        assert sorted(c["name"] for c in after["communes"]) == [
            f"Đam Rông {n}" for n in range(1, 5)]
        # the old records stay the old communes': no new commune takes their level
        assert all(c["level"] is None for c in after["communes"])

    def test_the_2026_document_keeps_the_predecessors(self, sample_store):
        for day in ("2026-01-01", "2026-06-01"):
            doc = status.from_store(sample_store, level="commune", unit="24886", as_of=day)
            assert {p["name"] for p in doc["communes"][0]["predecessors"]} == {
                "Phi Liêng", "Đạ K'Nàng"}

    def test_the_cli_shows_them_after_the_row(self, sample_db, capsys):
        assert main(["status", "--db", str(sample_db), "--level", "commune", "--unit",
                     "24886", "--as-of", "2025-12-31"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert "Đam Rông 1 (24886) được hình thành ngày 2025-07-01" in out
        assert ("Phi Liêng (24886, hiệu lực 2008-01-01 – 2025-06-30; sáp nhập): Nông thôn "
                "mới, tính đến 2023-12-31" in out)
        assert "Đạ K'Nàng (24889, hiệu lực 2008-01-01 – 2025-06-30; sáp nhập)" in out
        assert "vn-commune-nang-cao-2021-2025: đạt 15/19 tiêu chí" in out


# ------------------------------------------------------------------ the province after 2025


@pytest.fixture(scope="session")
def lamdong_store(tmp_path_factory):
    from ntmgeo import datasets
    from ntmgeo.store import open_store

    path = tmp_path_factory.mktemp("lamdong") / "ld.gpkg"
    datasets.build_sample(path, "lamdong")
    return open_store(path)


class TestProvince:
    def test_the_124_communes_have_no_data_for_the_2026_set(self, lamdong_store):
        doc = status.from_store(lamdong_store, level="province", as_of="2026-06-01")
        assert (doc["unit"]["code"], doc["unit"]["name"]) == ("68", "Lâm Đồng")
        assert doc["replaces"] == ["60", "67", "68"]
        assert doc["criteria_set"]["id"] == "vn-commune-2026-2030" and doc["no_set"] is None
        s = doc["summary"]
        assert s["communes"] == 124 == len(doc["communes"])
        assert s["by_level"]["no_data"] == 124
        assert sum(n for k, n in s["by_level"].items() if k != "no_data") == 0
        assert [g["id"] for g in s["by_group"]] == ["1", "2", "3", None]
        assert [g["communes"] for g in s["by_group"]] == [0, 0, 0, 124]
        assert [c["id"] for c in doc["shares"]] == [str(n) for n in range(1, 11)]
        assert all((c["met"], c["known"], c["total"]) == (0, 0, 124) for c in doc["shares"])
        # the communes are those of the commune document, predecessors and all
        one = next(c for c in doc["communes"] if c["comm_code"] == "24886")
        assert {p["name"] for p in one["predecessors"]} == {"Phi Liêng", "Đạ K'Nàng"}

    def test_the_old_districts_are_its_history(self, lamdong_store):
        doc = status.province_document(lamdong_store, as_of="2026-06-01")
        hist = {d["code"]: d for d in doc["history"]}
        assert set(hist) == {"665", "674"}
        assert (hist["674"]["name"], hist["665"]["name"]) == ("Đam Rông", "Đắk Song")
        assert hist["674"]["as_of"] == hist["665"]["as_of"] == "2025-06-30"
        dr = hist["674"]["status"]
        assert dr["criteria_set"] == "vn-district-2021-2025"
        # its own status on its last day: as the district document says (seed 000, line 39:
        # the plan reports 4/9 criteria, 28/36 indicators)
        own = status.from_store(lamdong_store, level="district", unit="674",
                                as_of="2025-06-30")["summary"]
        assert (dr["criteria_met"], dr["indicators_met"]) == (own["criteria_met"],
                                                              own["indicators_met"])
        assert (dr["reported"]["criteria_met"], dr["reported"]["indicators_met"]) == (4, 28)
        assert hist["665"]["status"]["criteria_total"] == 9

    def test_between_the_sets_a_sentence_not_an_error(self, lamdong_store):
        doc = status.from_store(lamdong_store, level="province", as_of="2026-01-10")
        assert doc["criteria_set"] is None and doc["shares"] == []
        assert "15/02/2026" in doc["no_set"]["vi"]
        assert doc["summary"]["communes"] == 124 and doc["summary"]["by_group"] is None

    def test_before_the_reform_no_province_is_a_clear_error(self, lamdong_store):
        # the sample holds the merged province only (valid from 1/7/2025), not the old ones
        with pytest.raises(status.CriterionDataMissing, match="68 valid on 2024-02-29"):
            status.from_store(lamdong_store, level="province", unit="68", as_of="2024-02-29")
        with pytest.raises(status.CriterionDataMissing, match="no province valid"):
            status.province_document(lamdong_store, as_of="2024-02-29")

    def test_without_a_date_the_first_day_of_the_province(self, lamdong_store):
        # the store's records end on 2024-02-29, before the province existed
        doc = status.from_store(lamdong_store, level="province")
        assert doc["as_of"] == "2025-07-01"
        assert doc["criteria_set"]["id"] == "vn-commune-2021-2025"

    def test_the_cli_prints_it_in_vietnamese(self, lamdong_store, capsys):
        assert main(["status", "--db", str(lamdong_store.path), "--level", "province",
                     "--unit", "68", "--as-of", "2026-06-01"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        for words in ("Lâm Đồng (68)", "Số xã theo mức đạt chuẩn nông thôn mới",
                      "Số xã theo nhóm xã", "Số xã đạt từng tiêu chí",
                      "124 đơn vị hành chính cấp xã", "Chưa có số liệu │ 124",
                      "Trước ngày 01/7/2025", "Đam Rông", "Đắk Song"):
            assert words in out

    def test_the_cli_json(self, lamdong_store, capsys):
        assert main(["status", "--db", str(lamdong_store.path), "--level", "province",
                     "--as-of", "2026-06-01", "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["summary"]["communes"] == 124
        assert [d["code"] for d in doc["history"]] == ["665", "674"]

    def test_a_department_is_listed_over_its_communes(self, lamdong_store):
        doc = status.from_store(lamdong_store, level="province", as_of="2026-06-01")
        items = status.department_items(doc, "Kinh tế - Hạ tầng",
                                        units=lamdong_store.read_layer("admin_units"))
        assert len(items["no_data"]) == 124


_LEVELS = st.sampled_from([None, "not_yet", "ntm", "ntm_nang_cao", "ntm_kieu_mau"])
_VERDICT = st.sampled_from([None, True, False])


@given(st.lists(st.tuples(_LEVELS, st.lists(_VERDICT, min_size=3, max_size=3)),
                max_size=30))
@settings(max_examples=60, deadline=None)
def test_province_counts_add_up(communes):
    entries = [{"level": lvl, "group": None,
                "criteria": [{"id": str(i + 1), "met": m} for i, m in enumerate(verdicts)]}
               for lvl, verdicts in communes]
    counts = status._level_counts(entries)
    assert sum(counts.values()) == len(entries)
    assert counts["no_data"] == sum(lvl is None for lvl, _ in communes)
    shares = status._criterion_shares(criteria.load_set("vn-commune-2026-2030"), entries)
    for share in shares[:3]:
        verdicts = [v[int(share["id"]) - 1] for _, v in communes]
        assert share["met"] == verdicts.count(True)
        assert share["known"] == len(verdicts) - verdicts.count(None)
        assert share["met"] <= share["known"] <= share["total"] == len(entries)
    assert all(s["known"] == 0 for s in shares[3:])
