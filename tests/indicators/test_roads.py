"""Indicators 2.1 (surface), 2.2 and 2.3 (ntmgeo.indicators.roads): known answers and
properties.

The geometry is built here, in VN-2000 / TM-3 zone 107-45 (EPSG:5899) near Đam Rông, and every
known-answer test of 2.3 also runs with the same geometry given in WGS 84 (and UTM 48N): the
answer must not depend on the CRS the layers come in.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.affinity
import shapely.ops
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString, Point

from ntmgeo import datasets
from ntmgeo.indicators import roads as ind

CRS_M = "EPSG:5899"  # VN-2000 / TM-3 zone 107-45 (Lâm Đồng): where lengths are measured
X0, Y0 = 583_000.0, 1_338_000.0  # near Đam Rông
INPUT_CRS = ["EPSG:5899", "EPSG:4326", "EPSG:32648"]


def xy(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


def line(*points: tuple[float, float]) -> LineString:
    """A line through points given in metres from (X0, Y0)."""
    return LineString([xy(x, y) for x, y in points])


def trees(xs, y: float) -> list[Point]:
    return [Point(xy(float(x), y)) for x in xs]


def roads_frame(*rows) -> gpd.GeoDataFrame:
    """Rows: (geometry, road_code[, dist_code])."""
    return gpd.GeoDataFrame(
        {"dist_code": [r[2] if len(r) > 2 else "674" for r in rows],
         "road_code": [r[1] for r in rows]},
        geometry=[r[0] for r in rows], crs=CRS_M)


def surveys_frame(*rows) -> gpd.GeoDataFrame:
    """Rows: (survey_id, geometry[, side[, survey_date]])."""
    return gpd.GeoDataFrame(
        {"survey_id": [r[0] for r in rows],
         "side": [r[2] if len(r) > 2 else None for r in rows],
         "survey_date": [r[3] if len(r) > 3 else "2024-02-29" for r in rows]},
        geometry=[r[1] for r in rows], crs=CRS_M)


MAIN = line((0, 0), (1000, 0))  # ĐH42: 1000 m along x


def main_road() -> gpd.GeoDataFrame:
    return roads_frame((MAIN, "ĐH42"))


def run(roads: gpd.GeoDataFrame, surveys: gpd.GeoDataFrame, input_crs: str = CRS_M,
        **options) -> dict:
    """tree_lined measured in EPSG:5899, with both layers handed over in ``input_crs``."""
    return ind.tree_lined(roads.to_crs(input_crs), surveys.to_crs(input_crs), crs=CRS_M,
                          **options)


def km(result: dict, code: str = "ĐH42", dist: str = "674") -> float:
    road = next(r for r in result["roads"] if (r["dist_code"], r["road_code"]) == (dist, code))
    return road["greened_km"]


def road_entry(result: dict, code: str = "ĐH42", dist: str = "674") -> dict:
    return next(r for r in result["roads"] if (r["dist_code"], r["road_code"]) == (dist, code))


def approx_m(metres: float):
    """A length in km within 0.1% (and 0.5 m) of ``metres``."""
    return pytest.approx(metres / 1000, rel=1e-3, abs=5e-4)



# --------------------------------------------------------------------------------------------
# Indicator 2.3: known answers


@pytest.mark.parametrize("input_crs", INPUT_CRS)
class TestRule1AlongTheCentreline:
    def test_one_row(self, input_crs):
        result = run(main_road(), surveys_frame(("r1", line((100, 6), (600, 6)))), input_crs)
        road = road_entry(result)
        assert road["length_km"] == pytest.approx(1.0, rel=1e-3)
        assert road["greened_km"] == approx_m(500)
        assert road["ratio"] == pytest.approx(0.5, rel=1e-3)
        [stretch] = road["stretches"]
        assert stretch["from_m"] == pytest.approx(100, abs=0.5)
        assert stretch["to_m"] == pytest.approx(600, abs=0.5)
        assert stretch["label"] == "Km0+100 → Km0+600"
        assert stretch["survey_ids"] == ["r1"]
        assert [g["label"] for g in road["gaps"]] == ["Km0+600 → Km1+000", "Km0+000 → Km0+100"]
        assert road["gaps"][0]["length_m"] == pytest.approx(400, abs=0.5)

    def test_row_at_the_tolerance(self, input_crs):
        surveys = surveys_frame(("near", line((100, 19), (300, 19))),
                                ("far", line((400, 21), (600, 21))))
        result = run(main_road(), surveys, input_crs)
        assert km(result) == approx_m(200)
        assert result["unmatched"]["ids"] == ["far"]

    def test_tolerance_option(self, input_crs):
        surveys = surveys_frame(("r", line((400, 25), (600, 25))))
        assert km(run(main_road(), surveys, input_crs)) == 0
        assert km(run(main_road(), surveys, input_crs, tolerance=30.0)) == approx_m(200)

    def test_curved_road(self, input_crs):
        arc = LineString([xy(300 * math.sin(a), 300 - 300 * math.cos(a))
                          for a in np.linspace(0, math.pi / 2, 91)])
        row = arc.offset_curve(-7.0)  # outside the bend
        inner = arc.offset_curve(7.0)  # inside
        result = run(roads_frame((arc, "ĐH47")),
                     surveys_frame(("out", row), ("in", inner)), input_crs)
        assert km(result, "ĐH47") == pytest.approx(arc.length / 1000, rel=2e-3)
        assert road_entry(result, "ĐH47")["stretches"][0]["survey_ids"] == ["in", "out"]


@pytest.mark.parametrize("input_crs", INPUT_CRS)
class TestRule2RunsAlong:
    def test_crossing_row_adds_nothing(self, input_crs):
        result = run(main_road(), surveys_frame(("x", line((500, -40), (500, 40)))), input_crs)
        assert km(result) == 0
        assert result["unmatched"]["ids"] == ["x"]

    def test_oblique_crossing_adds_nothing(self, input_crs):  # 60 degrees to the road
        dx = 40 / math.tan(math.radians(60))
        surveys = surveys_frame(("x", line((500 - dx, -40), (500 + dx, 40))))
        assert km(run(main_road(), surveys, input_crs)) == 0

    def test_row_far_away_adds_nothing(self, input_crs):
        result = run(main_road(), surveys_frame(("far", line((100, 100), (600, 100)))),
                     input_crs)
        assert km(result) == 0
        assert result["unmatched"]["count"] == 1
        assert result["unmatched"]["ids"] == ["far"]
        assert result["unmatched"]["length_km"] == approx_m(500)

    def test_row_along_a_side_road(self, input_crs):
        side_road = line((500, 0), (500, 300))  # T-junction, leaves to the north
        roads = roads_frame((MAIN, "ĐH42"), (side_road, "ĐH43"))
        result = run(roads, surveys_frame(("s", line((506, 6), (506, 300)))), input_crs)
        assert km(result, "ĐH42") == 0
        assert km(result, "ĐH43") == approx_m(294)
        assert road_entry(result, "ĐH43")["stretches"][0]["label"] == "Km0+006 → Km0+300"

    def test_main_row_past_the_junction_adds_nothing_to_the_side_road(self, input_crs):
        side_road = line((500, 0), (500, 300))
        roads = roads_frame((MAIN, "ĐH42"), (side_road, "ĐH43"))
        result = run(roads, surveys_frame(("m", line((0, 6), (1000, 6)))), input_crs)
        assert km(result, "ĐH42") == approx_m(1000)
        assert km(result, "ĐH43") == 0

    def test_row_turning_the_corner(self, input_crs):
        side_road = line((500, 0), (500, 300))
        roads = roads_frame((MAIN, "ĐH42"), (side_road, "ĐH43"))
        corner = line((100, 6), (494, 6), (494, 200))
        result = run(roads, surveys_frame(("c", corner)), input_crs)
        assert km(result, "ĐH42") == approx_m(394)
        assert km(result, "ĐH43") == approx_m(194)

    def test_noisy_gps_track_counts(self, input_crs):
        rng = np.random.default_rng(2024)
        x = np.arange(0, 1000.1, 3.0)
        track = LineString([xy(a, 6 + b) for a, b in zip(x, rng.normal(0, 2.0, x.size),
                                                          strict=True)])
        result = run(main_road(), surveys_frame(("gps", track)), input_crs)
        assert km(result) >= 0.99


@pytest.mark.parametrize("input_crs", INPUT_CRS)
class TestRule3CountedOnce:
    @pytest.mark.parametrize("rows", [
        [("l", line((100, 6), (600, 6))), ("r", line((100, -6), (600, -6)))],  # both sides
        [("a", line((100, 6), (600, 6))), ("b", line((100, 6), (600, 6)))],  # surveyed twice
        [("a", line((100, 6), (400, 6))), ("b", line((300, 7), (600, 7)))],  # overlapping
        [("a", line((100, 6), (350, 6))), ("b", line((350, 6), (600, 6)))],  # split
        [("a", line((600, 6), (100, 6)))],  # drawn backwards
        [("a", MultiLineString([[xy(100, 6), xy(350, 6)], [xy(600, 5), xy(340, 5)]]))],
    ])
    def test_half_the_road(self, input_crs, rows):
        result = run(main_road(), surveys_frame(*rows), input_crs)
        road = road_entry(result)
        assert road["greened_km"] == approx_m(500)
        assert len(road["stretches"]) == 1
        assert road["stretches"][0]["survey_ids"] == sorted({r[0] for r in rows})

    def test_both_sides_option(self, input_crs):
        surveys = surveys_frame(("l", line((100, 6), (600, 6))),
                                ("r", line((300, -6), (900, -6))))
        assert km(run(main_road(), surveys, input_crs)) == approx_m(800)
        both = run(main_road(), surveys, input_crs, side="both")
        assert km(both) == approx_m(300)
        assert road_entry(both)["stretches"][0]["label"] == "Km0+300 → Km0+600"
        assert road_entry(both)["stretches"][0]["survey_ids"] == ["l", "r"]
        assert both["total"]["side"] == "both"
        assert km(run(main_road(), surveys, input_crs, side="left")) == approx_m(500)
        assert km(run(main_road(), surveys, input_crs, side="right")) == approx_m(600)

    def test_side_attribute_wins(self, input_crs):
        surveys = surveys_frame(("b", line((100, 6), (200, 6)), "both"),
                                ("l", line((500, -6), (700, -6)), "left"))
        assert km(run(main_road(), surveys, input_crs, side="both")) == approx_m(100)
        assert km(run(main_road(), surveys, input_crs, side="left")) == approx_m(300)
        assert km(run(main_road(), surveys, input_crs, side="right")) == approx_m(100)

    def test_side_of_a_centreline_track_is_unknown(self, input_crs):
        surveys = surveys_frame(("car", line((0, 0.5), (1000, 0.5)), "unknown"))
        assert km(run(main_road(), surveys, input_crs)) == approx_m(1000)
        assert km(run(main_road(), surveys, input_crs, side="both")) == 0
        assert km(run(main_road(), surveys, input_crs, side="left")) == 0


@pytest.mark.parametrize("input_crs", INPUT_CRS)
class TestRule4Trees:
    def test_trees_every_8_m(self, input_crs):
        rows = [(f"t{i:03d}", p) for i, p in enumerate(trees(range(100, 501, 8), 5))]
        result = run(main_road(), surveys_frame(*rows), input_crs)
        road = road_entry(result)
        assert road["greened_km"] == approx_m(400)
        assert road["stretches"][0]["survey_ids"] == [r[0] for r in rows]
        assert result["unmatched"]["count"] == 0

    def test_trees_every_50_m_add_nothing(self, input_crs):
        rows = [(f"t{i}", p) for i, p in enumerate(trees(range(100, 501, 50), 5))]
        result = run(main_road(), surveys_frame(*rows), input_crs)
        assert km(result) == 0
        assert result["unmatched"]["count"] == 0  # beside the road, too sparse to count

    def test_lone_tree_adds_nothing(self, input_crs):
        result = run(main_road(), surveys_frame(("t", Point(xy(300, 5)))), input_crs)
        assert km(result) == 0
        assert result["total"]["as_of"] is None

    def test_max_point_gap_option(self, input_crs):
        rows = [(f"t{i}", p) for i, p in enumerate(trees(range(100, 501, 50), 5))]
        result = run(main_road(), surveys_frame(*rows), input_crs, max_point_gap=60.0)
        assert km(result) == approx_m(400)

    def test_trees_and_rows_together(self, input_crs):
        rows = [(f"t{i}", p) for i, p in enumerate(trees(range(500, 701, 10), -5))]
        rows.append(("row", line((100, 6), (550, 6))))
        assert km(run(main_road(), surveys_frame(*rows), input_crs)) == approx_m(600)

    def test_tree_far_away_is_unmatched(self, input_crs):
        result = run(main_road(), surveys_frame(("t", Point(xy(300, 80)))), input_crs)
        assert result["unmatched"] == {"count": 1, "length_km": 0.0, "ids": ["t"]}


@pytest.mark.parametrize("input_crs", INPUT_CRS)
class TestRule5Identity:
    def test_same_code_in_two_districts(self, input_crs):
        roads = roads_frame((MAIN, "ĐH46", "674"),
                            (line((0, 5000), (800, 5000)), "ĐH46", "999"))
        result = run(roads, surveys_frame(("r", line((100, 6), (600, 6)))), input_crs)
        assert [(r["dist_code"], r["road_code"]) for r in result["roads"]] == [
            ("674", "ĐH46"), ("999", "ĐH46")]
        assert km(result, "ĐH46", "674") == approx_m(500)
        assert km(result, "ĐH46", "999") == 0
        assert road_entry(result, "ĐH46", "999")["length_km"] == pytest.approx(0.8, rel=1e-3)
        assert result["total"]["length_km"] == pytest.approx(1.8, rel=1e-3)

    def test_road_in_two_features(self, input_crs):
        roads = roads_frame((line((0, 0), (400, 0)), "ĐH42"), (line((400, 0), (1000, 0)), "ĐH42"))
        result = run(roads, surveys_frame(("r", line((300, 6), (500, 6)))), input_crs)
        [road] = result["roads"]
        assert road["length_km"] == pytest.approx(1.0, rel=1e-3)
        assert road["greened_km"] == approx_m(200)
        assert [s["label"] for s in road["stretches"]] == ["Km0+300 → Km0+500"]

    def test_chainage_starts_at_the_first_feature(self, input_crs):
        roads = roads_frame((line((1000, 0), (400, 0)), "ĐH42"), (line((0, 0), (400, 0)), "ĐH42"))
        result = run(roads, surveys_frame(("r", line((300, 6), (500, 6)))), input_crs)
        [road] = result["roads"]
        assert road["length_km"] == pytest.approx(1.0, rel=1e-3)
        assert [s["label"] for s in road["stretches"]] == ["Km0+500 → Km0+700"]

    def test_road_in_two_parts_with_a_gap(self, input_crs):
        parts = MultiLineString([[xy(0, 0), xy(400, 0)], [xy(450, 0), xy(1000, 0)]])
        result = run(roads_frame((parts, "ĐH42")),
                     surveys_frame(("r", line((300, 6), (600, 6)))), input_crs)
        [road] = result["roads"]
        assert road["length_km"] == pytest.approx(0.95, rel=1e-3)
        assert road["greened_km"] == approx_m(250)
        assert [s["label"] for s in road["stretches"]] == ["Km0+300 → Km0+550"]

    def test_overlapping_features_of_one_road(self, input_crs):
        roads = roads_frame((line((0, 0), (600, 0)), "ĐH42"), (line((400, 0), (1000, 0)), "ĐH42"))
        result = run(roads, surveys_frame(("r", line((100, 6), (600, 6)))), input_crs)
        assert road_entry(result)["length_km"] == pytest.approx(1.0, rel=1e-3)
        assert km(result) == approx_m(500)


@pytest.mark.parametrize("input_crs", INPUT_CRS)
class TestRule6Ends:
    def test_row_stopping_before_the_end(self, input_crs):
        result = run(main_road(), surveys_frame(("r", line((800, 6), (995, 6)))), input_crs)
        road = road_entry(result)
        assert road["greened_km"] == approx_m(195)
        assert road["stretches"][0]["label"] == "Km0+800 → Km0+995"
        # the last 5 m is under the bridge (25 m): not greened, not listed as a place to plant
        assert [g["label"] for g in road["gaps"]] == ["Km0+000 → Km0+800"]
        exact = road_entry(run(main_road(), surveys_frame(("r", line((800, 6), (995, 6)))),
                               input_crs, bridge=0))
        assert exact["gaps"][-1]["label"] == "Km0+995 → Km1+000"

    def test_row_beyond_the_end_is_cut_there(self, input_crs):
        result = run(main_road(), surveys_frame(("r", line((800, 6), (1030, 6)))), input_crs)
        assert km(result) == approx_m(200)

    def test_row_starting_before_the_start(self, input_crs):
        result = run(main_road(), surveys_frame(("r", line((-15, 6), (50, 6)))), input_crs)
        assert km(result) == approx_m(50)


class TestTotals:
    def test_shape_and_json(self):
        result = run(main_road(), surveys_frame(("r", line((100, 6), (400, 6)))))
        assert set(result) == {"roads", "total", "unmatched"}
        assert set(result["total"]) == {"length_km", "greened_km", "ratio", "threshold", "met",
                                        "shortfall_km", "as_of", "tolerance_m", "bridge_m",
                                        "side"}
        assert set(result["unmatched"]) == {"count", "length_km", "ids"}
        assert set(result["roads"][0]) == {"dist_code", "road_code", "length_km", "greened_km",
                                           "ratio", "stretches", "gaps"}
        assert json.loads(json.dumps(result)) == result

    def test_threshold_met_and_shortfall(self):
        surveys = surveys_frame(("r", line((100, 6), (400, 6))))
        total = run(main_road(), surveys)["total"]
        assert total["ratio"] == pytest.approx(0.3, rel=1e-3)
        assert total["threshold"] == 0.5
        assert total["met"] is False
        assert total["shortfall_km"] == pytest.approx(0.2, abs=1e-3)
        assert total["tolerance_m"] == 20.0
        assert total["bridge_m"] == 25.0
        met = run(main_road(), surveys, threshold=0.3)["total"]
        assert met["met"] is True
        assert met["shortfall_km"] == 0

    def test_as_of_is_the_latest_survey_that_counts(self):
        surveys = surveys_frame(("a", line((100, 6), (200, 6)), None, "2023-05-01"),
                                ("b", line((300, 6), (400, 6)), None, "2024-02-29"),
                                ("far", line((300, 90), (400, 90)), None, "2025-01-01"),
                                ("x", line((700, -30), (700, 30)), None, "2025-06-01"))
        assert run(main_road(), surveys)["total"]["as_of"] == "2024-02-29"

    def test_no_surveys(self):
        empty = surveys_frame(("r", line((100, 6), (400, 6)))).iloc[:0]
        result = run(main_road(), empty)
        assert result["total"]["greened_km"] == 0
        assert result["total"]["as_of"] is None
        assert road_entry(result)["gaps"][0]["label"] == "Km0+000 → Km1+000"
        assert result["unmatched"] == {"count": 0, "length_km": 0.0, "ids": []}

    def test_no_roads(self):
        result = run(main_road().iloc[:0], surveys_frame(("r", line((100, 6), (400, 6)))))
        assert result["roads"] == []
        assert result["total"]["ratio"] is None
        assert result["total"]["met"] is False
        assert result["unmatched"]["ids"] == ["r"]

    def test_odd_survey_geometry(self):
        surveys = surveys_frame(
            ("none", None), ("empty", LineString()),
            ("grove", shapely.MultiPoint([xy(x, -5) for x in range(100, 301, 10)])))
        result = run(main_road(), surveys)
        assert km(result) == approx_m(200)
        assert road_entry(result)["stretches"][0]["survey_ids"] == ["grove"]
        assert result["unmatched"] == {"count": 2, "length_km": 0.0, "ids": ["empty", "none"]}

    def test_without_survey_id_the_index_names_the_survey(self):
        surveys = gpd.GeoDataFrame({"note": ["a"]}, geometry=[line((100, 6), (200, 6))],
                                   index=[17], crs=CRS_M)
        result = ind.tree_lined(main_road(), surveys, crs=CRS_M)
        assert road_entry(result)["stretches"][0]["survey_ids"] == ["17"]
        assert result["total"]["as_of"] is None

    def test_dates_as_dates(self):
        surveys = surveys_frame(("a", line((100, 6), (200, 6)), None, dt.date(2024, 3, 1)),
                                ("b", line((300, 6), (400, 6)), None, None))
        assert run(main_road(), surveys)["total"]["as_of"] == "2024-03-01"

    def test_several_roads_sum(self):
        roads = roads_frame((MAIN, "ĐH42"), (line((0, 3000), (500, 3000)), "ĐH43"))
        surveys = surveys_frame(("a", line((0, 6), (300, 6))), ("b", line((0, 3006), (500, 3006))))
        total = run(roads, surveys)["total"]
        assert total["length_km"] == pytest.approx(1.5, rel=1e-6)
        assert total["greened_km"] == pytest.approx(0.8, rel=1e-6)
        assert total["ratio"] == pytest.approx(0.8 / 1.5, rel=1e-6)


class TestRefusals:
    def test_geographic_crs(self):
        with pytest.raises(ValueError, match="projected"):
            ind.tree_lined(main_road(), surveys_frame(("r", line((0, 6), (9, 6)))),
                           crs="EPSG:4326")

    def test_layer_without_crs(self):
        roads = main_road().set_crs(None, allow_override=True)
        with pytest.raises(ValueError, match="CRS"):
            ind.tree_lined(roads, surveys_frame(("r", line((0, 6), (9, 6)))), crs=CRS_M)
        surveys = surveys_frame(("r", line((0, 6), (9, 6)))).set_crs(None, allow_override=True)
        with pytest.raises(ValueError, match="CRS"):
            ind.tree_lined(main_road(), surveys, crs=CRS_M)

    @pytest.mark.parametrize("options", [{"side": "up"}, {"tolerance": 0}, {"threshold": 50},
                                         {"max_point_gap": -1}])
    def test_bad_options(self, options):
        with pytest.raises(ValueError):
            run(main_road(), surveys_frame(("r", line((0, 6), (9, 6)))), **options)

    def test_road_without_identity(self):
        roads = roads_frame((MAIN, None))
        with pytest.raises(ValueError, match="road_code"):
            run(roads, surveys_frame(("r", line((0, 6), (9, 6)))))


@pytest.fixture(scope="module")
def damrong_layers():
    """The district roads and the surveys of the embedded Đam Rông sample."""
    folder = datasets.get_path("damrong")
    roads = gpd.read_file(folder / "roads.geojson")
    surveys = gpd.read_file(folder / "surveys.geojson")
    return roads[roads["road_class"] == "ĐH"], surveys


class TestDamRongSample:
    """The embedded sample was drawn to reproduce the plan's tree-lined km (149-KH/HU)."""

    def test_the_plans_figures(self, damrong_layers):
        result = ind.tree_lined(*damrong_layers, crs=CRS_M)
        got = {r["road_code"]: r["greened_km"] for r in result["roads"]}
        plan = {"ĐH42": 1.75, "ĐH43": 3.70, "ĐH45": 1.68, "ĐH46": 3.10, "ĐH47": 0.0}
        assert got == pytest.approx(plan, abs=0.005)
        assert result["total"]["greened_km"] == pytest.approx(10.23, abs=0.01)
        assert result["total"]["ratio"] == pytest.approx(0.2665, abs=0.0005)
        assert result["total"]["met"] is False
        assert result["unmatched"]["ids"] == ["misc-1"]

    def test_the_national_road_row_adds_nothing_beyond_the_crossing(self, damrong_layers):
        roads, surveys = damrong_layers
        result = ind.tree_lined(roads[roads["road_code"] == "ĐH43"],
                                surveys[surveys["survey_id"] == "ql27-1"], crs=CRS_M)
        assert all(s["to_m"] < 30 for s in result["roads"][0]["stretches"])


