"""The command line: every bad-input path of `ntmgeo import` gives one clear line, a non-zero
exit code, and leaves the store exactly as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from ntmgeo.cli import main

from geodata import LAT, LON, road_feature, store_fingerprint, write_geojson
from malformed import CASES as MALFORMED


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "p.gpkg"
    assert run(capsys, "init", path, "--province", "68")[0] == 0
    good = write_geojson(tmp_path / "good.geojson", [road_feature("ĐH42")])
    assert run(capsys, "import", "roads", good, "--db", path)[0] == 0
    return path


def _square(d=0.01):
    return [[[LON, LAT], [LON + d, LAT], [LON + d, LAT + d], [LON, LAT + d], [LON, LAT]]]


def _bad_files(tmp_path):
    """(layer, file, expected message part) for every bad input of the foundation issue."""
    f = {}
    f["unknown layer"] = ("rivers", write_geojson(tmp_path / "a.geojson", [road_feature()]),
                          "unknown layer 'rivers'")
    no_class = road_feature("ĐH43")
    del no_class["properties"]["road_class"]
    f["missing required field"] = ("roads", write_geojson(tmp_path / "b.geojson", [no_class]),
                                   "b.geojson: feature 1 (dist_code=674, road_code=ĐH43): "
                                   "field 'road_class': required value is missing")
    point = road_feature("ĐH44")
    point["geometry"] = {"type": "Point", "coordinates": [LON, LAT]}
    f["wrong geometry type"] = ("roads", write_geojson(tmp_path / "c.geojson", [point]),
                                "geometry is Point, layer 'roads' takes LineString")
    bowtie = {"type": "Feature", "properties": {"code": "1", "level": "commune", "name": "A",
                                                "valid_from": "2008-01-01"},
              "geometry": {"type": "Polygon", "coordinates": [[[LON, LAT], [LON + .01, LAT + .01],
                                                               [LON + .01, LAT], [LON, LAT + .01],
                                                               [LON, LAT]]]}}
    f["invalid geometry"] = ("admin_units", write_geojson(tmp_path / "d.geojson", [bowtie]),
                             "invalid geometry")
    empty = road_feature("ĐH45")
    empty["geometry"] = None
    f["empty geometry"] = ("roads", write_geojson(tmp_path / "e.geojson", [empty]),
                           "has no geometry")
    truncated = write_geojson(tmp_path / "f.geojson", [road_feature("ĐH46")] * 3)
    truncated.write_bytes(truncated.read_bytes()[:150])
    f["truncated file"] = ("roads", truncated, "cannot be read")
    csv = tmp_path / "g.csv"
    csv.write_text("dist_code,road_code,road_class,x,y\n674,ĐH47,ĐH,583000,1338000\n",
                   encoding="utf-8")
    f["no crs"] = ("roads", csv, "has no CRS")
    f["duplicate identity in the file"] = (
        "sites", write_geojson(tmp_path / "h.geojson", [
            {"type": "Feature", "properties": {"site_id": "s1", "name": "Chợ",
                                               "site_type": "market", "status": "planned"},
             "geometry": {"type": "Point", "coordinates": [LON, LAT]}}] * 2),
        "duplicate identity (site_id=s1)")
    f["duplicate identity with the store"] = (
        "roads", write_geojson(tmp_path / "i.geojson", [road_feature("ĐH48"),
                                                          road_feature("ĐH42")]),
        "feature 2: a feature with (dist_code=674, road_code=ĐH42) is already stored")
    huge = tmp_path / "j.geojson"
    with huge.open("wb") as fh:
        fh.truncate(150 * 1024 * 1024)
    f["150 MB file"] = ("roads", huge, "larger than the limit")
    f["wrong crs"] = ("roads", write_geojson(
        tmp_path / "k.geojson", [road_feature("ĐH49", coords=[(583000, 1338000),
                                                             (584000, 1338000)])]),
        "lies outside Vietnam")
    return f


CASES = ["unknown layer", "missing required field", "wrong geometry type", "invalid geometry",
         "empty geometry", "truncated file", "no crs", "duplicate identity in the file",
         "duplicate identity with the store", "150 MB file", "wrong crs"]


@pytest.mark.parametrize("case", CASES)
def test_bad_import_is_one_line_and_changes_nothing(case, db, tmp_path, capsys):
    layer, path, expected = _bad_files(tmp_path)[case]
    before = store_fingerprint(db)
    code, out, err = run(capsys, "--lang", "en", "import", layer, path, "--db", db)
    assert code == 3
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert store_fingerprint(db) == before


VI_MESSAGES = {
    "missing required field": "b.geojson: đối tượng 1 (dist_code=674, road_code=ĐH43): "
                              "trường 'road_class': thiếu giá trị bắt buộc",
    "wrong geometry type": "hình học là Point, lớp 'roads' chỉ nhận LineString",
    "no crs": "không có hệ tọa độ",
    "150 MB file": "vượt giới hạn 100 MiB",
    "duplicate identity with the store": "đã có đối tượng (dist_code=674, road_code=ĐH42)",
    "wrong crs": "nằm ngoài lãnh thổ Việt Nam",
}


@pytest.mark.parametrize("case", sorted(VI_MESSAGES))
def test_errors_are_in_vietnamese_by_default(case, db, tmp_path, capsys):
    layer, path, _ = _bad_files(tmp_path)[case]
    code, _, err = run(capsys, "import", layer, path, "--db", db)
    assert code == 3 and err.startswith("Lỗi: ") and VI_MESSAGES[case] in err


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_bad_input_and_changes_nothing(case, db, tmp_path, capsys):
    """A line of one point (a phone that recorded one fix), a short or open ring, a misnamed or
    truncated file: exit 3, one line naming the file and the feature, the store untouched.
    """
    expected = MALFORMED[case](tmp_path)
    before, content = store_fingerprint(db), db.read_bytes()
    for lang, prefix, feature in (("vi", "Lỗi", "đối tượng"), ("en", "Error", "feature")):
        code, _, err = run(capsys, "--lang", lang, "import", "surveys", expected.path,
                           "--db", db)
        assert code == 3, err
        where = f"{expected.path}: {feature} {expected.feature}: " if expected.feature \
            else f"{expected.path}: "
        assert err.startswith(f"{prefix}: {where}"), err
        assert err.endswith(f"{expected.reason_in(lang)}\n"), err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert store_fingerprint(db) == before and db.read_bytes() == content


def test_import_then_replace(db, tmp_path, capsys):
    more = write_geojson(tmp_path / "more.geojson", [road_feature("ĐH43"), road_feature("ĐH45")])
    code, out, _ = run(capsys, "--lang", "en", "import", "roads", more, "--db", db)
    assert code == 0 and "Imported 2 features into layer 'roads'" in out
    code, out, _ = run(capsys, "import", "roads", more, "--db", db, "--replace", "--json")
    assert json.loads(out) == {"layer": "roads", "file": str(more), "features": 2,
                               "mode": "replace"}


def test_missing_store(tmp_path, capsys):
    code, _, err = run(capsys, "status", "--db", tmp_path / "none.gpkg")
    assert code == 4 and "không có kho dữ liệu" in err


def test_usage_errors_exit_2(capsys, tmp_path):
    assert run(capsys, "init", tmp_path / "x.gpkg")[0] == 2  # no --province, no --sample
    assert run(capsys, "status", "--db", tmp_path / "x.gpkg", "--level", "galaxy")[0] == 2


def test_unknown_province(capsys, tmp_path):
    code, _, err = run(capsys, "--lang", "en", "init", tmp_path / "x.gpkg", "--province", "99")
    assert code == 5 and "province code '99'" in err
    assert not (tmp_path / "x.gpkg").exists()


@pytest.mark.parametrize("command", [[], ["init"], ["import"], ["status"], ["layers"],
                                     ["layers", "show"], ["criteria"], ["info"]])
def test_every_command_has_help(command, capsys):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0 and "Cách dùng:" in out and "Tùy chọn:" in out  # Vietnamese by default
    code, out, _ = run(capsys, "--lang", "en", *command, "--help")
    assert code == 0 and "Usage:" in out and "Options:" in out


def test_console_script_runs_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "ntmgeo.cli", "import", "roads",
                           str(tmp_path / "x.geojson"), "--db", str(tmp_path / "x.gpkg")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 4
    assert proc.stderr.startswith("Lỗi: ") and "Traceback" not in proc.stderr


def test_layers_and_criteria_commands(capsys):
    code, out, _ = run(capsys, "layers", "validate")
    assert code == 0 and "admin_units" in out
    code, out, _ = run(capsys, "layers", "show", "roads", "--json")
    assert json.loads(out)["identity"] == ["dist_code", "road_code"]
    code, out, _ = run(capsys, "criteria", "list")
    assert "vn-district-2021-2025" in out and "36 chỉ tiêu" in out


def test_coverage_command(sample_db, capsys):
    capsys.readouterr()
    code, out, _ = run(capsys, "coverage", "--db", sample_db, "--type",
                       "waste_collection_point", "--within", "5km", "--json")
    doc = json.loads(out)
    assert code == 0 and len(doc["units"]) == 8
    assert all(u["basis"] == "area" and 0 <= u["covered_share"] <= 1 for u in doc["units"])
    code, out, _ = run(capsys, "coverage", "--db", sample_db, "--surface")
    assert code == 0 and "cứng hóa 24,66/38,39 km" in out
    assert run(capsys, "coverage", "--db", sample_db, "--type", "spaceport")[0] == 2
    assert run(capsys, "coverage", "--db", sample_db, "--type", "market",
               "--within", "far")[0] == 2


def test_export_and_table_commands(sample_db, tmp_path, capsys):
    import zipfile

    code, out, _ = run(capsys, "export", "--db", sample_db, "--format", "shp", "--out",
                       tmp_path / "d.zip", "--layers", "roads,tree_lined", "--json")
    result = json.loads(out)
    assert code == 0 and result["crs"] == "EPSG:5899"
    assert set(result["layers"]) == {"roads", "tree_lined"}
    names = zipfile.ZipFile(tmp_path / "d.zip").namelist()
    assert {"roads.cpg", "roads.prj", "tree_lined.shp", "data_dictionary.csv"} <= set(names)
    code, out, _ = run(capsys, "table", "--db", sample_db, "--out", tmp_path / "t.xlsx")
    assert code == 0 and (tmp_path / "t.xlsx").stat().st_size > 0
    code, _, err = run(capsys, "export", "--db", sample_db, "--format", "shp", "--out",
                       tmp_path / "e.zip", "--crs", "EPSG:6959")
    # the reason is in Vietnamese now (the catalogue has it): "deprecated" is "đã bị loại bỏ"
    assert code != 0 and "đã bị loại bỏ" in err and not (tmp_path / "e.zip").exists()


def test_greening_from_files(tmp_path, capsys):
    # a straight 1 km road near Đam Rông, and a chainage table covering Km0+200 → Km0+700
    x0, y0 = 583000.0, 1338000.0
    roads = gpd.GeoDataFrame({"dist_code": ["674"], "road_code": ["ĐH99"], "road_class": ["ĐH"]},
                             geometry=[LineString([(x0, y0), (x0 + 1000, y0)])],
                             crs="EPSG:5899").to_crs("EPSG:4326")
    roads.to_file(tmp_path / "roads.geojson")
    table = tmp_path / "notes.csv"
    table.write_text("dist_code,road_code,from,to,side\n674,ĐH99,Km0+200,Km0+700,phải\n",
                     encoding="utf-8")
    code, out, err = run(capsys, "greening", "--roads", tmp_path / "roads.geojson",
                         "--survey", table, "--date", "2024-05-01", "--crs", "EPSG:5899",
                         "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == {"roads", "total", "unmatched"}
    (road,) = doc["roads"]
    assert road["greened_km"] == pytest.approx(0.5, abs=0.001)
    assert [s["label"] for s in road["stretches"]] == ["Km0+200 → Km0+700"]
    assert road["gaps"][0]["label"] == "Km0+700 → Km1+000"  # longest first (300 m)
    assert doc["total"]["met"] is True and doc["total"]["shortfall_km"] == pytest.approx(0)
    code, out, _ = run(capsys, "--lang", "en", "greening", "--roads", tmp_path / "roads.geojson",
                       "--survey", table, "--date", "2024-05-01")
    assert code == 0 and "Total: 0.50/1.00 km, 50.00% (threshold 50%): Met" in out


def test_greening_usage(tmp_path, capsys):
    assert run(capsys, "greening")[0] == 2
    assert run(capsys, "greening", "--db", tmp_path / "x.gpkg", "--roads", "r.geojson")[0] == 2


def test_greening_from_the_store(sample_db, capsys):
    code, out, _ = run(capsys, "greening", "--db", sample_db, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["total"]["ratio"] == pytest.approx(0.2665, abs=0.0005)
    assert doc["unmatched"]["count"] >= 1  # the row 150 m from every road


@pytest.mark.parametrize("command", ["status", "progress", "table", "info"])
def test_a_missing_db_is_a_usage_error_in_vietnamese(capsys, command):
    # click >= 8.3 took an explicit default=None as a value: --db reached the command as None
    code, _, err = run(capsys, command)
    assert code == 2
    assert "Lỗi: Thiếu tùy chọn '--db'." in err
    assert f"Xem 'ntmgeo {command} --help' để được hướng dẫn." in err


def test_click_messages_follow_the_language(capsys):
    code, _, err = run(capsys, "--lang", "en", "statu")
    assert code == 2 and "Error: No such command 'statu'. Did you mean 'status'?" in err
    code, _, err = run(capsys, "statu")
    assert code == 2 and "Lỗi: Không có lệnh 'statu'. Có phải ý bạn là 'status'?" in err
    code, _, err = run(capsys, "status", "--db", "x.gpkg", "--level", "xa")
    assert code == 2 and "Giá trị không hợp lệ cho '--level'" in err


def test_targets_name_the_units_the_store_lacks_in_words(capsys, sample_db, monkeypatch):
    from ntmgeo import settings

    monkeypatch.setattr(settings, "lang", settings.lang)  # restored after the English run
    code, out, _ = run(capsys, "targets", "--db", str(sample_db), "--unit", "68",
                       "--level", "province")
    assert code == 0
    assert "kho dữ liệu chỉ có 8/111 xã;" in out and "kho dữ liệu chỉ có 1/12 huyện;" in out
    code, out, _ = run(capsys, "--lang", "en", "targets", "--db", str(sample_db), "--unit", "68",
                       "--level", "province")
    assert "only 8 of 111 communes" in out and "only 1 of 12 districts" in out


def test_report_table_records_a_workbook_of_communes_by_criteria(capsys, sample_db, tmp_path):
    """`ntmgeo report-table`: an XLSX of communes × criteria (headings in Vietnamese), all or
    nothing; the counts then show in `status --level commune` and `table` (XLSX).
    """
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã xã", "Tên xã", "11", "2"])
    ws.append(["24856", "Đạ Long", "Đạt", "đạt"])
    ws.append(["24874", "Liêng Srônh", "Chưa đạt", ""])
    path = tmp_path / "tieu_chi.xlsx"
    wb.save(path)
    code, out, _ = run(capsys, "report-table", str(path), "--db", str(sample_db), "--date",
                       "2024-06-30", "--source", "Biểu tổng hợp")
    assert code == 0 and "3" in out
    code, out, _ = run(capsys, "status", "--level", "commune", "--db", str(sample_db),
                       "--as-of", "2024-07-01")
    assert code == 0 and "19/19" in out and "18/19" in out and "18,50" in out
    xlsx = tmp_path / "t.xlsx"
    code, _, _ = run(capsys, "table", "--db", str(sample_db), "--level", "commune",
                     "--as-of", "2024-07-01", "--format", "xlsx", "--out", str(xlsx))
    assert code == 0
    cells = [c for row in openpyxl.load_workbook(xlsx).worksheets[0].iter_rows(values_only=True)
             for c in row if c]
    assert "19/19" in cells and any("18,5" in str(c) for c in cells)
    # a bad cell: one line naming row and column, nothing stored
    ws.append(["24889", "Đạ K'Nàng", "chắc đạt", ""])
    wb.save(path)
    before = store_fingerprint(sample_db)
    code, _, err = run(capsys, "report-table", str(path), "--db", str(sample_db), "--date",
                       "2024-07-31", "--source", "x")
    assert code != 0 and "4" in err and "'11'" in err
    assert store_fingerprint(sample_db) == before


# ------------------------------------------------------------------ tables (XLSX, CSV)


def _status_xlsx(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã xã", "Tên xã", "Tính đến ngày", "Mức đạt", "Kinh phí"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def units_db(tmp_path, capsys):
    path = tmp_path / "u.gpkg"
    assert run(capsys, "init", path, "--province", "67")[0] == 0
    units = write_geojson(tmp_path / "units.geojson", [
        {"type": "Feature", "properties": {"code": "24700", "level": "commune",
                                           "name": "Đắk Song", "valid_from": "2008-01-01"},
         "geometry": {"type": "Polygon", "coordinates": _square()}}])
    assert run(capsys, "import", "admin_units", units, "--db", path)[0] == 0
    return path


def test_import_a_status_table(units_db, tmp_path, capsys):
    table = _status_xlsx(tmp_path / "trạng thái.xlsx",
                         [["24700", "Đắk Song", "31/12/2024", "Đạt chuẩn NTM", 12]])
    before = store_fingerprint(units_db)
    code, out, err = run(capsys, "import", "unit_status", table, "--db", units_db)
    assert code == 3 and err.count("\n") == 1
    assert "cột 'Kinh phí' không khớp trường nào của 'unit_status'" in err
    assert store_fingerprint(units_db) == before
    code, out, err = run(capsys, "import", "unit_status", table, "--db", units_db,
                         "--map", "Kinh phí=note")
    assert code == 0, err
    assert "Đã nhập 1 dòng vào bảng bản ghi 'unit_status' từ trạng thái.xlsx" in out
    code, out, _ = run(capsys, "--lang", "en", "status", "--db", units_db, "--level", "commune",
                       "--json")
    assert code == 0 and '"ntm"' in out


def test_import_a_bad_status_row(units_db, tmp_path, capsys):
    table = _status_xlsx(tmp_path / "tt.xlsx", [["24700", "Đắk Song", "31/12/2024", "NTM", 1],
                                                ["24700", "Đắk Song", "ngày mai", "NTM", 2]])
    before = store_fingerprint(units_db)
    code, _, err = run(capsys, "import", "unit_status", table, "--db", units_db,
                       "--map", "Kinh phí=note")
    assert code == 3 and err.count("\n") == 1
    assert "tt.xlsx[Sheet]: dòng 3, cột 'Tính đến ngày': giá trị 'ngày mai'" in err
    assert store_fingerprint(units_db) == before
    assert run(capsys, "import", "unit_status", table, "--db", units_db, "--map", "Kinh phí")[0] \
        == 2
    code, _, err = run(capsys, "import", "unit_status", table, "--db", units_db, "--replace")
    assert code == 3 and "giữ lịch sử" in err


@pytest.mark.parametrize(("lang", "words"), [
    ("vi", ('giữ cột bằng --extra', '--map "Số hộ hưởng lợi=TRƯỜNG"')),
    ("en", ("keep it with --extra", '--map "Số hộ hưởng lợi=FIELD"'))])
def test_an_unknown_column_says_how_to_keep_or_map_it(db, tmp_path, capsys, lang, words):
    import openpyxl
    path = tmp_path / "works.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Mã công trình", "Tên công trình", "Số hộ hưởng lợi"])
    wb.active.append(["w1", "Đường nội đồng", 40])
    wb.save(path)
    before = store_fingerprint(db)
    code, _out, err = run(capsys, "--lang", lang, "import", "works", str(path), "--db", db)
    assert code == 3
    line = err.strip()
    assert len(line.splitlines()) == 1 and "Số hộ hưởng lợi" in line
    assert all(w in line for w in words), line
    assert store_fingerprint(db) == before
    assert run(capsys, "import", "works", str(path), "--db", db, "--extra")[0] == 0
