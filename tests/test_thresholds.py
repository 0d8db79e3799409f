"""Thresholds from a file (YAML, CSV, XLSX), with its own source and date: checked against the
catalogue, stored, and then driving the status of the store's communes, by commune group.

The figures below are MADE UP for the tests (no source gives 51/2025/QĐ-TTg's indicators).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from ntmgeo import criteria, status, thresholds
from ntmgeo._errors import CriterionDataMissing, InputError
from ntmgeo.cli import main
from ntmgeo.store import open_store

SET = "vn-commune-2026-2030"
YAML = f"""\
source: "Tệp thử nghiệm (made up)"
date: 2026-04-01
criteria_set: {SET}
thresholds:
  - {{criterion_id: "2", indicator_id: "2.1", indicator_name: "Tỷ lệ đường xã được cứng hóa",
     op: ">=", value: 80, unit: "%"}}
  - {{indicator_id: "2.1", group: "Nhóm 3", op: "≥", value: 70, unit: "%"}}
"""


def _yaml(tmp_path, text=YAML, name="t.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _status_row(code="24886", met=10, unmet=()):
    return {"unit_code": code, "unit_valid_from": "2025-07-01", "name": "x",
            "as_of": "2026-03-01", "ntm_level": "not_yet", "criteria_set": SET,
            "criteria_met": met, "criteria_total": 10, "unmet_criteria": list(unmet),
            "source": "made up for tests"}


def _value(code, value, as_of="2026-05-01"):
    return {"unit_code": code, "unit_valid_from": "2025-07-01", "criteria_set": SET,
            "indicator_id": "2.1", "value": value, "unit": "%", "value_text": str(value),
            "met": None, "as_of": as_of, "source": "made up for tests"}


def _entry(doc, code):
    return next(c for c in doc["communes"] if c["comm_code"] == code)


def _crit(entry, cid):
    return next(c for c in entry["criteria"] if c["id"] == cid)


class TestReadingAFile:
    def test_yaml_rows_take_the_file_s_source_and_date(self, tmp_path):
        rows = thresholds.read_file(_yaml(tmp_path))
        assert len(rows) == 2
        assert {r["source"] for r in rows} == {"Tệp thử nghiệm (made up)"}
        assert {r["as_of"] for r in rows} == {"2026-04-01"}
        cset = criteria.with_thresholds(criteria.load_set(SET), rows)
        ind = cset.indicator("2.1")
        assert ind.name["vi"] == "Tỷ lệ đường xã được cứng hóa"
        assert (ind.threshold.op, ind.threshold.value) == (">=", 80)
        assert (ind.threshold_for("3").op, ind.threshold_for("3").value) == (">=", 70)
        assert ind.threshold_for("1").value == 80  # no group 1 threshold: the general one
        assert ind.threshold.as_dict()["source"] == "Tệp thử nghiệm (made up)"
        assert cset.criterion("2").complete is False  # not the criterion's full list
        assert cset.criterion("1").indicators is None
        # the catalogue itself is untouched
        assert criteria.load_set(SET).criterion("2").indicators is None

    def test_csv_with_vietnamese_headings(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text("Bộ tiêu chí,Tiêu chí,Chỉ tiêu,Tên chỉ tiêu,Nhóm xã,Phép so sánh,"
                        "Ngưỡng,Đơn vị tính,Ngày văn bản,Nguồn\n"
                        f"{SET},2,2.1,Tỷ lệ đường,Nhóm 1,>=,\"90,5\",%,01/04/2026,QĐ tỉnh\n",
                        encoding="utf-8")
        (row,) = thresholds.read_file(path)
        assert (row["group"], row["op"], row["value"], row["as_of"]) == (
            "Nhóm 1", ">=", 90.5, "2026-04-01")

    def test_xlsx(self, tmp_path):
        wb = Workbook()
        ws = wb.active
        ws.append(["criteria_set", "criterion_id", "indicator_id", "indicator_name", "group",
                   "op", "value", "unit", "as_of", "source"])
        ws.append([SET, "8", "8.1", "Tỷ lệ hộ dùng nước sạch", "3", ">=", 60, "%",
                   "2026-04-01", "QĐ tỉnh"])
        path = tmp_path / "t.xlsx"
        wb.save(path)
        (row,) = thresholds.read_file(path)
        cset = criteria.with_thresholds(criteria.load_set(SET), [row])
        assert cset.indicator("8.1").thresholds["3"].value == 60

    @pytest.mark.parametrize(("line", "column", "why"), [
        ('  - {indicator_id: "2.1", criterion_id: "2", indicator_name: "x", op: "~", value: 1}',
         "op", "is not a comparison"),
        ('  - {indicator_id: "2.1", criterion_id: "2", indicator_name: "x", value: 1}',
         "value", "needs its comparison"),
        ('  - {indicator_id: "2.1", criterion_id: "2", indicator_name: "x", op: ">=", value: 1,'
         ' group: "Nhóm 9"}', "group", "no group or region 'Nhóm 9'"),
        ('  - {indicator_id: "2.1", op: ">=", value: 1}', "indicator_id", "has no indicator"),
        ('  - {indicator_id: "2.1", criterion_id: "12", indicator_name: "x", op: ">=", '
         'value: 1}', "criterion_id", "has no indicator"),
        ('  - {indicator_id: "2.1", criterion_id: "2", op: ">=", value: 1}', "indicator_name",
         "the row gives its name"),
        ('  - {indicator_id: "2.1", criterion_id: "2", indicator_name: "x", op: ">=", '
         'value: "nhiều"}', "value", ""),
    ])
    def test_a_bad_row_names_file_row_and_column(self, tmp_path, line, column, why):
        text = YAML.split("thresholds:")[0] + "thresholds:\n" + line + "\n"
        path = _yaml(tmp_path, text)
        with pytest.raises(InputError) as exc:
            thresholds.read_file(path)
        assert exc.value.path == str(path)
        assert f"row 1, column '{column}'" in str(exc.value) and why in str(exc.value)

    def test_a_csv_error_names_its_heading_and_row(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text("Bộ tiêu chí,Chỉ tiêu,Nhóm xã,Phép so sánh,Ngưỡng,Ngày văn bản,Nguồn\n"
                        f"{SET},2.1,Nhóm 4,>=,1,2026-04-01,x\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"row 2, column 'Nhóm xã'"):
            thresholds.read_file(path)

    def test_an_unknown_set_or_a_file_without_source(self, tmp_path):
        with pytest.raises(InputError, match="column 'criteria_set'.*not in the catalogue"):
            thresholds.read_file(_yaml(tmp_path, YAML.replace(SET, "no-such-set")))
        with pytest.raises(InputError, match="'source'"):
            thresholds.read_file(_yaml(tmp_path, YAML.replace('source: "Tệp thử nghiệm '
                                                              '(made up)"\n', "")))
        with pytest.raises(InputError, match="YAML, CSV or XLSX"):
            thresholds.read_file(_yaml(tmp_path, name="t.txt"))


class TestApplying:
    def test_the_latest_row_on_or_before_the_date_applies(self):
        rows = [{"criteria_set": SET, "criterion_id": "2", "indicator_id": "2.1",
                 "indicator_name": "x", "op": ">=", "value": v, "as_of": d, "source": s}
                for v, d, s in ((50, "2026-03-01", "a"), (80, "2026-05-01", "b"))]
        cset = criteria.load_set(SET)
        assert criteria.with_thresholds(cset, rows, as_of="2026-04-01").indicator(
            "2.1").threshold.value == 50
        assert criteria.with_thresholds(cset, rows, as_of="2026-06-01").indicator(
            "2.1").threshold.source == "b"
        assert criteria.with_thresholds(cset, rows, as_of="2026-02-20") is cset

    def test_an_indicator_s_criterion_is_checked(self):
        cset = criteria.load_set("test-groups-2026", folder=criteria.Path(__file__).parent
                                 / "data" / "criteria")
        rows = [{"criteria_set": cset.id, "criterion_id": "2", "indicator_id": "1.1",
                 "op": ">=", "value": 1, "as_of": "2026-01-01", "source": "s"}]
        with pytest.raises(CriterionDataMissing, match="belongs to criterion '1'"):
            criteria.with_thresholds(cset, rows)

    @given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 100))
    def test_the_group_s_threshold_decides(self, general, group3, value):
        rows = [{"criteria_set": SET, "criterion_id": "2", "indicator_id": "2.1",
                 "indicator_name": "x", "op": ">=", "value": general, "as_of": "2026-03-01",
                 "source": "s"},
                {"criteria_set": SET, "indicator_id": "2.1", "group": "nhóm III", "op": ">=",
                 "value": group3, "as_of": "2026-03-01", "source": "s"}]
        ind = criteria.with_thresholds(criteria.load_set(SET), rows).indicator("2.1")
        assert ind.threshold_for("3").met_by(value) is (round(value, 9) >= group3)
        assert ind.threshold_for("2").met_by(value) is (round(value, 9) >= general)


class TestDrivingTheStatus:
    def test_a_thresholds_file_turns_a_met_criterion_unmet(self, sample_db, tmp_path):
        store = open_store(sample_db)
        store.add_records("unit_status", [_status_row()])
        store.add_records("reported_values", [_value("24886", 75)])
        before = _entry(status.from_store(store, level="commune", as_of="2026-06-01"), "24886")
        assert _crit(before, "2")["met"] is True and before["criteria_met"] == 10
        assert thresholds.load(store, _yaml(tmp_path)) == 2
        after = _entry(status.from_store(store, level="commune", as_of="2026-06-01"), "24886")
        crit = _crit(after, "2")
        assert (crit["met"], crit["source"]) == (False, "indicators")
        (ind,) = crit["indicator_values"]
        assert (ind["value"], ind["met"], ind["threshold"]["value"]) == (75, False, 80)
        assert ind["threshold"]["source"] == "Tệp thử nghiệm (made up)"
        assert after["criteria_met"] == 9
        # before the file's date, the thresholds do not apply
        early = _entry(status.from_store(store, level="commune", as_of="2026-03-31"), "24886")
        assert _crit(early, "2")["met"] is True

    def test_group_thresholds_follow_the_unit_s_group(self, sample_db, tmp_path):
        store = open_store(sample_db)
        thresholds.load(store, _yaml(tmp_path))
        store.add_records("unit_groups", [
            {"unit_code": "24886", "unit_valid_from": "2025-07-01", "criteria_set": SET,
             "group": "3", "as_of": "2026-03-01", "source": "QĐ tỉnh (made up)"},
            {"unit_code": "24877", "unit_valid_from": "2025-07-01", "criteria_set": SET,
             "group": "1", "as_of": "2026-03-01", "source": "QĐ tỉnh (made up)"}])
        store.add_records("reported_values", [_value("24886", 75), _value("24877", 75)])
        doc = status.from_store(store, level="commune", as_of="2026-06-01")
        g3, g1 = _entry(doc, "24886"), _entry(doc, "24877")
        assert g3["group"]["id"] == "3" and g3["group"]["name"]["vi"] == "Nhóm 3"
        assert g3["group"]["source"] == "QĐ tỉnh (made up)"
        ind3 = _crit(g3, "2")["indicator_values"][0]
        ind1 = _crit(g1, "2")["indicator_values"][0]
        assert (ind3["threshold"]["value"], ind3["met"]) == (70, True)
        assert (ind1["threshold"]["value"], ind1["met"]) == (80, False)
        # all listed indicators met do not make the criterion met: the list is partial
        assert _crit(g3, "2")["met"] is None and _crit(g1, "2")["met"] is False
        assert _entry(doc, "24853")["group"] is None

    def test_through_the_cli_import_and_report(self, sample_db, tmp_path, capsys):
        path = tmp_path / "nhom.csv"
        path.write_text("Mã xã,Nhóm xã,Tính đến ngày,Nguồn,Bộ tiêu chí\n"
                        f"24886,Nhóm 3,2026-03-01,QĐ tỉnh,{SET}\n", encoding="utf-8")
        assert main(["import", "unit_groups", str(path), "--db", str(sample_db)]) == 0
        csv = tmp_path / "nguong.csv"
        csv.write_text("Bộ tiêu chí,Tiêu chí,Chỉ tiêu,Tên chỉ tiêu,Nhóm xã,Phép so sánh,"
                       "Ngưỡng,Đơn vị tính,Ngày văn bản,Nguồn\n"
                       f"{SET},2,2.1,Tỷ lệ đường,,>=,80,%,2026-04-01,QĐ tỉnh\n"
                       f"{SET},2,2.1,Tỷ lệ đường,Nhóm 3,>=,70,%,2026-04-01,QĐ tỉnh\n",
                       encoding="utf-8")
        assert main(["import", "thresholds", str(csv), "--db", str(sample_db)]) == 0
        assert main(["report", "24886", "2.1", "65", "--db", str(sample_db), "--date",
                     "2026-05-01", "--source", "UBND xã"]) == 0
        capsys.readouterr()
        assert main(["status", "--db", str(sample_db), "--level", "commune", "--as-of",
                     "2026-06-01", "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        entry = _entry(doc, "24886")
        assert entry["group"]["id"] == "3"
        ind = _crit(entry, "2")["indicator_values"][0]
        assert (ind["value"], ind["threshold"]["value"], ind["met"]) == (65, 70, False)
        assert _crit(entry, "2")["met"] is False
        assert main(["status", "--db", str(sample_db), "--level", "commune", "--as-of",
                     "2026-06-01"]) == 0
        table = capsys.readouterr().out
        assert "Nhóm xã" in table and "Nhóm 3" in table


def test_the_cli_import_checks_a_thresholds_file_against_the_catalogue(sample_db, tmp_path,
                                                                        capsys):
    """`ntmgeo import thresholds` reads YAML too, and refuses a group the set does not have
    when importing (exit 3, one line naming the file), storing nothing.
    """
    from geodata import store_fingerprint

    assert main(["import", "thresholds", str(_yaml(tmp_path)), "--db", str(sample_db)]) == 0
    assert len(open_store(sample_db).read_records("thresholds")) == 2
    capsys.readouterr()
    bad = _yaml(tmp_path, YAML.replace("Nhóm 3", "Nhóm 9"), name="bad.yml")
    before = store_fingerprint(sample_db)
    assert main(["import", "thresholds", str(bad), "--db", str(sample_db)]) == 3
    err = capsys.readouterr().err.strip()
    assert "bad.yml" in err and len(err.splitlines()) == 1
    assert store_fingerprint(sample_db) == before


def test_an_indicator_a_thresholds_file_adds_can_be_imported_as_a_reported_value(
        sample_db, tmp_path, capsys):
    """Once a thresholds file adds indicator 2.1 to the 2026-2030 set, a table of reported
    values naming 2.1 imports (before it, the row is refused by row and column).
    """
    values = tmp_path / "gia_tri.csv"
    values.write_text("Mã xã,Chỉ tiêu,Giá trị,Tính đến ngày,Nguồn\n"
                      "24886,2.1,65,2026-05-01,UBND xã\n", encoding="utf-8")
    assert main(["import", "reported_values", str(values), "--db", str(sample_db)]) == 3
    assert "2.1" in capsys.readouterr().err
    assert main(["import", "thresholds", str(_yaml(tmp_path)), "--db", str(sample_db)]) == 0
    assert main(["import", "reported_values", str(values), "--db", str(sample_db)]) == 0
    rows = open_store(sample_db).read_records("reported_values")
    mine = rows[(rows["indicator_id"] == "2.1") & (rows["criteria_set"] == SET)]
    assert list(mine["unit_code"]) == ["24886"]