# --------------------------------------------------------------------------------------------
# Indicator 2.3: properties


@st.composite
def road_and_rows(draw):
    """A bendy road (EPSG:5899) and rows beside it: offset substrings, drawn either way."""
    n = draw(st.integers(2, 5))
    heading = draw(st.floats(0, 2 * math.pi))
    pts = [xy(0, 0)]
    for _ in range(n - 1):
        heading += draw(st.floats(-0.6, 0.6))
        step = draw(st.floats(60, 400))
        x, y = pts[-1]
        pts.append((x + step * math.cos(heading), y + step * math.sin(heading)))
    road = LineString(pts)
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        a = draw(st.floats(0, road.length))
        b = draw(st.floats(0, road.length))
        if abs(a - b) < 5:
            continue
        offset = draw(st.floats(2, 15)) * draw(st.sampled_from([-1, 1]))
        piece = shapely.ops.substring(road, min(a, b), max(a, b)).offset_curve(offset)
        if isinstance(piece, LineString) and not piece.is_empty and piece.length > 1:
            rows.append(shapely.reverse(piece) if draw(st.booleans()) else piece)
    return road, rows


def greened(road: LineString, rows: list, crs: str = CRS_M, **options) -> float:
    surveys = surveys_frame(*[(f"s{i}", g) for i, g in enumerate(rows)])
    return ind.tree_lined(roads_frame((road, "ĐH42")).to_crs(crs), surveys.to_crs(crs),
                          crs=CRS_M, **options)["total"]["greened_km"]


PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


class TestProperties:
    @PROPERTY
    @given(road_and_rows(), st.sampled_from(["any", "both"]))
    def test_never_more_than_the_road(self, case, side):
        road, rows = case
        assert greened(road, rows, side=side) <= road.length / 1000 + 1e-6

    @PROPERTY
    @given(road_and_rows())
    def test_reversing_splitting_duplicating_change_nothing(self, case):
        road, rows = case
        base = greened(road, rows)
        assert greened(road, [shapely.reverse(g) for g in rows]) == pytest.approx(base, abs=1e-6)
        assert greened(road, rows + rows) == pytest.approx(base, abs=1e-6)
        halves = []
        for g in rows:
            cut = g.length * 0.37
            halves += [shapely.ops.substring(g, 0, cut), shapely.ops.substring(g, cut, g.length)]
        assert greened(road, halves) == pytest.approx(base, abs=1e-6)

    @PROPERTY
    @given(road_and_rows())
    def test_the_input_crs_does_not_matter(self, case):
        road, rows = case
        base = greened(road, rows)
        assert greened(road, rows, crs="EPSG:4326") == pytest.approx(base, rel=1e-3, abs=1e-4)

    @PROPERTY
    @given(road_and_rows(), road_and_rows())
    def test_more_survey_never_lowers_it(self, case, other):
        road, rows = case
        _, extra = other  # rows of another road, moved onto this one's start
        shift = np.subtract(road.coords[0], xy(0, 0))
        extra = [shapely.affinity.translate(g, *shift) for g in extra]
        base = greened(road, rows)
        assert greened(road, rows + extra) >= base - 1e-6
        assert greened(road, rows + extra, side="both") >= greened(road, rows, side="both") - 1e-6


