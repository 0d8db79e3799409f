"""Roll-ups as data: a district's recognition conditions, a province's targets, a commune's
villages — each a file, evaluated by one function.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from ntmgeo import rollup, status

TEST_ROLLUPS = Path(__file__).parent / "data" / "rollups"


def _units(rows):
    return gpd.GeoDataFrame(
        [{"code": c, "level": lv, "parent_code": p, "valid_from": "2008-01-01",
          "valid_to": None} for c, lv, p in rows],
        geometry=[box(0, 0, 1, 1)] * len(rows), crs="EPSG:4326")


def _status(levels: dict[str, str], as_of="2023-12-31"):
    return pd.DataFrame([{"unit_code": c, "unit_valid_from": "2008-01-01", "as_of": as_of,
                          "ntm_level": lv} for c, lv in levels.items()])


UNITS = _units([("68", "province", None), ("674", "district", "68"),
                *[(f"c{i}", "commune", "674") for i in range(10)]])
def _district_rollup():
    return next(d for d in rollup.load_all() if d["id"] == "vn-district-recognition-2021-2025")


def test_all_ntm_one_nang_cao_no_town_meets_1_to_3():
    levels = {f"c{i}": "ntm" for i in range(9)} | {"c9": "ntm_nang_cao"}
    doc = rollup.evaluate(_district_rollup(), code="674", date="2024-01-01", units=UNITS,
                          status=_status(levels))
    by_id = {c["id"]: c for c in doc["conditions"]}
    assert (by_id["1"]["value"], by_id["1"]["met"]) == (100.0, True)
    assert (by_id["2"]["value"], by_id["2"]["met"]) == (10.0, True)  # 1 of 10 is 10%
    assert by_id["3"]["met"] is True and by_id["3"]["total"] == 0  # no town: met
    assert by_id["4"]["met"] is None  # satisfaction: no reported value
    assert doc["met"] is None


def test_a_commune_not_ntm_fails_condition_1():
    levels = {f"c{i}": "ntm" for i in range(9)} | {"c9": "not_yet"}
    doc = rollup.evaluate(_district_rollup(), code="674", date="2024-01-01", units=UNITS,
                          status=_status(levels))
    assert doc["conditions"][0]["met"] is False and doc["met"] is False


def test_units_without_a_reported_level_make_it_unknown_not_unmet():
    levels = {f"c{i}": "ntm" for i in range(8)}
    doc = rollup.evaluate(_district_rollup(), code="674", date="2024-01-01", units=UNITS,
                          status=_status(levels))
    assert doc["conditions"][0]["met"] is None
    assert doc["conditions"][0]["no_data"] == ["c8", "c9"]


def test_reported_satisfaction_decides_condition_4():
    levels = {f"c{i}": "ntm_nang_cao" for i in range(10)}
    reported = pd.DataFrame([{"unit_code": "674", "indicator_id": "recognition.4",
                              "value": 93.0, "as_of": "2024-01-01"}])
    doc = rollup.evaluate(_district_rollup(), code="674", date="2024-06-01", units=UNITS,
                          status=_status(levels), reported=reported)
    assert doc["met"] is True


def test_levels_after_the_date_do_not_count():
    levels = {f"c{i}": "ntm" for i in range(10)}
    doc = rollup.evaluate(_district_rollup(), code="674", date="2023-06-01", units=UNITS,
                          status=_status(levels, as_of="2023-12-31"))
    assert doc["conditions"][0]["count"] == 0


def test_province_targets_count_the_units_the_source_expects():
    target = next(d for d in rollup.load_all() if d["id"] == "lamdong-targets-2025")
    levels = {f"c{i}": "ntm_nang_cao" for i in range(10)}
    doc = rollup.evaluate(target, code="68", date="2024-01-01", units=UNITS,
                          status=_status(levels))
    nang_cao = doc["conditions"][1]
    assert nang_cao["total"] == 10 and nang_cao["expected_total"] == 111
    assert nang_cao["value"] == 100.0  # of the units in the store…
    assert nang_cao["met"] is None  # …but 101 of the 111 communes are not there


def test_applicability_by_level_code_and_date():
    def ids(lv, code, day):
        return [d["id"] for d in rollup.rollups_for(lv, code, day)]

    assert ids("district", "674", "2024-02-29") == ["vn-district-recognition-2021-2025"]
    assert ids("district", "674", "2026-03-01") == []
    assert ids("province", "68", "2024-02-29") == ["lamdong-targets-2025"]
    assert ids("province", "67", "2024-02-29") == []
    # Tam Đường (106): its 2024 targets beside the recognition conditions, in 2024 only
    assert ids("district", "106", "2024-06-30") == ["tamduong-targets-2024",
                                                    "vn-district-recognition-2021-2025"]
    assert ids("district", "106", "2025-03-01") == ["vn-district-recognition-2021-2025"]
    assert ids("district", "106", "2023-12-31") == ["vn-district-recognition-2021-2025"]


def test_a_village_rollup_is_just_another_file():
    units = _units([("x1", "commune", "674"), ("b1", "village", "x1"), ("b2", "village", "x1"),
                    ("b3", "village", "x1")])
    (doc,) = rollup.rollups_for("commune", "x1", "2024-01-01", folder=TEST_ROLLUPS)
    result = rollup.evaluate(doc, code="x1", date="2024-01-01", units=units,
                             status=_status({"b1": "ntm", "b2": "ntm", "b3": "not_yet"}))
    assert (result["conditions"][0]["value"], result["met"]) == (66.67, True)


def test_the_sample_district(sample_store):
    doc = status.from_store(sample_store, level="district", source="reported")
    (rec,) = doc["recognition"]
    by_id = {c["id"]: c for c in rec["conditions"]}
    assert (by_id["1"]["count"], by_id["1"]["total"], by_id["1"]["met"]) == (6, 8, False)
    assert (by_id["2"]["count"], by_id["2"]["met"]) == (1, True)  # Đạ Rsal: 12.5%
    assert by_id["3"]["met"] is True  # "Do huyện chưa có thị trấn nên đã đạt"


def _lamdong():
    return next(d for d in rollup.load_all() if d["id"] == "lamdong-targets-2025")


_PROVINCE = _units([("68", "province", None), *[(f"d{i}", "district", "68") for i in range(12)]])


def test_lamdong_district_targets_all_ntm_and_a_fifth_nang_cao():
    # seed 004 lines 115 and 133: 12/12 districts NTM; 20% NTM nâng cao
    levels = {f"d{i}": "ntm" for i in range(9)} | {f"d{i}": "ntm_nang_cao" for i in (9, 10, 11)}
    doc = rollup.evaluate(_lamdong(), code="68", date="2025-06-30", units=_PROVINCE,
                          status=_status(levels))
    by_id = {c["id"]: c for c in doc["conditions"]}
    assert (by_id["districts-ntm"]["value"], by_id["districts-ntm"]["met"]) == (100.0, True)
    assert (by_id["districts-nang-cao"]["value"], by_id["districts-nang-cao"]["met"]) == (25.0,
                                                                                          True)
    assert by_id["districts-ntm"]["expected_total"] == 12


def test_lamdong_district_targets_unmet_and_unknown():
    levels = {f"d{i}": "ntm" for i in range(11)} | {"d11": "not_yet"}
    doc = rollup.evaluate(_lamdong(), code="68", date="2025-06-30", units=_PROVINCE,
                          status=_status(levels))
    by_id = {c["id"]: c for c in doc["conditions"]}
    assert by_id["districts-ntm"]["met"] is False
    assert by_id["districts-nang-cao"]["met"] is False  # 0 of 12
    # only 2 of the 12 districts in the store, both NTM nâng cao: the other 10 could still fail
    two = _units([("68", "province", None), ("d0", "district", "68"), ("d1", "district", "68")])
    doc = rollup.evaluate(_lamdong(), code="68", date="2025-06-30", units=two,
                          status=_status({"d0": "ntm_nang_cao", "d1": "ntm_nang_cao"}))
    by_id = {c["id"]: c for c in doc["conditions"]}
    assert by_id["districts-ntm"]["met"] is None
    assert by_id["districts-nang-cao"]["met"] is None  # 2/12 now; 12/12 is still possible


def test_every_shipped_rollup_is_well_formed():
    for doc in rollup.load_all():
        assert {"id", "title", "source", "applies_to", "conditions"} <= set(doc)
        for cond in doc["conditions"]:
            assert cond["op"] in (">=", ">", "<=", "==") and "value" in cond
            if "reported" not in cond:
                assert cond["at_least"] in rollup.LEVEL_RANK
                assert cond.get("measure", "share") in ("share", "count")
            for lvl in (doc.get("expected_units") or {}):
                assert isinstance(doc["expected_units"][lvl], int)


def _tamduong():
    return next(d for d in rollup.load_all() if d["id"] == "tamduong-targets-2024")


# 12 communes and the town, as seed 003 counts them ("12/12 xã"; "thị trấn Tam Đường")
_TAM_DUONG = _units([("106", "district", "12"), ("03390", "town", "106"),
                     *[(f"x{i}", "commune", "106") for i in range(11)],
                     ("03424", "commune", "106")])


def _tamduong_doc(levels, reported=None):
    doc = rollup.evaluate(_tamduong(), code="106", date="2024-12-31", units=_TAM_DUONG,
                          status=_status(levels, as_of="2024-12-01"), reported=reported)
    return doc, {c["id"]: c for c in doc["conditions"]}


def test_tamduong_targets_nine_communes_by_count_and_the_town():
    # seed 003 lines 35, 39: 8 communes + Sơn Bình = 9 NTM (a count, not a share); line 37
    levels = ({f"x{i}": "ntm" for i in range(8)} | {"03424": "ntm", "03390": "van_minh"}
              | {f"x{i}": "not_yet" for i in (8, 9, 10)})
    doc, by_id = _tamduong_doc(levels)
    communes = by_id["communes-ntm"]
    assert (communes["measure"], communes["count"], communes["total"]) == ("count", 9, 12)
    assert communes["value"] == 75.0 and communes["met"] is True
    assert by_id["town-van-minh"]["met"] is True
    assert by_id["district-criteria"]["met"] is None  # no reported value
    assert doc["met"] is None and doc["expected_units"] == {"commune": 12, "town": 1}


def test_tamduong_eight_communes_is_unmet_unless_one_is_unknown():
    levels = {f"x{i}": "ntm" for i in range(8)} | {f"x{i}": "not_yet" for i in (8, 9, 10)}
    _, by_id = _tamduong_doc(levels | {"03424": "not_yet"})
    assert (by_id["communes-ntm"]["count"], by_id["communes-ntm"]["met"]) == (8, False)
    assert by_id["town-van-minh"]["met"] is None  # the town has no reported level
    _, by_id = _tamduong_doc(levels)  # Bản Bo without a level: it could be the ninth
    assert by_id["communes-ntm"]["met"] is None
    # only 3 communes in the store, all NTM: the 9 others (of the 12) could still make it 9
    three = _units([("106", "district", "12"), *[(f"x{i}", "commune", "106") for i in range(3)]])
    doc = rollup.evaluate(_tamduong(), code="106", date="2024-12-31", units=three,
                          status=_status({f"x{i}": "ntm" for i in range(3)}))
    assert doc["conditions"][1]["met"] is None


def test_tamduong_reported_targets_and_ban_bo_by_its_own_code():
    # seed 003 line 31 (6/9 district criteria), line 39 (18,5 per commune), line 41 (Bản Bo
    # 16/19 nâng cao criteria): reported values, Bản Bo's under its own code 03424
    levels = {f"x{i}": "ntm" for i in range(11)} | {"03424": "ntm", "03390": "van_minh"}
    reported = pd.DataFrame([
        {"unit_code": "106", "indicator_id": "rollup.district_criteria_met", "value": 6,
         "as_of": "2024-12-01"},
        {"unit_code": "106", "indicator_id": "rollup.criteria_per_commune", "value": 18.6,
         "as_of": "2024-12-01"},
        {"unit_code": "106", "indicator_id": "rollup.nang_cao_criteria_met", "value": 19,
         "as_of": "2024-12-01"},  # the district's, not Bản Bo's: not counted
        {"unit_code": "03424", "indicator_id": "rollup.nang_cao_criteria_met", "value": 15,
         "as_of": "2024-12-01"}])
    doc, by_id = _tamduong_doc(levels, reported)
    assert by_id["district-criteria"]["met"] is True
    assert by_id["criteria-per-commune"]["met"] is True
    ban_bo = by_id["ban-bo-nang-cao-criteria"]
    assert (ban_bo["unit"], ban_bo["value"], ban_bo["met"]) == ("03424", 15, False)
    assert doc["met"] is False
    reported.loc[3, "value"] = 16
    doc, by_id = _tamduong_doc(levels, reported)
    assert by_id["ban-bo-nang-cao-criteria"]["met"] is True and doc["met"] is True
