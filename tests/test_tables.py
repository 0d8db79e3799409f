"""Tables a district office keeps (XLSX, CSV) read into rows of text, their Vietnamese headings
matched by alias, and imported into layers and record tables: a column no field takes is
refused, kept as ``extra`` or mapped; a bad row is named by row and column, and nothing is
stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntmgeo import ingest, layers, tables
from ntmgeo._errors import InputError
from ntmgeo.i18n import describe_error
from ntmgeo.layers import heading_key
from ntmgeo.store.gpkg import GpkgStore

from geodata import LAT, LON, store_fingerprint


def _xlsx(path, rows, *, title="Trang 1", merges=(), more=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for name, extra_rows in (more or {}).items():
        other = wb.create_sheet(name)
        for row in extra_rows:
            other.append(row)
    wb.save(path)
    return path


# ------------------------------------------------------------------------------ read_rows


class TestXlsx:
    def test_title_section_rows_and_merged_columns(self, tmp_path):
        path = _xlsx(tmp_path / "ct.xlsx", [
            ["DANH MỤC CÔNG TRÌNH NĂM 2025"],                                   # 1 title
            [],                                                                # 2 blank
            ["Tên công trình", "Kinh phí\n(triệu  đồng)", "Thời hạn", "Nguồn vốn"],  # 3
            ["I. Vốn NTM"],                                                    # 4 section
            ["Đường A", 23198, dt.datetime(2025, 6, 30), "NTM"],               # 5
            ["Đường B", 2.5, dt.date(2025, 12, 31), None],                     # 6 (merged D5:D6)
            [None, None, None, None],                                          # 7 blank
            ["Đường C", 7.0, "31/12/2026", "Ngân sách huyện"],                # 8
        ], merges=("A1:D1", "A4:D4", "D5:D6"))
        table = tables.read_rows(path)
        assert table.sheet == "Trang 1" and table.header_row == 3
        assert table.headers == ["Tên công trình", "Kinh phí (triệu đồng)", "Thời hạn",
                                 "Nguồn vốn"]
        assert [n for n, _ in table.rows] == [5, 6, 8]
        assert table.rows[0][1] == {"Tên công trình": "Đường A", "Kinh phí (triệu đồng)": "23198",
                                    "Thời hạn": "2025-06-30", "Nguồn vốn": "NTM"}
        assert table.rows[1][1]["Nguồn vốn"] == "NTM"  # merged down the column
        assert table.rows[1][1]["Kinh phí (triệu đồng)"] == "2,5"  # a number cell: decimal comma
        assert table.rows[2][1]["Kinh phí (triệu đồng)"] == "7"  # no ".0"

    def test_first_non_empty_sheet_or_the_one_named(self, tmp_path):
        path = tmp_path / "two.xlsx"
        wb = openpyxl.Workbook()
        wb.active.title = "Bìa"
        second = wb.create_sheet("Xã")
        second.append(["Mã xã", "Tên xã"])
        second.append(["24700", "Đắk Song"])
        third = wb.create_sheet("Thôn")
        third.append(["Mã thôn", "Tên thôn"])
        third.append([1, "Bon Bu Bơ"])
        wb.save(path)
        assert tables.read_rows(path).sheet == "Xã"
        named = tables.read_rows(path, sheet="Thôn")
        assert named.rows == [(2, {"Mã thôn": "1", "Tên thôn": "Bon Bu Bơ"})]
        with pytest.raises(InputError, match=r"has no sheet 'Huyện' \(sheets: Bìa, Xã, Thôn\)"):
            tables.read_rows(path, sheet="Huyện")

    def test_formula_without_a_computed_value_is_refused(self, tmp_path):
        path = _xlsx(tmp_path / "f.xlsx", [["Tên", "Kinh phí"], ["A", "=1+2"]])
        with pytest.raises(InputError) as exc:
            tables.read_rows(path)
        assert "f.xlsx[Trang 1]: row 2, column B: the formula =1+2 has no computed value" \
            in str(exc.value)

    def test_duplicate_heading_and_headless_column(self, tmp_path):
        dup = _xlsx(tmp_path / "d.xlsx", [["Tên", "Mã", "tên"], ["a", "1", "b"]])
        with pytest.raises(InputError, match=r"row 1: columns A and C have the same heading"):
            tables.read_rows(dup)
        headless = _xlsx(tmp_path / "h.xlsx", [["Tên", "Mã", None], ["a", "1", "x"]])
        with pytest.raises(InputError, match=r"column C has values \(row 2\) but no heading"):
            tables.read_rows(headless)

    def test_not_a_workbook(self, tmp_path):
        path = tmp_path / "x.xlsx"
        path.write_text("Tên,Mã\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"x.xlsx: is not a readable Excel workbook"):
            tables.read_rows(path)

    def test_empty_sheet(self, tmp_path):
        path = _xlsx(tmp_path / "e.xlsx", [[None], []])
        with pytest.raises(InputError, match="holds no table"):
            tables.read_rows(path)


class TestCsv:
    def test_semicolons_bom_and_quoted_delimiters(self, tmp_path):
        path = tmp_path / "s.csv"
        path.write_bytes("Mã xã;Tên\n24700;\"Đắk; Song\"\n\n24701;B\n".encode("utf-8-sig"))
        table = tables.read_rows(path)
        assert table.sheet is None and table.headers == ["Mã xã", "Tên"]
        assert table.rows == [(2, {"Mã xã": "24700", "Tên": "Đắk; Song"}),
                              (4, {"Mã xã": "24701", "Tên": "B"})]

    def test_windows_1258_and_tabs(self, tmp_path):
        path = tmp_path / "w.csv"
        # Windows-1258 writes tones as combining marks: "Đa" + dot below
        path.write_bytes("Ma\u0303\tTên xa\u0303\n1\tĐa\u0323 Long\n".encode("cp1258"))
        assert tables.read_rows(path).rows == [(2, {"Mã": "1", "Tên xã": "Đạ Long"})]

    def test_nfc(self, tmp_path):
        import unicodedata

        path = tmp_path / "n.csv"
        path.write_text(unicodedata.normalize("NFD", "Tên,Tình trạng\nChợ,Hoàn thành\n"),
                        encoding="utf-8")
        table = tables.read_rows(path)
        assert table.headers == ["Tên", "Tình trạng"]
        assert table.rows[0][1]["Tình trạng"] == "Hoàn thành"

    def test_ragged_row_is_refused(self, tmp_path):
        path = tmp_path / "r.csv"
        path.write_text("a,b,c\n1,2,3\n1,2\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"r.csv: row 3 has 2 fields, the header \(row 1\) "
                                             r"has 3"):
            tables.read_rows(path)

    def test_a_csv_has_no_sheets(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text("a,b\n1,2\n", encoding="utf-8")
        with pytest.raises(InputError, match="has no sheets"):
            tables.read_rows(path, sheet="x")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_whole_numbers_read_without_a_decimal_point(n):
    assert tables.canonical(float(n)) == tables.canonical(n) == str(n)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_read_as_iso(day):
    midnight = dt.datetime.combine(day, dt.time(0, 0))
    assert tables.canonical(day) == tables.canonical(midnight) == day.isoformat()


_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ" \
           "ùúủũụừứửữựỳýỷỹỵ"
_HEADINGS = st.text(alphabet=_LETTERS + _LETTERS.upper() + " _-().,\n", min_size=1, max_size=30)


@given(_HEADINGS)
def test_heading_key_ignores_case_spacing_and_punctuation_not_diacritics(text):
    key = heading_key(text)
    assert heading_key(key) == key
    assert heading_key(text.upper()) == heading_key(text.lower()) == key
    assert heading_key(" _ " + text.replace(" ", "  ") + " (") == key


def test_heading_key_keeps_diacritics():
    assert heading_key("Mã") != heading_key("Ma") and heading_key("Đạt") != heading_key("Dat")
    assert heading_key("KINH PHÍ (TRIỆU ĐỒNG)") == heading_key("kinh_phí_triệu_đồng")


def test_no_two_fields_of_a_layer_or_record_table_share_a_heading():
    for name, fields in [*((s.name, s.fields) for s in layers.all_schemas()),
                         *((t, ingest.record_fields(t)[0]) for t in ingest.importable())]:
        owners = defaultdict(set)
        for f in fields:
            for key in layers.field_keys(f):
                owners[key].add(f.name)
        assert {k: v for k, v in owners.items() if len(v) > 1} == {}, name


def test_every_layer_keeps_extra_columns():
    for schema in layers.all_schemas():
        assert schema.field(layers.EXTRA_FIELD).type == "text" and \
            not schema.field(layers.EXTRA_FIELD).required


# ------------------------------------------------------------------------------ imports


@pytest.fixture
def store(tmp_path):
    return GpkgStore.create(tmp_path / "p.gpkg", prov_code="68")


SITES_HEADINGS = ["Mã công trình", "Tên công trình", "Loại công trình", "Tình trạng",
                  "Thời hạn", "Kinh độ", "Vĩ độ"]


def _sites_xlsx(path, *extra_columns, rows=None):
    head = [*SITES_HEADINGS, *(c for c, _ in extra_columns)]
    body = rows or [["s1", "Chợ Đạ Tông", "Chợ", "Đang thi công", "31/12/2025", LON, LAT],
                    ["s2", "Bến xe", "bus_station", "Hoàn thành", dt.date(2024, 6, 30),
                     LON + 0.01, LAT]]
    body = [[*r, *(v for _, v in extra_columns)] for r in body]
    return _xlsx(path, [head, *body])


class TestLayerImport:
    def test_vietnamese_headings_and_coordinates(self, store, tmp_path):
        result = ingest.import_file(store, "sites", _sites_xlsx(tmp_path / "ct.xlsx"))
        sites = store.read_layer("sites")
        assert result.count == 2 and list(sites["site_id"]) == ["s1", "s2"]
        assert list(sites["site_type"]) == ["market", "bus_station"]
        assert list(sites["status"]) == ["under_construction", "completed"]
        assert list(sites["deadline"]) == ["2025-12-31", "2024-06-30"]
        assert sites.geometry.iloc[0].x == pytest.approx(LON)
        assert store.read_records("imports")["source"].tolist() == ["ct.xlsx"]

    def test_unknown_column_is_refused_by_name(self, store, tmp_path):
        path = _sites_xlsx(tmp_path / "ct.xlsx", ("Kinh phí (triệu đồng)", 500))
        before = store_fingerprint(store.path)
        with pytest.raises(InputError) as exc:
            ingest.import_file(store, "sites", path)
        line = describe_error(exc.value, "vi")
        assert line.startswith(f"{path}[Trang 1]: cột 'Kinh phí (triệu đồng)' không khớp "
                               "trường nào của 'sites'") and "funding" in line
        assert store_fingerprint(store.path) == before

    def test_unknown_column_kept_as_extra(self, store, tmp_path):
        path = _sites_xlsx(tmp_path / "ct.xlsx", ("Kinh phí (triệu đồng)", 500),
                           ("Người theo dõi", "Anh Ba"))
        ingest.import_file(store, "sites", path, extra=True)
        extra = json.loads(store.read_layer("sites")["extra"].iloc[0])
        assert extra == {"Kinh phí (triệu đồng)": "500", "Người theo dõi": "Anh Ba"}

    def test_unknown_column_mapped(self, store, tmp_path):
        path = _sites_xlsx(tmp_path / "ct.xlsx", ("Chủ đầu tư", "UBND huyện"))
        ingest.import_file(store, "sites", path, mapping={"chủ đầu tư": "note"})
        assert store.read_layer("sites")["note"].tolist() == ["UBND huyện"] * 2
        with pytest.raises(InputError, match="'sites' has no field 'owner'"):
            ingest.import_file(store, "sites", path, mapping={"Chủ đầu tư": "owner"})
        with pytest.raises(InputError, match="the file has no column 'Chủ quản'"):
            ingest.import_file(store, "sites", path, mapping={"Chủ quản": "note"})

    def test_bad_row_names_row_and_column_and_stores_nothing(self, store, tmp_path):
        rows = [["s1", "Chợ", "Chợ", "Hoàn thành", "31/12/2025", LON, LAT],
                ["s2", "Bến", "Chợ", "Xong rồi", "31/12/2025", LON, LAT]]
        path = _sites_xlsx(tmp_path / "bảng.xlsx", rows=rows)
        before = store_fingerprint(store.path)
        with pytest.raises(InputError) as exc:
            ingest.import_file(store, "sites", path)
        assert describe_error(exc.value, "vi").startswith(
            f"{path}[Trang 1]: dòng 3, cột 'Tình trạng': giá trị 'Xong rồi' không thuộc")
        assert store_fingerprint(store.path) == before

    def test_duplicate_identity_names_the_rows(self, store, tmp_path):
        rows = [["s1", "Chợ", "Chợ", "Hoàn thành", "31/12/2025", LON, LAT],
                ["S1", "Bến", "Chợ", "Hoàn thành", "31/12/2025", LON, LAT]]
        path = _xlsx(tmp_path / "d.xlsx", [["Danh mục"], SITES_HEADINGS, *rows])
        with pytest.raises(InputError) as exc:
            ingest.import_file(store, "sites", path)
        assert describe_error(exc.value, "vi") == \
            f"{path}[Trang 1]: trùng định danh (site_id=s1): dòng 3 và dòng 4"

    def test_a_table_without_coordinates_needs_an_optional_geometry(self, store, tmp_path):
        path = _xlsx(tmp_path / "t.xlsx", [SITES_HEADINGS[:5],
                                           ["s1", "Chợ", "Chợ", "Hoàn thành", "31/12/2025"]])
        with pytest.raises(InputError, match="no coordinate columns"):
            ingest.import_file(store, "sites", path)

    def test_works_without_geometry(self, store, tmp_path):
        path = _xlsx(tmp_path / "works.xlsx", [
            ["Mã công trình", "Tên công trình", "Kinh phí (triệu đồng)", "Thời hạn", "Mã xã"],
            ["w1", "Nhà văn hóa thôn", 1200, "30/06/2025", "03553"],
            ["w2", "Đường nội đồng", 800, "31/12/2025", "03556"],
        ])
        assert ingest.import_file(store, "works", path).count == 2
        works = store.read_layer("works")
        assert works.geometry.isna().all()
        assert works["amount_million_vnd"].tolist() == [1200.0, 800.0]
        assert works["comm_code"].tolist() == ["03553", "03556"]


class TestOptionalGeometry:
    def test_conform_accepts_no_geometry_only_where_optional(self):
        import geopandas as gpd

        doc = {"name": "things", "title": {"vi": "Vật", "en": "Things"},
               "geometry": {"types": ["Point"], "storage": "POINT", "optional": True},
               "storage_crs": "EPSG:4326", "identity": ["id"],
               "fields": [{"name": "id", "shp_name": "id", "type": "text", "required": True,
                           "label": {"vi": "Mã", "en": "Id"}}]}
        gdf = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[None, None], crs="EPSG:4326")
        out = layers.conform(gdf, layers.parse_schema(doc))
        assert out.geometry.isna().all() and out["id"].tolist() == ["a", "b"]
        doc["geometry"]["optional"] = False
        with pytest.raises(InputError, match="has no geometry"):
            layers.conform(gdf, layers.parse_schema(doc))


# ------------------------------------------------------------------------------ record tables


@pytest.fixture
def units_store(store, tmp_path):
    from geodata import write_geojson

    square = [[[LON, LAT], [LON + .01, LAT], [LON + .01, LAT + .01], [LON, LAT + .01],
               [LON, LAT]]]
    features = [{"type": "Feature", "properties": {"code": code, "level": "commune",
                                                   "name": name, "valid_from": "2008-01-01"},
                 "geometry": {"type": "Polygon", "coordinates": square}}
                for code, name in (("24700", "Đắk Song"), ("24701", "Nâm N'Jang"))]
    ingest.import_file(store, "admin_units", write_geojson(tmp_path / "u.geojson", features))
    return store


def _status_csv(path, *lines):
    path.write_bytes(("Mã xã;Tên xã;Tính đến ngày;Mức đạt;Số tiêu chí đạt;Tổng số tiêu chí\n"
                      + "".join(line + "\n" for line in lines)).encode("utf-8-sig"))
    return path


class TestRecordImport:
    def test_unit_status_from_vietnamese_csv(self, units_store, tmp_path):
        path = _status_csv(tmp_path / "tt.csv", "24700;Đắk Song;31/12/2024;Đạt chuẩn NTM;19;19",
                           "24701;Nâm N'Jang;31/12/2024;NTM nâng cao;19;19")
        result = ingest.import_file(units_store, "unit_status", path, user="thu")
        rows = units_store.read_records("unit_status")
        assert result.count == 2
        assert rows["unit_code"].tolist() == ["24700", "24701"]
        assert rows["ntm_level"].tolist() == ["ntm", "ntm_nang_cao"]
        assert rows["as_of"].tolist() == ["2024-12-31"] * 2
        assert rows["unit_valid_from"].tolist() == ["2008-01-01"] * 2
        assert rows["criteria_met"].tolist() == [19, 19]
        assert rows["source"].tolist() == ["tt.csv"] * 2
        log = units_store.read_records("imports").iloc[-1]
        assert (log["layer"], log["source"], log["features"], log["user"]) == \
            ("unit_status", "tt.csv", 2, "thu")

    @pytest.mark.parametrize(("line", "words"), [
        ("24700;Đắk Song;31/12/2024;Gần đạt;19;19",
         "dòng 3, cột 'Mức đạt': giá trị 'Gần đạt' không thuộc"),
        ("24700;Đắk Song;31/12/2024;NTM;mười;19", "dòng 3, cột 'Số tiêu chí đạt'"),
        ("24700;Đắk Song;31/13/2024;NTM;19;19", "dòng 3, cột 'Tính đến ngày'"),
        ("24799;Không có;31/12/2024;NTM;19;19",
         "dòng 3, cột 'Mã xã': kho không có đơn vị 24799"),
        (";Đắk Song;31/12/2024;NTM;19;19", "dòng 3, cột 'Mã xã'"),
    ])
    def test_a_bad_row_is_named_and_nothing_is_stored(self, units_store, tmp_path, line,
                                                      words):
        path = _status_csv(tmp_path / "tt.csv", "24701;Nâm N'Jang;31/12/2024;NTM;19;19", line)
        before = store_fingerprint(units_store.path)
        with pytest.raises(InputError) as exc:
            ingest.import_file(units_store, "unit_status", path)
        assert describe_error(exc.value, "vi").startswith(f"{path}: {words}")
        assert store_fingerprint(units_store.path) == before

    def test_unknown_column_refused_and_mapped(self, units_store, tmp_path):
        path = tmp_path / "tt.csv"
        path.write_text("Mã xã,Ngày,Mức đạt,Người báo cáo\n24700,2024-12-31,NTM,Anh Ba\n",
                        encoding="utf-8")
        with pytest.raises(InputError, match="column 'Người báo cáo' matches no field of "
                                             "'unit_status'"):
            ingest.import_file(units_store, "unit_status", path)
        with pytest.raises(InputError, match="'unit_status' keeps no extra columns"):
            ingest.import_file(units_store, "unit_status", path, extra=True)
        ingest.import_file(units_store, "unit_status", path, mapping={"Người báo cáo": "note"})
        assert units_store.read_records("unit_status")["note"].tolist() == ["Anh Ba"]

    def test_required_column_missing(self, units_store, tmp_path):
        path = tmp_path / "tt.csv"
        path.write_text("Mã xã,Mức đạt\n24700,NTM\n", encoding="utf-8")
        with pytest.raises(InputError, match="has no column for 'as_of'"):
            ingest.import_file(units_store, "unit_status", path)

    def test_records_are_added_never_replaced_and_not_from_geometry_files(self, units_store,
                                                                          tmp_path):
        path = _status_csv(tmp_path / "tt.csv", "24700;Đắk Song;31/12/2024;NTM;19;19")
        with pytest.raises(InputError, match="keeps its history"):
            ingest.import_file(units_store, "unit_status", path, replace=True)
        with pytest.raises(InputError, match="is imported from a table"):
            ingest.import_file(units_store, "unit_status", tmp_path / "u.geojson")
        with pytest.raises(InputError, match="'users' is not imported from files"):
            ingest.import_file(units_store, "users", path)

    def test_reported_criteria_from_xlsx(self, units_store, tmp_path):
        path = _xlsx(tmp_path / "tc.xlsx", [
            ["Mã xã", "Tiêu chí", "Kết quả", "Ngày"],
            ["24700", "2", "Đạt", dt.date(2024, 12, 31)],
            ["24701", "17", "Chưa đạt", dt.date(2024, 12, 31)],
        ])
        ingest.import_file(units_store, "reported_criteria", path)
        rows = units_store.read_records("reported_criteria")
        assert rows["criterion_id"].tolist() == ["2", "17"]
        assert rows["met"].tolist() == [True, False]
        assert rows["criteria_set"].tolist() == ["vn-commune-2021-2025"] * 2

    def test_an_indicator_the_set_lacks_is_named(self, units_store, tmp_path):
        path = _xlsx(tmp_path / "cs.xlsx", [["Mã xã", "Chỉ tiêu", "Giá trị", "Ngày"],
                                            ["24700", "2.1", "85,5", "31/12/2024"]])
        with pytest.raises(InputError, match=r"row 2, column 'Chỉ tiêu': criteria set "
                                             r"'vn-commune-2021-2025' has no indicator '2.1'"):
            ingest.import_file(units_store, "reported_values", path)
        assert units_store.read_records("reported_values").empty


class TestNumberCells:
    """A number cell of a workbook is unambiguous: 23.198 stays 23.198 for an amount and a
    real alike, while the text "23.198" is read the plans' way (23 198).
    """

    def _read(self, tmp_path, value):
        path = tmp_path / "n.xlsx"
        _xlsx(path, [["Mã công trình", "Kinh phí (triệu đồng)", "Lý trình đầu"],
                     ["w1", value, value]])
        cells = tables.read_rows(path).rows[0][1]
        schema = layers.load_schema("works")
        fields = {f.name: f for f in schema.fields}
        from ntmgeo.fieldvalues import convert_value
        return (convert_value(fields["amount_million_vnd"], cells["Kinh phí (triệu đồng)"]),
                convert_value(fields["from_m"], cells["Lý trình đầu"]),
                cells["Kinh phí (triệu đồng)"])

    def test_a_number_cell_keeps_its_decimals(self, tmp_path):
        amount, real, text = self._read(tmp_path, 23.198)
        assert text == "23,198"
        assert amount == pytest.approx(23.198) and real == pytest.approx(23.198)

    def test_a_text_cell_is_read_with_a_thousands_dot(self, tmp_path):
        amount, _real, text = self._read(tmp_path, "23.198")
        assert text == "23.198" and amount == 23198.0

    def test_a_whole_number_cell(self, tmp_path):
        amount, real, text = self._read(tmp_path, 23198)
        assert text == "23198" and amount == 23198.0 and real == 23198.0

    def test_small_and_large_numbers_have_no_exponent(self):
        assert tables.canonical(1e-05) == "0,00001"
        assert tables.canonical(1.5e20) == "150000000000000000000"
        assert tables.canonical(-2.5) == "-2,5"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).filter(
    lambda x: not x.is_integer()))
def test_a_number_cell_reads_back_as_the_same_number(x):
    from ntmgeo.fieldvalues import _to_amount, _to_number
    text = tables.canonical(x)
    assert "." not in text
    assert _to_amount(text) == x
    assert _to_number(text, integer=False) == x


class TestAllowedValuesByAlias:
    """A cell may name an allowed value by its id, a label or an alias (the schema's, or its
    catalogue's: data/funding_sources.yml for the works' funding); the id is stored.
    """

    def test_funding_and_status_as_a_works_table_writes_them(self, store, tmp_path):
        path = _xlsx(tmp_path / "works.xlsx", [
            ["Mã công trình", "Tên công trình", "Nguồn vốn", "Tình trạng", "Kinh phí"],
            ["w1", "Đường nội đồng", "Vốn NTM", "Đang thi công", 1200],
            ["w2", "Nhà văn hóa", "Nguồn vốn nông thôn mới", "hoàn  thành", 800],
            ["w3", "Trường mầm non", "Ngân sách địa phương; Chương trình MTQG DTTS",
             "Chưa khởi công", 23.198],
            ["w4", "Kênh mương", "ntm|Vốn lồng ghép", "Đã hoàn thành", None],
        ])
        assert ingest.import_file(store, "works", path).count == 4
        works = store.read_layer("works").set_index("work_id")
        assert works.loc["w1", "funding"] == ["ntm"]
        assert works.loc["w2", "funding"] == ["ntm"]
        assert works.loc["w3", "funding"] == ["local_budget", "ethnic_minority"]
        assert works.loc["w4", "funding"] == ["ntm", "integrated"]
        assert works["status"].tolist() == ["under_construction", "completed", "planned",
                                            "completed"]
        assert works.loc["w3", "amount_million_vnd"] == pytest.approx(23.198)

    def test_an_unknown_value_names_row_and_column_and_the_accepted_values(self, store,
                                                                          tmp_path):
        path = _xlsx(tmp_path / "works.xlsx", [
            ["Mã công trình", "Tên công trình", "Nguồn vốn"],
            ["w1", "Đường nội đồng", "Vốn NTM"],
            ["w2", "Nhà văn hóa", "Vốn NTM; Vốn ngoài ngân sách"],
        ])
        before = store_fingerprint(store.path)
        with pytest.raises(InputError) as caught:
            ingest.import_file(store, "works", path)
        text = describe_error(caught.value, "en")
        assert "row 3" in text and "'Nguồn vốn'" in text
        assert "ntm, central_investment" in text and "other" in text
        assert store_fingerprint(store.path) == before

    def test_the_sites_status_by_alias(self, store):
        field = layers.load_schema("sites").field("status")
        assert layers.convert_value(field, "Chưa khởi công") == "planned"
        assert layers.convert_value(field, "ĐANG THI CÔNG") == "under_construction"
        with pytest.raises(ValueError):
            layers.convert_value(field, "Tạm dừng")  # not a status of a site

    def test_one_matching_for_the_works_module_and_the_layer(self):
        field = layers.load_schema("works").field("funding")
        from ntmgeo import works
        for text in ("Vốn NTM", "NS địa phương", "Chương trình MTQG DTTS", "Credit"):
            assert works.funding_id(text) == layers.match_allowed(field, text) is not None


@given(st.sampled_from(["Vốn NTM", "Nguồn vốn nông thôn mới", "Ngân sách địa phương",
                        "Chương trình MTQG DTTS", "Đóng góp"]),
       st.sampled_from([str.upper, str.lower, str.title, lambda s: s]),
       st.sampled_from([" ", "  ", "\u00a0"]))
def test_aliases_match_whatever_the_case_spaces_and_normal_form(text, case, space):
    import unicodedata
    field = layers.load_schema("works").field("funding")
    want = layers.match_allowed(field, text)
    assert want is not None
    variant = unicodedata.normalize("NFD", case(text).replace(" ", space))
    assert layers.match_allowed(field, f" {variant} ") == want


def test_a_number_cell_reads_as_its_number_in_number_fields_and_with_a_point_in_text(
        tmp_path, empty_store):
    """An indicator id typed 2.3 in an English-locale Excel is a number cell: the works'
    indicator list reads "2.3", its amount 23.198 reads 23.198 (not 23,198).
    """
    import openpyxl

    from ntmgeo import ingest

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã công trình", "Tên công trình", "Chỉ tiêu liên quan", "Kinh phí (triệu đồng)",
               "Mã xã"])
    ws.append(["CT01", "Đường", 2.3, 23.198, "03424"])
    ws.append(["CT02", "Chợ", "7.2", "23.198", "03424"])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    ingest.import_file(empty_store, "works", path)
    works = empty_store.read_layer("works").set_index("work_id")
    assert list(works.loc["CT01", "indicator_ids"]) == ["2.3"]
    assert works.loc["CT01", "amount_million_vnd"] == pytest.approx(23.198)
    assert list(works.loc["CT02", "indicator_ids"]) == ["7.2"]
    assert works.loc["CT02", "amount_million_vnd"] == pytest.approx(23198)
