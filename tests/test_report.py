"""The plan's criteria table: rows, XLSX (merged criterion cells, title from the document),
CSV with BOM, and the commune-level workbook.
"""

from __future__ import annotations

import copy
import csv
import inspect
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest
from shapely.geometry import Polygon

from ntmgeo import datasets, report, status
from ntmgeo.layers import conform, load_schema
from ntmgeo.store.gpkg import GpkgStore

# The appendix of Kế hoạch 149-KH/HU (seed 000): indicator ids in order, and the "Chỉ tiêu"
# column as printed (its LaTeX "$\geq 50\%$" written as "≥50%").
IDS = ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "5.1", "5.2", "5.3",
       "5.4", "6.1", "6.2", "6.3", "6.4", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7",
       "7.8", "8.1", "8.2", "8.3", "8.4", "8.5", "9.1", "9.2", "9.3", "9.4", "9.5", "9.6"]
THRESHOLDS = ["Đạt", "≥01 công trình", "Đạt", "100%", "≥50%", "Đạt", "Đạt", "Đạt", "Đạt",
              "Đạt", "Đạt", "≥60%", "Cấp độ 1", "Đạt", "Đạt", "Đạt", "Đạt", "Đạt", "≥40%",
              "≥ 01 mô hình", "≥ 01 công trình", "Đạt", "≥2m²/người", "≥50%", "100%", "≥12%",
              "≥35%", "Đạt", "Đạt", "100%", "Đạt", "100%", "Không", "Đạt", "Đạt", "Đạt"]
UNMET = ["2.3", "2.4", "6.1", "6.2", "7.3", "7.4", "7.5", "7.8", "9.3"]
CRITERIA_ROWS = {"1": 2, "2": 4, "3": 2, "4": 1, "5": 4, "6": 4, "7": 8, "8": 5, "9": 6}
HEADINGS = ["TT", "Tên tiêu chí", "Nội dung tiêu chí", "Chỉ tiêu", "Thực hiện đến 29/02/2024",
            "Thời gian hoàn thành", "Ghi chú"]
COMMUNES = {"24853": "Đạ Tông", "24856": "Đạ Long", "24859": "Đạ M'Rông",
            "24874": "Liêng Srônh", "24875": "Đạ Rsal", "24877": "Rô Men",
            "24886": "Phi Liêng", "24889": "Đạ K'Nàng"}


def _square(i: int) -> Polygon:
    x, y = 108.0 + 0.05 * i, 12.0
    return Polygon([(x, y), (x + 0.05, y), (x + 0.05, y + 0.05), (x, y + 0.05)])


def build_district_store(path: Path) -> GpkgStore:
    """Đam Rông's units (small squares) and the sample's reported records, without geometry
    files: the plan's table needs only the records.
    """
    store = GpkgStore.create(path, prov_code="68")
    codes = list(COMMUNES)
    units = gpd.GeoDataFrame({
        "code": ["674", *codes], "level": ["district"] + ["commune"] * 8,
        "name": ["Đam Rông", *COMMUNES.values()], "parent_code": [None] + ["674"] * 8,
        "valid_from": ["2004-01-01"] + ["2008-01-01"] * 8},
        geometry=[_square(i) for i in range(9)], crs="EPSG:4326")
    store.write_features("admin_units", conform(units, load_schema("admin_units")))
    folder = datasets.get_path("damrong")
    for rec in datasets.manifest("damrong")["records"]:
        store.add_records(rec["table"], datasets._record_rows(folder, rec))
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GpkgStore:
    return build_district_store(tmp_path_factory.mktemp("report") / "p.gpkg")


# The table as the plan printed it: reported values only (nothing computed from layers).
REPORTED = ({"source": "reported"}
            if "source" in inspect.signature(status.from_store).parameters else {})


@pytest.fixture(scope="module")
def doc(store: GpkgStore) -> dict:
    return status.from_store(store, level="district", **REPORTED)


def _id(row: dict) -> str:
    return row["Nội dung tiêu chí"].split(". ", 1)[0]


def _table(path: Path) -> tuple[openpyxl.worksheet.worksheet.Worksheet, int]:
    ws = openpyxl.load_workbook(path).active
    head = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "TT")
    return ws, head


