"""Owners per unit (data/owners): a file applies to the unit it names by GSO code and to the
units inside it, and to no other; several owners allowed, none shown as none.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntmgeo import owners, status
from ntmgeo._errors import InputError
from ntmgeo.cli import main

COMMUNE_SET, DISTRICT_SET = "vn-commune-2021-2025", "vn-district-2021-2025"
KT_HT_DS = "Phòng Kinh tế và Hạ tầng"  # Đắk Song's name (seed 001, line 99)


def _unit(code, level, name, parent, valid_from="2004-01-01", valid_to="2025-06-30"):
    return {"code": code, "level": level, "name": name, "parent_code": parent,
            "valid_from": valid_from, "valid_to": valid_to}


UNITS = pd.DataFrame([
    _unit("67", "province", "Đắk Nông", None, valid_to=None),
    _unit("665", "district", "Đắk Song", "67"),
    _unit("24700", "commune", "Nam Bình", "665"),
    _unit("24701", "commune", "Thuận Hà", "665"),
    _unit("2470001", "village", "Thôn 1", "24700"),
    _unit("68", "province", "Lâm Đồng", None, valid_to=None),
    _unit("674", "district", "Đam Rông", "68"),
    _unit("24853", "commune", "Đạ Tông", "674"),
    _unit("42", "province", "Hà Tĩnh", None, valid_to=None),
    _unit("440", "district", "Đức Thọ", "42"),
    # after the 2025 reform: a new commune reusing an old code, under the province
    _unit("24700", "commune", "Nam Bình (mới)", "67", valid_from="2025-07-01", valid_to=None),
])
DAY = "2024-06-30"


def _names(found):
    return {d["vi"] for d in found}


class TestScope:
    def test_ductho_assignments_are_not_damrong_s(self):
        assert owners.owners_for(UNITS, "674", DAY, DISTRICT_SET, "6.1", criterion="6") == []
        assert owners.owners_for(UNITS, "24853", DAY, COMMUNE_SET, "2") == []

    def test_ductho_has_several_owners_and_none(self):
        found = owners.owners_for(UNITS, "440", DAY, DISTRICT_SET, "6.1", criterion="6")
        assert _names(found) == {"Phòng Tài chính - Kế hoạch", "Phòng Kinh tế - Hạ tầng"}
        assert {d["plan"] for d in found} == {"ductho-2024"}
        assert owners.owners_for(UNITS, "440", DAY, DISTRICT_SET, "8.3", criterion="8") == []

    def test_a_whole_criterion_gives_its_indicators_owners_except_the_excluded(self):
        found = owners.owners_for(UNITS, "440", DAY, DISTRICT_SET, "2.3", criterion="2")
        assert _names(found) == {"Phòng Kinh tế - Hạ tầng"}
        assert found[0]["partial"] is False and found[0]["source"] == "1.2.3, line 177"

    def test_a_dak_song_commune_has_its_owners(self):
        found = owners.owners_for(UNITS, "24700", DAY, COMMUNE_SET, "2")
        assert _names(found) == {KT_HT_DS}
        assert found[0]["partial"] is False and found[0]["plan"] == "daksong-2023"

    def test_a_criterion_shared_through_its_sub_indicators(self):
        found = {d["vi"]: d for d in owners.owners_for(UNITS, "24700", DAY, COMMUNE_SET, "9")}
        assert set(found) == {KT_HT_DS, "Phòng Lao động - Thương binh và Xã hội"}
        assert found[KT_HT_DS]["partial"] is True and found[KT_HT_DS]["indicators"] == ["9.2"]
        # 17.10: three offices by sector, each with its part as printed (seed 001, 2.3/2.4/2.9)
        shared = owners.owners_for(UNITS, "24700", DAY, COMMUNE_SET, "17")
        assert len(shared) == 5 and all(d["partial"] for d in shared)

    def test_villages_inside_a_commune_inherit_and_the_district_set_is_not_the_commune_s(self):
        assert _names(owners.owners_for(UNITS, "2470001", DAY, COMMUNE_SET, "5")) == {
            "Phòng Giáo dục và Đào tạo"}
        assert owners.owners_for(UNITS, "665", DAY, DISTRICT_SET, "2.1", criterion="2") == []

    def test_after_the_reform_the_new_commune_is_outside_the_old_district(self):
        assert owners.owners_for(UNITS, "24700", "2025-12-31", COMMUNE_SET, "2") == []

    def test_a_unit_the_store_lacks_has_no_owner(self):
        assert owners.owners_for(UNITS, "99999", DAY, COMMUNE_SET, "2") == []

    @given(code=st.sampled_from(["24700", "24701", "2470001"]),
           criterion=st.sampled_from([str(i) for i in range(1, 20)]))
    def test_property_units_inside_the_district_share_its_owners(self, code, criterion):
        inner = owners.owners_for(UNITS, code, DAY, COMMUNE_SET, criterion)
        assert inner == owners.owners_for(UNITS, "665", DAY, COMMUNE_SET, criterion)
        assert inner  # every one of the 19 criteria has an owner in Đắk Song (seed 001)


def _commune_doc():
    crit = [{"id": str(i), "name": {"vi": f"TC {i}", "en": f"C {i}"}, "met": i not in (2, 11)}
            for i in range(1, 20)]
    return {"level": "commune", "as_of": DAY,
            "criteria_set": {"id": COMMUNE_SET, "title": {}},
            "communes": [{"comm_code": "24700", "name": "Nam Bình", "criteria": crit},
                         {"comm_code": "24701", "name": "Thuận Hà", "criteria": None},
                         {"comm_code": "24853", "name": "Đạ Tông", "criteria": crit}]}


class TestDepartmentItems:
    def test_per_commune_the_criteria_owned_and_those_unmet(self):
        items = owners.department_items(_commune_doc(), "kinh tế và hạ tầng", units=UNITS)
        by = {u["code"]: u for u in items["units"]}
        assert by["24700"]["owned"] == ["1", "2", "4", "7", "9", "17"]
        assert [c["id"] for c in by["24700"]["unmet"]] == ["2"]
        assert by["24853"]["owned"] == [] and by["24853"]["unmet"] == []
        assert items["no_data"] == [{"code": "24701", "name": "Thuận Hà"}]
        # Đạ Tông (Đam Rông) is outside every file: its unmet criteria are assigned to no one
        assert items["unmet_without_owner"] == [{"code": "24853", "name": "Đạ Tông",
                                                 "ids": ["2", "11"]}]

    def test_a_unit_document_lists_the_unmet_indicators_it_owns(self):
        doc = {"unit": {"code": "440", "level": "district"}, "as_of": DAY,
               "criteria_set": {"id": DISTRICT_SET},
               "criteria": [{"id": "8", "indicators": [
                   {"id": "8.3", "name": {}, "met": False},
                   {"id": "8.5", "name": {}, "met": False, "deadline": "2024-09-30"},
                   {"id": "8.1", "name": {}, "met": True}]}]}
        owners.attach(doc, UNITS)
        items = status.department_items(doc, "Tài Nguyên")
        assert [i["id"] for i in items["unmet"]] == ["8.5"]
        assert _names(items["unmet"][0]["departments"]) == {
            "Phòng Nông nghiệp và Phát triển nông thôn", "Phòng Tài Nguyên - Môi trường"}
        assert [i["id"] for i in items["unmet_without_owner"]] == ["8.3"]
        assert items["owned"] == ["8.5"]

    def test_a_list_document_needs_the_units(self):
        with pytest.raises(ValueError, match="admin_units"):
            owners.department_items(_commune_doc(), "x")


def test_a_bad_owner_file_is_refused_naming_file_and_field(tmp_path):
    (tmp_path / "bad.yml").write_text("id: x\nunit: {name: Đắk Song, level: district}\n",
                                      encoding="utf-8")
    with pytest.raises(InputError) as exc:
        owners.load(tmp_path)
    assert exc.value.path == "bad.yml" and exc.value.field == "unit"


def test_the_shipped_files_name_their_units_by_code():
    scopes = {d["id"]: d["units"] for d in owners.load()}
    assert scopes["daksong-2023"][0]["code"] == "665"
    assert scopes["ductho-2024"][0]["code"] == "440"


# ----------------------------------------------------------------------------------- CLI
def test_damrong_store_shows_no_ductho_assignment(sample_db, capsys):
    assert main(["status", "--db", str(sample_db), "--department", "Kinh tế - Hạ tầng",
                 "--json"]) == 0
    out = capsys.readouterr().out
    items = json.loads(out)
    assert items["unmet"] == [] and items["owned"] == []
    assert "ductho-2024" not in out
    assert {i["id"] for i in items["unmet_without_owner"]} >= {"2.1", "2.3", "2.4", "6.1"}
    assert main(["status", "--db", str(sample_db), "--department", "Kinh tế - Hạ tầng"]) == 0
    text = capsys.readouterr().out
    assert "Chưa có kế hoạch nào áp dụng" in text and "chưa phân công" in text


def test_department_at_commune_level(sample_db, capsys):
    assert main(["status", "--db", str(sample_db), "--level", "commune", "--as-of",
                 "2024-02-29", "--department", "Kinh tế", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert all(u["owned"] == [] for u in items["units"])
    assert {u["name"]: u["ids"] for u in items["unmet_without_owner"]}["Đạ Long"] == ["11"]


_DAK_SONG = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {
        "code": code, "level": level, "name": name, "parent_code": parent, "prov_code": "67",
        "valid_from": "2004-01-01", "valid_to": "2025-06-30"},
     "geometry": {"type": "Polygon", "coordinates": [[[x0, 12.1], [x1, 12.1], [x1, 12.3],
                                                       [x0, 12.3], [x0, 12.1]]]}}
    for code, level, name, parent, x0, x1 in [
        ("665", "district", "Đắk Song", "67", 107.5, 107.7),
        ("24700", "commune", "Nam Bình", "665", 107.5, 107.6),
        ("24701", "commune", "Thuận Hà", "665", 107.6, 107.7)]]}


@pytest.fixture
def daksong_db(tmp_path):
    from ntmgeo.store import open_store

    db = tmp_path / "ds.gpkg"
    assert main(["init", str(db), "--province", "67"]) == 0
    src = tmp_path / "units.geojson"
    src.write_text(json.dumps(_DAK_SONG, ensure_ascii=False), encoding="utf-8")
    assert main(["import", "admin_units", str(src), "--db", str(db)]) == 0
    open_store(db).add_records("unit_status", [{
        "unit_code": "24700", "unit_valid_from": "2004-01-01", "name": "Nam Bình",
        "as_of": "2023-12-31", "ntm_level": "not_yet", "criteria_set": COMMUNE_SET,
        "criteria_met": 17, "criteria_total": 19, "unmet_criteria": ["2", "17"],
        "target": None, "note": None, "source": "test"}])
    return db


def test_a_dak_song_commune_shows_its_owners(daksong_db, capsys):
    capsys.readouterr()
    args = ["status", "--db", str(daksong_db), "--level", "commune", "--as-of", "2024-01-01",
            "--department", "Kinh tế và Hạ tầng"]
    assert main([*args, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    nam_binh = next(u for u in items["units"] if u["code"] == "24700")
    assert [c["id"] for c in nam_binh["unmet"]] == ["2", "17"]
    assert nam_binh["unmet"][1]["partial"] is True
    assert nam_binh["unmet"][1]["indicators"] == ["17.5", "17.10"]
    assert items["unmet_without_owner"] == []
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "Nam Bình (24700): phụ trách 1, 2, 4, 7, 9, 17; chưa đạt: 2, 17 (một phần: 17.5, " \
           "17.10)" in text
    assert "Thuận Hà" in text  # no data on the date
