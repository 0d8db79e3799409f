"""Infrastructure coverage (ntmgeo.coverage): known answers, properties, the sample."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.geometry
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box

from ntmgeo import coverage as cov
from ntmgeo.indicators import network as net

CRS_M = "EPSG:5899"
X0, Y0 = 583_000.0, 1_338_000.0


def sq(x0: float, y0: float, x1: float, y1: float):
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def pt(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def line(*points: tuple[float, float]) -> LineString:
    return LineString([(X0 + x, Y0 + y) for x, y in points])


def units(**rows: tuple) -> gpd.GeoDataFrame:
    """Units by code: (geometry, population or None)."""
    return gpd.GeoDataFrame({"population": [r[1] for r in rows.values()]},
                            geometry=[r[0] for r in rows.values()], index=list(rows), crs=CRS_M)


def facilities(*points: Point) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"site_id": [f"f{k}" for k in range(len(points))]},
                            geometry=list(points), crs=CRS_M)


def roads(*lines: LineString) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"dist_code": ["674"] * len(lines),
                             "road_code": [f"R{k}" for k in range(len(lines))]},
                            geometry=list(lines), crs=CRS_M)


TWO = units(A=(sq(0, 0, 4000, 4000), 12_000), B=(sq(4000, 0, 8000, 4000), None))


class TestParseDistance:
    @pytest.mark.parametrize(("text", "metres"), [
        ("5km", 5000.0), ("5 km", 5000.0), ("2.5km", 2500.0), ("500m", 500.0), ("500 m", 500.0),
        ("500", 500.0), ("0", 0.0), ("1.5KM", 1500.0), (750, 750.0), (12.5, 12.5)])
    def test_read(self, text, metres):
        assert cov.parse_distance(text) == metres

    @pytest.mark.parametrize("text", ["", "km", "5 mi", "-5km", "2,5km", "5km 2", "abc",
                                      float("nan"), -1, True])
    def test_refused(self, text):
        with pytest.raises(ValueError):
            cov.parse_distance(text)


class TestStraightLine:
    def test_two_communes_one_population_unknown(self):
        reach = cov.reach(facilities(pt(2000, 2000)), 1000, crs=CRS_M)
        res = cov.coverage(TWO, reach, crs=CRS_M)
        disc = math.pi * 1000 ** 2
        assert res.loc["A", "basis"] == "population" and res.loc["B", "basis"] == "area"
        assert res.loc["A", "share"] == pytest.approx(disc / 16e6, rel=2e-3)
        assert res.loc["A", "covered_population"] == pytest.approx(12_000 * disc / 16e6, rel=2e-3)
        assert res.loc["B", "share"] == 0.0 and np.isnan(res.loc["B", "covered_population"])
        uncovered = gpd.GeoSeries([res.loc["A", "uncovered"]], crs="EPSG:4326").to_crs(CRS_M)
        assert uncovered.area.iloc[0] == pytest.approx(16e6 - disc, rel=2e-3)
        rest_b = gpd.GeoSeries([res.loc["B", "uncovered"]], crs="EPSG:4326").to_crs(CRS_M)
        assert rest_b.iloc[0].symmetric_difference(TWO.geometry["B"]).area < 1.0  # all of B

    def test_a_facility_next_door_covers_across_the_boundary(self):
        res = cov.coverage(TWO, cov.reach(facilities(pt(3900, 2000)), 500, crs=CRS_M),
                           crs=CRS_M)
        assert res.loc["B", "share"] > 0 and res.loc["A", "share"] > res.loc["B", "share"]

    def test_everything_covered(self):
        res = cov.coverage(TWO, cov.reach(facilities(pt(4000, 2000)), 10_000, crs=CRS_M),
                           crs=CRS_M)
        assert np.allclose(res["share"], 1.0)
        assert all(g.is_empty for g in res["uncovered"])

    def test_no_facility(self):
        res = cov.coverage(TWO, cov.reach(facilities(), 5000, crs=CRS_M), crs=CRS_M)
        assert (res["share"] == 0).all()

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.tuples(st.floats(-2000, 10_000), st.floats(-2000, 6000)), min_size=1,
                    max_size=4), st.floats(0, 6000), st.floats(0, 6000))
    def test_share_in_0_1_and_growing_with_the_distance(self, spots, d1, d2):
        where = facilities(*(pt(x, y) for x, y in spots))
        small, large = sorted((d1, d2))
        a = cov.coverage(TWO, cov.reach(where, small, crs=CRS_M), crs=CRS_M)["share"]
        b = cov.coverage(TWO, cov.reach(where, large, crs=CRS_M), crs=CRS_M)["share"]
        assert ((a >= 0) & (a <= 1) & (b >= 0) & (b <= 1)).all()
        assert (a <= b + 1e-9).all()


class TestAlongTheRoads:
    ROADS = roads(line((0, 2000), (8000, 2000)))

    def test_reachable_road_buffered_by_the_access_distance(self):
        # The facility stands 100 m off the road; 2,100 m along: 100 m to the road, then 2 km
        # each way. The served band is 2 x 300 m wide around 4 km of road, plus the facility's
        # own 300 m.
        reach = cov.reach(facilities(pt(3000, 2100)), 2100, crs=CRS_M, network=True,
                          roads=self.ROADS, access_m=300)
        band = shapely.buffer(line((1000, 2000), (5000, 2000)), 300)
        assert reach.contains(band.buffer(-1e-6))
        expected = shapely.union(band, pt(3000, 2100).buffer(300)).area
        assert reach.area == pytest.approx(expected, rel=1e-3)
        res = cov.coverage(TWO, reach, crs=CRS_M)
        assert res.loc["A", "covered_m2"] == pytest.approx(
            shapely.intersection(reach, TWO.geometry["A"]).area)

    def test_a_facility_off_the_network_serves_only_its_surroundings(self):
        reach = cov.reach(facilities(pt(3000, 3900)), 5000, crs=CRS_M, network=True,
                          roads=self.ROADS, snap_m=1000, access_m=300)
        assert reach.area == pytest.approx(math.pi * 300 ** 2, rel=1e-3)

    def test_a_gap_in_the_roads_stops_the_reach(self):
        gapped = roads(line((0, 2000), (4000, 2000)), line((4100, 2000), (8000, 2000)))
        reach = cov.reach(facilities(pt(2000, 2000)), 10_000, crs=CRS_M, network=True,
                          roads=gapped, access_m=100)
        res = cov.coverage(TWO, reach, crs=CRS_M)
        assert res.loc["B", "share"] == pytest.approx(0.0, abs=1e-3)  # only the tail of A's band

    def test_network_needs_roads(self):
        with pytest.raises(ValueError, match="roads"):
            cov.reach(facilities(pt(0, 0)), 100, crs=CRS_M, network=True)

    @settings(max_examples=30, deadline=None)
    @given(st.floats(0, 8000), st.floats(0, 4000), st.floats(0, 9000), st.floats(0, 9000))
    def test_share_in_0_1_and_growing_with_the_distance(self, x, y, d1, d2):
        graph = net.road_graph(roads(line((0, 2000), (8000, 2000)),
                                     line((4000, 0), (4000, 4000))), crs=CRS_M)
        where = facilities(pt(x, y))
        small, large = sorted((d1, d2))
        a = cov.coverage(TWO, cov.reach(where, small, crs=CRS_M, network=True, graph=graph),
                         crs=CRS_M)["share"]
        b = cov.coverage(TWO, cov.reach(where, large, crs=CRS_M, network=True, graph=graph),
                         crs=CRS_M)["share"]
        assert ((a >= 0) & (a <= 1) & (b >= 0) & (b <= 1)).all()
        assert (a <= b + 1e-9).all()


class TestSurfaceLengths:
    def test_km_by_class_and_surface_clipped_to_the_unit(self):
        rows = gpd.GeoDataFrame(
            {"road_class": ["ĐH", "ĐH", "QL"],
             "surface": [["asphalt_concrete"], "chip_seal|earth", None]},
            geometry=[line((0, 1000), (6000, 1000)), line((1000, 3000), (2000, 3000)),
                      line((0, 500), (3000, 500))], crs=CRS_M)
        res = cov.surface_lengths(rows, TWO, crs=CRS_M).set_index(["unit", "road_class",
                                                                  "surface"])
        assert res.loc[("A", "ĐH", "asphalt_concrete"), "length_m"] == pytest.approx(4000)
        assert res.loc[("A", "ĐH", "asphalt_concrete"), "hard"]
        assert res.loc[("B", "ĐH", "asphalt_concrete"), "length_m"] == pytest.approx(2000)
        assert res.loc[("A", "ĐH", "chip_seal|earth"), "length_m"] == pytest.approx(1000)
        assert not res.loc[("A", "ĐH", "chip_seal|earth"), "hard"]
        assert res.loc[("A", "QL", "unknown"), "length_m"] == pytest.approx(3000)
        assert len(res) == 4

    def test_chip_seal_is_hard_as_qd_932_counts_it(self):
        # "nhựa hóa hoặc bê tông xi măng hóa" (QĐ 932/QĐ-BGTVT): chip seal is bituminous.
        rows = gpd.GeoDataFrame(
            {"road_class": ["ĐH", "ĐH", "ĐH"],
             "surface": ["chip_seal", "chip_seal|cement_concrete", ["gravel"]]},
            geometry=[line((0, 1000), (1000, 1000)), line((0, 2000), (1000, 2000)),
                      line((0, 3000), (1000, 3000))], crs=CRS_M)
        res = cov.surface_lengths(rows, TWO, crs=CRS_M).set_index("surface")
        assert bool(res.loc["chip_seal", "hard"])
        assert bool(res.loc["cement_concrete|chip_seal", "hard"])
        assert not res.loc["gravel", "hard"]


class TestStore:
    def test_coverage_document_of_the_sample(self, sample_store):
        doc = cov.coverage_document(sample_store, site_type="waste_collection_point",
                                    within_m=cov.parse_distance("5km"), as_of="2024-02-29")
        assert doc["crs"] == "EPSG:5899" and len(doc["facilities"]) == 8
        assert [u["basis"] for u in doc["units"]] == ["area"] * 8  # no commune population
        for u in doc["units"]:
            assert 0 < u["covered_share"] < 1 and u["covered_population"] is None
            assert u["uncovered"]["type"] in ("Polygon", "MultiPolygon")
            assert "population" in u["basis_note"]["en"]
        json.dumps(doc)  # JSON-ready

    def test_the_merged_communes_have_populations(self, sample_store):
        doc = cov.coverage_document(sample_store, site_type="waste_collection_point",
                                    within_m=5000, as_of="2025-12-31", network=True)
        assert [u["basis"] for u in doc["units"]] == ["population"] * 4
        for u in doc["units"]:
            assert u["covered_population"] == round(u["population"] * u["covered_share"])
        straight = cov.coverage_document(sample_store, site_type="waste_collection_point",
                                         within_m=5000, as_of="2025-12-31")
        assert (sum(u["covered_share"] for u in doc["units"])
                < sum(u["covered_share"] for u in straight["units"]))

    def test_planned_works_serve_nobody_until_asked(self, sample_store):
        doc = cov.coverage_document(sample_store, site_type="bus_station", within_m=5000,
                                    as_of="2024-02-29")
        assert doc["facilities"] == [] and all(u["covered_share"] == 0 for u in doc["units"])
        planned = cov.coverage_document(sample_store, site_type="bus_station", within_m=5000,
                                        as_of="2024-02-29", statuses=("planned", "completed"))
        assert planned["facilities"] == ["dr-bus-station"]
        assert max(u["covered_share"] for u in planned["units"]) > 0

    def test_surface_document_of_the_sample(self, sample_store):
        doc = cov.surface_document(sample_store, as_of="2024-02-29")
        district = doc["units"][0]
        assert (district["code"], district["level"]) == ("674", "district")
        dh = district["by_class"]["ĐH"]
        # ĐH45 laterite gravel, ĐH42 chip seal and earth on one feature (not split): the plan's
        # table says 38,39/38,39.
        assert dh["text"] == "cứng hóa 24,66/38,39 km"
        assert doc["hard_surfaces"] == ["asphalt_concrete", "cement_concrete", "chip_seal"]
        assert dh["length_km"] == pytest.approx(38.39, abs=0.01)
        assert dh["by_surface"]["gravel"] == pytest.approx(11.23, abs=0.01)
        assert district["by_class"]["QL"]["unknown_km"] > 0
        assert len(doc["units"]) == 9
        json.dumps(doc)
