"""Indicators computed from the layers (ntmgeo.computed) on the Đam Rông sample, in the status.

The sample's drawn works, green land and roads must give the plan's table (29/02/2024); an
import of new geometry must change exactly the indicators it bears on.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, mapping

from ntmgeo import datasets, status
from ntmgeo.cli import main
from ntmgeo.computed import REGISTRY
from ntmgeo.indicators import environment as env_ind
from ntmgeo.indicators import network as net_ind
from ntmgeo.store import open_store

from geodata import write_geojson

COMPUTED_UNMET = ["2.4", "6.1", "6.2", "7.3", "7.4", "7.5", "7.8"]
AS_OF = "2024-02-29"


def indicators(doc: dict) -> dict[str, dict]:
    return {i["id"]: i for c in doc["criteria"] for i in (c["indicators"] or [])}


def mets(store) -> dict[str, tuple]:
    doc = status.from_store(store, level="district", as_of=AS_OF)
    return {k: (i["met"], i["source"]) for k, i in indicators(doc).items()}


def sample_features(layer: str) -> list[dict]:
    path = datasets.get_path("damrong") / f"{layer}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def import_layer(db: Path, layer: str, features: list[dict], *, replace: bool) -> None:
    path = write_geojson(db.parent / f"{layer}-new.geojson", features)
    args = ["import", layer, str(path), "--db", str(db)] + (["--replace"] if replace else [])
    assert main(args) == 0


class TestSample:
    def test_computed_indicators_agree_with_the_plans_table(self, sample_store):
        doc = status.from_store(sample_store, level="district")
        ind = indicators(doc)
        for iid in COMPUTED_UNMET:
            assert (ind[iid]["source"], ind[iid]["met"]) == ("computed", False), iid
            assert ind[iid]["reported"]["met"] is False, iid
        assert (ind["7.6"]["source"], ind["7.6"]["met"]) == ("computed", True)
        assert ind["7.6"]["value"] == pytest.approx(4.5)
        assert ind["7.6"]["value_text"] == "243,976 m² / 54,217 people (2019) = 4.50 m²/person"
        assert (ind["7.5"]["value"], ind["7.8"]["value"]) == (5.0, 62.5)
        # 2.1 as QĐ 932/QĐ-BGTVT states it: the district roads' surface is not 100% asphalt or
        # cement concrete (ĐH45 laterite gravel, ĐH42 partly earth): unmet, against the table.
        assert (ind["2.1"]["source"], ind["2.1"]["met"]) == ("computed", False)
        assert ind["2.1"]["reported"]["met"] is True
        disagreeing = {d["id"] for d in doc["summary"]["disagreements"]
                       if d["kind"] == "indicator"}
        assert "2.1" in disagreeing
        assert not disagreeing & {"7.6", *COMPUTED_UNMET}
        # 2.2: no planned grade recorded: the reported value stands, and the note says why.
        assert (ind["2.2"]["source"], ind["2.2"]["met"]) == ("reported", True)
        assert "chưa ghi cấp kỹ thuật theo quy hoạch cho ĐH42" in ind["2.2"]["note"]["vi"]

    def test_2_1_says_which_condition_decided_and_quotes_the_guidance(self, sample_store):
        ind = indicators(status.from_store(sample_store, level="district"))["2.1"]
        assert ind["value"] is None  # ĐH42's split of chip seal and earth is not recorded
        assert ind["value_text"] == "< 100% (≥ 24.66/38.39 km)"
        assert ind["features"] == ["roads:674/ĐH42", "roads:674/ĐH45"]
        basis = ind["basis"]
        assert "dưới 100%" in basis["vi"] and "below 100%" in basis["en"]
        assert "ĐH42 (2,50 km: láng nhựa và đường đất, không chia theo chiều dài)" in basis["vi"]
        assert "ĐH45 (11.23 km: gravel, laterite)" in basis["en"]
        assert "QĐ 932/QĐ-BGTVT" in basis["vi"] and "QĐ 932/QĐ-BGTVT" in basis["en"]
        # the conditions the layers cannot answer
        assert "1/8 communes" in ind["note"]["en"] and "maintenance" in ind["note"]["en"]
        assert ind["guidance"]["source"].startswith("Quyết định 932/QĐ-BGTVT (18/7/2022)")

    def test_the_notes_quote_the_catalogue(self):
        from ntmgeo import computed, criteria

        cset = criteria.load_set("vn-district-2021-2025")
        quoted = " ".join(q for iid in ("2.1", "2.2")
                          for q in cset.indicator(iid).guidance["quotes"])
        for words in computed.QUOTES:
            assert words in quoted

    def test_the_features_behind_the_values(self, sample_store):
        ind = indicators(status.from_store(sample_store, level="district"))
        assert ind["7.8"]["features"] == ["sites:dr-waste-24853", "sites:dr-waste-24856",
                                          "sites:dr-waste-24874"]
        assert ind["2.4"]["features"] == ["sites:dr-bus-station"]
        assert ind["6.2"]["features"] == ["sites:dr-market"]
        assert ind["7.5"]["features"] == ["sites:dr-ind-cluster"]
        assert ind["7.6"]["features"][0] == "admin_units:674"
        assert len(ind["7.6"]["features"]) == 9
        for iid in ("2.4", "6.1", "7.3", "7.4", "7.5", "7.8"):
            assert ind[iid]["as_of"] == AS_OF

    def test_what_the_drawn_roads_reach(self, sample_store):
        units = sample_store.read_layer("admin_units")
        communes = units[(units["level"] == "commune") & units["valid_to"].notna()]
        sites = sample_store.read_layer("sites")
        centre = net_ind.district_centre(sites)
        assert centre["site_id"] == "dr-bus-station"
        res = net_ind.connectivity(communes.set_index("code"), sample_store.read_layer("roads"),
                                   gpd.GeoSeries([centre.geometry], crs=sites.crs),
                                   crs=sample_store.measure_crs)
        assert list(res.index[res["reached"]]) == ["24877"]  # Rô Men, where the centre is
        assert not res["reached"].all()
        # An unreached commune may only lack a drawn road: the connection is not answered
        # (2.1 is unmet on its surface condition).
        value = REGISTRY["road_connectivity"](sample_store, AS_OF)
        assert value.met is False
        assert "1/8 xã tới được" in value.note["vi"] and "kết nối" not in value.basis["vi"]

    def test_no_unit_no_value(self, sample_store):
        # After the reform there is no district: nothing to compute for.
        for name in ("site_market", "cluster_green_share", "public_green_per_person",
                     "road_connectivity", "waste_points_env_infrastructure"):
            assert REGISTRY[name](sample_store, "2025-12-31") is None


class TestImports:
    def _flipped(self, before: dict, after: dict) -> dict[str, tuple]:
        return {k: (before[k], after[k]) for k in before if before[k] != after[k]}

    def test_a_completed_market_flips_6_2_only(self, sample_db):
        before = mets(open_store(sample_db))
        features = copy.deepcopy(sample_features("sites"))
        for f in features:
            if f["properties"]["site_id"] == "dr-market":
                f["properties"]["status"] = "completed"
        import_layer(sample_db, "sites", features, replace=True)
        assert self._flipped(before, mets(open_store(sample_db))) == {
            "6.2": ((False, "computed"), (True, "computed"))}

    def test_a_completed_class_iv_bus_station_flips_2_4_only(self, sample_db):
        before = mets(open_store(sample_db))
        features = copy.deepcopy(sample_features("sites"))
        for f in features:
            if f["properties"]["site_id"] == "dr-bus-station":
                f["properties"]["status"] = "completed"
        import_layer(sample_db, "sites", features, replace=True)
        assert self._flipped(before, mets(open_store(sample_db))) == {
            "2.4": ((False, "computed"), (True, "computed"))}

    def test_green_land_in_the_cluster_to_ten_percent_flips_7_5_only(self, sample_db):
        store = open_store(sample_db)
        before = mets(store)
        sites = store.read_layer("sites").to_crs(store.measure_crs)
        cluster = sites.loc[sites["site_id"] == "dr-ind-cluster", "geometry"].iloc[0]
        # A 20,000 m² square around the middle of the cluster (its belt runs along the edge).
        middle = cluster.representative_point()
        square = middle.buffer(70.72, cap_style="square")
        assert cluster.contains(square)
        wgs = gpd.GeoSeries([square], crs=store.measure_crs).to_crs("EPSG:4326").iloc[0]
        import_layer(sample_db, "green_areas", [{"type": "Feature", "geometry": mapping(wgs),
                                          "properties": {"area_id": "dr-green-ccn-2",
                                                         "green_type": "industrial_cluster",
                                                         "site_id": "dr-ind-cluster"}}],
                     replace=False)
        after_store = open_store(sample_db)
        assert self._flipped(before, mets(after_store)) == {
            "7.5": ((False, "computed"), (True, "computed"))}
        doc = indicators(status.from_store(after_store, level="district", as_of=AS_OF))
        assert doc["7.5"]["value"] == pytest.approx(10.71, abs=0.01)
        assert doc["7.6"]["value"] == pytest.approx(4.5)  # public green land unchanged

    def test_infrastructure_at_every_waste_point_flips_7_8_only(self, sample_db):
        before = mets(open_store(sample_db))
        features = copy.deepcopy(sample_features("sites"))
        for f in features:
            if f["properties"]["site_type"] == "waste_collection_point":
                f["properties"]["env_infrastructure"] = True
        import_layer(sample_db, "sites", features, replace=True)
        assert self._flipped(before, mets(open_store(sample_db))) == {
            "7.8": ((False, "computed"), (True, "computed"))}

    def _roads_to_every_commune(self, db: Path) -> list[dict]:
        store = open_store(db)
        units = store.read_layer("admin_units")
        communes = units[(units["level"] == "commune") & units["valid_to"].notna()]
        bus = store.read_layer("sites").set_index("site_id").geometry["dr-bus-station"]
        # A commune road from the bus station to every commune's centre (drawn for the test).
        return [{"type": "Feature",
                 "geometry": mapping(LineString([bus, c.representative_point()])),
                 "properties": {"dist_code": "674", "road_code": f"X{code}",
                                "road_class": "ĐX"}}
                for code, c in zip(communes["code"], communes.geometry, strict=True)]

    def test_roads_to_every_commune_answer_2_1s_connection(self, sample_db):
        before = mets(open_store(sample_db))
        import_layer(sample_db, "roads", self._roads_to_every_commune(sample_db),
                     replace=False)
        after = mets(open_store(sample_db))
        assert self._flipped(before, after) == {}  # still unmet on the surface
        ind = indicators(status.from_store(open_store(sample_db), level="district", as_of=AS_OF))
        assert "xã tới được" not in ind["2.1"]["note"]["vi"]  # answered now
        assert "bảo trì" in ind["2.1"]["note"]["vi"]  # the layers record no maintenance

    def test_paved_and_connected_leaves_only_maintenance_unanswered(self, sample_db):
        before = mets(open_store(sample_db))
        features = copy.deepcopy(sample_features("roads"))
        for f in features:
            if f["properties"]["road_code"] in ("ĐH42", "ĐH45"):
                f["properties"]["surface"] = "chip_seal"
        import_layer(sample_db, "roads", features + self._roads_to_every_commune(sample_db),
                     replace=True)
        store = open_store(sample_db)
        assert self._flipped(before, mets(store)) == {
            "2.1": ((False, "computed"), (True, "reported"))}
        ind = indicators(status.from_store(store, level="district", as_of=AS_OF))["2.1"]
        assert ind["source"] == "reported" and "basis" not in ind
        note = ind["note"]
        assert note["vi"].startswith("Chưa tính được từ bản đồ theo QĐ 932/QĐ-BGTVT")
        assert "bảo trì" in note["vi"] and "100% đường huyện được bảo trì hàng năm" in note["vi"]
        assert "8/8 communes reached" in note["en"] and "100% (38.39/38.39 km)" in note["en"]

    def test_paved_but_unreached_communes_give_no_value(self, sample_db):
        features = copy.deepcopy(sample_features("roads"))
        for f in features:
            if f["properties"]["road_code"] in ("ĐH42", "ĐH45"):
                f["properties"]["surface"] = "asphalt_concrete"
        import_layer(sample_db, "roads", features, replace=True)
        value = REGISTRY["road_connectivity"](open_store(sample_db), AS_OF)
        assert (value.value, value.met, value.basis) == (None, None, None)
        assert "1/8 xã tới được" in value.note["vi"] and "bảo trì" in value.note["vi"]
        assert "1/8 communes reach" in value.note["en"]

    def test_grades_recorded_let_2_2_be_computed(self, sample_db):
        before = mets(open_store(sample_db))
        features = copy.deepcopy(sample_features("roads"))
        for f in features:
            if f["properties"]["road_class"] == "ĐH":
                f["properties"]["tech_grade"] = "Cấp V miền núi"
                f["properties"]["planned_grade"] = "cấp V miền núi"
        import_layer(sample_db, "roads", features, replace=True)
        store = open_store(sample_db)
        assert self._flipped(before, mets(store)) == {
            "2.2": ((True, "reported"), (True, "computed"))}
        ind = indicators(status.from_store(store, level="district", as_of=AS_OF))["2.2"]
        assert (ind["value"], ind["value_text"]) == (100.0, "38.39/38.39 km (100.00%)")
        assert "QĐ 932/QĐ-BGTVT" in ind["basis"]["vi"]
        assert "cầu, cống" in ind["note"]["vi"]  # bridges: no field in the layer

    def test_a_road_below_its_planned_grade_makes_2_2_unmet(self, sample_db):
        features = copy.deepcopy(sample_features("roads"))
        for f in features:
            if f["properties"]["road_code"] == "ĐH42":
                f["properties"]["planned_grade"] = "Cấp IV miền núi"
        import_layer(sample_db, "roads", features, replace=True)
        store = open_store(sample_db)
        ind = indicators(status.from_store(store, level="district", as_of=AS_OF))["2.2"]
        assert (ind["source"], ind["met"], ind["value"]) == ("computed", False, None)
        assert ind["features"] == ["roads:674/ĐH42"]
        assert "chưa ghi cấp kỹ thuật đã xây dựng cho ĐH43" in ind["note"]["vi"]

    def test_no_population_figure_no_value(self, sample_db):
        features = copy.deepcopy(sample_features("admin_units"))
        for f in features:
            if f["properties"]["code"] == "674":
                f["properties"]["population"] = None
                f["properties"]["population_year"] = None
                f["properties"]["population_source"] = None
        import_layer(sample_db, "admin_units", features, replace=True)
        store = open_store(sample_db)
        value = REGISTRY["public_green_per_person"](store, AS_OF)
        assert (value.value, value.met) == (None, None)
        assert value.value_text == env_ind.NO_POPULATION
        ind = indicators(status.from_store(store, level="district", as_of=AS_OF))
        assert (ind["7.6"]["source"], ind["7.6"]["value"]) == ("reported", 4.5)


def test_each_district_counts_only_its_own_roads(tmp_path):
    """Two districts with an ĐH01 each: the status of one never mixes in the other's roads."""
    import geopandas as gpd
    from shapely.geometry import LineString, box

    from ntmgeo import layers, status
    from ntmgeo.store.gpkg import GpkgStore

    store = GpkgStore.create(tmp_path / "two.gpkg", prov_code="68")
    x0, y0 = 108.0, 12.0
    units = gpd.GeoDataFrame(
        {"code": ["700", "701"], "level": ["district"] * 2, "name": ["A", "B"],
         "parent_code": ["68"] * 2, "valid_from": ["2004-01-01"] * 2},
        geometry=[box(x0, y0, x0 + 0.1, y0 + 0.1), box(x0 + 0.1, y0, x0 + 0.2, y0 + 0.1)],
        crs="EPSG:4326")
    roads = gpd.GeoDataFrame(
        {"dist_code": ["700", "701"], "road_code": ["ĐH01", "ĐH01"], "road_class": ["ĐH"] * 2,
         "surface": ["asphalt_concrete", "gravel"], "tech_grade": ["Cấp V", "Cấp VI"],
         "planned_grade": ["Cấp V", "Cấp V"]},
        geometry=[LineString([(x0 + 0.01, y0 + 0.05), (x0 + 0.09, y0 + 0.05)]),
                  LineString([(x0 + 0.11, y0 + 0.05), (x0 + 0.19, y0 + 0.05)])],
        crs="EPSG:4326")
    row = LineString([(x0 + 0.01, y0 + 0.05005), (x0 + 0.09, y0 + 0.05005)])  # ~5 m beside
    surveys = gpd.GeoDataFrame({"survey_id": ["a"], "survey_date": ["2024-01-10"]},
                               geometry=[row], crs="EPSG:4326")
    for name, gdf in (("admin_units", units), ("roads", roads), ("surveys", surveys)):
        store.write_features(name, layers.conform(gdf, layers.load_schema(name)))
    docs = {code: status.from_store(store, level="district", unit=code, as_of="2024-02-29")
            for code in ("700", "701")}
    value = {c: {i["id"]: i["value"] for cr in d["criteria"] for i in cr["indicators"]}
             for c, d in docs.items()}
    assert value["700"]["2.3"] == pytest.approx(100.0, abs=0.5)
    assert value["701"]["2.3"] == pytest.approx(0.0)
    assert (value["700"]["2.2"], value["701"]["2.2"]) == (100.0, 0.0)
    met = {c: {i["id"]: i["met"] for cr in d["criteria"] for i in cr["indicators"]}
           for c, d in docs.items()}
    assert (met["700"]["2.1"], met["701"]["2.1"]) == (None, False)  # 701's road is gravel