class TestRows:
    def test_the_appendix_columns_and_headings(self, doc):
        assert report.headings(doc) == HEADINGS
        rows = report.criteria_table_rows(doc)
        assert all(list(r) == HEADINGS for r in rows)

    def test_36_rows_in_order_with_thresholds_as_printed(self, doc):
        rows = report.criteria_table_rows(doc)
        assert [_id(r) for r in rows] == IDS
        assert [r["Chỉ tiêu"] for r in rows] == THRESHOLDS
        assert {r["TT"]: r["Tên tiêu chí"] for r in rows}["9"] == (
            "Hệ thống chính trị - An ninh trật tự - Hành chính công")

    def test_the_unmet_rows_are_exactly_the_tables(self, doc):
        rows = report.criteria_table_rows(doc)
        unmet = [_id(r) for r in rows if "Chưa đạt" in r["Thực hiện đến 29/02/2024"]]
        assert unmet == UNMET

    def test_value_cells(self, doc):
        rows = {_id(r): r for r in report.criteria_table_rows(doc)}
        value = "Thực hiện đến 29/02/2024"
        assert rows["2.3"][value] == "10,23/38,39 km, đạt tỷ lệ 26,65%, Chưa đạt"  # as printed
        assert rows["6.1"][value] == "Chưa đạt"
        assert rows["1.1"][value] == "Đạt"
        # "đạt tỷ lệ" is not the verdict: the verdict is added
        assert rows["2.2"][value] == "Cứng hóa 38,39/38,39 km; đạt tỷ lệ 100%, Đạt"
        assert rows["2.3"]["Thời gian hoàn thành"] == (
            "UBND huyện chỉ đạo thực hiện hoàn thành trước ngày 30/11/2024")

    def test_a_computed_value_without_text(self, store):
        computed = {"2.3": status.ComputedValue(value=55.5, met=None, as_of="2024-05-01",
                                                unit="%")}
        doc = status.from_store(store, level="district", as_of="2024-06-01", computed=computed)
        row = next(r for r in report.criteria_table_rows(doc) if _id(r) == "2.3")
        assert row["Thực hiện đến 01/06/2024"] == "55,5%, Đạt"
        assert row["Ghi chú"].startswith("Tính từ bản đồ ngày 01/05/2024")
        assert "Chưa đạt" in row["Ghi chú"]  # the report said otherwise

    def test_the_notes_of_computed_values_in_the_remarks(self, store):
        # 2.1 unmet as computed (the condition that decided, with its source); 2.2 no value
        # computed: the reported cell stands and the remark says what the map lacks.
        computed = {
            "2.1": status.ComputedValue(
                value=None, met=False, as_of="2024-02-29", value_text="< 100% (≥ 24.66/38.39 km)",
                basis={"vi": "Chưa đạt theo điều kiện: mặt đường dưới 100% (QĐ 932/QĐ-BGTVT)",
                       "en": "Unmet on the surface condition (QĐ 932/QĐ-BGTVT)"}),
            "2.2": status.ComputedValue(
                value=None, met=None, as_of="2024-02-29",
                note={"vi": "Chưa tính được từ bản đồ: chưa ghi cấp kỹ thuật theo quy hoạch",
                      "en": "No value computed: planned grade not recorded"})}
        doc = status.from_store(store, level="district", as_of="2024-02-29", computed=computed)
        rows = {_id(r): r for r in report.criteria_table_rows(doc)}
        value = "Thực hiện đến 29/02/2024"
        assert rows["2.1"][value] == "< 100% (≥ 24.66/38.39 km), Chưa đạt"
        assert "mặt đường dưới 100% (QĐ 932/QĐ-BGTVT)" in rows["2.1"]["Ghi chú"]
        assert "báo cáo ngày 29/02/2024: Đạt" in rows["2.1"]["Ghi chú"]
        assert rows["2.2"][value] == "Cứng hóa 38,39/38,39 km; đạt tỷ lệ 100%, Đạt"
        assert rows["2.2"]["Ghi chú"] == (
            "Chưa tính được từ bản đồ: chưa ghi cấp kỹ thuật theo quy hoạch")

    def test_value_cell_rules(self):
        cell = report.value_cell
        assert cell({"value": 4.5, "unit": "m²/người", "met": True}) == "4,5 m²/người, Đạt"
        assert cell({"value": None, "met": None}) == "Chưa có số liệu"
        assert cell({"value_text": "Có quy hoạch", "met": False}) == "Có quy hoạch, Chưa đạt"
        assert cell({"value_text": "Kế hoạch số 13 Đạt", "met": True}) == "Kế hoạch số 13 Đạt"


