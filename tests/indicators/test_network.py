"""Indicator 2.1 and the road graph (ntmgeo.indicators.network): known answers and properties.

Geometry is built here in VN-2000 / TM-3 zone 107-45 (EPSG:5899), in metres from a point near
Đam Rông; one test gives the same roads in WGS 84.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box

from ntmgeo.indicators import network as net

CRS_M = "EPSG:5899"
X0, Y0 = 583_000.0, 1_338_000.0


def line(*points: tuple[float, float]) -> LineString:
    return LineString([(X0 + x, Y0 + y) for x, y in points])


def pt(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def roads(*rows: tuple[LineString, str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"dist_code": ["674"] * len(rows), "road_code": [r[1] for r in rows]},
                            geometry=[r[0] for r in rows], crs=CRS_M)


def communes(**squares: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Commune squares by code: (xmin, ymin, xmax, ymax) in metres from (X0, Y0)."""
    geoms = [box(X0 + a, Y0 + b, X0 + c, Y0 + d) for a, b, c, d in squares.values()]
    return gpd.GeoDataFrame({"code": list(squares)}, geometry=geoms, crs=CRS_M).set_index("code")


def centre_at(x: float, y: float) -> gpd.GeoSeries:
    return gpd.GeoSeries([pt(x, y)], crs=CRS_M)


def component_of(graph: net.RoadGraph) -> dict[str, set[int]]:
    label = net.components(graph)
    out: dict[str, set[int]] = {}
    for k, road in enumerate(graph.road):
        if road >= 0:
            out.setdefault(graph.road_ids[road], set()).add(int(label[graph.u[k]]))
    return out


class TestGraph:
    def test_a_crossing_is_a_junction(self):
        g = net.road_graph(roads((line((0, 0), (1000, 0)), "A"),
                                 (line((500, -500), (500, 500)), "B")), crs=CRS_M)
        assert len(g.edges) == 4 and len(g.nodes) == 5
        assert np.allclose(sorted(g.length), [500] * 4)
        assert len(set(net.components(g))) == 1

    def test_an_end_within_the_tolerance_is_joined(self):
        g = net.road_graph(roads((line((0, 0), (1000, 0)), "A"),
                                 (line((1012, 5), (2000, 5)), "B")), crs=CRS_M)
        comp = component_of(g)
        assert comp["674/A"] == comp["674/B"]

    def test_an_end_beyond_the_tolerance_stays_apart(self):
        rows = ((line((0, 0), (1000, 0)), "A"), (line((1000, -30), (1000, -800)), "B"))
        comp = component_of(net.road_graph(roads(*rows), crs=CRS_M))
        assert comp["674/A"] != comp["674/B"]
        wide = component_of(net.road_graph(roads(*rows), crs=CRS_M, tolerance=40))
        assert wide["674/A"] == wide["674/B"]

    def test_a_road_passing_close_without_ending_there_is_not_joined(self):
        # B dips to 10 m from A and climbs away again: no end near A, no junction (a bridge).
        comp = component_of(net.road_graph(roads(
            (line((0, 0), (1000, 0)), "A"),
            (line((400, 1000), (500, 10), (600, 1000)), "B")), crs=CRS_M))
        assert comp["674/A"] != comp["674/B"]

    def test_a_t_junction_drawn_to_the_road_is_joined(self):
        comp = component_of(net.road_graph(roads(
            (line((0, 0), (1000, 0)), "A"), (line((333.3333, 0), (333.3333, 900)), "B")),
            crs=CRS_M))
        assert comp["674/A"] == comp["674/B"]

    def test_same_graph_from_wgs84(self):
        rows = roads((line((0, 0), (1000, 0)), "A"), (line((500, -500), (500, 500)), "B"))
        a = net.road_graph(rows, crs=CRS_M)
        b = net.road_graph(rows.to_crs("EPSG:4326"), crs=CRS_M)
        assert np.allclose(sorted(a.length), sorted(b.length), atol=1e-3)

    def test_degrees_are_refused(self):
        with pytest.raises(ValueError, match="projected"):
            net.road_graph(roads((line((0, 0), (1, 0)), "A")), crs="EPSG:4326")

    def test_empty_layer(self):
        g = net.road_graph(roads(), crs=CRS_M)
        assert len(g.edges) == 0
        assert net.snap(g, centre_at(0, 0))["edge"].iloc[0] == -1


