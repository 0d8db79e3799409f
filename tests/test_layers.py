"""Layer schemas: the schema of schemas, and conforming features to a layer."""

from __future__ import annotations

import copy

import geopandas as gpd
import pytest
import yaml
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from ntmgeo import layers
from ntmgeo._errors import DuplicateIdentityError, GeometryError, InputError, LayerSchemaError
from ntmgeo._resources import share_path

from geodata import LAT, LON


def _doc(name: str) -> dict:
    return yaml.safe_load(share_path("layers", f"{name}.yml").read_text(encoding="utf-8"))


class TestSchemas:
    def test_every_shipped_schema_is_valid(self):
        assert layers.validate_all() == ["admin_units", "green_areas", "roads", "sites",
                                         "surveys", "works"]

    def test_shapefile_names_are_unique_ascii_and_short(self):
        for schema in layers.all_schemas():
            names = [f.shp_name for f in schema.fields]
            assert len({n.lower() for n in names}) == len(names), schema.name
            assert all(len(n) <= 10 and n.isascii() for n in names), schema.name

    def test_canonical_identities(self):
        assert layers.load_schema("roads").identity == ("dist_code", "road_code")
        assert layers.load_schema("admin_units").identity == ("code", "valid_from")

    def test_every_label_is_bilingual(self):
        for schema in layers.all_schemas():
            for f in schema.fields:
                assert f.label["vi"] and f.label["en"]

    def test_unknown_layer(self):
        with pytest.raises(LayerSchemaError, match="unknown layer 'rivers'"):
            layers.load_schema("rivers")

    @pytest.mark.parametrize(("mutate", "message"), [
        (lambda d: d.pop("identity"), "'identity' is a required property"),
        (lambda d: d["fields"][0].update(shp_name="much_too_long_name"), "does not match"),
        (lambda d: d["fields"][1].update(shp_name=d["fields"][0]["shp_name"]),
         "duplicate shapefile name"),
        (lambda d: d.update(identity=["nope"]), "identity field 'nope' is not a field"),
        (lambda d: d["fields"][0].update(type="blob"), "is not one of"),
        (lambda d: d["fields"][0]["label"].pop("en"), "'en' is a required property"),
    ])
    def test_bad_schemas_are_rejected(self, mutate, message):
        doc = copy.deepcopy(_doc("roads"))
        mutate(doc)
        with pytest.raises(LayerSchemaError, match=message):
            layers.parse_schema(doc, where="roads.yml")