# --------------------------------------------------------------------------------------------
# Indicators 2.1 (surface condition) and 2.2 (planned grade), as QĐ 932/QĐ-BGTVT states them


def dh_frame(rows, **extra) -> gpd.GeoDataFrame:
    """District roads, one per row, each along its own line (y = 1000 m x row), in EPSG:5899.

    Rows: (dist_code, road_code, surface, tech_grade, planned_grade, length_m).
    """
    data = {"dist_code": [r[0] for r in rows], "road_code": [r[1] for r in rows],
            "surface": [r[2] for r in rows], "tech_grade": [r[3] for r in rows],
            "planned_grade": [r[4] for r in rows], **extra}
    geoms = [line((0, 1000 * i), (r[5], 1000 * i)) for i, r in enumerate(rows)]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=CRS_M)


# The sample's district roads as the plan records them (surfaces from its note; "cấp V miền
# núi" for ĐH42 only, and no planned grade).
SAMPLE_ROWS = [
    ("674", "ĐH42", ["chip_seal", "earth"], "Cấp V miền núi", None, 2500),
    ("674", "ĐH43", ["asphalt_concrete", "cement_concrete"], None, None, 7180),
    ("674", "ĐH45", ["gravel"], None, None, 11230),
    ("674", "ĐH46", ["asphalt_concrete"], None, None, 10340),
    ("674", "ĐH47", "cement_concrete|asphalt_concrete", None, None, 7140),
]