class TestXlsx:
    def test_reproduces_the_appendix(self, doc, tmp_path):
        path = report.to_xlsx(doc, tmp_path / "bang.xlsx")
        ws, head = _table(path)
        assert [ws.cell(row=head, column=c).value for c in range(1, 8)] == HEADINGS
        rows = list(ws.iter_rows(min_row=head + 1, max_row=head + 36, max_col=7,
                                 values_only=True))
        assert [r[2].split(". ", 1)[0] for r in rows] == IDS
        assert [r[3] for r in rows] == THRESHOLDS
        unmet = [r[2].split(". ", 1)[0] for r in rows if "Chưa đạt" in (r[4] or "")]
        assert unmet == UNMET
        assert ws.cell(row=head + 37, column=3).value is None  # nothing after the 36 rows

    def test_criterion_cells_are_merged_over_their_indicators(self, doc, tmp_path):
        path = report.to_xlsx(doc, tmp_path / "bang.xlsx")
        ws, head = _table(path)
        merged = {str(r) for r in ws.merged_cells.ranges}
        row = head + 1
        for crit, count in CRITERIA_ROWS.items():
            assert ws.cell(row=row, column=1).value == int(crit)
            if count > 1:
                assert f"A{row}:A{row + count - 1}" in merged
                assert f"B{row}:B{row + count - 1}" in merged
            else:
                assert not any(m.startswith((f"A{row}:", f"B{row}:")) for m in merged)
            row += count

    def test_title_from_the_document_layout_and_summary(self, doc, tmp_path):
        path = report.to_xlsx(doc, tmp_path / "bang.xlsx")
        ws, head = _table(path)
        titles = [ws.cell(row=r, column=1).value for r in range(1, head)]
        assert titles[0] == "KẾ HOẠCH THỰC HIỆN BỘ TIÊU CHÍ HUYỆN NÔNG THÔN MỚI NĂM 2024"
        assert "Huyện Đam Rông" in titles[1] and "29/02/2024" in titles[1]
        assert ws.cell(row=head + 1, column=3).alignment.wrap_text
        assert ws.column_dimensions["C"].width > 40
        tail = [ws.cell(row=r, column=1).value for r in range(head + 37, head + 45)]
        text = "\n".join(t for t in tail if t)
        assert "5/9 tiêu chí, 27/36 chỉ tiêu" in text  # what the indicators give
        assert "4/9 tiêu chí, 28/36 chỉ tiêu" in text  # what the plan says

    def test_nothing_about_dam_rong_is_hard_coded(self, doc, tmp_path):
        other = copy.deepcopy(doc)
        other["unit"]["name"] = "Tam Đường"
        other["as_of"] = "2025-03-31"
        path = report.to_xlsx(other, tmp_path / "other.xlsx")
        ws, head = _table(path)
        titles = " ".join(str(ws.cell(row=r, column=1).value) for r in range(1, head))
        assert "NĂM 2025" in titles and "Huyện Tam Đường" in titles and "31/03/2025" in titles
        assert "Đam Rông" not in titles
        assert ws.cell(row=head, column=5).value == "Thực hiện đến 31/03/2025"

    def test_the_sample_store(self, request, tmp_path):
        if not (datasets.get_path("damrong") / "admin_units.geojson").is_file():
            pytest.skip("the sample's geometry files are not built yet")
        sample = request.getfixturevalue("sample_store")
        doc = status.from_store(sample, level="district", as_of="2024-02-29", **REPORTED)
        ws, head = _table(report.to_xlsx(doc, tmp_path / "sample.xlsx"))
        rows = list(ws.iter_rows(min_row=head + 1, max_row=head + 36, max_col=5,
                                 values_only=True))
        assert [r[2].split(". ", 1)[0] for r in rows] == IDS
        assert [r[2].split(". ", 1)[0] for r in rows if "Chưa đạt" in r[4]] == UNMET


class TestCsv:
    def test_utf8_with_bom_and_the_same_rows(self, doc, tmp_path):
        path = report.to_csv(doc, tmp_path / "bang.csv")
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert list(rows[0]) == HEADINGS
        assert rows == report.criteria_table_rows(doc)


@pytest.fixture(scope="module")
def commune_doc(store: GpkgStore) -> dict:
    return status.from_store(store, level="commune")


