"""Chainage tables (ntmgeo.chainage): survey teams' notes ("ĐH42, Km0+100 → Km0+600, bên phải")
turned into survey lines cut along the stored road, with known lengths in EPSG:5899.

The spellings of one road code in a table are in tests/test_codes.py; the chainage text itself
("Km4+00", plain metres) in tests/test_linref.py; the CLI and the upload page use these
functions (tests/test_cli.py, tests/web/test_app.py).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from ntmgeo import chainage, settings
from ntmgeo._errors import InputError
from ntmgeo.i18n import describe_error

CRS_M = "EPSG:5899"
X0, Y0 = 583000.0, 1338000.0  # near Đam Rông, in EPSG:5899


def _roads(*rows: tuple[str, str, list[tuple[float, float]]]) -> gpd.GeoDataFrame:
    """Road features (dist_code, road_code, coordinates relative to X0, Y0), stored in WGS 84."""
    lines = [LineString([(X0 + x, Y0 + y) for x, y in coords]) for _, _, coords in rows]
    return gpd.GeoDataFrame({"dist_code": [r[0] for r in rows], "road_code": [r[1] for r in rows]},
                            geometry=lines, crs=CRS_M).to_crs("EPSG:4326")


# ĐH42 of district 674: 2 km, digitised in two features (east 1 km, then north 1 km);
# ĐH46 exists in two districts (674: 1.5 km, 999: 3 km); ĐH47 is two parts 500 m apart.
ROADS = _roads(("674", "ĐH42", [(0, 0), (1000, 0)]),
               ("674", "ĐH42", [(1000, 0), (1000, 1000)]),
               ("674", "ĐH46", [(0, -2000), (1500, -2000)]),
               ("999", "ĐH46", [(0, -4000), (3000, -4000)]),
               ("674", "ĐH47", [(0, 3000), (1000, 3000)]),
               ("674", "ĐH47", [(1500, 3000), (2500, 3000)]))


def _table(tmp_path, text: str, name: str = "notes.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _lines(tmp_path, text: str, roads: gpd.GeoDataFrame = ROADS) -> gpd.GeoDataFrame:
    path = _table(tmp_path, text)
    return chainage.surveys_from_chainage(chainage.read_chainage_table(path), roads,
                                          crs=CRS_M, source=str(path))


# -------------------------------------------------------------------------- known lengths
def test_rows_become_the_stretch_of_the_road_between_the_chainages(tmp_path):
    out = _lines(tmp_path, "dist_code,road_code,from,to,side\n"
                           "674,ĐH42,Km0+100,Km0+600,phải\n"
                           "674,ĐH42,0,250,trái\n"
                           "674,ĐH42,Km1+500,Km2+000,hai bên\n"
                           "674,ĐH46,Km0+000,Km1+500,\n")
    assert out.crs.equals(ROADS.crs)  # given back in the roads' CRS
    metric = out.to_crs(CRS_M)
    assert metric.length.round(3).tolist() == [500.0, 250.0, 500.0, 1500.0]
    first = metric.geometry.iloc[0]
    assert Point(first.coords[0]).distance(Point(X0 + 100, Y0)) < 0.001
    assert Point(first.coords[-1]).distance(Point(X0 + 600, Y0)) < 0.001
    # Km1+500 → Km2+000 is on the second feature, going north
    third = metric.geometry.iloc[2]
    assert Point(third.coords[0]).distance(Point(X0 + 1000, Y0 + 500)) < 0.001
    assert Point(third.coords[-1]).distance(Point(X0 + 1000, Y0 + 1000)) < 0.001
    assert out["side"].tolist()[:3] == ["right", "left", "both"]
    assert pd.isna(out["side"].iloc[3])  # no side written: none guessed
    assert out["source_file"].tolist() == ["notes.csv"] * 4
    assert "from" not in out.columns and "to" not in out.columns


def test_a_stretch_across_the_join_of_two_features_follows_the_road(tmp_path):
    out = _lines(tmp_path, "dist_code,road_code,from,to\n674,ĐH42,Km0+900,Km1+100\n")
    line = out.to_crs(CRS_M).geometry.iloc[0]
    assert line.length == pytest.approx(200, abs=0.001)
    assert line.distance(Point(X0 + 1000, Y0)) < 0.001  # through the corner
    assert line.distance(Point(X0 + 900, Y0)) < 0.001
    assert line.distance(Point(X0 + 1000, Y0 + 100)) < 0.001


def test_the_gap_between_two_parts_of_a_road_is_not_chainage(tmp_path):
    # ĐH47: Km0+000..Km1+000 is the first part, Km1+000..Km2+000 the second (500 m away)
    out = _lines(tmp_path, "dist_code,road_code,from,to\n674,ĐH47,Km0+900,Km1+100\n"
                           "674,ĐH47,Km1+200,Km2+000\n")
    metric = out.to_crs(CRS_M)
    assert metric.length.round(3).tolist() == [200.0, 800.0]
    assert metric.geometry.iloc[0].geom_type == "MultiLineString"
    assert metric.geometry.iloc[0].distance(Point(X0 + 1250, Y0 + 3000)) > 200  # not the gap
    second = metric.geometry.iloc[1]
    assert Point(second.coords[0]).distance(Point(X0 + 1700, Y0 + 3000)) < 0.001


def test_the_same_code_in_two_districts_never_mixes(tmp_path):
    out = _lines(tmp_path, "dist_code,road_code,from,to\n674,ĐH46,0,1500\n999,ĐH46,0,3000\n")
    metric = out.to_crs(CRS_M)
    assert metric.length.round(3).tolist() == [1500.0, 3000.0]
    assert metric.geometry.iloc[0].distance(Point(X0 + 700, Y0 - 2000)) < 0.001
    assert metric.geometry.iloc[1].distance(Point(X0 + 700, Y0 - 4000)) < 0.001


def test_a_row_without_district_takes_the_one_road_of_its_code(tmp_path):
    out = _lines(tmp_path, "dist_code,road_code,from,to\n,ĐH42,Km0+000,Km1+000\n")
    assert out.to_crs(CRS_M).length.round(3).tolist() == [1000.0]


def test_a_to_within_a_metre_past_the_end_is_the_end(tmp_path):
    # a chainage measured with a wheel on the ground ends a little past the drawn road
    out = _lines(tmp_path, "dist_code,road_code,from,to\n674,ĐH46,Km1+000,1500.8\n")
    assert out.to_crs(CRS_M).length.round(3).tolist() == [500.0]


# ----------------------------------------------------------- rows as survey teams write them
def test_rows_as_people_write_them(tmp_path):
    # Vietnamese headers, a BOM from Excel, spaces, "km 1+250", capitalised sides, extra
    # columns carried through
    path = tmp_path / "ghi_chep.csv"
    path.write_bytes(
        ("\ufeffdist_code,road_code,Từ,Đến,side,survey_id,surveyor\n"
         "674, ĐH42 , km 1+250 ,Km1+750,Phải,KS-1,Nguyễn Văn A\n"
         "674,ĐH42,Km0,Km0+300,TRÁI,KS-2,Trần Thị B\n"
         "674,dh 46,Km0+000.5,750 m,Hai bên,KS-3,\n").encode("utf-8"))
    assert chainage.is_chainage_table(path)
    table = chainage.read_chainage_table(path)
    assert {"from", "to"} <= set(table.columns)
    out = chainage.surveys_from_chainage(table, ROADS, crs=CRS_M, source=str(path))
    assert out.to_crs(CRS_M).length.round(3).tolist() == [500.0, 300.0, 749.5]
    assert out["side"].tolist() == ["right", "left", "both"]
    assert out["survey_id"].tolist() == ["KS-1", "KS-2", "KS-3"]
    assert out["surveyor"].tolist()[0] == "Nguyễn Văn A"
    assert out["source_file"].unique().tolist() == ["ghi_chep.csv"]


@pytest.mark.parametrize(("header", "expected"), [
    ("dist_code,road_code,from,to,side", True),
    ("road_code,Từ,Đến", True),
    ("Road_Code, From_m , To_m", True),
    ("road_code,tu,den", True),
    ("road_code,km_from,km_to", True),
    ("dist_code,road_code,from", False),   # no 'to'
    ("dist_code,from,to", False),          # no road
    ("lon,lat,survey_id", False),
])
def test_a_chainage_table_is_told_by_its_header(tmp_path, header, expected):
    path = _table(tmp_path, header + "\n")
    assert chainage.is_chainage_table(path) is expected


def test_only_csv_files_are_chainage_tables(tmp_path):
    assert not chainage.is_chainage_table(_table(tmp_path, "road_code,from,to\n", "t.txt"))
    assert not chainage.is_chainage_table(tmp_path / "missing.csv")
    assert chainage.is_chainage_table(_table(tmp_path, "road_code,from,to\n", "T.CSV"))


# ------------------------------------------------------------------------- bad rows refused
@pytest.mark.parametrize(("row", "field", "says"), [
    ("674,ĐH99,0,100", "road_code", "no road (674, ĐH99) in the roads layer"),
    ("999,ĐH42,0,100", "road_code", "no road (999, ĐH42)"),   # ĐH42 is 674's
    (",ĐH46,0,100", "road_code", "no road (, ĐH46)"),          # two districts have an ĐH46
    ("674,ĐH42,Km0+600,Km0+100", "from/to", "'from' (Km0+600) must come before 'to' (Km0+100)"),
    ("674,ĐH42,Km0+100,Km0+100", "from/to", "must come before"),
    ("674,ĐH42,Km0+100,Km2+500", "to", "'to' (Km2+500) is beyond the road's end (2000 m)"),
    ("674,ĐH42,Km0+100,2002", "to", "beyond the road's end"),
    ("674,ĐH42,Km-1,Km0+100", "from/to", "Km-1"),
    ("674,ĐH42,\"0,5\",1000", "from/to", "0,5"),   # a decimal comma: metres or kilometres?
    ("674,ĐH42,,1000", "from/to", "chainage"),
])
def test_a_bad_row_is_refused_naming_the_row_and_the_field(tmp_path, row, field, says):
    text = "dist_code,road_code,from,to\n674,ĐH42,0,100\n674,ĐH46,0,100\n" + row + "\n"
    with pytest.raises(InputError) as info:
        _lines(tmp_path, text)
    exc = info.value
    assert exc.feature == 3 and exc.field == field  # the third row, after two good ones
    assert says in exc.reason
    line = describe_error(exc, "en")
    assert line.startswith(f"{tmp_path / 'notes.csv'}: feature 3: field '{field}': ")


def test_an_empty_table_is_refused(tmp_path):
    with pytest.raises(InputError, match="contains no rows") as info:
        _lines(tmp_path, "dist_code,road_code,from,to\n")
    assert info.value.path == str(tmp_path / "notes.csv")
    assert chainage.surveys_from_chainage(
        pd.DataFrame({"road_code": ["ĐH42"], "from": ["0"], "to": ["10"]}), ROADS,
        crs=CRS_M).to_crs(CRS_M).length.round(3).tolist() == [10.0]


def test_a_table_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "cp1258.csv"
    path.write_bytes("road_code,from,to\nĐH42,0,100\n".encode("cp1258"))
    with pytest.raises(InputError, match="cannot be read as UTF-8 CSV") as info:
        chainage.read_chainage_table(path)
    assert info.value.path == str(path)


def test_a_table_over_the_size_limit_is_refused_before_being_read(tmp_path, monkeypatch):
    path = _table(tmp_path, "road_code,from,to\nĐH42,0,100\n")
    monkeypatch.setattr(settings, "max_input_bytes", 10)
    with pytest.raises(InputError, match="larger than the limit"):
        chainage.read_chainage_table(path)
