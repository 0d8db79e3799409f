"""Greening from files needs only what it uses: a road its geometry and identity, a survey its
geometry (the layers' ``greening`` profile). Seven cases with known answers, run through
``ntmgeo greening --roads … --survey …`` from files that carry nothing else.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from ntmgeo.cli import main

CRS_M = "EPSG:5899"  # VN-2000 / TM-3 107-45 (Lâm Đồng)
X0, Y0 = 583000.0, 1338000.0


def _line(*pts):
    return LineString([(X0 + x, Y0 + y) for x, y in pts])


def _write(path, columns, geoms):
    """A GeoJSON file (WGS 84, as GeoJSON is) with exactly these columns."""
    gpd.GeoDataFrame(columns, geometry=geoms, crs=CRS_M).to_crs("EPSG:4326").to_file(
        path, driver="GeoJSON")
    return path


def _bare_roads(tmp_path, codes=("ĐH42",), lines=None, dist=True):
    lines = lines or [_line((0, 0), (1000, 0))]
    columns = {"road_code": list(codes)}
    if dist:
        columns = {"dist_code": ["674"] * len(codes), **columns}
    return _write(tmp_path / "roads.geojson", columns, lines)


def _bare_surveys(tmp_path, geoms):
    return _write(tmp_path / "survey.geojson", {}, geoms)


def _greening(capsys, roads, survey, *extra):
    code = main(["greening", "--roads", str(roads), "--survey", str(survey), "--json",
                 "--crs", CRS_M, *map(str, extra)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def _road(doc, code="ĐH42"):
    return next(r for r in doc["roads"] if r["road_code"] == code)


# (name, survey geometries, expected tree-lined metres of ĐH42 0..1000 m)
_CASES = [
    ("a row along half the road", [_line((100, 6), (600, 6))], 500.0),
    ("a row crossing the road", [_line((500, -40), (500, 40))], 0.0),
    ("a row 100 m away", [_line((100, 100), (900, 100))], 0.0),
    ("both sides count once", [_line((100, 6), (600, 6)), _line((100, -6), (600, -6))], 500.0),
    ("overlapping and reversed rows", [_line((100, 6), (600, 6)), _line((800, 5), (400, 5))],
     700.0),
    ("trees every 8 m", [Point(X0 + x, Y0 + 5) for x in range(200, 401, 8)], 200.0),
    ("a row past the road's end", [_line((700, 6), (1300, 6))], 300.0),
]


@pytest.mark.parametrize(("name", "geoms", "metres"), _CASES, ids=[c[0] for c in _CASES])
def test_known_answers_from_files_with_only_geometry_and_identity(tmp_path, capsys, name,
                                                                  geoms, metres):
    doc = _greening(capsys, _bare_roads(tmp_path), _bare_surveys(tmp_path, geoms))
    road = _road(doc)
    assert road["length_km"] == pytest.approx(1.0, abs=1e-6)
    assert road["greened_km"] * 1000 == pytest.approx(metres, abs=0.5)
    assert doc["total"]["as_of"] is None  # no survey date anywhere: none invented


def test_a_road_in_two_features_and_the_same_code_elsewhere(tmp_path, capsys):
    roads = _write(tmp_path / "roads.geojson",
                   {"dist_code": ["674", "674", "675"], "road_code": ["ĐH42", "DH42", "ĐH42"]},
                   [_line((0, 0), (500, 0)), _line((500, 0), (1000, 0)),
                    _line((0, 5000), (1000, 5000))])
    doc = _greening(capsys, roads, _bare_surveys(tmp_path, [_line((100, 6), (900, 6))]))
    assert [(r["dist_code"], r["road_code"], r["length_km"]) for r in doc["roads"]] == [
        ("674", "ĐH42", 1.0), ("675", "ĐH42", 1.0)]
    assert doc["roads"][0]["greened_km"] == pytest.approx(0.8)
    assert doc["roads"][1]["greened_km"] == 0


def test_district_option_stands_for_a_missing_district_code(tmp_path, capsys):
    roads = _bare_roads(tmp_path, dist=False)
    survey = _bare_surveys(tmp_path, [_line((100, 6), (600, 6))])
    doc = _greening(capsys, roads, survey, "--district", "674")
    assert [(r["dist_code"], r["greened_km"]) for r in doc["roads"]] == [("674", 0.5)]


def test_district_option_keeps_only_that_districts_roads(tmp_path, capsys):
    roads = _write(tmp_path / "roads.geojson",
                   {"dist_code": ["674", "675"], "road_code": ["ĐH42", "ĐH42"]},
                   [_line((0, 0), (1000, 0)), _line((0, 5000), (1000, 5000))])
    doc = _greening(capsys, roads, _bare_surveys(tmp_path, [_line((100, 6), (600, 6))]),
                    "--district", "675")
    assert [r["dist_code"] for r in doc["roads"]] == ["675"]


def test_columns_by_alias_and_optional_fields_used_where_present(tmp_path, capsys):
    roads = _write(tmp_path / "roads.geojson",
                   {"DIST_CODE": ["674"], "ma_duong": ["ĐH42"], "surface": ["anything at all"]},
                   [_line((0, 0), (1000, 0))])
    survey = _write(tmp_path / "survey.geojson",
                    {"side": ["left", "right"], "date": ["29/02/2024", "01/03/2024"]},
                    [_line((100, 6), (600, 6)), _line((300, -6), (600, -6))])
    doc = _greening(capsys, roads, survey, "--side", "both")
    assert _road(doc)["greened_km"] == pytest.approx(0.3)
    assert doc["total"]["as_of"] == "2024-03-01"


def test_a_roads_class_is_used_where_present(tmp_path, capsys):
    roads = _write(tmp_path / "roads.geojson",
                   {"dist_code": ["674", "674", "674"], "road_code": ["ĐH42", "ĐT725", "ĐH43"],
                    "road_class": ["ĐH", "ĐT", None]},
                   [_line((0, 0), (1000, 0)), _line((0, 3000), (1000, 3000)),
                    _line((0, 6000), (1000, 6000))])
    doc = _greening(capsys, roads, _bare_surveys(tmp_path, [_line((100, 6), (600, 6))]))
    assert [r["road_code"] for r in doc["roads"]] == ["ĐH42", "ĐH43"]


@pytest.mark.parametrize(("columns", "field"), [({"road_code": ["ĐH42"]}, "dist_code"),
                                                ({"dist_code": ["674"]}, "road_code"),
                                                ({"dist_code": ["674"], "road_code": [None]},
                                                 "road_code")])
def test_a_missing_identity_is_one_line_naming_file_and_feature(tmp_path, capsys, monkeypatch,
                                                                 columns, field):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "roads.geojson", columns, [_line((0, 0), (1000, 0))])
    _bare_surveys(tmp_path, [_line((100, 6), (600, 6))])
    code = main(["greening", "--roads", "roads.geojson", "--survey", "survey.geojson"])
    err = capsys.readouterr().err.strip()
    assert code == 3
    assert len(err.splitlines()) == 1
    assert err.startswith("Lỗi: roads.geojson: đối tượng 1")
    assert f"trường '{field}': thiếu giá trị bắt buộc" in err


def test_the_stores_import_keeps_its_full_schema(tmp_path, capsys):
    assert main(["init", str(tmp_path / "p.gpkg"), "--province", "68"]) == 0
    roads = _bare_roads(tmp_path)
    code = main(["--lang", "en", "import", "roads", str(roads), "--db", str(tmp_path / "p.gpkg")])
    err = capsys.readouterr().err
    assert code == 3
    assert "field 'road_class': required value is missing (the file has no column " \
           "road_class)" in err