class TestCommunes:
    def test_rows_per_commune_and_criterion(self, commune_doc):
        rows = report.criteria_table_rows(commune_doc)
        assert len(rows) == 8 * 19
        liengsronh = [r for r in rows if r["Mã xã"] == "24874"]
        assert [r["TT"] for r in liengsronh] == [str(i) for i in range(1, 20)]
        assert [r["TT"] for r in liengsronh if r["Kết quả"] == "Chưa đạt"] == ["11"]
        assert {r["Kết quả"] for r in liengsronh if r["TT"] != "11"} == {"Đạt"}
        assert liengsronh[0]["Mức đạt chuẩn"] == "Chưa đạt chuẩn"
        rsal = [r for r in rows if r["Mã xã"] == "24875"]
        assert rsal[0]["Mức đạt chuẩn"] == "NTM nâng cao"
        assert {r["Kết quả"] for r in rsal} == {"Chưa có số liệu"}  # no per-criterion status

    def test_workbook_has_a_summary_and_a_sheet_per_commune(self, commune_doc, tmp_path):
        path = report.to_xlsx(commune_doc, tmp_path / "xa.xlsx")
        wb = openpyxl.load_workbook(path)
        assert len(wb.sheetnames) == 9
        assert "Đạ K'Nàng 24889" in wb.sheetnames
        summary = wb[wb.sheetnames[0]]
        head = next(r for r in range(1, 10) if summary.cell(row=r, column=1).value == "Mã xã")
        body = list(summary.iter_rows(min_row=head + 1, max_row=head + 8, max_col=5,
                                      values_only=True))
        by_code = {r[0]: r for r in body}
        assert by_code["24856"][3] == "18/19" and "11. Nghèo đa chiều" in by_code["24856"][4]
        sheet = wb["Liêng Srônh 24874"]
        results = [c.value for c in sheet["C"] if c.value in ("Đạt", "Chưa đạt")]
        assert results.count("Chưa đạt") == 1 and len(results) == 19

    def test_csv(self, commune_doc, tmp_path):
        path = report.to_csv(commune_doc, tmp_path / "xa.csv")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 152 and rows[0]["Tên xã"] in COMMUNES.values()


# The table in English (``lang="en"``, ``ntmgeo --lang en table``): the words of the table are
# English; the reported values stay as the store has them (Vietnamese).
EN_HEADINGS = ["No.", "Criterion", "Content of the criterion", "Threshold",
               "Achieved by 29/02/2024", "Completion date", "Notes"]
VI_HEADINGS = {*HEADINGS, "Mã xã", "Tên xã", "Mức đạt chuẩn", "Kết quả", "Số tiêu chí đạt",
               "Tiêu chí chưa đạt", "Mục tiêu", "Tính đến ngày", "Cuối tháng", "Cuối quý",
               "Chỉ tiêu đạt", "Tiêu chí đạt", "Thời hạn", "Tình trạng", "Tỷ lệ"}


def _says_unmet(text: str | None) -> bool:
    return "Unmet" in (text or "") or "Chưa đạt" in (text or "")


