"""Indicators 2.2 and 2.3 (ntmgeo.indicators.roads): known answers and properties.

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
# Chainage


class TestChainage:
    @pytest.mark.parametrize(("metres", "text"), [
        (1250, "Km1+250"), (0, "Km0+000"), (106020, "Km106+020"), (3700, "Km3+700"),
        (999.6, "Km1+000"), (4000.4, "Km4+000"), (7.0, "Km0+007")])
    def test_format(self, metres, text):
        assert ind.chainage(metres) == text

    @pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
    def test_format_refuses(self, bad):
        with pytest.raises(ValueError, match="chainage"):
            ind.chainage(bad)

    @pytest.mark.parametrize(("text", "metres"), [
        ("Km4+00", 4000.0), ("Km106+020", 106020.0), ("km 1+250", 1250.0), ("Km0+00", 0.0),
        ("KM 0 + 50", 50.0), ("Km123", 123000.0), ("3700", 3700.0), ("3700.5 m", 3700.5),
        (" Km1+250.5 ", 1250.5)])
    def test_parse(self, text, metres):
        assert ind.parse_chainage(text) == metres

    @pytest.mark.parametrize("bad", ["3,7", "3,700", "", "Km", "Km4+1250", "-5", "Km-1+000",
                                     "4 km", "Km1+2+3", "abc"])
    def test_parse_refuses_junk(self, bad):
        with pytest.raises(ValueError, match="chainage"):
            ind.parse_chainage(bad)

    def test_parse_refuses_non_text(self):
        with pytest.raises(ValueError, match="text"):
            ind.parse_chainage(4000)  # type: ignore[arg-type]

    @given(st.integers(min_value=0, max_value=10_000_000))
    @settings(max_examples=200, deadline=None)
    def test_round_trip(self, metres):
        assert ind.parse_chainage(ind.chainage(metres)) == metres


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
        assert road["gaps"][-1]["label"] == "Km0+995 → Km1+000"

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
                                        "shortfall_km", "as_of", "tolerance_m", "side"}
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
# Indicator 2.2


class TestRoadsToStandard:
    def frame(self, rows, **extra):
        data = {"dist_code": [r[0] for r in rows], "road_code": [r[1] for r in rows],
                "surface": [r[2] for r in rows], "tech_grade": [r[3] for r in rows],
                "planned_grade": [r[4] for r in rows], **extra}
        geoms = [line((0, 1000 * i), (r[5], 1000 * i)) for i, r in enumerate(rows)]
        return gpd.GeoDataFrame(data, geometry=geoms, crs=CRS_M)

    def test_hard_and_grade(self):
        roads = self.frame([
            ("674", "ĐH42", ["chip_seal", "earth"], "Cấp V miền núi", None, 2500),
            ("674", "ĐH43", ["asphalt_concrete", "cement_concrete"], None, None, 7180),
            ("674", "ĐH45", ["gravel"], None, None, 11230),
            ("674", "ĐH46", ["asphalt_concrete"], "Cấp IV", "Cấp IV", 10340),
            ("674", "ĐH47", "cement_concrete|asphalt_concrete", "Cấp VI", "Cấp V", 7140),
        ])
        result = ind.roads_to_standard(roads, crs=CRS_M)
        by = {r["road_code"]: r for r in result["roads"]}
        assert by["ĐH42"]["hard"] is False  # a mix of hard and soft: not to standard
        assert by["ĐH43"]["to_standard"] is True
        assert by["ĐH45"]["to_standard"] is False
        assert by["ĐH46"]["to_standard"] is True
        assert by["ĐH47"]["hard"] is True
        assert by["ĐH47"]["grade_ok"] is False
        assert by["ĐH47"]["to_standard"] is False
        assert result["total"]["length_km"] == pytest.approx(38.39, abs=1e-6)
        assert result["total"]["standard_km"] == pytest.approx(17.52, abs=1e-6)
        assert result["total"]["ratio"] == pytest.approx(17.52 / 38.39)
        assert json.loads(json.dumps(result)) == result

    def test_only_district_roads_when_the_class_is_known(self):
        roads = self.frame([("674", "ĐH43", ["asphalt_concrete"], None, None, 1000),
                            ("674", "QL27", ["asphalt_concrete"], None, None, 5000)],
                           road_class=["ĐH", "QL"])
        result = ind.roads_to_standard(roads, crs=CRS_M)
        assert [r["road_code"] for r in result["roads"]] == ["ĐH43"]
        assert result["total"]["length_km"] == pytest.approx(1.0)

    def test_road_in_features_with_their_own_surface(self):
        roads = self.frame([("674", "ĐH42", ["asphalt_concrete"], None, None, 600),
                            ("674", "ĐH42", ["earth"], None, None, 400),
                            ("999", "ĐH42", ["earth"], None, None, 300)])
        result = ind.roads_to_standard(roads, crs=CRS_M)
        first, second = result["roads"]
        assert (first["dist_code"], first["road_code"]) == ("674", "ĐH42")
        assert first["length_km"] == pytest.approx(1.0)
        assert first["to_standard"] is False
        assert first["standard_km"] == pytest.approx(0.6)
        assert second["dist_code"] == "999"
        assert result["total"]["standard_km"] == pytest.approx(0.6)

    def test_no_surface_is_not_hard(self):
        roads = self.frame([("674", "ĐH42", None, None, None, 600)])
        assert ind.roads_to_standard(roads, crs=CRS_M)["roads"][0]["hard"] is False

    def test_same_answer_from_wgs84(self):
        roads = self.frame([("674", "ĐH43", ["asphalt_concrete"], None, None, 1000)])
        result = ind.roads_to_standard(roads.to_crs("EPSG:4326"), crs=CRS_M)
        assert result["total"]["length_km"] == pytest.approx(1.0, rel=1e-3)

    def test_geographic_crs(self):
        roads = self.frame([("674", "ĐH43", ["asphalt_concrete"], None, None, 1000)])
        with pytest.raises(ValueError, match="projected"):
            ind.roads_to_standard(roads, crs="EPSG:4326")

    def test_no_roads(self):
        roads = self.frame([("674", "ĐH43", ["asphalt_concrete"], None, None, 1000)]).iloc[:0]
        assert ind.roads_to_standard(roads, crs=CRS_M) == {
            "roads": [], "total": {"length_km": 0.0, "standard_km": 0.0, "ratio": None}}


def test_road_lines_and_cut_follow_the_chain_of_parts():
    # two parts stored out of order and one reversed: chained from the first part's start
    a = LineString([(583000, 1338000), (583100, 1338000)])
    b = LineString([(583300, 1338000), (583200, 1338000)])  # reversed, 100 m after a gap
    roads = gpd.GeoDataFrame({"dist_code": ["674"], "road_code": ["ĐH46"]},
                             geometry=[MultiLineString([a, b])], crs="EPSG:5899")
    (line,) = ind.road_lines(roads, crs="EPSG:5899").geometry
    assert [round(p.length) for p in line.geoms] == [100, 100]
    assert line.geoms[1].coords[0] == (583200, 1338000)
    piece = ind.cut(line, 50, 150)  # 50 m of a, then 50 m of b (gap not counted)
    assert round(piece.length) == 100
    assert piece.geoms[1].coords[0] == (583200, 1338000)
    assert piece.geoms[1].coords[-1] == (583250, 1338000)
    assert ind.cut(LineString([(0, 0), (10, 0)]), 2, 5).length == pytest.approx(3)


def test_cut_stretches_have_the_lengths_tree_lined_reports(sample_store):
    from ntmgeo import greening

    doc = greening.from_store(sample_store)
    lines = ind.road_lines(greening.district_roads(sample_store.read_layer("roads")),
                                 crs=sample_store.measure_crs)
    by_key = {(d, c): g for d, c, g in zip(lines["dist_code"], lines["road_code"],
                                           lines.geometry, strict=True)}
    for road in doc["roads"]:
        line = by_key[(road["dist_code"], road["road_code"])]
        total = sum(ind.cut(line, s["from_m"], s["to_m"]).length for s in road["stretches"])
        assert total / 1000 == pytest.approx(road["greened_km"], abs=0.002)
