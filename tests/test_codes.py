"""Identities compare as people write them (ntmgeo.codes), and every place that matches by
identity uses that comparison: one file's parts, the store's append check, the road chain of
greening, chainage tables.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from ntmgeo import codes, ingest
from ntmgeo._errors import DuplicateIdentityError
from ntmgeo.indicators.roads import tree_lined
from ntmgeo.layers import conform, identity_keys, load_schema
from ntmgeo.linref import road_lines
from ntmgeo.store.gpkg import GpkgStore

from geodata import LAT, LON, road_feature, store_fingerprint, write_geojson

CRS_M = "EPSG:5899"


@pytest.mark.parametrize("written", ["ĐH42", "DH42", "đh42", "ĐH 42", "dh 42", "ÐH42", "ĐH-42",
                                     "ĐH.42", " ĐH42 "])
def test_the_ways_people_write_dh42_fold_to_one(written):
    assert codes.fold_code(written) == codes.fold_code("ĐH42") == "dh42"


@pytest.mark.parametrize(("a", "b"), [("ĐH42", "ĐH43"), ("ĐH42", "ĐT42"), ("QL27", "QL27C")])
def test_different_codes_stay_different(a, b):
    assert codes.fold_code(a) != codes.fold_code(b)


def test_modes():
    assert codes.fold(" SV-1 ", "exact") == "SV-1"
    assert codes.fold("SV-1", "casefold") == codes.fold("sv-1", "casefold") == "sv-1"
    assert codes.fold("sv-1", "casefold") != codes.fold("sv 1", "casefold")  # only case
    assert codes.fold(None, "code") == codes.fold(float("nan"), "code") == ""
    with pytest.raises(ValueError, match="unknown match mode"):
        codes.fold("x", "loose")


_PREFIX = st.sampled_from(["ĐH", "DH", "đh", "dh", "ÐH", "Đh"])
_SEP = st.sampled_from(["", " ", "-", ".", "  "])


@given(_PREFIX, _SEP, st.integers(min_value=0, max_value=999))
def test_property_any_spelling_of_a_district_road_folds_to_its_number(prefix, sep, n):
    assert codes.fold_code(f"{prefix}{sep}{n}") == f"dh{n}"


@given(st.text(max_size=20))
def test_property_folding_is_idempotent(text):
    once = codes.fold_code(text)
    assert codes.fold_code(once) == once
    assert codes.fold_many([text, text], "code") == [once, once]


def test_schemas_declare_how_identities_fold():
    assert load_schema("roads").field("road_code").match == "code"
    assert load_schema("surveys").field("survey_id").match == "casefold"
    assert load_schema("sites").field("site_id").match == "casefold"
    assert load_schema("admin_units").field("code").match == "exact"


# --------------------------------------------------------------------------------- in one file
def _roads(*codes_: str) -> gpd.GeoDataFrame:
    lines = [LineString([(LON + 0.01 * k, LAT), (LON + 0.01 * (k + 1), LAT)])
             for k in range(len(codes_))]
    return gpd.GeoDataFrame({"dist_code": ["674"] * len(codes_), "road_code": list(codes_),
                             "road_class": ["ĐH"] * len(codes_)}, geometry=lines,
                            crs="EPSG:4326")


def test_parts_written_differently_are_one_road_keeping_the_first_spelling():
    out = conform(_roads("ĐH42", "DH 42", "đh42"), load_schema("roads"), source="r.geojson")
    assert len(out) == 1
    assert out.loc[0, "road_code"] == "ĐH42"
    assert out.geometry.iloc[0].length == pytest.approx(0.03)


def test_survey_ids_that_differ_by_case_are_duplicates():
    pts = gpd.GeoDataFrame({"survey_id": ["SV-1", "sv-1"], "survey_date": ["2024-01-01"] * 2},
                           geometry=[Point(LON, LAT), Point(LON, LAT + 0.001)], crs="EPSG:4326")
    with pytest.raises(DuplicateIdentityError, match=r"survey_id=SV-1.*features 1 and 2"):
        conform(pts, load_schema("surveys"), source="s.geojson")


def test_identity_keys_fold_but_the_frame_keeps_the_text():
    frame = _roads("DH42")
    assert identity_keys(load_schema("roads"), frame) == [("674", "dh42")]
    assert frame.loc[0, "road_code"] == "DH42"


# --------------------------------------------------------------------------------- the store
def test_the_store_refuses_a_road_already_stored_under_another_spelling(tmp_path):
    path = tmp_path / "p.gpkg"
    store = GpkgStore.create(path, prov_code="68")
    ingest.import_file(store, "roads", write_geojson(tmp_path / "a.geojson",
                                                     [road_feature("ĐH42")]))
    before = store_fingerprint(path)
    again = write_geojson(tmp_path / "b.geojson", [road_feature("dh 42")])
    with pytest.raises(DuplicateIdentityError, match=r"\(dist_code=674, road_code=ĐH42\) is "
                                                     r"already stored"):
        ingest.import_file(store, "roads", again)
    assert store_fingerprint(path) == before


# --------------------------------------------------------------------------------- computations
def test_greening_chains_features_of_one_road_written_differently():
    roads = gpd.GeoDataFrame(
        {"dist_code": ["674", "674"], "road_code": ["ĐH42", "DH42"]},
        geometry=[LineString([(583000, 1338000), (584000, 1338000)]),
                  LineString([(584000, 1338000), (585000, 1338000)])], crs=CRS_M)
    rows = gpd.GeoDataFrame({"survey_id": ["r1"]},
                            geometry=[LineString([(583500, 1338006), (584500, 1338006)])],
                            crs=CRS_M)
    doc = tree_lined(roads, rows, crs=CRS_M)
    assert [r["road_code"] for r in doc["roads"]] == ["ĐH42"]
    assert doc["roads"][0]["length_km"] == pytest.approx(2.0)
    assert doc["roads"][0]["greened_km"] == pytest.approx(1.0)
    assert len(road_lines(roads, crs=CRS_M)) == 1


def test_a_chainage_table_finds_its_road_however_the_code_is_written(tmp_path):
    from ntmgeo import chainage

    roads = gpd.GeoDataFrame({"dist_code": ["674"], "road_code": ["ĐH42"]},
                             geometry=[LineString([(583000, 1338000), (585000, 1338000)])],
                             crs=CRS_M).to_crs("EPSG:4326")
    table = tmp_path / "t.csv"
    table.write_text("dist_code,road_code,from,to,side\n674,DH 42,Km0+100,Km0+600,trái\n"
                     ",dh42,Km1+000,Km1+500,phải\n", encoding="utf-8")
    out = chainage.surveys_from_chainage(chainage.read_chainage_table(table), roads,
                                         crs=CRS_M, source=str(table))
    lengths = out.to_crs(CRS_M).length.round(3).tolist()
    assert lengths == [500.0, 500.0]
    assert out["side"].tolist() == ["left", "right"]
