"""Blank XLSX forms (ntmgeo/forms.py): every heading is read back as its field."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ntmgeo import forms, ingest, layers
from ntmgeo._errors import InputError
from ntmgeo.cli import main
from ntmgeo.store import RECORD_TABLES


@pytest.mark.parametrize("name", layers.layer_names())
def test_a_layer_form_heads_each_field_with_a_heading_the_importer_reads(name: str,
                                                                         tmp_path: Path):
    path = forms.write_form(name, tmp_path / f"{name}.xlsx", lang="vi")
    wb = openpyxl.load_workbook(path)
    headings = [c.value for c in wb.worksheets[0][1]]
    schema = layers.load_schema(name)
    fields = [h for h in headings if h not in layers.coordinate_headings("lon")
              + layers.coordinate_headings("lat")]
    mapped = layers.column_map(schema, fields)
    assert sorted(mapped.values()) == sorted(f.name for f in forms.form_fields(name))
    assert len(wb.worksheets[1]["A"]) >= len(fields) + 1  # a guide row per field


@pytest.mark.parametrize("name", ingest.importable())
def test_a_record_table_form_lists_its_columns(name: str):
    doc = forms.form_rows(name, "vi")
    assert len(doc["headings"]) == len([c for c, _ in RECORD_TABLES[name]
                                        if c != "recorded_at"])
    assert [row[1] for row in doc["guide"]] == [f.name for f in forms.form_fields(name)]


def test_a_form_in_english_has_english_headings():
    schema = layers.load_schema("works")
    assert forms.form_rows("works", "en")["headings"][:2] == [
        schema.field("work_id").label["en"], schema.field("name").label["en"]]
    assert forms.form_rows("works", "vi")["headings"][:2] == ["Mã công trình", "Tên công trình"]


def test_the_guide_gives_accepted_values_and_required_marks():
    doc = forms.form_rows("sites", "vi")
    by_field = {row[1]: row for row in doc["guide"]}
    assert "Hoàn thành (completed)" in by_field["status"][4]
    assert by_field["name"][3] == "có" and by_field["note"][3] == ""
    assert "lon" in by_field and by_field["lon"][3] == "có"  # sites need a geometry


def test_users_and_the_import_log_have_no_form():
    with pytest.raises(InputError):
        forms.form_fields("users")


def test_a_filled_works_form_imports(tmp_path: Path, empty_store):
    path = forms.write_form("works", tmp_path / "works.xlsx", lang="vi")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    headings = [c.value for c in ws[1]]
    row = {"Mã công trình": "CT01", "Tên công trình": "Nhà văn hóa bản Hon",
           "Nguồn vốn": "ntm", "Kinh phí (triệu đồng)": "1.250,5", "Tình trạng": "completed",
           "Kinh độ": 103.5, "Vĩ độ": 22.35}
    ws.append([row.get(h) for h in headings])
    wb.save(path)
    assert ingest.import_file(empty_store, "works", path).count == 1
    works = empty_store.read_layer("works")
    assert works["amount_million_vnd"].iloc[0] == pytest.approx(1250.5)
    assert works.geometry.iloc[0].x == pytest.approx(103.5)


def test_cli_form_writes_and_refuses_an_unknown_name(tmp_path: Path, capsys):
    out = tmp_path / "f.xlsx"
    assert main(["form", "works", str(out)]) == 0
    assert out.is_file()
    assert main(["form", "nothing", str(tmp_path / "g.xlsx")]) == 3
    err = capsys.readouterr().err
    assert "nothing" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "g.xlsx").exists()
