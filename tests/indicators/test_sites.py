"""Indicators 2.4, 6.1, 6.2, 7.3, 7.4 and 7.8 (ntmgeo.indicators.sites): known answers."""

from __future__ import annotations

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from ntmgeo.indicators import sites as ind

CRS_M = "EPSG:5899"
X0, Y0 = 583_000.0, 1_338_000.0


def sites(*rows: dict) -> gpd.GeoDataFrame:
    """Rows: dicts of site fields; geometry a point 100 m apart unless given."""
    geoms = [r.pop("geometry", Point(X0 + 100 * k, Y0)) for k, r in enumerate(rows)]
    frame = gpd.GeoDataFrame(list(rows), geometry=geoms, crs=CRS_M)
    for column in ("site_id", "site_type", "status", "grade", "indicator_id",
                   "env_infrastructure"):
        if column not in frame.columns:
            frame[column] = None
    return frame


def site(sid: str, kind: str, status: str = "completed", **more) -> dict:
    return {"site_id": sid, "site_type": kind, "status": status, **more}


class TestGrade:
    @pytest.mark.parametrize(("text", "grade"), [
        ("IV", 4), ("iv", 4), ("loại IV", 4), ("Loại 4", 4), ("hạng III", 3), ("1", 1),
        ("VI", 6), ("VII", None), ("0", None), ("", None), (None, None), (float("nan"), None),
        ("IV+", None), ("bốn", None)])
    def test_parse(self, text, grade):
        assert ind.parse_grade(text) == grade

    def test_a_lower_numeral_is_a_higher_class(self):
        assert ind.GRADES.index("III") < ind.GRADES.index("IV")


class TestBusStation:
    def test_a_planned_station_does_not_count(self):
        res = ind.bus_station(sites(site("b1", "bus_station", "planned", grade="IV")))
        assert (res["value"], res["met"], res["site_ids"]) == (0.0, False, ["b1"])
        assert res["not_counted"] == {"b1": "planned"}

    def test_a_completed_class_iv_station_counts(self):
        res = ind.bus_station(sites(site("b1", "bus_station", grade="IV"),
                                    site("m1", "market")))
        assert (res["value"], res["met"], res["site_ids"]) == (1.0, True, ["b1"])

    @pytest.mark.parametrize(("grade", "met"), [("I", True), ("loại III", True), ("V", False),
                                                ("VI", False), (None, False)])
    def test_class_iv_or_higher(self, grade, met):
        assert ind.bus_station(sites(site("b1", "bus_station", grade=grade)))["met"] is met

    def test_a_stricter_class(self):
        res = ind.bus_station(sites(site("b1", "bus_station", grade="IV")), min_class="III")
        assert res["met"] is False and res["not_counted"]["b1"] == "class IV, below III"

    def test_no_station(self):
        res = ind.bus_station(sites(site("m1", "market")))
        assert (res["value"], res["met"], res["site_ids"]) == (0.0, False, [])


class TestExistence:
    @pytest.mark.parametrize(("func", "kind"), [
        (ind.industrial_cluster, "industrial_cluster"), (ind.market, "market"),
        (ind.recycling_model, "recycling_model"), (ind.wastewater_works, "wastewater_works")])
    def test_only_completed_works_count(self, func, kind):
        rows = sites(site("a", kind, "planned"), site("b", kind, "under_construction"),
                     site("c", "other"))
        assert (func(rows)["value"], func(rows)["met"]) == (0.0, False)
        rows = sites(site("a", kind, "planned"), site("b", kind))
        res = func(rows)
        assert (res["value"], res["met"], res["site_ids"]) == (1.0, True, ["b"])
        assert res["not_counted"] == {"a": "planned"}

    def test_the_tagged_market_is_the_one_that_counts(self):
        # Every commune has a market; the district tagged its central market with 6.2.
        rows = sites(site("central", "market", "under_construction", indicator_id="6.2"),
                     site("commune-1", "market"), site("commune-2", "market"))
        res = ind.market(rows)
        assert (res["met"], res["site_ids"]) == (False, ["central"])
        untagged = sites(site("commune-1", "market"), site("commune-2", "market", "planned"))
        assert ind.market(untagged)["counted"] == ["commune-1"]

    def test_count_of_models(self):
        rows = sites(site("r1", "recycling_model"), site("r2", "recycling_model"))
        assert ind.recycling_model(rows)["value"] == 2.0


class TestWastePoints:
    def test_three_points_one_without(self):
        rows = sites(site("w1", "waste_collection_point", env_infrastructure=True),
                     site("w2", "waste_collection_point", env_infrastructure=False),
                     site("w3", "waste_collection_point", env_infrastructure=True))
        res = ind.waste_points(rows)
        assert res["value"] == pytest.approx(66.67) and res["met"] is False
        assert res["site_ids"] == ["w2"] and res["counted"] == ["w1", "w3"]
        assert res["text"] == "2/3 points (66.67%)"

    def test_planned_points_and_unknown_infrastructure(self):
        rows = sites(site("w1", "waste_collection_point", env_infrastructure=True),
                     site("w2", "waste_collection_point", env_infrastructure=None),
                     site("w3", "waste_collection_point", "planned", env_infrastructure=False))
        res = ind.waste_points(rows)
        assert res["value"] == 50.0 and res["site_ids"] == ["w2"]
        assert res["not_counted"] == {"w2": "not recorded", "w3": "planned"}

    def test_all_with_infrastructure(self):
        rows = sites(*(site(f"w{k}", "waste_collection_point", env_infrastructure=True)
                       for k in range(4)))
        res = ind.waste_points(rows)
        assert (res["value"], res["met"], res["site_ids"]) == (100.0, True, [])

    def test_no_completed_point(self):
        res = ind.waste_points(sites(site("w1", "waste_collection_point", "planned")))
        assert (res["value"], res["met"]) == (None, None)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=30))
    def test_share_of_points_with_infrastructure(self, flags):
        rows = sites(*(site(f"w{k}", "waste_collection_point", env_infrastructure=f)
                       for k, f in enumerate(flags)))
        res = ind.waste_points(rows)
        n = sum(f is True for f in flags)
        assert res["value"] == pytest.approx(round(100 * n / len(flags), 2))
        assert res["met"] is (n == len(flags))
        assert len(res["site_ids"]) == len(flags) - n


class TestInside:
    def test_points_and_polygons_by_their_representative_point(self):
        unit = box(X0, Y0, X0 + 1000, Y0 + 1000)
        rows = sites(site("in", "market", geometry=Point(X0 + 10, Y0 + 10)),
                     site("out", "market", geometry=Point(X0 - 10, Y0 + 10)),
                     site("edge", "market", geometry=Point(X0, Y0 + 10)),
                     site("poly", "industrial_cluster",
                          geometry=box(X0 - 100, Y0, X0 + 900, Y0 + 100)))
        assert list(ind.inside(rows, unit)["site_id"]) == ["in", "edge", "poly"]