def _gdf(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


LINE = LineString([(LON, LAT), (LON + 0.01, LAT)])
ROADS = layers.load_schema("roads")


class TestConform:
    def test_values_are_converted_to_canonical_form(self):
        gdf = _gdf([{"DIST_CODE": 674.0, "Road_Code": "ĐH43", "road_class": "Đường huyện",
                     "surface": "Bê tông nhựa; cement_concrete", "off_len_km": "7,18"}], [LINE])
        out = layers.conform(gdf, ROADS, source="r.geojson")
        row = out.iloc[0]
        assert row["dist_code"] == "674"
        assert row["road_class"] == "ĐH"  # matched by its Vietnamese label
        assert row["surface"] == ["asphalt_concrete", "cement_concrete"]
        assert row["official_length_km"] == pytest.approx(7.18)  # decimal comma
        assert isinstance(out.geometry.iloc[0], MultiLineString)

    def test_vietnamese_dates(self):
        schema = layers.load_schema("surveys")
        out = layers.conform(_gdf([{"survey_id": "a", "date": "29/02/2024"}], [LINE]), schema)
        assert out.iloc[0]["survey_date"] == "2024-02-29"

    def test_missing_required_field_names_file_feature_and_field(self):
        gdf = _gdf([{"dist_code": "674", "road_code": "ĐH42", "road_class": "ĐH"},
                    {"dist_code": "674", "road_code": "ĐH43"}], [LINE, LINE])
        with pytest.raises(InputError) as err:
            layers.conform(gdf, ROADS, source="roads.geojson")
        assert str(err.value) == ("roads.geojson: feature 2 (dist_code=674, road_code=ĐH43): "
                                  "field 'road_class': required value is missing")

    def test_value_not_allowed(self):
        gdf = _gdf([{"dist_code": "674", "road_code": "X", "road_class": "highway"}], [LINE])
        with pytest.raises(InputError, match="field 'road_class': value 'highway' is not one of"):
            layers.conform(gdf, ROADS, source="r")

    def test_bad_number(self):
        schema = layers.load_schema("admin_units")
        square = Polygon([(LON, LAT), (LON + .01, LAT), (LON + .01, LAT + .01), (LON, LAT + .01)])
        gdf = _gdf([{"code": "1", "level": "commune", "name": "A", "valid_from": "2008-01-01",
                     "population": "nhiều"}], [square])
        with pytest.raises(InputError, match="field 'population': value 'nhiều' is not a whole"):
            layers.conform(gdf, schema, source="u")

    @pytest.mark.parametrize(("geom", "message"), [
        (None, "has no geometry"),
        (LineString(), "has an empty geometry"),
        (Point(LON, LAT), "geometry is Point, layer 'roads' takes LineString"),
    ])
    def test_bad_geometry(self, geom, message):
        gdf = _gdf([{"dist_code": "674", "road_code": "ĐH42", "road_class": "ĐH"}], [geom])
        with pytest.raises(GeometryError, match=message):
            layers.conform(gdf, ROADS, source="r")

    def test_invalid_polygon_is_refused_with_reason(self):
        bowtie = Polygon([(LON, LAT), (LON + .01, LAT + .01), (LON + .01, LAT), (LON, LAT + .01)])
        gdf = _gdf([{"code": "1", "level": "commune", "name": "A", "valid_from": "2008-01-01"}],
                   [bowtie])
        with pytest.raises(GeometryError, match=r"invalid geometry \(Self-intersection"):
            layers.conform(gdf, layers.load_schema("admin_units"), source="u")

    def test_coordinates_outside_vietnam_mean_a_wrong_crs(self):
        metres = LineString([(500000, 1340000), (501000, 1340000)])
        gdf = _gdf([{"dist_code": "674", "road_code": "ĐH42", "road_class": "ĐH"}], [metres])
        with pytest.raises(GeometryError, match="lies outside Vietnam"):
            layers.conform(gdf, ROADS, source="r")

    def test_duplicate_identity(self):
        schema = layers.load_schema("sites")
        row = {"site_id": "s1", "name": "Chợ", "site_type": "market", "status": "planned"}
        gdf = _gdf([row] * 2, [Point(LON, LAT), Point(LON, LAT)])
        with pytest.raises(DuplicateIdentityError, match="duplicate identity \\(site_id=s1\\)"):
            layers.conform(gdf, schema, source="s")

    def test_road_parts_with_one_identity_are_merged(self):
        a = LineString([(LON, LAT), (LON + .01, LAT)])
        b = LineString([(LON + .01, LAT), (LON + .02, LAT)])
        row = {"dist_code": "674", "road_code": "ĐH46", "road_class": "ĐH"}
        out = layers.conform(_gdf([row, row], [a, b]), ROADS)
        assert len(out) == 1
        assert out.geometry.iloc[0].length == pytest.approx(0.02)

    def test_road_parts_that_disagree_are_refused(self):
        row = {"dist_code": "674", "road_code": "ĐH46", "road_class": "ĐH"}
        gdf = _gdf([{**row, "name": "A"}, {**row, "name": "B"}], [LINE, LINE])
        with pytest.raises(DuplicateIdentityError, match="parts of .* disagree"):
            layers.conform(gdf, ROADS)

    def test_same_code_in_two_districts_is_two_roads(self):
        gdf = _gdf([{"dist_code": "674", "road_code": "ĐH46", "road_class": "ĐH"},
                    {"dist_code": "436", "road_code": "ĐH46", "road_class": "ĐH"}], [LINE, LINE])
        assert len(layers.conform(gdf, ROADS)) == 2

    def test_missing_ids_are_generated_from_the_source_name(self):
        schema = layers.load_schema("surveys")
        gdf = _gdf([{"survey_date": "2024-03-01"}] * 2, [LINE, LINE])
        out = layers.conform(gdf, schema, source="/x/Track 12.gpx")
        assert list(out["survey_id"]) == ["sv-track-12-1", "sv-track-12-2"]

    def test_empty_input(self):
        with pytest.raises(InputError, match="contains no features"):
            layers.conform(_gdf([], []), ROADS, source="r")