class TestDistances:
    def setup_method(self):
        self.g = net.road_graph(roads((line((0, 0), (1000, 0)), "A"),
                                      (line((500, -500), (500, 500)), "B")), crs=CRS_M)

    def test_snap_and_dijkstra(self):
        src = net.snap(self.g, centre_at(100, 50))
        assert src["distance"].iloc[0] == pytest.approx(50)
        dist = net.distances(self.g, src)
        nodes = map(tuple, np.round(self.g.nodes - [X0, Y0]).astype(int))
        far = dict(zip(nodes, dist, strict=True))
        assert far[(0, 0)] == pytest.approx(150)
        assert far[(500, 0)] == pytest.approx(450)
        assert far[(1000, 0)] == pytest.approx(950)
        assert far[(500, 500)] == pytest.approx(950)

    def test_too_far_to_snap(self):
        src = net.snap(self.g, centre_at(100, 3000))
        assert src["edge"].iloc[0] == -1 and math.isnan(src["distance"].iloc[0])
        assert np.isinf(net.distances(self.g, src)).all()

    def test_reach_spends_the_walk_to_the_road_first(self):
        src = net.snap(self.g, centre_at(100, 50))
        assert net.reach(self.g, src, 300).length == pytest.approx(350)  # 0..350 along A
        # 550 m: 500 along A to the junction, then 100 m on each of the three other arms.
        assert net.reach(self.g, src, 550).length == pytest.approx(500 + 3 * 100)

    @settings(max_examples=40, deadline=None)
    @given(st.floats(0, 3000), st.floats(0, 3000), st.floats(0, 400), st.floats(-200, 200))
    def test_reach_grows_with_the_distance(self, d1, d2, x, y):
        src = net.snap(self.g, centre_at(x, y))
        small, large = sorted((d1, d2))
        a, b = net.reach(self.g, src, small), net.reach(self.g, src, large)
        assert a.length <= b.length + 1e-6
        assert b.length <= float(self.g.length.sum()) + 1e-6


class TestDistrictCentre:
    def sites(self, *types: str) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame({"site_id": [f"s{k}" for k in range(len(types))],
                                 "site_type": list(types)},
                                geometry=[pt(k, 0) for k in range(len(types))], crs=CRS_M)

    def test_the_one_bus_station(self):
        assert net.district_centre(self.sites("market", "bus_station", "market"))["site_id"] == "s1"

    def test_several_bus_stations_fall_back_to_the_one_market(self):
        found = net.district_centre(self.sites("bus_station", "bus_station", "market"))
        assert found["site_id"] == "s2"

    def test_nothing_identifies_it(self):
        assert net.district_centre(self.sites("market", "market", "school")) is None
        assert net.district_centre(self.sites()) is None


class TestConnectivity:
    """Three communes side by side, 4 km squares; the district centre in A."""

    COMMUNES = communes(A=(0, 0, 4000, 4000), B=(4000, 0, 8000, 4000), C=(8000, 0, 12000, 4000))

    def test_every_commune_reached(self):
        rows = roads((line((0, 2000), (12000, 2000)), "QL27"))
        res = net.connectivity(self.COMMUNES, rows, centre_at(2000, 2100), crs=CRS_M)
        assert res["reached"].all() and res["reason"].isna().all()
        assert list(res["road"]) == ["674/QL27"] * 3
        assert res.loc["B", "network_m"] == pytest.approx(100 + 4000)
        assert res.loc["C", "network_m"] == pytest.approx(100 + 8000)

    def test_a_gap_leaves_a_commune_unreached(self):
        rows = roads((line((0, 2000), (7900, 2000)), "ĐH45"),
                     (line((8000, 2000), (12000, 2000)), "ĐH46"))  # a 100 m gap
        res = net.connectivity(self.COMMUNES, rows, centre_at(2000, 2000), crs=CRS_M)
        assert list(res["reached"]) == [True, True, False]
        assert res.loc["C", "reason"] == "not_connected" and res.loc["C", "road"] is None
        bridged = net.connectivity(self.COMMUNES, rows, centre_at(2000, 2000), crs=CRS_M,
                                   tolerance=150)
        assert bridged["reached"].all()

    def test_a_commune_centre_far_from_every_road(self):
        rows = roads((line((0, 2000), (8000, 2000)), "A"))
        far = communes(A=(0, 0, 4000, 4000), D=(0, 10000, 4000, 14000))
        res = net.connectivity(far, rows, centre_at(2000, 2000), crs=CRS_M)
        assert res.loc["D", "reason"] == "no_road_near_centre"
        near = net.connectivity(far, rows, centre_at(2000, 2000), crs=CRS_M,
                                centres=gpd.GeoSeries([pt(2000, 9500)], index=["D"], crs=CRS_M))
        assert near.loc["D", "reason"] == "no_road_near_centre"  # 7.5 km away: still off
        close = net.connectivity(far, rows, centre_at(2000, 2000), crs=CRS_M,
                                 centres=gpd.GeoSeries([pt(2000, 3500)], index=["D"], crs=CRS_M))
        assert close.loc["D", "reached"]

    def test_a_district_centre_off_the_network(self):
        rows = roads((line((0, 2000), (12000, 2000)), "A"))
        res = net.connectivity(self.COMMUNES, rows, centre_at(2000, 9000), crs=CRS_M)
        assert not res["reached"].any() and set(res["reason"]) == {"centre_off_network"}

    def test_aligned_to_the_communes(self):
        rows = roads((line((0, 2000), (12000, 2000)), "A"))
        shuffled = self.COMMUNES.iloc[[2, 0, 1]]
        res = net.connectivity(shuffled, rows, centre_at(2000, 2000), crs=CRS_M)
        assert list(res.index) == ["C", "A", "B"]
        assert isinstance(res, pd.DataFrame)