class TestPavedShare:
    def test_all_chip_seal_is_paved(self):
        # Chip seal (láng nhựa) is bituminous: "nhựa hóa" (QĐ 932/QĐ-BGTVT).
        roads = dh_frame([("674", "ĐH42", ["chip_seal"], None, None, 2500),
                          ("674", "ĐH43", "chip_seal", None, None, 1500)])
        total = ind.paved_share(roads, crs=CRS_M)["total"]
        assert total["met"] is True and total["share"] == pytest.approx(1.0)
        assert total["paved_km"] == pytest.approx(4.0)
        assert ind.PAVED_SURFACES == {"asphalt_concrete", "chip_seal", "cement_concrete"}

    def test_one_gravel_road_is_unmet_with_its_km(self):
        roads = dh_frame([("674", "ĐH43", ["asphalt_concrete"], None, None, 7180),
                          ("674", "ĐH45", ["gravel"], None, None, 11230),
                          ("674", "ĐH46", ["cement_concrete", "chip_seal"], None, None, 10340)])
        result = ind.paved_share(roads, crs=CRS_M)
        by = {r["road_code"]: r for r in result["roads"]}
        assert (by["ĐH43"]["paved"], by["ĐH45"]["paved"], by["ĐH46"]["paved"]) == (
            True, False, True)
        assert by["ĐH45"]["unpaved_km"] == pytest.approx(11.23)
        total = result["total"]
        assert total["met"] is False
        assert total["paved_km"] == pytest.approx(17.52) and total["unpaved_km"] == (
            pytest.approx(11.23))
        assert total["share"] == pytest.approx(17.52 / 28.75)
        assert json.loads(json.dumps(result)) == result

    def test_a_feature_with_several_surfaces_is_below_100_percent_share_unknown(self):
        result = ind.paved_share(dh_frame(SAMPLE_ROWS), crs=CRS_M)
        by = {r["road_code"]: r for r in result["roads"]}
        assert by["ĐH42"]["paved"] is False and by["ĐH42"]["mixed_km"] == pytest.approx(2.5)
        assert by["ĐH42"]["surfaces"] == ["chip_seal", "earth"]
        total = result["total"]
        assert total["met"] is False  # below 100% whatever ĐH42's split
        assert total["share"] is None  # not invented
        assert total["share_min"] == pytest.approx(24.66 / 38.39)
        assert (total["paved_km"], total["mixed_km"], total["unpaved_km"]) == (
            pytest.approx(24.66), pytest.approx(2.5), pytest.approx(11.23))
        assert total["length_km"] == pytest.approx(38.39)

    def test_only_paved_surfaces_on_one_feature_are_paved(self):
        roads = dh_frame([("674", "ĐH47", "cement_concrete|asphalt_concrete", None, None, 700)])
        assert ind.paved_share(roads, crs=CRS_M)["roads"][0]["paved"] is True

    def test_no_surface_recorded_cannot_be_told(self):
        roads = dh_frame([("674", "ĐH43", ["asphalt_concrete"], None, None, 1000),
                          ("674", "ĐH44", None, None, None, 500)])
        result = ind.paved_share(roads, crs=CRS_M)
        assert [r["paved"] for r in result["roads"]] == [True, None]
        total = result["total"]
        assert (total["met"], total["share"]) == (None, None)
        assert total["unknown_km"] == pytest.approx(0.5)
        assert total["share_min"] == pytest.approx(2 / 3)

    def test_a_road_in_stretches_is_credited_stretch_by_stretch(self):
        roads = dh_frame([("674", "ĐH42", ["chip_seal"], None, None, 600),
                          ("674", "ĐH42", ["earth"], None, None, 400),
                          ("999", "ĐH42", ["asphalt_concrete"], None, None, 300)])
        result = ind.paved_share(roads, crs=CRS_M)
        first, second = result["roads"]
        assert (first["dist_code"], first["paved"], first["paved_km"]) == (
            "674", False, pytest.approx(0.6))
        assert (second["dist_code"], second["paved"]) == ("999", True)
        assert result["total"]["share"] == pytest.approx(0.9 / 1.3)

    def test_only_district_roads_and_any_crs(self):
        roads = dh_frame([("674", "ĐH43", ["asphalt_concrete"], None, None, 1000),
                          ("674", "QL27", ["gravel"], None, None, 5000)],
                         road_class=["ĐH", "QL"])
        total = ind.paved_share(roads.to_crs("EPSG:4326"), crs=CRS_M)["total"]
        assert total["met"] is True and total["length_km"] == pytest.approx(1.0, rel=1e-3)
        with pytest.raises(ValueError, match="projected"):
            ind.paved_share(roads, crs="EPSG:4326")

    def test_no_roads(self):
        empty = dh_frame(SAMPLE_ROWS).iloc[:0]
        assert ind.paved_share(empty, crs=CRS_M)["total"] == {
            "length_km": 0.0, "paved_km": 0.0, "unpaved_km": 0.0, "mixed_km": 0.0,
            "unknown_km": 0.0, "share": None, "share_min": None, "met": None}

    @PROPERTY
    @given(st.lists(st.tuples(st.sampled_from([None, ["asphalt_concrete"], ["chip_seal"],
                                               ["cement_concrete"], ["gravel"], ["earth"],
                                               ["chip_seal", "earth"]]),
                              st.integers(1, 20_000)), min_size=1, max_size=8),
           st.sampled_from(["asphalt_concrete", "chip_seal", "cement_concrete"]),
           st.integers(1, 20_000))
    def test_share_is_a_fraction_and_a_paved_road_never_lowers_it(self, rows, paved, metres):
        def frame(items):
            return dh_frame([("674", f"ĐH{i:02d}", s, None, None, m)
                             for i, (s, m) in enumerate(items)])

        before = ind.paved_share(frame(rows), crs=CRS_M)["total"]
        after = ind.paved_share(frame([*rows, ([paved], metres)]), crs=CRS_M)["total"]
        for total in (before, after):
            assert 0 <= total["share_min"] <= 1
            assert total["share"] is None or 0 <= total["share"] <= 1
            if total["share"] is not None:
                assert total["share"] == pytest.approx(total["share_min"])
        assert after["share_min"] >= before["share_min"] - 1e-12
        if before["share"] is not None:
            assert after["share"] >= before["share"] - 1e-12
        if before["met"] is not None:
            assert after["met"] is before["met"]  # a paved road neither breaks nor mends 100%