class TestEnglish:
    def test_headings_and_rows(self, doc):
        assert report.headings(doc, "en") == EN_HEADINGS
        rows = report.criteria_table_rows(doc, "en")
        assert [r["Content of the criterion"].split(". ", 1)[0] for r in rows] == IDS
        value = "Achieved by 29/02/2024"
        # a reported text saying the verdict in Vietnamese is not given a second one
        by_id = {r["Content of the criterion"].split(". ", 1)[0]: r for r in rows}
        assert by_id["2.3"][value] == "10,23/38,39 km, đạt tỷ lệ 26,65%, Chưa đạt"
        assert by_id["2.2"][value] == "Cứng hóa 38,39/38,39 km; đạt tỷ lệ 100%, Met"
        assert by_id["6.1"][value] == "Chưa đạt"  # the reported text
        assert by_id["1.1"][value] == "Đạt"
        assert [i for i, r in by_id.items() if _says_unmet(r[value])] == UNMET

    def test_value_cell_rules(self):
        cell = report.value_cell
        assert cell({"value": 4.5, "unit": "m²/người", "met": True}, "en") == "4.5 m²/người, Met"
        assert cell({"value": None, "met": None}, "en") == "No data"
        assert cell({"value_text": "Có quy hoạch", "met": False}, "en") == "Có quy hoạch, Unmet"
        assert cell({"value_text": "Kế hoạch số 13 Đạt", "met": True}, "en") == (
            "Kế hoạch số 13 Đạt")  # the Vietnamese verdict of a reported value
        assert cell({"value_text": "Plan no. 13, Met", "met": True}, "en") == "Plan no. 13, Met"
        assert cell({"value_text": "Unmet before", "met": True}, "en") == "Unmet before, Met"
        # in Vietnamese, the English words are not verdicts
        assert cell({"value_text": "Met", "met": True}) == "Met, Đạt"

    def test_the_default_is_the_settings_language(self, doc, monkeypatch):
        from ntmgeo import settings
        monkeypatch.setattr(settings, "lang", "en")
        assert report.headings(doc) == EN_HEADINGS

    def test_the_workbook_has_english_headings(self, store, tmp_path):
        path = report.write(store, "xlsx", tmp_path / "table.xlsx", source="reported",
                            lang="en")
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["Criteria Đam Rông", "Progress"]
        ws = wb.active
        head = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "No.")
        assert [ws.cell(row=head, column=c).value for c in range(1, 8)] == EN_HEADINGS
        titles = [ws.cell(row=r, column=1).value for r in range(1, head)]
        assert titles[0] == "PLAN FOR THE DISTRICT NEW RURAL AREA CRITERIA, 2024"
        assert titles[1] == "(District Đam Rông: progress up to 29/02/2024)"
        rows = list(ws.iter_rows(min_row=head + 1, max_row=head + 36, max_col=5,
                                 values_only=True))
        assert rows[3][4] == "Cứng hóa 38,39/38,39 km; đạt tỷ lệ 100%, Met"  # 2.2
        shaded = [r for r in range(head + 1, head + 37)
                  if ws.cell(row=r, column=5).fill.fgColor.rgb.endswith("FCE4D6")]
        assert [rows[r - head - 1][2].split(". ", 1)[0] for r in shaded] == UNMET
        tail = "\n".join(str(ws.cell(row=r, column=1).value or "")
                         for r in range(head + 37, head + 45))
        assert "By the indicators: 5/9 criteria, 27/36 indicators met." in tail
        progress = wb["Progress"]
        words = {c.value for row in progress.iter_rows() for c in row if c.value}
        assert {"End of month", "Tree-lined (km)", "Indicators met", "Deadline"} <= words
        every = {c.value for s in wb for row in s.iter_rows() for c in row
                 if isinstance(c.value, str)}
        assert not every & VI_HEADINGS
        assert not any(str(t).startswith(("KẾ HOẠCH", "TIẾN ĐỘ", "Tổng hợp")) for t in every)

    def test_the_commune_workbook_and_csv(self, store, tmp_path):
        path = report.write(store, "xlsx", tmp_path / "communes.xlsx", level="commune",
                            lang="en")
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames[0] == "Communes summary" and len(wb.sheetnames) == 9
        summary = wb.active
        head = next(r for r in range(1, 10)
                    if summary.cell(row=r, column=1).value == "Commune code")
        assert summary.cell(row=head, column=3).value == "Level reached"
        levels = {summary.cell(row=r, column=3).value for r in range(head + 1, head + 9)}
        assert "Advanced new rural area" in levels and "Not yet up to standard" in levels
        sheet = wb["Liêng Srônh 24874"]
        assert sheet.cell(row=1, column=1).value.startswith("Commune Liêng Srônh (code 24874)")
        results = [c.value for c in sheet["C"] if c.value in ("Met", "Unmet")]
        assert results.count("Unmet") == 1 and len(results) == 19
        csv_path = report.write(store, "csv", tmp_path / "table.csv", source="reported",
                                lang="en")
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            assert next(csv.reader(fh)) == EN_HEADINGS

    def test_the_command_writes_the_table_in_its_language(self, store, tmp_path, capsys,
                                                         monkeypatch):
        from ntmgeo import settings
        from ntmgeo.cli import main
        monkeypatch.setattr(settings, "lang", settings.lang)  # restored after the test
        for lang, first in (("en", "No."), ("vi", "TT")):
            out = tmp_path / f"{lang}.csv"
            assert main(["--lang", lang, "table", "--db", str(store.path), "--out", str(out),
                         "--format", "csv", "--source", "reported"]) == 0
            with out.open(encoding="utf-8-sig", newline="") as fh:
                assert next(csv.reader(fh))[0] == first
        capsys.readouterr()

    def test_the_formats_labels_come_from_the_catalogue(self):
        assert report.FORMATS["xlsx"].label == {
            "vi": "bảng tiêu chí (Excel) kèm trang Tiến độ",
            "en": "the criteria table (Excel) with the progress sheet"}


def test_a_level_from_recorded_criteria_is_marked_as_in_the_cli():
    """A commune all of whose criteria are recorded met shows its level with "*" (not a
    recognition), in the summary sheet's rows and in the per-criterion rows alike.
    """
    from ntmgeo import report as report_mod

    entry = {"comm_code": "03424", "name": "Bản Bo", "level": "ntm", "level_basis": "criteria",
             "criteria_met": 19, "criteria_total": 19, "criteria": [], "as_of": "2024-06-30"}
    row = report_mod._commune_summary(entry, "vi")
    assert row["Mức đạt chuẩn"] == "Nông thôn mới *"
    plain = report_mod._commune_summary({**entry, "level_basis": None}, "vi")
    assert plain["Mức đạt chuẩn"] == "Nông thôn mới"
