"""Indicators 7.5 and 7.6 (ntmgeo.indicators.environment): known answers and properties."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from ntmgeo.indicators import environment as env

CRS_M = "EPSG:5899"
X0, Y0 = 583_000.0, 1_338_000.0


def sq(x0: float, y0: float, x1: float, y1: float):
    """A rectangle in metres from (X0, Y0)."""
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def frame(index: list[str], geoms: list, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geoms, index=index, crs=CRS_M)


def green(*geoms, kind: str = "industrial_cluster") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"green_type": [kind] * len(geoms)}, geometry=list(geoms), crs=CRS_M)


CLUSTER = frame(["ccn"], [sq(0, 0, 1000, 1000)])  # 1 km²


class TestClusterGreenShare:
    def test_a_green_polygon_half_outside_counts_for_its_inside_half(self):
        # 0.08 km² (400 m x 200 m), half of it outside the cluster: 40,000 m² of 1 km² = 4%.
        res = env.cluster_green_share(CLUSTER, green(sq(800, 0, 1200, 200)), crs=CRS_M)
        assert res.loc["ccn", "area_m2"] == pytest.approx(1e6)
        assert res.loc["ccn", "green_m2"] == pytest.approx(40_000)
        assert res.loc["ccn", "share"] == pytest.approx(0.04)
        assert res.loc["ccn", "met"] is False

    def test_ten_percent_meets(self):
        res = env.cluster_green_share(CLUSTER, green(sq(0, 0, 1000, 100)), crs=CRS_M)
        assert res.loc["ccn", "share"] == pytest.approx(0.10) and res.loc["ccn", "met"] is True

    def test_overlapping_and_duplicated_green_counts_once(self):
        res = env.cluster_green_share(
            CLUSTER, green(sq(0, 0, 500, 100), sq(0, 0, 500, 100), sq(250, 0, 750, 100)),
            crs=CRS_M)
        assert res.loc["ccn", "green_m2"] == pytest.approx(75_000)

    def test_only_cluster_green_land_counts(self):
        both = gpd.GeoDataFrame({"green_type": ["public", "industrial_cluster"]},
                                geometry=[sq(0, 0, 1000, 500), sq(0, 0, 1000, 50)], crs=CRS_M)
        res = env.cluster_green_share(CLUSTER, both, crs=CRS_M)
        assert res.loc["ccn", "share"] == pytest.approx(0.05)
        every = env.cluster_green_share(CLUSTER, both, crs=CRS_M, green_types=None)
        assert every.loc["ccn", "share"] == pytest.approx(0.5)

    def test_each_cluster_alone(self):
        clusters = frame(["a", "b", "pt"], [sq(0, 0, 1000, 1000), sq(2000, 0, 2500, 1000),
                                            Point(X0 + 5000, Y0)])
        res = env.cluster_green_share(clusters, green(sq(0, 0, 1000, 150), sq(2000, 0, 2500, 20)),
                                      crs=CRS_M)
        assert list(res.index) == ["a", "b", "pt"]
        assert res.loc["a", "share"] == pytest.approx(0.15) and res.loc["a", "met"] is True
        assert res.loc["b", "share"] == pytest.approx(0.02) and res.loc["b", "met"] is False
        assert math.isnan(res.loc["pt", "share"]) and res.loc["pt", "met"] is None

    def test_no_green_at_all(self):
        res = env.cluster_green_share(CLUSTER, green(), crs=CRS_M)
        assert res.loc["ccn", "share"] == 0.0 and res.loc["ccn", "met"] is False

    def test_measured_in_metres_whatever_the_input_crs(self):
        g = green(sq(800, 0, 1200, 200))
        res = env.cluster_green_share(CLUSTER.to_crs("EPSG:4326"), g.to_crs("EPSG:4326"),
                                      crs=CRS_M)
        assert res.loc["ccn", "share"] == pytest.approx(0.04, rel=1e-6)
        with pytest.raises(ValueError, match="projected"):
            env.cluster_green_share(CLUSTER, g, crs="EPSG:4326")

    @settings(max_examples=50, deadline=None)
    @given(st.floats(-300, 1200), st.floats(-300, 1200), st.floats(10, 600), st.floats(10, 600),
           st.floats(0.01, 0.99), st.booleans())
    def test_splitting_a_green_polygon_changes_nothing(self, x, y, w, h, at, vertical):
        whole = sq(x, y, x + w, y + h)
        if vertical:
            cut = x + at * w
            parts = [sq(x, y, cut, y + h), sq(cut, y, x + w, y + h)]
        else:
            cut = y + at * h
            parts = [sq(x, y, x + w, cut), sq(x, cut, x + w, y + h)]
        one = env.cluster_green_share(CLUSTER, green(whole), crs=CRS_M)
        two = env.cluster_green_share(CLUSTER, green(*parts), crs=CRS_M)
        assert two.loc["ccn", "share"] == pytest.approx(one.loc["ccn", "share"], abs=1e-9)
        assert 0.0 <= one.loc["ccn", "share"] <= 1.0


class TestPublicGreenPerPerson:
    UNITS = frame(["674", "24853"], [sq(0, 0, 10_000, 10_000), sq(20_000, 0, 30_000, 10_000)],
                  population=[54_217, None], population_year=[2019, None])

    def test_per_person_and_unknown_population(self):
        parks = green(sq(0, 0, 500, 487.952), sq(20_000, 0, 20_100, 100), kind="public")
        res = env.public_green_per_person(self.UNITS, parks, crs=CRS_M)
        assert res.loc["674", "green_m2"] == pytest.approx(243_976)
        assert res.loc["674", "per_person"] == pytest.approx(4.5, abs=1e-4)  # 4.49999
        assert res.loc["674", "text"] == (
            "243,976 m² / 54,217 people (2019) = 4.50 m²/person")
        assert res.loc["24853", "green_m2"] == pytest.approx(10_000)
        assert np.isnan(res.loc["24853", "per_person"]) and np.isnan(res.loc["24853",
                                                                            "population"])
        assert env.NO_POPULATION in res.loc["24853", "text"]

    def test_green_land_outside_the_unit_and_cluster_green_do_not_count(self):
        parks = gpd.GeoDataFrame(
            {"green_type": ["public", "industrial_cluster"]},
            geometry=[sq(-100, 0, 100, 100), sq(1000, 1000, 2000, 2000)], crs=CRS_M)
        res = env.public_green_per_person(self.UNITS, parks, crs=CRS_M)
        assert res.loc["674", "green_m2"] == pytest.approx(10_000)

    def test_no_population_column(self):
        units = self.UNITS.drop(columns=["population", "population_year"])
        res = env.public_green_per_person(units, green(kind="public"), crs=CRS_M)
        assert res["per_person"].isna().all()
        assert all(env.NO_POPULATION in t for t in res["text"])

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.tuples(st.floats(0, 9000), st.floats(0, 9000), st.floats(1, 900)),
                    min_size=1, max_size=6), st.integers(1, 200_000))
    def test_never_more_than_the_unit_and_scales_with_population(self, squares, pop):
        parks = green(*(sq(x, y, x + s, y + s) for x, y, s in squares), kind="public")
        units = frame(["u"], [sq(0, 0, 10_000, 10_000)], population=[pop])
        res = env.public_green_per_person(units, parks, crs=CRS_M).loc["u"]
        total = shapely.area(shapely.union_all([sq(x, y, x + s, y + s) for x, y, s in squares]))
        assert res["green_m2"] <= 1e8 + 1e-3
        assert res["green_m2"] == pytest.approx(min(total, 1e8), rel=1e-9, abs=1e-6)
        assert res["per_person"] == pytest.approx(res["green_m2"] / pop)