class TestRoadsToStandard:
    def test_planned_grade_decides_when_every_road_records_both(self):
        roads = dh_frame([
            ("674", "ĐH42", ["chip_seal", "earth"], "Cấp V miền núi", "cấp  V miền núi", 2500),
            ("674", "ĐH46", ["asphalt_concrete"], "Cấp IV", "Cấp IV", 10340),
            ("674", "ĐH47", ["gravel"], "Cấp VI", "Cấp V", 7140),
        ])
        result = ind.roads_to_standard(roads, crs=CRS_M)
        by = {r["road_code"]: r for r in result["roads"]}
        # The surface is 2.1's condition, not 2.2's: ĐH42 (chip seal and earth) is at its grade.
        assert by["ĐH42"]["to_standard"] is True  # compared ignoring case and spacing
        assert by["ĐH46"]["to_standard"] is True
        assert (by["ĐH47"]["to_standard"], by["ĐH47"]["standard_km"]) == (False, 0.0)
        total = result["total"]
        assert total["complete"] is True and total["below_plan"] == ["ĐH47"]
        assert total["standard_km"] == pytest.approx(12.84)
        assert total["ratio"] == pytest.approx(12.84 / 19.98)
        assert json.loads(json.dumps(result)) == result

    def test_all_at_their_planned_grade(self):
        roads = dh_frame([("674", "ĐH43", None, "Cấp IV", "Cấp IV", 7180),
                          ("674", "ĐH46", None, "cấp iv", "Cấp IV", 10340)])
        assert ind.roads_to_standard(roads, crs=CRS_M)["total"]["ratio"] == pytest.approx(1.0)

    def test_no_ratio_without_the_grades_of_every_road(self):
        # The sample: the plan gives "cấp V miền núi" for ĐH42 only, and no planned grade.
        result = ind.roads_to_standard(dh_frame(SAMPLE_ROWS), crs=CRS_M)
        total = result["total"]
        assert (total["ratio"], total["complete"]) == (None, False)
        assert total["missing_planned"] == ["ĐH42", "ĐH43", "ĐH45", "ĐH46", "ĐH47"]
        assert total["missing_built"] == ["ĐH43", "ĐH45", "ĐH46", "ĐH47"]
        assert total["below_plan"] == []
        assert all(r["to_standard"] is None and r["standard_km"] is None
                   for r in result["roads"])
        assert total["length_km"] == pytest.approx(38.39, abs=1e-6)

    def test_a_road_below_its_plan_is_known_whatever_the_others(self):
        roads = dh_frame([("674", "ĐH43", None, "Cấp VI", "Cấp V", 1000),
                          ("674", "ĐH45", None, None, "Cấp V", 3000)])
        result = ind.roads_to_standard(roads, crs=CRS_M)
        total = result["total"]
        assert (total["ratio"], total["below_plan"], total["missing_built"]) == (
            None, ["ĐH43"], ["ĐH45"])
        assert [r["to_standard"] for r in result["roads"]] == [False, None]

    def test_a_road_in_features_with_their_own_grades(self):
        roads = dh_frame([("674", "ĐH42", None, "Cấp V", "Cấp V", 600),
                          ("674", "ĐH42", None, "Cấp VI", "Cấp V", 400),
                          ("999", "ĐH42", None, "Cấp V", "Cấp V", 300)])
        result = ind.roads_to_standard(roads, crs=CRS_M)
        first, second = result["roads"]
        assert (first["dist_code"], first["to_standard"]) == ("674", False)
        assert first["standard_km"] == pytest.approx(0.6)
        assert (second["dist_code"], second["to_standard"]) == ("999", True)
        assert result["total"]["ratio"] == pytest.approx(0.9 / 1.3)

    def test_only_district_roads_when_the_class_is_known(self):
        roads = dh_frame([("674", "ĐH43", None, "Cấp IV", "Cấp IV", 1000),
                          ("674", "QL27", None, None, None, 5000)], road_class=["ĐH", "QL"])
        result = ind.roads_to_standard(roads, crs=CRS_M)
        assert [r["road_code"] for r in result["roads"]] == ["ĐH43"]
        assert result["total"]["ratio"] == pytest.approx(1.0)

    def test_same_answer_from_wgs84(self):
        roads = dh_frame([("674", "ĐH43", None, "Cấp IV", "Cấp IV", 1000)])
        result = ind.roads_to_standard(roads.to_crs("EPSG:4326"), crs=CRS_M)
        assert result["total"]["length_km"] == pytest.approx(1.0, rel=1e-3)

    def test_geographic_crs(self):
        roads = dh_frame([("674", "ĐH43", None, "Cấp IV", "Cấp IV", 1000)])
        with pytest.raises(ValueError, match="projected"):
            ind.roads_to_standard(roads, crs="EPSG:4326")

    def test_no_roads(self):
        roads = dh_frame([("674", "ĐH43", None, None, None, 1000)]).iloc[:0]
        assert ind.roads_to_standard(roads, crs=CRS_M) == {
            "roads": [], "total": {"length_km": 0.0, "standard_km": 0.0, "ratio": None,
                                   "complete": True, "missing_planned": [],
                                   "missing_built": [], "below_plan": []}}



# --------------------------------------------------------------------------------------------
# Indicator 2.3: noisy tracks and the bridge (stretches less than `bridge` apart are one)

BRIDGE = ind.DEFAULT_BRIDGE_M
WALKING, MOTORBIKE = 1.4, 30 / 3.6  # m/s


def curving_road(length: float = 3000.0) -> LineString:
    """A gently curving 3 km district road in EPSG:5899 (vertices every 3 m)."""
    x = np.linspace(0.0, 1.2 * length, 1201)
    bendy = LineString(np.column_stack([X0 + x, Y0 + 120 * np.sin(x / 700.0)]))
    return shapely.ops.substring(bendy, 0, length)


def phone_track(road: LineString, seed: int, speed: float, rms: float, offset: float,
                fix_s: float = 5.0, tau_s: float = 30.0) -> LineString:
    """A cheap phone's GPS track along ``road`` from its start to its end.

    A fix every ``fix_s`` seconds at ``speed`` (m/s, +-15% from fix to fix), ``offset`` metres
    left of the centreline (negative: right), with a horizontal error of ``rms`` metres
    (root mean square) that drifts: an AR(1) process per axis with a correlation time of
    ``tau_s`` seconds (a random walk pulled back to the truth), not white noise.
    """
    rng = np.random.default_rng(seed)
    length = road.length
    steps = speed * fix_s * rng.uniform(0.85, 1.15, int(length / (speed * fix_s) * 1.3) + 3)
    s = np.r_[0.0, np.cumsum(steps)]
    s = np.r_[s[s < length], length]
    at = shapely.get_coordinates(shapely.line_interpolate_point(road, s))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(road, np.minimum(s + 1, length)))
    behind = shapely.get_coordinates(shapely.line_interpolate_point(road, np.maximum(s - 1, 0)))
    along = (ahead - behind) / np.hypot(*(ahead - behind).T)[:, None]
    left = np.column_stack([-along[:, 1], along[:, 0]])
    phi = math.exp(-fix_s / tau_s)
    shocks = rng.normal(0.0, rms / math.sqrt(2), (s.size, 2))
    shocks[1:] *= math.sqrt(1 - phi * phi)  # stationary: every fix off by `rms` on average
    error = np.empty_like(shocks)
    error[0] = shocks[0]
    for i in range(1, s.size):
        error[i] = phi * error[i - 1] + shocks[i]
    return LineString(at + offset * left + error)


