"""Progress over time, deadlines, and the 2025 reform seen through dates."""

from __future__ import annotations

import pytest

from ntmgeo import ingest, progress, status
from ntmgeo.cli import main
from ntmgeo.store import open_store


def test_period_ends():
    assert progress.period_ends("2024-02-10", "2024-04-15", months=1) == [
        "2024-02-29", "2024-03-31", "2024-04-15"]
    assert progress.period_ends("2024-02-10", "2024-12-31", months=3) == [
        "2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]
    assert progress.period_ends("2024-05-01", "2024-04-01", months=1) == []


def test_tree_lined_km_grow_with_dated_surveys(sample_db, tmp_path):
    store = open_store(sample_db)
    table = tmp_path / "june.csv"
    table.write_text("dist_code,road_code,from,to,side,survey_date\n"
                     "674,ĐH47,Km0+000,Km2+000,left,2024-06-15\n", encoding="utf-8")
    ingest.import_file(store, "surveys", table)
    months = progress.greening_by_month(store, until="2024-07-31")
    km = {m["as_of"]: m["greened_km"] for m in months}
    assert km["2024-05-31"] == pytest.approx(10.23, abs=0.01)
    assert km["2024-06-30"] == pytest.approx(12.23, abs=0.01)
    assert list(km)[0] == "2024-02-29" and list(km)[-1] == "2024-07-31"


def test_overdue_works_as_of_a_date(sample_db):
    store = open_store(sample_db)
    early = {i["id"] for i in progress.overdue(store, as_of="2024-03-31")}
    late = progress.overdue(store, as_of="2024-12-31")
    assert not early
    sites = {i["indicator"] for i in late if i["kind"] == "site"}
    assert {"2.4", "6.1", "6.2", "7.3", "7.4"} <= sites
    assert late[0]["days_late"] >= late[-1]["days_late"]


def test_quarters_across_the_2025_reform(sample_db):
    rows = progress.indicators_by_quarter(open_store(sample_db), start="2025-01-01",
                                          until="2025-12-31")
    assert [r["as_of"] for r in rows] == ["2025-03-31", "2025-06-30", "2025-09-30",
                                          "2025-12-31"]
    assert "indicators_met" in rows[1] and "districts stopped operating" in rows[2]["error"]


def test_as_of_gives_the_units_of_their_time(sample_db):
    store = open_store(sample_db)
    before = status.from_store(store, level="commune", as_of="2024-02-29")
    after = status.from_store(store, level="commune", as_of="2025-12-31")
    assert len(before["communes"]) == 8 and before["summary"]["ntm_or_above"] == 6
    assert sorted(c["name"] for c in after["communes"]) == [
        "Đam Rông 1", "Đam Rông 2", "Đam Rông 3", "Đam Rông 4"]
    assert after["summary"]["no_data"] == 4
    assert status.from_store(store, level="district", as_of="2024-02-29")["unit"]["code"] == "674"


def test_progress_command(sample_db, capsys):
    assert main(["progress", "--db", str(sample_db), "--as-of", "2024-12-31", "--json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"as_of", "greening_by_month", "indicators_by_quarter", "overdue",
                        "deadlines"}


def test_progress_shows_the_dossier_deadlines(sample_db, capsys):
    # Đam Rông's plan: communes' dossiers before 30/10/2024 (seed 000 line 33), the
    # district's before 30/11/2024 (line 45); the lines before them unchanged
    assert main(["progress", "--db", str(sample_db), "--as-of", "2024-11-15", "--json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert [(d["date"], d["days_left"], d["source"]) for d in doc["deadlines"]] == [
        ("2024-10-30", -16, "seed 000, line 33"), ("2024-11-30", 15, "seed 000, line 45")]
    assert main(["progress", "--db", str(sample_db), "--as-of", "2024-11-15"]) == 0
    text = capsys.readouterr().out
    head, _, tail = text.partition("Thời hạn hồ sơ đề nghị công nhận:")
    assert "Công trình, chỉ tiêu quá hạn tại ngày 2024-11-15:" in head
    assert "  30/10/2024 Hồ sơ đề nghị công nhận xã đạt chuẩn nông thôn mới, nông thôn mới " \
           "nâng cao — Đam Rông (674): đã quá 16 ngày (seed 000, line 33)" in tail
    assert "30/11/2024" in tail and "còn 15 ngày" in tail


def test_no_deadline_where_no_plan_gives_one(tmp_path):
    from ntmgeo.store import open_store as open_

    db = tmp_path / "e.gpkg"
    assert main(["init", str(db), "--province", "67"]) == 0
    assert progress.dossier_deadlines(open_(db), as_of="2024-11-15") == []


def test_the_criteria_workbook_carries_a_progress_sheet(sample_db, tmp_path, capsys):
    import openpyxl

    out = tmp_path / "bang.xlsx"
    assert main(["table", "--db", str(sample_db), "--out", str(out), "--as-of", "2024-12-31"]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "Tiến độ"
    cells = [c for row in wb["Tiến độ"].iter_rows(values_only=True) for c in row if c]
    assert "TIẾN ĐỘ THỰC HIỆN ĐẾN NGÀY 31/12/2024" in cells
    assert "Bến xe khách huyện Đam Rông" in cells  # overdue since 30/10/2024


def test_the_progress_document_of_a_store(sample_db):
    """One function of a store and a date; the default date is the status's."""
    store = open_store(sample_db)
    doc = progress.from_store(store, "2024-12-31", since="2024-06-01")
    assert doc["as_of"] == "2024-12-31"
    assert [q["as_of"] for q in doc["indicators_by_quarter"]] == ["2024-06-30", "2024-09-30",
                                                                  "2024-12-31"]
    assert doc["greening_by_month"][-1]["as_of"] == "2024-12-31"
    assert "Bến xe khách huyện Đam Rông" in {item["name"] for item in doc["overdue"]}
    assert progress.from_store(store)["as_of"] == status.default_as_of(store)