def label_ends(label: str) -> list[str]:
    return label.split(" → ")


def check_stretches_and_gaps(road: dict, bridge: float = BRIDGE) -> None:
    """The relations the document promises between a road's stretches and gaps."""
    length = road["length_km"] * 1000
    stretches, gaps = road["stretches"], road["gaps"]
    for i in range(1, len(stretches)):  # sorted, apart by the bridge
        assert stretches[i]["from_m"] - stretches[i - 1]["to_m"] >= max(bridge, 1.0) - 2e-3
    for gap in gaps:
        start, end = label_ends(gap["label"])
        assert start != end  # never a 0 m gap
        assert gap["length_m"] >= 1.0
        assert gap["length_m"] >= bridge - 2e-3 or not stretches  # or it is the whole road
        assert not any(s["from_m"] < gap["to_m"] - 2e-3 and gap["from_m"] < s["to_m"] - 2e-3
                       for s in stretches)
    head = stretches[0]["from_m"] if stretches else 0.0
    tail = length - stretches[-1]["to_m"] if stretches else 0.0
    unlisted = [e for e, listed in ((head, any(g["from_m"] < 2e-3 for g in gaps)),
                                    (tail, any(g["to_m"] > length - 2e-3 for g in gaps)))
                if not listed]
    assert all(-2e-3 <= e < max(bridge, 1.0) + 2e-3 for e in unlisted)
    total = road["greened_km"] * 1000 + sum(g["length_m"] for g in gaps) + sum(unlisted)
    assert total == pytest.approx(length, abs=0.01)
    assert road["greened_km"] * 1000 == pytest.approx(
        sum(s["to_m"] - s["from_m"] for s in stretches), abs=0.01)


class TestNoisyTracks:
    """A phone track along a road is one stretch, its noise never a place to plant.

    Before the bridge, the same tracks came out in several stretches with gaps of 0.1-20 m
    (and Km0+000 → Km0+000) listed to plant: wherever the drifting error took the track past
    the 20 m tolerance for a moment, and wherever the first or last fix fell a few metres
    inside the road's ends.
    """

    ROAD = curving_road()

    def result(self, track: LineString, **options) -> dict:
        return ind.tree_lined(roads_frame((self.ROAD, "ĐH42")),
                              surveys_frame(("gps", track)), crs=CRS_M, **options)

    @pytest.mark.parametrize("speed", [WALKING, MOTORBIKE], ids=["walking", "motorbike"])
    @pytest.mark.parametrize("rms", [5.0, 7.5])
    @pytest.mark.parametrize("seed", range(4))
    def test_one_stretch_of_the_whole_road(self, speed, rms, seed):
        offset = 3.0 if seed % 2 else -3.0
        road = road_entry(self.result(phone_track(self.ROAD, seed, speed, rms, offset)))
        assert self.ROAD.length == pytest.approx(3000.0)
        assert len(road["stretches"]) == 1
        assert road["greened_km"] == pytest.approx(3.0, rel=0.02)
        assert road["stretches"][0]["survey_ids"] == ["gps"]
        assert road["gaps"] == []
        check_stretches_and_gaps(road)

    @pytest.mark.parametrize("speed", [WALKING, MOTORBIKE], ids=["walking", "motorbike"])
    @pytest.mark.parametrize("seed", range(6))
    def test_at_10_m_only_real_strays_are_gaps(self, speed, seed):
        # An error of 10 m now and then carries a track past the tolerance for longer than the
        # bridge (about 1 track in 5 here): that gap is listed, and it is real, the track there
        # is farther than 20 m from the road. No shorter gap is listed.
        track = phone_track(self.ROAD, seed, speed, 10.0, 3.0 if seed % 2 else -3.0)
        road = road_entry(self.result(track))
        check_stretches_and_gaps(road)
        assert road["greened_km"] >= 2.5
        points = shapely.line_interpolate_point(track, np.arange(0.0, track.length, 0.5))
        s = shapely.line_locate_point(self.ROAD, points)
        far = shapely.distance(points, self.ROAD) > ind.DEFAULT_TOLERANCE_M - 0.01
        for gap in road["gaps"]:
            inside = (s > gap["from_m"] + 1) & (s < gap["to_m"] - 1)
            assert far[inside].all()

    @pytest.mark.parametrize("speed", [WALKING, MOTORBIKE], ids=["walking", "motorbike"])
    def test_without_the_bridge_the_noise_shows(self, speed):
        # the cause, kept visible: bridge=0 lists the strays past the tolerance and the ends
        track = phone_track(self.ROAD, 1, speed, 7.5, -3.0)
        exact = road_entry(self.result(track, bridge=0))
        bridged = road_entry(self.result(track))
        assert any(g["length_m"] < BRIDGE for g in exact["gaps"])
        check_stretches_and_gaps(exact, bridge=0)
        assert bridged["greened_km"] >= exact["greened_km"]

    def test_a_track_keeps_its_side(self):
        # no side attribute: a track 3 m left of the centreline, drifting across it now and
        # then, is the left side's (where it drifts within 1 m of the centreline on average, of
        # no side); it is never lined on both sides by itself, the bridge notwithstanding
        track = phone_track(self.ROAD, 1, WALKING, 5.0, 3.0)
        assert km(self.result(track, side="both")) == 0
        assert km(self.result(track, side="left")) > 2.0
        assert km(self.result(track, side="right")) < 0.3


@pytest.mark.parametrize("input_crs", INPUT_CRS)
class TestRule7Bridge:
    def test_a_stray_past_the_tolerance_is_bridged(self, input_crs):
        track = line((0, 6), (400, 6), (405, 24), (412, 24), (417, 6), (1000, 6))
        road = road_entry(run(main_road(), surveys_frame(("gps", track)), input_crs))
        assert [s["label"] for s in road["stretches"]] == ["Km0+000 → Km1+000"]
        assert road["greened_km"] == approx_m(1000)
        assert road["gaps"] == []
        exact = road_entry(run(main_road(), surveys_frame(("gps", track)), input_crs, bridge=0))
        assert len(exact["stretches"]) == 2
        assert exact["gaps"][0]["length_m"] == pytest.approx(9.2, abs=0.1)  # y = 20 to 20

    def test_two_surveys_closer_than_the_bridge_are_one_stretch(self, input_crs):
        near = surveys_frame(("a", line((100, 6), (480, 6))), ("b", line((500, -6), (900, -6))))
        road = road_entry(run(main_road(), near, input_crs))
        [stretch] = road["stretches"]
        assert stretch["label"] == "Km0+100 → Km0+900"
        assert stretch["survey_ids"] == ["a", "b"]
        assert road["greened_km"] == approx_m(800)  # the 20 m between them is lined, as trees
        far = surveys_frame(("a", line((100, 6), (460, 6))), ("b", line((500, -6), (900, -6))))
        road = road_entry(run(main_road(), far, input_crs))
        assert [s["label"] for s in road["stretches"]] == ["Km0+100 → Km0+460",
                                                           "Km0+500 → Km0+900"]
        assert road["gaps"][-1]["label"] == "Km0+460 → Km0+500"
        assert road["greened_km"] == approx_m(760)

    def test_a_row_and_trees_closer_than_the_bridge(self, input_crs):
        rows = [(f"t{i}", p) for i, p in enumerate(trees(range(420, 601, 8), -5))]
        rows.append(("row", line((100, 6), (400, 6))))
        road = road_entry(run(main_road(), surveys_frame(*rows), input_crs))
        assert [s["label"] for s in road["stretches"]] == ["Km0+100 → Km0+596"]

    def test_ends_shorter_than_the_bridge_are_not_listed(self, input_crs):
        road = road_entry(run(main_road(), surveys_frame(("r", line((10, 6), (990, 6)))),
                              input_crs))
        assert road["greened_km"] == approx_m(980)  # not credited either: a row counts to
        assert road["gaps"] == []  # where it stops
        check_stretches_and_gaps(road)
        road = road_entry(run(main_road(), surveys_frame(("r", line((30, 6), (960, 6)))),
                              input_crs))
        assert [g["label"] for g in road["gaps"]] == ["Km0+960 → Km1+000", "Km0+000 → Km0+030"]

    def test_never_a_gap_under_a_metre(self, input_crs):
        rows = surveys_frame(("a", line((100, 6), (500, 6))), ("b", line((500.4, 6), (900, 6))))
        road = road_entry(run(main_road(), rows, input_crs, bridge=0))
        assert [s["label"] for s in road["stretches"]] == ["Km0+100 → Km0+900"]
        assert [g["label"] for g in road["gaps"]] == ["Km0+000 → Km0+100", "Km0+900 → Km1+000"]

    def test_both_sides_bridges_each_side(self, input_crs):
        rows = surveys_frame(("l1", line((100, 6), (400, 6))), ("l2", line((415, 6), (900, 6))),
                             ("r", line((100, -6), (900, -6))))
        road = road_entry(run(main_road(), rows, input_crs, side="both"))
        assert [s["label"] for s in road["stretches"]] == ["Km0+100 → Km0+900"]
        assert road["stretches"][0]["survey_ids"] == ["l1", "l2", "r"]

    def test_a_wider_bridge_never_joins_two_roads(self, input_crs):
        roads = roads_frame((MAIN, "ĐH42"), (line((1000, 0), (2000, 0)), "ĐH43"))
        rows = surveys_frame(("a", line((100, 6), (900, 6))), ("b", line((1100, 6), (1900, 6))))
        result = run(roads, rows, input_crs, max_point_gap=3000, bridge=2500)
        assert [s["label"] for s in road_entry(result, "ĐH42")["stretches"]] == [
            "Km0+100 → Km0+900"]
        assert [s["label"] for s in road_entry(result, "ĐH43")["stretches"]] == [
            "Km0+100 → Km0+900"]

    def test_a_short_road_with_nothing_is_one_gap(self, input_crs):
        result = run(roads_frame((line((0, 0), (15, 0)), "ĐH42")),
                     surveys_frame(("far", line((0, 90), (15, 90)))), input_crs)
        assert [g["label"] for g in road_entry(result)["gaps"]] == ["Km0+000 → Km0+015"]

    def test_a_side_drift_keeps_the_side(self, input_crs):
        drift = line((0, 4), (495, 4), (500, -3), (520, -3), (525, 4), (1000, 4))
        rows = surveys_frame(("gps", drift))
        assert km(run(main_road(), rows, input_crs, side="left")) == approx_m(1000)
        assert km(run(main_road(), rows, input_crs, side="right")) == 0
        assert km(run(main_road(), rows, input_crs, side="both")) == 0


class TestBridgeOption:
    @pytest.mark.parametrize("bridge", [-1.0, 31.0, float("nan"), float("inf")])
    def test_refused(self, bridge):
        with pytest.raises(ValueError, match="bridge"):
            run(main_road(), surveys_frame(("r", line((0, 6), (9, 6)))), bridge=bridge)

    def test_up_to_max_point_gap(self):
        rows = surveys_frame(("a", line((100, 6), (460, 6))), ("b", line((500, 6), (900, 6))))
        assert km(run(main_road(), rows, bridge=45.0, max_point_gap=60.0)) == approx_m(800)
        assert km(run(main_road(), rows, bridge=30.0)) == approx_m(760)

    def test_default_follows_a_smaller_max_point_gap(self):
        rows = surveys_frame(("a", line((100, 6), (480, 6))), ("b", line((500, 6), (900, 6))))
        assert km(run(main_road(), rows)) == approx_m(800)
        assert km(run(main_road(), rows, max_point_gap=10.0)) == approx_m(780)


@st.composite
def road_and_holed_rows(draw):
    """Rows beside a bendy road (as ``road_and_rows``) with holes of 0-40 m cut out of them."""
    road, rows = draw(road_and_rows())
    holed = []
    for row in rows:
        size = draw(st.floats(0, 40))
        at = draw(st.floats(0, 1)) * max(row.length - size, 0.0)
        holed += [g for g in (shapely.ops.substring(row, 0, at),
                              shapely.ops.substring(row, at + size, row.length))
                  if isinstance(g, LineString) and g.length > 1]
    return road, holed


class TestBridgeProperties:
    @PROPERTY
    @given(road_and_holed_rows(), st.sampled_from(["any", "both", "left"]),
           st.sampled_from([0.0, 10.0, BRIDGE, 30.0]))
    def test_gaps_at_least_the_bridge_and_stretches_apart(self, case, side, bridge):
        road, rows = case
        surveys = surveys_frame(*[(f"s{i}", g) for i, g in enumerate(rows)])
        result = ind.tree_lined(roads_frame((road, "ĐH42")), surveys, crs=CRS_M, side=side,
                                bridge=bridge)
        entry = road_entry(result)
        check_stretches_and_gaps(entry, bridge)
        assert entry["greened_km"] <= road.length / 1000 + 1e-6

    @PROPERTY
    @given(road_and_holed_rows(), road_and_holed_rows())
    def test_more_survey_never_lowers_it_with_the_bridge(self, case, other):
        road, rows = case
        _, extra = other
        shift = np.subtract(road.coords[0], xy(0, 0))
        extra = [shapely.affinity.translate(g, *shift) for g in extra]
        for side in ("any", "both"):
            assert greened(road, rows + extra, side=side) >= greened(road, rows, side=side) - 1e-6
